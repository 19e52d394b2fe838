package training

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// tiny returns a fast recipe of the given source: one layer, short tasks.
func tiny(src SourceKind) Recipe {
	var r Recipe
	switch src {
	case LinearPrior:
		r, _ = Lookup("mi-3d")
	case MLPPrior:
		r, _ = Lookup("pfn-3d")
	case RMCPrior:
		r, _ = Lookup("rmc-3d")
	case LLMTasks:
		r, _ = Lookup("ermi-4d")
	}
	r.Model.Layers, r.Model.MaxSteps, r.Batch.MaxSteps = 1, 24, 24
	r.Batch.BatchSize, r.Trials, r.PoolTasks = 4, 20, 200
	if src == LLMTasks {
		r.Model.MaxSteps, r.Batch.MaxSteps = 120, 120
	}
	return r
}

func TestRecipesValidate(t *testing.T) {
	names := map[string]bool{}
	for _, r := range Recipes() {
		if err := r.Validate(); err != nil {
			t.Errorf("%s: %v", r.Name, err)
		}
		names[r.Name] = true
	}
	for _, n := range []string{"ermi-3d", "mi-3d", "pfn-3d", "rmc-3d", "ermi-4d", "mi-4d", "pfn-4d", "ermi-6d", "mi-6d", "pfn-6d"} {
		if !names[n] {
			t.Errorf("recipe %s missing", n)
		}
	}
	if _, err := Lookup("gpt-5d"); err == nil || !strings.Contains(err.Error(), "ermi-3d") {
		t.Errorf("Lookup error %v does not list the names", err)
	}
}

// TestResumeIsExact runs 6 steps at once and 3 + 3 with a restart between:
// the logged losses and validation results must be identical.
func TestResumeIsExact(t *testing.T) {
	for _, src := range []SourceKind{LinearPrior, MLPPrior, RMCPrior, LLMTasks} {
		t.Run(string(src), func(t *testing.T) {
			r := tiny(src)
			opt := Options{Root: "../..", LogEvery: 1, EvalEvery: 2, SaveEvery: 100}
			opt.Dir, opt.Steps = t.TempDir(), 6
			want, err := Run(context.Background(), r, opt)
			if err != nil {
				t.Fatal(err)
			}
			opt.Dir, opt.Steps = t.TempDir(), 3
			if _, err := Run(context.Background(), r, opt); err != nil {
				t.Fatal(err)
			}
			opt.Steps = 6
			got, err := Run(context.Background(), r, opt)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Fatalf("%d log lines after resuming, %d uninterrupted", len(got), len(want))
			}
			for i := range want {
				// Every call ends with a validation, so the interrupted run
				// has one more, at step 3; elsewhere they must agree.
				evaluated := !math.IsNaN(want[i].ValLoss)
				if got[i].Step != want[i].Step || got[i].Loss != want[i].Loss ||
					(evaluated && (got[i].ValLoss != want[i].ValLoss || got[i].ValAcc != want[i].ValAcc)) {
					t.Errorf("line %d: resumed %+v, uninterrupted %+v", i, got[i], want[i])
				}
			}
			logged, err := ReadLog(opt.Dir)
			if err != nil || len(logged) != 6 {
				t.Errorf("log.csv: %d lines, %v", len(logged), err)
			}
			for _, f := range []string{RecipeFile, StateFile, WeightsFile, LogFile} {
				if _, err := os.Stat(filepath.Join(opt.Dir, f)); err != nil {
					t.Error(err)
				}
			}
		})
	}
}

func TestRunRefusesAnotherRecipe(t *testing.T) {
	dir := t.TempDir()
	r := tiny(LinearPrior)
	if _, err := Run(context.Background(), r, Options{Dir: dir, Steps: 1}); err != nil {
		t.Fatal(err)
	}
	r.LR = 1e-3
	_, err := Run(context.Background(), r, Options{Dir: dir, Steps: 2})
	if err == nil || !strings.Contains(err.Error(), "different recipe") {
		t.Errorf("err = %v", err)
	}
}

func TestRunReportsTruncatedState(t *testing.T) {
	dir := t.TempDir()
	r := tiny(LinearPrior)
	if _, err := Run(context.Background(), r, Options{Dir: dir, Steps: 1}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, StateFile)
	raw, _ := os.ReadFile(path)
	os.WriteFile(path, raw[:len(raw)/2], 0o644)
	_, err := Run(context.Background(), r, Options{Dir: dir, Steps: 2})
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "truncated") {
		t.Errorf("err = %v", err)
	}
}

func TestBlocks(t *testing.T) {
	got := Blocks(289)
	want := []Block{{1, 5}, {6, 10}, {11, 20}, {21, 50}, {51, 100}, {101, 200}, {201, 289}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Blocks(289) = %v", got)
	}
	if got := Blocks(8); !reflect.DeepEqual(got, []Block{{1, 5}, {6, 8}}) {
		t.Errorf("Blocks(8) = %v", got)
	}
}

func TestEvaluateByBlock(t *testing.T) {
	dir := t.TempDir()
	r := tiny(LinearPrior)
	if _, err := Run(context.Background(), r, Options{Dir: dir, Steps: 2}); err != nil {
		t.Fatal(err)
	}
	rr, m, err := LoadRun(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rr, r) {
		t.Error("LoadRun returned another recipe")
	}
	ts, desc, err := HeldOutTasks(r, "../..", "", 30, 99)
	if err != nil || len(ts) != 30 || !strings.Contains(desc, "30 fresh linear-prior tasks of 20 trials") {
		t.Fatalf("held-out tasks: %d, %q, %v", len(ts), desc, err)
	}
	res, err := EvaluateByBlock(m, r, ts, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 3 || res[0].N != 30*5 || res[2].N != 30*(20-10) {
		t.Fatalf("blocks %+v", res)
	}
	// Linear tasks: online logistic regression is well above chance late on.
	if res[2].LR < 0.75 || res[0].LR < 0.4 {
		t.Errorf("logistic regression accuracies %+v", res)
	}
	for _, b := range res {
		if b.Model < 0 || b.Model > 1 {
			t.Errorf("model accuracy %v", b.Model)
		}
	}
	var sb strings.Builder
	FormatBlocks(&sb, res[2:])
	if !strings.HasPrefix(sb.String(), "trials 11-20 model ") || !strings.Contains(sb.String(), " lr ") {
		t.Errorf("format %q", sb.String())
	}
}

func TestRunFromInit(t *testing.T) {
	base := t.TempDir()
	r := tiny(LinearPrior)
	if _, err := Run(context.Background(), r, Options{Dir: base, Steps: 2}); err != nil {
		t.Fatal(err)
	}
	_, trained, err := LoadRun(base)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := trained.Params()
	// A fine-tuning run with a longer positional table starts from those weights.
	ft := r
	ft.Init, ft.Model.MaxSteps, ft.Batch.MaxSteps = base, 30, 30
	m, err := initialModel(ft)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := m.Params()
	if !reflect.DeepEqual(got, want) || m.Config().MaxSteps != 30 {
		t.Error("the run did not start from the trained weights")
	}
	if _, err := Run(context.Background(), ft, Options{Dir: t.TempDir(), Steps: 1}); err != nil {
		t.Fatal(err)
	}
	// A network on more features starts from the same weights but the
	// embedding's new column, and trains.
	more := r
	more.Init, more.Model.Dims = base, r.Model.Dims+1
	m, err = initialModel(more)
	if err != nil {
		t.Fatal(err)
	}
	got, _ = m.Params()
	if len(got) != len(want) || !reflect.DeepEqual(got[2:], want[2:]) || m.Config().Dims != r.Model.Dims+1 {
		t.Error("the wider run did not start from the trained weights")
	}
	if _, err := Run(context.Background(), more, Options{Dir: t.TempDir(), Steps: 1}); err != nil {
		t.Fatal(err)
	}
	// A network of another shape, or on fewer features, is refused, naming the run.
	wide := r
	wide.Init, wide.Model.FF = base, 64
	fewer := r
	fewer.Init, fewer.Model.Dims = base, r.Model.Dims-1
	for _, bad := range []Recipe{wide, fewer} {
		if _, err := initialModel(bad); err == nil || !strings.Contains(err.Error(), base) {
			t.Errorf("error %v", err)
		}
	}
}

// TestSessionsRecordEachRun checks that each call of Run adds one session
// with the steps it trained, and that a resume keeps the earlier ones.
func TestSessionsRecordEachRun(t *testing.T) {
	dir := t.TempDir()
	r := tiny(LinearPrior)
	for _, steps := range []int{2, 5} {
		if _, err := Run(context.Background(), r, Options{Dir: dir, Steps: steps}); err != nil {
			t.Fatal(err)
		}
	}
	ss, err := ReadSessions(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(ss) != 2 || ss[0].StartStep != 0 || ss[0].EndStep != 2 || ss[1].StartStep != 2 || ss[1].EndStep != 5 {
		t.Fatalf("sessions %+v, want 0–2 and 2–5", ss)
	}
	for _, s := range ss {
		if s.Backend == "" || s.Cores < 1 || s.Platform == "" || s.Started.IsZero() {
			t.Errorf("session %+v lacks its machine", s)
		}
	}
	// A record cut short (the state of step 2 restored) drops what followed.
	cut, err := sessionsUpTo(dir, 3)
	if err != nil || len(cut) != 2 || cut[1].EndStep != 3 {
		t.Errorf("sessionsUpTo(3) = %+v, %v", cut, err)
	}
}

// TestRunKeepsWeightsWithoutState checks that a directory shipped with
// weights but no optimiser state is not silently restarted (which would
// overwrite the weights).
func TestRunKeepsWeightsWithoutState(t *testing.T) {
	dir := t.TempDir()
	r := tiny(LinearPrior)
	if _, err := Run(context.Background(), r, Options{Dir: dir, Steps: 1}); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(dir, StateFile))
	before, _ := os.ReadFile(filepath.Join(dir, WeightsFile))
	_, err := Run(context.Background(), r, Options{Dir: dir, Steps: 2})
	if err == nil || !strings.Contains(err.Error(), "-init") {
		t.Errorf("err = %v, want advice to use -init", err)
	}
	after, _ := os.ReadFile(filepath.Join(dir, WeightsFile))
	if string(before) != string(after) {
		t.Error("the weights were overwritten")
	}
}

// TestWriteCardCountsSessions checks that the card gives the steps a run
// really trained, from its sessions, when the run stopped between log lines.
func TestWriteCardCountsSessions(t *testing.T) {
	dir := t.TempDir()
	log := []LogEntry{{Step: 10, Loss: 0.6, ValLoss: math.NaN(), ValAcc: math.NaN(), WallS: 50, LR: 3e-4},
		{Step: 20, Loss: 0.5, ValLoss: 0.4, ValAcc: 0.8, WallS: 100, LR: 3e-4}}
	if err := writeLog(filepath.Join(dir, LogFile), log); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		sessions []Session
		want     string
		steps    int
	}{
		{"no sessions", nil, "trained 20 steps in 0.0 hours", 20},
		{"stopped after the last line", []Session{{StartStep: 0, EndStep: 12, Seconds: 3600}, {StartStep: 12, EndStep: 27, Seconds: 5400}},
			"trained 27 steps in 2.5 hours", 27},
		{"sessions from a later resume only", []Session{{StartStep: 15, EndStep: 27, Seconds: 3600}}, "trained 20 steps in 0.0 hours", 20},
		{"a gap between sessions", []Session{{StartStep: 0, EndStep: 12, Seconds: 3600}, {StartStep: 14, EndStep: 27, Seconds: 3600}},
			"trained 20 steps in 0.0 hours", 20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			os.Remove(filepath.Join(dir, SessionsFile))
			if tc.sessions != nil {
				if err := writeSessions(dir, tc.sessions); err != nil {
					t.Fatal(err)
				}
			}
			if err := WriteCard(dir, tiny(LinearPrior), "test tasks", nil, "test backend"); err != nil {
				t.Fatal(err)
			}
			card, err := os.ReadFile(filepath.Join(dir, CardFile))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(card), tc.want) {
				t.Errorf("card does not say %q:\n%s", tc.want, card)
			}
			desc, err := Describe(tiny(LinearPrior), dir)
			if want := fmt.Sprintf("mi-3d (post-LN), %d steps", tc.steps); err != nil || desc != want {
				t.Errorf("Describe = %q, %v; want %q", desc, err, want)
			}
		})
	}
}

// TestLineage checks that a run started from another run's weights records
// the runs behind them, that the card lists them with the steps of all,
// and that the record outlives the earlier runs' directories.
func TestLineage(t *testing.T) {
	base := t.TempDir()
	a, b, c := filepath.Join(base, "a"), filepath.Join(base, "b"), filepath.Join(base, "c")
	r := tiny(LinearPrior)
	if _, err := Run(context.Background(), r, Options{Dir: a, Steps: 2}); err != nil {
		t.Fatal(err)
	}
	rb := r
	rb.Init, rb.Trials = a, 12
	if _, err := Run(context.Background(), rb, Options{Dir: b, Steps: 3}); err != nil {
		t.Fatal(err)
	}
	rc := r
	rc.Init = b
	if _, err := Run(context.Background(), rc, Options{Dir: c, Steps: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(a, LineageFile)); err == nil {
		t.Error("a run from fresh weights has a lineage")
	}
	stages, err := Lineage(c)
	if err != nil {
		t.Fatal(err)
	}
	if len(stages) != 2 || stages[0].Dir != a || stages[0].Steps != 2 || stages[1].Dir != b || stages[1].Steps != 3 ||
		stages[1].Trials != 12 || stages[1].Init != a {
		t.Fatalf("lineage %+v, want a (2 steps) then b (3 steps of 12 trials)", stages)
	}
	// Without the record, the lineage is found by following the init
	// directories.
	os.Remove(filepath.Join(c, LineageFile))
	again, err := Lineage(c)
	if err != nil || !reflect.DeepEqual(again, stages) {
		t.Errorf("rebuilt lineage %+v, %v; want %+v", again, err, stages)
	}
	// The card keeps the record, so it can be rewritten without them.
	if err := WriteCard(c, rc, "test tasks", nil, "test backend"); err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(a)
	os.RemoveAll(b)
	if err := WriteCard(c, rc, "test tasks", nil, "test backend"); err != nil {
		t.Fatal(err)
	}
	card, err := os.ReadFile(filepath.Join(c, CardFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"## Curriculum", "`" + a + "`", "linear, 12 trials", "6 steps"} {
		if !strings.Contains(string(card), want) {
			t.Errorf("card does not say %q:\n%s", want, card)
		}
	}
	// An init directory that holds no run is named, its steps unknown.
	s, err := lineageOf(a)
	if err != nil || len(s) != 1 || s[0].Steps >= 0 {
		t.Errorf("lineage of a removed run %+v, %v", s, err)
	}
}
