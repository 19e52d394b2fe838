package effects

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/ermi-go/ermi/ermi/human"
	"github.com/ermi-go/ermi/ermi/metalearner"
)

var humanDir = filepath.Join("..", "..", "datasets", "human", "ermi-human")

// smallNet is an untrained network small enough for quick tests.
func smallNet(t *testing.T, dims, maxSteps int) *metalearner.Model {
	t.Helper()
	net, err := metalearner.New(metalearner.Config{Dims: dims, DModel: 16, Heads: 2, FF: 32, Layers: 1, MaxSteps: maxSteps, Dropout: 0.1}, 1)
	if err != nil {
		t.Fatal(err)
	}
	return net
}

func TestShepardStructures(t *testing.T) {
	for typ := range 6 {
		n := 0
		for s := range 8 {
			n += 1 - ShepardCategory(typ, s)
		}
		if n != 4 {
			t.Errorf("type %s: %d stimuli in A", ShepardTypes[typ], n)
		}
	}
	for s := range 8 {
		if ShepardCategory(0, s) != s>>2&1 {
			t.Errorf("type I, stimulus %03b: not the rule on x₁", s)
		}
		if ShepardCategory(5, s) != (s>>2^s>>1^s)&1 {
			t.Errorf("type VI, stimulus %03b: not parity", s)
		}
	}
	// Type IV is linearly separable: A is within one feature of 000.
	for s := range 8 {
		ones := s>>2&1 + s>>1&1 + s&1
		if (ShepardCategory(3, s) == 0) != (ones <= 1) {
			t.Errorf("type IV, stimulus %03b", s)
		}
	}
}

func TestShepardOrderOnPeople(t *testing.T) {
	h, err := LoadNosofsky1994(filepath.Join(humanDir, "nosofsky1994.json"))
	if err != nil {
		t.Fatal(err)
	}
	var mean [6]float64
	for i := range 6 {
		if len(h[i]) != 16 {
			t.Fatalf("type %d: %d blocks", i+1, len(h[i]))
		}
		mean[i] = h[i][:15].Mean()
	}
	if !ShepardOrder(mean) {
		t.Errorf("people's mean errors %v fail the order test", mean)
	}
	rev := [6]float64{mean[5], mean[4], mean[3], mean[2], mean[1], mean[0]}
	if ShepardOrder(rev) {
		t.Error("the reversed order passes")
	}
	if ShepardOrder([6]float64{0.1, 0.2, 0.3, 0.3, 0.3, 0.25}) {
		t.Error("type VI easier than type III passes")
	}
}

func TestShepardSimulation(t *testing.T) {
	h, err := LoadNosofsky1994(filepath.Join(humanDir, "nosofsky1994.json"))
	if err != nil {
		t.Fatal(err)
	}
	net := smallNet(t, 3, 250)
	opt := ShepardOptions{Blocks: 4, Sequences: 20, Betas: []float64{0, 0.5, 1}, Seed: 3}
	a, err := Shepard(net, h, opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Distances) != 3 || len(a.Errors[0]) != 4 || !slicesContain(opt.Betas, a.Beta) {
		t.Fatalf("result %+v", a)
	}
	for i, d := range a.Distances {
		if d < a.Distance {
			t.Errorf("distance %v at β %v below the chosen one's %v", d, a.Betas[i], a.Distance)
		}
	}
	for typ := range 6 {
		for _, e := range a.Errors[typ] {
			if e < 0 || e > 1 {
				t.Fatalf("error %v", e)
			}
		}
	}
	b, err := Shepard(net, h, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a.Errors, b.Errors) || a.Beta != b.Beta {
		t.Error("the same seed gave another simulation")
	}
	// Too long for the network's positional table.
	if _, err := Shepard(smallNet(t, 3, 50), h, opt); err == nil || !strings.Contains(err.Error(), "at most 50") {
		t.Errorf("error %v", err)
	}
	if _, err := Shepard(smallNet(t, 4, 250), h, opt); err == nil || !strings.Contains(err.Error(), "4 features") {
		t.Errorf("error %v", err)
	}
}

func slicesContain(s []float64, v float64) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"type1": {"x": [1], "y": [0.2]}`), 0o644)
	missing := filepath.Join(dir, "missing.json")
	os.WriteFile(missing, []byte(`{"type1": {"x": [1], "y": [0.2]}}`), 0o644)
	tests := []struct {
		name string
		load func() error
		want string
	}{
		{"no file", func() error { _, err := LoadNosofsky1994(filepath.Join(dir, "none.json")); return err }, "none.json"},
		{"broken JSON", func() error { _, err := LoadNosofsky1994(bad); return err }, "bad.json"},
		{"no type2", func() error { _, err := LoadNosofsky1994(missing); return err }, "no curve type2"},
		{"no transfer items", func() error { _, err := LoadJohansen2002(missing); return err }, "missing.json"},
	}
	for _, tt := range tests {
		if err := tt.load(); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestTransfer(t *testing.T) {
	h, err := LoadJohansen2002(filepath.Join(humanDir, "johanssen2002.json"))
	if err != nil {
		t.Fatal(err)
	}
	if want := []float64{0.703, 0.281, 0.933, 0.314, 0.218, 0.676, 0.066}; !reflect.DeepEqual(h, want) {
		t.Fatalf("people's P(A) %v, want %v", h, want)
	}
	if !TransferOrder(h, h) {
		t.Error("people fail their own transfer test")
	}
	flipped := make([]float64, len(h))
	for i := range h {
		flipped[i] = 1 - h[i]
	}
	if TransferOrder(flipped, h) {
		t.Error("the reversed pattern passes")
	}
	if got := spearman(h, h); math.Abs(got-1) > 1e-12 {
		t.Errorf("Spearman of people with themselves %v", got)
	}
	if got := spearman(h, flipped); math.Abs(got+1) > 1e-12 {
		t.Errorf("Spearman with the reverse %v", got)
	}
	res, err := Transfer(smallNet(t, 4, 300), h, TransferOptions{Sequences: 40, Betas: []float64{0.5, 1}, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.PA) != len(TransferBlocks) || len(res.PA[0]) != 7 || res.Spearman < -1 || res.Spearman > 1 {
		t.Fatalf("result %+v", res)
	}
	for _, p := range res.PA[len(res.PA)-1] {
		if !(p >= 0 && p <= 1) {
			t.Errorf("P(A) %v", p)
		}
	}
	if _, err := Transfer(smallNet(t, 4, 200), h, TransferOptions{Sequences: 8}); err == nil {
		t.Error("a network shorter than 289 trials was accepted")
	}
}

func TestStrategyShiftOnPeople(t *testing.T) {
	e, p, err := LoadSmith1998(filepath.Join(humanDir, "smith1998.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !StrategyShift(e, p) {
		t.Errorf("Smith & Minda's curves %v, %v fail the shift test", e, p)
	}
	if StrategyShift(p, e) {
		t.Error("the swapped curves pass")
	}
	if StrategyShift(e[:2], p[:2]) {
		t.Error("two blocks pass")
	}
}

func TestStrategySimulation(t *testing.T) {
	st, err := human.Load(human.Devraj2022, filepath.Join("..", "..", human.DefaultPath(human.Devraj2022)))
	if err != nil {
		t.Fatal(err)
	}
	st.Participants = st.Participants[:2]
	opt := StrategyOptions{Starts: 2, Seed: 1}
	people, err := StrategyPeople(st, opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(people.Exemplar) != 11 || len(people.Prototype) != 11 {
		t.Fatalf("%d and %d blocks", len(people.Exemplar), len(people.Prototype))
	}
	for b := range 11 {
		// 14 stimuli, squared errors of proportions: at most 14.
		if e, p := people.Exemplar[b], people.Prototype[b]; e < 0 || p < 0 || e > 14 || p > 14 {
			t.Errorf("block %d: errors %v, %v", b, e, p)
		}
	}
	betas := map[int]float64{st.Participants[0].ID: 0.5, st.Participants[1].ID: 1}
	sim, err := Strategy(smallNet(t, 6, 650), st, betas, opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(sim.Exemplar) != 11 || !reflect.DeepEqual(sim.Betas, []float64{0.5, 1}) {
		t.Errorf("result %+v", sim)
	}
	delete(betas, st.Participants[1].ID)
	if _, err := Strategy(smallNet(t, 6, 650), st, betas, opt); err == nil || !strings.Contains(err.Error(), "no fitted β") {
		t.Errorf("error %v", err)
	}
}
