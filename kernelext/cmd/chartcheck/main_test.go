package main

import "testing"

func TestParseFocus(t *testing.T) {
	m, err := parseFocus("2-training=1,4-effects=0")
	if err != nil || len(m) != 2 || m["2-training"] != 1 || m["4-effects"] != 0 {
		t.Errorf("parseFocus = %v, %v", m, err)
	}
	for _, bad := range []string{"x", "=1", "a=-1", "a=b", "a=1,"} {
		if _, err := parseFocus(bad); err == nil {
			t.Errorf("parseFocus(%q) accepted", bad)
		}
	}
	if m, err := parseFocus(""); err != nil || len(m) != 0 {
		t.Errorf("empty: %v, %v", m, err)
	}
}
