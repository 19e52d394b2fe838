package bms

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/mathext"
)

func evidence(n, k int, f func(i, j int) float64) [][]float64 {
	le := make([][]float64, n)
	for i := range le {
		le[i] = make([]float64, k)
		for j := range le[i] {
			le[i][j] = f(i, j)
		}
	}
	return le
}

func TestDominantModel(t *testing.T) {
	le := evidence(20, 3, func(i, j int) float64 {
		if j == 1 {
			return -100
		}
		return -120 - float64(i%3)
	})
	res, err := Group(le, Options{Samples: 100_000, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	// Every subject's responsibility goes to model 1: α = (1, 21, 1).
	if math.Abs(res.Alpha[1]-21) > 1e-6 || math.Abs(res.Frequency[1]-21.0/23) > 1e-6 {
		t.Errorf("α %v, frequencies %v; want α₁ = 21", res.Alpha, res.Frequency)
	}
	if res.Exceedance[1] < 0.9999 || res.ProtectedExceedance[1] < 0.999 || res.BOR > 1e-3 {
		t.Errorf("EP %v, PXP %v, BOR %v; want model 1 certain", res.Exceedance, res.ProtectedExceedance, res.BOR)
	}
}

func TestIdenticalEvidence(t *testing.T) {
	le := evidence(30, 4, func(i, j int) float64 { return -50 - float64(i) })
	res, err := Group(le, Options{Samples: 200_000, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	for j := range 4 {
		if math.Abs(res.Frequency[j]-0.25) > 1e-9 || math.Abs(res.Exceedance[j]-0.25) > 0.01 || math.Abs(res.ProtectedExceedance[j]-0.25) > 0.01 {
			t.Errorf("model %d: frequency %v, EP %v, PXP %v; want 1/4", j, res.Frequency[j], res.Exceedance[j], res.ProtectedExceedance[j])
		}
	}
	// The null (equal frequencies) explains identical evidence better.
	if res.BOR <= 0.5 {
		t.Errorf("BOR %v, want above 1/2 when no model is better anywhere", res.BOR)
	}
}

func TestExceedanceTwoModels(t *testing.T) {
	// With two models, EP₁ = P(r₁ > 1/2) = 1 − I_{1/2}(α₁, α₂).
	le := evidence(12, 2, func(i, j int) float64 {
		if (i%3 == 0) == (j == 0) {
			return -10
		}
		return -12
	})
	res, err := Group(le, Options{Samples: 400_000, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	want := 1 - mathext.RegIncBeta(res.Alpha[0], res.Alpha[1], 0.5)
	if math.Abs(res.Exceedance[0]-want) > 0.003 {
		t.Errorf("EP₁ %v, exact %v (α %v)", res.Exceedance[0], want, res.Alpha)
	}
	if res.Frequency[1] <= res.Frequency[0] {
		t.Errorf("frequencies %v: model 2 is better in 8 of 12 subjects", res.Frequency)
	}
	sd := math.Sqrt(res.Alpha[0] * res.Alpha[1] / (14 * 14 * 15))
	if math.Abs(res.FrequencySD[0]-sd) > 1e-9 {
		t.Errorf("SD %v, want %v", res.FrequencySD[0], sd)
	}
}

func TestGroupErrors(t *testing.T) {
	tests := []struct {
		name string
		le   [][]float64
	}{
		{"no subjects", nil},
		{"one model", [][]float64{{1}}},
		{"ragged", [][]float64{{1, 2}, {1}}},
		{"NaN", [][]float64{{1, math.NaN()}}},
		{"infinite", [][]float64{{math.Inf(-1), 0}}},
	}
	for _, tt := range tests {
		if _, err := Group(tt.le, Options{Samples: 10}); err == nil {
			t.Errorf("%s: no error", tt.name)
		}
	}
}

func ExampleGroup() {
	// Five subjects, two models: model B has the higher evidence in four.
	le := [][]float64{{-10, -5}, {-10, -6}, {-10, -4}, {-9, -12}, {-10, -7}}
	res, _ := Group(le, Options{Seed: 1})
	fmt.Printf("frequencies %.2f, exceedance %.2f\n", res.Frequency, res.Exceedance)
	// Output: frequencies [0.27 0.73], exceedance [0.09 0.91]
}
