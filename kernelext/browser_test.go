package kernelext

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// browser returns the headless browser, or skips the test where none is
// installed (make test installs Debian's chromium and sets
// KERNELEXT_BROWSER_TEST=required, so there the test cannot skip).
func browser(t *testing.T) *Browser {
	t.Helper()
	b, err := FindBrowser()
	if err != nil {
		if os.Getenv("KERNELEXT_BROWSER_TEST") == "required" || os.Getenv("CHROME") != "" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	return b
}

func TestCheckCharts(t *testing.T) {
	b := browser(t)
	chart, err := ChartHTML(LineChart("loss", "step", "loss", []float64{1, 2, 3, 4}, Series{Name: "train", Values: []float64{0.7, 0.5, 0.4, 0.3}}))
	if err != nil {
		t.Fatal(err)
	}
	page := func(head string) string {
		return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>" + head + chart + "</body></html>"
	}
	tests := []struct {
		name  string
		html  string
		drawn bool
	}{
		{"embedded library", page(EChartsScript()), true},
		{"no library", page(""), false},
		// What go-echarts writes by default: the library from a CDN, which
		// the check cannot reach (its network is off).
		{"library from a CDN", page(`<script src="https://go-echarts.github.io/go-echarts-assets/assets/echarts.min.js"></script>`), false},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-")+".html")
			if err := os.WriteFile(path, []byte(tt.html), 0o644); err != nil {
				t.Fatal(err)
			}
			res, err := b.CheckCharts(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Charts) != 1 {
				t.Fatalf("found %d charts, want 1: %+v", len(res.Charts), res.Charts)
			}
			c := res.Charts[0]
			if c.Drawn() != tt.drawn || (res.Err() == nil) != tt.drawn {
				t.Errorf("chart %+v: drawn %v, want %v (error %v)", c, c.Drawn(), tt.drawn, res.Err())
			}
			if !tt.drawn && !strings.Contains(res.Err().Error(), path) {
				t.Errorf("the error does not name the page: %v", res.Err())
			}
		})
	}
	t.Run("screenshot", func(t *testing.T) {
		path := filepath.Join(dir, "embedded-library.html")
		png := filepath.Join(dir, "shot.png")
		if err := b.Screenshot(context.Background(), path, 0, png); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(png)
		if err != nil || len(data) < 1000 || string(data[1:4]) != "PNG" {
			t.Errorf("screenshot of %d bytes: %v", len(data), err)
		}
	})
}

func TestPageChartsErr(t *testing.T) {
	if err := (PageCharts{Page: "a.html"}).Err(); err == nil || !strings.Contains(err.Error(), "no chart") {
		t.Errorf("a page without charts: %v", err)
	}
	p := PageCharts{Page: "a.html", Charts: []ChartDrawing{{ID: "x", Canvases: 1, Inked: 0.05}, {ID: "y", Text: "echarts is not loaded"}}}
	err := p.Err()
	if err == nil || !strings.Contains(err.Error(), "1 of 2 charts not drawn: y") || !strings.Contains(err.Error(), "not loaded") {
		t.Errorf("one blank chart: %v", err)
	}
}
