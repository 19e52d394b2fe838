package metalearner_test

import (
	"fmt"
	"log"

	"github.com/ermi-go/ermi/ermi/metalearner"
	"github.com/ermi-go/ermi/ermi/tasks"
)

func ExampleNew() {
	m, err := metalearner.New(metalearner.PaperConfig(3, 250), 1)
	if err != nil {
		log.Fatal(err)
	}
	// Two tasks of 4 trials; each trial is [x_t, y_{t-1}].
	t1, _ := tasks.New(0, 3, []float64{0, 0, 0, 1, 1, 1, 0, 1, 0, 1, 0, 1}, []string{"A", "B", "A", "B"})
	t2, _ := tasks.New(1, 3, []float64{1, 0, 0, 0, 1, 0, 0, 0, 1}, []string{"A", "A", "B"})
	s, _ := tasks.NewSampler([]tasks.Task{t1, t2}, tasks.BatchOptions{BatchSize: 2}, 1)
	batch := s.All()
	logits, err := m.Logits(batch)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d logits for %d sequences of up to %d trials\n", len(logits), batch.Size, batch.MaxLen)
	// Output: 8 logits for 2 sequences of up to 4 trials
}
