package main

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/ermi-go/ermi/ermi/metalearner"

	"github.com/ermi-go/ermi/ermi/training"
)

func runEval(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("eval", "ermi eval -model DIR [-tasks FILE] [-n N] [-seed S]\n\n"+
		"Prints a trained model's accuracy by trial block beside online logistic regression on the same tasks,\n"+
		"one line per block: trials 51-100 model 0.912 lr 0.958. The model chooses greedily (β = 1); logistic\n"+
		"regression (scikit-learn's default objective) is refitted before every trial and scores 0.5 until it\n"+
		"has seen both categories. Tasks: held-out ones (the test split of an LLM run's files, or fresh tasks\n"+
		"of a prior run's prior), or those of FILE.", stderr)
	dir := fs.String("model", "", "run directory holding recipe.json and weights.ckpt (required)")
	file := fs.String("tasks", "", "task CSV file to evaluate on (default: held-out tasks of the run)")
	n := fs.Int("n", 200, "number of fresh tasks for a prior run")
	seed := fs.Uint64("seed", 1000, "seed of fresh tasks and of the first feedback bits")
	root := fs.String("root", ".", "directory the run's task files are relative to")
	card := fs.Bool("card", false, "also write the run's MODEL.md from its recipe, log and this evaluation")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *dir == "" || fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	r, m, err := training.LoadRun(*dir)
	if err != nil {
		return err
	}
	ts, desc, err := training.HeldOutTasks(r, *root, *file, *n, *seed)
	if err != nil {
		return err
	}
	res, err := training.EvaluateByBlock(m, r, ts, *seed)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s on %s\n", r.Name, desc)
	training.FormatBlocks(stdout, res)
	if *card {
		if err := training.WriteCard(*dir, r, desc, res, metalearner.BackendDescription()); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote %s\n", filepath.Join(*dir, training.CardFile))
	}
	return nil
}
