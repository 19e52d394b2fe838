package training

import (
	"fmt"
	"io"
	"math/rand/v2"
	"path/filepath"

	"github.com/ermi-go/ermi/ermi/logreg"
	"github.com/ermi-go/ermi/ermi/metalearner"
	"github.com/ermi-go/ermi/ermi/priors"
	"github.com/ermi-go/ermi/ermi/tasks"
)

// Block is a range of trial positions, 1-based and inclusive.
type Block struct{ From, To int }

// Blocks returns the paper-style trial blocks up to maxLen: 1–5, 6–10,
// 11–20, 21–50, 51–100, then blocks of 100.
func Blocks(maxLen int) []Block {
	var bs []Block
	for _, b := range []Block{{1, 5}, {6, 10}, {11, 20}, {21, 50}, {51, 100}} {
		if b.From <= maxLen {
			bs = append(bs, Block{b.From, min(b.To, maxLen)})
		}
	}
	for from := 101; from <= maxLen; from += 100 {
		bs = append(bs, Block{from, min(from+99, maxLen)})
	}
	return bs
}

// BlockAccuracy is the accuracy of the model and of online logistic
// regression on the trials of a block, over N trials.
type BlockAccuracy struct {
	Block
	Model, LR float64
	N         int
}

// LoadRun returns the recipe and the trained weights in a run directory.
func LoadRun(dir string) (Recipe, *metalearner.Model, error) {
	r, err := readRecipe(dir)
	if err != nil {
		return r, nil, err
	}
	m, _, err := metalearner.Load(filepath.Join(dir, WeightsFile))
	return r, m, err
}

// Describe names a run for reports: its recipe, the decoder variant and
// the steps it trained, as "ermi-3d (pre-LN), 19675 steps".
func Describe(r Recipe, dir string) (string, error) {
	log, err := ReadLog(dir)
	if err != nil {
		return "", err
	}
	sessions, err := ReadSessions(dir)
	if err != nil {
		return "", err
	}
	steps, _ := trainedFor(log, sessions)
	variant := "post-LN"
	if r.Model.NormFirst {
		variant = "pre-LN"
	}
	return fmt.Sprintf("%s (%s), %d steps", r.Name, variant, steps), nil
}

// HeldOutTasks returns tasks a run never trained on: for LLM recipes the test
// split of its task files (or all tasks of another file, when file is
// given); for prior recipes n fresh tasks from the prior, drawn with seed.
func HeldOutTasks(r Recipe, root, file string, n int, seed uint64) ([]tasks.Task, string, error) {
	if file != "" || r.Source == LLMTasks {
		files := r.Files
		if file != "" {
			files = []string{file}
		}
		var all []tasks.Task
		for _, f := range files {
			path := f
			if file == "" {
				path = filepath.Join(root, f)
			}
			ts, _, err := tasks.ReadFile(path, tasks.ReadOptions{Dims: r.Model.Dims, SkipBadRows: true})
			if err != nil {
				return nil, "", err
			}
			all = append(all, ts...)
		}
		kept, _ := tasks.Filter(all, r.Model.MaxSteps)
		if file != "" {
			return kept, fmt.Sprintf("%d tasks of %s", len(kept), file), nil
		}
		_, _, test := tasks.Split(kept)
		return test, fmt.Sprintf("the test split of the training files (%d tasks)", len(test)), nil
	}
	p, err := priors.New(string(r.Source), r.Model.Dims)
	if err != nil {
		return nil, "", err
	}
	var ts []tasks.Task
	err = priors.Generate(p, rand.New(rand.NewPCG(seed, 0xe7a1)), n, r.Trials, 64, func(t tasks.Task) error {
		ts = append(ts, t)
		return nil
	})
	if r.Source == RMCPrior {
		ts, _ = tasks.Filter(ts, r.Model.MaxSteps)
	}
	return ts, fmt.Sprintf("%d fresh %s-prior tasks of %d trials (seed %d)", len(ts), r.Source, r.Trials, seed), err
}

// EvaluateByBlock runs the model greedily (β = 1, the sign of the logit) on
// each task with the recipe's coding, scaling and trial shuffle (seeded; as
// in training, since LLM-written tasks often list one category's items
// first) but no label flip, and online logistic regression on the same
// trials in the same order; it returns the accuracy of both per block of
// trials.
func EvaluateByBlock(m *metalearner.Model, r Recipe, ts []tasks.Task, seed uint64) ([]BlockAccuracy, error) {
	if len(ts) == 0 {
		return nil, fmt.Errorf("training: no tasks to evaluate")
	}
	opt := tasks.BatchOptions{Coding: r.Batch.Coding, Normalize: r.Batch.Normalize, ShuffleTrials: r.Batch.ShuffleTrials, MaxSteps: r.Model.MaxSteps}
	maxLen := 0
	for i := range ts {
		maxLen = max(maxLen, ts[i].Len())
	}
	blocks := Blocks(maxLen)
	res := make([]BlockAccuracy, len(blocks))
	for i, b := range blocks {
		res[i].Block = b
	}
	add := func(t int, modelOK, lrOK float64) {
		for i := range res {
			if t+1 >= res[i].From && t+1 <= res[i].To {
				res[i].Model += modelOK
				res[i].LR += lrOK
				res[i].N++
			}
		}
	}
	const chunk = 64
	for start := 0; start < len(ts); start += chunk {
		part := ts[start:min(start+chunk, len(ts))]
		opt.BatchSize = len(part)
		s, err := tasks.NewSampler(part, opt, seed+uint64(start))
		if err != nil {
			return nil, err
		}
		b := s.All()
		logits, err := m.Logits(b)
		if err != nil {
			return nil, err
		}
		for i := range part {
			// The trials as the model saw them: shuffled and scaled.
			d := part[i].Dims
			x := make([]float64, 0, b.Lengths[i]*d)
			y := make([]int, b.Lengths[i])
			for t := range y {
				for _, v := range b.Input(i, t)[:d] {
					x = append(x, float64(v))
				}
				y[t] = int(b.Target(i, t))
			}
			p, err := logreg.Online(x, y, d, logreg.Options{})
			if err != nil {
				return nil, err
			}
			for t := range y {
				modelOK := 0.0
				if (logits[i*b.MaxLen+t] > 0) == (y[t] == 1) {
					modelOK = 1
				}
				lrOK := 0.0
				switch {
				case p[t] == 0.5:
					lrOK = 0.5 // a coin flip
				case (p[t] > 0.5) == (y[t] == 1):
					lrOK = 1
				}
				add(t, modelOK, lrOK)
			}
		}
	}
	for i := range res {
		if res[i].N > 0 {
			res[i].Model /= float64(res[i].N)
			res[i].LR /= float64(res[i].N)
		}
	}
	return res, nil
}

// FormatBlocks writes one line per block: "trials 51-100 model 0.912 lr 0.958".
func FormatBlocks(w io.Writer, res []BlockAccuracy) {
	for _, b := range res {
		fmt.Fprintf(w, "trials %d-%d model %.3f lr %.3f\n", b.From, b.To, b.Model, b.LR)
	}
}
