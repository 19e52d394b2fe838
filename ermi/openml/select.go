package openml

import (
	"math"
	"sort"
)

// MinMax returns x scaled column by column to [0, 1] over all rows, as
// scikit-learn's MinMaxScaler: a constant column becomes 0.
func MinMax(x [][]float64) [][]float64 {
	if len(x) == 0 {
		return nil
	}
	d := len(x[0])
	lo, hi := make([]float64, d), make([]float64, d)
	for j := range d {
		lo[j], hi[j] = math.Inf(1), math.Inf(-1)
	}
	for _, row := range x {
		for j, v := range row {
			lo[j], hi[j] = min(lo[j], v), max(hi[j], v)
		}
	}
	out := make([][]float64, len(x))
	for i, row := range x {
		out[i] = make([]float64, d)
		for j, v := range row {
			span := hi[j] - lo[j]
			if span == 0 {
				span = 1 // scikit-learn's _handle_zeros_in_scale
			}
			out[i][j] = (v - lo[j]) / span
		}
	}
	return out
}

// FClassif returns scikit-learn's f_classif ANOVA F-score of each column for
// the classes y: between-class mean square over within-class mean square.
// A column that is constant within every class scores NaN (0/0) or +Inf.
func FClassif(x [][]float64, y []int) []float64 {
	if len(x) == 0 {
		return nil
	}
	d := len(x[0])
	classes := map[int]int{}
	for _, c := range y {
		if _, ok := classes[c]; !ok {
			classes[c] = len(classes)
		}
	}
	k := len(classes)
	n := float64(len(x))
	scores := make([]float64, d)
	for j := range d {
		sum := make([]float64, k)
		cnt := make([]float64, k)
		total := 0.0
		for i, row := range x {
			c := classes[y[i]]
			sum[c] += row[j]
			cnt[c]++
			total += row[j]
		}
		grand := total / n
		ssb, ssw := 0.0, 0.0
		for c := range k {
			m := sum[c] / cnt[c]
			ssb += cnt[c] * (m - grand) * (m - grand)
		}
		for i, row := range x {
			c := classes[y[i]]
			dv := row[j] - sum[c]/cnt[c]
			ssw += dv * dv
		}
		scores[j] = (ssb / float64(k-1)) / (ssw / (n - float64(k)))
	}
	return scores
}

// SelectKBest returns the indices, in increasing order, of the k columns
// with the highest F-scores, as scikit-learn's SelectKBest(f_classif, k):
// NaN scores count as the lowest, and among equal scores the later column
// wins (a stable sort, the last k taken).
func SelectKBest(x [][]float64, y []int, k int) []int {
	scores := FClassif(x, y)
	idx := make([]int, len(scores))
	for i := range idx {
		idx[i] = i
	}
	key := func(i int) float64 {
		if math.IsNaN(scores[i]) {
			return -math.MaxFloat64
		}
		return scores[i]
	}
	sort.SliceStable(idx, func(a, b int) bool { return key(idx[a]) < key(idx[b]) })
	if k > len(idx) {
		k = len(idx)
	}
	sel := append([]int(nil), idx[len(idx)-k:]...)
	sort.Ints(sel)
	return sel
}
