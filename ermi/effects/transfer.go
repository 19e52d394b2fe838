package effects

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat"

	"github.com/ermi-go/ermi/ermi/benchmark"
	"github.com/ermi-go/ermi/ermi/metalearner"
)

// The stimuli of Johansen & Palmeri (2002), as the paper's JohanssensTask:
// nine training items (A: target 0, B: target 1) and seven transfer items.
var (
	TransferA     = [][]float64{{0, 0, 0, 1}, {0, 1, 0, 1}, {0, 1, 0, 0}, {0, 0, 1, 0}, {1, 0, 0, 0}}
	TransferB     = [][]float64{{0, 0, 1, 1}, {1, 0, 0, 1}, {1, 1, 1, 0}, {1, 1, 1, 1}}
	TransferItems = [][]float64{{0, 1, 1, 0}, {0, 1, 1, 1}, {0, 0, 0, 0}, {1, 1, 0, 1}, {1, 0, 1, 0}, {1, 1, 0, 0}, {1, 0, 1, 1}}
	// TransferBlocks are the training blocks the paper reads P(A) after.
	TransferBlocks = []int{1, 2, 3, 4, 5, 6, 8, 16, 24, 32}
)

// LoadJohansen2002 reads people's P(A) for the seven transfer items T1–T7
// (the paper's johanssen2002.json: x names A1…B4, T1…T7; y the P(A)).
func LoadJohansen2002(path string) ([]float64, error) {
	var raw struct {
		X []string  `json:"x"`
		Y []float64 `json:"y"`
	}
	if err := readJSON(path, &raw); err != nil {
		return nil, err
	}
	if len(raw.X) != len(raw.Y) {
		return nil, fmt.Errorf("effects: %s: %d names, %d values", path, len(raw.X), len(raw.Y))
	}
	out := make([]float64, len(TransferItems))
	found := 0
	for i, name := range raw.X {
		var k int
		if _, err := fmt.Sscanf(name, "T%d", &k); err == nil && k >= 1 && k <= len(out) {
			out[k-1] = raw.Y[i]
			found++
		}
	}
	if found != len(out) {
		return nil, fmt.Errorf("effects: %s: %d of the transfer items T1–T7", path, found)
	}
	return out, nil
}

// TransferOrder reports whether the model sends every transfer item to the
// category people chose for it: P(A) above 1/2 exactly where people's is.
func TransferOrder(model, people []float64) bool {
	for i := range people {
		if (model[i] > 0.5) != (people[i] > 0.5) {
			return false
		}
	}
	return true
}

// TransferOptions set the simulation.
type TransferOptions struct {
	// Sequences per block (0: 544, the paper's batch).
	Sequences int
	// Betas is the grid β is chosen on (nil: 0.1, 0.2, …, 1, the paper's).
	Betas []float64
	Seed  uint64
}

// TransferResult is the rule-plus-exception simulation.
type TransferResult struct {
	// Beta minimises Distance, the Euclidean distance between the model's
	// and people's P(A) of T1–T7 after the last block.
	Beta, Distance float64
	// PA[b][i] is P(A) of transfer item i after TransferBlocks[b], at Beta.
	PA [][]float64
	// Human is people's P(A) of T1–T7; Spearman the rank correlation of
	// the model's last-block P(A) with it.
	Human    []float64
	Spearman float64
	// Pass says whether every item goes where people send it (TransferOrder).
	Pass             bool
	Betas, Distances []float64
	Opt              TransferOptions
}

// Transfer simulates a 4-feature meta-learner on Johansen & Palmeri's
// task as the paper: for each block b, int(288·b/32) + 1 trials drawn with
// replacement from the nine training items (no label flip), the last one
// replaced by a random transfer item, where the model's answer is read.
// P(A) is the model's mean probability of category A, 1 − σ(β·logit),
// over the sequences that end in an item (the expectation of the paper's
// sampled choices).
func Transfer(net *metalearner.Model, human []float64, opt TransferOptions) (*TransferResult, error) {
	if opt.Sequences <= 0 {
		opt.Sequences = 544
	}
	if opt.Betas == nil {
		opt.Betas = grid(0.1, 1, 0.1)
	}
	if len(human) != len(TransferItems) {
		return nil, fmt.Errorf("effects: %d human P(A), want %d", len(human), len(TransferItems))
	}
	rng := rand.New(rand.NewPCG(opt.Seed, 0x7a5f))
	train := append(append([][]float64{}, TransferA...), TransferB...)
	// last[b][k]: the logit on the transfer trial of sequence k of block b.
	last := make([][]float32, len(TransferBlocks))
	item := make([][]int, len(TransferBlocks))
	for bi, blk := range TransferBlocks {
		n := 288*blk/32 + 1
		seqs := make([]sequence, opt.Sequences)
		item[bi] = make([]int, opt.Sequences)
		for k := range seqs {
			s := sequence{x: make([]float64, 0, n*4), y: make([]int, n)}
			for t := range n - 1 {
				i := rng.IntN(len(train))
				s.x = append(s.x, train[i]...)
				if i >= len(TransferA) {
					s.y[t] = 1
				}
			}
			it := rng.IntN(len(TransferItems))
			item[bi][k] = it
			s.x = append(s.x, TransferItems[it]...)
			seqs[k] = s
		}
		z, err := logits(net, seqs, 4, rng)
		if err != nil {
			return nil, err
		}
		last[bi] = make([]float32, len(z))
		for k := range z {
			last[bi][k] = z[k][n-1]
		}
	}
	res := &TransferResult{Human: human, Opt: opt, Distance: math.Inf(1)}
	for _, beta := range opt.Betas {
		pa := make([][]float64, len(TransferBlocks))
		for bi := range TransferBlocks {
			sum := make([]float64, len(TransferItems))
			cnt := make([]float64, len(TransferItems))
			for k, z := range last[bi] {
				sum[item[bi][k]] += 1 - sigmoid(beta, z)
				cnt[item[bi][k]]++
			}
			pa[bi] = make([]float64, len(TransferItems))
			for i := range sum {
				pa[bi][i] = math.NaN()
				if cnt[i] > 0 {
					pa[bi][i] = sum[i] / cnt[i]
				}
			}
		}
		end := pa[len(pa)-1]
		d := 0.0
		for i := range end {
			d += (end[i] - human[i]) * (end[i] - human[i])
		}
		d = math.Sqrt(d)
		res.Betas = append(res.Betas, beta)
		res.Distances = append(res.Distances, d)
		if d < res.Distance || math.IsNaN(res.Distance) {
			res.Beta, res.Distance, res.PA = beta, d, pa
		}
	}
	end := res.PA[len(res.PA)-1]
	res.Spearman = spearman(end, human)
	res.Pass = TransferOrder(end, human)
	return res, nil
}

// spearman returns the rank correlation of a and b (ties averaged).
func spearman(a, b []float64) float64 {
	r := benchmark.Ranks([][]float64{a, b})
	return stat.Correlation(r[0], r[1], nil)
}
