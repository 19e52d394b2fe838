package tasks

import (
	"errors"
	"fmt"
	"math"
)

// Task is one category-learning problem: a sequence of trials, each a stimulus
// of Dims feature values and the category it belongs to.
//
// Categories are coded in order of first appearance: the category of trial 0
// has code 0 (the paper's "A"), the next new category code 1 ("B"), and so on.
// Categories[k] keeps the label the source gave code k ("fruits", "A", "1").
type Task struct {
	// ID identifies the task within its source (the task_id column).
	ID int
	// Dims is the number of features per trial.
	Dims int
	// X holds the feature values, trial after trial: trial t is
	// X[t*Dims : (t+1)*Dims].
	X []float64
	// Y holds the category code of each trial.
	Y []int
	// Categories maps a code to the label written in the source.
	Categories []string
	// FeatureNames names the features when the source says (LLM task
	// labels); nil otherwise.
	FeatureNames []string
	// Source says where the task came from: a file name or a prior.
	Source string
}

// Len returns the number of trials.
func (t *Task) Len() int { return len(t.Y) }

// Row returns the features of trial i. The slice aliases t.X.
func (t *Task) Row(i int) []float64 { return t.X[i*t.Dims : (i+1)*t.Dims] }

// NumCategories returns the number of distinct categories in the task.
func (t *Task) NumCategories() int { return len(t.Categories) }

// Label returns the source's label of trial i.
func (t *Task) Label(i int) string { return t.Categories[t.Y[i]] }

// ref names the task in messages: "file.csv task 4", or "task 4".
func (t *Task) ref() string {
	if t.Source == "" {
		return fmt.Sprintf("task %d", t.ID)
	}
	return fmt.Sprintf("%s task %d", t.Source, t.ID)
}

// Clone returns a deep copy of t.
func (t *Task) Clone() Task {
	c := *t
	c.X = append([]float64(nil), t.X...)
	c.Y = append([]int(nil), t.Y...)
	c.Categories = append([]string(nil), t.Categories...)
	if t.FeatureNames != nil {
		c.FeatureNames = append([]string(nil), t.FeatureNames...)
	}
	return c
}

// New returns a task of len(labels) trials with features x (row-major,
// dims per trial), coding the labels in order of first appearance. It
// returns an error if the shapes disagree or a feature is not finite.
func New(id, dims int, x []float64, labels []string) (Task, error) {
	t := Task{ID: id, Dims: dims, X: x, Y: make([]int, len(labels))}
	code := make(map[string]int, 2)
	for i, l := range labels {
		c, ok := code[l]
		if !ok {
			c = len(t.Categories)
			code[l] = c
			t.Categories = append(t.Categories, l)
		}
		t.Y[i] = c
	}
	return t, t.Validate()
}

// NewBinary returns a task whose trial i has category y[i] ∈ {0, 1}, written
// as the labels "0" and "1" (the synthetic priors' labels). Codes still follow
// first appearance, so the category of trial 0 has code 0.
func NewBinary(id, dims int, x []float64, y []int) (Task, error) {
	labels := make([]string, len(y))
	for i, v := range y {
		switch v {
		case 0:
			labels[i] = "0"
		case 1:
			labels[i] = "1"
		default:
			return Task{}, fmt.Errorf("tasks: task %d: trial %d: label %d is not 0 or 1", id, i, v)
		}
	}
	return New(id, dims, x, labels)
}

// ErrEmpty is returned for a task without trials.
var ErrEmpty = errors.New("task has no trials")

// Validate checks the invariants of a task: at least one trial, Dims ≥ 1,
// len(X) = Dims·Len, finite features, codes in order of first appearance.
func (t *Task) Validate() error {
	if t.Dims < 1 {
		return fmt.Errorf("tasks: task %d: %d features per trial, want at least 1", t.ID, t.Dims)
	}
	if len(t.Y) == 0 {
		return fmt.Errorf("tasks: task %d: %w", t.ID, ErrEmpty)
	}
	if len(t.X) != t.Dims*len(t.Y) {
		return fmt.Errorf("tasks: task %d: %d feature values for %d trials of %d features", t.ID, len(t.X), len(t.Y), t.Dims)
	}
	for i, v := range t.X {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("tasks: task %d: trial %d: feature %d is %v", t.ID, i/t.Dims, i%t.Dims, v)
		}
	}
	next := 0
	for i, c := range t.Y {
		switch {
		case c == next:
			next++
		case c < 0 || c > next:
			return fmt.Errorf("tasks: task %d: trial %d: category code %d out of first-appearance order", t.ID, i, c)
		}
	}
	if next != len(t.Categories) {
		return fmt.Errorf("tasks: task %d: %d category names for %d categories", t.ID, len(t.Categories), next)
	}
	return nil
}
