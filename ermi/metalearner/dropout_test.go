package metalearner

import (
	"math"
	"runtime"
	"slices"
	"testing"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/tensors"
)

// dropoutMasks returns one boolean keep-mask per shape, each element true
// with probability 1 − rate, drawn as fillMasks does.
func dropoutMasks(backend compute.Backend, sites [][]int, rate float64, seed, stream uint64) ([]*tensors.Tensor, error) {
	out, err := newMasks(backend, sites)
	if err != nil {
		return nil, err
	}
	fillMasks(out, rate, seed, stream)
	return out, nil
}

func maskValues(t *testing.T, masks []*tensors.Tensor) [][]bool {
	t.Helper()
	var out [][]bool
	for _, m := range masks {
		out = append(out, tensors.MustCopyFlatData[bool](m))
	}
	return out
}

func TestDropoutMasks(t *testing.T) {
	m, err := New(Config{Dims: 3, DModel: 16, Heads: 4, FF: 32, Layers: 2, MaxSteps: 40, Dropout: 0.1}, 1)
	if err != nil {
		t.Fatal(err)
	}
	sites := m.cfg.dropoutShapes(8, 40)
	draw := func(seed, stream uint64) [][]bool {
		masks, err := dropoutMasks(m.backend, sites, 0.1, seed, stream)
		if err != nil {
			t.Fatal(err)
		}
		return maskValues(t, masks)
	}
	a := draw(7, 3)
	for s, dims := range sites {
		n := 1
		for _, d := range dims {
			n *= d
		}
		if len(a[s]) != n {
			t.Fatalf("site %d: %d values for shape %v", s, len(a[s]), dims)
		}
	}
	// Drawn elements: all but the keys past each query in the attention
	// weights' masks, which stay false.
	kept, total := 0, 0
	for s, site := range a {
		dims := sites[s]
		row := dims[len(dims)-1]
		for i, k := range site {
			if i%row >= visibleKeys(dims, i/row) {
				if k {
					t.Fatalf("site %d: element %d above the diagonal is set", s, i)
				}
				continue
			}
			total++
			if k {
				kept++
			}
		}
	}
	// Binomial(total, 0.9): 5 standard deviations.
	if p, sd := float64(kept)/float64(total), math.Sqrt(0.09/float64(total)); math.Abs(p-0.9) > 5*sd {
		t.Errorf("kept %.4f of %d elements, want 0.9 ± %.4f", p, total, 5*sd)
	}

	prev := runtime.GOMAXPROCS(1)
	one := draw(7, 3)
	runtime.GOMAXPROCS(prev)
	for s := range a {
		if !slices.Equal(a[s], one[s]) {
			t.Fatalf("site %d: masks differ between GOMAXPROCS %d and 1", s, prev)
		}
	}
	b := draw(8, 3)
	same := 0
	for s := range a {
		if slices.Equal(a[s], b[s]) {
			same++
		}
	}
	if same > 0 {
		t.Errorf("%d of %d sites drew the same mask from another seed", same, len(a))
	}
	// Two sites of one shape get different masks.
	if slices.Equal(a[1], a[3]) {
		t.Error("the self- and cross-attention masks of layer 0 are equal")
	}

	// The model's masks advance with its random state and are kept in the
	// same tensors while the batch shape stays.
	first, err := m.nextDropoutMasks(8, 40)
	if err != nil {
		t.Fatal(err)
	}
	v1 := maskValues(t, first)
	second, err := m.nextDropoutMasks(8, 40)
	if err != nil {
		t.Fatal(err)
	}
	if first[0] != second[0] {
		t.Error("masks of a same-shaped step were reallocated")
	}
	if v2 := maskValues(t, second); slices.Equal(v1[0], v2[0]) {
		t.Error("two steps drew the same embedding mask")
	}
	third, err := m.nextDropoutMasks(4, 20)
	if err != nil {
		t.Fatal(err)
	}
	if got := third[0].Shape().Dimensions; !slices.Equal(got, []int{4, 20, 16}) {
		t.Errorf("embedding mask for 4 × 20 is %v", got)
	}
}

// TestAttentionGradientsWithDropout checks the hand-built key and value
// gradients of the training graph against GoMLX's automatic ones, with
// dropout masks in place, on the PyTorch fixture's weights and batch.
func TestAttentionGradientsWithDropout(t *testing.T) {
	forEachBlockSize(t, func(t *testing.T) {
		g := loadGolden(t)
		cfg := g.config()
		cfg.Dropout = 0.1
		m, err := FromParams(cfg, g.params())
		if err != nil {
			t.Fatal(err)
		}
		b := g.batch()
		masks, err := dropoutMasks(m.backend, cfg.dropoutShapes(b.Size, b.MaxLen), cfg.Dropout, 11, 5)
		if err != nil {
			t.Fatal(err)
		}
		grads := func(train bool) [][]float32 {
			var res [][]float32
			for _, o := range lossAndGradients(t, m, &b, masks, train) {
				res = append(res, tensors.MustCopyFlatData[float32](o))
			}
			return res
		}
		hand, auto := grads(true), grads(false)
		assertClose(t, "loss", hand[0], auto[0], 1e-6)
		for i, name := range m.names {
			assertClose(t, "gradient of "+name, hand[i+1], auto[i+1], 1e-5)
		}
	})
}

// TestDropoutAboveTheDiagonalIgnored checks that the attention-weight masks
// matter only in their lower triangle, which is all fillMasks draws: the
// loss and every gradient are bit for bit the same whatever the masks hold
// above the diagonal.
func TestDropoutAboveTheDiagonalIgnored(t *testing.T) {
	forEachBlockSize(t, func(t *testing.T) {
		g := loadGolden(t)
		cfg := g.config()
		cfg.Dropout = 0.1
		m, err := FromParams(cfg, g.params())
		if err != nil {
			t.Fatal(err)
		}
		b := g.batch()
		sites := cfg.dropoutShapes(b.Size, b.MaxLen)
		masks, err := dropoutMasks(m.backend, sites, cfg.Dropout, 11, 5)
		if err != nil {
			t.Fatal(err)
		}
		run := func() [][]float32 {
			var res [][]float32
			for _, o := range lossAndGradients(t, m, &b, masks, true) {
				res = append(res, tensors.MustCopyFlatData[float32](o))
			}
			return res
		}
		before := run()
		changed := 0
		for s, mask := range masks {
			row := sites[s][len(sites[s])-1]
			mask.MustMutableFlatData(func(data any) {
				for i := range data.([]bool) {
					if i%row >= visibleKeys(sites[s], i/row) {
						data.([]bool)[i] = i%3 != 0
						changed++
					}
				}
			})
		}
		if changed == 0 {
			t.Fatal("no mask element past the visible keys")
		}
		after := run()
		for i := range before {
			if !slices.Equal(before[i], after[i]) {
				t.Errorf("output %d changed with the masks above the diagonal", i)
			}
		}
	})
}
