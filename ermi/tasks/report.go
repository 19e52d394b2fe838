package tasks

import (
	"fmt"
	"sort"
	"strings"
)

// Reason says why a row or a task was dropped.
type Reason string

// Reasons for dropping rows while reading a task file.
const (
	RowBadInput     Reason = "input is not a list of numbers"
	RowNotFinite    Reason = "input holds NaN or an infinity"
	RowWrongDims    Reason = "wrong number of features"
	RowEmptyTarget  Reason = "empty target"
	RowBadTaskID    Reason = "task_id is not a whole number"
	RowBadTrialID   Reason = "trial_id is not a whole number"
	RowShortRecord  Reason = "row has too few columns"
	TaskTooLong     Reason = "more trials than max_steps"
	TaskNotTwoLabel Reason = "not exactly two categories"
)

// DropReport counts the rows and tasks left out, by reason, with the first
// occurrence of each reason as an example (file, line and field).
type DropReport struct {
	Rows     map[Reason]int
	Tasks    map[Reason]int
	Examples map[Reason]string
}

// AddRow counts a dropped row; example describes the first one.
func (r *DropReport) AddRow(why Reason, example string) { r.add(&r.Rows, why, 1, example) }

// AddTask counts a dropped task; example describes the first one.
func (r *DropReport) AddTask(why Reason, example string) { r.add(&r.Tasks, why, 1, example) }

func (r *DropReport) add(m *map[Reason]int, why Reason, n int, example string) {
	if *m == nil {
		*m = map[Reason]int{}
	}
	(*m)[why] += n
	if r.Examples == nil {
		r.Examples = map[Reason]string{}
	}
	if _, ok := r.Examples[why]; !ok && example != "" {
		r.Examples[why] = example
	}
}

// Merge adds the counts of o to r.
func (r *DropReport) Merge(o DropReport) {
	for why, n := range o.Rows {
		r.add(&r.Rows, why, n, o.Examples[why])
	}
	for why, n := range o.Tasks {
		r.add(&r.Tasks, why, n, o.Examples[why])
	}
}

// DroppedRows returns the number of rows dropped for any reason.
func (r *DropReport) DroppedRows() int { return total(r.Rows) }

// DroppedTasks returns the number of tasks dropped for any reason.
func (r *DropReport) DroppedTasks() int { return total(r.Tasks) }

func total(m map[Reason]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// String lists the counts, one reason a line, most frequent first, each with
// its first example; it is empty when nothing was dropped.
func (r DropReport) String() string {
	var b strings.Builder
	write := func(kind string, m map[Reason]int) {
		reasons := make([]Reason, 0, len(m))
		for why := range m {
			reasons = append(reasons, why)
		}
		sort.Slice(reasons, func(i, j int) bool {
			if m[reasons[i]] != m[reasons[j]] {
				return m[reasons[i]] > m[reasons[j]]
			}
			return reasons[i] < reasons[j]
		})
		for _, why := range reasons {
			fmt.Fprintf(&b, "%s dropped: %d (%s)", kind, m[why], why)
			if ex := r.Examples[why]; ex != "" {
				fmt.Fprintf(&b, "; first: %s", ex)
			}
			b.WriteByte('\n')
		}
	}
	write("rows", r.Rows)
	write("tasks", r.Tasks)
	return b.String()
}
