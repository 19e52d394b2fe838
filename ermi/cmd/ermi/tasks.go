package main

import (
	"fmt"
	"io"

	"github.com/ermi-go/ermi/ermi/tasks"
)

func runTasks(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "info" {
		fmt.Fprintln(stderr, "Usage: ermi tasks info [-max-steps N] [-dims D] [-strict] FILE…")
		if len(args) > 0 && (args[0] == "-h" || args[0] == "-help") {
			return nil
		}
		return errUsage
	}
	fs := newFlagSet("tasks info", "ermi tasks info [-max-steps N] [-dims D] [-strict] FILE…\n\n"+
		"Prints, per task file (the paper's CSV format: input,target,trial_id,task_id), the number of\n"+
		"tasks, trials per task, features, label balance, and the rows and tasks dropped, by reason.", stderr)
	maxSteps := fs.Int("max-steps", 0, "count the tasks the paper's filter drops for this max_steps (0: no length limit)")
	dims := fs.Int("dims", 0, "features per trial every row must have (0: take it from the first row)")
	strict := fs.Bool("strict", false, "stop at the first bad row instead of dropping and counting it")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errUsage
	}
	if *maxSteps < 0 || *dims < 0 {
		return fmt.Errorf("-max-steps and -dims must not be negative")
	}
	for i, path := range fs.Args() {
		s, err := tasks.Summarize(path, tasks.ReadOptions{Dims: *dims, SkipBadRows: !*strict}, *maxSteps)
		if err != nil {
			return err
		}
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		s.Format(stdout)
	}
	return nil
}
