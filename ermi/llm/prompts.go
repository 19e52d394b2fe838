// Package llm holds the paper's LLM task generation: the exact prompts for
// task labels (step 1) and task data (step 2), and the parsers that turn an
// LLM's answer into task labels and tasks, with a report of everything they
// drop and why.
//
// Use:
//
//	p, err := llm.DataPrompt(5, []string{"length", "width", "height", "weight"}, [2]string{"cars", "trucks"})
//	// … send p to a provider, get text back …
//	res, err := llm.ParseData(text, 4, 5, "cars", "trucks")
//	var rep llm.Report
//	rep.Add(res)
//	fmt.Print(rep)
package llm

import (
	"fmt"
	"strings"
)

// numberWords spells the dimensions the prompts use.
var numberWords = map[int]string{2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}

// DataStimuli returns the number of stimuli the paper's data prompt asked for:
// 100 for 3-D (v4), 650 for 4-D and 500 for 6-D (v5).
func DataStimuli(dims int) int {
	switch dims {
	case 4:
		return 650
	case 6:
		return 500
	}
	return 100
}

// LabelPrompt returns the task-label prompt v5 (step 1) for dims feature
// dimensions and n experiments per call (the paper: 250).
func LabelPrompt(dims, n int) (string, error) {
	w, ok := numberWords[dims]
	if !ok {
		return "", fmt.Errorf("llm: no prompt for %d features", dims)
	}
	return fmt.Sprintf(" I am a psychologist who wants to run a category learning experiment. In a category learning experiment, "+
		"there are many different %s-dimensional stimuli, each of which belongs to one of two possible real-world categories. "+
		"Please generate names for %s stimulus feature dimensions and two corresponding categories for %d different category "+
		"learning experiments: \n- feature dimension 1, feature dimension 2, ..., feature dimension %d, category label 1, category label 2  \n",
		w, w, n, dims), nil
}

// DataPrompt returns the data prompt (step 2) of the given version for one
// task-label row: v4 (3 features, 100 stimuli) or v5 (4 or 6 features, 650
// or 500 stimuli, numbered rows). Names are lower-cased, as the paper did.
func DataPrompt(version int, features []string, categories [2]string) (string, error) {
	d := len(features)
	w, ok := numberWords[d]
	if !ok {
		return "", fmt.Errorf("llm: no prompt for %d features", d)
	}
	f := make([]string, d)
	for i, name := range features {
		f[i] = strings.ToLower(name)
	}
	c1, c2 := strings.ToLower(categories[0]), strings.ToLower(categories[1])
	var list string
	switch {
	case version == 4 && d == 3:
		list = fmt.Sprintf("%s, %s, and %s", f[0], f[1], f[2])
	case version == 5 && d == 4:
		list = strings.Join(f, ", ") // no "and" before the last name, as the source
	case version == 5 && d == 6:
		list = strings.Join(f[:5], ", ") + ", and " + f[5]
	default:
		return "", fmt.Errorf("llm: data prompt v%d has no form for %d features (v4: 3; v5: 4 or 6)", version, d)
	}
	head := fmt.Sprintf(" I am a psychologist who wants to run a category learning experiment. For a category learning experiment, "+
		"I need a list of stimuli and their category labels. Each stimulus is characterized by %s distinct features: %s. "+
		"These features can take only numerical values. The category label can be %s or %s and should be predictable from "+
		"the feature values of the stimulus. \n\n", w, list, c1, c2)
	if version == 4 {
		return head + fmt.Sprintf(" Please generate a list of %d stimuli with their feature values and their corresponding category "+
			"labels using the following template for each row: \n-  feature value 1, feature value 2, feature value 3, category label \n",
			DataStimuli(d)), nil
	}
	return head + fmt.Sprintf(" Please generate a list of %d stimuli with their feature values and their corresponding category "+
		"labels sequentially without skipping any row using the following template for each row: \n 1: feature value 1, "+
		"feature value 2,..., feature value %d, category label \n", DataStimuli(d), d), nil
}
