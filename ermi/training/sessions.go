package training

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"time"

	"github.com/ermi-go/ermi/ermi/atomicfile"
	"github.com/ermi-go/ermi/ermi/metalearner"
)

// SessionsFile records, one line per call of Run, where a run directory's
// steps were trained: a run resumed on another machine (a GPU, say) keeps
// the record of each part.
const SessionsFile = "sessions.csv"

// Session is one call of Run: the steps it trained, how long it took, and
// the machine and compute backend it ran on.
type Session struct {
	StartStep, EndStep int
	Seconds            float64
	Started            time.Time
	Host               string
	Platform           string // GOOS/GOARCH
	Cores              int
	Backend            string
}

var sessionsHeader = []string{"start_step", "end_step", "seconds", "started", "host", "platform", "cores", "backend"}

// thisSession describes a session starting now at step.
func thisSession(step int) Session {
	host, _ := os.Hostname()
	return Session{StartStep: step, EndStep: step, Started: time.Now().UTC().Truncate(time.Second), Host: host,
		Platform: runtime.GOOS + "/" + runtime.GOARCH, Cores: runtime.NumCPU(), Backend: metalearner.BackendDescription()}
}

// ReadSessions returns the sessions recorded in dir, none if the run
// predates the record.
func ReadSessions(dir string) ([]Session, error) {
	path := filepath.Join(dir, SessionsFile)
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("training: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = len(sessionsHeader)
	rows, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("training: %s: %w", path, err)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("training: %s: empty, want a header line", path)
	}
	var out []Session
	for i, row := range rows[1:] {
		var s Session
		var errs [5]error
		s.StartStep, errs[0] = strconv.Atoi(row[0])
		s.EndStep, errs[1] = strconv.Atoi(row[1])
		s.Seconds, errs[2] = strconv.ParseFloat(row[2], 64)
		s.Started, errs[3] = time.Parse(time.RFC3339, row[3])
		s.Cores, errs[4] = strconv.Atoi(row[6])
		if err := errors.Join(errs[:]...); err != nil {
			return nil, fmt.Errorf("training: %s:%d: %w", path, i+2, err)
		}
		s.Host, s.Platform, s.Backend = row[4], row[5], row[7]
		out = append(out, s)
	}
	return out, nil
}

// writeSessions replaces dir's session record atomically.
func writeSessions(dir string, ss []Session) error {
	return atomicfile.Write(filepath.Join(dir, SessionsFile), func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.Write(sessionsHeader)
		for _, s := range ss {
			cw.Write([]string{strconv.Itoa(s.StartStep), strconv.Itoa(s.EndStep), strconv.FormatFloat(s.Seconds, 'f', 1, 64),
				s.Started.Format(time.RFC3339), s.Host, s.Platform, strconv.Itoa(s.Cores), s.Backend})
		}
		cw.Flush()
		return cw.Error()
	})
}

// sessionsUpTo returns the sessions of dir cut at step, the step a resumed
// run restarts from (a run killed after its record was written but before
// its state was has trained fewer steps than the record says).
func sessionsUpTo(dir string, step int) ([]Session, error) {
	ss, err := ReadSessions(dir)
	if err != nil {
		return nil, err
	}
	var out []Session
	for _, s := range ss {
		if s.StartStep >= step {
			break
		}
		s.EndStep = min(s.EndStep, step)
		out = append(out, s)
	}
	return out, nil
}
