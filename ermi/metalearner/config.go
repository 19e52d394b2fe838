// Package metalearner is the paper's meta-learner: a small transformer
// decoder that reads a category-learning task trial by trial, each trial
// encoded as [x_t, y_{t−1}], and predicts the category of every trial from the
// trials before it (ERMI, MI, PFN and RMC all share it).
//
// The network is exactly the paper's (categorisation/mi/model.py,
// TransformerDecoder): Linear(D+1 → 64) embedding, sinusoidal positions,
// dropout 0.1, six post-LayerNorm PyTorch decoder layers (causal
// self-attention, causal cross-attention to the embedded input, feed-forward
// 64 → 256 → 64 with ReLU, 8 heads, LayerNorm ε 1e-5), no final LayerNorm, and
// a Linear(64 → 1) readout giving one logit per trial; p = σ(β·logit). It is
// built in GoMLX and runs on its pure-Go backend unless GOMLX_BACKEND names
// another. A golden test checks logits and an Adam step against PyTorch.
//
// Use:
//
//	m, err := metalearner.New(metalearner.PaperConfig(3, 250), seed)
//	logits, err := m.Logits(batch) // batch from tasks.Sampler or tasks.Encode
package metalearner

import "fmt"

// Config is the shape of the network.
type Config struct {
	// Dims is the number of stimulus features D; the input has D+1 values.
	Dims int
	// DModel is the width of the residual stream, Heads the number of
	// attention heads, FF the width of the feed-forward layer, Layers the
	// number of decoder layers.
	DModel, Heads, FF, Layers int
	// MaxSteps is the length of the positional table: the longest
	// sequence the network takes.
	MaxSteps int
	// Dropout is the dropout rate during training (0.1 in the paper).
	Dropout float64
	// NormFirst selects pre-LayerNorm blocks instead of the paper's
	// post-LayerNorm ones (a training variant, named apart; off for the
	// paper's model).
	NormFirst bool
}

// PaperConfig returns the paper's network for dims features and sequences
// of at most maxSteps trials: d_model 64, 8 heads, feed-forward 256, 6
// layers, dropout 0.1, post-LayerNorm.
func PaperConfig(dims, maxSteps int) Config {
	return Config{Dims: dims, DModel: 64, Heads: 8, FF: 256, Layers: 6, MaxSteps: maxSteps, Dropout: 0.1}
}

// Validate reports a configuration the network cannot be built with.
func (c Config) Validate() error {
	switch {
	case c.Dims < 1:
		return fmt.Errorf("metalearner: %d features, want at least 1", c.Dims)
	case c.DModel < 2 || c.DModel%2 != 0:
		return fmt.Errorf("metalearner: d_model %d must be even and positive", c.DModel)
	case c.Heads < 1 || c.DModel%c.Heads != 0:
		return fmt.Errorf("metalearner: %d heads do not divide d_model %d", c.Heads, c.DModel)
	case c.FF < 1 || c.Layers < 1 || c.MaxSteps < 1:
		return fmt.Errorf("metalearner: feed-forward %d, layers %d and max steps %d must be positive", c.FF, c.Layers, c.MaxSteps)
	case c.Dropout < 0 || c.Dropout >= 1:
		return fmt.Errorf("metalearner: dropout %v outside [0, 1)", c.Dropout)
	}
	return nil
}
