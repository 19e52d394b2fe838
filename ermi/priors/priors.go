// Package priors generates the synthetic category-learning tasks the ERMI
// paper compared its LLM tasks with: the linear prior (MI), the random
// two-layer network prior (PFN) and Anderson's rational model of
// categorisation (RMC). Each prior draws whole tasks, seeded, in batches, in
// the same tasks.Task form as LLM-generated tasks.
//
// Use:
//
//	rng := rand.New(rand.NewPCG(seed, 0))
//	p := priors.Linear{Dims: 3}
//	batch, err := p.Batch(rng, 0, 64, 100) // 64 tasks of 100 trials, ids 0…63
//
// or stream many tasks to a file with Generate and tasks.Writer.
package priors

import (
	"fmt"
	"math/rand/v2"

	"github.com/ermi-go/ermi/ermi/tasks"
)

// Prior draws synthetic tasks.
type Prior interface {
	// Name returns the prior's short name: linear, mlp or rmc.
	Name() string
	// Batch draws n tasks of the given number of trials with the ids
	// firstID, firstID+1, …. Tasks drawn in one batch may share a latent
	// (the MLP prior's network), as in the paper's training batches.
	Batch(rng *rand.Rand, firstID, n, trials int) ([]tasks.Task, error)
}

// New returns the prior with the given name (linear, mlp or rmc) and the
// paper's settings for dims features.
func New(name string, dims int) (Prior, error) {
	if dims < 1 {
		return nil, fmt.Errorf("priors: %d features, want at least 1", dims)
	}
	switch name {
	case "linear":
		return Linear{Dims: dims}, nil
	case "mlp":
		return NewMLP(dims), nil
	case "rmc":
		return NewRMC(dims), nil
	}
	return nil, fmt.Errorf("priors: unknown prior %q (want linear, mlp or rmc)", name)
}

// Generate draws n tasks of the given number of trials from p in batches of
// batchSize and passes each to fn in order, with ids 0…n−1. It stops at the
// first error of fn.
func Generate(p Prior, rng *rand.Rand, n, trials, batchSize int, fn func(tasks.Task) error) error {
	if n < 0 || trials < 1 || batchSize < 1 {
		return fmt.Errorf("priors: %d tasks of %d trials in batches of %d", n, trials, batchSize)
	}
	for first := 0; first < n; first += batchSize {
		batch, err := p.Batch(rng, first, min(batchSize, n-first), trials)
		if err != nil {
			return err
		}
		for _, t := range batch {
			if err := fn(t); err != nil {
				return err
			}
		}
	}
	return nil
}

// normalRows returns trials × dims standard normal values.
func normalRows(rng *rand.Rand, trials, dims int) []float64 {
	x := make([]float64, trials*dims)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	return x
}

func checkShape(name string, n, trials int) error {
	if n < 0 || trials < 1 {
		return fmt.Errorf("priors: %s: %d tasks of %d trials", name, n, trials)
	}
	return nil
}
