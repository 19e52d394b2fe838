package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/ermi-go/ermi/ermi/atomicfile"
	"github.com/ermi-go/ermi/ermi/llm"
	"github.com/ermi-go/ermi/ermi/tasks"
)

func runParse(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("parse", "ermi parse -dims D [-version V] [-categories C1,C2] -out FILE RAW…\n\n"+
		"Parses LLM answers to the data prompt as the paper did (spaces removed, the paper's patterns tried in order,\n"+
		"the first that matches used for the whole answer, rows whose features are not numbers dropped) and writes the\n"+
		"tasks in the paper's CSV format, one task per RAW file (the answer's text), task ids 0, 1, … in argument order.\n"+
		"Prints the parse report: answers by outcome, rows kept, rows dropped by reason.", stderr)
	dims := fs.Int("dims", 3, "features per stimulus: 3 (prompt v4), 4 or 6 (prompt v5)")
	version := fs.Int("version", 0, "prompt version (0: 4 for 3 features, 5 otherwise)")
	cats := fs.String("categories", "", "the two category names asked for, comma-separated, to count rows with other labels")
	out := fs.String("out", "", "output task CSV (required)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() == 0 {
		fs.Usage()
		return errUsage
	}
	v := *version
	if v == 0 {
		v = 5
		if *dims == 3 {
			v = 4
		}
	}
	var categories []string
	if *cats != "" {
		categories = strings.Split(*cats, ",")
	}
	var rep llm.Report
	var kept []tasks.Task
	for _, path := range fs.Args() {
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		res, err := llm.ParseData(string(raw), *dims, v, categories...)
		if err != nil {
			return err
		}
		rep.Add(res)
		if res.Outcome != llm.Parsed {
			continue
		}
		t, err := res.Task(len(kept), path)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		kept = append(kept, t)
	}
	err := atomicfile.Write(*out, func(f io.Writer) error {
		w := tasks.NewWriter(f)
		for _, t := range kept {
			if err := w.Write(t); err != nil {
				return err
			}
		}
		return w.Flush()
	})
	if err != nil {
		return err
	}
	fmt.Fprint(stdout, rep.String())
	fmt.Fprintf(stdout, "wrote %d tasks to %s\n", len(kept), *out)
	return nil
}
