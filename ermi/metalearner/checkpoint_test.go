package metalearner

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestCheckpointResumesExactly trains, saves, trains on; then loads the
// saved state and trains the same batches: losses and weights must match the
// uninterrupted run bit for bit (dropout on, so the random state matters).
func TestCheckpointResumesExactly(t *testing.T) {
	cfg := PaperConfig(2, 10)
	cfg.Layers = 2
	m, err := New(cfg, 3)
	if err != nil {
		t.Fatal(err)
	}
	batches := []int{0, 1, 2, 3, 4}
	for _, i := range batches[:2] {
		if _, err := m.TrainStep(randomBatch(4, 10, 2, uint64(i))); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "state.ckpt")
	if err := m.Save(path, true, map[string]int{"step": 2}); err != nil {
		t.Fatal(err)
	}
	var want []float32
	for _, i := range batches[2:] {
		loss, _ := m.TrainStep(randomBatch(4, 10, 2, uint64(i)))
		want = append(want, loss)
	}
	wantParams, _ := m.Params()

	r, extra, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	var ex map[string]int
	if err := json.Unmarshal(extra, &ex); err != nil || ex["step"] != 2 {
		t.Errorf("extra = %s, %v", extra, err)
	}
	var got []float32
	for _, i := range batches[2:] {
		loss, err := r.TrainStep(randomBatch(4, 10, 2, uint64(i)))
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, loss)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("resumed losses %v, uninterrupted %v", got, want)
	}
	gotParams, _ := r.Params()
	if !reflect.DeepEqual(gotParams, wantParams) {
		t.Error("resumed weights differ from the uninterrupted run")
	}
}

func TestCheckpointWeightsOnlyAndErrors(t *testing.T) {
	cfg := PaperConfig(3, 12)
	cfg.Layers = 1
	m, _ := New(cfg, 1)
	m.TrainStep(randomBatch(2, 12, 3, 1))
	dir := t.TempDir()
	weights := filepath.Join(dir, "weights.ckpt")
	state := filepath.Join(dir, "state.ckpt")
	if err := m.Save(weights, false, nil); err != nil {
		t.Fatal(err)
	}
	if err := m.Save(state, true, nil); err != nil {
		t.Fatal(err)
	}
	w, _ := os.Stat(weights)
	s, _ := os.Stat(state)
	if w.Size() >= s.Size() {
		t.Errorf("weights-only file %d bytes, full state %d", w.Size(), s.Size())
	}
	loaded, _, err := Load(weights)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := m.Logits(randomBatch(2, 12, 3, 9))
	b, _ := loaded.Logits(randomBatch(2, 12, 3, 9))
	if !reflect.DeepEqual(a, b) {
		t.Error("weights-only checkpoint gives different logits")
	}

	raw, _ := os.ReadFile(state)
	corrupt := append([]byte(nil), raw...)
	corrupt[len(corrupt)-3] ^= 0xff
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"truncated", raw[:len(raw)-100], "truncated or padded"},
		{"cut in header", raw[:30], "truncated: header"},
		{"corrupted", corrupt, "checksum mismatch"},
		{"not a checkpoint", []byte("hello"), "not a checkpoint"},
	}
	for _, c := range cases {
		p := filepath.Join(dir, c.name)
		os.WriteFile(p, c.data, 0o644)
		_, _, err := Load(p)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: err = %v, want one naming the file and %q", c.name, err, c.want)
		}
	}
	if _, _, err := Load(filepath.Join(dir, "missing.ckpt")); err == nil {
		t.Error("missing file: no error")
	}
}

func TestSetLearningRateBetweenSteps(t *testing.T) {
	cfg := PaperConfig(2, 6)
	cfg.Layers, cfg.Dropout = 1, 0
	a, _ := New(cfg, 5)
	b, _ := New(cfg, 5)
	batch := randomBatch(2, 6, 2, 1)
	a.TrainStep(batch)
	b.TrainStep(batch)
	if err := b.SetLearningRate(0.1); err != nil {
		t.Fatal(err)
	}
	a.TrainStep(batch)
	b.TrainStep(batch)
	pa, _ := a.Params()
	pb, _ := b.Params()
	if reflect.DeepEqual(pa, pb) {
		t.Error("changing the learning rate between steps changed nothing")
	}
	if b.LearningRate() != 0.1 || b.SetLearningRate(-1) == nil {
		t.Error("LearningRate/SetLearningRate bounds")
	}
}

// TestLogitsFollowTraining guards against GoMLX embedding the weights of an
// inference graph as constants: logits must change after a training step.
func TestLogitsFollowTraining(t *testing.T) {
	cfg := PaperConfig(2, 8)
	cfg.Layers = 1
	m, _ := New(cfg, 1)
	b := randomBatch(2, 8, 2, 1)
	before, _ := m.Logits(b)
	if _, err := m.TrainStep(b); err != nil {
		t.Fatal(err)
	}
	after, _ := m.Logits(b)
	if reflect.DeepEqual(before, after) {
		t.Error("logits unchanged by a training step: stale weights")
	}
}
