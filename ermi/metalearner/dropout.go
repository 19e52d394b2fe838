package metalearner

import (
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // GoMLX's idiom for graph code
	"github.com/gomlx/gomlx/core/tensors"
	gmodel "github.com/gomlx/gomlx/ml/model"
)

// Dropout masks are drawn on the host, not in the graph: the pure-Go
// backend's random-bit generator fills its output one byte at a time on one
// core and the graph then converts, scales and compares every value, which
// for the attention weights (B·H·T·T values, twelve times a step) was a
// sixth of a training step. The masks come in as boolean inputs, one per
// dropout site, in the order dropoutShapes lists them; each keeps an element
// with probability 1 − rate, as torch.nn.Dropout.

// dropoutShapes lists the shape of every dropout mask of one training step
// on batches of bsz sequences of T trials, in the order logitsGraph applies
// them: the embedding, then for each layer the self-attention weights (one
// mask per block of queries, [bsz, H, queries, keys up to the block's
// last]: blockBounds), the self-attention output, the cross-attention
// weights (likewise), the cross-attention output, the feed-forward hidden
// layer and the feed-forward output.
func (c Config) dropoutShapes(bsz, T int) [][]int {
	var weights [][]int
	for _, se := range blockBounds(T) {
		weights = append(weights, []int{bsz, c.Heads, se[1] - se[0], se[1]})
	}
	res := [][]int{{bsz, T, c.DModel}}
	for range c.Layers {
		res = append(res, weights...)
		res = append(res, []int{bsz, T, c.DModel})
		res = append(res, weights...)
		res = append(res, []int{bsz, T, c.DModel}, []int{bsz, T, c.FF}, []int{bsz, T, c.DModel})
	}
	return res
}

// dropper hands out a training step's dropout masks to the graph in site
// order. A nil dropper applies no dropout.
type dropper struct {
	masks []*Node
	next  int
	rate  float64
}

// take returns the next site's mask, which must be shaped like x.
func (d *dropper) take(x *Node) *Node {
	if d.next >= len(d.masks) {
		panic(fmt.Sprintf("metalearner: dropout site %d has no mask (%d given)", d.next, len(d.masks)))
	}
	mask := d.masks[d.next]
	d.next++
	if !mask.Shape().Equal(shapes.Make(dtypes.Bool, x.Shape().Dimensions...)) {
		panic(fmt.Sprintf("metalearner: dropout mask %d is %s for a value %s", d.next-1, mask.Shape(), x.Shape()))
	}
	return mask
}

// apply is torch.nn.Dropout in training: x with the dropped elements zeroed
// and the kept ones scaled by 1/(1 − rate).
func (d *dropper) apply(x *Node) *Node {
	if d == nil {
		return x
	}
	return d.rescale(d.zero(x))
}

// zero zeroes the dropped elements of x without rescaling; rescale must then
// be applied to a value linear in the result (the attention weights are
// rescaled after the product with the values, on a tensor T/d_head times
// smaller).
func (d *dropper) zero(x *Node) *Node {
	if d == nil {
		return x
	}
	return Where(d.take(x), x, ScalarZero(x.Graph(), x.DType()))
}

// rescale multiplies x by 1/(1 − rate).
func (d *dropper) rescale(x *Node) *Node {
	if d == nil {
		return x
	}
	return MulScalar(x, 1/(1-d.rate))
}

// done checks that the graph used every mask.
func (d *dropper) done() {
	if d != nil && d.next != len(d.masks) {
		panic(fmt.Sprintf("metalearner: graph used %d of %d dropout masks", d.next, len(d.masks)))
	}
}

// rngStatePath is where the store keeps its random state (GoMLX's
// convention), saved in checkpoints with the optimiser state.
const rngStatePath = "/" + gmodel.RNGStateVariableName

// nextDropoutMasks draws the masks of one training step of bsz × T from the
// store's random state and advances that state, so that a run resumed from
// a checkpoint draws the masks it would have drawn. The mask tensors are
// kept and refilled while the batch shape stays the same: fresh buffers of
// this size (60 MB for 64 × 100 trials) cost a zeroing pass and page faults
// on every step.
func (m *Model) nextDropoutMasks(bsz, T int) ([]*tensors.Tensor, error) {
	v := m.store.GetVariable(rngStatePath)
	if v == nil {
		return nil, fmt.Errorf("metalearner: no random state in the model")
	}
	st, err := v.Value()
	if err != nil {
		return nil, fmt.Errorf("metalearner: random state: %w", err)
	}
	state, err := tensors.CopyFlatData[uint64](st)
	if err != nil || len(state) < 2 {
		return nil, fmt.Errorf("metalearner: random state %s: %v", st.Shape(), err)
	}
	if m.masks == nil || m.maskShape != [2]int{bsz, T} {
		m.freeDropoutMasks()
		if m.masks, err = newMasks(m.backend, m.cfg.dropoutShapes(bsz, T)); err != nil {
			return nil, err
		}
		m.maskShape = [2]int{bsz, T}
	}
	fillMasks(m.masks, m.cfg.Dropout, state[0], state[1])
	state[0] = splitmix64(state[0])
	if err := v.SetValue(tensors.FromFlatDataAndDimensions(state, st.Shape().Dimensions...)); err != nil {
		return nil, fmt.Errorf("metalearner: random state: %w", err)
	}
	return m.masks, nil
}

// freeDropoutMasks returns the kept mask tensors to the backend.
func (m *Model) freeDropoutMasks() {
	for _, t := range m.masks {
		t.FinalizeAll()
	}
	m.masks = nil
}

// maskChunk is about the number of mask elements drawn from one random
// stream.
const maskChunk = 1 << 16

// newMasks allocates one boolean tensor per shape, in the backend's buffers
// where it shares them with the host (the pure-Go backend does), so that
// the masks are written in place and no copy is made. Every element starts
// false.
func newMasks(backend compute.Backend, sites [][]int) ([]*tensors.Tensor, error) {
	out := make([]*tensors.Tensor, len(sites))
	for s, dims := range sites {
		t, err := tensors.FromShapeForBackend(backend, 0, shapes.Make(dtypes.Bool, dims...))
		if err != nil {
			for _, t := range out[:s] {
				t.FinalizeAll()
			}
			return nil, fmt.Errorf("metalearner: dropout mask %v: %w", dims, err)
		}
		t.MustMutableFlatData(func(data any) { clear(data.([]bool)) })
		out[s] = t
	}
	return out, nil
}

// visibleKeys returns, for a dropout mask of these dimensions, the number
// of elements of row r (a row along the last axis) that a value or
// gradient can depend on: for the attention weights of a block of queries,
// [B, H, n, start+n] (queries start…start+n−1), the keys up to the row's
// query, start + r mod n + 1; for every other mask the whole row.
func visibleKeys(dims []int, r int) int {
	if len(dims) != 4 {
		return dims[len(dims)-1]
	}
	n, keys := dims[2], dims[3]
	return keys - n + r%n + 1
}

// fillMasks draws every mask, row by row along its last axis. The mask of a
// causal attention's weights is drawn only where a query sees the key
// (visibleKeys): past it the weights are exactly 0 after the causal mask's
// softmax, so neither the values nor the gradients depend on the mask
// there, and it stays as newMasks left it. Each chunk of rows (about
// maskChunk elements) of mask s comes from the SplitMix64 stream seeded by
// (seed, stream, s, chunk), so the masks do not depend on how the work is
// split between the cores.
func fillMasks(masks []*tensors.Tensor, rate float64, seed, stream uint64) {
	threshold := uint64(math.Round(rate * (1 << 32)))
	workers := runtime.GOMAXPROCS(0)
	for s, t := range masks {
		dims := t.Shape().Dimensions
		rowLen := dims[len(dims)-1]
		rowsPerChunk := max(1, maskChunk/rowLen)
		t.MustMutableFlatData(func(data any) {
			flat := data.([]bool)
			rows := len(flat) / rowLen
			chunks := (rows + rowsPerChunk - 1) / rowsPerChunk
			var wg sync.WaitGroup
			for w := range min(workers, chunks) {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for c := w; c < chunks; c += workers {
						x := splitmix64(seed ^ splitmix64(stream^uint64(s)<<40^uint64(c)))
						for r := c * rowsPerChunk; r < min((c+1)*rowsPerChunk, rows); r++ {
							x = fillMask(flat[r*rowLen:r*rowLen+visibleKeys(dims, r)], threshold, x)
						}
					}
				}()
			}
			wg.Wait()
		})
	}
}

// fillMask sets each element of flat to whether a 32-bit draw of the
// SplitMix64 stream at x is at least threshold, and returns the stream's
// state after the draws.
func fillMask(flat []bool, threshold, x uint64) uint64 {
	for len(flat) >= 2 {
		x += 0x9e3779b97f4a7c15
		r := mix64(x)
		flat[0] = r&0xffffffff >= threshold
		flat[1] = r>>32 >= threshold
		flat = flat[2:]
	}
	if len(flat) == 1 {
		x += 0x9e3779b97f4a7c15
		flat[0] = mix64(x)&0xffffffff >= threshold
	}
	return x
}

// splitmix64 is one step of the SplitMix64 generator from state x.
func splitmix64(x uint64) uint64 { return mix64(x + 0x9e3779b97f4a7c15) }

// mix64 is SplitMix64's output function.
func mix64(z uint64) uint64 {
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}
