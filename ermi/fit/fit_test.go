package fit

import (
	"math"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/ermi-go/ermi/ermi/cogmodels"
	"github.com/ermi-go/ermi/ermi/human"
)

func TestMinimize(t *testing.T) {
	tests := []struct {
		name string
		f    func(x []float64) float64
		ps   []cogmodels.Param
		want []float64
	}{
		{"inside", func(x []float64) float64 { return (x[0]-3)*(x[0]-3) + 2*(x[1]+1)*(x[1]+1) },
			[]cogmodels.Param{{Name: "a", Min: 0, Max: 10}, {Name: "b", Min: -5, Max: 5}}, []float64{3, -1}},
		{"on a bound", func(x []float64) float64 { return x[0] + (x[1]-0.25)*(x[1]-0.25) },
			[]cogmodels.Param{{Name: "a", Min: 0, Max: 1}, {Name: "b", Min: 0, Max: 1}}, []float64{0, 0.25}},
		{"two minima", func(x []float64) float64 { return math.Min((x[0]-1)*(x[0]-1)+0.5, (x[0]-8)*(x[0]-8)) },
			[]cogmodels.Param{{Name: "a", Min: 0, Max: 10}}, []float64{8}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, err := Minimize(tt.f, tt.ps, Options{Starts: 5}, rand.New(rand.NewPCG(1, 1)))
			if err != nil {
				t.Fatal(err)
			}
			for i := range got {
				if math.Abs(got[i]-tt.want[i]) > 1e-3 {
					t.Errorf("minimum at %v, want %v", got, tt.want)
				}
				if got[i] < tt.ps[i].Min || got[i] > tt.ps[i].Max {
					t.Errorf("%v outside the bounds", got)
				}
			}
		})
	}
	if _, _, err := Minimize(func([]float64) float64 { return 0 }, []cogmodels.Param{{Name: "r", Max: 3, Discrete: true}}, Options{}, rand.New(rand.NewPCG(1, 1))); err == nil {
		t.Error("a discrete parameter was accepted")
	}
	if _, _, err := Minimize(func([]float64) float64 { return math.NaN() }, []cogmodels.Param{{Name: "a", Max: 1}}, Options{Starts: 1}, rand.New(rand.NewPCG(1, 1))); err == nil {
		t.Error("an objective that is NaN everywhere gave a minimum")
	}
}

// shepardSequence returns blocks of the 8 binary 3-D stimuli, each block in
// a random order, with categories from a rule on the stimulus index.
func shepardSequence(rng *rand.Rand, blocks, cond int, cat func(i int) int) human.Sequence {
	s := human.Sequence{Condition: cond, Dims: 3}
	for range blocks {
		for _, i := range rng.Perm(8) {
			s.X = append(s.X, float64(i&1), float64(i>>1&1), float64(i>>2&1))
			s.Category = append(s.Category, cat(i))
		}
	}
	s.Choice = make([]int, s.Len())
	return s
}

// simulate draws a person's choices from a model with parameters theta.
func simulate(t *testing.T, m cogmodels.Model, theta []float64, s *human.Sequence, rng *rand.Rand) {
	t.Helper()
	predict, err := m.Prepare(s)
	if err != nil {
		t.Fatal(err)
	}
	p := make([]float64, s.Len())
	predict(theta, p) // the predictions depend on the true categories only
	for i := range p {
		s.Choice[i] = 0
		if rng.Float64() < p[i] {
			s.Choice[i] = 1
		}
	}
}

// TestParameterRecovery simulates participants from known parameters of
// each classic model, fits them, and checks that the fit is at least as
// likely as the truth (the optimiser found the optimum) and that the
// identifiable parameters come back.
func TestParameterRecovery(t *testing.T) {
	typeIV := func(i int) int { // family resemblance: at least two features 1
		if i&1+i>>1&1+i>>2&1 >= 2 {
			return 1
		}
		return 0
	}
	typeI := func(i int) int { return i >> 1 & 1 }
	st := &human.Study{Name: human.Badham2017, Dims: 3, BICTrials: 384}
	tests := []struct {
		name  string
		m     cogmodels.Model
		theta []float64
		cat   func(int) int
		cond  int
		tol   map[int]float64 // parameter index → absolute tolerance
	}{
		// The GCM's c and ε trade off on long sequences (a larger c with more
		// guessing predicts nearly the same choices), so its recovery is
		// checked on the predictions, not on c and ε.
		{"GCM", cogmodels.GCM{}, []float64{3, 0.1, 0.5, 0.6, 0.5}, typeIV, 4, nil},
		{"GCM II", cogmodels.GCM{}, []float64{3, 0.1, 0.5, 0.5, 0.9}, func(i int) int { return i&1 ^ i>>1&1 }, 2, nil},
		{"PM", cogmodels.PM{}, []float64{5, 0.1, 0.4, 0.5, 0.1, 0.1, 0.2, 0.9, 0.8, 0.9}, typeIV, 4, map[int]float64{1: 0.04}},
		{"PM fixed", cogmodels.PM{Prototypes: [][]float64{{0, 0, 0}, {1, 1, 1}}}, []float64{3, 0.2, 0.3, 0.5}, typeIV, 4, map[int]float64{0: 0.8, 1: 0.06}},
		{"Rulex", cogmodels.Rule{Label: "Rulex", Exceptions: [][]float64{{1, 1, 1}, {0, 0, 0}}}, []float64{0.3, 2}, typeI, 1, map[int]float64{0: 0.06, 1: 0}},
		{"Rule pairs", cogmodels.Rule{Label: "Rule", PairConditions: []int{2}}, []float64{0.2, 3}, func(i int) int { return i&1 ^ i>>2&1 }, 2, map[int]float64{0: 0.06, 1: 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(7, 7))
			s := shepardSequence(rng, 200, tt.cond, tt.cat) // 1600 trials
			simulate(t, tt.m, tt.theta, &s, rng)
			p := &human.Participant{ID: 1, Sequences: []human.Sequence{s}}
			res, err := Classic(tt.m, st, p, Options{Starts: 5, Seed: 3})
			if err != nil {
				t.Fatal(err)
			}
			got := res.Conditions[0].Values
			predict, _ := tt.m.Prepare(&s)
			prob := make([]float64, s.Len())
			predict(tt.theta, prob)
			truth := cogmodels.NLL(prob, s.Choice)
			if res.NLL > truth+1e-6 {
				t.Errorf("fitted NLL %.4f above the generating parameters' %.4f", res.NLL, truth)
			}
			t.Logf("fitted %.3f NLL %.3f, truth %v NLL %.3f", got, res.NLL, tt.theta, truth)
			fitted := make([]float64, s.Len())
			predict(got, fitted)
			dev := 0.0
			for i := range fitted {
				dev += math.Abs(fitted[i]-prob[i]) / float64(len(fitted))
			}
			if dev > 0.03 { // sampling error of the MLE at 1,600 trials is about 0.02
				t.Errorf("fitted predictions differ from the generating ones by %.3f on average", dev)
			}
			for i, tol := range tt.tol {
				if math.Abs(got[i]-tt.theta[i]) > tol {
					t.Errorf("%s = %.3f, generated with %.3f (tolerance %.2f)", res.Conditions[0].Names[i], got[i], tt.theta[i], tol)
				}
			}
		})
	}
}

func TestBetaRecovery(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	st := &human.Study{Name: human.Devraj2022, Dims: 6, BICTrials: 616}
	for _, beta := range []float64{0.1, 0.4, 0.9} {
		d := MetaData{Participant: 3, Trials: 2000, Logits: make([][]float32, 2), Choices: make([][]int, 2)}
		for k := range 2 {
			for range 2000 {
				z := 4 * rng.NormFloat64()
				c := 0
				if rng.Float64() < 1/(1+math.Exp(-beta*z)) {
					c = 1
				}
				d.Logits[k] = append(d.Logits[k], float32(z))
				d.Choices[k] = append(d.Choices[k], c)
			}
		}
		r, err := Meta("ERMI", st, &d, Options{Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(*r.Beta-beta) > 0.05 {
			t.Errorf("β = %.3f, generated with %.2f", *r.Beta, beta)
		}
		if want := 2*r.NLL + math.Log(616); math.Abs(r.BIC-want) > 1e-9 || r.K != 1 {
			t.Errorf("BIC %v (k %d), want %v", r.BIC, r.K, want)
		}
	}
}

func TestScores(t *testing.T) {
	if got := PseudoR2(96*math.Ln2, 96); math.Abs(got) > 1e-12 {
		t.Errorf("chance pseudo-R² = %v, want 0", got)
	}
	if got := PseudoR2(0, 96); got != 1 {
		t.Errorf("perfect pseudo-R² = %v, want 1", got)
	}
	for _, tt := range []struct {
		study, model string
		k            int
	}{{human.Badham2017, "GCM", 20}, {human.Badham2017, "PM", 44}, {human.Badham2017, "Rulex", 8}, {human.Devraj2022, "GCM", 8}, {human.Devraj2022, "Rule", 2}, {human.Devraj2022, "ERMI", 1}} {
		if k, err := PaperK(tt.study, tt.model); err != nil || k != tt.k {
			t.Errorf("PaperK(%s, %s) = %d, %v; want %d", tt.study, tt.model, k, err, tt.k)
		}
	}
	if _, err := PaperK(human.Devraj2022, "LLM"); err == nil {
		t.Error("PaperK gave a count for the LLM on Devraj")
	}
}

func TestClassicOnPeople(t *testing.T) {
	st, err := human.Load(human.Badham2017, filepath.Join("..", "..", human.DefaultPath(human.Badham2017)))
	if err != nil {
		t.Fatal(err)
	}
	models, err := ClassicModels(st.Name)
	if err != nil {
		t.Fatal(err)
	}
	p := &st.Participants[0]
	for _, m := range models {
		r, err := Classic(m, st, p, Options{Starts: 2, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		// Every model beats or equals guessing (it contains it: ε = 1, b = 1, g = 1).
		if chance := float64(p.Trials()) * math.Ln2; r.NLL > chance+1e-6 || r.PseudoR2 < -1e-9 {
			t.Errorf("%s: NLL %.2f above chance %.2f", m.Name(), r.NLL, chance)
		}
		if len(r.Conditions) != 4 || r.Trials != p.Trials() {
			t.Errorf("%s: %d conditions, %d trials", m.Name(), len(r.Conditions), r.Trials)
		}
	}
}
