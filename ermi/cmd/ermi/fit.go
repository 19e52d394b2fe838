package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"

	"github.com/ermi-go/ermi/ermi/fit"
	"github.com/ermi-go/ermi/ermi/human"
)

func runFit(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("fit", "ermi fit -study badham2017|devraj2022 [-models ERMI,MI,…] -out DIR [flags]\n\n"+
		"Fits models to every participant's trial-by-trial choices and compares them as the paper did: classic\n"+
		"models (GCM, PM, Rulex, Rule) per condition by maximum likelihood, meta-learners (ERMI, MI, PFN, RMC) by\n"+
		"one β in [0, 1] per participant; BIC with the paper's parameter counts; random-effects model selection.\n"+
		"Writes DIR/summary.csv, DIR/participants.csv and DIR/results.json; rerun with the same DIR to resume.\n"+
		"A meta-learner without a trained checkpoint, and the LLM (no provider), are reported as not run.", stderr)
	study := fs.String("study", "", "badham2017 or devraj2022 (required)")
	data := fs.String("data", "", "the study's trial CSV (default: the shipped file under -root)")
	root := fs.String("root", ".", "repository root, where the shipped data and checkpoints are")
	models := fs.String("models", "", "comma-separated models (default: the paper's list for the study)")
	var ckpts listFlag
	fs.Var(&ckpts, "checkpoint", "MODEL=DIR: the run directory of a meta-learner (repeatable; default datasets/models/<model>-<D>d, the paper's post-LN network, where shipped, else <model>-<D>d-preln)")
	draws := fs.Int("draws", 8, "recorded random flips the meta-learners' NLL is averaged over")
	starts := fs.Int("starts", 5, "random starts of each classic model's optimiser")
	seed := fs.Uint64("seed", 1, "seed of the starts and the flips")
	out := fs.String("out", "", "output directory (required)")
	quiet := fs.Bool("q", false, "no progress lines")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *study == "" || *out == "" || fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	path := *data
	if path == "" {
		if human.DefaultPath(*study) == "" {
			return fmt.Errorf("unknown study %q (one of %s)", *study, strings.Join(human.Studies(), ", "))
		}
		path = filepath.Join(*root, human.DefaultPath(*study))
	}
	st, err := human.Load(*study, path)
	if err != nil {
		return err
	}
	names := fit.PaperModels(*study)
	if *models != "" {
		names = strings.Split(*models, ",")
		for i := range names {
			names[i] = strings.TrimSpace(names[i])
		}
	}
	cp := map[string]string{}
	for _, n := range names {
		if fit.IsMetaLearner(n) {
			cp[n] = fit.DefaultCheckpoint(*root, n, st.Dims)
		}
	}
	for _, c := range ckpts {
		m, dir, ok := strings.Cut(c, "=")
		if !ok || !fit.IsMetaLearner(m) {
			return fmt.Errorf("-checkpoint %q: want MODEL=DIR with MODEL one of ERMI, MI, PFN, RMC", c)
		}
		cp[m] = dir
	}
	job := fit.Job{Study: st, Models: names, Checkpoints: cp, Draws: *draws,
		Options: fit.Options{Starts: *starts, Seed: *seed}, Dir: *out, Progress: stderr}
	if *quiet {
		job.Progress = nil
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	fmt.Fprintf(stdout, "%s: %d participants, %d trials each in the BIC (N)\n", st.Name, len(st.Participants), st.BICTrials)
	rep, err := fit.Run(ctx, job)
	if err != nil {
		return err
	}
	rep.Format(stdout)
	fmt.Fprintf(stdout, "wrote %s, %s and %s in %s\n", fit.SummaryFile, fit.ParticipantsFile, fit.ResultsFile, *out)
	return nil
}

// listFlag is a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }
