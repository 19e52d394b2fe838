package metalearner

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestWidenParamsKeepsTheFunction widens a 2-feature network to 3 features
// with zero weights for the new feature: on any input it must compute what
// the narrow network computes without that feature.
func TestWidenParamsKeepsTheFunction(t *testing.T) {
	from := PaperConfig(2, 8)
	from.Layers = 2
	to := from
	to.Dims, to.MaxSteps = 3, 12
	narrow, err := New(from, 4)
	if err != nil {
		t.Fatal(err)
	}
	ps, _ := narrow.Params()
	fresh := InitParams(to, rand.New(rand.NewPCG(9, 9)))
	for i := range fresh {
		if fresh[i].Name == "embedding.weight" {
			for r := range to.DModel {
				fresh[i].Data[r*(to.Dims+1)+2] = 0 // the new feature's column
			}
		}
	}
	wide, err := WidenParams(ps, from, to, fresh)
	if err != nil {
		t.Fatal(err)
	}
	wm, err := FromParams(to, wide)
	if err != nil {
		t.Fatal(err)
	}
	bw := randomBatch(3, 8, 3, 5)
	bn := randomBatch(3, 8, 2, 5)
	for s := range bw.Size * bw.MaxLen { // same features and previous label, minus the third feature
		copy(bn.Inputs[s*3:s*3+2], bw.Inputs[s*4:s*4+2])
		bn.Inputs[s*3+2] = bw.Inputs[s*4+3]
	}
	copy(bn.Targets, bw.Targets)
	got, err := wm.Logits(bw)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := narrow.Logits(bn)
	for i := range want {
		if math.Abs(float64(got[i]-want[i])) > 1e-5 {
			t.Fatalf("logit %d: widened %v, narrow %v", i, got[i], want[i])
		}
	}
	// Everything but the embedding is copied; the new column is fresh's.
	for i, p := range wide {
		if p.Name == "embedding.weight" {
			for r := range to.DModel {
				if p.Data[r*4+2] != fresh[i].Data[r*4+2] || p.Data[r*4+3] != ps[i].Data[r*3+2] || p.Data[r*4] != ps[i].Data[r*3] {
					t.Fatalf("embedding row %d: %v from %v", r, p.Data[r*4:r*4+4], ps[i].Data[r*3:r*3+3])
				}
			}
			continue
		}
		for j := range p.Data {
			if p.Data[j] != ps[i].Data[j] {
				t.Fatalf("%s[%d] = %v, want %v", p.Name, j, p.Data[j], ps[i].Data[j])
			}
		}
	}
}

func TestWidenParamsErrors(t *testing.T) {
	base := PaperConfig(3, 8)
	base.Layers = 1
	ps := InitParams(base, rand.New(rand.NewPCG(1, 1)))
	narrower, other := base, base
	narrower.Dims = 2
	other.Dims, other.FF = 4, 128
	wider := base
	wider.Dims = 4
	for _, c := range []struct {
		name     string
		to       Config
		fresh    []Param
		wantText string
	}{
		{"fewer features", narrower, InitParams(narrower, rand.New(rand.NewPCG(1, 1))), "only more features"},
		{"other feed-forward", other, InitParams(other, rand.New(rand.NewPCG(1, 1))), "only more features"},
		{"fresh of the wrong shape", wider, ps, "embedding.weight has shape"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := WidenParams(ps, base, c.to, c.fresh)
			if err == nil || !strings.Contains(err.Error(), c.wantText) {
				t.Errorf("err = %v, want it to mention %q", err, c.wantText)
			}
		})
	}
}
