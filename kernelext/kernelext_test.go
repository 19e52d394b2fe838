package kernelext

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

func TestEChartsScriptSetsTheGlobal(t *testing.T) {
	s := EChartsScript()
	if len(s) < 500_000 || !strings.Contains(s, "(function(define, exports, module){") || !strings.HasSuffix(s, "}).call(window);\n</script>") {
		t.Fatalf("script of %d bytes is not the wrapped library", len(s))
	}
	// The library's own text must not end the script element early.
	if strings.Count(s, "</script") != 1 {
		t.Error("the embedded library closes the script element")
	}
}

func TestChartHTML(t *testing.T) {
	line := charts.NewLine()
	line.SetGlobalOptions(charts.WithTitleOpts(opts.Title{Title: "loss"}))
	line.SetXAxis([]int{1, 2, 3}).AddSeries("train", []opts.LineData{{Value: 0.69}, {Value: 0.5}, {Value: 0.3}})
	h, err := ChartHTML(line)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<div class="container">`, "window.echarts.init(el", `"loss"`, "0.69", "LoadECharts"} {
		if !strings.Contains(h, want) {
			t.Errorf("chart HTML lacks %q:\n%s", want, h)
		}
	}
	if strings.Contains(h, "cdn") || strings.Contains(h, "https://") {
		t.Error("the chart loads something from the network")
	}
}

func TestTableHTMLEscapes(t *testing.T) {
	h := TableHTML([]string{"model", "<b>"}, [][]string{{"GCM", "a&b"}})
	if !strings.Contains(h, "&lt;b&gt;") || !strings.Contains(h, "a&amp;b") || strings.Count(h, "<tr>") != 2 {
		t.Errorf("table: %s", h)
	}
}

func TestProgress(t *testing.T) {
	p := NewProgress("fit", 4)
	p.Update(1, "participant 1")
	if h := p.HTML("x"); !strings.Contains(h, `value="1" max="4"`) || !strings.Contains(h, "(25%)") {
		t.Errorf("progress: %s", h)
	}
	p.Write([]byte("line a\nline b\n"))
	if h := p.HTML(""); !strings.Contains(h, "3/4") {
		t.Errorf("after two lines: %s", h)
	}
}

func TestHelpers(t *testing.T) {
	line := LineChart("loss", "step", "loss", []float64{1, 2}, Series{Name: "train", Values: []float64{0.7, 0.6}})
	bar := BarChart("BIC", "BIC", []string{"GCM", "PM"}, Series{Name: "summed", Values: []float64{1, 2}})
	for _, c := range []Snippeter{line, bar} {
		if _, err := ChartHTML(c); err != nil {
			t.Error(err)
		}
	}
	root, err := Root()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "kernelext", "kernelext.go")); err != nil {
		t.Errorf("Root() = %s: %v", root, err)
	}
}

func TestProgressDone(t *testing.T) {
	p := NewProgress("fit", 10)
	p.Update(3, "")
	p.Done("done")
	if h := p.HTML(""); !strings.Contains(h, "10/10") {
		t.Errorf("after Done: %s", h)
	}
}
