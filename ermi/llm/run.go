package llm

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Job is one prompt of a generation run; ID identifies it across resumes
// (the task-label row for data jobs, the call number for label jobs).
type Job struct {
	ID     int
	Prompt string
}

// Record is one stored answer. Records are appended to a JSON-lines file as
// they arrive, each synced to disk, so a killed run loses nothing.
type Record struct {
	ID        int       `json:"id"`
	Provider  string    `json:"provider"`
	Text      string    `json:"text"`
	Truncated bool      `json:"truncated"`
	Time      time.Time `json:"time"`
}

// RunStats counts what a run did.
type RunStats struct {
	Skipped, Done, Failed int
	// Errors holds the first few failures, for the user.
	Errors []string
}

// ReadRecords reads a record file. A last line cut off by a kill is
// ignored; any other broken line is an error naming its line.
func ReadRecords(path string) ([]Record, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("llm: %w", err)
	}
	if i := bytes.LastIndexByte(data, '\n'); i < len(data)-1 {
		data = data[:i+1] // a torn last line
	}
	var recs []Record
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 256<<20)
	for line := 1; sc.Scan(); line++ {
		var r Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("llm: %s:%d: %w", path, line, err)
		}
		recs = append(recs, r)
	}
	return recs, sc.Err()
}

// Run sends every job whose ID has no record in the file at path yet, with
// at most workers requests at a time, and appends each answer to the file as
// it arrives. Cancelling ctx stops it; running it again resumes. Progress
// lines (done, failed, rate, ETA) go to progress when it is not nil.
func Run(ctx context.Context, p Provider, jobs []Job, path string, workers int, progress io.Writer) (RunStats, error) {
	var st RunStats
	recs, err := ReadRecords(path)
	if err != nil {
		return st, err
	}
	done := map[int]bool{}
	for _, r := range recs {
		done[r.ID] = true
	}
	var todo []Job
	for _, j := range jobs {
		if done[j.ID] {
			st.Skipped++
		} else {
			todo = append(todo, j)
		}
	}
	f, err := openForAppend(path)
	if err != nil {
		return st, err
	}
	defer f.Close()
	if workers < 1 {
		workers = 1
	}
	jobc := make(chan Job)
	type result struct {
		rec Record
		err error
		id  int
	}
	resc := make(chan result)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobc {
				a, err := p.Complete(ctx, j.Prompt)
				resc <- result{Record{ID: j.ID, Provider: p.Name(), Text: a.Text, Truncated: a.Truncated, Time: time.Now().UTC()}, err, j.ID}
			}
		}()
	}
	go func() {
		defer close(jobc)
		for _, j := range todo {
			select {
			case jobc <- j:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(resc) }()
	start, last := time.Now(), time.Time{}
	var writeErr error
	for r := range resc {
		if r.err != nil {
			if ctx.Err() == nil {
				st.Failed++
				if len(st.Errors) < 5 {
					st.Errors = append(st.Errors, fmt.Sprintf("job %d: %v", r.id, r.err))
				}
			}
			continue
		}
		if writeErr == nil {
			writeErr = appendRecord(f, r.rec)
		}
		if writeErr == nil {
			st.Done++
		}
		if progress != nil && (time.Since(last) > time.Second || st.Done+st.Failed == len(todo)) {
			last = time.Now()
			rate := float64(st.Done+st.Failed) / time.Since(start).Seconds()
			eta := time.Duration(float64(len(todo)-st.Done-st.Failed)/rate) * time.Second
			fmt.Fprintf(progress, "generate: %d/%d answers (%d skipped as done, %d failed), %.2f/s, ETA %s\n",
				st.Done, len(todo), st.Skipped, st.Failed, rate, eta.Round(time.Second))
		}
	}
	if writeErr != nil {
		return st, writeErr
	}
	if ctx.Err() != nil {
		return st, fmt.Errorf("llm: run stopped: %w (%d answers stored; run again to resume)", ctx.Err(), st.Done)
	}
	return st, nil
}

// openForAppend opens the record file for appending, first cutting off a
// line torn by a kill so that the next record starts on a line of its own.
func openForAppend(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("llm: %w", err)
	}
	data, err := io.ReadAll(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("llm: %s: %w", path, err)
	}
	keep := int64(bytes.LastIndexByte(data, '\n') + 1)
	if err := f.Truncate(keep); err != nil {
		f.Close()
		return nil, fmt.Errorf("llm: %s: %w", path, err)
	}
	if _, err := f.Seek(keep, io.SeekStart); err != nil {
		f.Close()
		return nil, fmt.Errorf("llm: %s: %w", path, err)
	}
	return f, nil
}

func appendRecord(f *os.File, r Record) error {
	line, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("llm: %w", err)
	}
	if _, err := f.Write(append(line, '\n')); err != nil {
		return fmt.Errorf("llm: %s: %w", f.Name(), err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("llm: %s: %w", f.Name(), err)
	}
	return nil
}

// ReadLabelSets reads a pooled task-label file in the paper's format
// (columns feature_names and category_names as Python lists of strings, and
// task_id), keeping rows with exactly dims features and two categories.
func ReadLabelSets(path string, dims int) ([]LabelSet, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("llm: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("llm: %s: %w", path, err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	fi, ok1 := col["feature_names"]
	ci, ok2 := col["category_names"]
	ti, ok3 := col["task_id"]
	if !ok1 || !ok2 || !ok3 {
		return nil, fmt.Errorf("llm: %s:1: header lacks feature_names, category_names or task_id", path)
	}
	var sets []LabelSet
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			return sets, nil
		}
		if err != nil {
			return nil, fmt.Errorf("llm: %s:%d: %w", path, line, err)
		}
		feats, err1 := parseNameList(rec[fi])
		cats, err2 := parseNameList(rec[ci])
		id, err3 := strconv.Atoi(strings.TrimSpace(rec[ti]))
		if err := errors.Join(err1, err2, err3); err != nil {
			return nil, fmt.Errorf("llm: %s:%d: %w", path, line, err)
		}
		if len(feats) == dims && len(cats) == 2 {
			sets = append(sets, LabelSet{ID: id, Features: feats, Categories: [2]string{cats[0], cats[1]}})
		}
	}
}

// parseNameList parses a Python list of strings: ['a', 'b'].
func parseNameList(s string) ([]string, error) {
	s = strings.TrimSpace(s)
	if len(s) < 2 || s[0] != '[' || s[len(s)-1] != ']' {
		return nil, fmt.Errorf("%q is not a list", clip(s))
	}
	var out []string
	for _, item := range strings.Split(s[1:len(s)-1], ",") {
		item = strings.TrimSpace(item)
		if len(item) >= 2 && (item[0] == '\'' || item[0] == '"') && item[len(item)-1] == item[0] {
			item = item[1 : len(item)-1]
		}
		if item == "" {
			return nil, fmt.Errorf("empty name in %q", clip(s))
		}
		out = append(out, item)
	}
	return out, nil
}
