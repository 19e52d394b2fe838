// Package libsvm is the SVM baseline of the paper's OpenML benchmark:
// scikit-learn's SVC with its defaults (RBF kernel, C = 1,
// gamma = 1/(n_features · Var(X)), tolerance 1e-3, shrinking), run by the
// library behind it, libsvm, through cgo.
//
// It needs libsvm's headers and library: on Debian and Ubuntu the package
// libsvm-dev (which `make test` installs), on macOS `brew install libsvm`
// with CGO_CFLAGS=-I$(brew --prefix)/include CGO_LDFLAGS=-L$(brew --prefix)/lib.
//
// Use:
//
//	scores, err := libsvm.SVC{}.Predict(set) // set: a benchmark.Set
package libsvm

/*
#cgo CFLAGS: -I/usr/include/libsvm
#cgo LDFLAGS: -lsvm
#include <stdlib.h>
#include <svm.h>

static void quiet(const char *s) {}
static void set_quiet(void) { svm_set_print_string_function(quiet); }
*/
import "C"

import (
	"errors"
	"fmt"
	"math"
	"unsafe"

	"github.com/ermi-go/ermi/ermi/benchmark"
)

func init() { C.set_quiet() }

// SVC is a C-support-vector classifier with an RBF kernel.
type SVC struct {
	// C is the penalty (0: 1, scikit-learn's default).
	C float64
	// Gamma is the RBF kernel's width (0: "scale", 1/(n_features · Var(X))
	// over the training rows' values, scikit-learn's default).
	Gamma float64
}

// Name returns "SVM".
func (SVC) Name() string { return "SVM" }

// Version returns libsvm's version number (324 for 3.24).
func Version() int { return int(C.LIBSVM_VERSION) }

// Predict trains on the set's training rows and returns, for each test
// point, σ(f(x)) with f the decision function oriented towards class 1: above
// 1/2 exactly where scikit-learn's predict says class 1, and ordered as its
// decision_function (so ROC-AUC is the same).
func (m SVC) Predict(s benchmark.Set) ([]float64, error) {
	f, err := m.Decision(s.TrainX, s.TrainY, s.TestX, s.Dims)
	if err != nil {
		return nil, err
	}
	p := make([]float64, len(f))
	for i, v := range f {
		p[i] = 1 / (1 + math.Exp(-v))
	}
	return p, nil
}

// Decision trains on rows trainX (n × dims) with classes trainY (0/1) and
// returns the decision value of each row of testX, positive for class 1.
func (m SVC) Decision(trainX []float64, trainY []int, testX []float64, dims int) ([]float64, error) {
	n := len(trainY)
	if dims < 1 || n == 0 || len(trainX) != n*dims || len(testX)%dims != 0 {
		return nil, fmt.Errorf("libsvm: %d training rows of %d values for %d features", n, len(trainX), dims)
	}
	var seen [2]bool
	for i, y := range trainY {
		if y != 0 && y != 1 {
			return nil, fmt.Errorf("libsvm: class %d of training row %d is not 0 or 1", y, i)
		}
		seen[y] = true
	}
	for i, v := range trainX {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("libsvm: training row %d: feature value %v", i/dims, v)
		}
	}
	nTest := len(testX) / dims
	out := make([]float64, nTest)
	if !seen[0] || !seen[1] {
		// One class: scikit-learn refuses; the only sensible answer is that class.
		return nil, errors.New("libsvm: the training rows hold one class only")
	}
	gamma := m.Gamma
	if gamma == 0 {
		mean, sq := 0.0, 0.0
		for _, v := range trainX {
			mean += v
		}
		mean /= float64(len(trainX))
		for _, v := range trainX {
			sq += (v - mean) * (v - mean)
		}
		variance := sq / float64(len(trainX))
		gamma = 1
		if variance > 0 {
			gamma = 1 / (float64(dims) * variance)
		}
	}
	cost := m.C
	if cost == 0 {
		cost = 1
	}
	// C memory: each row is dims nodes and a terminator (index −1).
	nodeSize := C.size_t(unsafe.Sizeof(C.struct_svm_node{}))
	nodes := (*[1 << 28]C.struct_svm_node)(C.malloc(C.size_t(n*(dims+1)) * nodeSize))[: n*(dims+1) : n*(dims+1)]
	defer C.free(unsafe.Pointer(&nodes[0]))
	rows := (*[1 << 28]*C.struct_svm_node)(C.malloc(C.size_t(n) * C.size_t(unsafe.Sizeof(uintptr(0)))))[:n:n]
	defer C.free(unsafe.Pointer(&rows[0]))
	ys := (*[1 << 28]C.double)(C.malloc(C.size_t(n) * 8))[:n:n]
	defer C.free(unsafe.Pointer(&ys[0]))
	for i := range n {
		row := nodes[i*(dims+1) : (i+1)*(dims+1)]
		for j := range dims {
			row[j] = C.struct_svm_node{index: C.int(j + 1), value: C.double(trainX[i*dims+j])}
		}
		row[dims] = C.struct_svm_node{index: -1}
		rows[i] = &row[0]
		ys[i] = C.double(trainY[i])
	}
	prob := C.struct_svm_problem{l: C.int(n), y: &ys[0], x: &rows[0]}
	param := C.struct_svm_parameter{svm_type: C.C_SVC, kernel_type: C.RBF, degree: 3, gamma: C.double(gamma), coef0: 0,
		cache_size: 200, eps: 1e-3, C: C.double(cost), shrinking: 1, probability: 0}
	if msg := C.svm_check_parameter(&prob, &param); msg != nil {
		return nil, fmt.Errorf("libsvm: %s", C.GoString(msg))
	}
	model := C.svm_train(&prob, &param)
	if model == nil {
		return nil, errors.New("libsvm: training failed")
	}
	defer C.svm_free_and_destroy_model(&model)
	var labels [2]C.int
	C.svm_get_labels(model, &labels[0])
	sign := 1.0 // decision values are positive for labels[0]
	if labels[0] == 0 {
		sign = -1
	}
	x := (*[1 << 20]C.struct_svm_node)(C.malloc(C.size_t(dims+1) * nodeSize))[: dims+1 : dims+1]
	defer C.free(unsafe.Pointer(&x[0]))
	var dec C.double
	for i := range nTest {
		for j := range dims {
			v := testX[i*dims+j]
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("libsvm: test row %d: feature value %v", i, v)
			}
			x[j] = C.struct_svm_node{index: C.int(j + 1), value: C.double(v)}
		}
		x[dims] = C.struct_svm_node{index: -1}
		C.svm_predict_values(model, &x[0], &dec)
		out[i] = sign * float64(dec)
	}
	return out, nil
}
