// Package taskstats computes the statistics the ERMI paper used to compare
// LLM-generated tasks with real classification data and with the synthetic
// priors (spec §7): pairwise input correlations, sparsity as the Gini
// coefficient of the absolute logistic-regression weights, linearity as the
// posterior probability of a linear against an interaction model, the
// learning curve of online logistic regression, and KL divergences between
// the sources' histograms.
//
// Use:
//
//	s, err := taskstats.Summarize("llm", llmTasks, 400)
//	r, err := taskstats.Summarize("real", realTasks, 400)
//	kl := taskstats.Compare(r, s) // KL(real ‖ llm) per statistic
package taskstats

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/stat"

	"github.com/ermi-go/ermi/ermi/logreg"
	"github.com/ermi-go/ermi/ermi/tasks"
)

// MinRows is the paper's threshold: tasks with more rows are analysed.
const MinRows = 50

// CurveTrials is the length of the learning curve (trials 0–49).
const CurveTrials = 50

// mleC is the inverse L2 strength standing in for the paper's unpenalised
// maximum-likelihood fits (statsmodels Logit): large enough that the penalty
// does not move non-separable fits measurably (tested against statsmodels),
// and finite so that separable tasks, where no maximum exists, get a
// direction rather than an error.
const mleC = 1e6

// Task holds one task's statistics.
type Task struct {
	// Correlations holds Pearson's r of every pair of features.
	Correlations []float64
	// Gini is the Gini coefficient of |w| of a logistic regression
	// without intercept: 0 when all features matter alike, near 1 when one
	// does all the work.
	Gini float64
	// PLinear is the posterior probability of the linear model against
	// the interaction model (degree 2, interactions only), both without
	// intercept, from their BICs with equal priors.
	PLinear float64
	// Curve holds online logistic regression's accuracy on trials 0…49
	// (1 right, 0 wrong, 0.5 before both categories were seen).
	Curve []float64
}

// ErrSkipped marks a task the paper did not analyse (too short, or not
// exactly two categories).
var ErrSkipped = errors.New("taskstats: task not analysed")

// Compute returns the statistics of t, after min-max scaling its features
// globally as in training. Its labels are its category codes.
func Compute(t tasks.Task) (Task, error) {
	if t.Len() <= MinRows || t.NumCategories() != 2 {
		return Task{}, ErrSkipped
	}
	d, n := t.Dims, t.Len()
	x := append([]float64(nil), t.X...)
	tasks.NormalizeGlobal(x)
	var s Task
	col := func(j int) []float64 {
		c := make([]float64, n)
		for i := range n {
			c[i] = x[i*d+j]
		}
		return c
	}
	for a := range d {
		for b := a + 1; b < d; b++ {
			r := stat.Correlation(col(a), col(b), nil)
			if math.IsNaN(r) {
				r = 0 // a constant feature correlates with nothing
			}
			s.Correlations = append(s.Correlations, r)
		}
	}
	lin, err := logreg.Fit(x, t.Y, d, logreg.Options{C: mleC, NoIntercept: true})
	if err != nil {
		return Task{}, err
	}
	abs := make([]float64, d)
	for j, w := range lin.W {
		abs[j] = math.Abs(w)
	}
	s.Gini = Gini(abs)
	// Interaction model: the features and their pairwise products.
	di := d + d*(d-1)/2
	xi := make([]float64, 0, n*di)
	for i := range n {
		row := x[i*d : (i+1)*d]
		xi = append(xi, row...)
		for a := range d {
			for b := a + 1; b < d; b++ {
				xi = append(xi, row[a]*row[b])
			}
		}
	}
	inter, err := logreg.Fit(xi, t.Y, di, logreg.Options{C: mleC, NoIntercept: true})
	if err != nil {
		return Task{}, err
	}
	bicLin := 2*nll(lin, x, t.Y, d) + float64(d)*math.Log(float64(n))
	bicInt := 2*nll(inter, xi, t.Y, di) + float64(di)*math.Log(float64(n))
	s.PLinear = 1 / (1 + math.Exp((bicLin-bicInt)/2))
	m := min(n, CurveTrials)
	p, err := logreg.Online(x[:m*d], t.Y[:m], d, logreg.Options{})
	if err != nil {
		return Task{}, err
	}
	for i, pi := range p {
		switch {
		case pi == 0.5:
			s.Curve = append(s.Curve, 0.5)
		case (pi > 0.5) == (t.Y[i] == 1):
			s.Curve = append(s.Curve, 1)
		default:
			s.Curve = append(s.Curve, 0)
		}
	}
	return s, nil
}

// nll is the negative log-likelihood of a fitted model.
func nll(m logreg.Model, x []float64, y []int, d int) float64 {
	s := 0.0
	for i, yi := range y {
		p := m.Prob(x[i*d : (i+1)*d])
		p = math.Min(math.Max(p, 1e-15), 1-1e-15)
		if yi == 1 {
			s -= math.Log(p)
		} else {
			s -= math.Log(1 - p)
		}
	}
	return s
}

// Gini returns the Gini coefficient of non-negative values: the mean
// absolute difference over all pairs divided by twice the mean; 0 for
// all-equal or all-zero values.
func Gini(v []float64) float64 {
	n := float64(len(v))
	mean := 0.0
	for _, a := range v {
		mean += a
	}
	mean /= n
	if mean == 0 {
		return 0
	}
	mad := 0.0
	for _, a := range v {
		for _, b := range v {
			mad += math.Abs(a - b)
		}
	}
	return mad / (n * n) / (2 * mean)
}

// Summary pools the statistics of one source's tasks.
type Summary struct {
	Source   string    `json:"source"`
	Tasks    int       `json:"tasks"`   // tasks analysed
	Skipped  int       `json:"skipped"` // tasks too short or without two categories
	Corr     []float64 `json:"correlations"`
	Gini     []float64 `json:"gini"`
	PLinear  []float64 `json:"p_linear"`
	Features []float64 `json:"-"`     // every scaled feature value
	Curve    []float64 `json:"curve"` // mean accuracy per trial
}

// Summarize computes the statistics of the first maxTasks analysable tasks
// of ts (the paper: the first 400 task ids).
func Summarize(source string, ts []tasks.Task, maxTasks int) (Summary, error) {
	s := Summary{Source: source, Curve: make([]float64, CurveTrials)}
	counts := make([]float64, CurveTrials)
	for i := range ts {
		if s.Tasks >= maxTasks {
			break
		}
		st, err := Compute(ts[i])
		if errors.Is(err, ErrSkipped) {
			s.Skipped++
			continue
		}
		if err != nil {
			return s, fmt.Errorf("taskstats: %s task %d: %w", source, ts[i].ID, err)
		}
		s.Tasks++
		s.Corr = append(s.Corr, st.Correlations...)
		s.Gini = append(s.Gini, st.Gini)
		s.PLinear = append(s.PLinear, st.PLinear)
		x := append([]float64(nil), ts[i].X...)
		tasks.NormalizeGlobal(x)
		s.Features = append(s.Features, x...)
		for t, v := range st.Curve {
			s.Curve[t] += v
			counts[t]++
		}
	}
	for t := range s.Curve {
		if counts[t] > 0 {
			s.Curve[t] /= counts[t]
		}
	}
	if s.Tasks == 0 {
		return s, fmt.Errorf("taskstats: %s: no task with more than %d rows and two categories", source, MinRows)
	}
	return s, nil
}

// KL returns KL(P ‖ Q) between the histograms of samples p and q over bins
// equal bins on [lo, hi] (values outside are clamped into the end bins),
// with 1e-6 added to every bin before normalising, as the paper.
func KL(p, q []float64, bins int, lo, hi float64) float64 {
	hp, hq := histogram(p, bins, lo, hi), histogram(q, bins, lo, hi)
	kl := 0.0
	for i := range hp {
		kl += hp[i] * math.Log(hp[i]/hq[i])
	}
	return kl
}

func histogram(v []float64, bins int, lo, hi float64) []float64 {
	h := make([]float64, bins)
	for _, x := range v {
		i := int((x - lo) / (hi - lo) * float64(bins))
		h[min(max(i, 0), bins-1)]++
	}
	total := 0.0
	for i := range h {
		h[i] += 1e-6
		total += h[i]
	}
	for i := range h {
		h[i] /= total
	}
	return h
}

// Divergences are KL(reference ‖ source) per statistic, with the paper's
// bins: correlations 11 on [−1, 1], Gini 11 on [0, max], P(linear) 5 on
// [0, 1], scaled features 11 on [0, 1].
type Divergences struct {
	Source       string  `json:"source"`
	Correlations float64 `json:"correlations"`
	Gini         float64 `json:"gini"`
	PLinear      float64 `json:"p_linear"`
	Features     float64 `json:"features"`
}

// Compare returns the divergences of s from the reference ref.
func Compare(ref, s Summary) Divergences {
	gmax := 0.0
	for _, g := range append(append([]float64(nil), ref.Gini...), s.Gini...) {
		gmax = math.Max(gmax, g)
	}
	if gmax == 0 {
		gmax = 1
	}
	return Divergences{
		Source:       s.Source,
		Correlations: KL(ref.Corr, s.Corr, 11, -1, 1),
		Gini:         KL(ref.Gini, s.Gini, 11, 0, gmax),
		PLinear:      KL(ref.PLinear, s.PLinear, 5, 0, 1),
		Features:     KL(ref.Features, s.Features, 11, 0, 1),
	}
}

// Median returns the median of v (NaN for none).
func Median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	c := append([]float64(nil), v...)
	sort.Float64s(c)
	if len(c)%2 == 1 {
		return c[len(c)/2]
	}
	return (c[len(c)/2-1] + c[len(c)/2]) / 2
}
