// Package bms is random-effects Bayesian model selection at the group level
// (Stephan et al. 2009, NeuroImage 46:1004; Rigoux et al. 2014, NeuroImage
// 84:971): given each subject's log evidence for each model, it infers how
// often each model generates a subject's data (a Dirichlet posterior over
// model frequencies), the exceedance probability that each model is the most
// frequent, and the protected exceedance probability that discounts it by the
// chance that all models are equally frequent (the Bayesian omnibus risk).
// The paper ran the Python port of Rigoux's VBA groupBMC on −BIC/2.
//
// Use:
//
//	// logEvidence[n][k]: subject n, model k, e.g. −BIC/2
//	res, err := bms.Group(logEvidence, bms.Options{Seed: 1})
//	fmt.Println(res.Frequency, res.Exceedance, res.ProtectedExceedance)
package bms

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat/distmv"
)

// Options set the inference.
type Options struct {
	// Samples is the number of Dirichlet draws for the exceedance
	// probabilities (0: 1,000,000).
	Samples int
	// Seed seeds those draws.
	Seed uint64
	// MaxIter bounds the variational iterations (0: 10,000); Tol is the
	// convergence threshold on the Dirichlet parameters (0: 1e-10).
	MaxIter int
	Tol     float64
}

// Result is the group-level inference.
type Result struct {
	// Alpha holds the posterior Dirichlet parameters (prior: all 1).
	Alpha []float64
	// Frequency is the posterior mean frequency of each model,
	// FrequencySD its posterior standard deviation.
	Frequency, FrequencySD []float64
	// Exceedance is P(model k is more frequent than every other).
	Exceedance []float64
	// ProtectedExceedance is (1 − BOR)·Exceedance + BOR/K.
	ProtectedExceedance []float64
	// BOR is the Bayesian omnibus risk: the posterior probability that all
	// models are equally frequent.
	BOR float64
	// Responsibility[n][k] is the posterior probability that subject n's
	// data came from model k.
	Responsibility [][]float64
	// FreeEnergy is the variational bound on the log evidence of the
	// random-effects hypothesis, FreeEnergyNull that of the null (every
	// model equally frequent).
	FreeEnergy, FreeEnergyNull float64
}

// Group infers model frequencies from logEvidence[n][k], subject n's log
// evidence for model k.
func Group(logEvidence [][]float64, opt Options) (Result, error) {
	if opt.Samples <= 0 {
		opt.Samples = 1_000_000
	}
	if opt.MaxIter <= 0 {
		opt.MaxIter = 10_000
	}
	if opt.Tol <= 0 {
		opt.Tol = 1e-10
	}
	n := len(logEvidence)
	if n == 0 {
		return Result{}, errors.New("bms: no subjects")
	}
	k := len(logEvidence[0])
	if k < 2 {
		return Result{}, fmt.Errorf("bms: %d models; model selection needs two or more", k)
	}
	for i, row := range logEvidence {
		if len(row) != k {
			return Result{}, fmt.Errorf("bms: subject %d has %d models, subject 0 has %d", i, len(row), k)
		}
		for j, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return Result{}, fmt.Errorf("bms: subject %d, model %d: log evidence %v", i, j, v)
			}
		}
	}
	alpha0 := make([]float64, k)
	for j := range alpha0 {
		alpha0[j] = 1
	}
	alpha := append([]float64(nil), alpha0...)
	g := make([][]float64, n)
	for i := range g {
		g[i] = make([]float64, k)
	}
	elogr := make([]float64, k)
	for range opt.MaxIter {
		expectedLogFreq(alpha, elogr)
		next := append([]float64(nil), alpha0...)
		for i, row := range logEvidence {
			softmax(row, elogr, g[i])
			for j := range k {
				next[j] += g[i][j]
			}
		}
		change := 0.0
		for j := range k {
			change = max(change, math.Abs(next[j]-alpha[j]))
		}
		alpha = next
		if change < opt.Tol {
			break
		}
	}
	expectedLogFreq(alpha, elogr)
	for i, row := range logEvidence {
		softmax(row, elogr, g[i])
	}
	res := Result{Alpha: alpha, Responsibility: g}
	sum := 0.0
	for _, a := range alpha {
		sum += a
	}
	for _, a := range alpha {
		res.Frequency = append(res.Frequency, a/sum)
		res.FrequencySD = append(res.FrequencySD, math.Sqrt(a*(sum-a)/(sum*sum*(sum+1))))
	}
	res.FreeEnergy = freeEnergy(logEvidence, g, alpha0, alpha)
	res.FreeEnergyNull = nullEnergy(logEvidence)
	res.BOR = 1 / (1 + math.Exp(res.FreeEnergy-res.FreeEnergyNull))
	res.Exceedance = exceedance(alpha, opt.Samples, opt.Seed)
	for _, ep := range res.Exceedance {
		res.ProtectedExceedance = append(res.ProtectedExceedance, (1-res.BOR)*ep+res.BOR/float64(k))
	}
	return res, nil
}

// expectedLogFreq sets out[k] = E[ln r_k] = ψ(α_k) − ψ(Σα).
func expectedLogFreq(alpha, out []float64) {
	sum := 0.0
	for _, a := range alpha {
		sum += a
	}
	for j, a := range alpha {
		out[j] = mathext.Digamma(a) - mathext.Digamma(sum)
	}
}

// softmax sets g to the normalised exp(le + elogr), computed stably.
func softmax(le, elogr, g []float64) {
	m := math.Inf(-1)
	for j := range le {
		m = max(m, le[j]+elogr[j])
	}
	s := 0.0
	for j := range le {
		g[j] = math.Exp(le[j] + elogr[j] - m)
		s += g[j]
	}
	for j := range g {
		g[j] /= s
	}
}

// lnBeta returns ln B(α) = Σ ln Γ(α_k) − ln Γ(Σα).
func lnBeta(alpha []float64) float64 {
	s, sum := 0.0, 0.0
	for _, a := range alpha {
		lg, _ := math.Lgamma(a)
		s += lg
		sum += a
	}
	lg, _ := math.Lgamma(sum)
	return s - lg
}

// freeEnergy is the variational free energy of the random-effects model
// (Rigoux et al. 2014, eq. A.11): E[ln p(y|m)] + E[ln p(m|r)] + E[ln p(r)]
// − E[ln q(m)] − E[ln q(r)].
func freeEnergy(le, g [][]float64, alpha0, alpha []float64) float64 {
	k := len(alpha)
	elogr := make([]float64, k)
	expectedLogFreq(alpha, elogr)
	f := 0.0
	for i := range le {
		for j := range k {
			if g[i][j] > 0 {
				f += g[i][j] * (le[i][j] + elogr[j] - math.Log(g[i][j]))
			}
		}
	}
	f += -lnBeta(alpha0) + lnBeta(alpha)
	for j := range k {
		f += (alpha0[j] - alpha[j]) * elogr[j]
	}
	return f
}

// nullEnergy is the log evidence of the null hypothesis that every model is
// equally frequent: Σ_n ln Σ_k exp(le_nk)/K.
func nullEnergy(le [][]float64) float64 {
	f := 0.0
	for _, row := range le {
		m := math.Inf(-1)
		for _, v := range row {
			m = max(m, v)
		}
		s := 0.0
		for _, v := range row {
			s += math.Exp(v - m)
		}
		f += m + math.Log(s/float64(len(row)))
	}
	return f
}

// exceedance estimates P(r_k > r_j for all j ≠ k) under Dirichlet(alpha)
// from samples draws.
func exceedance(alpha []float64, samples int, seed uint64) []float64 {
	d := distmv.NewDirichlet(alpha, rand.NewPCG(seed, 0xb35))
	x := make([]float64, len(alpha))
	count := make([]float64, len(alpha))
	for range samples {
		d.Rand(x)
		best := 0
		for j := range x {
			if x[j] > x[best] {
				best = j
			}
		}
		count[best]++
	}
	for j := range count {
		count[j] /= float64(samples)
	}
	return count
}
