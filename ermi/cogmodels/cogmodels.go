// Package cogmodels holds the classic models of category learning that the
// paper compares its meta-learners with: the generalized context model (GCM,
// an exemplar model), the prototype model (PM), and single-feature rules with
// and without exceptions (Rulex and Rule), each as in the paper's code
// (categorisation/baselines/).
//
// A model predicts, trial by trial, the probability that a person chooses
// category 1 given the trials before it (stimuli and their true categories);
// NLL scores those predictions against the person's choices. Fitting lives in
// package fit.
//
// Use:
//
//	m := cogmodels.GCM{}
//	predict, err := m.Prepare(&seq)           // seq: a human.Sequence
//	p := make([]float64, seq.Len())
//	predict([]float64{2, 0.1, 0.5, 0.5, 0.5}, p) // c, ε, b, two attention splits
//	nll := cogmodels.NLL(p, seq.Choice)
package cogmodels

import (
	"fmt"
	"math"

	"github.com/ermi-go/ermi/ermi/human"
)

// Floor is the smallest probability a choice is given when scored (the
// paper's ε = 1e-10), so that a model that rules a choice out is penalised,
// not infinitely.
const Floor = 1e-10

// Param is one free parameter of a model: its name and bounds. A Discrete
// parameter takes whole values only (a rule's index).
type Param struct {
	Name     string
	Min, Max float64
	Discrete bool
}

// Predictor fills p[t] with the probability that the person chooses
// category 1 on trial t, for parameters theta (in the order of the model's
// Params). len(p) is the sequence's length.
type Predictor func(theta, p []float64)

// Model is a classic category-learning model.
type Model interface {
	// Name is the model's name in tables ("GCM", "PM", "Rulex", "Rule").
	Name() string
	// Params returns the model's free parameters for one condition of s.
	Params(s *human.Sequence) []Param
	// Prepare returns the model's predictions on s; what does not depend
	// on the parameters is computed once here.
	Prepare(s *human.Sequence) (Predictor, error)
}

// ExactFitter is a model that finds its maximum-likelihood parameters on a
// sequence exactly, without a numerical optimiser (a discrete search with a
// closed-form optimum for the rest).
type ExactFitter interface {
	FitExact(s *human.Sequence) (theta []float64, nll float64, err error)
}

// NLL returns the negative log-likelihood of the choices (0 or 1) under the
// probabilities p of choosing 1, each choice's probability floored at Floor.
func NLL(p []float64, choice []int) float64 {
	nll := 0.0
	for t, c := range choice {
		q := p[t]
		if c == 0 {
			q = 1 - q
		}
		nll -= math.Log(max(q, Floor))
	}
	return nll
}

// Attention maps D−1 values in [0, 1] to D attention weights that are
// non-negative and sum to 1, by stick-breaking: w₁ = v₁, w₂ = (1 − v₁)·v₂, …,
// w_D = the rest. Every point of the simplex has such a v, so a box-bounded
// optimiser searches the same weights as the paper's equality-constrained
// SLSQP. w must have len(v)+1 elements.
func Attention(v, w []float64) {
	rest := 1.0
	for i, vi := range v {
		w[i] = rest * vi
		rest -= w[i]
	}
	w[len(v)] = max(rest, 0)
}

// AttentionParams returns the D − 1 stick-breaking parameters v1, v2, …
// of D attention weights, each in [0, 1] (see Attention).
func AttentionParams(dims int) []Param {
	ps := make([]Param, dims-1)
	for i := range ps {
		ps[i] = Param{Name: fmt.Sprintf("v%d", i+1), Min: 0, Max: 1}
	}
	return ps
}

// stimuli gives each distinct stimulus of s an index, and the stimulus of
// every trial.
type stimuli struct {
	dims  int
	rows  [][]float64 // distinct stimuli
	trial []int       // trial → distinct stimulus
}

func distinctStimuli(s *human.Sequence) (stimuli, error) {
	if s.Dims < 1 || len(s.X) != s.Len()*s.Dims || len(s.Choice) != s.Len() {
		return stimuli{}, fmt.Errorf("cogmodels: malformed sequence (%d features, %d values, %d trials, %d choices)", s.Dims, len(s.X), s.Len(), len(s.Choice))
	}
	st := stimuli{dims: s.Dims, trial: make([]int, s.Len())}
	seen := map[string]int{}
	for t := range s.Len() {
		row := s.Row(t)
		for _, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return stimuli{}, fmt.Errorf("cogmodels: trial %d: feature value %v", t, v)
			}
		}
		key := fmt.Sprint(row)
		i, ok := seen[key]
		if !ok {
			i = len(st.rows)
			seen[key] = i
			st.rows = append(st.rows, row)
		}
		st.trial[t] = i
	}
	return st, nil
}

// GCM is the generalized context model (Nosofsky 1986) as the paper's
// gcm.py: every trial's stimulus is stored under its true category; the
// similarity of a stimulus to category c is S_c = Σ exp(−c·d) over the
// stored members of c, with the attention-weighted city-block distance
// d = Σᵢ wᵢ|xᵢ − eᵢ|, or the bias b while c has no members;
// P(c) = S_c/(S_A + S_B), and the choice is (1 − ε)·P + ε/2.
//
// Parameters: c ∈ [0, 20], ε ∈ [0, 1], b ∈ [0, 1], and D − 1
// stick-breaking values for the D attention weights (see Attention).
type GCM struct{}

// Name returns "GCM".
func (GCM) Name() string { return "GCM" }

// Params returns c, eps, b and the attention values v1…v(D−1).
func (GCM) Params(s *human.Sequence) []Param {
	return append([]Param{{Name: "c", Min: 0, Max: 20}, {Name: "eps", Min: 0, Max: 1}, {Name: "b", Min: 0, Max: 1}},
		AttentionParams(s.Dims)...)
}

// Prepare returns the GCM's predictions on s.
func (GCM) Prepare(s *human.Sequence) (Predictor, error) {
	st, err := distinctStimuli(s)
	if err != nil {
		return nil, err
	}
	u, d := len(st.rows), st.dims
	diff := make([]float64, u*u*d) // |x_a − x_b| per feature
	for a := range u {
		for b := range u {
			for i := range d {
				diff[(a*u+b)*d+i] = math.Abs(st.rows[a][i] - st.rows[b][i])
			}
		}
	}
	cats := s.Category
	w := make([]float64, d)
	sim := make([]float64, u*u)
	acc := make([]float64, 2*u) // acc[k*u+a]: Σ similarity of stimulus a to the stored members of category k
	return func(theta, p []float64) {
		c, eps, bias := theta[0], theta[1], theta[2]
		Attention(theta[3:], w)
		for ab := range u * u {
			dist := 0.0
			for i, wi := range w {
				dist += wi * diff[ab*d+i]
			}
			sim[ab] = math.Exp(-c * dist)
		}
		clear(acc)
		var members [2]int
		for t := range p {
			a := st.trial[t]
			var sc [2]float64
			for k := range 2 {
				if members[k] == 0 {
					sc[k] = bias
				} else {
					sc[k] = acc[k*u+a]
				}
			}
			p[t] = (1-eps)*ratio(sc[1], sc[0]) + eps/2
			k := cats[t]
			members[k]++
			for b := range u {
				acc[k*u+b] += sim[b*u+a]
			}
		}
	}, nil
}

// ratio returns s1/(s0 + s1), or 1/2 where both are 0.
func ratio(s1, s0 float64) float64 {
	if s0+s1 <= 0 {
		return 0.5
	}
	return s1 / (s0 + s1)
}

// PM is the prototype model as the paper's pm.py: the similarity of a
// stimulus to category c is S_c = exp(−c·Σᵢ wᵢ|xᵢ − P_c,ᵢ|) with P_c the
// category's prototype, or b until a member of c has been seen;
// P(c) = S_c/(S_A + S_B), and the choice is (1 − b)·P + b/2 (the same b, as
// in the paper's code).
//
// Parameters: c ∈ [0, 20], b ∈ [0, 1], D − 1 stick-breaking attention
// values, and, when Prototypes is nil, the two prototypes' coordinates in
// [0, 1] (learned, as the paper's Badham fits).
type PM struct {
	// Prototypes holds the prototypes of categories 0 and 1 when they are
	// known (Devraj: 000000 and 111111); nil: they are free parameters.
	Prototypes [][]float64
}

// Name returns "PM".
func (PM) Name() string { return "PM" }

// Params returns c, b, the attention values and, for learned prototypes,
// p0_1…p0_D, p1_1…p1_D.
func (m PM) Params(s *human.Sequence) []Param {
	ps := append([]Param{{Name: "c", Min: 0, Max: 20}, {Name: "b", Min: 0, Max: 1}}, AttentionParams(s.Dims)...)
	if m.Prototypes == nil {
		for k := range 2 {
			for i := range s.Dims {
				ps = append(ps, Param{Name: fmt.Sprintf("p%d_%d", k, i+1), Min: 0, Max: 1})
			}
		}
	}
	return ps
}

// Prepare returns the prototype model's predictions on s.
func (m PM) Prepare(s *human.Sequence) (Predictor, error) {
	if _, err := distinctStimuli(s); err != nil {
		return nil, err
	}
	d := s.Dims
	if m.Prototypes != nil && (len(m.Prototypes) != 2 || len(m.Prototypes[0]) != d || len(m.Prototypes[1]) != d) {
		return nil, fmt.Errorf("cogmodels: PM: prototypes must be 2 × %d values", d)
	}
	w := make([]float64, d)
	proto := make([]float64, 2*d)
	na := d - 1 // attention values
	return func(theta, p []float64) {
		c, bias := theta[0], theta[1]
		Attention(theta[2:2+na], w)
		if m.Prototypes != nil {
			copy(proto, m.Prototypes[0])
			copy(proto[d:], m.Prototypes[1])
		} else {
			copy(proto, theta[2+na:2+na+2*d])
		}
		var seen [2]bool
		for t := range p {
			x := s.Row(t)
			var sc [2]float64
			for k := range 2 {
				if !seen[k] {
					sc[k] = bias
					continue
				}
				dist := 0.0
				for i, wi := range w {
					dist += wi * math.Abs(x[i]-proto[k*d+i])
				}
				sc[k] = math.Exp(-c * dist)
			}
			p[t] = (1-bias)*ratio(sc[1], sc[0]) + bias/2
			seen[s.Category[t]] = true
		}
	}, nil
}

// Rule is the paper's rule model (rulex.py): the person follows one
// deterministic rule and guesses with probability g, so a choice of the
// rule's category has probability 1 − g/2. The rules are "category 1 iff
// feature i is 1" and its reverse, for every feature; in PairConditions,
// "category 1 iff features i and j differ" and its reverse, for every pair
// (Badham's type II, an XOR). Stimuli listed in Exceptions get the other
// category than the rule's (Rulex); without exceptions this is the paper's
// "Rule". Features are read as binary (above 0.5 is 1).
//
// Parameters: g ∈ [0, 1] and the index of the rule (discrete).
type Rule struct {
	// Label is the model's name ("Rulex" or "Rule").
	Label string
	// Exceptions lists the stimuli whose category is the reverse of the
	// rule's.
	Exceptions [][]float64
	// PairConditions lists the conditions whose rules are over pairs of
	// features.
	PairConditions []int
}

// Name returns the rule model's label.
func (m Rule) Name() string { return m.Label }

// rules returns the rule outputs (category per trial) of every rule for s.
func (m Rule) rules(s *human.Sequence) [][]int {
	bit := func(v float64) int {
		if v > 0.5 {
			return 1
		}
		return 0
	}
	pair := false
	for _, c := range m.PairConditions {
		pair = pair || c == s.Condition
	}
	var out [][]int
	add := func(f func(x []float64) int) {
		for rev := range 2 {
			cat := make([]int, s.Len())
			for t := range cat {
				x := s.Row(t)
				k := f(x) ^ rev
				if m.isException(x) {
					k = 1 - k
				}
				cat[t] = k
			}
			out = append(out, cat)
		}
	}
	if pair {
		for i := range s.Dims {
			for j := i + 1; j < s.Dims; j++ {
				add(func(x []float64) int { return bit(x[i]) ^ bit(x[j]) })
			}
		}
	} else {
		for i := range s.Dims {
			add(func(x []float64) int { return bit(x[i]) })
		}
	}
	return out
}

func (m Rule) isException(x []float64) bool {
next:
	for _, e := range m.Exceptions {
		if len(e) != len(x) {
			continue
		}
		for i := range e {
			if math.Abs(e[i]-x[i]) > 1e-9 {
				continue next
			}
		}
		return true
	}
	return false
}

// Params returns g and rule, the index of the rule among the sequence's
// candidate rules.
func (m Rule) Params(s *human.Sequence) []Param {
	n := len(m.rules(s))
	return []Param{{Name: "g", Min: 0, Max: 1}, {Name: "rule", Min: 0, Max: float64(n - 1), Discrete: true}}
}

// Prepare returns the rule model's predictions on s.
func (m Rule) Prepare(s *human.Sequence) (Predictor, error) {
	if _, err := distinctStimuli(s); err != nil {
		return nil, err
	}
	rules := m.rules(s)
	return func(theta, p []float64) {
		g := theta[0]
		r := min(max(int(math.Round(theta[1])), 0), len(rules)-1)
		for t := range p {
			p[t] = (1-g)*float64(rules[r][t]) + g/2
		}
	}, nil
}

// FitExact returns the maximum-likelihood rule and guessing rate: for each
// rule, the choices that match it on m of n trials give g = 2(n − m)/n
// (capped at 1), and the best rule is kept (the first of equals).
func (m Rule) FitExact(s *human.Sequence) ([]float64, float64, error) {
	predict, err := m.Prepare(s)
	if err != nil {
		return nil, 0, err
	}
	rules := m.rules(s)
	n := s.Len()
	p := make([]float64, n)
	var best []float64
	bestNLL := math.Inf(1)
	for r, cat := range rules {
		match := 0
		for t := range cat {
			if cat[t] == s.Choice[t] {
				match++
			}
		}
		g := 1.0
		if n > 0 {
			g = min(1, 2*float64(n-match)/float64(n))
		}
		theta := []float64{g, float64(r)}
		predict(theta, p)
		if nll := NLL(p, s.Choice); nll < bestNLL {
			best, bestNLL = theta, nll
		}
	}
	return best, bestNLL, nil
}
