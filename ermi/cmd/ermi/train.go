package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"

	"github.com/ermi-go/ermi/ermi/training"
)

func runTrain(args []string, stdout, stderr io.Writer) error {
	var names []string
	for _, r := range training.Recipes() {
		names = append(names, r.Name)
	}
	fs := newFlagSet("train", "ermi train -config NAME [-steps N] [-minutes M] [-out DIR] [flags]\n\n"+
		"Meta-trains one of the paper's configurations ("+strings.Join(names, ", ")+").\n"+
		"A run directory that already holds a run is resumed exactly where it stopped; Ctrl-C saves and stops.\n"+
		"Flags that change the paper's recipe are recorded in DIR/recipe.json as changes.", stderr)
	name := fs.String("config", "", "configuration name (required)")
	steps := fs.Int("steps", 1000, "total number of training steps to reach, counting earlier runs")
	minutes := fs.Float64("minutes", 0, "stop after this many minutes of this run (0: no limit)")
	out := fs.String("out", "", "run directory (default runs/CONFIG)")
	root := fs.String("root", ".", "directory the configuration's task files are relative to (the repository)")
	batch := fs.Int("batch", 0, "batch size (0: the paper's)")
	trials := fs.Int("trials", 0, "trials per synthetic task (0: the paper's, max_steps)")
	lr := fs.Float64("lr", 0, "Adam learning rate (0: the paper's 3e-4)")
	warmup := fs.Int("warmup", 0, "linear learning-rate warm-up steps (0: none, as the paper)")
	normFirst := fs.Bool("norm-first", false, "pre-LayerNorm decoder layers instead of the paper's post-LN")
	resample := fs.Bool("resample", false, "resample each LLM task with replacement to max_steps trials (the paper's --sample-to-match-max-steps, which its 4-D and 6-D ERMI runs use)")
	seed := fs.Uint64("seed", 1, "seed of the initial weights, task pools and batches")
	initDir := fs.String("init", "", "start from the trained weights of this run directory (fine-tuning; same network but for max_steps, or on fewer features: the new features' embedding weights are fresh)")
	logEvery := fs.Int("log-every", 10, "print and log every N steps")
	evalEvery := fs.Int("eval-every", 100, "validate every N steps")
	saveEvery := fs.Int("save-every", 100, "checkpoint every N steps")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *name == "" || fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	r, err := training.Lookup(*name)
	if err != nil {
		return err
	}
	change := func(format string, a ...any) { r.Changes = append(r.Changes, fmt.Sprintf(format, a...)) }
	if *batch > 0 && *batch != r.Batch.BatchSize {
		change("batch %d instead of %d (compute)", *batch, r.Batch.BatchSize)
		r.Batch.BatchSize = *batch
	}
	if *trials > 0 && *trials != r.Trials {
		change("%d trials per task instead of %d (compute)", *trials, r.Trials)
		r.Trials = *trials
	}
	if *lr > 0 && *lr != r.LR {
		change("learning rate %g instead of %g", *lr, r.LR)
		r.LR = *lr
	}
	if *warmup > 0 {
		change("linear warm-up over %d steps (the paper has none)", *warmup)
		r.WarmupSteps = *warmup
	}
	if *normFirst {
		change("pre-LayerNorm decoder layers (the paper's are post-LN): a different model, named apart")
		r.Model.NormFirst = true
	}
	if *resample && !r.Batch.SampleToMaxSteps {
		if r.Source != training.LLMTasks {
			return fmt.Errorf("train: -resample applies to LLM tasks; %s draws its tasks from a prior (use -trials)", r.Name)
		}
		change("each LLM task resampled with replacement to %d trials (the paper's --sample-to-match-max-steps, as its 4-D and 6-D runs), so that every position up to max_steps is trained", r.Batch.MaxSteps)
		r.Batch.SampleToMaxSteps = true
	}
	if *initDir != "" {
		if from, _, err := training.LoadRun(*initDir); err == nil && from.Model.Dims < r.Model.Dims {
			change("initialised from the trained weights of %s, a network on %d features (a curriculum over features: the embedding weights of features %d and up are fresh), not from fresh weights", *initDir, from.Model.Dims, from.Model.Dims+1)
		} else {
			change("initialised from the trained weights of %s (a curriculum), not from fresh weights", *initDir)
		}
		r.Init = *initDir
	}
	if *seed != r.Seed {
		r.Seed = *seed
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join("runs", r.Name)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	log, err := training.Run(ctx, r, training.Options{Dir: dir, Root: *root, Steps: *steps, Minutes: *minutes,
		LogEvery: *logEvery, EvalEvery: *evalEvery, SaveEvery: *saveEvery, Progress: stderr})
	if err != nil {
		return err
	}
	if n := len(log); n > 0 {
		last := log[n-1]
		fmt.Fprintf(stdout, "%s: step %d, loss %.4f, validation accuracy %s, %.0f s of training; saved in %s\n",
			r.Name, last.Step, last.Loss, training.LastValidation(log), last.WallS, dir)
	}
	return nil
}
