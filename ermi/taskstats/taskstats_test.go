package taskstats

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/ermi-go/ermi/ermi/logreg"
	"github.com/ermi-go/ermi/ermi/tasks"
)

// TestLogitMatchesStatsmodels checks the fit behind Gini and P(linear)
// against statsmodels' Logit without intercept (testdata/statsmodels_logit.json,
// made by testdata/make_statsmodels_fixture.py).
func TestLogitMatchesStatsmodels(t *testing.T) {
	raw, err := os.ReadFile("testdata/statsmodels_logit.json")
	if err != nil {
		t.Fatal(err)
	}
	var fx struct {
		Statsmodels string
		Cases       []struct {
			Dims   int
			X      []float64
			Y      []int
			Params []float64
			Llf    float64
		}
	}
	if err := json.Unmarshal(raw, &fx); err != nil {
		t.Fatal(err)
	}
	for i, c := range fx.Cases {
		m, err := logreg.Fit(c.X, c.Y, c.Dims, logreg.Options{C: mleC, NoIntercept: true})
		if err != nil {
			t.Fatal(err)
		}
		ll := -nll(m, c.X, c.Y, c.Dims)
		if ll < c.Llf-1e-6 {
			t.Errorf("case %d: log-likelihood %.8f below statsmodels %s's %.8f", i, ll, fx.Statsmodels, c.Llf)
		}
		for j, w := range c.Params {
			if math.Abs(m.W[j]-w) > 1e-3*math.Max(1, math.Abs(w)) {
				t.Errorf("case %d: w[%d] = %.6f, statsmodels %.6f", i, j, m.W[j], w)
			}
		}
	}
}

func TestGini(t *testing.T) {
	tests := []struct {
		v    []float64
		want float64
	}{
		{[]float64{1, 1, 1, 1}, 0},
		{[]float64{0, 0, 0, 4}, 0.75}, // one feature does all: (n−1)/n
		{[]float64{0, 0, 0, 0}, 0},
		{[]float64{1, 3}, 0.25},
	}
	for _, tc := range tests {
		if got := Gini(tc.v); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("Gini(%v) = %v, want %v", tc.v, got, tc.want)
		}
	}
}

func TestKL(t *testing.T) {
	a := []float64{0.1, 0.2, 0.3, 0.9}
	if kl := KL(a, a, 5, 0, 1); math.Abs(kl) > 1e-12 {
		t.Errorf("KL(P‖P) = %v", kl)
	}
	if kl := KL([]float64{0.1, 0.1}, []float64{0.9, 0.9}, 5, 0, 1); kl < 5 {
		t.Errorf("disjoint histograms: KL = %v, want large", kl)
	}
}

// makeTask draws a 4-feature task of n trials labelled by rule.
func makeTask(rng *rand.Rand, n int, rule func(x []float64) int) tasks.Task {
	x := make([]float64, 0, n*4)
	y := make([]int, n)
	for i := range n {
		row := []float64{rng.Float64(), rng.Float64(), rng.Float64(), rng.Float64()}
		x = append(x, row...)
		y[i] = rule(row)
	}
	t, _ := tasks.NewBinary(0, 4, x, y)
	return t
}

func TestComputeSeesLinearityAndSparsity(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	// Two of four features, a boundary through the origin (the models have
	// no intercept): linear and sparse.
	one := makeTask(rng, 300, func(x []float64) int {
		if x[0] > x[1] {
			return 1
		}
		return 0
	})
	s, err := Compute(one)
	if err != nil {
		t.Fatal(err)
	}
	if s.PLinear < 0.5 || s.Gini < 0.3 || len(s.Correlations) != 6 || len(s.Curve) != CurveTrials {
		t.Errorf("linear sparse task: %+v", s)
	}
	// XOR of two features: the interaction model wins.
	xor := makeTask(rng, 300, func(x []float64) int {
		if (x[0] > 0.5) != (x[1] > 0.5) {
			return 1
		}
		return 0
	})
	s, err = Compute(xor)
	if err != nil {
		t.Fatal(err)
	}
	if s.PLinear > 0.1 {
		t.Errorf("XOR task: P(linear) = %v", s.PLinear)
	}
	if _, err := Compute(makeTask(rng, 40, func([]float64) int { return rng.IntN(2) })); err != ErrSkipped {
		t.Errorf("a 40-trial task: %v, want ErrSkipped", err)
	}
}

func TestSummarizeAndCompare(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var lin, xor []tasks.Task
	for range 20 {
		lin = append(lin, makeTask(rng, 100, func(x []float64) int {
			if x[0]+x[1] > x[2]+x[3] {
				return 1
			}
			return 0
		}))
		xor = append(xor, makeTask(rng, 100, func(x []float64) int {
			if (x[0] > 0.5) != (x[1] > 0.5) {
				return 1
			}
			return 0
		}))
	}
	a, err := Summarize("linear", lin, 15)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Summarize("xor", xor, 15)
	if a.Tasks != 15 || len(a.Gini) != 15 || len(a.Corr) != 15*6 {
		t.Errorf("summary %d tasks, %d gini, %d correlations", a.Tasks, len(a.Gini), len(a.Corr))
	}
	if Median(a.PLinear) < 0.5 || Median(b.PLinear) > 0.5 {
		t.Errorf("median P(linear): linear %.3f, xor %.3f", Median(a.PLinear), Median(b.PLinear))
	}
	if a.Curve[49] < 0.7 || a.Curve[0] != 0.5 {
		t.Errorf("linear tasks' curve: first %.2f, last %.2f", a.Curve[0], a.Curve[49])
	}
	self, other := Compare(a, a), Compare(a, b)
	if self.PLinear > 1e-9 || other.PLinear < 1 {
		t.Errorf("KL of P(linear): self %v, linear vs xor %v", self.PLinear, other.PLinear)
	}
}
