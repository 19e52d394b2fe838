package llm

import (
	"encoding/json"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// exactPrompts returns the JSON-escaped exact strings of testdata/PROMPTS.md
// (a copy of shared/data/ermi-prompts/PROMPTS.md), in order.
func exactPrompts(t *testing.T) []string {
	raw, err := os.ReadFile("testdata/PROMPTS.md")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range regexp.MustCompile("(?s)```json\n(\".*?\")\n```").FindAllStringSubmatch(string(raw), -1) {
		var s string
		if err := json.Unmarshal([]byte(m[1]), &s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	for _, m := range regexp.MustCompile("(\\d)-D exact string: `(\".*?\")`").FindAllStringSubmatch(string(raw), -1) {
		var s string
		if err := json.Unmarshal([]byte(m[2]), &s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func TestPromptsMatchThePaperByteForByte(t *testing.T) {
	exact := exactPrompts(t)
	has := func(s string) bool {
		for _, e := range exact {
			if e == s {
				return true
			}
		}
		return false
	}
	for _, d := range []int{3, 4, 6} {
		p, err := LabelPrompt(d, 250)
		if err != nil || !has(p) {
			t.Errorf("label prompt %d-D differs from PROMPTS.md:\n%q", d, p)
		}
	}
	tmpl := func(d int) []string {
		f := make([]string, d)
		for i := range f {
			f[i] = "{f" + string(rune('1'+i)) + "}"
		}
		return f
	}
	for _, c := range []struct{ version, dims int }{{4, 3}, {5, 4}, {5, 6}} {
		p, err := DataPrompt(c.version, tmpl(c.dims), [2]string{"{c1}", "{c2}"})
		if err != nil || !has(p) {
			t.Errorf("data prompt v%d %d-D differs from PROMPTS.md:\n%q", c.version, c.dims, p)
		}
	}
	p, _ := DataPrompt(4, []string{"Brightness", "Saturation", "Hue"}, [2]string{"Fruits", "Vegetables"})
	if !strings.Contains(p, "features: brightness, saturation, and hue.") || !strings.Contains(p, "can be fruits or vegetables") {
		t.Errorf("names not lower-cased: %q", p)
	}
	if _, err := DataPrompt(4, tmpl(4), [2]string{"a", "b"}); err == nil {
		t.Error("v4 accepted 4 features")
	}
}

func TestParseDataV4(t *testing.T) {
	answer := "Here are 100 stimuli:\n\n- 0.5, 1.2, 3, fruits\n- 2, 0.1, 4.5, vegetables\n- 1..2, 3, 4, fruits\n- 7, 8, 9, meat\n- 1, 2"
	res, err := ParseData(answer, 3, 4, "fruits", "vegetables")
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != Parsed || res.Pattern != 0 {
		t.Fatalf("outcome %s, pattern %d", res.Outcome, res.Pattern)
	}
	if !reflect.DeepEqual(res.Labels, []string{"fruits", "vegetables", "meat"}) || !reflect.DeepEqual(res.X, []float64{0.5, 1.2, 3, 2, 0.1, 4.5, 7, 8, 9}) {
		t.Errorf("rows %v %v", res.X, res.Labels)
	}
	if res.Dropped.Rows[RowNotNumeric] != 1 || res.OtherLabels != 1 || !res.Truncated || res.Dropped.Rows[RowNoMatch] != 0 {
		t.Errorf("dropped %v, other labels %d, truncated %v", res.Dropped.Rows, res.OtherLabels, res.Truncated)
	}
	task, err := res.Task(7, "answer.txt")
	if err != nil || task.NumCategories() != 3 || task.ID != 7 {
		t.Errorf("task %+v, %v", task, err)
	}
}

func TestParseDataV5AndFallback(t *testing.T) {
	answer := "1: 3.5, 2, 10, 0.4, rock\n2: 1, 1, 1, 1, pop\n3: 2, 2, 2, 2, rock\n"
	res, err := ParseData(answer, 4, 5)
	if err != nil || res.Outcome != Parsed || res.Pattern != 0 || len(res.Labels) != 3 || res.Truncated {
		t.Fatalf("%+v %v", res, err)
	}
	// Words where numbers should be: the first pattern fails, a fallback
	// matches, and every row is dropped as non-numeric.
	words, _ := ParseData("1: big, small, red, round, apple\n", 4, 5)
	if words.Pattern != 1 || words.Outcome != NoRows || words.Dropped.Rows[RowNotNumeric] != 1 {
		t.Errorf("words: %+v", words)
	}
}

func TestParseDataOutcomes(t *testing.T) {
	tests := []struct {
		answer string
		want   Outcome
	}{
		{"", Empty},
		{"   \n ", Empty},
		{"I apologize, but I cannot generate that list.", Refusal},
		{"Sure! Here is a story about categories instead.", NotATable},
	}
	for _, tc := range tests {
		res, err := ParseData(tc.answer, 4, 5)
		if err != nil || res.Outcome != tc.want {
			t.Errorf("%q: outcome %s, want %s (%v)", tc.answer, res.Outcome, tc.want, err)
		}
	}
	if _, err := ParseData("x", 5, 5); err == nil {
		t.Error("no error for 5 features")
	}
}

func TestParseLabels(t *testing.T) {
	answer := "1. brightness, saturation, hue, fruits, vegetables\n2. size, colour, fruits, vegetables\n3. a, b, c, d, e, f\n4. weight, height, width, cats, dogs"
	sets, dropped := ParseLabels(answer, 3)
	want := []LabelSet{
		{Features: []string{"brightness", "saturation", "hue"}, Categories: [2]string{"fruits", "vegetables"}},
		{Features: []string{"weight", "height", "width"}, Categories: [2]string{"cats", "dogs"}},
	}
	if !reflect.DeepEqual(sets, want) || dropped != 2 {
		t.Errorf("sets %v, dropped %d", sets, dropped)
	}
}

func TestReport(t *testing.T) {
	var r Report
	for _, a := range []string{"1: 1,2,3,4,a\n2: 1,2,3,4,b\n", "I'm sorry, I can't.", "1: x,2,3,4,a\n1: 1,2,3,4,b"} {
		res, _ := ParseData(a, 4, 5, "a", "b")
		r.Add(res)
	}
	s := r.String()
	for _, want := range []string{"answers: 3; parsed 2; refusal 1", "rows kept: 3", "answers parsed by pattern", "rows dropped: 1 (row-like line the answer's pattern does not match)"} {
		if !strings.Contains(s, want) {
			t.Errorf("report lacks %q:\n%s", want, s)
		}
	}
}

// FuzzParseData checks that no answer crashes the parser and that what it
// keeps is consistent.
func FuzzParseData(f *testing.F) {
	f.Add("1: 3.5, 2, 10, 0.4, rock\n2: 1, 1, 1, 1, pop\n", 4)
	f.Add("- 0.5, 1.2, 3, fruits\n- 2, 0.1", 3)
	f.Add("I apologize", 6)
	f.Fuzz(func(t *testing.T, answer string, dims int) {
		version := 5
		switch {
		case dims == 3:
			version = 4
		case dims != 4 && dims != 6:
			dims = 4
		}
		res, err := ParseData(answer, dims, version)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.X) != len(res.Labels)*dims {
			t.Fatalf("%d values for %d rows", len(res.X), len(res.Labels))
		}
		if len(res.Labels) > 0 {
			if _, err := res.Task(0, "fuzz"); err != nil {
				t.Fatalf("kept rows do not make a task: %v", err)
			}
		}
	})
}

func TestStage2(t *testing.T) {
	stage1 := "abcdéfghi" // 9 characters, one of two bytes
	if got := Stage2Prompt("P:", stage1); got != "P:abc" {
		t.Errorf("Stage2Prompt = %q", got)
	}
	if got := Stage2Answer("NEW", stage1); got != "NEW\ndéfghi" {
		t.Errorf("Stage2Answer = %q", got)
	}
	if got := Stage2Answer("x", "ab"); got != "x\nab" { // len 2 // 3 == 0
		t.Errorf("short stage-1: %q", got)
	}
}
