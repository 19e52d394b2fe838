package priors_test

import (
	"fmt"
	"log"
	"math/rand/v2"

	"github.com/ermi-go/ermi/ermi/priors"
)

func ExampleLinear() {
	rng := rand.New(rand.NewPCG(1, 0))
	p := priors.Linear{Dims: 3}
	batch, err := p.Batch(rng, 0, 64, 100)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(batch), "tasks of", batch[0].Len(), "trials,", batch[0].Dims, "features")
	// Output: 64 tasks of 100 trials, 3 features
}

func ExampleRMC_ExpectedClusters() {
	p := priors.NewRMC(3)
	for _, n := range []int{1, 10, 100} {
		fmt.Printf("%d trials: %.2f clusters expected\n", n, p.ExpectedClusters(n))
	}
	// Output:
	// 1 trials: 1.00 clusters expected
	// 10 trials: 4.17 clusters expected
	// 100 trials: 8.81 clusters expected
}
