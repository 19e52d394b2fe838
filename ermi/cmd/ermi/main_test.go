package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestPriorsThenTasksInfo(t *testing.T) {
	dir := t.TempDir()
	for _, prior := range []string{"linear", "mlp", "rmc"} {
		path := filepath.Join(dir, prior+".csv")
		code, out, errs := runCLI("priors", "-prior", prior, "-dims", "4", "-tasks", "30", "-trials", "50", "-seed", "7", "-batch", "8", "-out", path)
		if code != 0 {
			t.Fatalf("priors %s: exit %d: %s", prior, code, errs)
		}
		if !strings.Contains(out, "wrote 30 "+prior+" tasks × 50 trials × 4 features (seed 7)") {
			t.Errorf("priors output: %q", out)
		}
		code, out, errs = runCLI("tasks", "info", "-strict", "-max-steps", "50", path)
		if code != 0 {
			t.Fatalf("tasks info %s: exit %d: %s", prior, code, errs)
		}
		for _, want := range []string{"tasks 30, rows 1500, features per trial 4", "min 50, median 50, max 50"} {
			if !strings.Contains(out, want) {
				t.Errorf("tasks info on %s lacks %q:\n%s", prior, want, out)
			}
		}
	}
	// The same seed writes the same file.
	a, _ := os.ReadFile(filepath.Join(dir, "mlp.csv"))
	again := filepath.Join(dir, "again.csv")
	runCLI("priors", "-prior", "mlp", "-dims", "4", "-tasks", "30", "-trials", "50", "-seed", "7", "-batch", "8", "-out", again)
	b, _ := os.ReadFile(again)
	if !bytes.Equal(a, b) {
		t.Error("same seed, different file")
	}
}

func TestCLIErrors(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte("input,target,trial_id,task_id\n\"[1, x]\",A,0,0\n"), 0o644)
	tests := []struct {
		args     []string
		code     int
		inStderr string
	}{
		{nil, 2, "Usage: ermi COMMAND"},
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{[]string{"tasks"}, 2, "Usage: ermi tasks info"},
		{[]string{"tasks", "info"}, 2, "Usage: ermi tasks info"},
		{[]string{"tasks", "info", "-h"}, 0, "-max-steps"},
		{[]string{"tasks", "info", "no/such.csv"}, 1, "no/such.csv"},
		{[]string{"tasks", "info", "-strict", bad}, 1, "bad.csv:2: field input: item 1: \"x\" is not a number"},
		{[]string{"priors", "-prior", "gp", "-out", "x.csv"}, 1, `unknown prior "gp"`},
		{[]string{"priors"}, 2, "-out"},
		{[]string{"priors", "-h"}, 0, "PFN prior"},
		{[]string{"priors", "-tasks", "0", "-out", "x.csv"}, 1, "at least 1"},
		{[]string{"priors", "-nope"}, 2, "flag provided but not defined"},
	}
	for _, tc := range tests {
		code, _, errs := runCLI(tc.args...)
		if code != tc.code || !strings.Contains(errs, tc.inStderr) {
			t.Errorf("ermi %v: exit %d, stderr %q; want exit %d and %q", tc.args, code, errs, tc.code, tc.inStderr)
		}
	}
}

func TestTrainCommandResumes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	args := []string{"train", "-config", "mi-3d", "-trials", "12", "-batch", "4", "-out", dir, "-log-every", "1", "-eval-every", "2"}
	code, out, errs := runCLI(append(args, "-steps", "2")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "mi-3d: step 2") || !strings.Contains(errs, "step 2/2") {
		t.Errorf("stdout %q stderr %q", out, errs)
	}
	code, out, errs = runCLI(append(args, "-steps", "3")...)
	if code != 0 || !strings.Contains(errs, "resuming at step 2") || !strings.Contains(out, "step 3") {
		t.Errorf("resume: exit %d, %q %q", code, out, errs)
	}
	recipe, _ := os.ReadFile(filepath.Join(dir, "recipe.json"))
	if !strings.Contains(string(recipe), "12 trials per task instead of 400") {
		t.Errorf("recipe.json does not record the change:\n%s", recipe)
	}
	code, out, errs = runCLI("eval", "-model", dir, "-n", "10", "-card")
	if code != 0 || !strings.Contains(out, "mi-3d on 10 fresh linear-prior tasks of 12 trials") || !strings.Contains(out, "trials 11-12 model ") {
		t.Errorf("eval: exit %d, %q %q", code, out, errs)
	}
	cardText, err := os.ReadFile(filepath.Join(dir, "MODEL.md"))
	if err != nil || !strings.Contains(string(cardText), "trained 3 steps") || !strings.Contains(string(cardText), "12 trials per task instead of 400") || !strings.Contains(string(cardText), "| 11–12 |") {
		t.Errorf("MODEL.md: %v\n%s", err, cardText)
	}
	if code, _, errs := runCLI("train", "-config", "mi-9d"); code != 1 || !strings.Contains(errs, "unknown configuration") {
		t.Errorf("unknown config: exit %d %q", code, errs)
	}
}

func TestTrainResample(t *testing.T) {
	if code, _, errs := runCLI("train", "-config", "mi-3d", "-resample", "-out", t.TempDir()); code != 1 || !strings.Contains(errs, "-resample applies to LLM tasks") {
		t.Errorf("-resample on a prior: exit %d %q", code, errs)
	}
	dir := filepath.Join(t.TempDir(), "run")
	code, _, errs := runCLI("train", "-config", "ermi-3d", "-resample", "-root", "../../..", "-batch", "2", "-steps", "1", "-out", dir, "-eval-every", "1000")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	recipe, _ := os.ReadFile(filepath.Join(dir, "recipe.json"))
	if !strings.Contains(string(recipe), `"SampleToMaxSteps": true`) || !strings.Contains(string(recipe), "resampled with replacement to 250 trials") {
		t.Errorf("recipe.json does not record the resampling:\n%s", recipe)
	}
}

func TestParseCommand(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.txt")
	b := filepath.Join(dir, "b.txt")
	os.WriteFile(a, []byte("1: 3.5, 2, 10, 0.4, rock\n2: 1, 1, 1, 1, pop\n3: x, 1, 1, 1, pop\n"), 0o644)
	os.WriteFile(b, []byte("I'm sorry, I cannot do that."), 0o644)
	out := filepath.Join(dir, "tasks.csv")
	code, stdout, errs := runCLI("parse", "-dims", "4", "-categories", "rock,pop", "-out", out, a, b)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"answers: 2; parsed 1; refusal 1", "rows kept: 2", "rows dropped: 1 (row-like line", "wrote 1 tasks"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	code, info, _ := runCLI("tasks", "info", "-strict", out)
	if code != 0 || !strings.Contains(info, "tasks 1, rows 2, features per trial 4") {
		t.Errorf("tasks info on parsed file: %d %s", code, info)
	}
}

// fakeLLM answers chat completions: a label list for label prompts, a
// numbered data table for data prompts.
func fakeLLM(t *testing.T) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Messages []struct{ Content string } `json:"messages"`
		}
		json.NewDecoder(r.Body).Decode(&req)
		text := "1. hue, shape, size, texture, fruits, vegetables\n2. length, width, height, weight, cars, trucks\n3. a, b, c\n"
		if strings.Contains(req.Messages[0].Content, "list of stimuli") {
			text = "1: 1.5, 2, 3, 4, cars\n2: 0.5, 1, 2, 2, trucks\n3: 2, 2, 3, 5, cars\n"
		}
		json.NewEncoder(w).Encode(map[string]any{"choices": []any{map[string]any{"message": map[string]string{"content": text}, "finish_reason": "stop"}}})
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestGenerateAgainstLocalServer(t *testing.T) {
	url := fakeLLM(t)
	dir := t.TempDir()
	provider := []string{"-api", "openai", "-base-url", url, "-model", "fake"}
	code, out, errs := runCLI(append([]string{"generate", "labels", "-dims", "4", "-n", "3", "-out", filepath.Join(dir, "labels")}, provider...)...)
	if code != 0 || !strings.Contains(out, "label sets kept: 2 from 3 answers; rows dropped (not 4 features + 2 categories): 3; duplicates: 4") {
		t.Fatalf("labels: exit %d\n%s\n%s", code, out, errs)
	}
	labels := filepath.Join(dir, "labels", "labels.csv")
	data := filepath.Join(dir, "data")
	args := append([]string{"generate", "data", "-dims", "4", "-labels", labels, "-n", "2", "-out", data}, provider...)
	code, out, errs = runCLI(args...)
	if code != 0 || !strings.Contains(out, "answers: 2; parsed 2") || !strings.Contains(out, "rows kept: 6") || !strings.Contains(out, "wrote 2 tasks") {
		t.Fatalf("data: exit %d\n%s\n%s", code, out, errs)
	}
	if code, _, errs := runCLI(args...); code != 1 || !strings.Contains(errs, "-resume") {
		t.Errorf("second run without -resume: exit %d %q", code, errs)
	}
	code, out, errs = runCLI(append(args, "-resume")...)
	if code != 0 || !strings.Contains(out, "wrote 2 tasks") {
		t.Errorf("resume: exit %d %q %q", code, out, errs)
	}
	code, out, errs = runCLI(append([]string{"generate", "data", "-dims", "4", "-labels", labels, "-n", "2", "-stage1", data, "-out", filepath.Join(dir, "stage2")}, provider...)...)
	// Each stage-2 answer is the new table (3 rows), then the last two thirds
	// of the old 66-character one: exactly its rows 2 and 3.
	if code != 0 || !strings.Contains(out, "answers: 2; parsed 2") || !strings.Contains(out, "rows kept: 10\n") || !strings.Contains(out, "wrote 2 tasks") {
		t.Errorf("stage 2: exit %d\n%s\n%s", code, out, errs)
	}
	code, info, _ := runCLI("tasks", "info", "-strict", filepath.Join(data, "tasks.csv"))
	if code != 0 || !strings.Contains(info, "tasks 2, rows 6, features per trial 4") {
		t.Errorf("tasks info: %s", info)
	}
	code, out, _ = runCLI("generate", "data", "-dims", "6", "-api", "", "-root", "../../..")
	if code != 0 || !strings.Contains(out, "No LLM provider is set") || !strings.Contains(out, "tasks 217") {
		t.Errorf("offline: exit %d\n%s", code, out)
	}
}

func TestStatsCommand(t *testing.T) {
	out := filepath.Join(t.TempDir(), "report.json")
	llama := "../../../datasets/tasks/llama3/llama-3_generated_categorisationtasks_paramsNA_dim4_data100_tasks1000_run0_procid0_pversion5.csv"
	code, stdout, errs := runCLI("stats", "-real", "", "-tasks", "12", "-trials", "100", "-out", out, llama)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"prior: linear", "prior: mlp", "pversion5.csv", "acc@50", "wrote "} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	raw, err := os.ReadFile(out)
	if err != nil || !strings.Contains(string(raw), "\"p_linear\"") {
		t.Errorf("report: %v", err)
	}
}

func TestFitAndSimulateCommands(t *testing.T) {
	tmp := t.TempDir()
	run := filepath.Join(tmp, "run")
	if code, _, errs := runCLI("train", "-config", "mi-3d", "-trials", "12", "-batch", "4", "-steps", "1", "-out", run); code != 0 {
		t.Fatalf("train: exit %d: %s", code, errs)
	}
	root := filepath.Join("..", "..", "..")
	out := filepath.Join(tmp, "fit")
	code, stdout, errs := runCLI("fit", "-study", "badham2017", "-root", root, "-models", "MI,Rule,LLM", "-checkpoint", "MI="+run, "-draws", "1", "-out", out)
	if code != 0 {
		t.Fatalf("fit: exit %d: %s", code, errs)
	}
	for _, want := range []string{"badham2017: 95 participants", "MI: mi-3d (post-LN), 1 steps", "LLM: not run"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("fit output lacks %q:\n%s", want, stdout)
		}
	}
	if !strings.Contains(errs, "Rule: participant") {
		t.Errorf("no progress lines: %q", errs)
	}
	for _, f := range []string{"summary.csv", "participants.csv", "results.json", "job.json"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
	code, stdout, errs = runCLI("simulate", "shepard", "-model", run, "-root", root, "-blocks", "2", "-sequences", "8", "-out", tmp)
	if code != 0 || !strings.Contains(stdout, "beta ") || !strings.Contains(stdout, "\nverdict: ") {
		t.Errorf("simulate shepard: exit %d: %s %s", code, stdout, errs)
	}
	if code, _, errs := runCLI("simulate", "strategy", "-model", run, "-root", root, "-out", tmp); code != 1 || !strings.Contains(errs, "-fits") {
		t.Errorf("strategy without fits: exit %d: %s", code, errs)
	}
	if code, _, errs := runCLI("simulate", "transfer", "-model", run, "-root", root, "-out", tmp); code != 1 || !strings.Contains(errs, "3 features") {
		t.Errorf("transfer on a 3-D model: exit %d: %s", code, errs)
	}
	if code, _, errs := runCLI("simulate", "bounce", "-model", run, "-out", tmp); code != 1 || !strings.Contains(errs, "unknown effect") {
		t.Errorf("unknown effect: exit %d: %s", code, errs)
	}
	if code, _, errs := runCLI("fit", "-study", "nosofsky", "-out", tmp); code != 1 || !strings.Contains(errs, "unknown study") {
		t.Errorf("unknown study: exit %d: %s", code, errs)
	}
}

func TestOpenMLCommand(t *testing.T) {
	tmp := t.TempDir()
	root := filepath.Join("..", "..", "..")
	run := filepath.Join(tmp, "run")
	if code, _, errs := runCLI("train", "-config", "mi-4d", "-trials", "12", "-batch", "4", "-steps", "1", "-out", run); code != 0 {
		t.Fatalf("train: exit %d: %s", code, errs)
	}
	out := filepath.Join(tmp, "bench")
	code, stdout, errs := runCLI("openml", "-root", root, "-datasets", "diabetes,31", "-splits", "2", "-models", "MI,LR,SVM,XGB",
		"-checkpoint", "MI="+run, "-q", "-out", out)
	if code != 0 {
		t.Fatalf("openml: exit %d: %s", code, errs)
	}
	for _, want := range []string{"2 data sets, 2 sets each", "TabPFN", "reported, not rerun", "\nSVM "} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	raw, err := os.ReadFile(filepath.Join(out, "datasets.csv"))
	if err != nil || !strings.HasPrefix(string(raw), "task_id,dataset,MI,LR,SVM,XGB,TabPFN,paper_ERMI") || !strings.Contains(string(raw), "\n37,diabetes,") {
		t.Errorf("datasets.csv: %v\n%s", err, raw)
	}
	summary, err := os.ReadFile(filepath.Join(out, "summary.csv"))
	if err != nil || !strings.HasPrefix(string(summary), "model,mean_accuracy,sem,mean_rank,mean_auc") {
		t.Errorf("summary.csv: %v\n%s", err, summary)
	}
	// A user's own CSV, and bad requests.
	own := filepath.Join(tmp, "own.csv")
	var b strings.Builder
	b.WriteString("a,b,label\n")
	for i := range 120 {
		fmt.Fprintf(&b, "%d,%d,%s\n", i%7, i%5, map[bool]string{true: "yes", false: "no"}[i%2 == 0])
	}
	os.WriteFile(own, []byte(b.String()), 0o644)
	if code, stdout, errs := runCLI("openml", "-csv", own, "-target", "label", "-models", "LR", "-splits", "2", "-q", "-out", filepath.Join(tmp, "own")); code != 0 || !strings.Contains(stdout, "1 data sets") {
		t.Errorf("own CSV: exit %d: %s %s", code, stdout, errs)
	}
	if code, _, errs := runCLI("openml", "-csv", own, "-target", "class", "-models", "LR", "-out", tmp); code != 1 || !strings.Contains(errs, "class") {
		t.Errorf("missing target column: exit %d: %s", code, errs)
	}
	if code, _, errs := runCLI("openml", "-root", root, "-datasets", "iris", "-models", "LR", "-out", tmp); code != 1 || !strings.Contains(errs, `"iris"`) {
		t.Errorf("unknown data set: exit %d: %s", code, errs)
	}
	if code, _, errs := runCLI("openml", "-models", "GCM", "-out", tmp); code != 1 || !strings.Contains(errs, "unknown model") {
		t.Errorf("unknown model: exit %d: %s", code, errs)
	}
}
