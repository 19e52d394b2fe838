package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/ermi-go/ermi/ermi/atomicfile"
	"github.com/ermi-go/ermi/ermi/llm"
	"github.com/ermi-go/ermi/ermi/tasks"
)

// shippedLLMTasks are the LLM-generated task files in datasets/, by dimension.
var shippedLLMTasks = map[int][]string{
	3: {"datasets/tasks/claude2-pilot/claude_generated_tasks_paramsNA_dim3_data100_tasks1000.csv",
		"datasets/tasks/claude2-pilot/claude_generated_tasks_paramsNA_dim3_data100_tasks1000_pversion3.csv"},
	4: {"datasets/tasks/llama3/llama-3_generated_categorisationtasks_paramsNA_dim4_data100_tasks1000_run0_procid0_pversion5.csv"},
	6: {"datasets/tasks/llama3/llama-3_generated_categorisationtasks_paramsNA_dim6_data100_tasks1000_run0_procid0_pversion5.csv"},
}

func runGenerate(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "labels" && args[0] != "data") {
		fmt.Fprintln(stderr, "Usage: ermi generate labels|data [flags]   (ermi generate data -h for the flags)")
		if len(args) > 0 && (args[0] == "-h" || args[0] == "-help") {
			return nil
		}
		return errUsage
	}
	step := args[0]
	fs := newFlagSet("generate "+step, "ermi generate "+step+" -dims D -out DIR [-labels FILE -n N] [-resume] [provider flags]\n\n"+
		"Step 1 (labels): asks the LLM for feature and category names, 250 experiments a call, and pools the rows\n"+
		"with exactly D features and 2 categories into DIR/labels.csv. Step 2 (data): one call per label set with\n"+
		"the paper's data prompt (v4 for 3-D, v5 for 4-D/6-D), answers parsed into DIR/tasks.csv with a parse report.\n"+
		"Every answer is stored in DIR/answers.jsonl as it arrives; -resume continues a stopped run.\n"+
		"The provider comes from -api/-base-url/-model or ERMI_LLM_API/ERMI_LLM_BASE_URL/ERMI_LLM_MODEL; the key from\n"+
		"ANTHROPIC_API_KEY or OPENAI_API_KEY only. Without a provider it shows the pipeline on the shipped LLM tasks.", stderr)
	dims := fs.Int("dims", 3, "features per stimulus: 3, 4 or 6")
	out := fs.String("out", "", "output directory (required with a provider)")
	labels := fs.String("labels", "", "data: pooled task-label file (the paper's format)")
	n := fs.Int("n", 10, "data: number of label sets to generate tasks for; labels: number of calls")
	resume := fs.Bool("resume", false, "continue the run stored in DIR")
	api := fs.String("api", os.Getenv("ERMI_LLM_API"), "provider API: anthropic or openai (also Ollama, llama.cpp, vLLM; env ERMI_LLM_API)")
	base := fs.String("base-url", os.Getenv("ERMI_LLM_BASE_URL"), "API base URL (env ERMI_LLM_BASE_URL)")
	model := fs.String("model", os.Getenv("ERMI_LLM_MODEL"), "model name (env ERMI_LLM_MODEL)")
	temp := fs.Float64("temperature", envFloat("ERMI_LLM_TEMPERATURE", 1.0), "sampling temperature (the paper: 1.0; env ERMI_LLM_TEMPERATURE)")
	maxTokens := fs.Int("max-tokens", int(envFloat("ERMI_LLM_MAX_TOKENS", 0)), "answer length limit (0: the paper's: 10,000 labels, 4,000 3-D data, 100,000 4-D/6-D data; env ERMI_LLM_MAX_TOKENS)")
	workers := fs.Int("workers", 4, "requests at a time")
	root := fs.String("root", ".", "repository root, where the shipped tasks are")
	stage1 := fs.String("stage1", "", "data: run the paper's stage 2 on the answers of this stage-1 run directory")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if *api == "" {
		fmt.Fprintf(stdout, "No LLM provider is set (-api anthropic|openai, or ERMI_LLM_API), and none is reachable from this machine.\n"+
			"Showing the pipeline's output on the LLM-generated %d-D tasks the project ships instead:\n\n", *dims)
		files := shippedLLMTasks[*dims]
		if files == nil {
			return fmt.Errorf("no shipped LLM tasks with %d features", *dims)
		}
		for _, f := range files {
			s, err := tasks.Summarize(filepath.Join(*root, f), tasks.ReadOptions{Dims: *dims, SkipBadRows: true}, 0)
			if err != nil {
				return err
			}
			s.Format(stdout)
		}
		return nil
	}
	if *out == "" || fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	answers := filepath.Join(*out, "answers.jsonl")
	if _, err := os.Stat(answers); err == nil && !*resume {
		return fmt.Errorf("%s already holds answers: add -resume to continue that run, or choose another -out", *out)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	cfg := llm.Config{API: *api, BaseURL: *base, Model: *model, Temperature: *temp, MaxTokens: *maxTokens,
		APIKey: llm.KeyFromEnv(*api, os.Getenv)}
	if cfg.MaxTokens == 0 {
		cfg.MaxTokens = map[bool]int{true: 4000, false: 100000}[*dims == 3]
		if step == "labels" {
			cfg.MaxTokens = 10000
		}
	}
	p, err := llm.NewProvider(cfg)
	if err != nil {
		return err
	}
	var jobs []llm.Job
	var sets []llm.LabelSet
	if step == "labels" {
		prompt, err := llm.LabelPrompt(*dims, 250)
		if err != nil {
			return err
		}
		for i := range *n {
			jobs = append(jobs, llm.Job{ID: i, Prompt: prompt})
		}
	} else {
		if *labels == "" {
			return errors.New("generate data needs -labels FILE (a pooled task-label file)")
		}
		if sets, err = llm.ReadLabelSets(*labels, *dims); err != nil {
			return err
		}
		sets = sets[:min(*n, len(sets))]
		version := map[bool]int{true: 4, false: 5}[*dims == 3]
		var first map[int]string
		if *stage1 != "" {
			if first, err = parsableAnswers(filepath.Join(*stage1, "answers.jsonl"), *dims, version); err != nil {
				return err
			}
		}
		for _, s := range sets {
			prompt, err := llm.DataPrompt(version, s.Features, s.Categories)
			if err != nil {
				return err
			}
			if first != nil {
				text, ok := first[s.ID]
				if !ok {
					continue // stage 2 only continues stage-1 answers that parsed
				}
				prompt = llm.Stage2Prompt(prompt, text)
			}
			jobs = append(jobs, llm.Job{ID: s.ID, Prompt: prompt})
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	st, err := llm.Run(ctx, p, jobs, answers, *workers, stderr)
	for _, e := range st.Errors {
		fmt.Fprintln(stderr, "failed:", e)
	}
	if err != nil {
		return err
	}
	recs, err := llm.ReadRecords(answers)
	if err != nil {
		return err
	}
	if step == "labels" {
		return poolLabels(recs, *dims, filepath.Join(*out, "labels.csv"), stdout)
	}
	if *stage1 != "" {
		first, err := parsableAnswers(filepath.Join(*stage1, "answers.jsonl"), *dims, map[bool]int{true: 4, false: 5}[*dims == 3])
		if err != nil {
			return err
		}
		for i := range recs {
			recs[i].Text = llm.Stage2Answer(recs[i].Text, first[recs[i].ID])
		}
	}
	return parseAnswers(recs, sets, *dims, filepath.Join(*out, "tasks.csv"), stdout)
}

// parsableAnswers returns the stage-1 answers that parse, by label-set id.
func parsableAnswers(path string, dims, version int) (map[int]string, error) {
	recs, err := llm.ReadRecords(path)
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("%s: no stage-1 answers", path)
	}
	out := map[int]string{}
	for _, r := range recs {
		res, err := llm.ParseData(r.Text, dims, version)
		if err != nil {
			return nil, err
		}
		if res.Outcome == llm.Parsed {
			out[r.ID] = r.Text
		}
	}
	return out, nil
}

// envFloat returns the number in the environment variable name, or def when
// it is unset or not a number.
func envFloat(name string, def float64) float64 {
	if v, err := strconv.ParseFloat(os.Getenv(name), 64); err == nil {
		return v
	}
	return def
}

// poolLabels parses label answers, keeps distinct rows of dims features and
// two categories, and writes them in the paper's pooled format.
func poolLabels(recs []llm.Record, dims int, path string, stdout io.Writer) error {
	seen := map[string]bool{}
	var rows [][]string
	dropped, dups := 0, 0
	for _, r := range recs {
		sets, d := llm.ParseLabels(r.Text, dims)
		dropped += d
		for _, s := range sets {
			key := strings.ToLower(strings.Join(s.Features, ",") + "|" + s.Categories[0] + "," + s.Categories[1])
			if seen[key] {
				dups++
				continue
			}
			seen[key] = true
			rows = append(rows, []string{fmt.Sprint(len(rows)), pyList(s.Features), pyList(s.Categories[:]), fmt.Sprint(len(rows))})
		}
	}
	err := atomicfile.Write(path, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.Write([]string{"", "feature_names", "category_names", "task_id"})
		cw.WriteAll(rows)
		return cw.Error()
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "label sets kept: %d from %d answers; rows dropped (not %d features + 2 categories): %d; duplicates: %d\nwrote %s\n",
		len(rows), len(recs), dims, dropped, dups, path)
	return nil
}

func pyList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = "'" + n + "'"
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// parseAnswers parses data answers into tasks, one per answered label set,
// with task ids the label sets' ids.
func parseAnswers(recs []llm.Record, sets []llm.LabelSet, dims int, path string, stdout io.Writer) error {
	byID := map[int]llm.LabelSet{}
	for _, s := range sets {
		byID[s.ID] = s
	}
	version := map[bool]int{true: 4, false: 5}[dims == 3]
	var rep llm.Report
	var kept []tasks.Task
	for _, r := range recs {
		s := byID[r.ID]
		res, err := llm.ParseData(r.Text, dims, version, s.Categories[0], s.Categories[1])
		if err != nil {
			return err
		}
		res.Truncated = res.Truncated || r.Truncated
		rep.Add(res)
		if res.Outcome != llm.Parsed {
			continue
		}
		t, err := res.Task(r.ID, "llm:"+r.Provider)
		if err != nil {
			return err
		}
		t.FeatureNames = s.Features
		kept = append(kept, t)
	}
	if err := tasks.WriteFile(path, kept); err != nil {
		return err
	}
	fmt.Fprint(stdout, rep.String())
	fmt.Fprintf(stdout, "wrote %d tasks to %s\n", len(kept), path)
	return nil
}
