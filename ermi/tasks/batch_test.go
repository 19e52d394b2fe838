package tasks

import (
	"math/rand/v2"
	"reflect"
	"testing"
)

// rampTasks returns n two-category tasks of 2 + id%5 trials. Trial t has
// category A for even t, B for odd t, and every feature equal to t for A and
// 10 + t for B: any monotone scaling and any feature permutation keeps every A
// trial below every B trial.
func rampTasks(t *testing.T, n, dims int) []Task {
	var ts []Task
	for id := range n {
		length := 2 + id%5
		x := make([]float64, 0, length*dims)
		labels := make([]string, length)
		for tr := range length {
			v := float64(tr + 10*(tr%2))
			for range dims {
				x = append(x, v)
			}
			labels[tr] = []string{"A", "B"}[tr%2]
		}
		ts = append(ts, mustTask(t, id, dims, x, labels...))
	}
	return ts
}

func TestEncodeShiftsTargetsAndPads(t *testing.T) {
	ts := []Task{
		mustTask(t, 5, 2, []float64{1, 2, 3, 4, 5, 6}, "x", "y", "y"),
		mustTask(t, 6, 2, []float64{7, 8}, "p"),
	}
	rng := rand.New(rand.NewPCG(3, 4))
	b := Encode(ts, [][2]float32{{0, 1}, {1, 0}}, []int{1, 0}, rng)
	if b.Size != 2 || b.MaxLen != 3 || b.Dims != 2 || !reflect.DeepEqual(b.Lengths, []int{3, 1}) || !reflect.DeepEqual(b.TaskIDs, []int{5, 6}) {
		t.Fatalf("batch shape %+v", b)
	}
	// Features swapped by perm; last column is the previous target.
	if got := b.Input(0, 1); !reflect.DeepEqual(got, []float32{4, 3, 0}) {
		t.Errorf("seq 0 trial 1 = %v, want [4 3 0]", got)
	}
	if got := b.Input(0, 2); !reflect.DeepEqual(got, []float32{6, 5, 1}) {
		t.Errorf("seq 0 trial 2 = %v, want [6 5 1]", got)
	}
	if first := b.Input(0, 0)[2]; first != 0 && first != 1 {
		t.Errorf("first feedback bit %v", first)
	}
	if got := []float32{b.Target(0, 0), b.Target(0, 1), b.Target(0, 2), b.Target(1, 0)}; !reflect.DeepEqual(got, []float32{0, 1, 1, 1}) {
		t.Errorf("targets = %v", got)
	}
	for tr := 1; tr < 3; tr++ {
		if b.Valid(1, tr) || b.Target(1, tr) != 0 || !reflect.DeepEqual(b.Input(1, tr), []float32{0, 0, 0}) {
			t.Errorf("padding at seq 1 trial %d not zero", tr)
		}
	}
}

func TestEncodeFirstBitIsFair(t *testing.T) {
	ts := rampTasks(t, 1, 1)
	rng := rand.New(rand.NewPCG(5, 6))
	ones := 0
	const n = 4000
	for range n {
		b := Encode(ts, [][2]float32{{0, 1}}, nil, rng)
		ones += int(b.Input(0, 0)[1])
	}
	if ones < n/2-200 || ones > n/2+200 { // sd ≈ 32
		t.Errorf("first feedback bit was 1 in %d of %d batches", ones, n)
	}
}

func TestSamplerPaperProcessing(t *testing.T) {
	ts := rampTasks(t, 20, 3)
	opt := BatchOptions{BatchSize: 8, MaxSteps: 10, FlipLabels: true, ShuffleTrials: true, SampleToMaxSteps: true, Normalize: true, ShuffleFeatures: true}
	s, err := NewSampler(ts, opt, 42)
	if err != nil {
		t.Fatal(err)
	}
	flips := 0
	const batches = 400
	for range batches {
		b := s.Next()
		if b.Size != 8 || b.MaxLen != 10 {
			t.Fatalf("batch %dx%d", b.Size, b.MaxLen)
		}
		seen := map[int]bool{}
		flippedHere := -1
		for i := range b.Size {
			if seen[b.TaskIDs[i]] {
				t.Fatalf("task %d drawn twice in one batch", b.TaskIDs[i])
			}
			seen[b.TaskIDs[i]] = true
			for tr := range b.MaxLen {
				in := b.Input(i, tr)
				for _, v := range in[:3] {
					if v < 0 || v > 1 || v != in[0] {
						t.Fatalf("features %v: outside [0,1] or not scaled alike", in[:3])
					}
				}
				if tr > 0 && in[3] != b.Target(i, tr-1) {
					t.Fatalf("feedback at trial %d is %v, previous target %v", tr, in[3], b.Target(i, tr-1))
				}
			}
			// One label coin per batch: category A has the same target in
			// every sequence of the batch.
			f := flipOf(&b, i)
			switch {
			case f == -1:
			case flippedHere == -1:
				flippedHere = f
			case f != flippedHere:
				t.Fatal("label flip differs between tasks of one batch")
			}
		}
		flips += max(flippedHere, 0)
	}
	if flips < batches/2-60 || flips > batches/2+60 { // sd = 10
		t.Errorf("flipped %d of %d batches", flips, batches)
	}
}

// flipOf returns the target that sequence i of b gives category A (1 when
// the batch's labels were flipped), or -1 when the sequence holds one
// category only. A trials have the smallest features (see rampTasks).
func flipOf(b *Batch, i int) int {
	lo, hi := 0, 0
	for tr := range b.Lengths[i] {
		if b.Input(i, tr)[0] < b.Input(i, lo)[0] {
			lo = tr
		}
		if b.Input(i, tr)[0] > b.Input(i, hi)[0] {
			hi = tr
		}
	}
	if b.Target(i, lo) == b.Target(i, hi) {
		return -1
	}
	return int(b.Target(i, lo))
}

func TestSamplerResumeExactly(t *testing.T) {
	ts := rampTasks(t, 30, 2)
	opt := BatchOptions{BatchSize: 4, MaxSteps: 8, FlipLabels: true, ShuffleTrials: true, SampleToMaxSteps: true, Normalize: true, ShuffleFeatures: true}
	a, _ := NewSampler(ts, opt, 7)
	for range 5 {
		a.Next()
	}
	state, err := a.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	want := []Batch{a.Next(), a.Next()}
	b, _ := NewSampler(ts, opt, 999)
	if err := b.UnmarshalBinary(state); err != nil {
		t.Fatal(err)
	}
	got := []Batch{b.Next(), b.Next()}
	if !reflect.DeepEqual(got, want) {
		t.Error("a restored sampler drew different batches")
	}
	if err := b.UnmarshalBinary([]byte("junk")); err == nil {
		t.Error("UnmarshalBinary accepted junk")
	}
}

func TestSamplerLabelValueCoding(t *testing.T) {
	a, _ := NewBinary(0, 1, []float64{1, 2, 3}, []int{1, 0, 1})
	b, _ := NewBinary(1, 1, []float64{1, 2, 3}, []int{0, 0, 1})
	s, err := NewSampler([]Task{a, b}, BatchOptions{Coding: LabelValue}, 1)
	if err != nil {
		t.Fatal(err)
	}
	batch := s.All()
	got := [][]float32{batch.Targets[:3], batch.Targets[3:]}
	if !reflect.DeepEqual(got, [][]float32{{1, 0, 1}, {0, 0, 1}}) {
		t.Errorf("targets = %v, want the labels' values", got)
	}
	if _, err := NewSampler([]Task{mustTask(t, 0, 1, []float64{1}, "A")}, BatchOptions{Coding: LabelValue}, 1); err == nil {
		t.Error("LabelValue accepted the label A")
	}
}

func TestNewSamplerRejects(t *testing.T) {
	ts := rampTasks(t, 3, 2)
	tests := []struct {
		name string
		ts   []Task
		opt  BatchOptions
	}{
		{"no tasks", nil, BatchOptions{}},
		{"resample without shuffle", ts, BatchOptions{SampleToMaxSteps: true, MaxSteps: 5}},
		{"batch larger than tasks", ts, BatchOptions{BatchSize: 4}},
		{"task longer than max steps", ts, BatchOptions{MaxSteps: 2}},
		{"mixed dims", append(rampTasks(t, 1, 2), rampTasks(t, 1, 3)...), BatchOptions{}},
		{"three categories", []Task{mustTask(t, 0, 1, []float64{1, 2, 3}, "a", "b", "c")}, BatchOptions{}},
	}
	for _, tc := range tests {
		if _, err := NewSampler(tc.ts, tc.opt, 1); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}

func TestPadTo(t *testing.T) {
	ts := []Task{mustTask(t, 0, 1, []float64{1, 2}, "a", "b"), mustTask(t, 1, 1, []float64{3}, "a")}
	b := Encode(ts, [][2]float32{{0, 1}, {0, 1}}, nil, rand.New(rand.NewPCG(1, 1)))
	p := b.PadTo(4)
	if p.MaxLen != 4 || len(p.Inputs) != 2*4*2 || len(p.Targets) != 8 {
		t.Fatalf("padded shape %d, %d inputs", p.MaxLen, len(p.Inputs))
	}
	for s := range 2 {
		for tr := range 4 {
			var want []float32
			wantY := float32(0)
			if tr < b.MaxLen {
				want, wantY = b.Input(s, tr), b.Target(s, tr)
			} else {
				want = []float32{0, 0}
			}
			if !reflect.DeepEqual(p.Input(s, tr), want) || p.Target(s, tr) != wantY {
				t.Errorf("seq %d trial %d: %v %v, want %v %v", s, tr, p.Input(s, tr), p.Target(s, tr), want, wantY)
			}
		}
	}
	if q := b.PadTo(1); q.MaxLen != b.MaxLen {
		t.Error("PadTo shrank a batch")
	}
}
