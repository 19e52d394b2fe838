package libsvm

import (
	"math"
	"strings"
	"testing"
)

func TestDecisionSeparates(t *testing.T) {
	// Class 1 listed first, so libsvm's first label is 1: the sign must
	// still be positive for class 1.
	x := []float64{0.9, 0.8, 0.85, 0.9, 0.1, 0.2, 0.15, 0.1}
	y := []int{1, 1, 0, 0}
	f, err := SVC{}.Decision(x, y, []float64{0.95, 0.9, 0.05, 0.1}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if !(f[0] > 0 && f[1] < 0) {
		t.Errorf("decision %v, want class 1 then class 0", f)
	}
	if Version() < 300 {
		t.Errorf("libsvm version %d", Version())
	}
}

func TestDecisionBadInput(t *testing.T) {
	for _, c := range []struct {
		name   string
		x      []float64
		y      []int
		test   []float64
		errHas string
	}{
		{"one class", []float64{0, 1, 1, 0}, []int{1, 1}, []float64{0, 0}, "one class"},
		{"NaN", []float64{0, math.NaN(), 1, 0}, []int{0, 1}, []float64{0, 0}, "training row 0"},
		{"NaN test", []float64{0, 1, 1, 0}, []int{0, 1}, []float64{0, math.Inf(1)}, "test row 0"},
		{"class 2", []float64{0, 1, 1, 0}, []int{0, 2}, []float64{0, 0}, "not 0 or 1"},
		{"lengths", []float64{0, 1, 1}, []int{0, 1}, []float64{0, 0}, "training rows"},
	} {
		_, err := SVC{}.Decision(c.x, c.y, c.test, 2)
		if err == nil || !strings.Contains(err.Error(), c.errHas) {
			t.Errorf("%s: err = %v, want %q", c.name, err, c.errHas)
		}
	}
}
