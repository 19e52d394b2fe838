package tasks

import (
	"errors"
	"fmt"
	"math/rand/v2"
)

// Batch is a padded batch of encoded task sequences, the meta-learner's input.
//
// Trial t of sequence b is encoded as [x_t, y_{t−1}]: the stimulus and the
// feedback of the previous trial, with a random bit for t = 0. Sequences
// shorter than MaxLen are zero-padded at the end; Lengths keeps their real
// lengths.
type Batch struct {
	// Size is the number of sequences, MaxLen the padded length, Dims the
	// number of features (each input row has Dims+1 values).
	Size, MaxLen, Dims int
	// Inputs holds Size × MaxLen × (Dims+1) values, row-major.
	Inputs []float32
	// Targets holds Size × MaxLen targets y_t ∈ {0, 1}; 0 where padded.
	Targets []float32
	// Lengths holds the number of real trials of each sequence.
	Lengths []int
	// TaskIDs holds the ID of the task behind each sequence.
	TaskIDs []int
}

// Input returns the encoded input of sequence b, trial t (aliasing Inputs).
func (bt *Batch) Input(b, t int) []float32 {
	w := bt.Dims + 1
	i := (b*bt.MaxLen + t) * w
	return bt.Inputs[i : i+w]
}

// Target returns the target of sequence b, trial t.
func (bt *Batch) Target(b, t int) float32 { return bt.Targets[b*bt.MaxLen+t] }

// Valid reports whether trial t of sequence b is a real trial, not padding.
func (bt *Batch) Valid(b, t int) bool { return t < bt.Lengths[b] }

// TargetCoding says how a task's categories become the targets 0 and 1.
type TargetCoding int

const (
	// FirstAppearance codes the category of the first trial (the paper's
	// A) as 0 and the other (B) as 1, before any label flip. This is how
	// the paper read LLM and RMC task files.
	FirstAppearance TargetCoding = iota
	// LabelValue uses the labels "0" and "1" as the targets, for tasks of
	// the MI and PFN priors, whose labels mean the side of a boundary.
	LabelValue
)

// BatchOptions are the paper's per-batch processing flags (envs.py,
// sample_batch). Their zero value encodes tasks as they are.
type BatchOptions struct {
	// BatchSize is the number of tasks Next draws, without replacement.
	BatchSize int
	// MaxSteps is the longest sequence the model takes (its positional
	// table); with SampleToMaxSteps every sequence has this length.
	MaxSteps int
	// Coding maps categories to targets.
	Coding TargetCoding
	// FlipLabels swaps the targets 0 ↔ 1 of the whole batch with
	// probability 1/2 (one coin per batch, as the paper).
	FlipLabels bool
	// ShuffleTrials permutes each task's trials (--shuffle).
	ShuffleTrials bool
	// SampleToMaxSteps resamples each shuffled task with replacement to
	// MaxSteps trials (--sample-to-match-max-steps; needs ShuffleTrials).
	SampleToMaxSteps bool
	// Normalize min-max scales each task's features with one global
	// minimum and maximum (on for LLM tasks in the paper).
	Normalize bool
	// ShuffleFeatures applies one random permutation of the feature
	// columns to the whole batch (--shuffle-features).
	ShuffleFeatures bool
}

// Sampler draws training batches from a set of tasks with the paper's
// processing, from a seeded random stream whose state can be saved and
// restored for an exact resume.
type Sampler struct {
	tasks []Task
	opt   BatchOptions
	src   *rand.PCG
	rng   *rand.Rand
	dims  int
}

// NewSampler returns a Sampler over ts. The tasks must share their number of
// features, have one or two categories (labels "0"/"1" with LabelValue), and
// fit in MaxSteps unless they are resampled to it.
func NewSampler(ts []Task, opt BatchOptions, seed uint64) (*Sampler, error) {
	if len(ts) == 0 {
		return nil, errors.New("tasks: sampler: no tasks")
	}
	if opt.SampleToMaxSteps && !opt.ShuffleTrials {
		return nil, errors.New("tasks: sampler: SampleToMaxSteps needs ShuffleTrials, as in the paper")
	}
	if opt.SampleToMaxSteps && opt.MaxSteps <= 0 {
		return nil, errors.New("tasks: sampler: SampleToMaxSteps needs MaxSteps > 0")
	}
	if opt.BatchSize < 0 || opt.BatchSize > len(ts) {
		return nil, fmt.Errorf("tasks: sampler: batch size %d for %d tasks", opt.BatchSize, len(ts))
	}
	dims := ts[0].Dims
	for i := range ts {
		t := &ts[i]
		if t.Dims != dims {
			return nil, fmt.Errorf("tasks: sampler: task %d has %d features, task %d has %d", ts[0].ID, dims, t.ID, t.Dims)
		}
		if n := t.NumCategories(); n < 1 || n > 2 {
			return nil, fmt.Errorf("tasks: sampler: task %d has %d categories, want 1 or 2", t.ID, n)
		}
		if opt.MaxSteps > 0 && !opt.SampleToMaxSteps && t.Len() > opt.MaxSteps {
			return nil, fmt.Errorf("tasks: sampler: task %d has %d trials > MaxSteps %d", t.ID, t.Len(), opt.MaxSteps)
		}
		if opt.Coding == LabelValue {
			for _, c := range t.Categories {
				if c != "0" && c != "1" {
					return nil, fmt.Errorf("tasks: sampler: task %d has label %q; LabelValue coding needs 0 and 1", t.ID, c)
				}
			}
		}
	}
	src := rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)
	return &Sampler{tasks: ts, opt: opt, src: src, rng: rand.New(src), dims: dims}, nil
}

// Next draws BatchSize tasks without replacement and returns their batch.
func (s *Sampler) Next() Batch {
	idx := s.rng.Perm(len(s.tasks))[:s.opt.BatchSize]
	picked := make([]*Task, len(idx))
	for i, j := range idx {
		picked[i] = &s.tasks[j]
	}
	return s.encode(picked)
}

// All returns the batch of every task in order, processed like a training
// batch (the paper evaluated validation tasks this way).
func (s *Sampler) All() Batch {
	all := make([]*Task, len(s.tasks))
	for i := range s.tasks {
		all[i] = &s.tasks[i]
	}
	return s.encode(all)
}

// MarshalBinary returns the state of the random stream.
func (s *Sampler) MarshalBinary() ([]byte, error) { return s.src.MarshalBinary() }

// UnmarshalBinary restores a state saved by MarshalBinary, so that the next
// batches equal those the saved sampler would have drawn.
func (s *Sampler) UnmarshalBinary(data []byte) error {
	if err := s.src.UnmarshalBinary(data); err != nil {
		return fmt.Errorf("tasks: sampler state: %w", err)
	}
	return nil
}

// encode applies the paper's processing in the paper's order: label coin,
// trial shuffle, resampling, the random first feedback bit, normalisation,
// padding, feature permutation.
func (s *Sampler) encode(picked []*Task) Batch {
	flip := s.opt.FlipLabels && s.rng.Float64() < 0.5
	seqs := make([]Task, len(picked))
	targets := make([][2]float32, len(picked))
	for i, t := range picked {
		seq := *t
		if s.opt.ShuffleTrials {
			seq = ShuffleTrials(seq, s.rng)
			if s.opt.SampleToMaxSteps {
				seq = Resample(seq, s.opt.MaxSteps, s.rng)
			}
		}
		if s.opt.Normalize {
			if !s.opt.ShuffleTrials { // the others made a copy already
				seq.X = append([]float64(nil), seq.X...)
			}
			NormalizeGlobal(seq.X)
		}
		seqs[i] = seq
		targets[i] = codeTargets(t, s.opt.Coding, flip)
	}
	var perm []int
	if s.opt.ShuffleFeatures {
		perm = s.rng.Perm(s.dims)
	}
	return Encode(seqs, targets, perm, s.rng)
}

// codeTargets returns the target of code 0 and code 1 of t.
func codeTargets(t *Task, c TargetCoding, flip bool) [2]float32 {
	tg := [2]float32{0, 1}
	if c == LabelValue && t.Categories[0] == "1" {
		tg = [2]float32{1, 0}
	}
	if flip {
		tg[0], tg[1] = 1-tg[0], 1-tg[1]
	}
	return tg
}

// Encode pads the tasks into a batch. targets[i][k] is the target of
// category code k of task i. perm, when not nil, reorders the feature columns
// of every sequence: column j of the result is column perm[j] of the task. The
// first trial's feedback bit of each sequence is drawn from rng.
func Encode(ts []Task, targets [][2]float32, perm []int, rng *rand.Rand) Batch {
	b := Batch{Size: len(ts), Lengths: make([]int, len(ts)), TaskIDs: make([]int, len(ts))}
	for i := range ts {
		b.MaxLen = max(b.MaxLen, ts[i].Len())
		b.Lengths[i] = ts[i].Len()
		b.TaskIDs[i] = ts[i].ID
	}
	if len(ts) > 0 {
		b.Dims = ts[0].Dims
	}
	w := b.Dims + 1
	b.Inputs = make([]float32, b.Size*b.MaxLen*w)
	b.Targets = make([]float32, b.Size*b.MaxLen)
	for i := range ts {
		t := &ts[i]
		prev := float32(0)
		if rng.Float64() < 0.5 {
			prev = 1
		}
		for j := range t.Len() {
			in := b.Input(i, j)
			row := t.Row(j)
			for k := range b.Dims {
				src := k
				if perm != nil {
					src = perm[k]
				}
				in[k] = float32(row[src])
			}
			in[b.Dims] = prev
			y := targets[i][t.Y[j]]
			b.Targets[i*b.MaxLen+j] = y
			prev = y
		}
	}
	return b
}

// PadTo returns the batch zero-padded to maxLen trials per sequence, so that
// batches of varying lengths share a few shapes (a compiled graph per shape).
// A maxLen not above MaxLen returns b unchanged.
func (bt Batch) PadTo(maxLen int) Batch {
	if maxLen <= bt.MaxLen {
		return bt
	}
	w := bt.Dims + 1
	out := bt
	out.MaxLen = maxLen
	out.Inputs = make([]float32, bt.Size*maxLen*w)
	out.Targets = make([]float32, bt.Size*maxLen)
	for b := range bt.Size {
		copy(out.Inputs[b*maxLen*w:], bt.Inputs[b*bt.MaxLen*w:(b+1)*bt.MaxLen*w])
		copy(out.Targets[b*maxLen:], bt.Targets[b*bt.MaxLen:(b+1)*bt.MaxLen])
	}
	return out
}
