package effects

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/ermi-go/ermi/ermi/cogmodels"
	"github.com/ermi-go/ermi/ermi/fit"
	"github.com/ermi-go/ermi/ermi/human"
	"github.com/ermi-go/ermi/ermi/metalearner"
)

// LoadSmith1998 reads Smith & Minda (1998)'s model-fit error curves over
// training (the paper's smith1998.json): exemplar and prototype.
func LoadSmith1998(path string) (exemplar, prototype Curve, err error) {
	var raw map[string]xy
	if err := readJSON(path, &raw); err != nil {
		return nil, nil, err
	}
	e, p := raw["exemplar"], raw["prototype"]
	if len(e.Y) == 0 || len(p.Y) == 0 {
		return nil, nil, fmt.Errorf("effects: %s: want the curves exemplar and prototype", path)
	}
	return e.Y, p.Y, nil
}

// StrategyShift reports whether fit-error curves show the shift from
// prototype to exemplar: the exemplar model's error falls below the
// prototype model's by the end (mean of the last third of the blocks), and
// its advantage grows from the first third to the last.
func StrategyShift(exemplar, prototype Curve) bool {
	n := len(exemplar)
	if n < 3 || len(prototype) != n {
		return false
	}
	third := n / 3
	first := exemplar[:third].Mean() - prototype[:third].Mean()
	last := exemplar[n-third:].Mean() - prototype[n-third:].Mean()
	return last < 0 && last < first
}

// StrategyOptions set the strategy-shift analysis.
type StrategyOptions struct {
	// Blocks of BlockLen trials (0: 11 of 56, the paper's).
	Blocks, BlockLen int
	// Starts of each block fit's optimiser (0: 10, the paper's restarts).
	Starts int
	Seed   uint64
}

func (o StrategyOptions) withDefaults() StrategyOptions {
	if o.Blocks <= 0 {
		o.Blocks = 11
	}
	if o.BlockLen <= 0 {
		o.BlockLen = 56
	}
	if o.Starts <= 0 {
		o.Starts = 10
	}
	return o
}

// StrategyResult holds the mean squared fit error per block of the
// exemplar (GCM) and prototype (PM) models, over participants.
type StrategyResult struct {
	Exemplar, Prototype Curve
	// Pass says whether the curves show the shift (StrategyShift).
	Pass bool
	// Betas holds the β each participant was simulated with.
	Betas []float64
	Opt   StrategyOptions
}

// BlockFits fits the exemplar and prototype models to one sequence's
// choices block by block, by squared error as the paper's mse_transfer: in
// each block, for each distinct stimulus, the proportion of category-1
// choices against the model's P(category 1), the GCM's memory being the
// block's trials with their true categories and the prototypes 0…0 and
// 1…1. It returns each block's smallest summed squared error.
func BlockFits(s *human.Sequence, choices []int, opt StrategyOptions, rng *rand.Rand) (exemplar, prototype Curve, err error) {
	opt = opt.withDefaults()
	if s.Len() < opt.Blocks*opt.BlockLen {
		return nil, nil, fmt.Errorf("effects: %d trials, want %d blocks of %d", s.Len(), opt.Blocks, opt.BlockLen)
	}
	d := s.Dims
	fopt := fit.Options{Starts: opt.Starts, Seed: rng.Uint64()}
	gcmParams := append([]cogmodels.Param{{Name: "c", Min: 0, Max: 20}, {Name: "eps", Min: 0, Max: 1}}, cogmodels.AttentionParams(d)...)
	pmParams := append([]cogmodels.Param{{Name: "c", Min: 0, Max: 20}, {Name: "b", Min: 0, Max: 1}}, cogmodels.AttentionParams(d)...)
	w := make([]float64, d)
	for b := range opt.Blocks {
		lo, hi := b*opt.BlockLen, (b+1)*opt.BlockLen
		// Distinct stimuli of the block and the observed P(choice 1).
		var stims [][]float64
		var ones, count []float64
		index := map[string]int{}
		for t := lo; t < hi; t++ {
			key := fmt.Sprint(s.Row(t))
			i, ok := index[key]
			if !ok {
				i = len(stims)
				index[key] = i
				stims = append(stims, s.Row(t))
				ones, count = append(ones, 0), append(count, 0)
			}
			ones[i] += float64(choices[t])
			count[i]++
		}
		sse := func(p func(x []float64) float64) float64 { // summed over the distinct stimuli
			e := 0.0
			for i, x := range stims {
				diff := ones[i]/count[i] - p(x)
				e += diff * diff
			}
			return e
		}
		dist := func(x, y []float64) float64 {
			v := 0.0
			for i := range x {
				v += w[i] * math.Abs(x[i]-y[i])
			}
			return v
		}
		// The GCM's memory is the block's trials: a count per distinct
		// stimulus and category.
		var mem [2][]float64
		mem[0], mem[1] = make([]float64, len(stims)), make([]float64, len(stims))
		for t := lo; t < hi; t++ {
			mem[s.Category[t]][index[fmt.Sprint(s.Row(t))]]++
		}
		gcm := func(th []float64) float64 {
			c, eps := th[0], th[1]
			cogmodels.Attention(th[2:], w)
			e := 0.0
			for u, x := range stims {
				var sc [2]float64
				for v, y := range stims {
					sim := math.Exp(-c * dist(x, y))
					sc[0] += mem[0][v] * sim
					sc[1] += mem[1][v] * sim
				}
				diff := ones[u]/count[u] - ((1-eps)*share(sc) + eps/2)
				e += diff * diff
			}
			return e
		}
		ones0, ones1 := make([]float64, d), make([]float64, d)
		for i := range ones1 {
			ones1[i] = 1
		}
		pm := func(th []float64) float64 {
			c, bias := th[0], th[1]
			cogmodels.Attention(th[2:], w)
			return sse(func(x []float64) float64 {
				sc := [2]float64{math.Exp(-c * dist(x, ones0)), math.Exp(-c * dist(x, ones1))}
				return (1-bias)*share(sc) + bias/2
			})
		}
		_, ge, err := fit.Minimize(gcm, gcmParams, fopt, rng)
		if err != nil {
			return nil, nil, err
		}
		_, pe, err := fit.Minimize(pm, pmParams, fopt, rng)
		if err != nil {
			return nil, nil, err
		}
		exemplar, prototype = append(exemplar, ge), append(prototype, pe)
	}
	return exemplar, prototype, nil
}

// share returns s[1]/(s[0] + s[1]), or 1/2 where both are 0.
func share(s [2]float64) float64 {
	if s[0]+s[1] <= 0 {
		return 0.5
	}
	return s[1] / (s[0] + s[1])
}

// StrategyPeople runs BlockFits on every participant's own choices.
func StrategyPeople(st *human.Study, opt StrategyOptions) (*StrategyResult, error) {
	opt = opt.withDefaults()
	rng := rand.New(rand.NewPCG(opt.Seed, 0x517))
	choices := make([][]int, len(st.Participants))
	for i, p := range st.Participants {
		choices[i] = p.Sequences[0].Choice
	}
	return strategyCurves(st, choices, nil, opt, rng)
}

// Strategy simulates a 6-feature meta-learner on every participant's own
// stimulus sequence (randomly flipped, as the fits), with that
// participant's fitted β, samples its choices from σ(β·logit), and fits
// the exemplar and prototype models to them block by block (BlockFits).
// betas maps a participant ID to its β.
func Strategy(net *metalearner.Model, st *human.Study, betas map[int]float64, opt StrategyOptions) (*StrategyResult, error) {
	opt = opt.withDefaults()
	rng := rand.New(rand.NewPCG(opt.Seed, 0x5a7))
	seqs := make([]sequence, len(st.Participants))
	flips := make([]bool, len(st.Participants))
	bs := make([]float64, len(st.Participants))
	for i, p := range st.Participants {
		beta, ok := betas[p.ID]
		if !ok {
			return nil, fmt.Errorf("effects: no fitted β for participant %d", p.ID)
		}
		bs[i] = beta
		s := p.Sequences[0]
		if flips[i] = rng.IntN(2) == 1; flips[i] {
			s = s.Flipped()
		}
		seqs[i] = sequence{x: s.X, y: s.Category}
	}
	z, err := logits(net, seqs, st.Dims, rng)
	if err != nil {
		return nil, err
	}
	choices := make([][]int, len(seqs))
	for i := range seqs {
		choices[i] = make([]int, len(z[i]))
		for t, v := range z[i] {
			c := 0
			if rng.Float64() < sigmoid(bs[i], v) {
				c = 1
			}
			if flips[i] {
				c = 1 - c // back to the participant's coding
			}
			choices[i][t] = c
		}
	}
	return strategyCurves(st, choices, bs, opt, rng)
}

func strategyCurves(st *human.Study, choices [][]int, betas []float64, opt StrategyOptions, rng *rand.Rand) (*StrategyResult, error) {
	res := &StrategyResult{Exemplar: make(Curve, opt.Blocks), Prototype: make(Curve, opt.Blocks), Betas: betas, Opt: opt}
	for i, p := range st.Participants {
		e, pr, err := BlockFits(&p.Sequences[0], choices[i], opt, rng)
		if err != nil {
			return nil, fmt.Errorf("effects: participant %d: %w", p.ID, err)
		}
		for b := range e {
			res.Exemplar[b] += e[b] / float64(len(st.Participants))
			res.Prototype[b] += pr[b] / float64(len(st.Participants))
		}
	}
	res.Pass = StrategyShift(res.Exemplar, res.Prototype)
	return res, nil
}
