package metalearner

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/ermi-go/ermi/ermi/atomicfile"
)

// checkpointMagic starts every checkpoint file.
const checkpointMagic = "ERMI-CHECKPOINT-1\n"

// checkpointHeader is the JSON header of a checkpoint file.
type checkpointHeader struct {
	Config    Config            `json:"config"`
	Variables []checkpointEntry `json:"variables"`
	// Extra holds the caller's state (a training run's step, sampler
	// state and log position), stored verbatim.
	Extra json.RawMessage `json:"extra,omitempty"`
	// DataBytes and CRC32 describe the binary data after the header.
	DataBytes int64  `json:"data_bytes"`
	CRC32     uint32 `json:"crc32"`
}

type checkpointEntry struct {
	Path  string `json:"path"`
	DType string `json:"dtype"`
	Shape []int  `json:"shape"`
	Bytes int64  `json:"bytes"`
	// Trainable says whether the optimiser updates the variable (the
	// weights) or not (its own moments, step and the random state).
	Trainable bool `json:"trainable"`
}

// Save writes the model to path atomically. With state, every variable is
// saved: weights, Adam's moments and step, the learning rate and the dropout
// random state, so that Load resumes training exactly. Without state only
// the weights are saved (what a shipped model needs). extra, when not nil, is
// stored as JSON in the header and returned by Load.
func (m *Model) Save(path string, state bool, extra any) error {
	var h checkpointHeader
	h.Config = m.cfg
	if extra != nil {
		raw, err := json.Marshal(extra)
		if err != nil {
			return fmt.Errorf("metalearner: %s: extra state: %w", path, err)
		}
		h.Extra = raw
	}
	var data bytes.Buffer
	for v := range m.store.IterVariables() {
		if !state && !m.isParam(v.Path()) {
			continue
		}
		t, err := v.Value()
		if err != nil {
			return fmt.Errorf("metalearner: %s: variable %s: %w", path, v.Path(), err)
		}
		var n int
		err = t.ConstBytes(func(b []byte) { data.Write(b); n = len(b) })
		if err != nil {
			return fmt.Errorf("metalearner: %s: variable %s: %w", path, v.Path(), err)
		}
		h.Variables = append(h.Variables, checkpointEntry{Path: v.Path(), DType: t.DType().String(), Shape: slices.Clone(t.Shape().Dimensions), Bytes: int64(n), Trainable: v.Trainable})
	}
	h.DataBytes = int64(data.Len())
	h.CRC32 = crc32.ChecksumIEEE(data.Bytes())
	head, err := json.Marshal(h)
	if err != nil {
		return fmt.Errorf("metalearner: %s: %w", path, err)
	}
	return atomicfile.Write(path, func(w io.Writer) error {
		if _, err := io.WriteString(w, checkpointMagic); err != nil {
			return err
		}
		if err := binary.Write(w, binary.LittleEndian, uint32(len(head))); err != nil {
			return err
		}
		if _, err := w.Write(head); err != nil {
			return err
		}
		_, err := w.Write(data.Bytes())
		return err
	})
}

// isParam reports whether a store path is one of the network's weights.
func (m *Model) isParam(path string) bool {
	name := strings.ReplaceAll(strings.TrimPrefix(path, "/"), "/", ".")
	_, ok := m.vars[name]
	return ok
}

// Load reads a checkpoint written by Save and returns the model, with its
// optimiser and random state when the checkpoint holds them, and the extra
// state as stored. A truncated, corrupted or inconsistent file is an error
// naming the file and what is wrong.
func Load(path string) (*Model, json.RawMessage, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("metalearner: %w", err)
	}
	fail := func(format string, args ...any) (*Model, json.RawMessage, error) {
		return nil, nil, fmt.Errorf("metalearner: checkpoint %s: %s", path, fmt.Sprintf(format, args...))
	}
	if !bytes.HasPrefix(raw, []byte(checkpointMagic)) {
		return fail("not a checkpoint of this project (no %q header)", strings.TrimSpace(checkpointMagic))
	}
	rest := raw[len(checkpointMagic):]
	if len(rest) < 4 {
		return fail("truncated before its header")
	}
	n := int(binary.LittleEndian.Uint32(rest))
	rest = rest[4:]
	if n > len(rest) {
		return fail("truncated: header of %d bytes, %d left in the file", n, len(rest))
	}
	var h checkpointHeader
	if err := json.Unmarshal(rest[:n], &h); err != nil {
		return fail("header: %v", err)
	}
	data := rest[n:]
	if int64(len(data)) != h.DataBytes {
		return fail("truncated or padded: %d bytes of weights, the header says %d", len(data), h.DataBytes)
	}
	if crc32.ChecksumIEEE(data) != h.CRC32 {
		return fail("corrupted: checksum mismatch")
	}
	if err := h.Config.Validate(); err != nil {
		return fail("%v", err)
	}
	// Split the entries into the network's weights and the rest.
	var ps []Param
	type other struct {
		t         *tensors.Tensor
		trainable bool
	}
	others := map[string]other{}
	off := int64(0)
	for _, e := range h.Variables {
		if e.Bytes < 0 || off+e.Bytes > int64(len(data)) {
			return fail("variable %s runs past the data", e.Path)
		}
		chunk := data[off : off+e.Bytes]
		off += e.Bytes
		dt, err := dtypes.DTypeString(e.DType)
		if err != nil {
			return fail("variable %s: unknown dtype %q", e.Path, e.DType)
		}
		shape := shapes.Make(dt, e.Shape...)
		if int64(shape.Memory()) != e.Bytes {
			return fail("variable %s: %d bytes for shape %s", e.Path, e.Bytes, shape)
		}
		name := strings.ReplaceAll(strings.TrimPrefix(e.Path, "/"), "/", ".")
		if dt == dtypes.Float32 && isParamName(h.Config, name) {
			vals := make([]float32, len(chunk)/4)
			if _, err := binary.Decode(chunk, binary.LittleEndian, vals); err != nil {
				return fail("variable %s: %v", e.Path, err)
			}
			ps = append(ps, Param{Name: name, Shape: e.Shape, Data: vals})
			continue
		}
		t := tensors.FromShape(shape)
		if err := t.MutableBytes(func(b []byte) { copy(b, chunk) }); err != nil {
			return fail("variable %s: %v", e.Path, err)
		}
		others[e.Path] = other{t, e.Trainable}
	}
	m, err := FromParams(h.Config, ps)
	if err != nil {
		return fail("%v", err)
	}
	for p, o := range others {
		v := m.store.GetVariable(p)
		if v != nil { // the dropout random state exists from the start
			if err := v.SetValue(o.t); err != nil {
				return fail("variable %s: %v", p, err)
			}
		} else {
			scope, name := scopeOf(m.store, strings.ReplaceAll(strings.TrimPrefix(p, "/"), "/", "."))
			if v, err = scope.CreateVariable(name, o.t); err != nil {
				return fail("variable %s: %v", p, err)
			}
		}
		v.SetTrainable(o.trainable)
	}
	if v := m.store.GetVariable(lrVariable); v != nil {
		if t, err := v.Value(); err == nil && t.DType() == dtypes.Float32 {
			m.lr = float64(tensors.ToScalar[float32](t))
		}
	}
	return m, h.Extra, nil
}

func isParamName(c Config, name string) bool {
	for _, p := range c.paramShapes() {
		if p.Name == name {
			return true
		}
	}
	return false
}
