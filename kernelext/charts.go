package kernelext

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Series is one named line or set of bars. X, when set, gives this line
// its own x values instead of the chart's. Color (a CSS colour) replaces
// the palette's next one, and Dashed draws a line dashed: a model and the
// people it is compared with in one colour, say, the people dashed.
type Series struct {
	Name   string
	Values []float64
	X      []float64
	Color  string
	Dashed bool
}

// Palette is echarts' default series palette, for choosing Series.Color.
var Palette = []string{"#5470c6", "#91cc75", "#fac858", "#ee6666", "#73c0de", "#3ba272", "#fc8452", "#9a60b4", "#ea7ccc"}

// LineChart returns a line chart of the series over x, with axis names.
func LineChart(title, xName, yName string, x []float64, series ...Series) *charts.Line {
	c := charts.NewLine()
	c.SetGlobalOptions(
		charts.WithTitleOpts(opts.Title{Title: title}),
		charts.WithInitializationOpts(opts.Initialization{Width: "760px", Height: "380px"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "bottom"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithXAxisOpts(opts.XAxis{Name: xName, Type: "value"}),
		charts.WithYAxisOpts(opts.YAxis{Name: yName, Type: "value", Scale: opts.Bool(true)}),
	)
	for _, s := range series {
		xs := x
		if s.X != nil {
			xs = s.X
		}
		data := make([]opts.LineData, 0, len(s.Values))
		for i, v := range s.Values {
			if i < len(xs) {
				data = append(data, opts.LineData{Value: []any{xs[i], v}})
			}
		}
		style := opts.LineStyle{Color: s.Color}
		if s.Dashed {
			style.Type = "dashed"
		}
		c.AddSeries(s.Name, data, charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(len(data) < 40)}),
			charts.WithLineStyleOpts(style), charts.WithItemStyleOpts(opts.ItemStyle{Color: s.Color}))
	}
	return c
}

// BarChart returns a bar chart of the series over the categories. With
// more than eight categories every label is shown, slanted.
func BarChart(title, yName string, categories []string, series ...Series) *charts.Bar {
	c := charts.NewBar()
	height := "380px"
	if len(categories) > 8 {
		height = "520px"
		c.SetGlobalOptions(
			charts.WithXAxisOpts(opts.XAxis{AxisLabel: &opts.AxisLabel{Interval: "0", Rotate: 40}}),
			charts.WithGridOpts(opts.Grid{Bottom: "180px"}),
		)
	}
	c.SetGlobalOptions(
		charts.WithTitleOpts(opts.Title{Title: title}),
		charts.WithInitializationOpts(opts.Initialization{Width: "760px", Height: height}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "bottom"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true)}),
		charts.WithYAxisOpts(opts.YAxis{Name: yName, Scale: opts.Bool(true)}),
	)
	c.SetXAxis(categories)
	for _, s := range series {
		data := make([]opts.BarData, len(s.Values))
		for i, v := range s.Values {
			data[i] = opts.BarData{Value: v}
		}
		c.AddSeries(s.Name, data, charts.WithItemStyleOpts(opts.ItemStyle{Color: s.Color}))
	}
	return c
}

// Root returns the project's checkout: the first directory at or above
// the notebook's (GoNB's GONB_DIR, else the working directory) whose go.mod
// declares the module github.com/ermi-go/ermi.
func Root() (string, error) {
	dir := os.Getenv("GONB_DIR")
	if dir == "" {
		var err error
		if dir, err = os.Getwd(); err != nil {
			return "", fmt.Errorf("kernelext: %w", err)
		}
	}
	for d := dir; ; d = filepath.Dir(d) {
		raw, err := os.ReadFile(filepath.Join(d, "go.mod"))
		if err == nil && strings.Contains(string(raw), "module github.com/ermi-go/ermi\n") {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", errors.New("kernelext: no checkout of github.com/ermi-go/ermi at or above " + dir)
		}
	}
}
