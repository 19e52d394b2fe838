package cogmodels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ermi-go/ermi/ermi/human"
)

// randomSequence returns n trials of binary stimuli of d features with
// categories from a random rule and random choices.
func randomSequence(rng *rand.Rand, n, d, cond int) human.Sequence {
	s := human.Sequence{Condition: cond, Dims: d, X: make([]float64, n*d), Category: make([]int, n), Choice: make([]int, n)}
	for t := range n {
		for i := range d {
			s.X[t*d+i] = float64(rng.IntN(2))
		}
		s.Category[t] = int(s.X[t*d]) ^ int(s.X[t*d+d-1]) ^ rng.IntN(2)*rng.IntN(2)
		s.Choice[t] = rng.IntN(2)
	}
	return s
}

func randomTheta(rng *rand.Rand, ps []Param) []float64 {
	th := make([]float64, len(ps))
	for i, p := range ps {
		th[i] = p.Min + (p.Max-p.Min)*rng.Float64()
	}
	return th
}

// naiveGCM is the GCM as its definition reads: every stored exemplar
// visited on every trial.
func naiveGCM(theta []float64, s *human.Sequence) []float64 {
	c, eps, b := theta[0], theta[1], theta[2]
	w := make([]float64, s.Dims)
	Attention(theta[3:], w)
	p := make([]float64, s.Len())
	for t := range s.Len() {
		var sc [2]float64
		var n [2]int
		for e := range t {
			d := 0.0
			for i := range s.Dims {
				d += w[i] * math.Abs(s.Row(t)[i]-s.Row(e)[i])
			}
			sc[s.Category[e]] += math.Exp(-c * d)
			n[s.Category[e]]++
		}
		for k := range 2 {
			if n[k] == 0 {
				sc[k] = b
			}
		}
		p[t] = (1-eps)*sc[1]/(sc[0]+sc[1]) + eps/2
	}
	return p
}

// naivePM is the prototype model as its definition reads.
func naivePM(theta []float64, s *human.Sequence, protos [][]float64) []float64 {
	c, b := theta[0], theta[1]
	d := s.Dims
	w := make([]float64, d)
	Attention(theta[2:2+d-1], w)
	if protos == nil {
		protos = [][]float64{theta[2+d-1 : 2+d-1+d], theta[2+d-1+d:]}
	}
	p := make([]float64, s.Len())
	var seen [2]bool
	for t := range s.Len() {
		var sc [2]float64
		for k := range 2 {
			sc[k] = b
			if seen[k] {
				dist := 0.0
				for i := range d {
					dist += w[i] * math.Abs(s.Row(t)[i]-protos[k][i])
				}
				sc[k] = math.Exp(-c * dist)
			}
		}
		p[t] = (1-b)*sc[1]/(sc[0]+sc[1]) + b/2
		seen[s.Category[t]] = true
	}
	return p
}

func TestPredictionsMatchDefinitions(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	fixed := [][]float64{{0, 0, 0, 0}, {1, 1, 1, 1}}
	for trial := range 50 {
		d := 2 + trial%4
		s := randomSequence(rng, 1+rng.IntN(60), d, 1)
		models := []struct {
			m     Model
			naive func([]float64) []float64
		}{
			{GCM{}, func(th []float64) []float64 { return naiveGCM(th, &s) }},
			{PM{}, func(th []float64) []float64 { return naivePM(th, &s, nil) }},
		}
		if d == 4 {
			models = append(models, struct {
				m     Model
				naive func([]float64) []float64
			}{PM{Prototypes: fixed}, func(th []float64) []float64 { return naivePM(th, &s, fixed) }})
		}
		for _, mm := range models {
			predict, err := mm.m.Prepare(&s)
			if err != nil {
				t.Fatal(err)
			}
			theta := randomTheta(rng, mm.m.Params(&s))
			got := make([]float64, s.Len())
			predict(theta, got)
			want := mm.naive(theta)
			for i := range got {
				if math.Abs(got[i]-want[i]) > 1e-12 || got[i] < 0 || got[i] > 1 {
					t.Fatalf("%s, %d features, trial %d: p = %v, definition %v (theta %v)", mm.m.Name(), d, i, got[i], want[i], theta)
				}
			}
		}
	}
}

func TestAttention(t *testing.T) {
	tests := []struct {
		v    []float64
		want string
	}{
		{[]float64{}, "[1]"},
		{[]float64{0.5}, "[0.5 0.5]"},
		{[]float64{1, 0.3}, "[1 0 0]"},
		{[]float64{0, 0}, "[0 0 1]"},
		{[]float64{0.5, 0.5, 1}, "[0.5 0.25 0.25 0]"},
	}
	for _, tt := range tests {
		w := make([]float64, len(tt.v)+1)
		Attention(tt.v, w)
		if got := fmt.Sprint(w); got != tt.want {
			t.Errorf("Attention(%v) = %s, want %s", tt.v, got, tt.want)
		}
	}
}

func TestNLLFloor(t *testing.T) {
	got := NLL([]float64{1, 0, 0.5}, []int{0, 1, 1})
	want := -2*math.Log(Floor) - math.Log(0.5)
	if math.Abs(got-want) > 1e-9 {
		t.Errorf("NLL = %v, want %v", got, want)
	}
}

func TestRuleFitExactIsTheOptimum(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 30 {
		cond := 1 + trial%2
		s := randomSequence(rng, 20+rng.IntN(80), 3, cond)
		m := Rule{Label: "Rulex", Exceptions: [][]float64{{1, 1, 1}, {0, 0, 0}}, PairConditions: []int{2}}
		theta, nll, err := m.FitExact(&s)
		if err != nil {
			t.Fatal(err)
		}
		ps := m.Params(&s)
		if want := map[int]float64{1: 5, 2: 5}[cond]; ps[1].Max != want {
			t.Errorf("condition %d: %v rules, want %v", cond, ps[1].Max+1, want+1)
		}
		predict, _ := m.Prepare(&s)
		p := make([]float64, s.Len())
		// No rule and guessing rate on a fine grid does better.
		for r := 0; r <= int(ps[1].Max); r++ {
			for g := 0.0; g <= 1; g += 0.001 {
				predict([]float64{g, float64(r)}, p)
				if v := NLL(p, s.Choice); v < nll-1e-9 {
					t.Fatalf("rule %d, g %.3f: NLL %v below FitExact's %v (theta %v)", r, g, v, nll, theta)
				}
			}
		}
	}
}

func TestRuleExceptions(t *testing.T) {
	// Stimuli 000, 100, 111: the rule "category 1 iff feature 1 is 1" with
	// 111 and 000 as exceptions says 1, 1, 0.
	s := human.Sequence{Condition: 1, Dims: 3, X: []float64{0, 0, 0, 1, 0, 0, 1, 1, 1}, Category: []int{0, 1, 1}, Choice: []int{1, 1, 0}}
	m := Rule{Label: "Rulex", Exceptions: [][]float64{{1, 1, 1}, {0, 0, 0}}}
	theta, nll, err := m.FitExact(&s)
	if err != nil {
		t.Fatal(err)
	}
	if theta[0] != 0 || theta[1] != 0 || nll != 0 {
		t.Errorf("theta %v, NLL %v; want rule 0 with g = 0, NLL 0", theta, nll)
	}
}

func TestPrepareRejectsBadSequences(t *testing.T) {
	bad := []human.Sequence{
		{Dims: 2, X: []float64{0, math.NaN()}, Category: []int{0}, Choice: []int{0}},
		{Dims: 2, X: []float64{0}, Category: []int{0}, Choice: []int{0}},
	}
	for _, m := range []Model{GCM{}, PM{}, Rule{Label: "Rule"}} {
		for i := range bad {
			if _, err := m.Prepare(&bad[i]); err == nil {
				t.Errorf("%s: sequence %d accepted", m.Name(), i)
			}
		}
	}
	if _, err := (PM{Prototypes: [][]float64{{0}}}).Prepare(&human.Sequence{Dims: 1, X: []float64{0}, Category: []int{0}, Choice: []int{0}}); err == nil {
		t.Error("PM accepted one prototype")
	}
}

func ExampleGCM() {
	// Four trials of two features: the GCM's probability of choosing
	// category 1 on each, with c = 2, ε = 0.1, b = 0.5 and equal attention.
	s := human.Sequence{Dims: 2, X: []float64{0, 0, 1, 1, 0, 1, 1, 1}, Category: []int{0, 1, 0, 1}, Choice: []int{0, 1, 1, 1}}
	predict, _ := GCM{}.Prepare(&s)
	p := make([]float64, s.Len())
	predict([]float64{2, 0.1, 0.5, 0.5}, p)
	fmt.Printf("%.3f, NLL %.3f\n", p, NLL(p, s.Choice))
	// Output: [0.500 0.758 0.500 0.649], NLL 2.096
}
