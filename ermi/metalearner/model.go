package metalearner

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // GoMLX's idiom for graph code
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/layers/activation"
	gmodel "github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"

	// The default backends: the pure-Go one, and XLA unless built with -tags=noxla.
	_ "github.com/gomlx/gomlx/backends/default"

	"github.com/ermi-go/ermi/ermi/tasks"
)

// LearningRate is the paper's Adam learning rate.
const LearningRate = 3e-4

// GoBackendConfig is the configuration of GoMLX's pure-Go backend that
// Backend uses when GOMLX_BACKEND is unset and XLA is not compiled in: two
// executors run the graph's independent operations side by side, each
// operation splitting its work over the remaining workers. The backend's
// default (eight executors, capped at twice the cores) made a training step
// 1.4-1.5 times slower on a 2-core machine (docs/design.md, "Backends").
const GoBackendConfig = "go:num_executors=2"

var (
	backendOnce   sync.Once
	backend       compute.Backend
	backendConfig string
	backendErr    error
)

// Backend returns the compute backend every model uses: the one named by
// GOMLX_BACKEND, or else GoBackendConfig when the binary has no XLA (the
// project builds with -tags=noxla), or else GoMLX's default.
func Backend() (compute.Backend, error) {
	backendOnce.Do(func() {
		defer func() {
			if r := recover(); r != nil {
				backendErr = fmt.Errorf("metalearner: no compute backend %q: %v", backendConfig, r)
			}
		}()
		config, set := os.LookupEnv(compute.ConfigEnvVar)
		if !set && !slices.Contains(compute.List(), "xla") {
			config, set = GoBackendConfig, true
		}
		backendConfig = config
		if set {
			backend, backendErr = compute.NewWithConfig(config)
		} else {
			backend, backendErr = compute.New()
		}
		if backendErr != nil {
			backendErr = fmt.Errorf("metalearner: no compute backend %q: %w", config, backendErr)
		}
	})
	return backend, backendErr
}

// BackendDescription describes the backend for the records of a run: its
// description and the configuration it was made from.
func BackendDescription() string {
	b, err := Backend()
	if err != nil {
		return err.Error()
	}
	if backendConfig == "" {
		return b.Description()
	}
	return fmt.Sprintf("%s [%s]", b.Description(), backendConfig)
}

// Model is a meta-learner network with its weights and optimiser state.
// Its methods are not safe for concurrent use.
type Model struct {
	cfg     Config
	backend compute.Backend
	store   *gmodel.Store
	vars    map[string]*gmodel.Variable
	names   []string // parameter names in state_dict order
	pe      *tensors.Tensor

	lr      float64
	forward *gmodel.Exec
	trainer *gmodel.Exec
	optim   optimizer.Interface
	noDrop  bool // dropout off in training (golden tests)

	masks     []*tensors.Tensor // the last training step's dropout masks, refilled for the next
	maskShape [2]int            // batch size and trials the masks are for
}

// New returns a network of shape cfg with PyTorch's default initial weights
// drawn from seed.
func New(cfg Config, seed uint64) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	m, err := FromParams(cfg, InitParams(cfg, rand.New(rand.NewPCG(seed, 0x5eed))))
	if err != nil {
		return nil, err
	}
	if err := m.store.SetRNGStateFromSeed(int64(seed)); err != nil {
		return nil, fmt.Errorf("metalearner: dropout random state: %w", err)
	}
	return m, nil
}

// FromParams returns a network of shape cfg with the given weights, which
// must be exactly cfg's parameters (see Params). Its dropout random state is
// seeded with 0.
func FromParams(cfg Config, ps []Param) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	ps, err := cfg.checkParams(ps)
	if err != nil {
		return nil, err
	}
	b, err := Backend()
	if err != nil {
		return nil, err
	}
	m := &Model{cfg: cfg, backend: b, store: gmodel.NewStore(), vars: map[string]*gmodel.Variable{}, lr: LearningRate}
	for _, p := range ps {
		scope, name := scopeOf(m.store, p.Name)
		v, err := scope.CreateVariable(name, tensors.FromFlatDataAndDimensions(append([]float32(nil), p.Data...), p.Shape...))
		if err != nil {
			return nil, fmt.Errorf("metalearner: %s: %w", p.Name, err)
		}
		m.vars[p.Name] = v
		m.names = append(m.names, p.Name)
	}
	m.pe = tensors.FromFlatDataAndDimensions(PositionalEncoding(cfg.MaxSteps, cfg.DModel), cfg.MaxSteps, cfg.DModel)
	if err := m.store.SetRNGStateFromSeed(0); err != nil {
		return nil, fmt.Errorf("metalearner: dropout random state: %w", err)
	}
	return m, nil
}

// scopeOf maps a state_dict name ("a.b.c") to the scope /a/b and variable c.
func scopeOf(store *gmodel.Store, name string) (*gmodel.Scope, string) {
	parts := strings.Split(name, ".")
	scope := store.RootScope()
	for _, p := range parts[:len(parts)-1] {
		scope = scope.In("%s", p)
	}
	return scope, parts[len(parts)-1]
}

// Config returns the network's shape.
func (m *Model) Config() Config { return m.cfg }

// Params returns a copy of the current weights in state_dict order.
func (m *Model) Params() ([]Param, error) {
	want := m.cfg.paramShapes()
	for i := range want {
		t, err := m.vars[want[i].Name].Value()
		if err != nil {
			return nil, fmt.Errorf("metalearner: %s: %w", want[i].Name, err)
		}
		data, err := tensors.CopyFlatData[float32](t)
		if err != nil {
			return nil, fmt.Errorf("metalearner: %s: %w", want[i].Name, err)
		}
		want[i].Data = data
	}
	return want, nil
}

// SetLearningRate sets Adam's learning rate for the next training steps;
// it may change between steps (a warm-up schedule).
func (m *Model) SetLearningRate(lr float64) error {
	if !(lr > 0) || math.IsInf(lr, 0) {
		return fmt.Errorf("metalearner: learning rate %v", lr)
	}
	m.lr = lr
	if v := m.store.GetVariable(lrVariable); v != nil {
		if err := v.SetValue(tensors.FromScalar(float32(lr))); err != nil {
			return fmt.Errorf("metalearner: learning rate: %w", err)
		}
	}
	return nil
}

// LearningRate returns Adam's current learning rate.
func (m *Model) LearningRate() float64 { return m.lr }

// lrVariable is where GoMLX's optimisers keep the learning rate.
const lrVariable = "/optimizers/learning_rate"

// checkBatch verifies that a batch fits the network.
func (m *Model) checkBatch(b *tasks.Batch) error {
	if b.Dims != m.cfg.Dims {
		return fmt.Errorf("metalearner: batch has %d features, the network %d", b.Dims, m.cfg.Dims)
	}
	if b.MaxLen > m.cfg.MaxSteps {
		return fmt.Errorf("metalearner: batch sequences of %d trials exceed the network's %d (its positional table)", b.MaxLen, m.cfg.MaxSteps)
	}
	if b.Size == 0 || b.MaxLen == 0 {
		return errors.New("metalearner: empty batch")
	}
	if len(b.Inputs) != b.Size*b.MaxLen*(b.Dims+1) || len(b.Targets) != b.Size*b.MaxLen || len(b.Lengths) != b.Size {
		return errors.New("metalearner: batch arrays do not match its shape")
	}
	return nil
}

// Logits returns the network's logit for every trial of the batch (Size ×
// MaxLen, row-major; padded trials included), with dropout off. The
// probability of category 1 is σ(β·logit); β is the caller's.
func (m *Model) Logits(b tasks.Batch) ([]float32, error) {
	if err := m.checkBatch(&b); err != nil {
		return nil, err
	}
	if m.forward == nil {
		exec, err := gmodel.NewExec(m.backend, m.store, func(_ *gmodel.Scope, x, pe *Node) *Node {
			return m.logitsGraph(x, pe, nil, false)
		})
		if err != nil {
			return nil, fmt.Errorf("metalearner: %w", err)
		}
		m.forward = exec
	}
	x := tensors.FromFlatDataAndDimensions(b.Inputs, b.Size, b.MaxLen, b.Dims+1)
	out, err := m.forward.Call1(x, m.pe)
	if err != nil {
		return nil, fmt.Errorf("metalearner: forward: %w", err)
	}
	defer out.FinalizeAll()
	return tensors.CopyFlatData[float32](out)
}

// TrainStep takes one Adam step on the batch's loss, the binary
// cross-entropy averaged over its real (unpadded) trials, and returns that
// loss (before the step).
func (m *Model) TrainStep(b tasks.Batch) (float32, error) {
	if err := m.checkBatch(&b); err != nil {
		return 0, err
	}
	if m.trainer == nil {
		m.optim = optimizer.Adam().LearningRate(m.lr).Betas(0.9, 0.999).Epsilon(1e-8).Done()
		exec, err := gmodel.NewExec(m.backend, m.store, func(scope *gmodel.Scope, in []*Node) *Node {
			g := in[0].Graph()
			scope.SetTraining(g, true)
			var drop *dropper
			if len(in) > 4 {
				drop = &dropper{masks: in[4:], rate: m.cfg.Dropout}
			}
			logits := m.logitsGraph(in[0], in[3], drop, true)
			drop.done()
			loss := maskedBCE(logits, in[1], in[2])
			m.optim.UpdateGraph(scope, g, loss)
			return loss
		})
		if err != nil {
			return 0, fmt.Errorf("metalearner: %w", err)
		}
		m.trainer = exec
	}
	var masks []*tensors.Tensor
	if !m.noDrop && m.cfg.Dropout > 0 {
		var err error
		if masks, err = m.nextDropoutMasks(b.Size, b.MaxLen); err != nil {
			return 0, err
		}
	}
	args := m.trainArgs(&b, masks)
	out, err := m.trainer.Call1(args...)
	if err != nil {
		return 0, fmt.Errorf("metalearner: train step: %w", err)
	}
	// The pure-Go backend embeds the weights of inference graphs as
	// constants (PreferConstantsForVariables): a forward executable compiled
	// before this step would keep the old weights.
	if m.forward != nil {
		m.forward.Finalize()
		m.forward = nil
	}
	defer out.FinalizeAll()
	return tensors.ToScalar[float32](out), nil
}

// trainArgs returns the inputs of the training graph for batch b: the
// inputs, targets, valid-trial mask, positional table and dropout masks.
func (m *Model) trainArgs(b *tasks.Batch, masks []*tensors.Tensor) []any {
	args := []any{
		tensors.FromFlatDataAndDimensions(b.Inputs, b.Size, b.MaxLen, b.Dims+1),
		tensors.FromFlatDataAndDimensions(b.Targets, b.Size, b.MaxLen),
		tensors.FromFlatDataAndDimensions(validMask(b), b.Size, b.MaxLen),
		m.pe,
	}
	for _, t := range masks {
		args = append(args, t)
	}
	return args
}

// validMask returns 1 for the real trials of a batch and 0 for padding,
// Size × MaxLen.
func validMask(b *tasks.Batch) []float32 {
	mask := make([]float32, b.Size*b.MaxLen)
	for i, n := range b.Lengths {
		for t := range n {
			mask[i*b.MaxLen+t] = 1
		}
	}
	return mask
}

// maskedBCE is the mean binary cross-entropy of σ(logits) against y over the
// trials where mask is 1, in the numerically stable logit form
// softplus(z) − y·z (PyTorch's BCELoss on probabilities agrees except where
// it clamps log terms at −100).
func maskedBCE(logits, y, mask *Node) *Node {
	per := Sub(Softplus(logits), Mul(y, logits))
	return Div(ReduceAllSum(Mul(per, mask)), ReduceAllSum(mask))
}

// logitsGraph builds the network: x is [B, T, D+1], pe the positional table
// [MaxSteps, d]; it returns the logits [B, T]. drop holds the dropout masks
// of a training step (nil: no dropout); train selects the attention whose
// backward pass avoids transposing T×T matrices (same values and gradients,
// a few nodes more in the forward graph).
func (m *Model) logitsGraph(x, pe *Node, drop *dropper, train bool) *Node {
	g := x.Graph()
	c := m.cfg
	bsz, T := x.Shape().Dimensions[0], x.Shape().Dimensions[1]
	v := func(name string) *Node { return m.vars[name].NodeValue(g) }

	h := linear(x, v("embedding.weight"), v("embedding.bias"))
	posT := Slice(pe, AxisRange(0, T))
	h = drop.apply(Add(h, ExpandLeftToRank(posT, 3)))
	mem := h

	blocks := causalBlocks(g, T)

	out := h
	for l := range c.Layers {
		p := fmt.Sprintf("transformer.layers.%d.", l)
		ln := func(n string, z *Node) *Node { return layerNorm(z, v(p+n+".weight"), v(p+n+".bias")) }
		attn := func(kind string, q, kv *Node) *Node {
			return m.attention(q, kv, blocks, v(p+kind+".in_proj_weight"), v(p+kind+".in_proj_bias"),
				v(p+kind+".out_proj.weight"), v(p+kind+".out_proj.bias"), drop, train)
		}
		ff := func(z *Node) *Node {
			z = activation.Relu(linear(z, v(p+"linear1.weight"), v(p+"linear1.bias")))
			return linear(drop.apply(z), v(p+"linear2.weight"), v(p+"linear2.bias"))
		}
		if c.NormFirst {
			n1 := ln("norm1", out)
			out = Add(out, drop.apply(attn("self_attn", n1, n1)))
			out = Add(out, drop.apply(attn("multihead_attn", ln("norm2", out), mem)))
			out = Add(out, drop.apply(ff(ln("norm3", out))))
		} else {
			out = ln("norm1", Add(out, drop.apply(attn("self_attn", out, out))))
			out = ln("norm2", Add(out, drop.apply(attn("multihead_attn", out, mem))))
			out = ln("norm3", Add(out, drop.apply(ff(out))))
		}
	}
	logits := linear(out, v("linear.weight"), v("linear.bias"))
	return Reshape(logits, bsz, T)
}

// linear applies x·Wᵀ + b over the last axis of x, W in PyTorch's [out, in]
// layout. It multiplies as one [N, in] matrix (N the product of the leading
// axes): the backend's transposes for the weight gradient are then plain 2-D
// ones.
func linear(x, w, b *Node) *Node {
	dims := x.Shape().Dimensions
	lead := dims[:len(dims)-1]
	n := 1
	for _, d := range lead {
		n *= d
	}
	y := DotGeneral(Reshape(x, n, dims[len(dims)-1]), []int{1}, nil, w, []int{1}, nil)
	y = Add(y, ExpandLeftToRank(b, 2))
	return Reshape(y, append(slices.Clone(lead), w.Shape().Dimensions[0])...)
}

// layerNorm normalises the last axis with PyTorch's biased variance and
// ε = 1e-5, then scales and shifts.
func layerNorm(x, gain, bias *Node) *Node {
	mean := ReduceAndKeep(x, ReduceMean, -1)
	centred := Sub(x, mean)
	variance := ReduceAndKeep(Square(centred), ReduceMean, -1)
	normed := Div(centred, Sqrt(AddScalar(variance, 1e-5))) // Rsqrt has no gradient in GoMLX v0.28
	return Add(Mul(normed, ExpandLeftToRank(gain, 3)), ExpandLeftToRank(bias, 3))
}

// attentionBlockSize is about the number of queries of one block of the
// blocked causal attention (blockBounds); tests set it smaller.
var attentionBlockSize = 96

// queryBlock is one block of queries of the blocked causal attention:
// queries start…end−1 against keys 0…end−1, with causal its mask
// [1, 1, end−start, end] (query start+i sees keys j ≤ start+i).
type queryBlock struct {
	start, end int
	causal     *Node
}

// causalBlocks splits T queries into blocks of about attentionBlockSize.
// Under the causal mask a block of queries sees only the keys up to its last
// query, so the scores, weights and dropout masks of the blocks cover
// (n+1)/(2n) of the T×T ones for n blocks, and everything computed from
// them shrinks with them.
func causalBlocks(g *Graph, T int) []queryBlock {
	bounds := blockBounds(T)
	blocks := make([]queryBlock, len(bounds))
	for b, se := range bounds {
		start, end := se[0], se[1]
		rows := AddScalar(Iota(g, shapes.Make(dtypes.Int32, end-start, end), 0), float64(start))
		cols := Iota(g, shapes.Make(dtypes.Int32, end-start, end), 1)
		blocks[b] = queryBlock{start: start, end: end, causal: ExpandLeftToRank(GreaterOrEqual(rows, cols), 4)}
	}
	return blocks
}

// blockBounds returns the first and one-past-last query of every block of
// the blocked causal attention over T queries: n = round(T /
// attentionBlockSize) blocks (at least one) of nearly equal size.
func blockBounds(T int) [][2]int {
	n := max(1, (T+attentionBlockSize/2)/attentionBlockSize)
	res := make([][2]int, n)
	for b := range n {
		res[b] = [2]int{b * T / n, (b + 1) * T / n}
	}
	return res
}

// attention is PyTorch's nn.MultiheadAttention with a causal mask: q from
// query, k and v from kv, each head scaled once by 1/√d_head, softmax over
// visible keys, dropout on the attention weights, then the out-projection.
// It is computed block by block of queries (causalBlocks), each block
// against the keys it can see; the contexts are joined before the
// out-projection.
func (m *Model) attention(query, kv *Node, blocks []queryBlock, inW, inB, outW, outB *Node, drop *dropper, train bool) *Node {
	c := m.cfg
	d, H := c.DModel, c.Heads
	dh := d / H
	bsz, T := query.Shape().Dimensions[0], query.Shape().Dimensions[1]
	// part projects x [B, t, d] with the i-th third of the in-projection to
	// heads [B, H, t, d_head].
	part := func(i int, x *Node) *Node {
		w := Slice(inW, AxisRange(i*d, (i+1)*d), AxisRange())
		b := Slice(inB, AxisRange(i*d, (i+1)*d))
		t := x.Shape().Dimensions[1]
		return TransposeAllAxes(Reshape(linear(x, w, b), bsz, t, H, dh), 0, 2, 1, 3)
	}
	q := MulScalar(part(0, query), 1/math.Sqrt(float64(dh)))
	k := part(1, kv)
	val := part(2, kv)
	// upTo returns x [B, H, T, d_head] at positions from…to−1.
	upTo := func(x *Node, from, to int) *Node {
		if from == 0 && to == T {
			return x
		}
		return Slice(x, AxisRange(), AxisRange(), AxisRange(from, to), AxisRange())
	}
	ctxs := make([]*Node, len(blocks))
	for i, blk := range blocks {
		ctxs[i] = attendBlock(upTo(q, blk.start, blk.end), upTo(k, 0, blk.end), upTo(val, 0, blk.end), blk.causal, drop, train)
	}
	ctx := ctxs[0]
	if len(ctxs) > 1 {
		ctx = Concatenate(ctxs, 2)
	}
	ctx = drop.rescale(ctx)
	return linear(Reshape(TransposeAllAxes(ctx, 0, 2, 1, 3), bsz, T, d), outW, outB)
}

// attendBlock returns the context [B, H, Tq, d_head] of queries q
// [B, H, Tq, d_head] (already scaled) over keys k and values val
// [B, H, Tk, d_head] under the mask causal [1, 1, Tq, Tk], with the
// attention-weight dropout's mask applied but not its rescaling.
//
// With train set, the gradients of the scores, keys and values are built by
// hand, for speed and memory:
//   - GoMLX's rule for the right operand of a matrix product contracts the
//     incoming gradient over its leading axis, which the pure-Go backend's
//     matrix kernels cannot read in place: it transposed the B·H·T·T
//     gradient of the scores and the attention weights, two generic
//     transposes per attention that took a quarter of a training step. Here
//     dK = (Qᵀ·dS)ᵀ and dV = (dCᵀ·W)ᵀ read the T×T matrices as they lie and
//     transpose only [T, d_head] ones.
//   - The softmax's gradient, dS = P ⊙ (dP − Σ_k dP ⊙ P) with
//     dP = mask ⊙ G and G = dC·Vᵀ, is built as dS = W⊙G − P ⊙ Σ_k W⊙G from
//     the attention weights P and the dropped weights W = mask ⊙ P, which
//     dV needs too: GoMLX's rule differentiates the decomposed softmax,
//     which keeps its exponentials as well, and keeps W for dV. Here only P
//     stays alive for the backward pass (one B·H·T·T tensor per attention
//     instead of three), and W is recomputed from it, once, when the
//     context's gradient dC arrives.
//
// The custom gradients hang on identity nodes; dC is captured on the way
// back (the reverse pass visits nodes in reverse creation order, so it is
// set before the nodes created earlier ask for it), and zero-valued links
// from the scores into the context and from K and V into Q put those nodes
// on the gradient's path.
func attendBlock(q, k, val, causal *Node, drop *dropper, train bool) *Node {
	batch := []int{0, 1}
	g := q.Graph()
	// masked applies the causal mask [1, 1, Tq, Tk] to scores [B, H, Tq, Tk]
	// (Where broadcasts it and the scalar).
	masked := func(scores *Node) *Node { return Where(causal, scores, Infinity(g, scores.DType(), -1)) }

	if !train {
		weights := Softmax(masked(DotGeneral(q, []int{3}, batch, k, []int{3}, batch)), -1)
		return DotGeneral(drop.zero(weights), []int{3}, batch, val, []int{2}, batch)
	}

	var dS, dC, probs, dropMask, dropped *Node // dS, dC, dropped made in the reverse pass
	keep := func(x *Node) *Node {              // the attention-weight dropout (no rescaling)
		if dropMask == nil {
			return x
		}
		return Where(dropMask, x, ScalarZero(g, x.DType()))
	}
	// droppedWeights returns W = mask ⊙ P for the backward pass, recomputed
	// once dC has arrived (the barrier keeps the backend from computing it
	// early and holding it through the forward pass).
	droppedWeights := func() *Node {
		if dropped == nil {
			dropped = probs
			if dropMask != nil {
				dropped = Where(SchedulingBarrier(dropMask, dC), probs, ScalarZero(g, probs.DType()))
			}
		}
		return dropped
	}
	k = IdentityWithCustomGradient(k, func(_, _ *Node) *Node {
		dkT := DotGeneral(TransposeAllAxes(q, 0, 1, 3, 2), []int{3}, batch, dS, []int{2}, batch) // [B, H, d_head, Tk]
		return TransposeAllAxes(dkT, 0, 1, 3, 2)
	})
	val = IdentityWithCustomGradient(val, func(_, _ *Node) *Node {
		dvT := DotGeneral(TransposeAllAxes(dC, 0, 1, 3, 2), []int{3}, batch, droppedWeights(), []int{2}, batch)
		return TransposeAllAxes(dvT, 0, 1, 3, 2)
	})
	q = Add(q, MulScalar(Add(ReduceAllSum(k), ReduceAllSum(val)), 0))
	k, val = StopGradient(k), StopGradient(val)

	scores := DotGeneral(q, []int{3}, batch, k, []int{3}, batch) // [B, H, T, Tk]
	scores = IdentityWithCustomGradient(scores, func(_, _ *Node) *Node {
		// dP = mask ⊙ G with G = dC·Vᵀ, so P ⊙ dP = W ⊙ G: the mask enters
		// through W, which dV needs as well.
		wg := Mul(droppedWeights(), DotGeneral(dC, []int{3}, batch, val, []int{3}, batch))
		dS = Sub(wg, Mul(probs, ReduceAndKeep(wg, ReduceSum, -1)))
		return dS
	})
	probs = StopGradient(Softmax(masked(scores), -1))
	if drop != nil {
		dropMask = drop.take(probs)
	}
	// One score, times zero, links the scores into the context.
	link := MulScalar(ReduceAllSum(Slice(scores, AxisRange(0, 1), AxisRange(0, 1), AxisRange(0, 1), AxisRange(0, 1))), 0)
	ctx := Add(DotGeneral(StopGradient(keep(probs)), []int{3}, batch, val, []int{2}, batch), link) // [B, H, T, d_head]
	return IdentityWithCustomGradient(ctx, func(_, v *Node) *Node { dC = v; return v })
}
