package training

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// LineageFile records, in a run that started from another run's weights
// (ermi train -init), the runs behind those weights, earliest first.
const LineageFile = "lineage.json"

// Stage is one run in a run's lineage: what it trained on and how far it
// had trained when the next run started from its weights.
type Stage struct {
	Dir       string     `json:"dir"` // as the next run named it
	Name      string     `json:"name"`
	NormFirst bool       `json:"norm_first"`
	Source    SourceKind `json:"source"`
	Dims      int        `json:"dims"`
	MaxSteps  int        `json:"max_steps"`
	// Trials is the length of synthetic tasks; Resample is set when LLM
	// tasks were resampled to MaxSteps trials.
	Trials     int     `json:"trials,omitempty"`
	Resample   bool    `json:"resample,omitempty"`
	Batch      int     `json:"batch"`
	LR         float64 `json:"lr"`
	Warmup     int     `json:"warmup_steps,omitempty"`
	Steps      int     `json:"steps"`
	Seconds    float64 `json:"seconds"`
	Validation string  `json:"validation"` // as LastValidation says it
	Init       string  `json:"init,omitempty"`
}

// Lineage returns the runs behind the initial weights of the run in dir,
// earliest first, and nil for a run that started from fresh weights. It
// reads dir's lineage.json; for a run without one (made before the file
// existed) it follows the init directories as far as they hold runs, which
// describes each as it is now, not as it was when the next run started
// from it.
func Lineage(dir string) ([]Stage, error) {
	r, err := readRecipe(dir)
	if err != nil {
		return nil, err
	}
	return lineageFor(dir, r.Init)
}

// lineageFor is Lineage for the run in dir that started from the weights
// in init.
func lineageFor(dir, init string) ([]Stage, error) {
	path := filepath.Join(dir, LineageFile)
	raw, err := os.ReadFile(path)
	if err == nil {
		var stages []Stage
		if err := json.Unmarshal(raw, &stages); err != nil {
			return nil, fmt.Errorf("training: %s: %w", path, err)
		}
		return stages, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("training: %w", err)
	}
	return lineageOf(init)
}

// lineageOf returns the lineage of weights taken from the run in init: the
// lineage of that run, then the run itself. A directory that holds no run
// ends the chain with what is known: its name.
func lineageOf(init string) ([]Stage, error) {
	if init == "" {
		return nil, nil
	}
	if _, err := os.Stat(filepath.Join(init, RecipeFile)); errors.Is(err, os.ErrNotExist) {
		return []Stage{{Dir: init, Steps: -1}}, nil
	}
	before, err := Lineage(init)
	if err != nil {
		return nil, err
	}
	s, err := stageOf(init)
	if err != nil {
		return nil, err
	}
	return append(before, s), nil
}

// stageOf describes the run in dir as it is now.
func stageOf(dir string) (Stage, error) {
	r, err := readRecipe(dir)
	if err != nil {
		return Stage{}, err
	}
	log, err := ReadLog(dir)
	if err != nil {
		return Stage{}, err
	}
	sessions, err := ReadSessions(dir)
	if err != nil {
		return Stage{}, err
	}
	steps, seconds := trainedFor(log, sessions)
	s := Stage{Dir: dir, Name: r.Name, NormFirst: r.Model.NormFirst, Source: r.Source, Dims: r.Model.Dims,
		MaxSteps: r.Model.MaxSteps, Resample: r.Batch.SampleToMaxSteps, Batch: r.Batch.BatchSize, LR: r.LR,
		Warmup: r.WarmupSteps, Steps: steps, Seconds: seconds, Validation: LastValidation(log), Init: r.Init}
	if r.Source != LLMTasks {
		s.Trials = r.Trials
	}
	return s, nil
}

// writeLineage records in dir the lineage of a run that starts from the
// weights in r.Init, unless dir already holds one.
func writeLineage(dir string, r Recipe) error {
	path := filepath.Join(dir, LineageFile)
	if r.Init == "" {
		return nil
	}
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	stages, err := lineageOf(r.Init)
	if err != nil {
		return err
	}
	return writeStages(dir, stages)
}

// readRecipe returns the recipe recorded in a run directory.
func readRecipe(dir string) (Recipe, error) {
	var r Recipe
	path := filepath.Join(dir, RecipeFile)
	raw, err := os.ReadFile(path)
	if err != nil {
		return r, fmt.Errorf("training: %w", err)
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		return r, fmt.Errorf("training: %s: %w", path, err)
	}
	return r, nil
}
