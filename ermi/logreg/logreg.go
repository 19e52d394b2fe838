// Package logreg fits L2-regularised logistic regression with scikit-learn's
// default objective (LogisticRegression(): penalty "l2", C = 1, an
// unpenalised intercept), minimised exactly with gonum's quasi-Newton
// optimiser; and runs it online, trial by trial, as the baseline a
// meta-learner is compared with.
//
// Use:
//
//	m, err := logreg.Fit(x, y, dims, logreg.Options{C: 1})
//	p := m.Prob(row)
package logreg

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/optimize"
)

// Options of a fit.
type Options struct {
	// C is the inverse regularisation strength (scikit-learn's C); 0
	// means 1, scikit-learn's default.
	C float64
	// NoIntercept fits the weights alone.
	NoIntercept bool
}

// Model is a fitted logistic regression: P(y = 1 | x) = σ(w·x + b).
type Model struct {
	W []float64
	B float64
}

// Prob returns P(y = 1 | x).
func (m Model) Prob(x []float64) float64 {
	z := m.B
	for i, w := range m.W {
		z += w * x[i]
	}
	return 1 / (1 + math.Exp(-z))
}

// Fit minimises C·Σ_i logloss(y_i, σ(w·x_i + b)) + ½‖w‖² over w and b. x
// holds len(y) rows of dims values; y holds 0 or 1.
func Fit(x []float64, y []int, dims int, opt Options) (Model, error) {
	n := len(y)
	if dims < 1 || len(x) != n*dims {
		return Model{}, fmt.Errorf("logreg: %d values for %d rows of %d features", len(x), n, dims)
	}
	if n == 0 {
		return Model{}, errors.New("logreg: no data")
	}
	c := opt.C
	if c == 0 {
		c = 1
	}
	if !(c > 0) {
		return Model{}, fmt.Errorf("logreg: C = %v", c)
	}
	for i, v := range y {
		if v != 0 && v != 1 {
			return Model{}, fmt.Errorf("logreg: label %d of row %d", v, i)
		}
	}
	np := dims + 1
	if opt.NoIntercept {
		np = dims
	}
	problem := optimize.Problem{
		Func: func(p []float64) float64 { f, _ := objective(p, nil, x, y, dims, c, opt.NoIntercept); return f },
		Grad: func(g, p []float64) { objective(p, g, x, y, dims, c, opt.NoIntercept) },
	}
	settings := &optimize.Settings{GradientThreshold: 1e-10, MajorIterations: 2000,
		Converger: &optimize.FunctionConverge{Absolute: 1e-15, Relative: 1e-15, Iterations: 20}}
	res, err := optimize.Minimize(problem, make([]float64, np), settings, &optimize.LBFGS{})
	if err != nil && res == nil {
		return Model{}, fmt.Errorf("logreg: %w", err)
	}
	m := Model{W: append([]float64(nil), res.X[:dims]...)}
	if !opt.NoIntercept {
		m.B = res.X[dims]
	}
	return m, nil
}

// objective returns the penalised loss at p and, when g is not nil, writes
// its gradient into g.
func objective(p, g, x []float64, y []int, dims int, c float64, noIntercept bool) (float64, []float64) {
	f := 0.0
	for j := range dims {
		f += 0.5 * p[j] * p[j]
	}
	if g != nil {
		for j := range g {
			g[j] = 0
		}
		for j := range dims {
			g[j] = p[j]
		}
	}
	for i, yi := range y {
		row := x[i*dims : (i+1)*dims]
		z := 0.0
		if !noIntercept {
			z = p[dims]
		}
		for j, v := range row {
			z += p[j] * v
		}
		// log(1 + e^z) − y·z, computed stably.
		f += c * (math.Max(z, 0) + math.Log1p(math.Exp(-math.Abs(z))) - float64(yi)*z)
		if g != nil {
			r := c * (1/(1+math.Exp(-z)) - float64(yi))
			for j, v := range row {
				g[j] += r * v
			}
			if !noIntercept {
				g[dims] += r
			}
		}
	}
	return f, g
}

// Online returns, for each trial t of a task, the probability of category 1
// that a logistic regression fitted to trials 0…t−1 gives trial t. Before
// both categories have been seen it returns 0.5, as the paper's statistics
// scored such trials.
func Online(x []float64, y []int, dims int, opt Options) ([]float64, error) {
	p := make([]float64, len(y))
	seen := [2]bool{}
	for t := range y {
		p[t] = 0.5
		if seen[0] && seen[1] {
			m, err := Fit(x[:t*dims], y[:t], dims, opt)
			if err != nil {
				return nil, err
			}
			p[t] = m.Prob(x[t*dims : (t+1)*dims])
		}
		if y[t] == 0 || y[t] == 1 {
			seen[y[t]] = true
		}
	}
	return p, nil
}
