package benchmark

import (
	"math"
	"testing"
)

func TestSummarize(t *testing.T) {
	var scores []Score
	for i, row := range [][3]float64{{0.7, 0.7, 0.6}, {0.5, 0.6, 0.6}, {0.6, 0.5, 0.4}} {
		for j, m := range []string{"A", "B", "C"} {
			scores = append(scores, Score{Dataset: string(rune('x' + i)), Model: m, Accuracy: row[j], AUC: row[j] + 0.1})
		}
	}
	// D has one score only: it gets a mean but stays out of the ranking.
	scores = append(scores, Score{Dataset: "x", Model: "D", Accuracy: 0.9, AUC: 0.9, Reported: true})
	sum := Summarize(scores, []string{"A", "B", "C", "D"}, []string{"A", "B", "C"})
	want := []struct {
		mean, rank float64
		n          int
	}{
		{0.6, 5.5 / 3, 3}, // ranks 1.5, 3, 1 (ties averaged, as pandas)
		{0.6, 5.0 / 3, 3}, // 1.5, 1.5, 2
		{1.6 / 3, 2.5, 3}, // 3, 1.5, 3
		{0.9, math.NaN(), 1},
	}
	for i, w := range want {
		s := sum[i]
		if math.Abs(s.MeanAccuracy-w.mean) > 1e-12 || s.Datasets != w.n || (math.IsNaN(w.rank) != math.IsNaN(s.MeanRank)) ||
			(!math.IsNaN(w.rank) && math.Abs(s.MeanRank-w.rank) > 1e-12) {
			t.Errorf("%s: %+v, want mean %v rank %v over %d", s.Model, s, w.mean, w.rank, w.n)
		}
	}
	if !sum[3].Reported || sum[0].Reported {
		t.Error("Reported flags lost")
	}
	if got := sum[0].SEM; math.Abs(got-0.1/math.Sqrt(3)) > 1e-12 {
		t.Errorf("SEM %v, want the sample SD 0.1 over √3", got)
	}
}

func TestCompare(t *testing.T) {
	a := []float64{0.70, 0.65, 0.80, 0.55, 0.90}
	b := []float64{0.60, 0.66, 0.70, 0.50, 0.85}
	var scores []Score
	for i := range a {
		ds := string(rune('a' + i))
		scores = append(scores, Score{Dataset: ds, Model: "A", Accuracy: a[i]}, Score{Dataset: ds, Model: "B", Accuracy: b[i]})
	}
	p, err := Compare(scores, "A", "B")
	if err != nil {
		t.Fatal(err)
	}
	// scipy.stats.ttest_rel(a, b): statistic 2.850544485661345, p 0.04637027046685573.
	if math.Abs(p.T-2.850544485661345) > 1e-9 || math.Abs(p.P-0.04637027046685573) > 1e-9 || p.Wins != 4 || p.Losses != 1 || p.Datasets != 5 {
		t.Errorf("Compare = %+v", p)
	}
	if _, err := Compare(scores[:2], "A", "B"); err == nil {
		t.Error("one data set gave a t-test")
	}
}

func TestReportedScores(t *testing.T) {
	paper := map[int]map[string]float64{31: {"TabPFN": 0.6, "ERMI": 0.7}}
	ds := []Dataset{{Name: "credit-g", TaskID: 31}, {Name: "mine", TaskID: 0}}
	got := ReportedScores(paper, ds, "TabPFN")
	if len(got) != 1 || got[0].Dataset != "credit-g" || got[0].Accuracy != 0.6 || !got[0].Reported || !math.IsNaN(got[0].AUC) {
		t.Errorf("ReportedScores = %+v", got)
	}
}
