package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/ermi-go/ermi/ermi/atomicfile"
	"github.com/ermi-go/ermi/ermi/benchmark"
	"github.com/ermi-go/ermi/ermi/fit"
	"github.com/ermi-go/ermi/ermi/libsvm"
	"github.com/ermi-go/ermi/ermi/training"
	"github.com/ermi-go/ermi/ermi/xgboost"
)

// The benchmark's models: meta-learners (4-D checkpoints), the baselines,
// and TabPFN (reported, not rerun). The paper ranks ERMI, TabPFN, XGB, SVM
// and LR.
var (
	openmlMetaLearners = []string{"ERMI", "MI", "PFN"}
	openmlBaselines    = []string{"LR", "SVM", "XGB"}
	openmlRanked       = []string{"ERMI", "TabPFN", "XGB", "SVM", "LR"}
)

func runOpenML(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("openml", "ermi openml [-models ERMI,MI,PFN,LR,SVM,XGB] [-datasets NAMES] [-splits 20] [-seed S] -out DIR\n\n"+
		"The paper's OpenML-CC18 benchmark: per data set (min-max scaled, its 4 best features by F-score), balanced\n"+
		"sets of 50 rows per class, 30 as context or training rows and 70 as test points, the same sets for every\n"+
		"model; meta-learners classify each test point in context (β = 1), the baselines are the real libraries\n"+
		"(logistic regression as scikit-learn's default, libsvm's SVC, libxgboost). TabPFN's accuracies are the\n"+
		"paper's, reported, not rerun. Writes DIR/summary.csv (model, mean_accuracy, sem, mean_rank, mean_auc),\n"+
		"DIR/datasets.csv (ours and the paper's per data set), DIR/scores.csv and DIR/paired.csv.\n"+
		"With -csv FILE -target COLUMN it benchmarks a data set of your own instead.", stderr)
	models := fs.String("models", "ERMI,MI,PFN,LR,SVM,XGB", "comma-separated models: ERMI, MI, PFN (4-D checkpoints), LR, SVM, XGB")
	datasets := fs.String("datasets", "", "comma-separated data set names or OpenML task ids (default: all shipped)")
	splits := fs.Int("splits", 20, "sets per data set")
	seed := fs.Uint64("seed", 1, "seed of the sets and of the meta-learners' first feedback bits")
	root := fs.String("root", ".", "repository root, where the shipped data and checkpoints are")
	var ckpts listFlag
	fs.Var(&ckpts, "checkpoint", "MODEL=DIR: the run directory of a meta-learner (repeatable; default datasets/models/<model>-4d, else <model>-4d-preln)")
	userCSV := fs.String("csv", "", "a CSV file of your own (header line, numeric features, a two-class target column)")
	target := fs.String("target", "", "the target column of -csv")
	out := fs.String("out", "", "output directory (required)")
	quiet := fs.Bool("q", false, "no progress lines")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 || (*userCSV == "") != (*target == "") {
		fs.Usage()
		return errUsage
	}
	names := strings.Split(*models, ",")
	for _, n := range names {
		if !slices.Contains(openmlMetaLearners, n) && !slices.Contains(openmlBaselines, n) {
			return fmt.Errorf("openml: unknown model %q (one of ERMI, MI, PFN, LR, SVM, XGB)", n)
		}
	}
	cp := map[string]string{}
	for _, n := range openmlMetaLearners {
		cp[n] = fit.DefaultCheckpoint(*root, n, benchmark.Features)
	}
	for _, c := range ckpts {
		m, dir, ok := strings.Cut(c, "=")
		if !ok || !slices.Contains(openmlMetaLearners, m) {
			return fmt.Errorf("-checkpoint %q: want MODEL=DIR with MODEL one of ERMI, MI, PFN", c)
		}
		cp[m] = dir
	}
	var classifiers []benchmark.Classifier
	for _, n := range names {
		switch n {
		case "LR":
			classifiers = append(classifiers, benchmark.LogisticRegression{})
		case "SVM":
			classifiers = append(classifiers, libsvm.SVC{})
		case "XGB":
			classifiers = append(classifiers, xgboost.Classifier{})
		default:
			r, m, err := training.LoadRun(cp[n])
			if err != nil {
				return fmt.Errorf("openml: %s: %w", n, err)
			}
			if r.Model.Dims != benchmark.Features {
				return fmt.Errorf("openml: %s: %s takes %d features; the benchmark uses %d", n, cp[n], r.Model.Dims, benchmark.Features)
			}
			desc, err := training.Describe(r, cp[n])
			if err != nil {
				return err
			}
			classifiers = append(classifiers, benchmark.MetaLearner{Label: n, Model: m, Seed: *seed})
			fmt.Fprintf(stderr, "%s: %s, %s\n", n, cp[n], desc)
		}
	}
	var ds []benchmark.Dataset
	var err error
	if *userCSV != "" {
		ds, err = benchmark.LoadCSV(*userCSV, *target, stderr)
	} else {
		var names []string
		if *datasets != "" {
			names = strings.Split(*datasets, ",")
		}
		ds, err = benchmark.LoadOpenML(filepath.Join(*root, "datasets", "openml-cc18"), names)
	}
	if err != nil {
		return err
	}
	progress := io.Writer(stderr)
	if *quiet {
		progress = nil
	}
	scores, err := benchmark.Run(ds, classifiers, *splits, *seed, progress)
	if err != nil {
		return err
	}
	var paper map[int]map[string]float64
	if *userCSV == "" {
		if paper, err = benchmark.ReadPaperResults(filepath.Join(*root, "datasets", "openml-cc18", "paper-results", "mean_performance.csv")); err != nil {
			return err
		}
		scores = append(scores, benchmark.ReportedScores(paper, ds, "TabPFN")...)
	}
	all := slices.Clone(names)
	if paper != nil {
		all = append(all, "TabPFN")
	}
	summary := benchmark.Summarize(scores, all, openmlRanked)
	var paired []benchmark.Paired
	if slices.Contains(names, "ERMI") && len(ds) > 1 {
		for _, m := range all {
			if m != "ERMI" {
				if p, err := benchmark.Compare(scores, "ERMI", m); err == nil {
					paired = append(paired, p)
				}
			}
		}
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return fmt.Errorf("openml: %w", err)
	}
	if err := writeOpenML(*out, ds, scores, summary, paired, all, paper); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d data sets, %d sets each (seed %d)\n", len(ds), *splits, *seed)
	fmt.Fprintf(stdout, "%-8s %9s %7s %9s %9s\n", "model", "accuracy", "sem", "mean rank", "AUC")
	for _, s := range summary {
		note := ""
		if s.Reported {
			note = "  (the paper's numbers: reported, not rerun)"
		}
		fmt.Fprintf(stdout, "%-8s %9.4f %7.4f %9s %9s%s\n", s.Model, s.MeanAccuracy, s.SEM, fmtNaN(s.MeanRank, "%.2f"), fmtNaN(s.MeanAUC, "%.3f"), note)
	}
	for _, p := range paired {
		fmt.Fprintf(stdout, "ERMI − %s: %+.4f over %d data sets (%d better, %d worse, %d tied), paired t %.2f, p %.3g\n",
			p.B, p.MeanDiff, p.Datasets, p.Wins, p.Losses, p.Ties, p.T, p.P)
	}
	fmt.Fprintf(stdout, "wrote summary.csv, datasets.csv, scores.csv and paired.csv in %s\n", *out)
	return nil
}

func fmtNaN(v float64, format string) string {
	if math.IsNaN(v) {
		return "—"
	}
	return fmt.Sprintf(format, v)
}

func writeOpenML(dir string, ds []benchmark.Dataset, scores []benchmark.Score, summary []benchmark.Summary,
	paired []benchmark.Paired, models []string, paper map[int]map[string]float64) error {
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	write := func(name string, rows [][]string) error {
		return atomicfile.Write(filepath.Join(dir, name), func(w io.Writer) error {
			cw := csv.NewWriter(w)
			cw.WriteAll(rows)
			return cw.Error()
		})
	}
	rows := [][]string{{"model", "mean_accuracy", "sem", "mean_rank", "mean_auc", "datasets", "reported"}}
	for _, s := range summary {
		rows = append(rows, []string{s.Model, f(s.MeanAccuracy), f(s.SEM), f(s.MeanRank), f(s.MeanAUC), strconv.Itoa(s.Datasets), strconv.FormatBool(s.Reported)})
	}
	if err := write("summary.csv", rows); err != nil {
		return err
	}
	rows = [][]string{{"task_id", "dataset", "model", "accuracy", "auc", "reported"}}
	for _, s := range scores {
		rows = append(rows, []string{strconv.Itoa(s.TaskID), s.Dataset, s.Model, f(s.Accuracy), f(s.AUC), strconv.FormatBool(s.Reported)})
	}
	if err := write("scores.csv", rows); err != nil {
		return err
	}
	header := []string{"task_id", "dataset"}
	header = append(header, models...)
	var paperCols []string
	if paper != nil {
		for _, m := range []string{"ERMI", "TabPFN", "XGB", "SVM", "LR"} {
			paperCols = append(paperCols, "paper_"+m)
		}
		header = append(header, paperCols...)
	}
	rows = [][]string{header}
	names, acc, _ := benchmark.Table(scores, models)
	for r, name := range names {
		row := []string{strconv.Itoa(ds[r].TaskID), name}
		for c := range models {
			row = append(row, f(acc[r][c]))
		}
		for _, pc := range paperCols {
			v, ok := paper[ds[r].TaskID][strings.TrimPrefix(pc, "paper_")]
			if !ok {
				v = math.NaN()
			}
			row = append(row, f(v))
		}
		rows = append(rows, row)
	}
	if err := write("datasets.csv", rows); err != nil {
		return err
	}
	rows = [][]string{{"a", "b", "datasets", "mean_diff", "t", "p", "wins", "losses", "ties"}}
	for _, p := range paired {
		rows = append(rows, []string{p.A, p.B, strconv.Itoa(p.Datasets), f(p.MeanDiff), f(p.T), f(p.P), strconv.Itoa(p.Wins), strconv.Itoa(p.Losses), strconv.Itoa(p.Ties)})
	}
	return write("paired.csv", rows)
}
