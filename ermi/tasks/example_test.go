package tasks_test

import (
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"strings"

	"github.com/ermi-go/ermi/ermi/tasks"
)

func ExampleReadFile() {
	ts, dropped, err := tasks.ReadFile("testdata/pilot_v3_head.csv", tasks.ReadOptions{SkipBadRows: true})
	if err != nil {
		log.Fatal(err)
	}
	for _, t := range ts {
		fmt.Printf("task %d: %d trials of %d features, categories %v\n", t.ID, t.Len(), t.Dims, t.Categories)
	}
	fmt.Println("rows dropped:", dropped.DroppedRows())
	// Output:
	// task 0: 79 trials of 3 features, categories [fruit vegetable]
	// task 1: 66 trials of 3 features, categories [books movies]
	// rows dropped: 68
}

func ExampleNewReader() {
	csv := `input,target,trial_id,task_id
"[0.1, 0.9]",cat,0,0
"[0.8, 0.2]",dog,1,0
"[0.3, 0.4]",cat,0,1
"[0.5, oops]",dog,1,1
`
	r, err := tasks.NewReader(strings.NewReader(csv), "pets.csv", tasks.ReadOptions{})
	if err != nil {
		log.Fatal(err)
	}
	for {
		t, err := r.Next()
		if err != nil {
			fmt.Println(err)
			break
		}
		fmt.Println("task", t.ID, "labels", t.Categories)
	}
	// Output:
	// task 0 labels [cat dog]
	// tasks: pets.csv:5: field input: item 1: "oops" is not a number
}

func ExampleWriter() {
	t, _ := tasks.New(0, 2, []float64{0.5, 1, 2, 3}, []string{"A", "B"})
	w := tasks.NewWriter(os.Stdout)
	w.Write(t)
	w.Flush()
	// Output:
	// input,target,trial_id,task_id
	// "[0.5, 1.0]",A,0,0
	// "[2.0, 3.0]",B,1,0
}

func ExampleFilter() {
	long, _ := tasks.New(4, 1, []float64{1, 2, 3}, []string{"x", "y", "x"})
	one, _ := tasks.New(5, 1, []float64{1, 2}, []string{"x", "x"})
	ok, _ := tasks.New(6, 1, []float64{1, 2}, []string{"y", "x"})
	kept, dropped := tasks.Filter([]tasks.Task{long, one, ok}, 2)
	fmt.Println("kept", len(kept), "renumbered to", kept[0].ID)
	fmt.Print(dropped)
	// Output:
	// kept 1 renumbered to 0
	// tasks dropped: 1 (more trials than max_steps); first: task 4: 3 trials > 2
	// tasks dropped: 1 (not exactly two categories); first: task 5: 1 categories ["x"]
}

func ExampleSampler() {
	var ts []tasks.Task
	for id := range 4 {
		t, _ := tasks.New(id, 2, []float64{0, 1, 2, 3, 4, 5}, []string{"A", "B", "A"})
		ts = append(ts, t)
	}
	s, err := tasks.NewSampler(ts, tasks.BatchOptions{
		BatchSize: 2, MaxSteps: 5, FlipLabels: true, ShuffleTrials: true,
		SampleToMaxSteps: true, Normalize: true, ShuffleFeatures: true,
	}, 1)
	if err != nil {
		log.Fatal(err)
	}
	b := s.Next()
	fmt.Printf("%d sequences × %d trials × %d inputs ([x, previous y])\n", b.Size, b.MaxLen, b.Dims+1)
	// Output:
	// 2 sequences × 5 trials × 3 inputs ([x, previous y])
}

func ExampleSplit() {
	ts := make([]tasks.Task, 291)
	train, val, test := tasks.Split(ts)
	fmt.Println(len(train), len(val), len(test))
	// Output: 232 29 30
}

func ExampleParseInputList() {
	for _, s := range []string{"[0.12, 0.76, 0.33]", "['0.1', '0.3', '0.8']", "['High', 'Low', 'Velcro']"} {
		v, err := tasks.ParseInputList(nil, s)
		fmt.Println(v, err)
	}
	// Output:
	// [0.12 0.76 0.33] <nil>
	// [0.1 0.3 0.8] <nil>
	// [] item 0: "High" is not a number
}

func ExampleFormatInputList() {
	fmt.Println(string(tasks.FormatInputList(nil, []float64{1, 0.25, 1e-5})))
	// Output: [1.0, 0.25, 1e-05]
}

func ExampleNormalizeGlobal() {
	x := []float64{2, 40, 4, 80} // two trials of two features
	tasks.NormalizeGlobal(x)     // one minimum and one maximum for the whole task
	fmt.Println(x)
	// Output: [0 0.48717948717948717 0.02564102564102564 1]
}

func ExampleResample() {
	t, _ := tasks.New(0, 1, []float64{1, 2, 3}, []string{"A", "B", "A"})
	r := tasks.Resample(t, 6, rand.New(rand.NewPCG(1, 2)))
	fmt.Println(r.Len(), "trials drawn with replacement")
	// Output: 6 trials drawn with replacement
}

func ExampleSummarize() {
	s, err := tasks.Summarize("testdata/llama3_dim4_head.csv", tasks.ReadOptions{}, 300)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(s.Tasks, "tasks,", s.Dims, "features, kept", s.Kept)
	// Output: 2 tasks, 4 features, kept 2
}
