package llm

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
)

// cancelAfter wraps a provider and cancels the run after n answers, as a
// user's Ctrl-C or a kill would.
type cancelAfter struct {
	Provider
	n      int32
	count  atomic.Int32
	cancel context.CancelFunc
}

func (c *cancelAfter) Complete(ctx context.Context, prompt string) (Answer, error) {
	a, err := c.Provider.Complete(ctx, prompt)
	if c.count.Add(1) == c.n {
		c.cancel()
	}
	return a, err
}

func TestRunResumesWithoutLossOrDuplicates(t *testing.T) {
	var faults []string
	for i := range 40 {
		faults = append(faults, []string{"", "500", "drop", "", "malformed", "", "truncated", ""}[i%8])
	}
	f := &faultServer{faults: faults}
	p := newTestProvider(t, "openai", f)
	var jobs []Job
	for i := range 25 {
		jobs = append(jobs, Job{ID: 100 + i, Prompt: fmt.Sprintf("prompt %d", i)})
	}
	path := filepath.Join(t.TempDir(), "answers.jsonl")
	ctx, cancel := context.WithCancel(context.Background())
	stop := &cancelAfter{Provider: p, n: 10, cancel: cancel}
	_, err := Run(ctx, stop, jobs, path, 4, nil)
	if err == nil || !strings.Contains(err.Error(), "run again to resume") {
		t.Fatalf("first run: %v", err)
	}
	first, _ := ReadRecords(path)
	if len(first) == 0 || len(first) >= 25 {
		t.Fatalf("%d records after the interrupted run", len(first))
	}
	// A kill in the middle of a write leaves a torn line.
	fh, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	fh.WriteString(`{"id":999,"text":"half`)
	fh.Close()

	var progress strings.Builder
	st, err := Run(context.Background(), p, jobs, path, 3, &progress)
	if err != nil {
		t.Fatal(err)
	}
	if st.Skipped != len(first) || st.Done != 25-len(first) || st.Failed != 0 {
		t.Errorf("stats %+v after %d stored", st, len(first))
	}
	recs, err := ReadRecords(path)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int
	for _, r := range recs {
		ids = append(ids, r.ID)
		if r.Text != "1: 1, 2, 3, 4, a\n" || r.Provider != "openai:test-model" {
			t.Errorf("record %+v", r)
		}
	}
	sort.Ints(ids)
	var want []int
	for i := range 25 {
		want = append(want, 100+i)
	}
	if !reflect.DeepEqual(ids, want) {
		t.Errorf("ids %v: lost or duplicated answers", ids)
	}
	if !strings.Contains(progress.String(), "skipped as done") {
		t.Errorf("progress %q", progress.String())
	}
}

func TestRunReportsFailures(t *testing.T) {
	f := &faultServer{faults: []string{"400"}}
	p := newTestProvider(t, "anthropic", f)
	path := filepath.Join(t.TempDir(), "a.jsonl")
	st, err := Run(context.Background(), p, []Job{{ID: 1, Prompt: "x"}, {ID: 2, Prompt: "y"}}, path, 1, nil)
	if err != nil || st.Failed != 1 || st.Done != 1 || len(st.Errors) != 1 || !strings.Contains(st.Errors[0], "HTTP 400") {
		t.Errorf("stats %+v, err %v", st, err)
	}
}

func TestReadRecordsNamesBrokenLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.jsonl")
	os.WriteFile(path, []byte("{\"id\":1}\nnot json\n{\"id\":2}\n"), 0o644)
	if _, err := ReadRecords(path); err == nil || !strings.Contains(err.Error(), "r.jsonl:2") {
		t.Errorf("err = %v", err)
	}
}

func TestReadLabelSets(t *testing.T) {
	sets, err := ReadLabelSets("testdata/tasklabels_dim4_head.csv", 4)
	if err != nil {
		t.Fatal(err)
	}
	if len(sets) != 5 || sets[1].ID != 1 || !reflect.DeepEqual(sets[1].Features, []string{"length", "width", "height", "weight"}) || sets[1].Categories != [2]string{"cars", "trucks"} {
		t.Errorf("sets %+v", sets)
	}
	if _, err := ReadLabelSets("testdata/missing.csv", 4); err == nil {
		t.Error("missing file accepted")
	}
}
