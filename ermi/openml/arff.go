// Package openml reads the OpenML-CC18 classification data sets the ERMI paper
// benchmarked on and prepares them as the paper did: nominal values coded in
// their declaration order and the class as 0/1 in its declared order (as
// openml-python's get_X_and_y), min-max scaling over the whole data set, and
// the k best features by scikit-learn's ANOVA F-score.
//
// Use:
//
//	ds, err := openml.ReadARFF(f, "credit-g.arff")
//	x, y, err := ds.XY("class")
//	x = openml.MinMax(x)
//	cols := openml.SelectKBest(x, y, 4)
package openml

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Attribute is one column of an ARFF file: numeric, or nominal with its
// values in declaration order.
type Attribute struct {
	Name    string
	Nominal []string // nil for numeric attributes
}

// Dataset is a table read from an ARFF file. Values of nominal attributes
// are their index in the declaration; missing values (?) are NaN.
type Dataset struct {
	Name       string
	Attributes []Attribute
	Rows       [][]float64
}

// ReadARFF reads a dense ARFF file. String, date and relational attributes
// and sparse rows are reported as errors naming the line.
func ReadARFF(r io.Reader, file string) (*Dataset, error) {
	ds := &Dataset{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	inData := false
	var codes []map[string]int
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "%") {
			continue
		}
		fail := func(format string, a ...any) (*Dataset, error) {
			return nil, fmt.Errorf("openml: %s:%d: %s", file, line, fmt.Sprintf(format, a...))
		}
		if !inData {
			low := strings.ToLower(text)
			switch {
			case strings.HasPrefix(low, "@relation"):
				ds.Name = unquote(strings.TrimSpace(text[len("@relation"):]))
			case strings.HasPrefix(low, "@attribute"):
				a, err := parseAttribute(strings.TrimSpace(text[len("@attribute"):]))
				if err != nil {
					return fail("%v", err)
				}
				ds.Attributes = append(ds.Attributes, a)
				m := map[string]int{}
				for i, v := range a.Nominal {
					m[v] = i
				}
				codes = append(codes, m)
			case strings.HasPrefix(low, "@data"):
				inData = true
			default:
				return fail("unexpected header line %q", clip(text))
			}
			continue
		}
		if strings.HasPrefix(text, "{") {
			return fail("sparse ARFF rows are not supported")
		}
		fields, err := splitFields(text)
		if err != nil {
			return fail("%v", err)
		}
		if len(fields) != len(ds.Attributes) {
			return fail("%d values, %d attributes", len(fields), len(ds.Attributes))
		}
		row := make([]float64, len(fields))
		for i, f := range fields {
			a := ds.Attributes[i]
			switch {
			case f == "?":
				row[i] = math.NaN()
			case a.Nominal != nil:
				c, ok := codes[i][f]
				if !ok {
					return fail("attribute %s: value %q is not declared", a.Name, clip(f))
				}
				row[i] = float64(c)
			default:
				v, err := strconv.ParseFloat(f, 64)
				if err != nil || math.IsInf(v, 0) {
					return fail("attribute %s: %q is not a number", a.Name, clip(f))
				}
				row[i] = v
			}
		}
		ds.Rows = append(ds.Rows, row)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("openml: %s: %w", file, err)
	}
	if !inData {
		return nil, fmt.Errorf("openml: %s: no @data section", file)
	}
	return ds, nil
}

// parseAttribute parses the part of an @attribute line after the keyword.
func parseAttribute(s string) (Attribute, error) {
	name, rest, err := takeName(s)
	if err != nil {
		return Attribute{}, err
	}
	rest = strings.TrimSpace(rest)
	if strings.HasPrefix(rest, "{") {
		end := strings.LastIndexByte(rest, '}')
		if end < 0 {
			return Attribute{}, fmt.Errorf("attribute %s: unclosed value list", name)
		}
		vals, err := splitFields(rest[1:end])
		if err != nil {
			return Attribute{}, fmt.Errorf("attribute %s: %w", name, err)
		}
		return Attribute{Name: name, Nominal: vals}, nil
	}
	switch t := strings.ToLower(strings.Fields(rest + " x")[0]); t {
	case "numeric", "real", "integer":
		return Attribute{Name: name}, nil
	default:
		return Attribute{}, fmt.Errorf("attribute %s: type %q is not supported (numeric or nominal only)", name, t)
	}
}

// takeName splits a possibly quoted name from the rest of the line.
func takeName(s string) (name, rest string, err error) {
	if s == "" {
		return "", "", fmt.Errorf("attribute without a name")
	}
	if q := s[0]; q == '\'' || q == '"' {
		end := strings.IndexByte(s[1:], q)
		if end < 0 {
			return "", "", fmt.Errorf("unclosed quote in %q", clip(s))
		}
		return s[1 : end+1], s[end+2:], nil
	}
	i := strings.IndexAny(s, " \t")
	if i < 0 {
		return "", "", fmt.Errorf("attribute %q has no type", clip(s))
	}
	return s[:i], s[i:], nil
}

// splitFields splits comma-separated values, honouring single and double
// quotes and backslash escapes inside them, and trims and unquotes each.
func splitFields(s string) ([]string, error) {
	var out []string
	var cur strings.Builder
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0 && c == '\\' && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
		case quote != 0 && c == quote:
			quote = 0
		case quote != 0:
			cur.WriteByte(c)
		case c == '\'' || c == '"':
			quote = c
		case c == ',':
			out = append(out, strings.TrimSpace(cur.String()))
			cur.Reset()
		default:
			cur.WriteByte(c)
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("unclosed quote in %q", clip(s))
	}
	return append(out, strings.TrimSpace(cur.String())), nil
}

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '\'' || s[0] == '"') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

func clip(s string) string {
	if len(s) > 50 {
		return s[:50] + "…"
	}
	return s
}

// XY returns the feature rows (every attribute but the target) and the
// target as 0/1 codes in its declared order. The target must be nominal
// with two values; rows with a missing value anywhere are an error, as the
// paper kept only data sets without NaN.
func (ds *Dataset) XY(target string) (x [][]float64, y []int, names []string, err error) {
	ti := -1
	for i, a := range ds.Attributes {
		if a.Name == target {
			ti = i
		} else {
			names = append(names, a.Name)
		}
	}
	if ti < 0 {
		return nil, nil, nil, fmt.Errorf("openml: %s: no attribute %q", ds.Name, target)
	}
	if n := len(ds.Attributes[ti].Nominal); n != 2 {
		return nil, nil, nil, fmt.Errorf("openml: %s: target %q has %d declared classes, want 2", ds.Name, target, n)
	}
	for r, row := range ds.Rows {
		feats := make([]float64, 0, len(row)-1)
		for i, v := range row {
			if math.IsNaN(v) {
				return nil, nil, nil, fmt.Errorf("openml: %s: row %d: attribute %s is missing", ds.Name, r+1, ds.Attributes[i].Name)
			}
			if i != ti {
				feats = append(feats, v)
			}
		}
		x = append(x, feats)
		y = append(y, int(row[ti]))
	}
	return x, y, names, nil
}
