package fit

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ermi-go/ermi/ermi/human"
	"github.com/ermi-go/ermi/ermi/metalearner"
)

// smallStudy returns the first n participants of the shipped Badham data.
func smallStudy(t *testing.T, n int) *human.Study {
	t.Helper()
	st, err := human.Load(human.Badham2017, filepath.Join("..", "..", human.DefaultPath(human.Badham2017)))
	if err != nil {
		t.Fatal(err)
	}
	st.Participants = st.Participants[:n]
	return st
}

func TestRunResumes(t *testing.T) {
	st := smallStudy(t, 4)
	dir := t.TempDir()
	var progress bytes.Buffer
	job := Job{Study: st, Models: []string{"Rule", "LLM", "ERMI"}, Checkpoints: map[string]string{"ERMI": filepath.Join(dir, "nothing")},
		Options: Options{Starts: 1, Seed: 1}, Dir: dir, Progress: &progress}
	rep, err := Run(context.Background(), job)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Results) != 4 || !strings.Contains(rep.NotRun["LLM"], "LLM provider") || !strings.Contains(rep.NotRun["ERMI"], "no trained checkpoint") {
		t.Fatalf("%d results, not run %v", len(rep.Results), rep.NotRun)
	}
	// Adding a model resumes: the Rule fits are read back, not redone.
	progress.Reset()
	job.Models = []string{"Rule", "Rulex"}
	rep2, err := Run(context.Background(), job)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(progress.String(), "Rule: all 4 participants already fitted") {
		t.Errorf("progress %q: Rule was fitted again", progress.String())
	}
	if len(rep2.Results) != 8 || rep2.Results[0].NLL != rep.Results[0].NLL {
		t.Errorf("%d results; first NLL %v, before %v", len(rep2.Results), rep2.Results[0].NLL, rep.Results[0].NLL)
	}
	f, err := os.Open(filepath.Join(dir, SummaryFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || strings.Join(rows[0][:7], ",") != "model,mean_nll,mean_bic,sum_bic,pseudo_r2,frequency,exceedance" {
		t.Errorf("summary.csv: %v", rows)
	}
	// Other settings in the same directory are refused.
	job.Options.Seed = 2
	if _, err := Run(context.Background(), job); !errors.Is(err, ErrOtherJob) || !strings.Contains(err.Error(), "other settings") {
		t.Errorf("error %v, want ErrOtherJob about other settings", err)
	}
	// A damaged results file is named.
	job.Options.Seed = 1
	os.WriteFile(filepath.Join(dir, ResultsFile), []byte("[{\"study\": "), 0o644)
	if _, err := Run(context.Background(), job); err == nil || !strings.Contains(err.Error(), ResultsFile) {
		t.Errorf("error %v, want one naming %s", err, ResultsFile)
	}
}

func TestOpenJobOtherCheckpoint(t *testing.T) {
	dir := t.TempDir()
	base := jobSettings{Study: human.Badham2017, Draws: 8, Seed: 1, Starts: 5}
	with := func(ckpt, network string) jobSettings {
		s := base
		s.Checkpoints, s.Networks = map[string]string{"MI": ckpt}, map[string]string{"MI": network}
		return s
	}
	if _, err := openJob(dir, with("models/mi-3d", "post-LN, 100 steps")); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		s    jobSettings
		ok   bool
	}{
		{"same checkpoint", with("models/mi-3d", "post-LN, 100 steps"), true},
		{"no meta-learner", base, true},
		{"another directory", with("models/mi-3d-preln", "pre-LN, 100 steps"), false},
		{"the same directory retrained", with("models/mi-3d", "post-LN, 200 steps"), false},
	} {
		_, err := openJob(dir, tt.s)
		if tt.ok != (err == nil) || !tt.ok && (!errors.Is(err, ErrOtherJob) || !strings.Contains(err.Error(), "MI fits of models/mi-3d")) {
			t.Errorf("%s: error %v", tt.name, err)
		}
	}
}

func TestRunRefuses(t *testing.T) {
	st := smallStudy(t, 2)
	tests := []struct {
		name   string
		models []string
		want   string
	}{
		{"unknown", []string{"Rule", "SUSTAIN"}, `unknown model "SUSTAIN"`},
		{"nothing to fit", []string{"LLM"}, "none of the requested models"},
	}
	for _, tt := range tests {
		_, err := Run(context.Background(), Job{Study: st, Models: tt.models, Dir: t.TempDir()})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestMetaLogits(t *testing.T) {
	st := smallStudy(t, 3)
	net, err := metalearner.New(metalearner.PaperConfig(3, 100), 1)
	if err != nil {
		t.Fatal(err)
	}
	data, err := MetaLogits(net, st, 2, 9)
	if err != nil {
		t.Fatal(err)
	}
	for i, d := range data {
		p := st.Participants[i]
		if d.Participant != p.ID || len(d.Logits) != 2 || len(d.Logits[0]) != p.Trials() || len(d.Choices[1]) != p.Trials() {
			t.Fatalf("participant %d: %d draws of %d logits", p.ID, len(d.Logits), len(d.Logits[0]))
		}
		// Each condition's choices are the person's, or all flipped.
		off := 0
		for _, s := range p.Sequences {
			for k := range 2 {
				same, flipped := true, true
				for t := range s.Len() {
					c := d.Choices[k][off+t]
					same = same && c == s.Choice[t]
					flipped = flipped && c == 1-s.Choice[t]
				}
				if !same && !flipped {
					t.Errorf("participant %d, condition %d, draw %d: choices neither kept nor flipped", p.ID, s.Condition, k)
				}
			}
			off += s.Len()
		}
		// The fitted β is the best on a grid.
		r, err := Meta("MI", st, &d, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for b := 0.0; b <= 1; b += 0.01 {
			if v := d.BetaNLL(b); v < r.NLL-1e-9 {
				t.Errorf("participant %d: NLL %v at β = %.2f below the fit's %v at β = %v", p.ID, v, b, r.NLL, *r.Beta)
			}
		}
	}
	// A network too short for the study's conditions is refused.
	short, _ := metalearner.New(metalearner.PaperConfig(3, 50), 1)
	if _, err := MetaLogits(short, st, 1, 1); err == nil || !strings.Contains(err.Error(), "at most 50") {
		t.Errorf("error %v", err)
	}
}

func TestBetaOnBound(t *testing.T) {
	// Choices far more deterministic than the logits say: β would be above
	// 1, and the paper's bounds keep it at 1.
	rng := rand.New(rand.NewPCG(1, 1))
	d := MetaData{Participant: 1, Trials: 500, Logits: [][]float32{{}}, Choices: [][]int{{}}}
	for range 500 {
		z := rng.NormFloat64()
		c := 0
		if rng.Float64() < 1/(1+math.Exp(-5*z)) {
			c = 1
		}
		d.Logits[0] = append(d.Logits[0], float32(z))
		d.Choices[0] = append(d.Choices[0], c)
	}
	r, err := Meta("ERMI", &human.Study{Name: human.Badham2017, BICTrials: 384}, &d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if *r.Beta != 1 {
		t.Errorf("β = %v, want the bound 1", *r.Beta)
	}
}

func TestDefaultCheckpoint(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"ermi-3d", "mi-4d", "mi-4d-preln"} {
		os.MkdirAll(filepath.Join(root, "datasets", "models", d), 0o755)
	}
	os.WriteFile(filepath.Join(root, "datasets", "models", "ermi-3d", "weights.ckpt"), []byte("x"), 0o644)
	for _, c := range []struct {
		model string
		dims  int
		want  string
	}{
		{"ERMI", 3, "ermi-3d"},     // the paper's network is shipped
		{"MI", 4, "mi-4d-preln"},   // a folder without weights is not a checkpoint
		{"PFN", 6, "pfn-6d-preln"}, // neither shipped: the pre-LN name, which fit reports as not run
	} {
		if got := DefaultCheckpoint(root, c.model, c.dims); got != filepath.Join(root, "datasets", "models", c.want) {
			t.Errorf("DefaultCheckpoint(%s, %d) = %s, want …/%s", c.model, c.dims, got, c.want)
		}
	}
}
