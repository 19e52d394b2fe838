// Package xgboost is the gradient-boosting baseline of the paper's OpenML
// benchmark: XGBoost as the paper ran it, xgb.train({'objective':
// 'binary:logistic'}) for 10 rounds with every other parameter at its
// default, run by the library itself (libxgboost's C API) through cgo.
//
// It needs XGBoost's headers and library: on Debian and Ubuntu the package
// libxgboost-dev (which `make test` installs), on macOS `brew install
// xgboost` with CGO_CFLAGS=-I$(brew --prefix)/include
// CGO_LDFLAGS=-L$(brew --prefix)/lib.
//
// Use:
//
//	p, err := xgboost.Classifier{}.Predict(set) // set: a benchmark.Set
package xgboost

/*
#cgo LDFLAGS: -lxgboost
#include <stdlib.h>
#include <xgboost/c_api.h>
*/
import "C"

import (
	"fmt"
	"math"
	"runtime"
	"unsafe"

	"github.com/ermi-go/ermi/ermi/benchmark"
)

// Rounds is the paper's number of boosting rounds.
const Rounds = 10

// Classifier is a binary:logistic booster.
type Classifier struct {
	// Rounds is the number of boosting rounds (0: 10, the paper's).
	Rounds int
	// Threads bounds libxgboost's threads (0: its default, all cores).
	Threads int
}

// Name returns "XGB".
func (Classifier) Name() string { return "XGB" }

// Version returns libxgboost's version as major, minor, patch.
func Version() (major, minor, patch int) {
	var a, b, c C.int
	C.XGBoostVersion(&a, &b, &c)
	return int(a), int(b), int(c)
}

func check(rc C.int, what string) error {
	if rc != 0 {
		return fmt.Errorf("xgboost: %s: %s", what, C.GoString(C.XGBGetLastError()))
	}
	return nil
}

// matrix copies rows (n × dims) into a DMatrix.
func matrix(x []float64, dims int) (C.DMatrixHandle, error) {
	n := len(x) / dims
	buf := (*[1 << 28]C.float)(C.malloc(C.size_t(len(x)) * 4))[:len(x):len(x)]
	defer C.free(unsafe.Pointer(&buf[0]))
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("xgboost: row %d: feature value %v", i/dims, v)
		}
		buf[i] = C.float(v)
	}
	var h C.DMatrixHandle
	if err := check(C.XGDMatrixCreateFromMat(&buf[0], C.bst_ulong(n), C.bst_ulong(dims), C.float(math.NaN()), &h), "DMatrix"); err != nil {
		return nil, err
	}
	return h, nil
}

// Predict trains on the set's training rows and returns the booster's
// P(class 1) for each test point.
func (m Classifier) Predict(s benchmark.Set) ([]float64, error) {
	return m.Fit(s.TrainX, s.TrainY, s.TestX, s.Dims)
}

// Fit trains on rows trainX (n × dims) with classes trainY (0/1) and
// returns P(class 1) for each row of testX.
func (m Classifier) Fit(trainX []float64, trainY []int, testX []float64, dims int) ([]float64, error) {
	// libxgboost keeps a booster's view of its training matrix per OS
	// thread: a goroutine moved to another thread between the C calls saw
	// "0 feature is supplied" (5 in 400 concurrent fits before this lock).
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	n := len(trainY)
	if dims < 1 || n == 0 || len(trainX) != n*dims || len(testX) == 0 || len(testX)%dims != 0 {
		return nil, fmt.Errorf("xgboost: %d training rows of %d values, %d test values, for %d features", n, len(trainX), len(testX), dims)
	}
	labels := (*[1 << 28]C.float)(C.malloc(C.size_t(n) * 4))[:n:n]
	defer C.free(unsafe.Pointer(&labels[0]))
	for i, y := range trainY {
		if y != 0 && y != 1 {
			return nil, fmt.Errorf("xgboost: class %d of training row %d is not 0 or 1", y, i)
		}
		labels[i] = C.float(y)
	}
	train, err := matrix(trainX, dims)
	if err != nil {
		return nil, err
	}
	defer C.XGDMatrixFree(train)
	test, err := matrix(testX, dims)
	if err != nil {
		return nil, err
	}
	defer C.XGDMatrixFree(test)
	field := C.CString("label")
	defer C.free(unsafe.Pointer(field))
	if err := check(C.XGDMatrixSetFloatInfo(train, field, &labels[0], C.bst_ulong(n)), "labels"); err != nil {
		return nil, err
	}
	var booster C.BoosterHandle
	if err := check(C.XGBoosterCreate(&train, 1, &booster), "booster"); err != nil {
		return nil, err
	}
	defer C.XGBoosterFree(booster)
	params := [][2]string{{"objective", "binary:logistic"}, {"verbosity", "0"}}
	if m.Threads > 0 {
		params = append(params, [2]string{"nthread", fmt.Sprint(m.Threads)})
	}
	for _, p := range params {
		k, v := C.CString(p[0]), C.CString(p[1])
		err := check(C.XGBoosterSetParam(booster, k, v), "parameter "+p[0])
		C.free(unsafe.Pointer(k))
		C.free(unsafe.Pointer(v))
		if err != nil {
			return nil, err
		}
	}
	rounds := m.Rounds
	if rounds == 0 {
		rounds = Rounds
	}
	for it := range rounds {
		if err := check(C.XGBoosterUpdateOneIter(booster, C.int(it), train), "round"); err != nil {
			return nil, err
		}
	}
	var length C.bst_ulong
	var res *C.float
	if err := check(C.XGBoosterPredict(booster, test, 0, 0, 0, &length, &res), "predict"); err != nil {
		return nil, err
	}
	nTest := len(testX) / dims
	if int(length) != nTest {
		return nil, fmt.Errorf("xgboost: %d predictions for %d test rows", length, nTest)
	}
	out := make([]float64, nTest)
	for i, v := range unsafe.Slice(res, nTest) {
		out[i] = float64(v)
	}
	return out, nil
}
