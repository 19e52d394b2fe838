package fit

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ermi-go/ermi/ermi/atomicfile"
	"github.com/ermi-go/ermi/ermi/bms"
	"github.com/ermi-go/ermi/ermi/cogmodels"
	"github.com/ermi-go/ermi/ermi/human"
	"github.com/ermi-go/ermi/ermi/training"
)

// Files a fitting job writes into its directory.
const (
	JobFile          = "job.json"         // the settings, to resume only the same job
	ResultsFile      = "results.json"     // every fit, with each condition's parameters
	ParticipantsFile = "participants.csv" // one row per participant and model
	SummaryFile      = "summary.csv"      // one row per model
)

// ErrOtherJob is wrapped by the error Run returns when its directory holds
// the fits of another job: other settings, or a meta-learner fitted from
// another checkpoint. Run never overwrites them; a caller that treats the
// directory as a cache (a notebook, say) may remove it and run again.
var ErrOtherJob = errors.New("the directory holds the fits of another job")

// PaperModels returns the models the paper compares on a study (spec §4.4):
// Badham: ERMI, RMC, LLM, MI, PFN, GCM, Rulex, Rule, PM; Devraj: ERMI, MI,
// PFN, GCM, PM, Rulex, Rule.
func PaperModels(study string) []string {
	if study == human.Devraj2022 {
		return []string{"ERMI", "MI", "PFN", "GCM", "PM", "Rulex", "Rule"}
	}
	return []string{"ERMI", "RMC", "LLM", "MI", "PFN", "GCM", "Rulex", "Rule", "PM"}
}

// DefaultCheckpoint returns the shipped run directory of a meta-learner for
// stimuli of dims features under the repository root: the paper's post-LN
// network (datasets/models/ermi-3d, …) where one is shipped, otherwise its
// pre-LN variant (datasets/models/ermi-4d-preln, …), the one that trained
// past the loss plateau first on this project's compute (see docs/design.md).
func DefaultCheckpoint(root, model string, dims int) string {
	name := fmt.Sprintf("%s-%dd", strings.ToLower(model), dims)
	paper := filepath.Join(root, "datasets", "models", name)
	if _, err := os.Stat(filepath.Join(paper, training.WeightsFile)); err == nil {
		return paper
	}
	return filepath.Join(root, "datasets", "models", name+"-preln")
}

// Job is a model comparison on one study.
type Job struct {
	Study *human.Study
	// Models to fit, by name: ERMI, MI, PFN, RMC (meta-learners), GCM, PM,
	// Rulex, Rule (classic), LLM (needs an LLM provider: reported not run).
	Models []string
	// Checkpoints maps a meta-learner to its run directory.
	Checkpoints map[string]string
	// Draws is the number of recorded random flips the meta-learners'
	// NLL is averaged over (0: 8).
	Draws int
	// Options set the optimiser; Options.Seed also seeds the flips.
	Options Options
	// Dir receives the results; a directory holding the same job resumes.
	Dir string
	// Workers fit participants in parallel (0: the number of CPUs).
	Workers int
	// Progress receives a line per fitted participant (nil: none).
	Progress io.Writer
}

// jobSettings is what job.json records, and what must match to resume.
type jobSettings struct {
	Study       string            `json:"study"`
	Source      string            `json:"source"`
	Draws       int               `json:"flip_draws"`
	Seed        uint64            `json:"seed"`
	Starts      int               `json:"starts"`
	MaxEvals    int               `json:"max_evals"`
	Checkpoints map[string]string `json:"checkpoints,omitempty"`
	// Networks describes each meta-learner's checkpoint: recipe and steps.
	Networks map[string]string `json:"networks,omitempty"`
}

// Summary is one model's row of the comparison.
type Summary struct {
	Model string
	// MeanNLL, MeanBIC and SumBIC over participants; PseudoR2 their mean.
	MeanNLL, MeanBIC, SumBIC, PseudoR2 float64
	// Frequency (± FrequencySD), Exceedance and ProtectedExceedance from
	// random-effects model selection on −BIC/2 over the fitted models.
	Frequency, FrequencySD, Exceedance, ProtectedExceedance float64
	Participants                                            int
}

// Report is a finished job.
type Report struct {
	Study     string
	Summaries []Summary
	Results   []Result
	// NotRun maps a requested model that was not fitted to the reason.
	NotRun map[string]string
	// BOR is the Bayesian omnibus risk of the model selection.
	BOR float64
	// Networks describes the meta-learner checkpoints used.
	Networks map[string]string
}

// Run fits every requested model to every participant, writing each
// result as it is done; a job directory that already holds results of the
// same job is resumed, fitting only what is missing.
func Run(ctx context.Context, job Job) (*Report, error) {
	st := job.Study
	if st == nil || len(st.Participants) == 0 {
		return nil, errors.New("fit: no participants")
	}
	if job.Draws <= 0 {
		job.Draws = 8
	}
	opt := job.Options.withDefaults()
	if job.Workers <= 0 {
		job.Workers = runtime.NumCPU()
	}
	progress := job.Progress
	if progress == nil {
		progress = io.Discard
	}
	rep := &Report{Study: st.Name, NotRun: map[string]string{}, Networks: map[string]string{}}
	classic, err := ClassicModels(st.Name)
	if err != nil {
		return nil, err
	}
	byName := map[string]cogmodels.Model{}
	for _, m := range classic {
		byName[m.Name()] = m
	}
	settings := jobSettings{Study: st.Name, Source: filepath.Base(st.Source), Draws: job.Draws, Seed: opt.Seed,
		Starts: opt.Starts, MaxEvals: opt.MaxEvals, Checkpoints: map[string]string{}, Networks: map[string]string{}}
	var models []string
	for _, name := range job.Models {
		switch {
		case name == "LLM":
			rep.NotRun[name] = "needs an LLM provider (the paper prompted Claude 2 trial by trial); none is configured"
		case IsMetaLearner(name):
			dir := job.Checkpoints[name]
			if dir == "" {
				rep.NotRun[name] = "no checkpoint given"
				continue
			}
			if _, err := os.Stat(filepath.Join(dir, training.WeightsFile)); err != nil {
				rep.NotRun[name] = fmt.Sprintf("no trained checkpoint at %s", dir)
				continue
			}
			r, _, err := training.LoadRun(dir)
			if err != nil {
				return nil, err
			}
			desc, err := training.Describe(r, dir)
			if err != nil {
				return nil, err
			}
			settings.Checkpoints[name], settings.Networks[name] = dir, desc
			models = append(models, name)
		case byName[name] != nil:
			models = append(models, name)
		default:
			return nil, fmt.Errorf("fit: unknown model %q", name)
		}
	}
	rep.Networks = settings.Networks
	if len(models) == 0 {
		return nil, errors.New("fit: none of the requested models can be fitted")
	}
	done, err := openJob(job.Dir, settings)
	if err != nil {
		return nil, err
	}
	results := done
	have := map[string]map[int]bool{}
	for _, r := range done {
		if have[r.Model] == nil {
			have[r.Model] = map[int]bool{}
		}
		have[r.Model][r.Participant] = true
	}
	for _, name := range models {
		var todo []int
		for i, p := range st.Participants {
			if !have[name][p.ID] {
				todo = append(todo, i)
			}
		}
		if len(todo) == 0 {
			fmt.Fprintf(progress, "%s: all %d participants already fitted in %s\n", name, len(st.Participants), job.Dir)
			continue
		}
		start := time.Now()
		var fitOne func(i int) (Result, error)
		if IsMetaLearner(name) {
			_, net, err := training.LoadRun(settings.Checkpoints[name])
			if err != nil {
				return nil, err
			}
			fmt.Fprintf(progress, "%s: running the network on every participant (%d flip draws)\n", name, job.Draws)
			data, err := MetaLogits(net, st, job.Draws, opt.Seed)
			if err != nil {
				return nil, fmt.Errorf("fit: %s: %w", name, err)
			}
			fitOne = func(i int) (Result, error) { return Meta(name, st, &data[i], opt) }
		} else {
			m := byName[name]
			fitOne = func(i int) (Result, error) { return Classic(m, st, &st.Participants[i], opt) }
		}
		err := parallel(ctx, todo, job.Workers, fitOne, func(n int, r Result) error {
			results = append(results, r)
			if err := writeResults(job.Dir, results); err != nil {
				return err
			}
			el := time.Since(start)
			eta := time.Duration(float64(el) / float64(n) * float64(len(todo)-n))
			fmt.Fprintf(progress, "%s: participant %d (%d/%d) NLL %.2f, %s; %s elapsed, ETA %s\n", name, r.Participant,
				n, len(todo), r.NLL, r.ParamString(), el.Round(time.Millisecond), eta.Round(time.Second))
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	// Keep only the requested models, in the requested order.
	for _, name := range models {
		for _, r := range results {
			if r.Model == name {
				rep.Results = append(rep.Results, r)
			}
		}
	}
	slices.SortStableFunc(rep.Results, func(a, b Result) int {
		if a.Model != b.Model {
			return slices.Index(models, a.Model) - slices.Index(models, b.Model)
		}
		return a.Participant - b.Participant
	})
	if err := rep.summarise(st, models, opt.Seed); err != nil {
		return nil, err
	}
	if err := rep.write(job.Dir); err != nil {
		return nil, err
	}
	return rep, nil
}

// parallel fits every index in todo on workers goroutines and calls done,
// one call at a time, with the number of fits finished so far (from 1) and
// each result. The first error stops the rest.
func parallel(ctx context.Context, todo []int, workers int, fit func(i int) (Result, error), done func(n int, r Result) error) error {
	var (
		mu       sync.Mutex
		next, n  int
		firstErr error
		wg       sync.WaitGroup
	)
	for range min(workers, len(todo)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				if firstErr == nil {
					firstErr = ctx.Err()
				}
				if firstErr != nil || next == len(todo) {
					mu.Unlock()
					return
				}
				i := todo[next]
				next++
				mu.Unlock()
				r, err := fit(i)
				mu.Lock()
				if err == nil && firstErr == nil {
					n++
					err = done(n, r)
				}
				if err != nil && firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return firstErr
}

// openJob prepares the job directory and returns the results already in it.
func openJob(dir string, s jobSettings) ([]Result, error) {
	if dir == "" {
		return nil, errors.New("fit: no output directory")
	}
	path := filepath.Join(dir, JobFile)
	raw, err := os.ReadFile(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		data, _ := json.MarshalIndent(s, "", "  ")
		return nil, atomicfile.WriteBytes(path, append(data, '\n'))
	case err != nil:
		return nil, fmt.Errorf("fit: %w", err)
	}
	var old jobSettings
	if err := json.Unmarshal(raw, &old); err != nil {
		return nil, fmt.Errorf("fit: %s: %w", path, err)
	}
	// Models may be added to a job; what each fit depends on may not change.
	merged := old
	if merged.Checkpoints == nil {
		merged.Checkpoints, merged.Networks = map[string]string{}, map[string]string{}
	}
	for m, c := range s.Checkpoints {
		if oc, ok := old.Checkpoints[m]; ok && (oc != c || old.Networks[m] != s.Networks[m]) {
			return nil, fmt.Errorf("fit: %s: %w: %s fits of %s (%s); this job uses %s (%s): use another -out directory", dir, ErrOtherJob, m, oc, old.Networks[m], c, s.Networks[m])
		}
		merged.Checkpoints[m], merged.Networks[m] = c, s.Networks[m]
	}
	cmp := func(j jobSettings) string {
		return fmt.Sprint(j.Study, j.Source, j.Draws, j.Seed, j.Starts, j.MaxEvals)
	}
	if cmp(old) != cmp(s) {
		return nil, fmt.Errorf("fit: %s: %w, with other settings (%s); this one: %s: use another -out directory", dir, ErrOtherJob, cmp(old), cmp(s))
	}
	data, _ := json.MarshalIndent(merged, "", "  ")
	if err := atomicfile.WriteBytes(path, append(data, '\n')); err != nil {
		return nil, err
	}
	rs, err := LoadResults(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%w (remove it to start the fits again)", err)
	}
	return rs, nil
}

func writeResults(dir string, rs []Result) error {
	data, err := json.MarshalIndent(rs, "", " ")
	if err != nil {
		return fmt.Errorf("fit: %w", err)
	}
	return atomicfile.WriteBytes(filepath.Join(dir, ResultsFile), append(data, '\n'))
}

// summarise computes the per-model summaries and the group model selection.
func (rep *Report) summarise(st *human.Study, models []string, seed uint64) error {
	idx := map[int]int{}
	for i, p := range st.Participants {
		idx[p.ID] = i
	}
	le := make([][]float64, len(st.Participants))
	for i := range le {
		le[i] = make([]float64, len(models))
	}
	count := make([]int, len(models))
	for _, r := range rep.Results {
		k := slices.Index(models, r.Model)
		le[idx[r.Participant]][k] = -r.BIC / 2
		count[k]++
	}
	for k, name := range models {
		s := Summary{Model: name, Participants: count[k]}
		for _, r := range rep.Results {
			if r.Model == name {
				s.MeanNLL += r.NLL
				s.SumBIC += r.BIC
				s.PseudoR2 += r.PseudoR2
			}
		}
		if n := float64(count[k]); n > 0 {
			s.MeanNLL /= n
			s.MeanBIC = s.SumBIC / n
			s.PseudoR2 /= n
		}
		rep.Summaries = append(rep.Summaries, s)
	}
	for k := range models {
		if count[k] != len(st.Participants) {
			return fmt.Errorf("fit: %s fitted for %d of %d participants", models[k], count[k], len(st.Participants))
		}
	}
	for k := range rep.Summaries {
		rep.Summaries[k].Frequency, rep.Summaries[k].Exceedance, rep.Summaries[k].ProtectedExceedance = math.NaN(), math.NaN(), math.NaN()
	}
	if len(models) < 2 {
		return nil
	}
	g, err := bms.Group(le, bms.Options{Seed: seed})
	if err != nil {
		return fmt.Errorf("fit: %w", err)
	}
	for k := range rep.Summaries {
		s := &rep.Summaries[k]
		s.Frequency, s.FrequencySD, s.Exceedance, s.ProtectedExceedance = g.Frequency[k], g.FrequencySD[k], g.Exceedance[k], g.ProtectedExceedance[k]
	}
	rep.BOR = g.BOR
	return nil
}

// write stores participants.csv and summary.csv.
func (rep *Report) write(dir string) error {
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	err := atomicfile.Write(filepath.Join(dir, ParticipantsFile), func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.Write([]string{"study", "participant", "model", "trials", "nll", "k", "bic", "pseudo_r2", "params"})
		for _, r := range rep.Results {
			cw.Write([]string{r.Study, strconv.Itoa(r.Participant), r.Model, strconv.Itoa(r.Trials), f(r.NLL), strconv.Itoa(r.K), f(r.BIC), f(r.PseudoR2), r.ParamString()})
		}
		cw.Flush()
		return cw.Error()
	})
	if err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, SummaryFile), func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.Write([]string{"model", "mean_nll", "mean_bic", "sum_bic", "pseudo_r2", "frequency", "exceedance", "frequency_sd", "protected_exceedance", "participants"})
		for _, s := range rep.Summaries {
			cw.Write([]string{s.Model, f(s.MeanNLL), f(s.MeanBIC), f(s.SumBIC), f(s.PseudoR2), f(s.Frequency), f(s.Exceedance), f(s.FrequencySD), f(s.ProtectedExceedance), strconv.Itoa(s.Participants)})
		}
		cw.Flush()
		return cw.Error()
	})
}

// Format writes the report as a table, the models sorted by summed BIC.
func (rep *Report) Format(w io.Writer) {
	ss := slices.Clone(rep.Summaries)
	slices.SortStableFunc(ss, func(a, b Summary) int {
		switch {
		case a.SumBIC < b.SumBIC:
			return -1
		case a.SumBIC > b.SumBIC:
			return 1
		}
		return 0
	})
	fmt.Fprintf(w, "%-6s %9s %9s %11s %9s %16s %10s %10s\n", "model", "mean NLL", "mean BIC", "summed BIC", "pseudo-R²", "frequency", "exceedance", "protected")
	for _, s := range ss {
		if len(ss) < 2 {
			fmt.Fprintf(w, "%-6s %9.2f %9.2f %11.1f %9.3f %16s %10s %10s\n", s.Model, s.MeanNLL, s.MeanBIC, s.SumBIC, s.PseudoR2, "—", "—", "—")
			continue
		}
		fmt.Fprintf(w, "%-6s %9.2f %9.2f %11.1f %9.3f %8.3f ± %5.3f %10.3f %10.3f\n", s.Model, s.MeanNLL, s.MeanBIC, s.SumBIC, s.PseudoR2,
			s.Frequency, s.FrequencySD, s.Exceedance, s.ProtectedExceedance)
	}
	if len(ss) < 2 {
		fmt.Fprintf(w, "one model: no model selection (frequencies and exceedance need two or more)\n")
	} else {
		fmt.Fprintf(w, "Bayesian omnibus risk %.3g\n", rep.BOR)
	}
	names := make([]string, 0, len(rep.Networks))
	for m := range rep.Networks {
		names = append(names, m)
	}
	slices.Sort(names)
	for _, m := range names {
		fmt.Fprintf(w, "%s: %s\n", m, rep.Networks[m])
	}
	names = names[:0]
	for m := range rep.NotRun {
		names = append(names, m)
	}
	slices.Sort(names)
	for _, m := range names {
		fmt.Fprintf(w, "%s: not run: %s\n", m, rep.NotRun[m])
	}
}

// LoadResults reads the fits stored in a job directory (its results.json).
func LoadResults(dir string) ([]Result, error) {
	path := filepath.Join(dir, ResultsFile)
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("fit: %w", err)
	}
	var rs []Result
	if err := json.Unmarshal(raw, &rs); err != nil {
		return nil, fmt.Errorf("fit: %s: %w", path, err)
	}
	return rs, nil
}
