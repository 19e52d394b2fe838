package tasks

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ParseInputList parses the input column of a task CSV: a Python list as
// str() writes it, with or without quoted numbers:
//
//	[0.12, 0.76, 0.33]
//	['0.1', '0.3', '0.8']
//	[40.0 70.0 120.0 4.0]      (NumPy's str, no commas)
//
// It appends the values to dst and returns the extended slice. Values that
// are not numbers, or are NaN or infinite, are an error naming the value.
func ParseInputList(dst []float64, s string) ([]float64, error) {
	s = strings.TrimSpace(s)
	if len(s) < 2 || s[0] != '[' || s[len(s)-1] != ']' {
		return dst, fmt.Errorf("%q is not a list in brackets", clip(s))
	}
	body := strings.TrimSpace(s[1 : len(s)-1])
	if body == "" {
		return dst, fmt.Errorf("empty list")
	}
	sep := ","
	if !strings.Contains(body, ",") {
		sep = ""
	}
	var fields []string
	if sep == "" {
		fields = strings.Fields(body)
	} else {
		fields = strings.Split(body, sep)
	}
	for i, f := range fields {
		f = strings.TrimSpace(f)
		if len(f) >= 2 && (f[0] == '\'' || f[0] == '"') && f[len(f)-1] == f[0] {
			f = strings.TrimSpace(f[1 : len(f)-1])
		}
		v, err := parseNumber(f)
		if err != nil {
			return dst, fmt.Errorf("item %d: %w", i, err)
		}
		dst = append(dst, v)
	}
	return dst, nil
}

// parseNumber parses a decimal number as Python's float() does, but rejects
// NaN and infinities, which no task may hold.
func parseNumber(f string) (float64, error) {
	if f == "" {
		return 0, fmt.Errorf("empty value")
	}
	if strings.ContainsAny(f, "xX_pP") { // hex floats and digit separators: not decimal numbers
		return 0, fmt.Errorf("%q is not a number", clip(f))
	}
	v, err := strconv.ParseFloat(f, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return 0, fmt.Errorf("%q is out of the float64 range", clip(f))
		}
		return 0, fmt.Errorf("%q is not a number", clip(f))
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q is not finite", clip(f))
	}
	return v, nil
}

// FormatInputList writes values as Python's str() of a list of floats does,
// so that files written here read like the paper's.
func FormatInputList(b []byte, values []float64) []byte {
	b = append(b, '[')
	for i, v := range values {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = appendPyFloat(b, v)
	}
	return append(b, ']')
}

// appendPyFloat appends the shortest representation that round-trips, in
// Python's repr style: fixed notation with a trailing ".0" for 1e-4 ≤ |v| <
// 1e16, exponent notation ("1e-05", "1.5e+16") otherwise.
func appendPyFloat(b []byte, v float64) []byte {
	a := math.Abs(v)
	if v == 0 || (a >= 1e-4 && a < 1e16) {
		n := len(b)
		b = strconv.AppendFloat(b, v, 'f', -1, 64)
		if !strings.ContainsRune(string(b[n:]), '.') {
			b = append(b, ".0"...)
		}
		return b
	}
	return strconv.AppendFloat(b, v, 'e', -1, 64)
}

// clip shortens s for an error message.
func clip(s string) string {
	const max = 40
	if len(s) <= max {
		return s
	}
	return s[:max] + "…"
}
