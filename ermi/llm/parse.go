package llm

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/ermi-go/ermi/ermi/tasks"
)

// dataPatterns are the paper's regular expressions for data answers
// (task_generation/utils.py, get_regex_patterns), tried in order on the
// answer with spaces removed; the first that matches anything parses the
// whole answer. v5 patterns start with the row number.
func dataPatterns(dims, version int) ([]*regexp.Regexp, error) {
	var src []string
	switch {
	case dims == 3 && version == 4:
		src = []string{
			`([\d.]+),([\d.]+),([\d.]+),([\w]+)`,
			`([\w\-]+),([\w\-]+),([\w\-]+),([\w]+)`,
			`([-\w\d,.]+),([-\w\d,.]+),([-\w\d,.]+),([-\w\d,.]+)`,
			`([^,]+),([^,]+),([^,]+),([^,]+)`,
			`([^,\n]+),([^,\n]+),([^,\n]+),([^,\n]+)`,
			`(?:.*?:)?([^,-]+),([^,-]+),([^,-]+),([^,-]+)`,
			`([^,-]+),([^,-]+),([^,-]+),([^,-]+)`,
		}
	case (dims == 4 || dims == 6) && version == 5:
		rep := func(g string, last string) string {
			return `^(\d+):` + strings.Repeat(g+",", dims) + last
		}
		src = []string{
			rep(`([\d.]+)`, `([\w]+)`),
			rep(`([\w\-]+)`, `([\w]+)`),
			rep(`([-\w\d,.]+)`, `([-\w\d,.]+)`),
			rep(`([^,]+)`, `([^,]+)`),
			rep(`([^,\n]+)`, `([^,\n]+)`),
			`^(\d+):(?:.*?:)?` + strings.Repeat(`([^,-]+),`, dims) + `([^,-]+)`,
			rep(`([^,-]+)`, `([^,-]+)`),
		}
	default:
		return nil, fmt.Errorf("llm: no parser for %d features and prompt v%d (v4: 3; v5: 4 or 6)", dims, version)
	}
	out := make([]*regexp.Regexp, len(src))
	for i, s := range src {
		out[i] = regexp.MustCompile(`(?m)` + s)
	}
	return out, nil
}

// Outcome classifies an answer as a whole.
type Outcome string

// Outcomes of parsing one answer.
const (
	Parsed    Outcome = "parsed"
	Empty     Outcome = "empty answer"
	Refusal   Outcome = "refusal"
	NotATable Outcome = "not a table"
	NoRows    Outcome = "no row with numeric features"
)

// Reasons rows of a parsed answer are dropped.
const (
	RowNotNumeric tasks.Reason = "feature is not a number"
	RowOtherLabel tasks.Reason = "label is not one of the two asked for"
	RowNoMatch    tasks.Reason = "row-like line the answer's pattern does not match"
)

// DataResult is one parsed data answer.
type DataResult struct {
	Outcome Outcome
	// Pattern is the index of the pattern that parsed the answer (0 is
	// the intended template), −1 when none matched.
	Pattern int
	// X holds the kept rows' features (Dims per row), Labels their
	// category words, as the LLM wrote them.
	Dims   int
	X      []float64
	Labels []string
	// Dropped counts the rows left out, by reason, with examples.
	Dropped tasks.DropReport
	// Truncated reports that the answer ends inside a row (the model ran
	// out of tokens): its last line does not match the pattern.
	Truncated bool
	// OtherLabels counts kept rows whose label is neither of the two
	// categories asked for (the paper kept them; tasks.Filter later drops
	// tasks with other than two labels).
	OtherLabels int
}

var refusalWords = []string{"i apologize", "i'm sorry", "i am sorry", "i cannot", "i can't", "i'm not able", "i am not able", "as an ai"}

// ParseData parses a data answer as the paper did: spaces removed, the
// patterns of (dims, version) tried in order, the first that matches anything
// used for the whole answer, features cast to numbers and rows that fail
// dropped. categories, when given, are the two labels asked for; rows with
// other labels are counted (and kept, as the paper kept them).
func ParseData(answer string, dims, version int, categories ...string) (DataResult, error) {
	pats, err := dataPatterns(dims, version)
	if err != nil {
		return DataResult{}, err
	}
	res := DataResult{Dims: dims, Pattern: -1}
	trimmed := strings.TrimSpace(answer)
	if trimmed == "" {
		res.Outcome = Empty
		return res, nil
	}
	text := strings.ReplaceAll(answer, " ", "")
	var matches [][]string
	var where [][]int
	var pat *regexp.Regexp
	for i, p := range pats {
		if idx := p.FindAllStringSubmatchIndex(text, -1); len(idx) > 0 {
			where, pat, res.Pattern = idx, p, i
			for _, ix := range idx {
				m := make([]string, len(ix)/2)
				for k := range m {
					if ix[2*k] >= 0 {
						m[k] = text[ix[2*k]:ix[2*k+1]]
					}
				}
				matches = append(matches, m)
			}
			break
		}
	}
	if matches == nil {
		res.Outcome = NotATable
		low := strings.ToLower(trimmed)
		for _, w := range refusalWords {
			if strings.Contains(low, w) {
				res.Outcome = Refusal
			}
		}
		return res, nil
	}
	asked := map[string]bool{}
	for _, c := range categories {
		asked[strings.ToLower(strings.ReplaceAll(c, " ", ""))] = true
	}
	first := 0 // v4 groups: features then label; v5: row number first
	if version == 5 {
		first = 1
	}
	for i, m := range matches {
		g := m[1:]
		row := make([]float64, 0, dims)
		ok := true
		for j := first; j < first+dims; j++ {
			v, err := tasks.ParseInputList(nil, "["+g[j]+"]")
			if err != nil || len(v) != 1 {
				res.Dropped.AddRow(RowNotNumeric, fmt.Sprintf("row %d: %q", i+1, clip(m[0])))
				ok = false
				break
			}
			row = append(row, v[0])
		}
		if !ok {
			continue
		}
		label := g[len(g)-1]
		if len(asked) > 0 && !asked[strings.ToLower(label)] {
			res.OtherLabels++
		}
		res.X = append(res.X, row...)
		res.Labels = append(res.Labels, label)
	}
	// Lines that look like rows (at least dims commas) but that no match
	// touches were silently skipped by the paper's parser: count them.
	covered := make([]bool, len(text)+1)
	for _, ix := range where {
		for k := ix[0]; k < ix[1]; k++ {
			covered[k] = true
		}
	}
	start := 0
	for i, line := range strings.Split(text, "\n") {
		touched := false
		for k := start; k < start+len(line); k++ {
			touched = touched || covered[k]
		}
		if !touched && strings.Count(line, ",") >= dims {
			res.Dropped.AddRow(RowNoMatch, fmt.Sprintf("line %d: %q", i+1, clip(line)))
		}
		start += len(line) + 1
	}
	// An answer cut off by the token limit ends inside a row.
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	if last := lines[len(lines)-1]; last != "" && !pat.MatchString(last) && len(res.Labels) > 0 {
		res.Truncated = true
	}
	res.Outcome = Parsed
	if len(res.Labels) == 0 {
		res.Outcome = NoRows
	}
	return res, nil
}

// Task returns the parsed rows as a task with the given id and source.
func (r DataResult) Task(id int, source string) (tasks.Task, error) {
	t, err := tasks.New(id, r.Dims, r.X, r.Labels)
	t.Source = source
	return t, err
}

// labelLine is the paper's task-label row pattern, applied to the answer with
// spaces removed: a row number, a dot, then the comma-separated names.
var labelLine = regexp.MustCompile(`\d+\.(.+?)\n`)

// LabelSet is one generated task label row: feature names and two
// category names.
type LabelSet struct {
	// ID is the row's task_id in a pooled label file (0 from ParseLabels).
	ID         int
	Features   []string
	Categories [2]string
}

// ParseLabels parses a task-label answer as the paper did: spaces removed,
// lines "N.name,name,…" captured, the last two names the categories, the
// rest the features; only rows with exactly dims features and two categories
// are kept. It returns the kept sets and the number of rows dropped.
func ParseLabels(answer string, dims int) (sets []LabelSet, dropped int) {
	text := strings.ReplaceAll(answer, " ", "")
	if !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	for _, m := range labelLine.FindAllStringSubmatch(text, -1) {
		names := strings.Split(m[1], ",")
		if len(names) != dims+2 {
			dropped++
			continue
		}
		empty := false
		for _, n := range names {
			empty = empty || n == ""
		}
		if empty {
			dropped++
			continue
		}
		sets = append(sets, LabelSet{Features: names[:dims], Categories: [2]string{names[dims], names[dims+1]}})
	}
	return sets, dropped
}

func clip(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}
