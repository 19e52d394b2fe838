// Package fit fits models of category learning to people's trial-by-trial
// choices, as the paper did: the classic models (package cogmodels) per
// participant and condition by maximum likelihood, the meta-learners (ERMI,
// MI, PFN, RMC) by one inverse temperature β ∈ [0, 1] per participant on
// p = σ(β·logit); and it scores each fit by BIC and pseudo-R² for the group
// comparison (package bms).
//
// Use:
//
//	st, _ := human.Load(human.Badham2017, human.DefaultPath(human.Badham2017))
//	res, err := fit.Classic(cogmodels.GCM{}, st, &st.Participants[0], fit.Options{Starts: 5, Seed: 1})
//	fmt.Println(res.NLL, res.BIC)
package fit

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"gonum.org/v1/gonum/optimize"

	"github.com/ermi-go/ermi/ermi/cogmodels"
	"github.com/ermi-go/ermi/ermi/human"
)

// Options set the numerical optimiser.
type Options struct {
	// Starts is the number of random starts, uniform inside the bounds; the
	// best optimum is kept (0: 5).
	Starts int
	// MaxEvals bounds the objective evaluations of each start (0: 4000).
	MaxEvals int
	// Seed seeds the starts.
	Seed uint64
}

func (o Options) withDefaults() Options {
	if o.Starts <= 0 {
		o.Starts = 5
	}
	if o.MaxEvals <= 0 {
		o.MaxEvals = 4000
	}
	return o
}

// Minimize returns the parameters inside the box ps that minimise f, and
// f there. Each of opt.Starts starts is drawn uniformly inside the box and
// refined by gonum's Nelder–Mead on the box mapped to the whole real line
// (θ = min + (max − min)·σ(u)), so every evaluated point is inside the bounds
// and an optimum on a bound is approached as closely as the function's
// flatness allows. Discrete parameters are not supported (see
// cogmodels.ExactFitter).
func Minimize(f func(theta []float64) float64, ps []cogmodels.Param, opt Options, rng *rand.Rand) ([]float64, float64, error) {
	opt = opt.withDefaults()
	n := len(ps)
	for _, p := range ps {
		if p.Discrete {
			return nil, 0, fmt.Errorf("fit: parameter %s is discrete", p.Name)
		}
		if !(p.Max > p.Min) {
			return nil, 0, fmt.Errorf("fit: parameter %s has bounds [%v, %v]", p.Name, p.Min, p.Max)
		}
	}
	theta := make([]float64, n)
	toTheta := func(u []float64) []float64 {
		for i, p := range ps {
			theta[i] = p.Min + (p.Max-p.Min)/(1+math.Exp(-u[i]))
		}
		return theta
	}
	obj := func(u []float64) float64 {
		v := f(toTheta(u))
		if math.IsNaN(v) {
			return math.Inf(1)
		}
		return v
	}
	best := math.Inf(1)
	var bestTheta []float64
	for range opt.Starts {
		u0 := make([]float64, n)
		for i := range u0 {
			q := 0.02 + 0.96*rng.Float64()
			u0[i] = math.Log(q / (1 - q))
		}
		settings := &optimize.Settings{
			FuncEvaluations: opt.MaxEvals,
			Converger:       &optimize.FunctionConverge{Absolute: 1e-9, Relative: 1e-10, Iterations: 200},
		}
		res, err := optimize.Minimize(optimize.Problem{Func: obj}, u0, settings, &optimize.NelderMead{SimplexSize: 1})
		if err != nil && res == nil {
			return nil, 0, fmt.Errorf("fit: %w", err)
		}
		if res.F < best {
			best = res.F
			bestTheta = append([]float64(nil), toTheta(res.X)...)
		}
	}
	if bestTheta == nil {
		return nil, 0, errors.New("fit: the objective is not finite anywhere the optimiser looked")
	}
	return bestTheta, best, nil
}

// ConditionFit is a classic model's fit to one condition.
type ConditionFit struct {
	Condition int       `json:"condition"`
	Names     []string  `json:"names"`
	Values    []float64 `json:"values"`
	NLL       float64   `json:"nll"`
	Trials    int       `json:"trials"`
}

// Result is one model's fit to one participant.
type Result struct {
	Study       string `json:"study"`
	Participant int    `json:"participant"`
	Model       string `json:"model"`
	// Trials is the number of the participant's trials fitted.
	Trials int `json:"trials"`
	// NLL is the negative log-likelihood of the person's choices, summed
	// over conditions.
	NLL float64 `json:"nll"`
	// K is the number of parameters BIC counts (the paper's; see PaperK).
	K int `json:"k"`
	// BIC = 2·NLL + K·ln N with the study's fixed N.
	BIC float64 `json:"bic"`
	// PseudoR2 = 1 − LL/(Trials·ln 0.5).
	PseudoR2 float64 `json:"pseudo_r2"`
	// Conditions holds a classic model's parameters per condition; Beta a
	// meta-learner's inverse temperature.
	Conditions []ConditionFit `json:"conditions,omitempty"`
	Beta       *float64       `json:"beta,omitempty"`
}

// ParamString returns the fitted parameters as text:
// "1: c=2.31 eps=0.05 …; 2: …" or "beta=0.41".
func (r *Result) ParamString() string {
	if r.Beta != nil {
		return fmt.Sprintf("beta=%.4g", *r.Beta)
	}
	var parts []string
	for _, c := range r.Conditions {
		kv := make([]string, len(c.Names))
		for i := range c.Names {
			kv[i] = fmt.Sprintf("%s=%.4g", c.Names[i], c.Values[i])
		}
		parts = append(parts, fmt.Sprintf("%d: %s", c.Condition, strings.Join(kv, " ")))
	}
	return strings.Join(parts, "; ")
}

// score fills K, BIC and PseudoR2.
func (r *Result) score(st *human.Study) error {
	k, err := PaperK(st.Name, r.Model)
	if err != nil {
		return err
	}
	r.K = k
	r.BIC = BIC(r.NLL, k, st.BICTrials)
	r.PseudoR2 = PseudoR2(r.NLL, r.Trials)
	return nil
}

// BIC returns 2·nll + k·ln n.
func BIC(nll float64, k, n int) float64 { return 2*nll + float64(k)*math.Log(float64(n)) }

// PseudoR2 returns 1 − LL/(trials·ln 0.5) for LL = −nll: 0 for a model at
// chance, 1 for one that predicts every choice with certainty.
func PseudoR2(nll float64, trials int) float64 {
	if trials == 0 {
		return 0
	}
	return 1 - (-nll)/(float64(trials)*math.Log(0.5))
}

// PaperK returns the number of parameters the paper's BIC counts for a
// model in a study (spec §4.4): 1 for a meta-learner (β); for Badham 2017,
// GCM 20, PM 44, Rulex and Rule 8, LLM 4 (four conditions); for Devraj 2022,
// GCM 8, PM 8, Rulex and Rule 2.
func PaperK(study, model string) (int, error) {
	if IsMetaLearner(model) {
		return 1, nil
	}
	table := map[string]map[string]int{
		human.Badham2017: {"GCM": 20, "PM": 44, "Rulex": 8, "Rule": 8, "LLM": 4},
		human.Devraj2022: {"GCM": 8, "PM": 8, "Rulex": 2, "Rule": 2},
	}
	k, ok := table[study][model]
	if !ok {
		return 0, fmt.Errorf("fit: no parameter count for model %q in study %q", model, study)
	}
	return k, nil
}

// IsMetaLearner reports whether a model name is one of the meta-learners.
func IsMetaLearner(model string) bool {
	switch model {
	case "ERMI", "MI", "PFN", "RMC":
		return true
	}
	return false
}

// ClassicModels returns the paper's classic models for a study, set up as
// its code: Rulex's exceptions ([1,1,1] and [0,0,0] for Badham; 111101 and
// 000100 for Devraj), pair rules for Badham's condition 2 (type II), learned
// prototypes for Badham and 000000/111111 for Devraj.
func ClassicModels(study string) ([]cogmodels.Model, error) {
	switch study {
	case human.Badham2017:
		exc := [][]float64{{1, 1, 1}, {0, 0, 0}}
		return []cogmodels.Model{
			cogmodels.GCM{},
			cogmodels.PM{},
			cogmodels.Rule{Label: "Rulex", Exceptions: exc, PairConditions: []int{2}},
			cogmodels.Rule{Label: "Rule", PairConditions: []int{2}},
		}, nil
	case human.Devraj2022:
		exc := [][]float64{{1, 1, 1, 1, 0, 1}, {0, 0, 0, 1, 0, 0}}
		return []cogmodels.Model{
			cogmodels.GCM{},
			cogmodels.PM{Prototypes: [][]float64{{0, 0, 0, 0, 0, 0}, {1, 1, 1, 1, 1, 1}}},
			cogmodels.Rule{Label: "Rulex", Exceptions: exc},
			cogmodels.Rule{Label: "Rule"},
		}, nil
	}
	return nil, fmt.Errorf("fit: unknown study %q", study)
}

// Classic fits a classic model to one participant of a study: each
// condition separately (the paper's per-condition fits), the NLLs summed.
// The starts are seeded by opt.Seed and the participant's ID, so a fit is
// the same whatever else is fitted with it.
func Classic(m cogmodels.Model, st *human.Study, p *human.Participant, opt Options) (Result, error) {
	r := Result{Study: st.Name, Participant: p.ID, Model: m.Name()}
	rng := rand.New(rand.NewPCG(opt.Seed, uint64(p.ID)+1))
	for i := range p.Sequences {
		s := &p.Sequences[i]
		ps := m.Params(s)
		var theta []float64
		var nll float64
		if ex, ok := m.(cogmodels.ExactFitter); ok {
			var err error
			theta, nll, err = ex.FitExact(s)
			if err != nil {
				return r, fmt.Errorf("fit: %s, participant %d, condition %d: %w", m.Name(), p.ID, s.Condition, err)
			}
		} else {
			predict, err := m.Prepare(s)
			if err != nil {
				return r, fmt.Errorf("fit: %s, participant %d, condition %d: %w", m.Name(), p.ID, s.Condition, err)
			}
			prob := make([]float64, s.Len())
			f := func(theta []float64) float64 {
				predict(theta, prob)
				return cogmodels.NLL(prob, s.Choice)
			}
			theta, nll, err = Minimize(f, ps, opt, rng)
			if err != nil {
				return r, fmt.Errorf("fit: %s, participant %d, condition %d: %w", m.Name(), p.ID, s.Condition, err)
			}
		}
		names := make([]string, len(ps))
		for j := range ps {
			names[j] = ps[j].Name
		}
		r.Conditions = append(r.Conditions, ConditionFit{Condition: s.Condition, Names: names, Values: theta, NLL: nll, Trials: s.Len()})
		r.NLL += nll
		r.Trials += s.Len()
	}
	return r, r.score(st)
}
