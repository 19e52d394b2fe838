package priors

import (
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"gonum.org/v1/gonum/stat"

	"github.com/ermi-go/ermi/ermi/tasks"
)

func newRNG(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 1)) }

// labelOf returns the 0/1 label of trial i of a prior's task.
func labelOf(t *tasks.Task, i int) int {
	if t.Label(i) == "1" {
		return 1
	}
	return 0
}

func TestLinearIsSeparableThroughOrigin(t *testing.T) {
	p := Linear{Dims: 3}
	rng := newRNG(1)
	var ones, n int
	var feats []float64
	for id := range 500 {
		task, w, err := p.Draw(rng, id, 100)
		if err != nil {
			t.Fatal(err)
		}
		for i := range task.Len() {
			want := 0
			if dot(task.Row(i), w) > 0 {
				want = 1
			}
			if labelOf(&task, i) != want {
				t.Fatalf("task %d trial %d: label %d on the wrong side of w", id, i, labelOf(&task, i))
			}
			ones += want
			n++
		}
		feats = append(feats, task.X...)
	}
	// x ~ N(0, I) and w symmetric: half the labels are 1.
	if share := float64(ones) / float64(n); math.Abs(share-0.5) > 0.02 {
		t.Errorf("share of label 1 = %.3f, want 0.5", share)
	}
	mean, sd := stat.MeanStdDev(feats, nil)
	if math.Abs(mean) > 0.02 || math.Abs(sd-1) > 0.02 {
		t.Errorf("features mean %.3f sd %.3f, want N(0, 1)", mean, sd)
	}
}

func TestMLPSharesOneNetworkPerBatch(t *testing.T) {
	p := NewMLP(2)
	rng := newRNG(2)
	net := p.NewNetwork(rng)
	batch, err := p.batchWith(&net, rng, 10, 8, 50)
	if err != nil {
		t.Fatal(err)
	}
	for _, task := range batch {
		for i := range task.Len() {
			if labelOf(&task, i) != net.Label(task.Row(i)) {
				t.Fatalf("task %d trial %d not labelled by the batch's network", task.ID, i)
			}
		}
	}
	if batch[0].ID != 10 || batch[7].ID != 17 {
		t.Errorf("ids %d…%d, want 10…17", batch[0].ID, batch[7].ID)
	}
	// Over many networks the prior is symmetric: label 1 half the time.
	ones, n := 0, 0
	for range 400 {
		b, _ := p.Batch(rng, 0, 2, 50)
		for _, task := range b {
			for i := range task.Len() {
				ones += labelOf(&task, i)
				n++
			}
		}
	}
	if share := float64(ones) / float64(n); math.Abs(share-0.5) > 0.05 {
		t.Errorf("share of label 1 = %.3f over 400 networks, want about 0.5", share)
	}
}

func TestMLPNetworkWeights(t *testing.T) {
	p := NewMLP(3)
	net := p.NewNetwork(newRNG(3))
	if len(net.W1) != 64*3 || len(net.B1) != 64 || len(net.W2) != 64 {
		t.Fatalf("network shapes %d %d %d", len(net.W1), len(net.B1), len(net.W2))
	}
	all := append(append(append([]float64{}, net.W1...), net.B1...), net.W2...)
	if sd := stat.StdDev(all, nil); math.Abs(sd-0.1) > 0.01 {
		t.Errorf("weight sd %.4f, want 0.1", sd)
	}
}

func TestRMCClustersGrowLikeTheCRP(t *testing.T) {
	p := NewRMC(3)
	rng := newRNG(4)
	const runs, trials = 3000, 100
	counts := make([]float64, runs)
	for r := range counts {
		z := p.Clusters(rng, trials)
		k := 0
		for i, c := range z {
			if c > k {
				t.Fatalf("cluster %d appears before cluster %d at trial %d", c, k, i)
			}
			if c == k {
				k++
			}
		}
		counts[r] = float64(k)
	}
	mean, sd := stat.MeanStdDev(counts, nil)
	want := p.ExpectedClusters(trials)
	if se := sd / math.Sqrt(runs); math.Abs(mean-want) > 4*se {
		t.Errorf("mean clusters after %d trials = %.3f ± %.3f, CRP predicts %.3f", trials, mean, se, want)
	}
	// More trials, more clusters, as the CRP's logarithmic growth.
	if p.ExpectedClusters(400) <= want || p.ExpectedClusters(1) != 1 {
		t.Error("ExpectedClusters does not grow from 1")
	}
}

func TestRMCTasks(t *testing.T) {
	p := NewRMC(3)
	rng := newRNG(5)
	var agree, pairs, ones, vals int
	for id := range 300 {
		task, z := p.Draw(rng, id, 100)
		for i, v := range task.X {
			if v != 0 && v != 1 {
				t.Fatalf("task %d value %d = %v, want binary", id, i, v)
			}
			ones += int(v)
			vals++
		}
		// Label probabilities ~ Beta(0.046, 0.046) sit near 0 or 1, so
		// trials of one cluster nearly always share their label.
		first := map[int]int{}
		for i, c := range z {
			if j, ok := first[c]; ok {
				pairs++
				if labelOf(&task, i) == labelOf(&task, j) {
					agree++
				}
			} else {
				first[c] = i
			}
		}
	}
	if purity := float64(agree) / float64(pairs); purity < 0.9 {
		t.Errorf("label agreement within clusters %.3f, want > 0.9", purity)
	}
	if share := float64(ones) / float64(vals); math.Abs(share-0.5) > 0.03 {
		t.Errorf("share of feature value 1 = %.3f, want 0.5", share)
	}
}

func TestGenerateIsSeededAndNumbered(t *testing.T) {
	for _, name := range []string{"linear", "mlp", "rmc"} {
		p, err := New(name, 4)
		if err != nil {
			t.Fatal(err)
		}
		var a, b []tasks.Task
		collect := func(dst *[]tasks.Task) func(tasks.Task) error {
			return func(t tasks.Task) error { *dst = append(*dst, t); return nil }
		}
		if err := Generate(p, newRNG(9), 10, 20, 4, collect(&a)); err != nil {
			t.Fatal(err)
		}
		Generate(p, newRNG(9), 10, 20, 4, collect(&b))
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: same seed, different tasks", name)
		}
		for i, task := range a {
			if task.ID != i || task.Len() != 20 || task.Dims != 4 {
				t.Errorf("%s: task %d has id %d, %d trials, %d dims", name, i, task.ID, task.Len(), task.Dims)
			}
		}
	}
	if _, err := New("gp", 3); err == nil {
		t.Error("New accepted an unknown prior")
	}
	if _, err := New("linear", 0); err == nil {
		t.Error("New accepted 0 features")
	}
	if err := Generate(Linear{Dims: 2}, newRNG(1), 5, 0, 4, nil); err == nil {
		t.Error("Generate accepted 0 trials")
	}
}
