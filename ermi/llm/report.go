package llm

import (
	"fmt"
	"sort"
	"strings"

	"github.com/ermi-go/ermi/ermi/tasks"
)

// Report sums up the parsing of many answers: answers by outcome, rows kept
// and dropped by reason, truncated answers and rows with labels other than
// the two asked for.
type Report struct {
	Answers     map[Outcome]int
	RowsKept    int
	Dropped     tasks.DropReport
	Truncated   int
	OtherLabels int
	// ByPattern counts parsed answers by the pattern that parsed them (0
	// is the intended template; higher ones are the paper's fallbacks).
	ByPattern map[int]int
}

// Add counts one answer.
func (r *Report) Add(res DataResult) {
	if r.Answers == nil {
		r.Answers, r.ByPattern = map[Outcome]int{}, map[int]int{}
	}
	r.Answers[res.Outcome]++
	if res.Pattern >= 0 {
		r.ByPattern[res.Pattern]++
	}
	r.RowsKept += len(res.Labels)
	r.Dropped.Merge(res.Dropped)
	if res.Truncated {
		r.Truncated++
	}
	r.OtherLabels += res.OtherLabels
}

// String writes the report for a person to read.
func (r Report) String() string {
	var b strings.Builder
	total := 0
	for _, n := range r.Answers {
		total += n
	}
	fmt.Fprintf(&b, "answers: %d", total)
	outs := make([]string, 0, len(r.Answers))
	for o := range r.Answers {
		outs = append(outs, string(o))
	}
	sort.Strings(outs)
	for _, o := range outs {
		fmt.Fprintf(&b, "; %s %d", o, r.Answers[Outcome(o)])
	}
	fmt.Fprintf(&b, "\nrows kept: %d\n", r.RowsKept)
	pats := make([]int, 0, len(r.ByPattern))
	for p := range r.ByPattern {
		pats = append(pats, p)
	}
	sort.Ints(pats)
	for _, p := range pats {
		fmt.Fprintf(&b, "answers parsed by pattern %d: %d\n", p, r.ByPattern[p])
	}
	if r.Truncated > 0 {
		fmt.Fprintf(&b, "answers cut off inside a row (token limit): %d\n", r.Truncated)
	}
	if r.OtherLabels > 0 {
		fmt.Fprintf(&b, "rows kept whose label is not one of the two asked for: %d\n", r.OtherLabels)
	}
	b.WriteString(r.Dropped.String())
	return b.String()
}
