package tasks

import (
	"strings"
	"testing"
)

func TestSummarize(t *testing.T) {
	s, err := Summarize("testdata/pilot_v3_head.csv", ReadOptions{SkipBadRows: true}, 70)
	if err != nil {
		t.Fatal(err)
	}
	if s.Tasks != 2 || s.Rows != 213 || s.Dims != 3 || s.MinTrials != 66 || s.MaxTrials != 79 || s.MedianTrials != 72.5 {
		t.Errorf("summary %+v", s)
	}
	if s.Kept != 1 || s.Dropped.Tasks[TaskTooLong] != 1 || s.Dropped.Rows[RowBadInput] != 68 {
		t.Errorf("kept %d, dropped %v", s.Kept, s.Dropped)
	}
	if s.FeatureMin != 0.1 || s.FeatureMax != 9 || s.MeanShareB < 0.45 || s.MeanShareB > 0.5 {
		t.Errorf("ranges %+v", s)
	}
	var b strings.Builder
	s.Format(&b)
	for _, want := range []string{"tasks 2, rows 213, features per trial 3", "min 66, median 72.5, max 79", "kept for training (max_steps 70, two categories): 1 of 2 tasks", "rows dropped: 68 (input is not a list of numbers)"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("Format output lacks %q:\n%s", want, b.String())
		}
	}
	if _, err := Summarize("testdata/missing.csv", ReadOptions{}, 0); err == nil || !strings.Contains(err.Error(), "missing.csv") {
		t.Errorf("missing file: %v", err)
	}
}
