package benchmark

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Dataset is one benchmark data set, already preprocessed (the paper:
// min-max scaled over all rows, its 4 best features by F-score).
type Dataset struct {
	Name   string
	TaskID int // the OpenML task id, 0 for a user's own data
	X      [][]float64
	Y      []int
}

// Score is one model's result on one data set: accuracy and ROC-AUC, each
// the mean over the splits.
type Score struct {
	TaskID   int     `json:"task_id"`
	Dataset  string  `json:"dataset"`
	Model    string  `json:"model"`
	Accuracy float64 `json:"accuracy"`
	AUC      float64 `json:"auc"`
	// Reported marks a score copied from the paper, not run here.
	Reported bool `json:"reported,omitempty"`
}

// Run evaluates every classifier on the same n splits of each data set,
// the splits of a data set drawn from (seed, its index in ds). It writes one
// progress line per data set and model to progress (nil for none).
func Run(ds []Dataset, cs []Classifier, n int, seed uint64, progress io.Writer) ([]Score, error) {
	if n < 1 {
		return nil, fmt.Errorf("benchmark: %d splits", n)
	}
	var out []Score
	for i, d := range ds {
		sets, err := Splits(d.X, d.Y, n, rand.New(rand.NewPCG(seed, uint64(i))))
		if err != nil {
			return nil, fmt.Errorf("benchmark: %s: %w", d.Name, err)
		}
		for _, c := range cs {
			acc, auc, err := Evaluate(c, sets)
			if err != nil {
				return nil, fmt.Errorf("benchmark: %s: %w", d.Name, err)
			}
			out = append(out, Score{TaskID: d.TaskID, Dataset: d.Name, Model: c.Name(), Accuracy: acc, AUC: auc})
			if progress != nil {
				fmt.Fprintf(progress, "%s (%d/%d): %s accuracy %.4f AUC %.4f\n", d.Name, i+1, len(ds), c.Name(), acc, auc)
			}
		}
	}
	return out, nil
}

// Summary is one model's result over the data sets.
type Summary struct {
	Model        string
	Datasets     int
	MeanAccuracy float64
	SEM          float64 // standard error of the mean accuracy over data sets
	MeanRank     float64 // NaN for a model outside the ranking
	MeanAUC      float64
	Reported     bool
}

// Table arranges scores as one row per data set (in first-seen order) and
// one column per model of models; missing scores are NaN.
func Table(scores []Score, models []string) (datasets []string, acc, auc [][]float64) {
	row := map[string]int{}
	for _, s := range scores {
		if _, ok := row[s.Dataset]; !ok {
			row[s.Dataset] = len(datasets)
			datasets = append(datasets, s.Dataset)
		}
	}
	acc, auc = make([][]float64, len(datasets)), make([][]float64, len(datasets))
	for r := range datasets {
		acc[r], auc[r] = make([]float64, len(models)), make([]float64, len(models))
		for c := range models {
			acc[r][c], auc[r][c] = math.NaN(), math.NaN()
		}
	}
	for _, s := range scores {
		if c := slices.Index(models, s.Model); c >= 0 {
			acc[row[s.Dataset]][c], auc[row[s.Dataset]][c] = s.Accuracy, s.AUC
		}
	}
	return datasets, acc, auc
}

// Summarize returns one summary per model: mean accuracy ± SEM and mean
// AUC over the data sets where the model has a score, and the mean rank
// among the models of ranked (the paper ranks its five methods) over the
// data sets where all of them have a score.
func Summarize(scores []Score, models, ranked []string) []Summary {
	_, acc, auc := Table(scores, models)
	reported := map[string]bool{}
	for _, s := range scores {
		if s.Reported {
			reported[s.Model] = true
		}
	}
	var rankRows [][]float64
	var rankCols []int
	for _, m := range ranked {
		if c := slices.Index(models, m); c >= 0 {
			rankCols = append(rankCols, c)
		}
	}
	for _, row := range acc {
		var r []float64
		for _, c := range rankCols {
			r = append(r, row[c])
		}
		if !slices.ContainsFunc(r, math.IsNaN) {
			rankRows = append(rankRows, r)
		}
	}
	ranks := Ranks(rankRows)
	out := make([]Summary, len(models))
	for c, m := range models {
		var a, u []float64
		for r := range acc {
			if !math.IsNaN(acc[r][c]) {
				a = append(a, acc[r][c])
			}
			if !math.IsNaN(auc[r][c]) {
				u = append(u, auc[r][c])
			}
		}
		s := Summary{Model: m, Datasets: len(a), MeanAccuracy: math.NaN(), SEM: math.NaN(), MeanRank: math.NaN(), MeanAUC: math.NaN(), Reported: reported[m]}
		if len(a) > 0 {
			s.MeanAccuracy = stat.Mean(a, nil)
		}
		if len(a) > 1 {
			s.SEM = stat.StdDev(a, nil) / math.Sqrt(float64(len(a)))
		}
		if len(u) > 0 {
			s.MeanAUC = stat.Mean(u, nil)
		}
		if k := slices.Index(rankCols, c); k >= 0 && len(ranks) > 0 {
			sum := 0.0
			for _, r := range ranks {
				sum += r[k]
			}
			s.MeanRank = sum / float64(len(ranks))
		}
		out[c] = s
	}
	return out
}

// Paired is a paired comparison of two models' accuracies over the data
// sets both have: the mean difference a − b, a two-sided paired t-test, and
// the number of data sets where a is better, worse and tied.
type Paired struct {
	A, B               string
	Datasets           int
	MeanDiff, T, P     float64
	Wins, Losses, Ties int
}

// Compare returns the paired comparison of models a and b.
func Compare(scores []Score, a, b string) (Paired, error) {
	_, acc, _ := Table(scores, []string{a, b})
	p := Paired{A: a, B: b}
	var d []float64
	for _, row := range acc {
		if math.IsNaN(row[0]) || math.IsNaN(row[1]) {
			continue
		}
		diff := row[0] - row[1]
		d = append(d, diff)
		switch {
		case diff > 0:
			p.Wins++
		case diff < 0:
			p.Losses++
		default:
			p.Ties++
		}
	}
	p.Datasets = len(d)
	if len(d) < 2 {
		return p, errors.New("benchmark: a paired comparison needs two or more data sets with both scores")
	}
	mean, sd := stat.MeanStdDev(d, nil)
	p.MeanDiff = mean
	if sd == 0 {
		p.T, p.P = math.NaN(), math.NaN()
		return p, nil
	}
	p.T = mean / (sd / math.Sqrt(float64(len(d))))
	dist := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(len(d) - 1)}
	p.P = 2 * dist.Survival(math.Abs(p.T))
	return p, nil
}

// PaperNames maps the column names of the paper's result files
// (mean_performance.csv) to the model names used here.
var PaperNames = map[string]string{"Logistic Regression": "LR", "SVM": "SVM", "XGBoost": "XGB", "TabPFN": "TabPFN",
	"ERMI": "ERMI", "ERMI (PFN-matched)": "ERMI (PFN-matched)"}

// ReadPaperResults reads the paper's per-data-set accuracies
// (mean_performance.csv: one row per OpenML task id, one column per
// method) as result[taskID][model].
func ReadPaperResults(path string) (map[int]map[string]float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("benchmark: %w", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("benchmark: %s: %w", path, err)
	}
	if len(rows) < 2 {
		return nil, fmt.Errorf("benchmark: %s: no results", path)
	}
	out := map[int]map[string]float64{}
	for i, r := range rows[1:] {
		id, err := strconv.Atoi(r[0])
		if err != nil {
			return nil, fmt.Errorf("benchmark: %s:%d: task id %q", path, i+2, r[0])
		}
		out[id] = map[string]float64{}
		for j, name := range rows[0][1:] {
			v, err := strconv.ParseFloat(r[j+1], 64)
			if err != nil {
				return nil, fmt.Errorf("benchmark: %s:%d: field %q: %w", path, i+2, name, err)
			}
			if n, ok := PaperNames[name]; ok {
				name = n
			}
			out[id][name] = v
		}
	}
	return out, nil
}

// ReportedScores returns the paper's accuracy of model on each data set of
// ds that it reports (read with ReadPaperResults), marked Reported; the
// paper gives no per-data-set AUC, so AUC is NaN.
func ReportedScores(paper map[int]map[string]float64, ds []Dataset, model string) []Score {
	var out []Score
	for _, d := range ds {
		if v, ok := paper[d.TaskID][model]; ok {
			out = append(out, Score{TaskID: d.TaskID, Dataset: d.Name, Model: model, Accuracy: v, AUC: math.NaN(), Reported: true})
		}
	}
	return out
}
