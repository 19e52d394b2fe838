package training_test

import (
	"fmt"
	"log"

	"github.com/ermi-go/ermi/ermi/training"
)

func ExampleLookup() {
	r, err := training.Lookup("ermi-4d")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s: %d features, max_steps %d, batch %d, resampled %v, features shuffled %v\n",
		r.Name, r.Model.Dims, r.Model.MaxSteps, r.Batch.BatchSize, r.Batch.SampleToMaxSteps, r.Batch.ShuffleFeatures)
	// Output: ermi-4d: 4 features, max_steps 300, batch 32, resampled true, features shuffled true
}

func ExampleBlocks() {
	fmt.Println(training.Blocks(300))
	// Output: [{1 5} {6 10} {11 20} {21 50} {51 100} {101 200} {201 300}]
}
