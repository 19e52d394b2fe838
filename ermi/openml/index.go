package openml

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/ermi-go/ermi/ermi/tasks"
)

// Entry is one row of the shipped index.csv: an OpenML task, its file and
// target column, and how faithful the copy is.
type Entry struct {
	TaskID, DatasetID int
	Name, Folder      string
	File              string // e.g. "credit-g.csv", "training.csv+testing.csv"
	Rows, Features    int
	Target            string
	ClassCounts       string
	Fidelity          string
}

// Available reports whether the data set has a copy (numerai28.6 has none).
func (e Entry) Available() bool { return e.Folder != "-" && e.File != "-" }

// ReadIndex reads datasets/openml-cc18/index.csv.
func ReadIndex(path string) ([]Entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("openml: %w", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("openml: %s: %w", path, err)
	}
	if len(rows) < 1 {
		return nil, fmt.Errorf("openml: %s: empty", path)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, need := range []string{"task_id", "dataset_id", "name", "folder", "file", "rows", "n_features", "target", "class_counts", "fidelity"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("openml: %s:1: no column %q", path, need)
		}
	}
	var out []Entry
	for i, r := range rows[1:] {
		atoi := func(name string) int {
			n, _ := strconv.Atoi(r[col[name]])
			return n
		}
		e := Entry{TaskID: atoi("task_id"), DatasetID: atoi("dataset_id"), Name: r[col["name"]], Folder: r[col["folder"]],
			File: r[col["file"]], Rows: atoi("rows"), Features: atoi("n_features"), Target: r[col["target"]],
			ClassCounts: r[col["class_counts"]], Fidelity: r[col["fidelity"]]}
		if e.TaskID == 0 {
			return nil, fmt.Errorf("openml: %s:%d: field task_id: %q is not a task id", path, i+2, r[col["task_id"]])
		}
		out = append(out, e)
	}
	return out, nil
}

// Load reads the data set of e from dir (the folder holding index.csv) as
// features and 0/1 classes, with the feature names. ARFF files, present
// beside the 17 exact OpenML exports, code nominal values and the class in
// declaration order, as openml-python does. The other copies are plain
// tables of numbers; their classes are coded in increasing order (numbers
// numerically, words alphabetically). Rows with missing values are dropped
// (only ozone-level-8hr has any); the caller sees how many in dropped.
func Load(dir string, e Entry) (x [][]float64, y []int, names []string, dropped int, err error) {
	if !e.Available() {
		return nil, nil, nil, 0, fmt.Errorf("openml: %s (task %d) has no public copy", e.Name, e.TaskID)
	}
	folder := filepath.Join(dir, e.Folder)
	stem := strings.TrimSuffix(e.File, filepath.Ext(e.File))
	if arffPath := filepath.Join(folder, stem+".arff"); strings.HasSuffix(e.File, ".arff") || fileExists(arffPath) {
		if strings.HasSuffix(e.File, ".arff") {
			arffPath = filepath.Join(folder, e.File)
		}
		f, err := os.Open(arffPath)
		if err != nil {
			return nil, nil, nil, 0, fmt.Errorf("openml: %w", err)
		}
		defer f.Close()
		ds, err := ReadARFF(f, arffPath)
		if err != nil {
			return nil, nil, nil, 0, err
		}
		x, y, names, err = ds.XY(e.Target)
		return x, y, names, 0, err
	}
	var header []string
	var rows [][]string
	switch {
	case strings.Contains(e.File, "+"): // wilt: training.csv+testing.csv
		for _, part := range strings.Split(e.File, "+") {
			h, r, err := readTable(filepath.Join(folder, part), ',', true)
			if err != nil {
				return nil, nil, nil, 0, err
			}
			header, rows = h, append(rows, r...)
		}
	case strings.HasSuffix(e.File, ".tsv"):
		header, rows, err = readTable(filepath.Join(folder, e.File), '\t', true)
	case strings.HasSuffix(e.File, ".data"): // raw UCI ozone: no header, a date column first, the class last
		_, rows, err = readTable(filepath.Join(folder, e.File), ',', false)
		for i := range rows {
			rows[i] = rows[i][1:]
		}
		if len(rows) > 0 {
			for j := range len(rows[0]) - 1 {
				header = append(header, fmt.Sprintf("V%d", j+1))
			}
			header = append(header, "class")
		}
	default:
		header, rows, err = readTable(filepath.Join(folder, e.File), ',', true)
	}
	if err != nil {
		return nil, nil, nil, 0, err
	}
	ti := len(header) - 1
	for i, h := range header {
		if h == e.Target {
			ti = i
		}
	}
	if header[ti] != e.Target && !strings.HasPrefix(e.Target, "(") {
		return nil, nil, nil, 0, fmt.Errorf("openml: %s: no target column %q", e.Name, e.Target)
	}
	for i, h := range header {
		if i != ti {
			names = append(names, h)
		}
	}
	classes := classOrder(rows, ti)
	if len(classes) != 2 {
		return nil, nil, nil, 0, fmt.Errorf("openml: %s: %d classes, want 2", e.Name, len(classes))
	}
rowLoop:
	for r, row := range rows {
		if len(row) != len(header) {
			return nil, nil, nil, 0, fmt.Errorf("openml: %s: row %d has %d fields, the header %d", e.Name, r+1, len(row), len(header))
		}
		feats := make([]float64, 0, len(row)-1)
		for i, v := range row {
			if i == ti {
				continue
			}
			v = strings.TrimSpace(v)
			if v == "?" || v == "" {
				dropped++
				continue rowLoop
			}
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
				return nil, nil, nil, 0, fmt.Errorf("openml: %s: row %d: field %s: %q is not a number", e.Name, r+1, header[i], clip(v))
			}
			feats = append(feats, f)
		}
		x = append(x, feats)
		y = append(y, classes[strings.TrimSpace(row[ti])])
	}
	return x, y, names, dropped, nil
}

// classOrder codes the distinct values of column ti: numbers numerically,
// otherwise alphabetically.
func classOrder(rows [][]string, ti int) map[string]int {
	seen := map[string]bool{}
	var vals []string
	for _, r := range rows {
		if ti < len(r) {
			v := strings.TrimSpace(r[ti])
			if !seen[v] {
				seen[v] = true
				vals = append(vals, v)
			}
		}
	}
	numeric := true
	for _, v := range vals {
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			numeric = false
		}
	}
	sort.Slice(vals, func(a, b int) bool {
		if numeric {
			fa, _ := strconv.ParseFloat(vals[a], 64)
			fb, _ := strconv.ParseFloat(vals[b], 64)
			return fa < fb
		}
		return vals[a] < vals[b]
	})
	out := map[string]int{}
	for i, v := range vals {
		out[v] = i
	}
	return out
}

func readTable(path string, sep rune, header bool) ([]string, [][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("openml: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = sep
	r.FieldsPerRecord = -1
	var head []string
	if header {
		if head, err = r.Read(); err != nil {
			return nil, nil, fmt.Errorf("openml: %s: header: %w", path, err)
		}
	}
	var rows [][]string
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			return head, rows, nil
		}
		if err != nil {
			return nil, nil, fmt.Errorf("openml: %s:%d: %w", path, line, err)
		}
		rows = append(rows, rec)
	}
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// Tasks prepares every available data set as the paper's statistics did
// (generate_real_data.py): min-max scaled, reduced to its k best features by
// F-score, and cut into ⌊rows/chunk⌋ consecutive chunks of chunk rows, each
// a task labelled 0/1. Task ids run over all data sets in index order.
func Tasks(dir string, k, chunk int) ([]tasks.Task, error) {
	idx, err := ReadIndex(filepath.Join(dir, "index.csv"))
	if err != nil {
		return nil, err
	}
	var out []tasks.Task
	for _, e := range idx {
		if !e.Available() {
			continue
		}
		x, y, _, _, err := Load(dir, e)
		if err != nil {
			return nil, err
		}
		x = Prepare(x, y, k)
		for start := 0; start+chunk <= len(x); start += chunk {
			var flat []float64
			for _, row := range x[start : start+chunk] {
				flat = append(flat, row...)
			}
			t, err := tasks.NewBinary(len(out), len(x[0]), flat, y[start:start+chunk])
			if err != nil {
				return nil, fmt.Errorf("openml: %s: %w", e.Name, err)
			}
			t.Source = "openml:" + e.Name
			out = append(out, t)
		}
	}
	return out, nil
}

// Prepare preprocesses a data set as the paper did: min-max scaling of every
// column over all rows, then the k columns of highest F-score (in column
// order), as MinMaxScaler followed by SelectKBest(f_classif, k).
func Prepare(x [][]float64, y []int, k int) [][]float64 {
	x = MinMax(x)
	cols := SelectKBest(x, y, k)
	out := make([][]float64, len(x))
	for i, row := range x {
		out[i] = make([]float64, len(cols))
		for j, c := range cols {
			out[i][j] = row[c]
		}
	}
	return out
}
