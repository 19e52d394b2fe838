package training

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"time"

	"github.com/ermi-go/ermi/ermi/atomicfile"
	"github.com/ermi-go/ermi/ermi/metalearner"
	"github.com/ermi-go/ermi/ermi/tasks"
)

// Files of a run directory.
const (
	RecipeFile  = "recipe.json" // the recipe as run
	StateFile   = "state.ckpt"  // everything needed to resume
	WeightsFile = "weights.ckpt"
	LogFile     = "log.csv" // one line per logged step
)

// Options control one call of Run.
type Options struct {
	// Dir is the run directory; a run found there is resumed.
	Dir string
	// Root is the directory the recipe's task files are relative to.
	Root string
	// Steps is the total number of steps to reach (counting earlier runs);
	// Minutes, when positive, stops earlier after that much wall time.
	Steps   int
	Minutes float64
	// LogEvery, EvalEvery and SaveEvery are step intervals (defaults 10,
	// 100 and 100, the paper's save interval).
	LogEvery, EvalEvery, SaveEvery int
	// Progress receives a progress line per LogEvery steps; nil for none.
	Progress io.Writer
}

// LogEntry is one line of a run's log.
type LogEntry struct {
	Step    int     `json:"step"`
	Loss    float64 `json:"loss"`     // mean training loss since the last entry
	ValLoss float64 `json:"val_loss"` // NaN when not evaluated at this step
	ValAcc  float64 `json:"val_acc"`  // greedy accuracy on the validation batch
	WallS   float64 `json:"wall_s"`   // training seconds so far, over all runs
	LR      float64 `json:"lr"`
}

// runState is stored in the state checkpoint's extra field.
type runState struct {
	Step        int     `json:"step"`
	WallS       float64 `json:"wall_s"`
	SourceState []byte  `json:"source_state"`
}

// Run trains r until opt.Steps steps (or opt.Minutes) in opt.Dir, resuming
// the run found there. It checkpoints every SaveEvery steps and at the end,
// atomically, and returns the log. Cancelling ctx stops after the current
// step, saving first.
func Run(ctx context.Context, r Recipe, opt Options) ([]LogEntry, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	if opt.LogEvery <= 0 {
		opt.LogEvery = 10
	}
	if opt.EvalEvery <= 0 {
		opt.EvalEvery = 100
	}
	if opt.SaveEvery <= 0 {
		opt.SaveEvery = 100
	}
	if err := os.MkdirAll(opt.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("training: %w", err)
	}
	if err := checkRecipe(r, opt.Dir); err != nil {
		return nil, err
	}
	src, err := NewSource(r, opt.Root)
	if err != nil {
		return nil, err
	}
	m, st, log, err := resume(r, opt.Dir, src)
	if err != nil {
		return nil, err
	}
	if st.Step == 0 {
		if err := writeLineage(opt.Dir, r); err != nil {
			return nil, err
		}
	}
	sessions, err := sessionsUpTo(opt.Dir, st.Step)
	if err != nil {
		return nil, err
	}
	session := thisSession(st.Step)
	if opt.Progress != nil {
		verb := "starting"
		if st.Step > 0 {
			verb = fmt.Sprintf("resuming at step %d", st.Step)
		}
		fmt.Fprintf(opt.Progress, "train %s: %s; %s; target step %d\n", r.Name, verb, src.Describe(), opt.Steps)
	}
	start := time.Now()
	save := func() error {
		ss, err := src.MarshalBinary()
		if err != nil {
			return fmt.Errorf("training: %w", err)
		}
		st.SourceState = ss
		if err := writeLog(filepath.Join(opt.Dir, LogFile), log); err != nil {
			return err
		}
		if err := m.Save(filepath.Join(opt.Dir, WeightsFile), false, map[string]int{"step": st.Step}); err != nil {
			return err
		}
		session.EndStep, session.Seconds = st.Step, time.Since(start).Seconds()
		if session.EndStep > session.StartStep {
			if err := writeSessions(opt.Dir, append(sessions, session)); err != nil {
				return err
			}
		}
		// The state goes last: a run killed before this line resumes from
		// the previous state, whose log lines are a prefix of the new log.
		return m.Save(filepath.Join(opt.Dir, StateFile), true, st)
	}

	wall0 := st.WallS
	lossSum, lossN := 0.0, 0
	startStep := st.Step
	for st.Step < opt.Steps {
		if ctx.Err() != nil || (opt.Minutes > 0 && time.Since(start).Minutes() >= opt.Minutes) {
			break
		}
		if r.WarmupSteps > 0 {
			lr := r.LR * math.Min(1, float64(st.Step+1)/float64(r.WarmupSteps))
			if err := m.SetLearningRate(lr); err != nil {
				return log, err
			}
		}
		b, err := src.Next()
		if err != nil {
			return log, err
		}
		loss, err := m.TrainStep(b)
		if err != nil {
			return log, err
		}
		if math.IsNaN(float64(loss)) {
			return log, fmt.Errorf("training: %s: loss is NaN at step %d", r.Name, st.Step+1)
		}
		st.Step++
		st.WallS = wall0 + time.Since(start).Seconds()
		lossSum += float64(loss)
		lossN++
		if st.Step%opt.LogEvery == 0 || st.Step == opt.Steps {
			e := LogEntry{Step: st.Step, Loss: lossSum / float64(lossN), ValLoss: math.NaN(), ValAcc: math.NaN(), WallS: st.WallS, LR: m.LearningRate()}
			lossSum, lossN = 0, 0
			if st.Step%opt.EvalEvery == 0 || st.Step == opt.Steps {
				e.ValLoss, e.ValAcc, err = Evaluate(m, src.Validation())
				if err != nil {
					return log, err
				}
			}
			log = append(log, e)
			if opt.Progress != nil {
				rate := float64(st.Step-startStep) / time.Since(start).Seconds()
				eta := time.Duration(float64(opt.Steps-st.Step)/rate) * time.Second
				line := fmt.Sprintf("step %d/%d  loss %.4f  %.2f steps/s  ETA %s", st.Step, opt.Steps, e.Loss, rate, eta.Round(time.Second))
				if !math.IsNaN(e.ValAcc) {
					line += fmt.Sprintf("  val loss %.4f acc %.3f", e.ValLoss, e.ValAcc)
				}
				fmt.Fprintln(opt.Progress, line)
			}
		}
		if st.Step%opt.SaveEvery == 0 {
			if err := save(); err != nil {
				return log, err
			}
		}
	}
	if err := save(); err != nil {
		return log, err
	}
	return log, nil
}

// Evaluate returns the mean loss and the greedy accuracy (the logit's sign
// against the target) over the real trials of a batch.
func Evaluate(m *metalearner.Model, b tasks.Batch) (loss, acc float64, err error) {
	logits, err := m.Logits(b)
	if err != nil {
		return 0, 0, err
	}
	n, correct := 0, 0
	for s := range b.Size {
		for t := range b.Lengths[s] {
			z := float64(logits[s*b.MaxLen+t])
			y := float64(b.Target(s, t))
			loss += math.Max(z, 0) - y*z + math.Log1p(math.Exp(-math.Abs(z)))
			if (z > 0) == (y == 1) {
				correct++
			}
			n++
		}
	}
	return loss / float64(n), float64(correct) / float64(n), nil
}

// checkRecipe writes r to dir, or, when a run is there, checks that it was
// made with the same recipe.
func checkRecipe(r Recipe, dir string) error {
	path := filepath.Join(dir, RecipeFile)
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		data, err := json.MarshalIndent(r, "", "  ")
		if err != nil {
			return fmt.Errorf("training: %w", err)
		}
		return atomicfile.WriteBytes(path, append(data, '\n'))
	}
	if err != nil {
		return fmt.Errorf("training: %w", err)
	}
	var old Recipe
	if err := json.Unmarshal(raw, &old); err != nil {
		return fmt.Errorf("training: %s: %w", path, err)
	}
	if !reflect.DeepEqual(old, r) {
		return fmt.Errorf("training: %s holds a run of a different recipe (%s); use another directory, or the same settings", path, old.Name)
	}
	return nil
}

// resume loads the run in dir, or starts one.
func resume(r Recipe, dir string, src Source) (*metalearner.Model, runState, []LogEntry, error) {
	var st runState
	path := filepath.Join(dir, StateFile)
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		if _, err := os.Stat(filepath.Join(dir, WeightsFile)); err == nil {
			return nil, st, nil, fmt.Errorf("training: %s holds trained weights but no %s (the optimiser state was not kept): "+
				"a new run would overwrite them; start one from these weights with -init %s and another -out", dir, StateFile, dir)
		}
		m, err := initialModel(r)
		if err != nil {
			return nil, st, nil, err
		}
		return m, st, nil, m.SetLearningRate(r.LR)
	}
	m, extra, err := metalearner.Load(path)
	if err != nil {
		return nil, st, nil, err
	}
	if err := json.Unmarshal(extra, &st); err != nil {
		return nil, st, nil, fmt.Errorf("training: %s: run state: %w", path, err)
	}
	if err := src.UnmarshalBinary(st.SourceState); err != nil {
		return nil, st, nil, fmt.Errorf("training: %s: %w", path, err)
	}
	log, err := readLog(filepath.Join(dir, LogFile))
	if err != nil {
		return nil, st, nil, err
	}
	// Keep the log lines up to the checkpoint's step.
	for len(log) > 0 && log[len(log)-1].Step > st.Step {
		log = log[:len(log)-1]
	}
	return m, st, log, nil
}

// initialModel returns the network a new run starts from: fresh weights
// from r.Seed, or the trained weights of the run r.Init.
func initialModel(r Recipe) (*metalearner.Model, error) {
	if r.Init == "" {
		return metalearner.New(r.Model, r.Seed)
	}
	from, _, err := metalearner.Load(filepath.Join(r.Init, WeightsFile))
	if err != nil {
		return nil, err
	}
	fc, want := from.Config(), r.Model
	fc.MaxSteps, want.MaxSteps = 0, 0
	fc.Dims, want.Dims = 0, 0
	if fc != want || from.Config().Dims > r.Model.Dims {
		return nil, fmt.Errorf("training: %s: the network there (%+v) differs from this recipe's (%+v) in more than max_steps and (fewer) features", r.Init, from.Config(), r.Model)
	}
	ps, err := from.Params()
	if err != nil {
		return nil, err
	}
	if d := from.Config().Dims; d < r.Model.Dims {
		// A curriculum over features: the new features' embedding weights
		// are the fresh ones this recipe's seed draws.
		fresh := metalearner.InitParams(r.Model, rand.New(rand.NewPCG(r.Seed, 0x5eed)))
		if ps, err = metalearner.WidenParams(ps, from.Config(), r.Model, fresh); err != nil {
			return nil, fmt.Errorf("training: %s: %w", r.Init, err)
		}
	}
	return metalearner.FromParams(r.Model, ps)
}

var logHeader = []string{"step", "loss", "val_loss", "val_acc", "wall_s", "lr"}

func writeLog(path string, log []LogEntry) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.Write(logHeader)
		f := func(v float64) string {
			if math.IsNaN(v) {
				return ""
			}
			return strconv.FormatFloat(v, 'g', -1, 64) // exact: a resumed log equals an uninterrupted one
		}
		for _, e := range log {
			cw.Write([]string{strconv.Itoa(e.Step), f(e.Loss), f(e.ValLoss), f(e.ValAcc), f(e.WallS), f(e.LR)})
		}
		cw.Flush()
		return cw.Error()
	})
}

// ReadLog reads a run's log.csv.
func ReadLog(dir string) ([]LogEntry, error) { return readLog(filepath.Join(dir, LogFile)) }

func readLog(path string) ([]LogEntry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("training: %w", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("training: %s: %w", path, err)
	}
	if len(rows) == 0 || !reflect.DeepEqual(rows[0], logHeader) {
		return nil, fmt.Errorf("training: %s:1: header is not %v", path, logHeader)
	}
	var log []LogEntry
	for i, row := range rows[1:] {
		var vals [6]float64
		for j, s := range row {
			if s == "" {
				vals[j] = math.NaN()
				continue
			}
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return nil, fmt.Errorf("training: %s:%d: field %s: %q is not a number", path, i+2, logHeader[j], s)
			}
			vals[j] = v
		}
		log = append(log, LogEntry{Step: int(vals[0]), Loss: vals[1], ValLoss: vals[2], ValAcc: vals[3], WallS: vals[4], LR: vals[5]})
	}
	return log, nil
}
