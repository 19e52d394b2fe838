// Package effects simulates the three signatures of human category
// learning the paper reproduces with its meta-learners, each beside its
// human target and with an ordinal test in the spirit of catlearn's ordinal
// adequacy tests (a function that says whether a set of curves shows the
// effect, itself checked on the human data):
//
//   - Shepard: the six problem types of Shepard, Hovland & Jenkins (1961),
//     against the block error curves of Nosofsky et al. (1994); the test is
//     the difficulty order I < II < {III, IV, V} < VI.
//   - Transfer: rule-plus-exception generalisation (Johansen & Palmeri
//     2002), P(A) for the seven transfer items against people's; the test
//     is that every transfer item goes to the category people chose.
//   - Strategy: (in package fit's terms) prototype vs exemplar fits over
//     training on Devraj et al. (2022)'s task, against Smith & Minda (1998).
//
// Use:
//
//	_, net, _ := training.LoadRun("datasets/models/ermi-3d")
//	human, _ := effects.LoadNosofsky1994("datasets/human/ermi-human/nosofsky1994.json")
//	res, err := effects.Shepard(net, human, effects.ShepardOptions{Seed: 1})
//	fmt.Println(res.Beta, res.Distance, res.Pass)
package effects

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"

	"github.com/ermi-go/ermi/ermi/metalearner"
	"github.com/ermi-go/ermi/ermi/tasks"
)

// Curve is a learning curve: one value per block.
type Curve []float64

// Mean returns the mean over the curve's blocks.
func (c Curve) Mean() float64 {
	s := 0.0
	for _, v := range c {
		s += v
	}
	return s / float64(len(c))
}

// readJSON decodes the JSON file at path into v, naming the file on error.
func readJSON(path string, v any) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("effects: %w", err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("effects: %s: %w", path, err)
	}
	return nil
}

// xy is the digitised-figure format of the paper's human data files.
type xy struct {
	X []json.RawMessage `json:"x"`
	Y []float64         `json:"y"`
}

// sequence is one simulated learner's trials: stimuli and true categories.
type sequence struct {
	x []float64 // trials × dims
	y []int
}

// logits runs the network on the sequences (all of the same length) in
// chunks of one shape, each trial encoded [x_t, y_{t−1}] with a random
// first feedback bit, and returns each sequence's logits.
func logits(net *metalearner.Model, seqs []sequence, dims int, rng *rand.Rand) ([][]float32, error) {
	if len(seqs) == 0 {
		return nil, nil
	}
	n := len(seqs[0].y)
	cfg := net.Config()
	if cfg.Dims != dims {
		return nil, fmt.Errorf("effects: the network reads %d features, the task has %d", cfg.Dims, dims)
	}
	if n > cfg.MaxSteps {
		return nil, fmt.Errorf("effects: sequences of %d trials, the network takes at most %d", n, cfg.MaxSteps)
	}
	const chunk = 32
	w := dims + 1
	out := make([][]float32, len(seqs))
	for lo := 0; lo < len(seqs); lo += chunk {
		b := tasks.Batch{Size: chunk, MaxLen: n, Dims: dims, Inputs: make([]float32, chunk*n*w),
			Targets: make([]float32, chunk*n), Lengths: make([]int, chunk), TaskIDs: make([]int, chunk)}
		for i := range chunk {
			b.Lengths[i] = n
			if lo+i >= len(seqs) {
				continue
			}
			s := seqs[lo+i]
			prev := float32(rng.IntN(2))
			for t := range n {
				in := b.Input(i, t)
				for j := range dims {
					in[j] = float32(s.x[t*dims+j])
				}
				in[dims] = prev
				prev = float32(s.y[t])
				b.Targets[i*n+t] = prev
			}
		}
		z, err := net.Logits(b)
		if err != nil {
			return nil, fmt.Errorf("effects: %w", err)
		}
		for i := 0; i < chunk && lo+i < len(seqs); i++ {
			out[lo+i] = z[i*n : (i+1)*n]
		}
	}
	return out, nil
}

// sigmoid returns σ(β·z).
func sigmoid(beta float64, z float32) float64 { return 1 / (1 + math.Exp(-beta*float64(z))) }

// grid returns from, from+step, …, to.
func grid(from, to, step float64) []float64 {
	var g []float64
	for i := 0; from+float64(i)*step <= to+1e-9; i++ {
		g = append(g, math.Round((from+float64(i)*step)*1e6)/1e6)
	}
	return g
}
