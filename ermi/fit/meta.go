package fit

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/ermi-go/ermi/ermi/cogmodels"
	"github.com/ermi-go/ermi/ermi/human"
	"github.com/ermi-go/ermi/ermi/metalearner"
	"github.com/ermi-go/ermi/ermi/tasks"
)

// MetaData is what a meta-learner's fit needs of one participant: the
// network's logits on every trial of every condition, for each of a number
// of recorded random flips, and the person's choices coded the same way.
//
// The paper flips each condition (features, categories and choices to
// 1 − value, with probability 1/2) and draws the first feedback bit afresh
// on every evaluation of its objective, which makes the objective
// stochastic and re-runs the network each time. The logits do not depend on
// β, so here the network runs once per recorded draw, and β is fitted to
// the NLL averaged over the draws: the expectation the paper's optimiser
// sampled, computed once.
type MetaData struct {
	Participant int
	Trials      int
	// Logits[k] and Choices[k] hold draw k's logits and choices, the
	// conditions one after the other.
	Logits  [][]float32
	Choices [][]int
}

// MetaLogits runs a meta-learner on every participant of a study, draws
// times with flips and first feedback bits drawn from seed. Each trial is
// encoded [x_t, c_{t−1}] with c the true category (the feedback people saw).
func MetaLogits(m *metalearner.Model, st *human.Study, draws int, seed uint64) ([]MetaData, error) {
	if draws < 1 {
		return nil, fmt.Errorf("fit: %d flip draws", draws)
	}
	cfg := m.Config()
	if cfg.Dims != st.Dims {
		return nil, fmt.Errorf("fit: the network reads %d features, %s has %d", cfg.Dims, st.Name, st.Dims)
	}
	maxLen := 0
	type ref struct{ p, s int }
	var refs []ref
	for i, p := range st.Participants {
		for j := range p.Sequences {
			maxLen = max(maxLen, p.Sequences[j].Len())
			refs = append(refs, ref{i, j})
		}
	}
	if maxLen > cfg.MaxSteps {
		return nil, fmt.Errorf("fit: %s has conditions of %d trials, the network takes at most %d", st.Name, maxLen, cfg.MaxSteps)
	}
	out := make([]MetaData, len(st.Participants))
	for i, p := range st.Participants {
		out[i] = MetaData{Participant: p.ID, Trials: p.Trials(), Logits: make([][]float32, draws), Choices: make([][]int, draws)}
	}
	// One shape for every forward pass: chunks of the same size, padded to
	// the study's longest condition.
	chunk := 32
	if maxLen > 300 {
		chunk = 8
	}
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	for k := range draws {
		seqs := make([]human.Sequence, len(refs))
		for i, r := range refs {
			s := &st.Participants[r.p].Sequences[r.s]
			if rng.Float64() < 0.5 {
				seqs[i] = s.Flipped()
			} else {
				seqs[i] = *s
			}
		}
		for lo := 0; lo < len(seqs); lo += chunk {
			hi := min(lo+chunk, len(seqs))
			b := encode(seqs[lo:hi], chunk, maxLen, rng)
			logits, err := m.Logits(b)
			if err != nil {
				return nil, fmt.Errorf("fit: %w", err)
			}
			for i := lo; i < hi; i++ {
				r, s := refs[i], &seqs[i]
				row := logits[(i-lo)*maxLen : (i-lo)*maxLen+s.Len()]
				out[r.p].Logits[k] = append(out[r.p].Logits[k], row...)
				out[r.p].Choices[k] = append(out[r.p].Choices[k], s.Choice...)
			}
		}
	}
	return out, nil
}

// encode builds a batch of size sequences (the last ones empty where seqs
// has fewer) of maxLen trials.
func encode(seqs []human.Sequence, size, maxLen int, rng *rand.Rand) tasks.Batch {
	d := seqs[0].Dims
	w := d + 1
	b := tasks.Batch{Size: size, MaxLen: maxLen, Dims: d, Inputs: make([]float32, size*maxLen*w),
		Targets: make([]float32, size*maxLen), Lengths: make([]int, size), TaskIDs: make([]int, size)}
	for i := range size {
		b.Lengths[i] = 1
	}
	for i := range seqs {
		s := &seqs[i]
		b.Lengths[i] = s.Len()
		prev := float32(0)
		if rng.Float64() < 0.5 {
			prev = 1
		}
		for t := range s.Len() {
			in := b.Input(i, t)
			for j, v := range s.Row(t) {
				in[j] = float32(v)
			}
			in[d] = prev
			prev = float32(s.Category[t])
			b.Targets[i*maxLen+t] = prev
		}
	}
	return b
}

// BetaNLL returns the NLL of the choices under p = σ(β·logit), averaged
// over the draws.
func (d *MetaData) BetaNLL(beta float64) float64 {
	total := 0.0
	for k := range d.Logits {
		for t, z := range d.Logits[k] {
			p := 1 / (1 + math.Exp(-beta*float64(z)))
			if d.Choices[k][t] == 0 {
				p = 1 - p
			}
			total -= math.Log(max(p, cogmodels.Floor))
		}
	}
	return total / float64(len(d.Logits))
}

// betaSlope returns the derivative of BetaNLL at beta:
// Σ (σ(β·z) − c)·z / draws, which increases with β (the NLL is convex).
func (d *MetaData) betaSlope(beta float64) float64 {
	total := 0.0
	for k := range d.Logits {
		for t, z := range d.Logits[k] {
			zf := float64(z)
			total += (1/(1+math.Exp(-beta*zf)) - float64(d.Choices[k][t])) * zf
		}
	}
	return total / float64(len(d.Logits))
}

// Meta fits a meta-learner's β ∈ [0, 1] (the paper's bounds) to one
// participant's cached logits. The NLL is convex in β, so its minimum in
// [0, 1] is a bound or the root of its derivative, found by bisection to
// 1e-10: exact, unlike the paper's stochastic differential evolution.
func Meta(model string, st *human.Study, d *MetaData, opt Options) (Result, error) {
	r := Result{Study: st.Name, Participant: d.Participant, Model: model, Trials: d.Trials}
	if len(d.Logits) == 0 {
		return r, fmt.Errorf("fit: %s, participant %d: no logits", model, d.Participant)
	}
	lo, hi := 0.0, 1.0
	var beta float64
	switch {
	case d.betaSlope(lo) >= 0:
		beta = lo
	case d.betaSlope(hi) <= 0:
		beta = hi
	default:
		for hi-lo > 1e-10 {
			mid := (lo + hi) / 2
			if d.betaSlope(mid) > 0 {
				hi = mid
			} else {
				lo = mid
			}
		}
		beta = (lo + hi) / 2
	}
	nll := d.BetaNLL(beta)
	if math.IsNaN(nll) || math.IsInf(nll, 0) {
		return r, fmt.Errorf("fit: %s, participant %d: NLL %v at β = %v", model, d.Participant, nll, beta)
	}
	r.NLL, r.Beta = nll, &beta
	return r, r.score(st)
}
