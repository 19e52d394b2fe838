package tasks

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseInputList(t *testing.T) {
	tests := []struct {
		in      string
		want    []float64
		wantErr string
	}{
		{in: "[0.12, 0.76, 0.33]", want: []float64{0.12, 0.76, 0.33}},
		{in: "['0.1', '0.3', '0.8']", want: []float64{0.1, 0.3, 0.8}},
		{in: `["1", "2"]`, want: []float64{1, 2}},
		{in: " [40.0 70.0   120.0 4.0] ", want: []float64{40, 70, 120, 4}},
		{in: "[-82.7, 1.71799e+10]", want: []float64{-82.7, 1.71799e10}},
		{in: "[1e-05]", want: []float64{1e-5}},
		{in: "['High', 'Low', 'Velcro']", wantErr: `item 0: "High" is not a number`},
		{in: "[0.1, nan, 0.2]", wantErr: `item 1: "nan" is not finite`},
		{in: "[inf]", wantErr: "not finite"},
		{in: "[1e999]", wantErr: "out of the float64 range"},
		{in: "[0x1p-2]", wantErr: "not a number"},
		{in: "[1_000]", wantErr: "not a number"},
		{in: "[0.1, , 0.2]", wantErr: "item 1: empty value"},
		{in: "[]", wantErr: "empty list"},
		{in: "0.1, 0.2", wantErr: "not a list in brackets"},
		{in: "", wantErr: "not a list in brackets"},
	}
	for _, tc := range tests {
		got, err := ParseInputList(nil, tc.in)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("ParseInputList(%q) error = %v, want one containing %q", tc.in, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseInputList(%q): %v", tc.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseInputList(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

// The expected strings are what Python 3 prints for str(list_of_floats).
func TestFormatInputListMatchesPython(t *testing.T) {
	tenth, fifth := 0.1, 0.2 // variables: a constant 0.1+0.2 would be exactly 0.3
	tests := []struct {
		in   []float64
		want string
	}{
		{[]float64{0.12, 0.76, 0.33}, "[0.12, 0.76, 0.33]"},
		{[]float64{1, 40, -82.7}, "[1.0, 40.0, -82.7]"},
		{[]float64{0, -0.0}, "[0.0, 0.0]"},
		{[]float64{1e-5, 0.0001, 1.5e16, 1e15}, "[1e-05, 0.0001, 1.5e+16, 1000000000000000.0]"},
		{[]float64{1.71799e10, tenth + fifth}, "[17179900000.0, 0.30000000000000004]"},
	}
	for _, tc := range tests {
		if got := string(FormatInputList(nil, tc.in)); got != tc.want {
			t.Errorf("FormatInputList(%v) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestReaderPandasIndexAndQuotedNumbers(t *testing.T) {
	ts, rep, err := ReadFile("testdata/pilot_v3_head.csv", ReadOptions{SkipBadRows: true})
	if err != nil {
		t.Fatal(err)
	}
	// Tasks 0 and 1 are numeric; every row of task 2 is words (Low/High/Medium).
	if len(ts) != 2 {
		t.Fatalf("got %d tasks, want 2", len(ts))
	}
	want := []struct {
		id, n int
		cats  []string
	}{{0, 79, []string{"fruit", "vegetable"}}, {1, 66, []string{"books", "movies"}}}
	for i, w := range want {
		if ts[i].ID != w.id || ts[i].Len() != w.n || !reflect.DeepEqual(ts[i].Categories, w.cats) || ts[i].Dims != 3 {
			t.Errorf("task %d: id %d, %d trials, %v, dims %d; want id %d, %d trials, %v", i, ts[i].ID, ts[i].Len(), ts[i].Categories, ts[i].Dims, w.id, w.n, w.cats)
		}
	}
	if got := ts[0].Row(0); !reflect.DeepEqual(got, []float64{0.1, 0.3, 0.8}) {
		t.Errorf("task 0 trial 0 = %v", got)
	}
	if rep.Rows[RowBadInput] != 68 || rep.DroppedRows() != 68 {
		t.Errorf("dropped rows = %v, want 68 bad inputs", rep.Rows)
	}
	if ex := rep.Examples[RowBadInput]; !strings.Contains(ex, "pilot_v3_head.csv:147: field input:") {
		t.Errorf("example %q does not name file, line and field", ex)
	}
}

func TestReaderStrictNamesFileLineField(t *testing.T) {
	_, _, err := ReadFile("testdata/pilot_v3_head.csv", ReadOptions{})
	if err == nil || !strings.Contains(err.Error(), `pilot_v3_head.csv:147: field input: item 0: "Low" is not a number`) {
		t.Fatalf("err = %v", err)
	}
}

func TestReaderPlainHeader(t *testing.T) {
	ts, rep, err := ReadFile("testdata/llama3_dim4_head.csv", ReadOptions{Dims: 4})
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 2 || ts[0].Dims != 4 || ts[0].Len()+ts[1].Len() != 200 || rep.DroppedRows() != 0 {
		t.Fatalf("got %d tasks, dims %d, dropped %v", len(ts), ts[0].Dims, rep)
	}
	if got := ts[0].Row(0); !reflect.DeepEqual(got, []float64{34, 2, 0.7, 11}) {
		t.Errorf("first row = %v", got)
	}
}

func TestReaderErrors(t *testing.T) {
	const head = "input,target,trial_id,task_id\n"
	tests := []struct {
		name, csv string
		opt       ReadOptions
		wantErr   string
	}{
		{"empty file", "", ReadOptions{}, "empty file"},
		{"missing column", "input,target\n", ReadOptions{}, "lacks column(s) task_id"},
		{"not a number", head + `"[1, 2]",A,0,0` + "\n" + `"[1, x]",B,1,0` + "\n", ReadOptions{}, "f.csv:3: field input: item 1:"},
		{"NaN", head + `"[1, NaN]",A,0,0` + "\n", ReadOptions{}, "f.csv:2: field input: item 1: \"NaN\" is not finite"},
		{"wrong feature count", head + `"[1, 2]",A,0,0` + "\n" + `"[1, 2, 3]",B,1,0` + "\n", ReadOptions{}, "f.csv:3: field input: 3 features, want 2"},
		{"dims option", head + `"[1, 2]",A,0,0` + "\n", ReadOptions{Dims: 3}, "f.csv:2: field input: 2 features, want 3"},
		{"empty target", head + `"[1, 2]", ,0,0` + "\n", ReadOptions{}, "f.csv:2: field target: empty category label"},
		{"bad task id", head + `"[1, 2]",A,0,zero` + "\n", ReadOptions{}, "f.csv:2: field task_id:"},
		{"fractional task id", head + `"[1, 2]",A,0,1.5` + "\n", ReadOptions{}, "field task_id: \"1.5\" is not a non-negative whole number"},
		{"bad trial id", head + `"[1, 2]",A,-1,0` + "\n", ReadOptions{}, "field trial_id: -1 is negative"},
		{"short row", head + `"[1, 2]",A` + "\n", ReadOptions{}, "f.csv:2: field (row): 2 columns, want at least 4"},
		{"split task", head + `"[1]",A,0,0` + "\n" + `"[1]",A,0,1` + "\n" + `"[1]",B,1,0` + "\n", ReadOptions{}, "f.csv:4: field task_id: task 0 appears again"},
		{"bad quoting", head + `"[1, 2],A,0,0` + "\n", ReadOptions{}, "f.csv:2:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := readAll(tc.csv, tc.opt)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("err = %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}

func readAll(csv string, opt ReadOptions) error {
	r, err := NewReader(strings.NewReader(csv), "f.csv", opt)
	if err != nil {
		return err
	}
	for {
		if _, err := r.Next(); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
	}
}

func TestReaderSkipBadRowsCountsReasons(t *testing.T) {
	csv := "input,target,trial_id,task_id\n" +
		`"[1, 2]",A,0,0` + "\n" +
		`"[1, NaN]",B,1,0` + "\n" +
		`"[1, 2, 3]",B,2,0` + "\n" +
		`"[3, 4]",,3,0` + "\n" +
		`"[5, 6]",B,4,0` + "\n"
	r, err := NewReader(strings.NewReader(csv), "f.csv", ReadOptions{SkipBadRows: true})
	if err != nil {
		t.Fatal(err)
	}
	task, err := r.Next()
	if err != nil {
		t.Fatal(err)
	}
	if task.Len() != 2 || !reflect.DeepEqual(task.Y, []int{0, 1}) {
		t.Errorf("task = %+v", task)
	}
	rep := r.Report()
	want := map[Reason]int{RowNotFinite: 1, RowWrongDims: 1, RowEmptyTarget: 1}
	if !reflect.DeepEqual(rep.Rows, want) {
		t.Errorf("report rows = %v, want %v", rep.Rows, want)
	}
	if r.Rows() != 5 {
		t.Errorf("Rows() = %d, want 5", r.Rows())
	}
	if s := rep.String(); !strings.Contains(s, "rows dropped: 1 (wrong number of features); first: f.csv:4: field input: 3 features, want 2") {
		t.Errorf("report text:\n%s", s)
	}
}

func TestWriteReadRoundTrip(t *testing.T) {
	a, _ := New(7, 2, []float64{0.1, 2, 1e-5, -3.25, 1e20, 0}, []string{"rock", "pop, indie", "rock"})
	b, _ := NewBinary(9, 2, []float64{1, 2, 3, 4}, []int{1, 0})
	path := filepath.Join(t.TempDir(), "out.csv")
	if err := WriteFile(path, []Task{a, b}); err != nil {
		t.Fatal(err)
	}
	got, rep, err := ReadFile(path, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.DroppedRows() != 0 || len(got) != 2 {
		t.Fatalf("read back %d tasks, report %v", len(got), rep)
	}
	for i, want := range []Task{a, b} {
		want.Source = path
		if !reflect.DeepEqual(got[i], want) {
			t.Errorf("task %d: read back %+v, want %+v", i, got[i], want)
		}
	}
	data, _ := os.ReadFile(path)
	if !bytes.HasPrefix(data, []byte("input,target,trial_id,task_id\n\"[0.1, 2.0]\",rock,0,7\n")) {
		t.Errorf("file starts %q", data[:60])
	}
}

func TestWriteRejectsInvalidTask(t *testing.T) {
	bad := Task{ID: 1, Dims: 2, X: []float64{1}, Y: []int{0}, Categories: []string{"A"}}
	var buf bytes.Buffer
	if err := NewWriter(&buf).Write(bad); err == nil {
		t.Error("Write accepted a task with 1 value for 1 trial of 2 features")
	}
}
