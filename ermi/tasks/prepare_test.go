package tasks

import (
	"encoding/csv"
	"math"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"strconv"
	"testing"
)

func mustTask(t *testing.T, id, dims int, x []float64, labels ...string) Task {
	t.Helper()
	task, err := New(id, dims, x, labels)
	if err != nil {
		t.Fatal(err)
	}
	return task
}

func TestNewCodesByFirstAppearance(t *testing.T) {
	task := mustTask(t, 3, 1, []float64{1, 2, 3, 4}, "B", "A", "B", "C")
	if !reflect.DeepEqual(task.Y, []int{0, 1, 0, 2}) || !reflect.DeepEqual(task.Categories, []string{"B", "A", "C"}) {
		t.Errorf("Y = %v, Categories = %v", task.Y, task.Categories)
	}
	if _, err := New(1, 2, []float64{1, math.NaN()}, []string{"A"}); err == nil {
		t.Error("New accepted NaN")
	}
	if _, err := New(1, 2, []float64{1, 2, 3}, []string{"A"}); err == nil {
		t.Error("New accepted 3 values for 1 trial of 2 features")
	}
	if _, err := New(1, 2, nil, nil); err == nil {
		t.Error("New accepted an empty task")
	}
	if _, err := NewBinary(1, 1, []float64{1}, []int{2}); err == nil {
		t.Error("NewBinary accepted label 2")
	}
}

func TestFilter(t *testing.T) {
	ts := []Task{
		mustTask(t, 10, 1, []float64{1, 2, 3}, "x", "y", "x"),         // kept
		mustTask(t, 11, 1, []float64{1, 2, 3, 4}, "x", "y", "x", "y"), // too long
		mustTask(t, 12, 1, []float64{1, 2}, "x", "x"),                 // one label
		mustTask(t, 13, 1, []float64{1, 2, 3}, "x", "y", "z"),         // three labels
		mustTask(t, 14, 1, []float64{5, 6}, "q", "p"),                 // kept
	}
	kept, rep := Filter(ts, 3)
	if len(kept) != 2 || kept[0].ID != 0 || kept[1].ID != 1 || kept[1].Categories[0] != "q" {
		t.Errorf("kept = %+v", kept)
	}
	if rep.Tasks[TaskTooLong] != 1 || rep.Tasks[TaskNotTwoLabel] != 2 {
		t.Errorf("report = %v", rep.Tasks)
	}
	if ts[4].ID != 14 {
		t.Error("Filter changed its input")
	}
	if kept, _ := Filter(ts, 0); len(kept) != 3 {
		t.Errorf("maxSteps 0 kept %d tasks, want 3", len(kept))
	}
}

// TestSplitBoundsMatchPyTorch compares with testdata/split_bounds.csv, made by
// testdata/make_split_fixture.py with Debian's python3-torch 1.13.
func TestSplitBoundsMatchPyTorch(t *testing.T) {
	f, err := os.Open("testdata/split_bounds.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows[1:] {
		n, _ := strconv.Atoi(r[0])
		wa, _ := strconv.Atoi(r[1])
		wb, _ := strconv.Atoi(r[2])
		if a, b := SplitBounds(n); a != wa || b != wb {
			t.Errorf("SplitBounds(%d) = %d, %d; PyTorch %d, %d", n, a, b, wa, wb)
		}
	}
	ts := make([]Task, 291)
	train, val, test := Split(ts)
	if len(train) != 232 || len(val) != 29 || len(test) != 30 {
		t.Errorf("Split(291) = %d/%d/%d", len(train), len(val), len(test))
	}
}

func TestShuffleAndResample(t *testing.T) {
	task := mustTask(t, 0, 2, []float64{0, 0, 1, 10, 2, 20, 3, 30}, "a", "b", "a", "b")
	rng := rand.New(rand.NewPCG(1, 2))
	sh := ShuffleTrials(task, rng)
	if sh.Len() != 4 || &sh.X[0] == &task.X[0] {
		t.Fatal("ShuffleTrials must return a copy of the same length")
	}
	seen := map[float64]bool{}
	for i := range sh.Len() {
		row := sh.Row(i)
		if row[1] != 10*row[0] || sh.Y[i] != int(row[0])%2 {
			t.Errorf("trial %d mixed up features and labels: %v y=%d", i, row, sh.Y[i])
		}
		seen[row[0]] = true
	}
	if len(seen) != 4 {
		t.Errorf("shuffle lost trials: %v", seen)
	}
	rs := Resample(task, 300, rng)
	counts := make([]int, 4)
	for i := range rs.Len() {
		row := rs.Row(i)
		if row[1] != 10*row[0] || rs.Y[i] != int(row[0])%2 {
			t.Fatalf("resampled trial %d mixed up: %v", i, row)
		}
		counts[int(row[0])]++
	}
	for i, c := range counts {
		if c < 40 || c > 110 { // binomial(300, 1/4): mean 75, sd 7.5
			t.Errorf("trial %d drawn %d times of 300", i, c)
		}
	}
}

func TestNormalizeGlobal(t *testing.T) {
	tests := []struct{ in, want []float64 }{
		{[]float64{2, 4, 6, 10}, []float64{0, 0.25, 0.5, 1}},
		{[]float64{-1, 1, 0, 3}, []float64{0, 0.5, 0.25, 1}},
		{[]float64{7, 7}, []float64{0.5, 0.5}},
		{nil, nil},
	}
	for _, tc := range tests {
		got := slices.Clone(tc.in)
		NormalizeGlobal(got)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("NormalizeGlobal(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
	// One global scale, not one per feature: a 2-feature task whose second
	// feature spans a larger range keeps the first squeezed.
	x := []float64{0, 0, 1, 100}
	NormalizeGlobal(x)
	if !reflect.DeepEqual(x, []float64{0, 0, 0.01, 1}) {
		t.Errorf("global scaling: %v", x)
	}
}
