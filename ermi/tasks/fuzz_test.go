package tasks

import (
	"bytes"
	"io"
	"math"
	"reflect"
	"strings"
	"testing"
)

// FuzzParseInputList checks that any input either fails cleanly or gives
// finite values that survive a write and a re-parse unchanged.
func FuzzParseInputList(f *testing.F) {
	for _, s := range []string{"[0.12, 0.76, 0.33]", "['0.1', '0.3']", "[1 2 3]", "[nan]", "[]", "['High', 'Low']", "[1e308, -1e-308]", "[,]", "['', '']"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseInputList(nil, s)
		if err != nil {
			return
		}
		if len(v) == 0 {
			t.Fatalf("%q parsed to no values without error", s)
		}
		for _, x := range v {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				t.Fatalf("%q gave %v", s, x)
			}
		}
		again, err := ParseInputList(nil, string(FormatInputList(nil, v)))
		if err != nil || !reflect.DeepEqual(again, v) {
			t.Fatalf("%q: %v does not round-trip: %v, %v", s, v, again, err)
		}
	})
}

// FuzzReader feeds arbitrary bytes to the task reader in both modes: it must
// never panic, and what it accepts must be valid and survive a round trip.
func FuzzReader(f *testing.F) {
	f.Add("input,target,trial_id,task_id\n\"[1, 2]\",A,0,0\n\"[3, 4]\",B,1,0\n")
	f.Add(",Unnamed: 0,input,target,trial_id,task_id\n0,0,\"['0.1', '0.3']\",fruit,0,0.0\n")
	f.Add("input,target,task_id\n\"[1]\",A,0\n\"[x]\",B,0\n\"[2]\",,1\n")
	f.Fuzz(func(t *testing.T, data string) {
		for _, skip := range []bool{false, true} {
			r, err := NewReader(strings.NewReader(data), "fuzz.csv", ReadOptions{SkipBadRows: skip})
			if err != nil {
				return
			}
			var ts []Task
			for {
				task, err := r.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					if !strings.HasPrefix(err.Error(), "tasks: fuzz.csv") {
						t.Fatalf("error without file name: %v", err)
					}
					return
				}
				if err := task.Validate(); err != nil {
					t.Fatalf("reader returned an invalid task: %v", err)
				}
				ts = append(ts, task)
			}
			var buf bytes.Buffer
			w := NewWriter(&buf)
			for _, task := range ts {
				if err := w.Write(task); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			r2, err := NewReader(&buf, "fuzz.csv", ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			for i := range ts {
				got, err := r2.Next()
				if err != nil {
					t.Fatalf("re-reading task %d: %v\n%s", i, err, buf.String())
				}
				ts[i].Source = "fuzz.csv"
				if !reflect.DeepEqual(got, ts[i]) {
					t.Fatalf("task %d changed in a round trip: %+v vs %+v", i, got, ts[i])
				}
			}
		}
	})
}
