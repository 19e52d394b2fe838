package openml

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

const dataDir = "../../datasets/openml-cc18"

// TestMatchesScikitLearn compares the whole preprocessing with
// testdata/select_kbest.json, made by testdata/make_select_fixture.py with
// scikit-learn 1.2.1 and scipy's ARFF reader.
func TestMatchesScikitLearn(t *testing.T) {
	raw, err := os.ReadFile("testdata/select_kbest.json")
	if err != nil {
		t.Fatal(err)
	}
	var fx struct {
		Sklearn string
		Cases   []struct {
			File, Target           string
			Rows, Features, Class1 int
			F                      []*float64
			Selected               []int
			FirstRowScaled         []float64 `json:"first_row_scaled"`
		}
	}
	if err := json.Unmarshal(raw, &fx); err != nil {
		t.Fatal(err)
	}
	for _, c := range fx.Cases {
		t.Run(c.File, func(t *testing.T) {
			f, err := os.Open(filepath.Join(dataDir, c.File))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			ds, err := ReadARFF(f, c.File)
			if err != nil {
				t.Fatal(err)
			}
			x, y, names, err := ds.XY(c.Target)
			if err != nil {
				t.Fatal(err)
			}
			ones := 0
			for _, v := range y {
				ones += v
			}
			if len(x) != c.Rows || len(names) != c.Features || ones != c.Class1 {
				t.Fatalf("%d rows, %d features, %d in class 1; scikit-learn side %d, %d, %d", len(x), len(names), ones, c.Rows, c.Features, c.Class1)
			}
			xs := MinMax(x)
			for j, v := range xs[0] {
				if math.Abs(v-c.FirstRowScaled[j]) > 1e-12 {
					t.Errorf("scaled row 0 column %d: %v, scikit-learn %v", j, v, c.FirstRowScaled[j])
				}
			}
			scores := FClassif(xs, y)
			for j, want := range c.F {
				if want == nil {
					if !math.IsNaN(scores[j]) {
						t.Errorf("F[%d] = %v, scikit-learn NaN", j, scores[j])
					}
					continue
				}
				if math.Abs(scores[j]-*want) > 1e-9*math.Max(1, math.Abs(*want)) {
					t.Errorf("F[%d] = %.12g, scikit-learn %.12g", j, scores[j], *want)
				}
			}
			if got := SelectKBest(xs, y, 4); !reflect.DeepEqual(got, c.Selected) {
				t.Errorf("selected %v, scikit-learn %v", got, c.Selected)
			}
		})
	}
}

func TestReadARFFErrors(t *testing.T) {
	head := "@relation r\n@attribute a numeric\n@attribute 'the class' {yes, 'no way'}\n@data\n"
	tests := []struct{ name, arff, want string }{
		{"undeclared", head + "1,maybe\n", `t.arff:5: attribute the class: value "maybe" is not declared`},
		{"count", head + "1\n", "t.arff:5: 1 values, 2 attributes"},
		{"not a number", head + "x,yes\n", `t.arff:5: attribute a: "x" is not a number`},
		{"sparse", head + "{0 1}\n", "sparse ARFF rows"},
		{"string", "@relation r\n@attribute s string\n@data\n", "type \"string\" is not supported"},
		{"no data", "@relation r\n@attribute a numeric\n", "no @data section"},
		{"quote", head + "1,'no way\n", "unclosed quote"},
	}
	for _, tc := range tests {
		_, err := ReadARFF(strings.NewReader(tc.arff), "t.arff")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
	ds, err := ReadARFF(strings.NewReader(head+"% a comment\n2.5,'no way'\n?,yes\n"), "t.arff")
	if err != nil {
		t.Fatal(err)
	}
	if ds.Attributes[1].Name != "the class" || !reflect.DeepEqual(ds.Attributes[1].Nominal, []string{"yes", "no way"}) ||
		ds.Rows[0][0] != 2.5 || ds.Rows[0][1] != 1 || !math.IsNaN(ds.Rows[1][0]) {
		t.Errorf("dataset %+v", ds)
	}
	if _, _, _, err := ds.XY("the class"); err == nil || !strings.Contains(err.Error(), "row 2: attribute a is missing") {
		t.Errorf("missing value: %v", err)
	}
}

func TestSelectKBestTiesAndConstantColumns(t *testing.T) {
	// Columns 0 and 2 are identical (a tie), column 1 is constant (NaN).
	x := [][]float64{{0, 5, 0}, {1, 5, 1}, {0, 5, 0}, {1, 5, 1}}
	y := []int{0, 1, 0, 1}
	if got := SelectKBest(x, y, 1); !reflect.DeepEqual(got, []int{2}) {
		t.Errorf("tie: %v, want the later column [2]", got)
	}
	if got := SelectKBest(x, y, 2); !reflect.DeepEqual(got, []int{0, 2}) {
		t.Errorf("%v, want [0 2]: the constant column scores lowest", got)
	}
	if got := MinMax(x); got[0][1] != 0 || got[3][2] != 1 {
		t.Errorf("MinMax %v", got)
	}
}

// TestLoadEveryDataSet loads all shipped data sets and checks rows, features
// and class counts against index.csv.
func TestLoadEveryDataSet(t *testing.T) {
	idx, err := ReadIndex(filepath.Join(dataDir, "index.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(idx) != 23 {
		t.Fatalf("%d entries, want the paper's 23", len(idx))
	}
	loaded := 0
	for _, e := range idx {
		if !e.Available() {
			if _, _, _, _, err := Load(dataDir, e); err == nil || !strings.Contains(err.Error(), "no public copy") {
				t.Errorf("%s: err %v", e.Name, err)
			}
			continue
		}
		x, y, names, dropped, err := Load(dataDir, e)
		if err != nil {
			t.Errorf("%s: %v", e.Name, err)
			continue
		}
		loaded++
		if len(x)+dropped != e.Rows || len(names) != e.Features {
			t.Errorf("%s: %d rows (+%d dropped), %d features; index: %d, %d", e.Name, len(x), dropped, len(names), e.Rows, e.Features)
		}
		ones := 0
		for _, v := range y {
			ones += v
		}
		// Both class sizes must appear in the index's class_counts.
		for _, n := range []int{ones, len(y) - ones} {
			if dropped == 0 && !strings.Contains(e.ClassCounts, ": "+strconv.Itoa(n)) {
				t.Errorf("%s: class sizes %d/%d not in %s", e.Name, len(y)-ones, ones, e.ClassCounts)
			}
		}
		if e.Name == "ozone-level-8hr" && dropped != 687 {
			t.Errorf("ozone: %d rows with missing values dropped; PROVENANCE.md counts 687", dropped)
		}
	}
	if loaded != 22 {
		t.Errorf("loaded %d data sets, want 22", loaded)
	}
}
