package tasks

import (
	"fmt"
	"io"
	"math"
	"slices"
)

// Summary describes a task file: its size, shape, label balance and what
// reading and the paper's filter drop.
type Summary struct {
	File string
	// Tasks is the number of tasks read, Rows the number of data rows
	// (dropped ones included), Dims the features per trial.
	Tasks, Rows, Dims int
	// MinTrials, MedianTrials and MaxTrials describe the task lengths.
	MinTrials, MaxTrials int
	MedianTrials         float64
	// ByCategories counts tasks by their number of categories.
	ByCategories map[int]int
	// MeanShareB is the mean, over two-category tasks, of the share of
	// trials in the second category to appear (B); 0.5 is balanced.
	MeanShareB float64
	// FeatureMin and FeatureMax bound the raw feature values.
	FeatureMin, FeatureMax float64
	// MaxSteps is the max_steps the filter counts were made for (0: none),
	// Kept the number of tasks the paper's filter keeps.
	MaxSteps, Kept int
	// Dropped counts the rows dropped while reading and the tasks the
	// filter drops, by reason.
	Dropped DropReport
}

// Summarize streams the task file at path and returns its Summary, counting
// the tasks Filter(…, maxSteps) would drop.
func Summarize(path string, opt ReadOptions, maxSteps int) (Summary, error) {
	s := Summary{File: path, ByCategories: map[int]int{}, FeatureMin: math.Inf(1), FeatureMax: math.Inf(-1), MaxSteps: maxSteps}
	r, c, err := Open(path, opt)
	if err != nil {
		return s, err
	}
	defer c.Close()
	var lengths []int
	var shareSum float64
	var filtered DropReport
	for {
		t, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return s, err
		}
		s.Tasks++
		lengths = append(lengths, t.Len())
		s.ByCategories[t.NumCategories()]++
		if t.NumCategories() == 2 {
			nB := 0
			for _, y := range t.Y {
				nB += y
			}
			shareSum += float64(nB) / float64(t.Len())
		}
		for _, v := range t.X {
			s.FeatureMin = min(s.FeatureMin, v)
			s.FeatureMax = max(s.FeatureMax, v)
		}
		kept, rep := Filter([]Task{t}, maxSteps)
		s.Kept += len(kept)
		filtered.Merge(rep)
	}
	s.Rows = r.Rows()
	s.Dims = r.Dims()
	s.Dropped = r.Report()
	s.Dropped.Merge(filtered)
	if n := s.ByCategories[2]; n > 0 {
		s.MeanShareB = shareSum / float64(n)
	}
	if len(lengths) > 0 {
		slices.Sort(lengths)
		s.MinTrials, s.MaxTrials = lengths[0], lengths[len(lengths)-1]
		m := len(lengths) / 2
		s.MedianTrials = float64(lengths[m])
		if len(lengths)%2 == 0 {
			s.MedianTrials = float64(lengths[m-1]+lengths[m]) / 2
		}
	}
	return s, nil
}

// Format writes the summary for a person to read.
func (s Summary) Format(w io.Writer) {
	fmt.Fprintf(w, "%s\n", s.File)
	fmt.Fprintf(w, "  tasks %d, rows %d, features per trial %d\n", s.Tasks, s.Rows, s.Dims)
	if s.Tasks == 0 {
		fmt.Fprint(w, indent(s.Dropped.String()))
		return
	}
	fmt.Fprintf(w, "  trials per task: min %d, median %g, max %d\n", s.MinTrials, s.MedianTrials, s.MaxTrials)
	keys := make([]int, 0, len(s.ByCategories))
	for k := range s.ByCategories {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	fmt.Fprintf(w, "  tasks by number of categories:")
	for _, k := range keys {
		fmt.Fprintf(w, " %d: %d;", k, s.ByCategories[k])
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "  label balance: mean share of the second category %.3f (0.5 = balanced)\n", s.MeanShareB)
	fmt.Fprintf(w, "  feature values: min %g, max %g\n", s.FeatureMin, s.FeatureMax)
	if s.MaxSteps > 0 {
		fmt.Fprintf(w, "  kept for training (max_steps %d, two categories): %d of %d tasks\n", s.MaxSteps, s.Kept, s.Tasks)
	} else {
		fmt.Fprintf(w, "  kept for training (two categories): %d of %d tasks\n", s.Kept, s.Tasks)
	}
	if d := s.Dropped.String(); d != "" {
		fmt.Fprint(w, indent(d))
	} else {
		fmt.Fprintln(w, "  nothing dropped")
	}
}

func indent(s string) string {
	out := make([]byte, 0, len(s)+16)
	start := true
	for i := 0; i < len(s); i++ {
		if start {
			out = append(out, "  "...)
		}
		out = append(out, s[i])
		start = s[i] == '\n'
	}
	return string(out)
}
