// Command chartcheck opens notebooks exported to HTML in a headless
// Chromium with the network off and fails unless every chart in them was
// drawn on a canvas; with -shots it also writes one screenshot per page,
// laid out to show one of its charts under the notebook's title.
//
//	chartcheck [-shots DIR] [-chart N] [-focus NAME=N,...] PAGE.html...
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/ermi-go/ermi/kernelext"
)

func main() {
	shots := flag.String("shots", "", "write `DIR`/NAME.png, a screenshot of each page laid out to show one chart")
	chart := flag.Int("chart", 0, "the chart (from 0, in page order) each screenshot shows")
	focus := flag.String("focus", "", "per-page charts for the screenshots, `NAME=N,...` (NAME: the page's file name without .html)")
	wait := flag.Duration("wait", 5*time.Second, "virtual time each page gets to load and draw")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: chartcheck [-shots DIR] [-chart N] [-focus NAME=N,...] PAGE.html...\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	charts, err := parseFocus(*focus)
	if err != nil {
		fmt.Fprintln(os.Stderr, "chartcheck: -focus:", err)
		os.Exit(2)
	}
	if err := run(*shots, *chart, charts, *wait, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "chartcheck:", err)
		os.Exit(1)
	}
}

// parseFocus reads NAME=N,... into a map from page name to chart.
func parseFocus(s string) (map[string]int, error) {
	m := map[string]int{}
	if s == "" {
		return m, nil
	}
	for _, kv := range strings.Split(s, ",") {
		name, n, ok := strings.Cut(kv, "=")
		k, err := strconv.Atoi(n)
		if !ok || name == "" || err != nil || k < 0 {
			return nil, fmt.Errorf("%q is not NAME=N with N a chart number from 0", kv)
		}
		m[name] = k
	}
	return m, nil
}

func run(shots string, chart int, focus map[string]int, wait time.Duration, pages []string) error {
	b, err := kernelext.FindBrowser()
	if err != nil {
		return err
	}
	b.Wait = wait
	ctx := context.Background()
	failed := 0
	for _, page := range pages {
		res, err := b.CheckCharts(ctx, page)
		if err != nil {
			return err
		}
		var inks []string
		for _, c := range res.Charts {
			inks = append(inks, fmt.Sprintf("%.1f%%", 100*c.Inked))
		}
		fmt.Printf("%s: %d of %d charts drawn (inked %s)\n", page, len(res.Charts)-len(res.Blank()), len(res.Charts), strings.Join(inks, ", "))
		if err := res.Err(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			failed++
			continue
		}
		if shots != "" {
			if err := os.MkdirAll(shots, 0o755); err != nil {
				return err
			}
			name := strings.TrimSuffix(filepath.Base(page), filepath.Ext(page))
			png := filepath.Join(shots, name+".png")
			k := chart
			if f, ok := focus[name]; ok {
				k = f
			}
			k = min(k, len(res.Charts)-1)
			if err := b.Screenshot(ctx, page, k, png); err != nil {
				return err
			}
			fmt.Printf("%s: screenshot of chart %d in %s\n", page, k, png)
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d pages have charts that were not drawn", failed, len(pages))
	}
	return nil
}
