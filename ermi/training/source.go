package training

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"

	"github.com/ermi-go/ermi/ermi/priors"
	"github.com/ermi-go/ermi/ermi/tasks"
)

// Source draws training batches and holds a fixed validation batch. Its
// random state can be saved and restored for an exact resume.
type Source interface {
	// Next returns the next training batch.
	Next() (tasks.Batch, error)
	// Validation returns the same held-out batch every time.
	Validation() tasks.Batch
	// MarshalBinary and UnmarshalBinary save and restore the random state.
	MarshalBinary() ([]byte, error)
	UnmarshalBinary([]byte) error
	// Describe says what the tasks are, for logs and MODEL.md.
	Describe() string
}

// validationSize is the number of held-out tasks in the validation batch.
const validationSize = 64

// NewSource builds the recipe's task source. root is the directory the
// recipe's file names are relative to (the repository root).
func NewSource(r Recipe, root string) (Source, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	switch r.Source {
	case LLMTasks:
		var all []tasks.Task
		var dropped tasks.DropReport
		for _, f := range r.Files {
			ts, rep, err := tasks.ReadFile(filepath.Join(root, f), tasks.ReadOptions{Dims: r.Model.Dims, SkipBadRows: true})
			if err != nil {
				return nil, fmt.Errorf("training: %s: %w", r.Name, err)
			}
			all = append(all, ts...)
			dropped.Merge(rep)
		}
		kept, rep := tasks.Filter(all, r.Batch.MaxSteps)
		dropped.Merge(rep)
		desc := fmt.Sprintf("%d LLM tasks kept of %d read (%d rows dropped while reading)", len(kept), len(all), dropped.DroppedRows())
		return newPoolSource(r, kept, desc)
	case LinearPrior, RMCPrior:
		p, err := priors.New(string(r.Source), r.Model.Dims)
		if err != nil {
			return nil, err
		}
		rng := rand.New(rand.NewPCG(r.Seed, 0x9001))
		var pool []tasks.Task
		err = priors.Generate(p, rng, r.PoolTasks, r.Trials, 64, func(t tasks.Task) error {
			pool = append(pool, t)
			return nil
		})
		if err != nil {
			return nil, err
		}
		desc := fmt.Sprintf("a fixed pool of %d %s-prior tasks of %d trials (seed %d)", len(pool), r.Source, r.Trials, r.Seed)
		if r.Source == RMCPrior { // the paper read the RMC file as it read LLM tasks
			var rep tasks.DropReport
			pool, rep = tasks.Filter(pool, r.Batch.MaxSteps)
			desc += fmt.Sprintf(", %d kept with two categories (%d dropped)", len(pool), rep.DroppedTasks())
		}
		return newPoolSource(r, pool, desc)
	case MLPPrior:
		return newMLPSource(r)
	}
	return nil, fmt.Errorf("training: %s: unknown source %q", r.Name, r.Source)
}

// poolSource samples batches from a fixed set of tasks split 80/10/10.
type poolSource struct {
	train  *tasks.Sampler
	val    tasks.Batch
	bucket int // pad batches to a multiple of this many trials (0: no padding)
	maxLen int
	desc   string
}

func newPoolSource(r Recipe, ts []tasks.Task, desc string) (*poolSource, error) {
	train, val, _ := tasks.Split(ts)
	if len(train) < r.Batch.BatchSize || len(val) == 0 {
		return nil, fmt.Errorf("training: %s: %d training and %d validation tasks for batches of %d", r.Name, len(train), len(val), r.Batch.BatchSize)
	}
	s, err := tasks.NewSampler(train, r.Batch, r.Seed)
	if err != nil {
		return nil, fmt.Errorf("training: %s: %w", r.Name, err)
	}
	val = val[:min(len(val), validationSize)]
	vopt := r.Batch
	vopt.BatchSize = len(val)
	vs, err := tasks.NewSampler(val, vopt, r.Seed^0x7a1)
	if err != nil {
		return nil, fmt.Errorf("training: %s: validation: %w", r.Name, err)
	}
	src := &poolSource{train: s, val: vs.All(), maxLen: r.Batch.MaxSteps, desc: desc}
	if !r.Batch.SampleToMaxSteps && r.Source == LLMTasks {
		// Tasks differ in length: pad batches to multiples of 25 trials so
		// that only a few graph shapes are compiled.
		src.bucket = 25
	}
	src.val = src.pad(src.val)
	return src, nil
}

func (s *poolSource) pad(b tasks.Batch) tasks.Batch {
	if s.bucket == 0 {
		return b
	}
	n := (b.MaxLen + s.bucket - 1) / s.bucket * s.bucket
	return b.PadTo(min(n, s.maxLen))
}

func (s *poolSource) Next() (tasks.Batch, error)        { return s.pad(s.train.Next()), nil }
func (s *poolSource) Validation() tasks.Batch           { return s.val }
func (s *poolSource) MarshalBinary() ([]byte, error)    { return s.train.MarshalBinary() }
func (s *poolSource) UnmarshalBinary(data []byte) error { return s.train.UnmarshalBinary(data) }
func (s *poolSource) Describe() string                  { return s.desc }

// mlpSource draws a fresh batch of PFN-prior tasks, one network per batch,
// for every step.
type mlpSource struct {
	r   Recipe
	p   priors.MLP
	pcg *rand.PCG
	rng *rand.Rand
	val tasks.Batch
}

func newMLPSource(r Recipe) (*mlpSource, error) {
	pcg := rand.NewPCG(r.Seed, 0x31f)
	s := &mlpSource{r: r, p: priors.NewMLP(r.Model.Dims), pcg: pcg, rng: rand.New(pcg)}
	// The validation batch: tasks of networks never used in training.
	vrng := rand.New(rand.NewPCG(r.Seed^0x7a1, 0x31f))
	var val []tasks.Task
	for len(val) < validationSize {
		b, err := s.p.Batch(vrng, len(val), min(r.Batch.BatchSize, validationSize-len(val)), r.Trials)
		if err != nil {
			return nil, err
		}
		val = append(val, b...)
	}
	vopt := r.Batch
	vopt.BatchSize = len(val)
	vs, err := tasks.NewSampler(val, vopt, r.Seed^0x7a1)
	if err != nil {
		return nil, err
	}
	s.val = vs.All()
	return s, nil
}

func (s *mlpSource) Next() (tasks.Batch, error) {
	ts, err := s.p.Batch(s.rng, 0, s.r.Batch.BatchSize, s.r.Trials)
	if err != nil {
		return tasks.Batch{}, err
	}
	sampler, err := tasks.NewSampler(ts, s.r.Batch, s.rng.Uint64())
	if err != nil {
		return tasks.Batch{}, err
	}
	return sampler.All(), nil
}

func (s *mlpSource) Validation() tasks.Batch           { return s.val }
func (s *mlpSource) MarshalBinary() ([]byte, error)    { return s.pcg.MarshalBinary() }
func (s *mlpSource) UnmarshalBinary(data []byte) error { return s.pcg.UnmarshalBinary(data) }
func (s *mlpSource) Describe() string {
	return fmt.Sprintf("fresh PFN-prior tasks of %d trials, one random network per batch (seed %d)", s.r.Trials, s.r.Seed)
}
