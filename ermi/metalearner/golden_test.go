package metalearner

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"testing"

	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
	"github.com/gomlx/gomlx/core/tensors"
	gmodel "github.com/gomlx/gomlx/ml/model"

	"github.com/ermi-go/ermi/ermi/tasks"
)

// golden is the fixture written by testdata/make_golden.py with PyTorch 1.13.
type golden struct {
	Torch        string  `json:"torch"`
	Dims         int     `json:"dims"`
	DModel       int     `json:"d_model"`
	Heads        int     `json:"heads"`
	FF           int     `json:"ff"`
	Layers       int     `json:"layers"`
	MaxSteps     int     `json:"max_steps"`
	Batch        int     `json:"batch"`
	Trials       int     `json:"trials"`
	Lengths      []int   `json:"lengths"`
	LR           float64 `json:"lr"`
	SampleStride int     `json:"sample_stride"`
	Loss         float64 `json:"loss"`
	Tensors      []struct {
		Kind, Name    string
		Shape         []int
		Offset, Count int
	} `json:"tensors"`

	values map[string][]float32 // kind/name → values
	shapes map[string][]int
}

func loadGolden(t *testing.T) *golden {
	t.Helper()
	raw, err := os.ReadFile("testdata/golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var g golden
	if err := json.Unmarshal(raw, &g); err != nil {
		t.Fatal(err)
	}
	bin, err := os.ReadFile("testdata/golden.bin")
	if err != nil {
		t.Fatal(err)
	}
	g.values, g.shapes = map[string][]float32{}, map[string][]int{}
	for _, tn := range g.Tensors {
		v := make([]float32, tn.Count)
		for i := range v {
			v[i] = math.Float32frombits(binary.LittleEndian.Uint32(bin[4*(tn.Offset+i):]))
		}
		g.values[tn.Kind+"/"+tn.Name] = v
		g.shapes[tn.Kind+"/"+tn.Name] = tn.Shape
	}
	return &g
}

func (g *golden) config() Config {
	return Config{Dims: g.Dims, DModel: g.DModel, Heads: g.Heads, FF: g.FF, Layers: g.Layers, MaxSteps: g.MaxSteps}
}

func (g *golden) params() []Param {
	var ps []Param
	for _, tn := range g.Tensors {
		if tn.Kind == "param" {
			ps = append(ps, Param{Name: tn.Name, Shape: tn.Shape, Data: g.values["param/"+tn.Name]})
		}
	}
	return ps
}

func (g *golden) batch() tasks.Batch {
	return tasks.Batch{Size: g.Batch, MaxLen: g.Trials, Dims: g.Dims,
		Inputs: g.values["input/x"], Targets: g.values["input/y"], Lengths: g.Lengths}
}

// assertClose compares got with want to an absolute tolerance scaled by the
// largest magnitude of want.
func assertClose(t *testing.T, what string, got, want []float32, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	scale := 1e-12
	for _, w := range want {
		scale = max(scale, math.Abs(float64(w)))
	}
	worst, at := 0.0, 0
	for i := range got {
		if d := math.Abs(float64(got[i]-want[i])) / scale; d > worst || math.IsNaN(d) {
			worst, at = d, i
		}
	}
	if worst > tol || math.IsNaN(worst) {
		t.Errorf("%s: value %d is %g, PyTorch %g (relative error %.2g > %.2g)", what, at, got[at], want[at], worst, tol)
	}
}

// forEachBlockSize runs test once with the attention in one block of
// queries (the fixture's 12 trials) and once each in two and in three
// blocks (blockBounds).
func forEachBlockSize(t *testing.T, test func(t *testing.T)) {
	t.Helper()
	defer func(size int) { attentionBlockSize = size }(attentionBlockSize)
	for _, size := range []int{96, 6, 4} {
		attentionBlockSize = size
		t.Run(fmt.Sprintf("blocks of %d", size), test)
	}
}

func TestGoldenPositionalEncoding(t *testing.T) {
	g := loadGolden(t)
	assertClose(t, "positional table", PositionalEncoding(g.MaxSteps, g.DModel), g.values["pe/pe"], 1e-6)
}

func TestGoldenLogits(t *testing.T) {
	forEachBlockSize(t, func(t *testing.T) {
		g := loadGolden(t)
		m, err := FromParams(g.config(), g.params())
		if err != nil {
			t.Fatal(err)
		}
		logits, err := m.Logits(g.batch())
		if err != nil {
			t.Fatal(err)
		}
		// Compare real trials only: padded positions are not defined by the paper.
		want := g.values["output/logits"]
		var gotV, wantV []float32
		for b, n := range g.Lengths {
			gotV = append(gotV, logits[b*g.Trials:b*g.Trials+n]...)
			wantV = append(wantV, want[b*g.Trials:b*g.Trials+n]...)
		}
		assertClose(t, "logits", gotV, wantV, 2e-5)
	})
}

// TestGoldenGradients checks the loss and the gradient of every parameter,
// which tests the backward pass beyond what one (nearly sign-only) Adam step
// shows.
// lossAndGradients returns the loss of batch b and its gradient for every
// parameter, in state_dict order, with the dropout masks given (none: no
// dropout) and the training graph's attention if train is set.
func lossAndGradients(t *testing.T, m *Model, b *tasks.Batch, masks []*tensors.Tensor, train bool) []*tensors.Tensor {
	t.Helper()
	exec, err := gmodel.NewExec(m.backend, m.store, func(_ *gmodel.Scope, in []*Node) []*Node {
		var drop *dropper
		if len(in) > 4 {
			drop = &dropper{masks: in[4:], rate: m.cfg.Dropout}
		}
		logits := m.logitsGraph(in[0], in[3], drop, train)
		drop.done()
		loss := maskedBCE(logits, in[1], in[2])
		var nodes []*Node
		for _, name := range m.names {
			nodes = append(nodes, m.vars[name].NodeValue(in[0].Graph()))
		}
		return append([]*Node{loss}, Gradient(loss, nodes...)...)
	})
	if err != nil {
		t.Fatal(err)
	}
	outs, err := exec.Call(m.trainArgs(b, masks)...)
	if err != nil {
		t.Fatal(err)
	}
	return outs
}

func TestGoldenGradients(t *testing.T) {
	forEachBlockSize(t, func(t *testing.T) {
		g := loadGolden(t)
		m, err := FromParams(g.config(), g.params())
		if err != nil {
			t.Fatal(err)
		}
		b := g.batch()
		outs := lossAndGradients(t, m, &b, nil, true)
		if loss := tensors.ToScalar[float32](outs[0]); math.Abs(float64(loss)-g.Loss) > 1e-5 {
			t.Errorf("loss %.7f, PyTorch %.7f", loss, g.Loss)
		}
		for i, name := range m.names {
			got := tensors.MustCopyFlatData[float32](outs[i+1])
			assertClose(t, "gradient of "+name, got, g.values["grad/"+name], 1e-4)
		}
	})
}

func TestGoldenAdamStep(t *testing.T) {
	forEachBlockSize(t, func(t *testing.T) {
		g := loadGolden(t)
		m, err := FromParams(g.config(), g.params())
		if err != nil {
			t.Fatal(err)
		}
		m.noDrop = true
		if err := m.SetLearningRate(g.LR); err != nil {
			t.Fatal(err)
		}
		loss, err := m.TrainStep(g.batch())
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(float64(loss)-g.Loss) > 1e-5 {
			t.Errorf("loss %.7f, PyTorch %.7f", loss, g.Loss)
		}
		ps, err := m.Params()
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			// Entries whose true gradient is zero, such as the attention key
			// biases (softmax ignores a constant added to every key score),
			// hold float noise that Adam scales to ±lr·|g|/(|g|+ε): their sign
			// is noise on both sides, so they are left out.
			var got, want []float32
			orig, grad := g.values["param/"+p.Name], g.values["grad/"+p.Name]
			for i, after := range g.values["after/"+p.Name] {
				j := i * g.SampleStride
				if math.Abs(float64(grad[j])) < 1e-7 {
					continue
				}
				got = append(got, p.Data[j]-orig[j])
				want = append(want, after-orig[j])
			}
			// Compare the updates (≈ lr in size), not the weights.
			assertClose(t, "Adam update of "+p.Name, got, want, 2e-3)
		}
	})
}
