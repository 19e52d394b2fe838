package kernelext

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// A Browser opens pages in a headless Chromium with the network off, to
// check that a notebook's exported HTML draws its charts (a canvas with
// pixels on it, not only an empty element) and to take screenshots.
type Browser struct {
	// Path is the Chromium or Chrome executable.
	Path string
	// Wait is the virtual time the page gets to load and draw before it is
	// read (charts animate in for about a second); 0 means 5 s.
	Wait time.Duration
	// Width and Height size the window; 0 means 1200 × 900.
	Width, Height int
}

// FindBrowser returns a Browser for the Chromium named by the CHROME
// environment variable, or else the first of chromium, chromium-browser,
// google-chrome and google-chrome-stable on PATH.
func FindBrowser() (*Browser, error) {
	if p := os.Getenv("CHROME"); p != "" {
		return &Browser{Path: p}, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return &Browser{Path: p}, nil
		}
	}
	return nil, errors.New("kernelext: no headless browser found: install Chromium (Debian: apt-get install chromium) or set CHROME")
}

// ChartDrawing is what a page showed for one chart element.
type ChartDrawing struct {
	// ID is the chart element's id.
	ID string `json:"id"`
	// Canvases is the number of canvas elements echarts made in it.
	Canvases int `json:"canvases"`
	// Inked is the fraction of the canvases' pixels that are not
	// transparent and not the page's white.
	Inked float64 `json:"inked"`
	// Text is the element's text when it has no canvas (the message a
	// chart shows when echarts never loaded, say).
	Text string `json:"text,omitempty"`
}

// Drawn reports whether the chart was drawn: a canvas with at least
// MinInk of its pixels inked (axes, labels and one series ink more than
// 1% of a chart).
func (d ChartDrawing) Drawn() bool { return d.Canvases > 0 && d.Inked >= MinInk }

// MinInk is the smallest inked fraction of a drawn chart.
const MinInk = 0.002

// PageCharts is what a page showed for all of its charts.
type PageCharts struct {
	// Page is the file that was opened.
	Page string
	// Charts lists the chart elements in the order of the page.
	Charts []ChartDrawing
}

// Blank returns the charts that were not drawn.
func (p PageCharts) Blank() []ChartDrawing {
	var blank []ChartDrawing
	for _, c := range p.Charts {
		if !c.Drawn() {
			blank = append(blank, c)
		}
	}
	return blank
}

// Err returns an error naming the page and its blank charts, or nil when
// the page has charts and every one was drawn.
func (p PageCharts) Err() error {
	if len(p.Charts) == 0 {
		return fmt.Errorf("kernelext: %s: no chart element in the page", p.Page)
	}
	blank := p.Blank()
	if len(blank) == 0 {
		return nil
	}
	var parts []string
	for _, c := range blank {
		s := fmt.Sprintf("%s (%d canvases, %.2f%% inked", c.ID, c.Canvases, 100*c.Inked)
		if c.Text != "" {
			s += fmt.Sprintf(", text %q", c.Text)
		}
		parts = append(parts, s+")")
	}
	return fmt.Errorf("kernelext: %s: %d of %d charts not drawn: %s", p.Page, len(blank), len(p.Charts), strings.Join(parts, "; "))
}

// probe is the script added to a copy of the page: once the page has had
// its time, it measures every go-echarts chart element (div.item inside
// div.container) and writes the result as JSON into a pre element.
// With focus ≥ 0 it lays the page out for a screenshot of that chart
// (headless Chromium's screenshots ignore scrolling).
const probe = `<script type="text/javascript">
window.addEventListener("load", function() { setTimeout(function() {
  var out = [];
  var items = document.querySelectorAll("div.container > div.item");
  items.forEach(function(el) {
    var r = {id: el.id, canvases: 0, inked: 0, text: ""};
    var total = 0, inked = 0;
    el.querySelectorAll("canvas").forEach(function(c) {
      r.canvases++;
      if (!c.width || !c.height) { return; }
      var d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
      total += c.width * c.height;
      for (var i = 0; i < d.length; i += 4) {
        if (d[i+3] > 16 && !(d[i] > 245 && d[i+1] > 245 && d[i+2] > 245)) { inked++; }
      }
    });
    if (total > 0) { r.inked = inked / total; }
    if (!r.canvases) { r.text = (el.textContent || "").trim().slice(0, 200); }
    out.push(r);
  });
  var k = %d;
  if (k >= 0 && k < items.length) {
    // Show chart k under the notebook's title: hide the cells before its
    // cell but the first and the nearest markdown cell, and its code.
    var cell = items[k].closest(".jp-Cell, .cell");
    if (cell) {
      var md = ".jp-MarkdownCell, .text_cell";
      var sibs = Array.prototype.slice.call(cell.parentNode.children);
      var at = sibs.indexOf(cell), keep = -1;
      for (var j = at - 1; j > 0; j--) { if (sibs[j].matches(md)) { keep = j; break; } }
      for (var j = 0; j < at; j++) {
        if (j !== keep && !(j === 0 && sibs[j].matches(md))) { sibs[j].style.display = "none"; }
      }
      cell.querySelectorAll(".jp-Cell-inputWrapper, .input").forEach(function(e) { e.style.display = "none"; });
    }
  }
  var pre = document.createElement("pre");
  pre.id = "kernelext-probe";
  pre.style.display = "none";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
}, %d); });
</script>`

var probeResult = regexp.MustCompile(`(?s)<pre id="kernelext-probe"[^>]*>(.*?)</pre>`)

// CheckCharts opens the HTML page at path and reports, for each chart
// element in it, whether echarts drew it. The page is opened from a copy
// beside it (so that its relative links still work) with the network off.
func (b *Browser) CheckCharts(ctx context.Context, path string) (PageCharts, error) {
	res := PageCharts{Page: path}
	out, err := b.open(ctx, path, -1, "--dump-dom")
	if err != nil {
		return res, err
	}
	m := probeResult.FindSubmatch(out)
	if m == nil {
		return res, fmt.Errorf("kernelext: %s: the page did not finish loading in %v of virtual time (no probe result in the DOM)", path, b.wait())
	}
	if err := json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &res.Charts); err != nil {
		return res, fmt.Errorf("kernelext: %s: probe result: %w", path, err)
	}
	return res, nil
}

// Screenshot writes a PNG of the window onto the page at path, laid out to
// show chart number chart (from 0, in page order) under the notebook's
// title: the cells between them are hidden but the nearest markdown cell,
// and so is the code of the chart's cell.
func (b *Browser) Screenshot(ctx context.Context, path string, chart int, png string) error {
	abs, err := filepath.Abs(png)
	if err != nil {
		return err
	}
	tmp := abs + ".tmp.png"
	if _, err := b.open(ctx, path, chart, "--screenshot="+tmp); err != nil {
		return err
	}
	if st, err := os.Stat(tmp); err != nil || st.Size() == 0 {
		os.Remove(tmp)
		return fmt.Errorf("kernelext: %s: the browser wrote no screenshot", path)
	}
	return os.Rename(tmp, abs)
}

func (b *Browser) wait() time.Duration {
	if b.Wait <= 0 {
		return 5 * time.Second
	}
	return b.Wait
}

// open loads a probed copy of the page and returns the browser's standard
// output.
func (b *Browser) open(ctx context.Context, path string, focus int, mode string) ([]byte, error) {
	page, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("kernelext: %w", err)
	}
	wait := b.wait()
	script := fmt.Sprintf(probe, focus, (wait - time.Second).Milliseconds())
	var probed []byte
	if i := bytes.LastIndex(page, []byte("</body>")); i >= 0 {
		probed = append(append(append([]byte{}, page[:i]...), script...), page[i:]...)
	} else {
		probed = append(append([]byte{}, page...), script...)
	}
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return nil, err
	}
	copyPath := filepath.Join(dir, ".probe-"+filepath.Base(path))
	if err := os.WriteFile(copyPath, probed, 0o644); err != nil {
		return nil, fmt.Errorf("kernelext: %w", err)
	}
	defer os.Remove(copyPath)
	profile, err := os.MkdirTemp("", "kernelext-chromium-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(profile)
	w, h := b.Width, b.Height
	if w <= 0 || h <= 0 {
		w, h = 1200, 900
	}
	args := []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--hide-scrollbars", "--allow-file-access-from-files",
		// The network is off: every host name fails to resolve.
		"--host-resolver-rules=MAP * ~NOTFOUND",
		"--user-data-dir=" + profile,
		fmt.Sprintf("--virtual-time-budget=%d", wait.Milliseconds()),
		fmt.Sprintf("--window-size=%d,%d", w, h),
		mode, "file://" + copyPath,
	}
	ctx, cancel := context.WithTimeout(ctx, wait+90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, b.Path, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Dir = profile
	out, err := cmd.Output()
	if err != nil {
		tail := stderr.String()
		if len(tail) > 2000 {
			tail = tail[len(tail)-2000:]
		}
		return nil, fmt.Errorf("kernelext: %s: %s: %w\n%s", path, b.Path, err, tail)
	}
	return out, nil
}
