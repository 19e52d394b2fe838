package priors

import (
	"math/rand/v2"

	"github.com/ermi-go/ermi/ermi/tasks"
)

// Linear is the MI prior (envs.py, SyntheticCategorisationTask with
// nonlinear=False): stimuli x ~ N(0, I), one weight vector w ~ N(0, I) per
// task, and category y = 1[x·w > 0] (the paper's round(sigmoid(x·w))): a
// linear boundary through the origin, no bias, no label noise. Inputs are not
// normalised.
type Linear struct {
	Dims int
}

// Name returns "linear".
func (Linear) Name() string { return "linear" }

// Batch draws n tasks, each with its own weights.
func (p Linear) Batch(rng *rand.Rand, firstID, n, trials int) ([]tasks.Task, error) {
	if err := checkShape(p.Name(), n, trials); err != nil {
		return nil, err
	}
	out := make([]tasks.Task, n)
	for i := range out {
		t, _, err := p.Draw(rng, firstID+i, trials)
		if err != nil {
			return nil, err
		}
		out[i] = t
	}
	return out, nil
}

// Draw draws one task and returns it with its weight vector w.
func (p Linear) Draw(rng *rand.Rand, id, trials int) (tasks.Task, []float64, error) {
	w := make([]float64, p.Dims)
	for i := range w {
		w[i] = rng.NormFloat64()
	}
	x := normalRows(rng, trials, p.Dims)
	y := make([]int, trials)
	for t := range y {
		if dot(x[t*p.Dims:(t+1)*p.Dims], w) > 0 {
			y[t] = 1
		}
	}
	task, err := tasks.NewBinary(id, p.Dims, x, y)
	task.Source = "prior:linear"
	return task, w, err
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}
