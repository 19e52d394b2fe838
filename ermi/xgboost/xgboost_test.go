package xgboost

import (
	"math"
	"strings"
	"testing"
)

func TestFitSeparates(t *testing.T) {
	var x []float64
	var y []int
	for i := range 40 {
		v := float64(i) / 40
		x = append(x, v, 1-v)
		y = append(y, map[bool]int{true: 1}[v > 0.5])
	}
	p, err := Classifier{Threads: 1}.Fit(x, y, []float64{0.9, 0.1, 0.1, 0.9}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if !(p[0] > 0.5 && p[1] < 0.5) {
		t.Errorf("P(class 1) = %v, want high then low", p)
	}
	if major, _, _ := Version(); major < 1 {
		t.Errorf("xgboost version %d", major)
	}
}

func TestFitBadInput(t *testing.T) {
	for _, c := range []struct {
		name   string
		x      []float64
		y      []int
		test   []float64
		errHas string
	}{
		{"NaN", []float64{0, math.NaN(), 1, 0}, []int{0, 1}, []float64{0, 0}, "row 0"},
		{"class 2", []float64{0, 1, 1, 0}, []int{0, 2}, []float64{0, 0}, "not 0 or 1"},
		{"lengths", []float64{0, 1, 1}, []int{0, 1}, []float64{0, 0}, "training rows"},
		{"no test", []float64{0, 1, 1, 0}, []int{0, 1}, nil, "test values"},
	} {
		_, err := Classifier{}.Fit(c.x, c.y, c.test, 2)
		if err == nil || !strings.Contains(err.Error(), c.errHas) {
			t.Errorf("%s: err = %v, want %q", c.name, err, c.errHas)
		}
	}
}
