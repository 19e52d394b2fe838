package benchmark

import (
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/ermi-go/ermi/ermi/metalearner"
)

func TestSplitsAreBalancedAndDisjoint(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var x [][]float64
	var y []int
	for i := range 300 {
		x = append(x, []float64{float64(i), 0})
		y = append(y, i%3%2) // 100 of class 1, 200 of class 0
	}
	sets, err := Splits(x, y, 5, rng)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sets {
		if len(s.TrainY) != Context || len(s.TestY) != Test || len(s.TrainX) != Context*2 || len(s.TestX) != Test*2 {
			t.Fatalf("set sizes %d/%d", len(s.TrainY), len(s.TestY))
		}
		ones, seen := 0, map[float64]bool{}
		for i, c := range append(append([]int{}, s.TrainY...), s.TestY...) {
			ones += c
			var id float64
			if i < Context {
				id = s.TrainX[2*i]
			} else {
				id = s.TestX[2*(i-Context)]
			}
			if seen[id] {
				t.Fatalf("row %v drawn twice in one set", id)
			}
			seen[id] = true
			if y[int(id)] != c {
				t.Fatalf("row %v carries class %d, data %d", id, c, y[int(id)])
			}
		}
		if ones != PerClass {
			t.Errorf("%d rows of class 1, want %d", ones, PerClass)
		}
	}
	if _, err := Splits(x[:120], y[:120], 1, rng); err == nil {
		t.Error("Splits accepted 40 rows of class 1")
	}
}

func TestAUC(t *testing.T) {
	tests := []struct {
		p    []float64
		y    []int
		want float64
	}{
		{[]float64{0.1, 0.4, 0.35, 0.8}, []int{0, 0, 1, 1}, 0.75}, // scikit-learn's doc example
		{[]float64{0.5, 0.5, 0.5, 0.5}, []int{0, 1, 0, 1}, 0.5},
		{[]float64{0.9, 0.8, 0.1}, []int{1, 1, 0}, 1},
	}
	for _, tc := range tests {
		if got := AUC(tc.p, tc.y); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("AUC(%v, %v) = %v, want %v", tc.p, tc.y, got, tc.want)
		}
	}
	if !math.IsNaN(AUC([]float64{0.2}, []int{1})) {
		t.Error("AUC with one class is not NaN")
	}
}

func TestRanksAverageTies(t *testing.T) {
	got := Ranks([][]float64{{0.8, 0.9, 0.8, 0.1}})
	if want := [][]float64{{2.5, 1, 2.5, 4}}; !reflect.DeepEqual(got, want) {
		t.Errorf("Ranks = %v, want %v", got, want)
	}
}

// A separable problem: logistic regression must do well; a meta-learner
// must run through the protocol and give probabilities.
func TestEvaluate(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var x [][]float64
	var y []int
	for range 400 {
		a, b := rng.Float64(), rng.Float64()
		c := 0
		if a > b {
			c = 1
		}
		x = append(x, []float64{a, b, rng.Float64(), rng.Float64()})
		y = append(y, c)
	}
	sets, err := Splits(x, y, 3, rng)
	if err != nil {
		t.Fatal(err)
	}
	acc, auc, err := Evaluate(LogisticRegression{}, sets)
	if err != nil {
		t.Fatal(err)
	}
	if acc < 0.7 || auc < 0.9 { // 30 training rows, C = 1 shrinkage: far above chance, not perfect
		t.Errorf("logistic regression: accuracy %.3f, AUC %.3f", acc, auc)
	}
	cfg := metalearner.PaperConfig(4, 300)
	cfg.Layers = 1
	m, err := metalearner.New(cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	acc, auc, err = Evaluate(MetaLearner{Label: "untrained", Model: m, Seed: 1}, sets)
	if err != nil || acc < 0 || acc > 1 || math.IsNaN(auc) {
		t.Errorf("meta-learner: accuracy %v, AUC %v, %v", acc, auc, err)
	}
	bad := MetaLearner{Label: "3-D", Model: mustModel(t, 3)}
	if _, _, err := Evaluate(bad, sets); err == nil {
		t.Error("a 3-D model accepted 4-D data")
	}
}

func mustModel(t *testing.T, dims int) *metalearner.Model {
	cfg := metalearner.PaperConfig(dims, 40)
	cfg.Layers = 1
	m, err := metalearner.New(cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func BenchmarkOpenMLSplit(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	var x [][]float64
	var y []int
	for i := range 200 {
		x = append(x, []float64{rng.Float64(), rng.Float64(), rng.Float64(), rng.Float64()})
		y = append(y, i%2)
	}
	sets, _ := Splits(x, y, 1, rng)
	m, err := metalearner.New(metalearner.PaperConfig(4, 300), 1)
	if err != nil {
		b.Fatal(err)
	}
	c := MetaLearner{Label: "ERMI", Model: m, Seed: 1}
	c.Predict(sets[0]) // compile
	b.ResetTimer()
	for range b.N {
		if _, err := c.Predict(sets[0]); err != nil {
			b.Fatal(err)
		}
	}
}
