package xgboost

import (
	"runtime"
	"sync"
	"testing"
)

// TestConcurrentFits runs fits in parallel goroutines that move between OS
// threads; libxgboost must see every training matrix.
func TestConcurrentFits(t *testing.T) {
	runtime.GOMAXPROCS(8)
	var x []float64
	var y []int
	for i := range 30 {
		v := float64(i) / 30
		x = append(x, v, 1-v, v*v, 0.5)
		y = append(y, i%2)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 400)
	for range 400 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runtime.Gosched()
			if _, err := (Classifier{Threads: 1}).Fit(x, y, x, 4); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	n := 0
	for e := range errs {
		if n == 0 {
			t.Log(e.Error()[:120])
		}
		n++
	}
	if n > 0 {
		t.Fatalf("%d of 400 fits failed", n)
	}
}
