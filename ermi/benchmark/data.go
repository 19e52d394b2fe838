package benchmark

import (
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/ermi-go/ermi/ermi/openml"
)

// Features is the number of features the paper's benchmark keeps.
const Features = 4

// LoadOpenML reads and preprocesses (openml.Prepare, 4 features) the shipped
// OpenML-CC18 data sets in dir (the folder of index.csv) named in names, by
// name or task id, in index order; all that have a copy when names is empty.
func LoadOpenML(dir string, names []string) ([]Dataset, error) {
	idx, err := openml.ReadIndex(filepath.Join(dir, "index.csv"))
	if err != nil {
		return nil, err
	}
	want, missing := map[string]bool{}, map[string]bool{}
	for _, n := range names {
		want[n], missing[n] = true, true
	}
	var out []Dataset
	for _, e := range idx {
		id := strconv.Itoa(e.TaskID)
		if len(want) > 0 && !want[e.Name] && !want[id] {
			continue
		}
		delete(missing, e.Name)
		delete(missing, id)
		if !e.Available() {
			if len(want) > 0 {
				return nil, fmt.Errorf("benchmark: %s (task %d) has no shipped copy", e.Name, e.TaskID)
			}
			continue
		}
		x, y, _, _, err := openml.Load(dir, e)
		if err != nil {
			return nil, err
		}
		out = append(out, Dataset{Name: e.Name, TaskID: e.TaskID, X: openml.Prepare(x, y, Features), Y: y})
	}
	for n := range missing {
		return nil, fmt.Errorf("benchmark: no data set %q in %s", n, filepath.Join(dir, "index.csv"))
	}
	return out, nil
}

// LoadCSV reads a data set of one's own: a CSV file with a header line,
// numeric feature columns and a two-class target column, preprocessed as
// the OpenML sets. Rows with missing values are dropped and counted on
// warn (nil: silently).
func LoadCSV(path, target string, warn io.Writer) ([]Dataset, error) {
	e := openml.Entry{Name: strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)), Folder: ".", File: filepath.Base(path), Target: target}
	x, y, _, dropped, err := openml.Load(filepath.Dir(path), e)
	if err != nil {
		return nil, err
	}
	if dropped > 0 && warn != nil {
		fmt.Fprintf(warn, "%s: %d rows with missing values dropped\n", path, dropped)
	}
	return []Dataset{{Name: e.Name, X: openml.Prepare(x, y, Features), Y: y}}, nil
}
