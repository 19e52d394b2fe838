package metalearner

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
)

// Param is one weight tensor of the network, named as in PyTorch's
// state_dict of the paper's model (e.g. "transformer.layers.0.norm1.weight"),
// with its shape and its values in row-major order.
type Param struct {
	Name  string
	Shape []int
	Data  []float32
}

// paramShapes lists the network's parameters in state_dict order.
func (c Config) paramShapes() []Param {
	d, in := c.DModel, c.Dims+1
	ps := []Param{
		{Name: "embedding.weight", Shape: []int{d, in}},
		{Name: "embedding.bias", Shape: []int{d}},
	}
	for l := range c.Layers {
		p := fmt.Sprintf("transformer.layers.%d.", l)
		for _, attn := range []string{"self_attn", "multihead_attn"} {
			ps = append(ps,
				Param{Name: p + attn + ".in_proj_weight", Shape: []int{3 * d, d}},
				Param{Name: p + attn + ".in_proj_bias", Shape: []int{3 * d}},
				Param{Name: p + attn + ".out_proj.weight", Shape: []int{d, d}},
				Param{Name: p + attn + ".out_proj.bias", Shape: []int{d}},
			)
		}
		ps = append(ps,
			Param{Name: p + "linear1.weight", Shape: []int{c.FF, d}},
			Param{Name: p + "linear1.bias", Shape: []int{c.FF}},
			Param{Name: p + "linear2.weight", Shape: []int{d, c.FF}},
			Param{Name: p + "linear2.bias", Shape: []int{d}},
		)
		for _, n := range []string{"norm1", "norm2", "norm3"} {
			ps = append(ps, Param{Name: p + n + ".weight", Shape: []int{d}}, Param{Name: p + n + ".bias", Shape: []int{d}})
		}
	}
	return append(ps,
		Param{Name: "linear.weight", Shape: []int{1, d}},
		Param{Name: "linear.bias", Shape: []int{1}},
	)
}

// size returns the number of values of a shape.
func size(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

// InitParams draws the network's initial weights as PyTorch 1.13 does for the
// paper's model: Linear layers kaiming-uniform(a = √5) weights and
// U(±1/√fan_in) biases; attention in-projections xavier-uniform with zero
// biases, out-projections kaiming-uniform with zero biases; LayerNorms (1, 0).
// As in the paper (nn.TransformerDecoder deep-copies one layer), every decoder
// layer starts from the same weights.
func InitParams(c Config, rng *rand.Rand) []Param {
	ps := c.paramShapes()
	uniform := func(data []float32, bound float64) {
		for i := range data {
			data[i] = float32((2*rng.Float64() - 1) * bound)
		}
	}
	byName := map[string]*Param{}
	for i := range ps {
		p := &ps[i]
		p.Data = make([]float32, size(p.Shape))
		byName[p.Name] = p
	}
	for i := range ps {
		p := &ps[i]
		name := p.Name
		if strings.HasPrefix(name, "transformer.layers.") && !strings.HasPrefix(name, "transformer.layers.0.") {
			continue // copied from layer 0 below
		}
		field := name[strings.LastIndexByte(name, '.')+1:]
		switch {
		case strings.Contains(name, ".norm"):
			if field == "weight" {
				for j := range p.Data {
					p.Data[j] = 1
				}
			}
		case field == "in_proj_weight":
			fanOut, fanIn := p.Shape[0], p.Shape[1]
			uniform(p.Data, math.Sqrt(6/float64(fanIn+fanOut)))
		case field == "in_proj_bias", strings.HasSuffix(name, "out_proj.bias"):
			// zero
		case field == "weight":
			// kaiming_uniform(a=√5): gain √(2/(1+5)), bound gain·√(3/fan_in) = 1/√fan_in.
			uniform(p.Data, 1/math.Sqrt(float64(p.Shape[1])))
		case field == "bias":
			w := byName[strings.TrimSuffix(name, "bias")+"weight"]
			uniform(p.Data, 1/math.Sqrt(float64(w.Shape[1])))
		}
	}
	for i := range ps {
		p := &ps[i]
		if rest, ok := strings.CutPrefix(p.Name, "transformer.layers."); ok && !strings.HasPrefix(rest, "0.") {
			src := byName["transformer.layers.0."+rest[strings.IndexByte(rest, '.')+1:]]
			copy(p.Data, src.Data)
		}
	}
	return ps
}

// checkParams verifies that ps holds exactly the parameters of c with the
// right shapes, in any order, and returns them in state_dict order.
func (c Config) checkParams(ps []Param) ([]Param, error) {
	want := c.paramShapes()
	got := map[string]Param{}
	for _, p := range ps {
		if _, dup := got[p.Name]; dup {
			return nil, fmt.Errorf("metalearner: parameter %s given twice", p.Name)
		}
		got[p.Name] = p
	}
	out := make([]Param, len(want))
	for i, w := range want {
		p, ok := got[w.Name]
		if !ok {
			return nil, fmt.Errorf("metalearner: parameter %s missing", w.Name)
		}
		if !slices.Equal(p.Shape, w.Shape) || len(p.Data) != size(w.Shape) {
			return nil, fmt.Errorf("metalearner: parameter %s has shape %v and %d values, want shape %v", w.Name, p.Shape, len(p.Data), w.Shape)
		}
		for j, v := range p.Data {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return nil, fmt.Errorf("metalearner: parameter %s value %d is %v", w.Name, j, v)
			}
		}
		out[i] = p
		delete(got, w.Name)
	}
	for name := range got {
		return nil, fmt.Errorf("metalearner: unknown parameter %s", name)
	}
	return out, nil
}

// PositionalEncoding returns the sinusoidal table of the PyTorch tutorial
// the paper used, maxSteps × dModel: pe[p, 2i] = sin(p·10000^(−2i/d)),
// pe[p, 2i+1] = cos(p·10000^(−2i/d)), computed in float32 as PyTorch does.
func PositionalEncoding(maxSteps, dModel int) []float32 {
	pe := make([]float32, maxSteps*dModel)
	for i := 0; i < dModel; i += 2 {
		div := float32(math.Exp(float64(float32(i) * float32(-math.Log(10000.0)/float64(dModel)))))
		for p := range maxSteps {
			a := float32(p) * div
			pe[p*dModel+i] = float32(math.Sin(float64(a)))
			if i+1 < dModel {
				pe[p*dModel+i+1] = float32(math.Cos(float64(a)))
			}
		}
	}
	return pe
}

// WidenParams returns the weights of a network of shape to that starts from
// ps, the weights of a network of shape from on fewer features: a curriculum
// over the number of features. Every tensor is copied but the embedding's
// weight, whose columns for from's features and for the previous label keep
// their values while the columns of the new features take the values that
// fresh holds (typically InitParams(to, …)). The two shapes may differ in
// Dims (to.Dims ≥ from.Dims) and MaxSteps only.
func WidenParams(ps []Param, from, to Config, fresh []Param) ([]Param, error) {
	f, t := from, to
	f.Dims, t.Dims, f.MaxSteps, t.MaxSteps = 0, 0, 0, 0
	if f != t || to.Dims < from.Dims {
		return nil, fmt.Errorf("metalearner: cannot widen a network %+v to %+v: only more features and another max_steps are allowed", from, to)
	}
	ps, err := from.checkParams(ps)
	if err != nil {
		return nil, err
	}
	fresh, err = to.checkParams(fresh)
	if err != nil {
		return nil, err
	}
	out := make([]Param, len(ps))
	for i, p := range ps {
		out[i] = Param{Name: p.Name, Shape: slices.Clone(p.Shape), Data: slices.Clone(p.Data)}
		if p.Name != "embedding.weight" {
			continue
		}
		// Rows are the embedding's outputs, columns its inputs [x_1…x_D, y_{t−1}].
		w := fresh[i]
		in, inFrom := to.Dims+1, from.Dims+1
		out[i].Shape = slices.Clone(w.Shape)
		out[i].Data = slices.Clone(w.Data)
		for r := range to.DModel {
			copy(out[i].Data[r*in:r*in+from.Dims], p.Data[r*inFrom:r*inFrom+from.Dims])
			out[i].Data[r*in+to.Dims] = p.Data[r*inFrom+from.Dims]
		}
	}
	return out, nil
}
