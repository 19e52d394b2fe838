package tasks

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/ermi-go/ermi/ermi/atomicfile"
)

// Header is the header the project writes, the paper's column order.
var Header = []string{"input", "target", "trial_id", "task_id"}

// ReadOptions control how a task file is read.
type ReadOptions struct {
	// Dims is the number of features every row must have; 0 takes it from
	// the first row that parses.
	Dims int
	// SkipBadRows drops rows that do not parse (a non-number, NaN, a wrong
	// feature count, an empty target) and counts them in the report, as the
	// paper's parser silently did. When false, the first such row is an
	// error naming the file, line and field.
	SkipBadRows bool
}

// Reader streams the tasks of a CSV file in the paper's format, one task at a
// time, so that files of any size can be read in constant memory.
//
// The file has a header with the columns input, target and task_id, and
// optionally trial_id; other columns (pandas index columns such as "" or
// "Unnamed: 0") are ignored. The rows of a task must be consecutive, in trial
// order, as pandas writes them.
type Reader struct {
	name   string
	cr     *csv.Reader
	opt    ReadOptions
	dims   int
	input  int
	target int
	taskID int
	trial  int // -1 when absent

	pending  *pendingRow // first row of the next task
	seen     map[int]bool
	report   DropReport
	rowsRead int
}

type pendingRow struct {
	line   int
	taskID int
	x      []float64
	label  string
}

// NewReader reads the header of r and returns a Reader. name (a file name)
// prefixes every error and report example.
func NewReader(r io.Reader, name string, opt ReadOptions) (*Reader, error) {
	if opt.Dims < 0 {
		return nil, fmt.Errorf("tasks: %s: negative Dims %d", name, opt.Dims)
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	rd := &Reader{name: name, cr: cr, opt: opt, dims: opt.Dims, input: -1, target: -1, taskID: -1, trial: -1, seen: map[int]bool{}}
	head, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("tasks: %s: empty file, want a header with input,target,task_id", name)
	}
	if err != nil {
		return nil, fmt.Errorf("tasks: %s: %w", name, err)
	}
	for i, h := range head {
		switch strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")) {
		case "input":
			rd.input = i
		case "target":
			rd.target = i
		case "task_id":
			rd.taskID = i
		case "trial_id":
			rd.trial = i
		}
	}
	var missing []string
	for _, c := range []struct {
		name string
		idx  int
	}{{"input", rd.input}, {"target", rd.target}, {"task_id", rd.taskID}} {
		if c.idx < 0 {
			missing = append(missing, c.name)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("tasks: %s:1: header %q lacks column(s) %s", name, strings.Join(head, ","), strings.Join(missing, ", "))
	}
	return rd, nil
}

// Dims returns the number of features per trial, 0 until a row was read when
// ReadOptions.Dims was 0.
func (r *Reader) Dims() int { return r.dims }

// Report returns the rows and tasks dropped so far.
func (r *Reader) Report() DropReport { return r.report }

// Rows returns the number of data rows read so far, dropped ones included.
func (r *Reader) Rows() int { return r.rowsRead }

// Next returns the next task, or io.EOF after the last. With SkipBadRows, a
// task whose rows were all dropped does not appear; its rows are counted in
// the report.
func (r *Reader) Next() (Task, error) {
	first := r.pending
	r.pending = nil
	if first == nil {
		var err error
		if first, err = r.nextRow(); err != nil {
			return Task{}, err
		}
		if first == nil {
			return Task{}, io.EOF
		}
	}
	id := first.taskID
	if r.seen[id] {
		return Task{}, fmt.Errorf("tasks: %s:%d: field task_id: task %d appears again after other tasks; the rows of a task must be consecutive", r.name, first.line, id)
	}
	r.seen[id] = true
	x := first.x
	labels := []string{first.label}
	for {
		row, err := r.nextRow()
		if err != nil {
			return Task{}, err
		}
		if row == nil {
			break
		}
		if row.taskID != id {
			r.pending = row
			break
		}
		x = append(x, row.x...)
		labels = append(labels, row.label)
	}
	t, err := New(id, r.dims, x, labels)
	if err != nil {
		return Task{}, fmt.Errorf("tasks: %s: %w", r.name, err)
	}
	t.Source = r.name
	return t, nil
}

// nextRow returns the next row that parses, nil at the end of the file.
func (r *Reader) nextRow() (*pendingRow, error) {
	for {
		rec, err := r.cr.Read()
		if err == io.EOF {
			return nil, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("tasks: %s:%d: %v", r.name, pe.StartLine, pe.Err)
			}
			return nil, fmt.Errorf("tasks: %s: %w", r.name, err)
		}
		r.rowsRead++
		line, _ := r.cr.FieldPos(0)
		row, why, field, err := r.parseRow(rec, line)
		if err == nil {
			return row, nil
		}
		where := fmt.Sprintf("%s:%d: field %s: %v", r.name, line, field, err)
		if !r.opt.SkipBadRows {
			return nil, fmt.Errorf("tasks: %s", where)
		}
		r.report.AddRow(why, where)
	}
}

func (r *Reader) parseRow(rec []string, line int) (row *pendingRow, why Reason, field string, err error) {
	need := max(r.input, r.target, r.taskID, r.trial) + 1
	if len(rec) < need {
		return nil, RowShortRecord, "(row)", fmt.Errorf("%d columns, want at least %d", len(rec), need)
	}
	id, err := parseWhole(rec[r.taskID])
	if err != nil {
		return nil, RowBadTaskID, "task_id", err
	}
	if r.trial >= 0 {
		if _, err := parseWhole(rec[r.trial]); err != nil {
			return nil, RowBadTrialID, "trial_id", err
		}
	}
	label := strings.TrimSpace(rec[r.target])
	if label == "" {
		return nil, RowEmptyTarget, "target", errors.New("empty category label")
	}
	x, err := ParseInputList(nil, rec[r.input])
	if err != nil {
		why := RowBadInput
		if strings.Contains(err.Error(), "not finite") {
			why = RowNotFinite
		}
		return nil, why, "input", err
	}
	if r.dims == 0 {
		r.dims = len(x)
	}
	if len(x) != r.dims {
		return nil, RowWrongDims, "input", fmt.Errorf("%d features, want %d", len(x), r.dims)
	}
	return &pendingRow{line: line, taskID: id, x: x, label: label}, "", "", nil
}

// parseWhole parses a non-negative whole number written as an integer or, as
// pandas writes float columns, with a zero fraction ("3.0").
func parseWhole(s string) (int, error) {
	s = strings.TrimSpace(s)
	if n, err := strconv.Atoi(s); err == nil {
		if n < 0 {
			return 0, fmt.Errorf("%d is negative", n)
		}
		return n, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || f != math.Trunc(f) || f < 0 || f > math.MaxInt32 {
		return 0, fmt.Errorf("%q is not a non-negative whole number", clip(s))
	}
	return int(f), nil
}

// Open opens the task file at path for streaming. Close the returned closer
// when done.
func Open(path string, opt ReadOptions) (*Reader, io.Closer, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("tasks: %w", err)
	}
	r, err := NewReader(f, path, opt)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return r, f, nil
}

// ForEach calls fn for every task of the file at path, streaming, and returns
// the rows and tasks dropped. It stops at the first error of the file or of fn.
func ForEach(path string, opt ReadOptions, fn func(Task) error) (DropReport, error) {
	r, c, err := Open(path, opt)
	if err != nil {
		return DropReport{}, err
	}
	defer c.Close()
	for {
		t, err := r.Next()
		if err == io.EOF {
			return r.Report(), nil
		}
		if err != nil {
			return r.Report(), err
		}
		if err := fn(t); err != nil {
			return r.Report(), err
		}
	}
}

// ReadFile reads every task of the file at path into memory.
func ReadFile(path string, opt ReadOptions) ([]Task, DropReport, error) {
	var ts []Task
	rep, err := ForEach(path, opt, func(t Task) error {
		ts = append(ts, t)
		return nil
	})
	return ts, rep, err
}

// Writer writes tasks in the paper's CSV format: the header input,target,
// trial_id,task_id, then one row per trial, input as a Python list.
type Writer struct {
	cw     *csv.Writer
	header bool
	rec    []string
	buf    []byte
}

// NewWriter returns a Writer to w. Call Flush when done.
func NewWriter(w io.Writer) *Writer {
	return &Writer{cw: csv.NewWriter(w), rec: make([]string, 4)}
}

// Write writes the trials of t, with t.ID as the task_id.
func (w *Writer) Write(t Task) error {
	if err := t.Validate(); err != nil {
		return err
	}
	if !w.header {
		if err := w.cw.Write(Header); err != nil {
			return fmt.Errorf("tasks: %w", err)
		}
		w.header = true
	}
	id := strconv.Itoa(t.ID)
	for i := range t.Len() {
		w.buf = FormatInputList(w.buf[:0], t.Row(i))
		w.rec[0] = string(w.buf)
		w.rec[1] = t.Label(i)
		w.rec[2] = strconv.Itoa(i)
		w.rec[3] = id
		if err := w.cw.Write(w.rec); err != nil {
			return fmt.Errorf("tasks: %w", err)
		}
	}
	return nil
}

// Flush writes buffered rows (and the header, if no task was written) to the
// underlying writer and returns any write error.
func (w *Writer) Flush() error {
	if !w.header {
		if err := w.cw.Write(Header); err != nil {
			return fmt.Errorf("tasks: %w", err)
		}
		w.header = true
	}
	w.cw.Flush()
	if err := w.cw.Error(); err != nil {
		return fmt.Errorf("tasks: %w", err)
	}
	return nil
}

// WriteFile writes ts to path atomically: a failure leaves any earlier file
// at path untouched.
func WriteFile(path string, ts []Task) error {
	return atomicfile.Write(path, func(f io.Writer) error {
		w := NewWriter(f)
		for _, t := range ts {
			if err := w.Write(t); err != nil {
				return fmt.Errorf("%w (writing %s)", err, path)
			}
		}
		return w.Flush()
	})
}
