package priors

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/ermi-go/ermi/ermi/tasks"
)

// MLP is the PFN prior (envs.py, SyntheticCategorisationTask with
// nonlinear=True; model_utils.py, MLP): stimuli x ~ N(0, I) and a random
// network Linear(Dims → Hidden), tanh, Linear(Hidden → 1), sigmoid, whose
// weights and biases are all N(0, InitStd²). Category y = round(network(x)),
// that is 1 when the output exceeds 1/2. The paper drew one network per
// training batch, shared by the batch's tasks; Batch does the same.
//
// The class defaults the paper trained with are 2 layers, 64 hidden units and
// InitStd 0.1 (NewMLP); its "sparseness" acts on middle layers only, of which
// a 2-layer network has none.
type MLP struct {
	Dims, Hidden int
	InitStd      float64
}

// NewMLP returns the PFN prior with the paper's settings.
func NewMLP(dims int) MLP { return MLP{Dims: dims, Hidden: 64, InitStd: 0.1} }

// Name returns "mlp".
func (MLP) Name() string { return "mlp" }

// Network is one draw of the MLP prior's random network.
type Network struct {
	Dims, Hidden int
	W1           []float64 // Hidden × Dims
	B1           []float64 // Hidden
	W2           []float64 // Hidden
	B2           float64
}

// NewNetwork draws a network.
func (p MLP) NewNetwork(rng *rand.Rand) Network {
	n := Network{Dims: p.Dims, Hidden: p.Hidden,
		W1: make([]float64, p.Hidden*p.Dims), B1: make([]float64, p.Hidden), W2: make([]float64, p.Hidden)}
	for _, s := range [][]float64{n.W1, n.B1, n.W2} {
		for i := range s {
			s[i] = p.InitStd * rng.NormFloat64()
		}
	}
	n.B2 = p.InitStd * rng.NormFloat64()
	return n
}

// Logit returns the network's output before the sigmoid for stimulus x.
func (n *Network) Logit(x []float64) float64 {
	out := n.B2
	for h := range n.Hidden {
		out += n.W2[h] * math.Tanh(dot(n.W1[h*n.Dims:(h+1)*n.Dims], x)+n.B1[h])
	}
	return out
}

// Label returns the category of x: 1 when sigmoid(logit) rounds to 1. An
// output of exactly 1/2 rounds to 0, as torch.round rounds half to even.
func (n *Network) Label(x []float64) int {
	if n.Logit(x) > 0 {
		return 1
	}
	return 0
}

// Batch draws one network and n tasks labelled by it.
func (p MLP) Batch(rng *rand.Rand, firstID, n, trials int) ([]tasks.Task, error) {
	if err := checkShape(p.Name(), n, trials); err != nil {
		return nil, err
	}
	if p.Hidden < 1 || !(p.InitStd > 0) {
		return nil, fmt.Errorf("priors: mlp: %d hidden units, init std %v", p.Hidden, p.InitStd)
	}
	net := p.NewNetwork(rng)
	return p.batchWith(&net, rng, firstID, n, trials)
}

func (p MLP) batchWith(net *Network, rng *rand.Rand, firstID, n, trials int) ([]tasks.Task, error) {
	out := make([]tasks.Task, n)
	for i := range out {
		x := normalRows(rng, trials, p.Dims)
		y := make([]int, trials)
		for t := range y {
			y[t] = net.Label(x[t*p.Dims : (t+1)*p.Dims])
		}
		task, err := tasks.NewBinary(firstID+i, p.Dims, x, y)
		if err != nil {
			return nil, err
		}
		task.Source = "prior:mlp"
		out[i] = task
	}
	return out, nil
}
