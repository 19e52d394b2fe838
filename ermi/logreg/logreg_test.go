package logreg

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"testing"
)

func TestMatchesScikitLearn(t *testing.T) {
	raw, err := os.ReadFile("testdata/sklearn_fits.json")
	if err != nil {
		t.Fatal(err)
	}
	var fx struct {
		Sklearn string
		Cases   []struct {
			Dims      int
			C         float64
			X         []float64
			Y         []int
			Coef      []float64
			Intercept float64
		}
	}
	if err := json.Unmarshal(raw, &fx); err != nil {
		t.Fatal(err)
	}
	for i, c := range fx.Cases {
		m, err := Fit(c.X, c.Y, c.Dims, Options{C: c.C})
		if err != nil {
			t.Fatal(err)
		}
		for j, w := range c.Coef {
			if math.Abs(m.W[j]-w) > 1e-5*math.Max(1, math.Abs(w)) {
				t.Errorf("case %d: w[%d] = %.8f, scikit-learn %s %.8f", i, j, m.W[j], fx.Sklearn, w)
			}
		}
		if math.Abs(m.B-c.Intercept) > 1e-5*math.Max(1, math.Abs(c.Intercept)) {
			t.Errorf("case %d: intercept %.8f, scikit-learn %.8f", i, m.B, c.Intercept)
		}
	}
}

func TestGradientMatchesFiniteDifferences(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	dims, n := 3, 20
	x := make([]float64, n*dims)
	y := make([]int, n)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	for i := range y {
		y[i] = rng.IntN(2)
	}
	p := []float64{0.3, -0.2, 0.5, 0.1}
	g := make([]float64, 4)
	objective(p, g, x, y, dims, 2, false)
	for j := range p {
		h := 1e-6
		pp := append([]float64(nil), p...)
		pm := append([]float64(nil), p...)
		pp[j] += h
		pm[j] -= h
		fp, _ := objective(pp, nil, x, y, dims, 2, false)
		fm, _ := objective(pm, nil, x, y, dims, 2, false)
		if num := (fp - fm) / (2 * h); math.Abs(num-g[j]) > 1e-5 {
			t.Errorf("gradient %d: %.7f, finite difference %.7f", j, g[j], num)
		}
	}
}

func TestOnline(t *testing.T) {
	// Inputs far apart, so that the data outweigh the L2 penalty early on.
	x := []float64{-5, 5, -4, 4, -3, 3, -4.5, 4.5}
	y := []int{0, 1, 0, 1, 0, 1, 0, 1}
	p, err := Online(x, y, 1, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p[0] != 0.5 || p[1] != 0.5 {
		t.Errorf("before both categories were seen: %v", p[:2])
	}
	for tr := 2; tr < len(y); tr++ {
		if (p[tr] > 0.5) != (y[tr] == 1) {
			t.Errorf("trial %d: P(1) = %.3f for category %d", tr, p[tr], y[tr])
		}
	}
	if _, err := Fit([]float64{1, 2}, []int{0, 2}, 1, Options{}); err == nil {
		t.Error("Fit accepted label 2")
	}
	if _, err := Fit([]float64{1}, []int{0, 1}, 1, Options{}); err == nil {
		t.Error("Fit accepted mismatched shapes")
	}
}
