package training

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/ermi-go/ermi/ermi/atomicfile"
)

// CardFile is the model card of a run directory.
const CardFile = "MODEL.md"

// WriteCard writes dir/MODEL.md from the run's recipe and log and a held-out
// evaluation made by the caller: what the model is, what it was trained on,
// how long and where, every change from the paper, and its accuracy by
// trial block beside online logistic regression. Every number in it comes
// from those inputs.
func WriteCard(dir string, r Recipe, evalDesc string, res []BlockAccuracy, backend string) error {
	log, err := ReadLog(dir)
	if err != nil {
		return err
	}
	sessions, err := ReadSessions(dir)
	if err != nil {
		return err
	}
	stages, err := lineageFor(dir, r.Init)
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(dir, LineageFile)); errors.Is(err, os.ErrNotExist) && len(stages) > 0 {
		// A run older than the lineage record: keep what was found, so
		// that the card can be written again when those runs are gone.
		if err := writeStages(dir, stages); err != nil {
			return err
		}
	}
	host, _ := os.Hostname()
	return atomicfile.Write(filepath.Join(dir, CardFile), func(w io.Writer) error {
		variant := "post-LayerNorm, as the paper"
		if r.Model.NormFirst {
			variant = "pre-LayerNorm (a variant: the paper's layers are post-LN)"
		}
		fmt.Fprintf(w, "# %s\n\n", r.Name)
		fmt.Fprintf(w, "The paper's meta-learner (Jagadish et al., ICML 2024): a transformer decoder of %d layers, d_model %d, "+
			"%d heads, feed-forward %d, %s, reading %d-feature stimuli with the previous trial's feedback, for sequences of at most %d trials.\n\n",
			r.Model.Layers, r.Model.DModel, r.Model.Heads, r.Model.FF, variant, r.Model.Dims, r.Model.MaxSteps)
		fmt.Fprintf(w, "## Training\n\n")
		fmt.Fprintf(w, "- tasks: %s", r.Source)
		if len(r.Files) > 0 {
			fmt.Fprintf(w, " (%s)", strings.Join(r.Files, ", "))
		}
		if r.Source != LLMTasks {
			fmt.Fprintf(w, ", %d trials per task", r.Trials)
		}
		fmt.Fprintf(w, "\n- batch %d, Adam learning rate %g", r.Batch.BatchSize, r.LR)
		if r.WarmupSteps > 0 {
			fmt.Fprintf(w, " after a %d-step linear warm-up", r.WarmupSteps)
		}
		fmt.Fprintf(w, ", seed %d\n", r.Seed)
		flags := []string{}
		for _, f := range []struct {
			on   bool
			name string
		}{{r.Batch.FlipLabels, "label flip per batch"}, {r.Batch.ShuffleTrials, "trial shuffle"},
			{r.Batch.SampleToMaxSteps, "resampled to max_steps"}, {r.Batch.Normalize, "global min-max per task"},
			{r.Batch.ShuffleFeatures, "feature permutation per batch"}} {
			if f.on {
				flags = append(flags, f.name)
			}
		}
		if len(flags) > 0 {
			fmt.Fprintf(w, "- processing: %s\n", strings.Join(flags, ", "))
		}
		if n := len(log); n > 0 {
			last := log[n-1]
			steps, seconds := trainedFor(log, sessions)
			fmt.Fprintf(w, "- trained %d steps in %.1f hours of training time (the paper: 500,000 steps on a GPU)\n", steps, seconds/3600)
			fmt.Fprintf(w, "- last logged training loss %.4f; validation accuracy (greedy) %s\n", last.Loss, LastValidation(log))
		}
		if len(sessions) == 0 {
			fmt.Fprintf(w, "- machines: not recorded (the run predates %s)\n", SessionsFile)
		}
		for _, s := range sessions {
			fmt.Fprintf(w, "- steps %d–%d: %.2f hours on %s (%s, %d cores), backend %s, from %s\n",
				s.StartStep, s.EndStep, s.Seconds/3600, s.Host, s.Platform, s.Cores, s.Backend, s.Started.Format("2006-01-02 15:04 MST"))
		}
		writeCurriculum(w, stages, log, sessions)
		fmt.Fprintf(w, "\n## Changes from the paper\n\n")
		if len(r.Changes) == 0 {
			fmt.Fprintf(w, "None.\n")
		}
		for _, c := range r.Changes {
			fmt.Fprintf(w, "- %s\n", c)
		}
		if n := len(res); n > 0 && res[n-1].Model < 0.6 {
			fmt.Fprintf(w, "\n**Status: this model has not left the loss plateau** — on held-out tasks it is at %.3f in trials %d–%d, "+
				"where logistic regression is at %.3f. Resume it, or use a variant that trains past the plateau.\n",
				res[n-1].Model, res[n-1].From, res[n-1].To, res[n-1].LR)
		}
		fmt.Fprintf(w, "\n## Held-out accuracy by trial\n\nOn %s; the model chooses greedily (β = 1), "+
			"online logistic regression is refitted before every trial (0.5 until it has seen both categories).\n\n", evalDesc)
		fmt.Fprintf(w, "| trials | model | logistic regression | trials counted |\n|---|---|---|---|\n")
		for _, b := range res {
			fmt.Fprintf(w, "| %d–%d | %.3f | %.3f | %d |\n", b.From, b.To, b.Model, b.LR, b.N)
		}
		fmt.Fprintf(w, "\nEvaluated on %s (%s/%s, %d cores), backend %s.\n\n", host, runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), backend)
		files := "`weights.ckpt` (weights), "
		if _, err := os.Stat(filepath.Join(dir, StateFile)); err == nil {
			files += "`state.ckpt` (weights, optimiser and random state to resume), "
		} else {
			files += "no `state.ckpt` (the optimiser state is not shipped: continue with `ermi train -init` into another directory), "
		}
		files += "`recipe.json`, `log.csv`, `" + SessionsFile + "`"
		if len(stages) > 0 {
			files += ", `" + LineageFile + "` (the runs of the curriculum)"
		}
		fmt.Fprintf(w, "Files: %s. Written by `ermi eval -card`.\n", files)
		return nil
	})
}

// trainedFor returns the steps a run trained and the seconds it took. The
// sessions know where each run stopped, the log only where it last wrote a
// line: it counts from the sessions where they cover the whole run.
func trainedFor(log []LogEntry, sessions []Session) (steps int, seconds float64) {
	if n := len(log); n > 0 {
		steps, seconds = log[n-1].Step, log[n-1].WallS
	}
	if sessionsCoverRun(sessions, steps) {
		steps, seconds = sessions[len(sessions)-1].EndStep, 0
		for _, s := range sessions {
			seconds += s.Seconds
		}
	}
	return steps, seconds
}

// sessionsCoverRun reports whether sessions record every step of a run from
// step 0 to at least lastLogged, one after the other.
func sessionsCoverRun(sessions []Session, lastLogged int) bool {
	if len(sessions) == 0 || sessions[0].StartStep != 0 || sessions[len(sessions)-1].EndStep < lastLogged {
		return false
	}
	for i := 1; i < len(sessions); i++ {
		if sessions[i].StartStep != sessions[i-1].EndStep {
			return false
		}
	}
	return true
}

// LastValidation describes the last validation accuracy in log, "0.890 at
// step 5500", or says that none was measured.
func LastValidation(log []LogEntry) string {
	for i := len(log) - 1; i >= 0; i-- {
		if !math.IsNaN(log[i].ValAcc) {
			return fmt.Sprintf("%.3f at step %d", log[i].ValAcc, log[i].Step)
		}
	}
	return "not measured"
}

// writeCurriculum writes the card's account of the runs behind a run's
// initial weights, earliest first, and the steps of all of them together.
func writeCurriculum(w io.Writer, stages []Stage, log []LogEntry, sessions []Session) {
	if len(stages) == 0 {
		return
	}
	fmt.Fprintf(w, "\n## Curriculum\n\nThis run started from the weights of `%s`. The runs behind it, earliest first "+
		"(each from the weights of the one above it):\n\n", stages[len(stages)-1].Dir)
	fmt.Fprintf(w, "| run | directory | network | tasks | batch, learning rate | steps | hours | validation accuracy |\n|---|---|---|---|---|---|---|---|\n")
	total, hours, known := 0, 0.0, true
	for _, s := range stages {
		if s.Steps < 0 {
			fmt.Fprintf(w, "| ? | `%s` | not recorded | | | | | |\n", s.Dir)
			known = false
			continue
		}
		variant := "post-LN"
		if s.NormFirst {
			variant = "pre-LN"
		}
		tasks := string(s.Source)
		switch {
		case s.Trials > 0:
			tasks += fmt.Sprintf(", %d trials", s.Trials)
		case s.Resample:
			tasks += fmt.Sprintf(", resampled to %d trials", s.MaxSteps)
		}
		lr := fmt.Sprintf("%d, %g", s.Batch, s.LR)
		if s.Warmup > 0 {
			lr += fmt.Sprintf(" (%d-step warm-up)", s.Warmup)
		}
		fmt.Fprintf(w, "| %s | `%s` | %s, %d features, max_steps %d | %s | %s | %d | %.2f | %s |\n",
			s.Name, s.Dir, variant, s.Dims, s.MaxSteps, tasks, lr, s.Steps, s.Seconds/3600, s.Validation)
		total += s.Steps
		hours += s.Seconds / 3600
	}
	steps, seconds := trainedFor(log, sessions)
	if known {
		fmt.Fprintf(w, "\nWith this run's %d steps: %d steps and %.1f hours of training in all.\n", steps, total+steps, hours+seconds/3600)
	}
}

// writeStages writes a lineage record into dir.
func writeStages(dir string, stages []Stage) error {
	data, err := json.MarshalIndent(stages, "", "  ")
	if err != nil {
		return fmt.Errorf("training: %w", err)
	}
	return atomicfile.WriteBytes(filepath.Join(dir, LineageFile), append(data, '\n'))
}
