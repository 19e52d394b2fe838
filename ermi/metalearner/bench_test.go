package metalearner

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/ermi-go/ermi/ermi/tasks"
)

// randomBatch returns a batch of size sequences of trials trials with dims
// random features and random binary feedback, every sequence full length.
func randomBatch(size, trials, dims int, seed uint64) tasks.Batch {
	rng := rand.New(rand.NewPCG(seed, 1))
	b := tasks.Batch{Size: size, MaxLen: trials, Dims: dims,
		Inputs: make([]float32, size*trials*(dims+1)), Targets: make([]float32, size*trials), Lengths: make([]int, size)}
	for i := range b.Inputs {
		b.Inputs[i] = rng.Float32()
	}
	for i := range b.Targets {
		b.Targets[i] = float32(rng.IntN(2))
	}
	for i := range b.Lengths {
		b.Lengths[i] = trials
	}
	return b
}

// The shapes of the paper's training steps (3-D: batch 64 of 100 trials;
// 4-D LLM tasks: batch 32 of 300), of this project's 6-D training runs on 2
// cores (batch 16 of 650 trials) and of one OpenML split (70 test points,
// each a context of 30 rows plus itself). testdata/bench_ratio.py (make
// bench) times the paper's two training shapes and the OpenML split in
// PyTorch as well.
var benchShapes = []struct {
	name    string
	b, t, d int
}{
	{"B64_T100_D3", 64, 100, 3},
	{"B32_T300_D4", 32, 300, 4},
	{"B16_T650_D6", 16, 650, 6},
}

func BenchmarkTrainStep(b *testing.B) {
	for _, s := range benchShapes {
		b.Run(s.name, func(b *testing.B) {
			m, err := New(PaperConfig(s.d, s.t), 1)
			if err != nil {
				b.Fatal(err)
			}
			batch := randomBatch(s.b, s.t, s.d, 2)
			if _, err := m.TrainStep(batch); err != nil { // compile outside the timing
				b.Fatal(err)
			}
			b.ResetTimer()
			for range b.N {
				if _, err := m.TrainStep(batch); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkForward(b *testing.B) {
	for _, s := range []struct{ b, t, d int }{{70, 31, 4}} {
		b.Run(fmt.Sprintf("B%d_T%d_D%d", s.b, s.t, s.d), func(b *testing.B) {
			m, err := New(PaperConfig(s.d, 300), 1)
			if err != nil {
				b.Fatal(err)
			}
			batch := randomBatch(s.b, s.t, s.d, 3)
			if _, err := m.Logits(batch); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for range b.N {
				if _, err := m.Logits(batch); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
