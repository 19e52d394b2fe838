// Package kernelext shows the project's results in GoNB notebooks: go-echarts
// charts drawn inline by an embedded copy of echarts (no network, also in a
// notebook exported to HTML), HTML tables, and progress bars that update in
// place. Outside a notebook (a test, a program run from the shell) the
// Display functions do nothing and the …HTML functions still return the HTML.
//
// Use, in a notebook's first cell and then in any cell:
//
//	kernelext.LoadECharts()
//	line := charts.NewLine() // a go-echarts chart
//	…
//	kernelext.Chart(line)
//	kernelext.Table([]string{"model", "BIC"}, rows)
//	p := kernelext.NewProgress("fitting", 95)
//	p.Update(10, "participant 10")
package kernelext

import (
	_ "embed"
	"fmt"
	"html"
	"regexp"
	"strings"

	"github.com/go-echarts/go-echarts/v2/render"
	"github.com/janpfeifer/gonb/gonbui"
)

// EChartsVersion is the version of the embedded echarts (go-echarts v2
// draws with echarts 5; assets/fetch.sh fetched it from npm).
const EChartsVersion = "5.6.0"

//go:embed assets/echarts.min.js
var echartsJS string

// InNotebook reports whether the program runs in a GoNB cell.
func InNotebook() bool { return gonbui.IsNotebook }

// EChartsScript returns a script element that defines window.echarts from
// the embedded library. The library is wrapped so that it sets the global
// even where require.js is loaded (the classic Notebook, nbconvert's HTML),
// which would otherwise take it as an AMD module and leave echarts
// undefined.
func EChartsScript() string {
	return "<script type=\"text/javascript\">/* echarts " + EChartsVersion + ", Apache-2.0 */\n" +
		"(function(define, exports, module){\n" + strings.ReplaceAll(echartsJS, "</script", "<\\/script") +
		"\n}).call(window);\n</script>"
}

// LoadECharts displays EChartsScript: call it once per notebook, in a cell
// before the first chart (each GoNB cell is a program of its own, so the
// package cannot remember that it did).
func LoadECharts() { display(EChartsScript()) }

// display shows HTML in the cell and waits until the kernel has it: a
// cell's program may end right after, and a message still in the pipe
// (the 1 MB library, a chart) would be lost.
func display(h string) {
	gonbui.DisplayHTML(h)
	if gonbui.IsNotebook {
		gonbui.Sync()
	}
}

// Snippeter is a chart that renders as an element and its options:
// every go-echarts chart.
type Snippeter interface {
	RenderSnippet() render.ChartSnippet
}

var idPattern = regexp.MustCompile(`id="([^"]+)"`)

// ChartHTML returns a chart's element and a script that draws it on a
// canvas once window.echarts is defined, retrying for up to 10 s (a
// notebook may show the cell before the library's cell has run).
func ChartHTML(c Snippeter) (string, error) {
	s := c.RenderSnippet()
	m := idPattern.FindStringSubmatch(s.Element)
	if m == nil {
		return "", fmt.Errorf("kernelext: the chart's element has no id: %q", s.Element)
	}
	id := m[1]
	script := fmt.Sprintf(`<script type="text/javascript">
(function(){
  var tries = 0;
  function draw() {
    var el = document.getElementById(%q);
    if (!window.echarts || !el) {
      if (++tries < 200) { setTimeout(draw, 50); }
      else if (el) { el.innerHTML = "echarts is not loaded: run kernelext.LoadECharts() in an earlier cell"; }
      return;
    }
    var chart = window.echarts.init(el, null, {renderer: "canvas"});
    chart.setOption(%s);
  }
  draw();
})();
</script>`, id, s.Option)
	return s.Element + "\n" + script, nil
}

// Chart displays a chart inline.
func Chart(c Snippeter) error {
	h, err := ChartHTML(c)
	if err != nil {
		return err
	}
	display(h)
	return nil
}

// TableHTML returns an HTML table of the rows under the header, every cell
// escaped.
func TableHTML(header []string, rows [][]string) string {
	var b strings.Builder
	b.WriteString(`<table style="border-collapse:collapse">` + "\n<thead><tr>")
	for _, h := range header {
		fmt.Fprintf(&b, `<th style="text-align:left;padding:2px 10px;border-bottom:1px solid #999">%s</th>`, html.EscapeString(h))
	}
	b.WriteString("</tr></thead>\n<tbody>\n")
	for _, r := range rows {
		b.WriteString("<tr>")
		for _, c := range r {
			fmt.Fprintf(&b, `<td style="padding:2px 10px">%s</td>`, html.EscapeString(c))
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</tbody></table>")
	return b.String()
}

// Table displays an HTML table.
func Table(header []string, rows [][]string) { display(TableHTML(header, rows)) }

// Progress is a progress bar shown in a notebook cell and redrawn in place.
// It is also an io.Writer: each line written replaces its note, so it can
// take the progress lines of the project's long jobs.
type Progress struct {
	id    string
	label string
	total int
	done  int
}

// NewProgress displays a progress bar for total steps.
func NewProgress(label string, total int) *Progress {
	p := &Progress{id: "kernelext-progress-" + gonbui.UniqueID(), label: label, total: total}
	gonbui.UpdateHTML(p.id, p.HTML(""))
	return p
}

// HTML returns the bar's HTML with a note beside it.
func (p *Progress) HTML(note string) string {
	frac := 0.0
	if p.total > 0 {
		frac = min(1, max(0, float64(p.done)/float64(p.total)))
	}
	return fmt.Sprintf(`<div style="font-family:monospace">%s <progress value="%d" max="%d" style="width:240px"></progress> %d/%d (%.0f%%) %s</div>`,
		html.EscapeString(p.label), p.done, max(p.total, 1), p.done, p.total, 100*frac, html.EscapeString(note))
}

// Update redraws the bar at done steps with a note.
func (p *Progress) Update(done int, note string) {
	p.done = done
	gonbui.UpdateHTML(p.id, p.HTML(note))
}

// Write shows the last non-empty line of b as the note, counting one step
// per line.
func (p *Progress) Write(b []byte) (int, error) {
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	note := lines[len(lines)-1]
	done := p.done + len(lines)
	if p.total > 0 {
		done = min(done, p.total)
	}
	p.Update(done, note)
	return len(b), nil
}

// Done fills the bar and shows a final note.
func (p *Progress) Done(note string) {
	p.Update(max(p.total, p.done), note)
}
