package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/ermi-go/ermi/ermi/atomicfile"
	"github.com/ermi-go/ermi/ermi/priors"
	"github.com/ermi-go/ermi/ermi/tasks"
)

func runPriors(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("priors", "ermi priors -prior linear|mlp|rmc -dims D -tasks N -trials T -seed S -out FILE\n\n"+
		"Writes tasks drawn from a synthetic prior in the paper's CSV format (labels 0 and 1):\n"+
		"  linear  MI prior: x ~ N(0, I), w ~ N(0, I) per task, y = 1[x·w > 0]\n"+
		"  mlp     PFN prior: x ~ N(0, I), one random tanh network (64 units, weights N(0, 0.1²)) per batch\n"+
		"  rmc     Anderson's rational model (c 0.318, s_d 0.488, s_l 0.046), binary features\n"+
		"The file is written atomically: an interrupted run leaves no partial file.", stderr)
	name := fs.String("prior", "linear", "prior: linear, mlp or rmc")
	dims := fs.Int("dims", 3, "features per trial")
	n := fs.Int("tasks", 1000, "number of tasks")
	trials := fs.Int("trials", 100, "trials per task")
	seed := fs.Uint64("seed", 1, "random seed; the same seed gives the same file")
	batch := fs.Int("batch", 64, "tasks per batch (the mlp prior draws one network per batch)")
	out := fs.String("out", "", "output CSV file (required)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	if *n < 1 || *trials < 1 || *batch < 1 {
		return fmt.Errorf("-tasks, -trials and -batch must be at least 1")
	}
	p, err := priors.New(*name, *dims)
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(*seed, 0))
	start, last := time.Now(), time.Now()
	done := 0
	err = atomicfile.Write(*out, func(f io.Writer) error {
		w := tasks.NewWriter(f)
		err := priors.Generate(p, rng, *n, *trials, *batch, func(t tasks.Task) error {
			done++
			if time.Since(last) > time.Second || done == *n {
				last = time.Now()
				rate := float64(done) / time.Since(start).Seconds()
				fmt.Fprintf(stderr, "\rpriors: %d/%d tasks, %.0f tasks/s, ETA %s   ", done, *n, rate,
					(time.Duration(float64(*n-done)/rate) * time.Second).Round(time.Second))
			}
			return w.Write(t)
		})
		if err != nil {
			return err
		}
		return w.Flush()
	})
	fmt.Fprintln(stderr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %d %s tasks × %d trials × %d features (seed %d) to %s\n", *n, *name, *trials, *dims, *seed, *out)
	return nil
}
