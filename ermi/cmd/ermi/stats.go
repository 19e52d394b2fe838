package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/ermi-go/ermi/ermi/atomicfile"
	"github.com/ermi-go/ermi/ermi/openml"
	"github.com/ermi-go/ermi/ermi/priors"
	"github.com/ermi-go/ermi/ermi/tasks"
	"github.com/ermi-go/ermi/ermi/taskstats"
)

func runStats(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("stats", "ermi stats [-in FILE,…] [-real DIR] [-priors linear,mlp] -out report.json [FILE…]\n\n"+
		"Computes the paper's task statistics (§7) for LLM task files, fresh tasks of the MI and PFN priors and real\n"+
		"data (OpenML-CC18 min-max scaled, the -dims best features by F-score, cut into chunks of -trials rows): input\n"+
		"correlations, Gini sparsity of |logistic weights|, P(linear) against an interaction model by BIC, online\n"+
		"logistic regression's accuracy by trial; prints them with KL(real ‖ source) and writes the report as JSON.", stderr)
	in := fs.String("in", "", "comma-separated task CSV files (also as arguments)")
	real := fs.String("real", "datasets/openml-cc18", "OpenML-CC18 directory (with index.csv); empty for none")
	priorList := fs.String("priors", "linear,mlp", "synthetic priors to include (linear = MI, mlp = PFN, rmc)")
	dims := fs.Int("dims", 4, "features per task")
	trials := fs.Int("trials", 650, "trials per prior task and rows per real-data chunk (the paper: 650)")
	nTasks := fs.Int("tasks", 400, "tasks analysed per source (the paper: the first 400)")
	seed := fs.Uint64("seed", 1, "seed of the prior tasks")
	out := fs.String("out", "", "JSON report (required)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	files := fs.Args()
	if *in != "" {
		files = append(strings.Split(*in, ","), files...)
	}
	if *out == "" {
		fs.Usage()
		return errUsage
	}
	var sums []taskstats.Summary
	add := func(name string, ts []tasks.Task) error {
		fmt.Fprintf(stderr, "stats: %s (%d tasks)…\n", name, len(ts))
		s, err := taskstats.Summarize(name, ts, *nTasks)
		if err != nil {
			return err
		}
		sums = append(sums, s)
		return nil
	}
	var realSum *taskstats.Summary
	if *real != "" {
		ts, err := openml.Tasks(*real, *dims, *trials)
		if err != nil {
			return err
		}
		if err := add("real (OpenML-CC18)", ts); err != nil {
			return err
		}
		realSum = &sums[0]
	}
	for _, f := range files {
		ts, _, err := tasks.ReadFile(f, tasks.ReadOptions{Dims: *dims, SkipBadRows: true})
		if err != nil {
			return err
		}
		if err := add("llm: "+f, ts); err != nil {
			return err
		}
	}
	if *priorList != "" {
		for _, name := range strings.Split(*priorList, ",") {
			p, err := priors.New(name, *dims)
			if err != nil {
				return err
			}
			var ts []tasks.Task
			rng := rand.New(rand.NewPCG(*seed, 0x57a7))
			if err := priors.Generate(p, rng, *nTasks, *trials, 64, func(t tasks.Task) error { ts = append(ts, t); return nil }); err != nil {
				return err
			}
			if err := add("prior: "+name, ts); err != nil {
				return err
			}
		}
	}
	if realSum != nil {
		realSum = &sums[0]
	}
	fmt.Fprintf(stdout, "%-40s %6s %8s %8s %9s %7s %7s %7s\n", "source", "tasks", "|r| med", "Gini", "P(lin)", "acc@10", "acc@25", "acc@50")
	for _, s := range sums {
		abs := make([]float64, len(s.Corr))
		for i, r := range s.Corr {
			abs[i] = math.Abs(r)
		}
		fmt.Fprintf(stdout, "%-40s %6d %8.3f %8.3f %9.3f %7.3f %7.3f %7.3f\n", clipName(s.Source), s.Tasks,
			taskstats.Median(abs), taskstats.Median(s.Gini), taskstats.Median(s.PLinear), s.Curve[9], s.Curve[24], s.Curve[49])
	}
	var divs []taskstats.Divergences
	if realSum != nil && len(sums) > 1 {
		fmt.Fprintf(stdout, "\nKL(real ‖ source)          %12s %8s %8s %9s\n", "correlations", "Gini", "P(lin)", "features")
		for _, s := range sums[1:] {
			d := taskstats.Compare(*realSum, s)
			divs = append(divs, d)
			fmt.Fprintf(stdout, "%-26s %12.3f %8.3f %8.3f %9.3f\n", clipName(s.Source), d.Correlations, d.Gini, d.PLinear, d.Features)
		}
	}
	report, err := json.MarshalIndent(map[string]any{"summaries": sums, "kl_from_real": divs,
		"settings": map[string]any{"dims": *dims, "trials": *trials, "tasks": *nTasks, "seed": *seed}}, "", " ")
	if err != nil {
		return err
	}
	if err := atomicfile.WriteBytes(*out, append(report, '\n')); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nwrote %s\n", *out)
	return nil
}

func clipName(s string) string {
	if len(s) > 40 {
		return "…" + s[len(s)-39:]
	}
	return s
}
