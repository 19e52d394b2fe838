// Package benchmark runs the paper's OpenML-CC18 protocol (spec §6): per
// data set, balanced random sets of 50 rows per class, the first 30 rows of
// each as context or training data and the other 70 as test points; a
// meta-learner classifies each test point in context, greedily, and the
// baselines are fitted on the 30 rows. It reports accuracy and ROC-AUC per
// data set, mean ranks with ties averaged, and paired comparisons.
//
// Use:
//
//	sets, err := benchmark.Splits(x, y, 20, rng)
//	acc, auc, err := benchmark.Evaluate(benchmark.LogisticRegression{}, sets)
package benchmark

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/ermi-go/ermi/ermi/logreg"
	"github.com/ermi-go/ermi/ermi/metalearner"
	"github.com/ermi-go/ermi/ermi/tasks"
)

// Protocol sizes (spec §6).
const (
	PerClass = 50 // rows drawn per class for one set
	Context  = 30 // rows used as context or training data
	Test     = 2*PerClass - Context
)

// Set is one benchmark set: training rows and test rows of d features.
type Set struct {
	Dims        int
	TrainX      []float64 // Context × Dims
	TrainY      []int
	TestX       []float64 // Test × Dims
	TestY       []int
	TrainSource []int // row indices in the data set, for reproducibility
}

// Splits draws n sets from rows x (each of equal length) with classes y
// (0/1): 50 rows of each class without replacement, shuffled together, the
// first 30 for training.
func Splits(x [][]float64, y []int, n int, rng *rand.Rand) ([]Set, error) {
	var byClass [2][]int
	for i, c := range y {
		if c != 0 && c != 1 {
			return nil, fmt.Errorf("benchmark: class %d of row %d is not 0 or 1", c, i)
		}
		byClass[c] = append(byClass[c], i)
	}
	if len(byClass[0]) < PerClass || len(byClass[1]) < PerClass {
		return nil, fmt.Errorf("benchmark: %d and %d rows per class, want at least %d each", len(byClass[0]), len(byClass[1]), PerClass)
	}
	if len(x) == 0 {
		return nil, errors.New("benchmark: no rows")
	}
	d := len(x[0])
	sets := make([]Set, n)
	for s := range sets {
		var rows []int
		for c := range 2 {
			perm := rng.Perm(len(byClass[c]))[:PerClass]
			for _, p := range perm {
				rows = append(rows, byClass[c][p])
			}
		}
		rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
		set := Set{Dims: d, TrainSource: rows[:Context]}
		for k, r := range rows {
			if k < Context {
				set.TrainX = append(set.TrainX, x[r]...)
				set.TrainY = append(set.TrainY, y[r])
			} else {
				set.TestX = append(set.TestX, x[r]...)
				set.TestY = append(set.TestY, y[r])
			}
		}
		sets[s] = set
	}
	return sets, nil
}

// Classifier returns P(class 1) for every test point of a set.
type Classifier interface {
	Name() string
	Predict(s Set) ([]float64, error)
}

// LogisticRegression is scikit-learn's LogisticRegression() default (L2,
// C = 1, intercept), fitted exactly.
type LogisticRegression struct{}

// Name returns "LR".
func (LogisticRegression) Name() string { return "LR" }

// Predict fits the training rows and returns the test points' P(class 1).
func (LogisticRegression) Predict(s Set) ([]float64, error) {
	m, err := logreg.Fit(s.TrainX, s.TrainY, s.Dims, logreg.Options{})
	if err != nil {
		return nil, err
	}
	p := make([]float64, len(s.TestY))
	for i := range p {
		p[i] = m.Prob(s.TestX[i*s.Dims : (i+1)*s.Dims])
	}
	return p, nil
}

// MetaLearner classifies in context as the paper did: for each test point a
// sequence of the 30 training rows and the test row, with the shifted-label
// encoding ([x_t, y_{t−1}], a random first bit), β = 1, read at the last
// position. All test points of a set go through one forward pass. No
// per-set rescaling is applied (the data are min-max scaled as a whole).
type MetaLearner struct {
	Label string
	Model *metalearner.Model
	// Seed draws the first feedback bits.
	Seed uint64
}

// Name returns the label.
func (m MetaLearner) Name() string { return m.Label }

// Predict returns the test points' P(class 1) = σ(logit).
func (m MetaLearner) Predict(s Set) ([]float64, error) {
	d, T := s.Dims, Context+1
	if d != m.Model.Config().Dims {
		return nil, fmt.Errorf("benchmark: %s takes %d features, the data have %d", m.Label, m.Model.Config().Dims, d)
	}
	rng := rand.New(rand.NewPCG(m.Seed, uint64(s.TrainSource[0])))
	n := len(s.TestY)
	b := tasks.Batch{Size: n, MaxLen: T, Dims: d, Inputs: make([]float32, n*T*(d+1)), Targets: make([]float32, n*T), Lengths: make([]int, n), TaskIDs: make([]int, n)}
	for i := range n {
		b.Lengths[i] = T
		prev := float32(rng.IntN(2))
		for t := range T {
			in := b.Input(i, t)
			var row []float64
			if t < Context {
				row = s.TrainX[t*d : (t+1)*d]
			} else {
				row = s.TestX[i*d : (i+1)*d]
			}
			for j, v := range row {
				in[j] = float32(v)
			}
			in[d] = prev
			if t < Context {
				prev = float32(s.TrainY[t])
			}
		}
	}
	logits, err := m.Model.Logits(b)
	if err != nil {
		return nil, err
	}
	p := make([]float64, n)
	for i := range n {
		p[i] = 1 / (1 + math.Exp(-float64(logits[i*T+T-1])))
	}
	return p, nil
}

// Evaluate returns the mean accuracy (prediction: P > 0.5) and ROC-AUC of c
// over the sets.
func Evaluate(c Classifier, sets []Set) (acc, auc float64, err error) {
	for _, s := range sets {
		p, err := c.Predict(s)
		if err != nil {
			return 0, 0, fmt.Errorf("benchmark: %s: %w", c.Name(), err)
		}
		correct := 0
		for i, pi := range p {
			if (pi > 0.5) == (s.TestY[i] == 1) {
				correct++
			}
		}
		acc += float64(correct) / float64(len(p))
		auc += AUC(p, s.TestY)
	}
	n := float64(len(sets))
	return acc / n, auc / n, nil
}

// AUC returns the area under the ROC curve of scores p for classes y, the
// Mann–Whitney statistic with ties counted half (scikit-learn's
// roc_auc_score); NaN when one class is absent.
func AUC(p []float64, y []int) float64 {
	idx := make([]int, len(p))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return p[idx[a]] < p[idx[b]] })
	ranks := make([]float64, len(p))
	for i := 0; i < len(idx); {
		j := i
		for j < len(idx) && p[idx[j]] == p[idx[i]] {
			j++
		}
		r := float64(i+j+1) / 2 // average 1-based rank of the tie group
		for k := i; k < j; k++ {
			ranks[idx[k]] = r
		}
		i = j
	}
	var npos, sumPos float64
	for i, c := range y {
		if c == 1 {
			npos++
			sumPos += ranks[i]
		}
	}
	nneg := float64(len(y)) - npos
	if npos == 0 || nneg == 0 {
		return math.NaN()
	}
	return (sumPos - npos*(npos+1)/2) / (npos * nneg)
}

// Ranks returns, per row of scores (one row per data set, one column per
// method), the methods' ranks, 1 for the highest score, ties averaged, as
// pandas' rank(ascending=False).
func Ranks(scores [][]float64) [][]float64 {
	out := make([][]float64, len(scores))
	for r, row := range scores {
		idx := make([]int, len(row))
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(a, b int) bool { return row[idx[a]] > row[idx[b]] })
		out[r] = make([]float64, len(row))
		for i := 0; i < len(idx); {
			j := i
			for j < len(idx) && row[idx[j]] == row[idx[i]] {
				j++
			}
			for k := i; k < j; k++ {
				out[r][idx[k]] = float64(i+j+1) / 2
			}
			i = j
		}
	}
	return out
}
