package tasks

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Filter keeps the tasks the paper trained on (envs.py, CategorisationTask):
// tasks with at most maxSteps trials (longer ones are dropped, not cut) and
// exactly two categories. The kept tasks are renumbered 0, 1, … in order; their
// categories are already coded A = 0, B = 1 by first appearance. The input is
// not changed. maxSteps ≤ 0 keeps tasks of any length.
func Filter(ts []Task, maxSteps int) ([]Task, DropReport) {
	var rep DropReport
	kept := make([]Task, 0, len(ts))
	for _, t := range ts {
		switch {
		case maxSteps > 0 && t.Len() > maxSteps:
			rep.AddTask(TaskTooLong, fmt.Sprintf("%s: %d trials > %d", t.ref(), t.Len(), maxSteps))
		case t.NumCategories() != 2:
			rep.AddTask(TaskNotTwoLabel, fmt.Sprintf("%s: %d categories %q", t.ref(), t.NumCategories(), t.Categories))
		default:
			t.ID = len(kept)
			kept = append(kept, t)
		}
	}
	return kept, rep
}

// SplitBounds returns the task counts at which the paper's 80/10/10 split
// cuts n tasks: train = [0, a), validation = [a, b), test = [b, n). It
// reproduces PyTorch's arithmetic, int(tensor([0.8, 0.8+0.1, 0.8+0.1+0.1]) * n):
// float32 products truncated toward zero (n = 291 gives 232 and 261). The
// test compares it with PyTorch 1.13 (testdata/split_bounds.csv).
func SplitBounds(n int) (a, b int) {
	cut := func(frac float64) int {
		p := float32(frac) * float32(n)
		return int(float32(p))
	}
	return cut(0.8), cut(0.8 + 0.1)
}

// Split divides ts in task order into the paper's train, validation and test
// sets (80/10/10, no shuffling). The returned slices share ts's backing array.
func Split(ts []Task) (train, val, test []Task) {
	a, b := SplitBounds(len(ts))
	return ts[:a], ts[a:b], ts[b:]
}

// ShuffleTrials returns a copy of t with its trials in a random order.
func ShuffleTrials(t Task, rng *rand.Rand) Task {
	perm := rng.Perm(t.Len())
	return pick(t, perm)
}

// Resample returns a task of n trials drawn from t's trials uniformly with
// replacement (the paper's --sample-to-match-max-steps).
func Resample(t Task, n int, rng *rand.Rand) Task {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = rng.IntN(t.Len())
	}
	return pick(t, idx)
}

// pick returns the task made of t's trials idx, in that order. The category
// codes keep their meaning (code 0 stays the original A), so the result may
// not satisfy the first-appearance invariant; batching only reads codes.
func pick(t Task, idx []int) Task {
	out := t
	out.X = make([]float64, 0, len(idx)*t.Dims)
	out.Y = make([]int, len(idx))
	for i, j := range idx {
		out.X = append(out.X, t.Row(j)...)
		out.Y[i] = t.Y[j]
	}
	return out
}

// NormalizeGlobal min-max scales x in place with one minimum and one maximum
// over all of its values, (x − min) / (max − min), as the paper scaled each
// task's feature matrix (not per feature). Where every value is equal, the
// paper divided by zero; here every value becomes 0.5.
func NormalizeGlobal(x []float64) {
	if len(x) == 0 {
		return
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range x {
		lo = min(lo, v)
		hi = max(hi, v)
	}
	span := hi - lo
	for i, v := range x {
		if span == 0 {
			x[i] = 0.5
		} else {
			x[i] = (v - lo) / span
		}
	}
}
