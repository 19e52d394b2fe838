// Package human reads the trial-by-trial human category-learning data the
// paper fits its models to: Badham, Sanborn & Maylor (2017), four Shepard
// problems per participant, and the control condition of Devraj et al.
// (2022), a 6-feature prototype/exception task of 616 trials.
//
// Each participant's data are kept as one Sequence per condition (problem):
// the stimuli in trial order, their true categories (the feedback a model
// learns from) and the person's choices (what the model is scored on).
//
// Use:
//
//	st, err := human.Load(human.Badham2017, "datasets/human/badham2017/badham2017deficits.csv")
//	for _, p := range st.Participants {
//		for _, s := range p.Sequences {
//			fmt.Println(p.ID, s.Condition, s.Len())
//		}
//	}
package human

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
)

// The studies this package reads.
const (
	Badham2017 = "badham2017"
	Devraj2022 = "devraj2022"
)

// Studies lists the names Load accepts.
func Studies() []string { return []string{Badham2017, Devraj2022} }

// DefaultPath returns the shipped data file of a study, relative to the
// repository root.
func DefaultPath(study string) string {
	switch study {
	case Badham2017:
		return "datasets/human/badham2017/badham2017deficits.csv"
	case Devraj2022:
		return "datasets/human/devraj2022/devraj2022rational_exp1.csv"
	}
	return ""
}

// Study is one experiment's data.
type Study struct {
	// Name is Badham2017 or Devraj2022.
	Name string
	// Dims is the number of binary features of each stimulus.
	Dims int
	// BICTrials is the N of the paper's BIC = 2·NLL + k·ln N, fixed per study
	// whatever a participant's actual trial count (384 Badham, 616 Devraj).
	BICTrials int
	// Participants in the order of their IDs.
	Participants []Participant
	// Source is the file the study was read from.
	Source string
}

// Participant is one person's data, one Sequence per condition.
type Participant struct {
	ID        int
	Sequences []Sequence
}

// Trials returns the participant's number of trials over all conditions.
func (p *Participant) Trials() int {
	n := 0
	for i := range p.Sequences {
		n += p.Sequences[i].Len()
	}
	return n
}

// Sequence is one condition of one participant: the trials in the order
// they were shown.
type Sequence struct {
	// Condition is the study's condition: for Badham the Shepard problem
	// type 1–4 (I, II, III, IV), for Devraj 0 (the control condition).
	Condition int
	// Dims is the number of features per stimulus.
	Dims int
	// X holds the stimuli row-major: trial t is X[t*Dims:(t+1)*Dims].
	X []float64
	// Category holds the true category (0 or 1) of each trial: the
	// feedback the person was given.
	Category []int
	// Choice holds the person's choice (0 or 1) on each trial.
	Choice []int
}

// Len returns the number of trials.
func (s *Sequence) Len() int { return len(s.Category) }

// Row returns the stimulus of trial t (aliasing X).
func (s *Sequence) Row(t int) []float64 { return s.X[t*s.Dims : (t+1)*s.Dims] }

// Accuracy returns the fraction of trials on which the choice was the true
// category.
func (s *Sequence) Accuracy() float64 {
	if s.Len() == 0 {
		return 0
	}
	n := 0
	for t := range s.Category {
		if s.Choice[t] == s.Category[t] {
			n++
		}
	}
	return float64(n) / float64(s.Len())
}

// Flipped returns a copy of s with every feature, category and choice
// replaced by 1 − value: the paper's random flip of a condition before a
// meta-learner reads it.
func (s *Sequence) Flipped() Sequence {
	f := Sequence{Condition: s.Condition, Dims: s.Dims, X: make([]float64, len(s.X)),
		Category: make([]int, len(s.Category)), Choice: make([]int, len(s.Choice))}
	for i, v := range s.X {
		f.X[i] = 1 - v
	}
	for t := range s.Category {
		f.Category[t] = 1 - s.Category[t]
		f.Choice[t] = 1 - s.Choice[t]
	}
	return f
}

// Load reads a study's trial file: the CSV the paper's code loads (Badham)
// or its re-derivation (Devraj; see the data's PROVENANCE.md).
func Load(study, path string) (*Study, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("human: %w", err)
	}
	defer f.Close()
	return Read(study, f, path)
}

// Read reads a study's trial CSV from r; name is used in error messages.
//
// Badham: columns participant, trial, choice and correct_choice ('j' is
// category 1, 'f' category 0), condition 1–4, feature1–feature3.
// Devraj: columns participant, trial, choice and correct_choice (0/1),
// condition (only "control" rows are kept, as the paper), feature1–feature6.
// Rows of a participant and condition must be in trial order; a condition
// with fewer trials than the design (a participant who reached the learning
// criterion early) is kept as it is.
func Read(study string, r io.Reader, name string) (*Study, error) {
	var dims, bicN int
	switch study {
	case Badham2017:
		dims, bicN = 3, 384
	case Devraj2022:
		dims, bicN = 6, 616
	default:
		return nil, fmt.Errorf("human: unknown study %q (one of %s)", study, strings.Join(Studies(), ", "))
	}
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("human: %s: empty file", name)
		}
		return nil, fmt.Errorf("human: %s: %w", name, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(h)] = i
	}
	need := []string{"participant", "trial", "choice", "correct_choice", "condition"}
	for d := 1; d <= dims; d++ {
		need = append(need, fmt.Sprintf("feature%d", d))
	}
	for _, c := range need {
		if _, ok := col[c]; !ok {
			return nil, fmt.Errorf("human: %s:1: no column %q", name, c)
		}
	}
	st := &Study{Name: study, Dims: dims, BICTrials: bicN, Source: name}
	index := map[[2]int]*Sequence{} // (participant, condition)
	lastTrial := map[[2]int]int{}
	conds := map[int][]int{} // participant → conditions in order of appearance
	var order []int
	line := 1
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line++
		if err != nil {
			return nil, fmt.Errorf("human: %s: %w", name, err)
		}
		bad := func(field, format string, a ...any) error {
			return fmt.Errorf("human: %s:%d: field %s: %s", name, line, field, fmt.Sprintf(format, a...))
		}
		get := func(c string) string { return strings.TrimSpace(rec[col[c]]) }
		id, err := strconv.Atoi(get("participant"))
		if err != nil || id < 0 {
			return nil, bad("participant", "%q is not a participant number", get("participant"))
		}
		trial, err := strconv.Atoi(get("trial"))
		if err != nil || trial < 0 {
			return nil, bad("trial", "%q is not a trial number", get("trial"))
		}
		cond := 0
		switch study {
		case Badham2017:
			cond, err = strconv.Atoi(get("condition"))
			if err != nil || cond < 1 || cond > 4 {
				return nil, bad("condition", "%q is not a problem type 1-4", get("condition"))
			}
		case Devraj2022:
			switch get("condition") {
			case "control":
			case "experimental":
				continue
			default:
				return nil, bad("condition", "%q is neither control nor experimental", get("condition"))
			}
		}
		choice, err := parseChoice(study, get("choice"))
		if err != nil {
			return nil, bad("choice", "%v", err)
		}
		correct, err := parseChoice(study, get("correct_choice"))
		if err != nil {
			return nil, bad("correct_choice", "%v", err)
		}
		x := make([]float64, dims)
		for d := range dims {
			c := fmt.Sprintf("feature%d", d+1)
			v, err := strconv.ParseFloat(get(c), 64)
			if err != nil || (v != 0 && v != 1) {
				return nil, bad(c, "%q is not a binary feature (0 or 1)", get(c))
			}
			x[d] = v
		}
		key := [2]int{id, cond}
		sq := index[key]
		if sq == nil {
			sq = &Sequence{Condition: cond, Dims: dims}
			index[key] = sq
			if _, ok := conds[id]; !ok {
				order = append(order, id)
			}
			conds[id] = append(conds[id], cond)
		} else if trial <= lastTrial[key] {
			return nil, bad("trial", "trial %d of participant %d, condition %d follows trial %d: rows are not in trial order", trial, id, cond, lastTrial[key])
		}
		lastTrial[key] = trial
		sq.X = append(sq.X, x...)
		sq.Category = append(sq.Category, correct)
		sq.Choice = append(sq.Choice, choice)
	}
	if len(order) == 0 {
		return nil, fmt.Errorf("human: %s: no trials", name)
	}
	slices.Sort(order)
	for _, id := range order {
		p := Participant{ID: id}
		cs := conds[id]
		slices.Sort(cs)
		for _, c := range cs {
			p.Sequences = append(p.Sequences, *index[[2]int{id, c}])
		}
		st.Participants = append(st.Participants, p)
	}
	return st, nil
}

// parseChoice reads a response: Badham's keys f (category 0) and j
// (category 1), Devraj's 0 and 1.
func parseChoice(study, v string) (int, error) {
	if study == Badham2017 {
		switch v {
		case "f":
			return 0, nil
		case "j":
			return 1, nil
		}
		return 0, fmt.Errorf("%q is not a response key (f or j)", v)
	}
	switch v {
	case "0":
		return 0, nil
	case "1":
		return 1, nil
	}
	return 0, fmt.Errorf("%q is not a category (0 or 1)", v)
}
