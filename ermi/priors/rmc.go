package priors

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/ermi-go/ermi/ermi/tasks"
)

// RMC is Anderson's (1991) rational model of categorisation run as a
// generative process (envs.py, RMCTask.sample_prior), with binary features.
// Trial t joins an existing cluster k with probability c·M_k / ((1−c) + c·t)
// and opens a new one with probability (1−c) / ((1−c) + c·t), where M_k is the
// cluster's size so far (a Chinese-restaurant process). Each cluster draws a
// probability per feature from Beta(SD, SD) and a label probability from
// Beta(SL, SL); features and labels are Bernoulli draws from them.
type RMC struct {
	Dims int
	// Coupling is c, SD the features' and SL the label's Beta parameter.
	Coupling, SD, SL float64
}

// NewRMC returns the RMC prior with the paper's parameters (c = 0.318,
// s_d = 0.488, s_l = 0.046, "taken from Nosofsky et al. 1994").
func NewRMC(dims int) RMC { return RMC{Dims: dims, Coupling: 0.318, SD: 0.488, SL: 0.046} }

// Name returns "rmc".
func (RMC) Name() string { return "rmc" }

// Clusters draws the cluster of each of trials trials from the coupling
// process; clusters are numbered in order of appearance.
func (p RMC) Clusters(rng *rand.Rand, trials int) []int {
	c := p.Coupling
	z := make([]int, trials)
	var sizes []int
	for t := range z {
		norm := (1 - c) + c*float64(t)
		u := rng.Float64() * norm
		k := len(sizes) // a new cluster unless u falls in an old one
		for j, m := range sizes {
			u -= c * float64(m)
			if u < 0 {
				k = j
				break
			}
		}
		if k == len(sizes) {
			sizes = append(sizes, 0)
		}
		sizes[k]++
		z[t] = k
	}
	return z
}

// ExpectedClusters returns the expected number of clusters after the given
// number of trials: Σ_{t<trials} (1−c) / ((1−c) + c·t).
func (p RMC) ExpectedClusters(trials int) float64 {
	c, e := p.Coupling, 0.0
	for t := range trials {
		e += (1 - c) / ((1 - c) + c*float64(t))
	}
	return e
}

// Batch draws n independent tasks.
func (p RMC) Batch(rng *rand.Rand, firstID, n, trials int) ([]tasks.Task, error) {
	if err := checkShape(p.Name(), n, trials); err != nil {
		return nil, err
	}
	if !(p.Coupling > 0 && p.Coupling < 1) || !(p.SD > 0) || !(p.SL > 0) {
		return nil, fmt.Errorf("priors: rmc: coupling %v must lie in (0, 1), s_d %v and s_l %v above 0", p.Coupling, p.SD, p.SL)
	}
	out := make([]tasks.Task, n)
	for i := range out {
		t, _ := p.Draw(rng, firstID+i, trials)
		out[i] = t
	}
	return out, nil
}

// Draw draws one task and returns it with its cluster assignments.
func (p RMC) Draw(rng *rand.Rand, id, trials int) (tasks.Task, []int) {
	z := p.Clusters(rng, trials)
	k := 0
	for _, c := range z {
		k = max(k, c+1)
	}
	featBeta := distuv.Beta{Alpha: p.SD, Beta: p.SD, Src: rng}
	labelBeta := distuv.Beta{Alpha: p.SL, Beta: p.SL, Src: rng}
	fp := make([]float64, k*p.Dims)
	for i := range fp {
		fp[i] = drawProb(featBeta)
	}
	lp := make([]float64, k)
	for i := range lp {
		lp[i] = drawProb(labelBeta)
	}
	x := make([]float64, trials*p.Dims)
	y := make([]int, trials)
	for t, c := range z {
		for d := range p.Dims {
			if rng.Float64() < fp[c*p.Dims+d] {
				x[t*p.Dims+d] = 1
			}
		}
		if rng.Float64() < lp[c] {
			y[t] = 1
		}
	}
	task, _ := tasks.NewBinary(id, p.Dims, x, y) // binary, finite: cannot fail
	task.Source = "prior:rmc"
	return task, z
}

// drawProb draws from a Beta distribution. With parameters as small as 0.046
// both gamma variates behind a draw can underflow to 0, giving NaN; such a
// draw is repeated.
func drawProb(b distuv.Beta) float64 {
	for {
		if v := b.Rand(); !math.IsNaN(v) {
			return v
		}
	}
}
