package web

import (
	"fmt"
	"math"
	"strconv"
)

// The overview's histograms of pair similarities, as inline SVG drawn on
// the server: the template prints the geometry computed here, so the page
// needs no script and no inline style.

// svgChart is one histogram: two series side by side per bucket.
type svgChart struct {
	Title         string
	Width, Height float64
	// The plot area.
	X0, Y0, X1, Y1 float64
	Bars           []svgBar
	XTicks, YTicks []svgTick
	Threshold      *svgMarker
	Legend         []svgLegend
	Empty          bool
}

type svgBar struct {
	X, Y, W, H float64
	Class      string
	Tip        string
}

type svgTick struct {
	X, Y  float64
	Label string
}

type svgMarker struct {
	X, Y0, Y1 float64
	Label     string
	Anchor    string // text-anchor of the label
}

type svgLegend struct {
	X, Y  float64
	Class string
	Label string
}

// histogramChart lays out the histogram of two series (first, named by
// firstName: every verified pair when the imports counted them, else
// the stored pairs; then the variants) with a threshold marked at x = threshold (NaN: none). Heights
// are on a square-root scale, so that the few pairs near a threshold stay
// visible beside the many exact copies at 1.
func histogramChart(title, thresholdName string, threshold float64, firstName string, links, variants []int) svgChart {
	const (
		width, height            = 640.0, 280.0
		left, right, top, bottom = 52.0, 16.0, 50.0, 44.0
	)
	c := svgChart{Title: title, Width: width, Height: height, X0: left, Y0: top, X1: width - right, Y1: height - bottom}
	n := len(links)
	peak := 0
	for i := range n {
		peak = max(peak, links[i], variants[i])
	}
	c.Empty = peak == 0
	plotW, plotH := c.X1-c.X0, c.Y1-c.Y0
	bw := plotW / float64(n)
	barW := math.Max(1, (bw-3)/2)
	scale := func(count int) float64 {
		if peak == 0 {
			return 0
		}
		return plotH * math.Sqrt(float64(count)/float64(peak))
	}
	for i := range n {
		lo, hi := float64(i)/float64(n), float64(i+1)/float64(n)
		for k, s := range []struct {
			counts []int
			class  string
			what   string
		}{{links, "bar-links", firstName}, {variants, "bar-variants", "variants against their canonical"}} {
			cnt := s.counts[i]
			if cnt == 0 {
				continue
			}
			h := math.Max(1, scale(cnt))
			c.Bars = append(c.Bars, svgBar{
				X: r1(c.X0 + float64(i)*bw + 1 + float64(k)*(barW+1)), Y: r1(c.Y1 - h), W: r1(barW), H: r1(h),
				Class: s.class,
				Tip:   fmt.Sprintf("%s %.2f–%.2f: %d %s", title, lo, hi, cnt, s.what),
			})
		}
	}
	for i := 0; i <= 10; i += 2 {
		x := float64(i) / 10
		c.XTicks = append(c.XTicks, svgTick{X: r1(c.X0 + x*plotW), Y: c.Y1 + 18, Label: strconv.FormatFloat(x, 'f', 1, 64)})
	}
	if peak > 0 {
		seen := map[int]bool{}
		for _, f := range []float64{0, 1.0 / 16, 1.0 / 4, 1} {
			v := int(math.Round(f * float64(peak)))
			if seen[v] {
				continue
			}
			seen[v] = true
			c.YTicks = append(c.YTicks, svgTick{X: c.X0 - 6, Y: r1(c.Y1 - scale(v)), Label: strconv.Itoa(v)})
		}
	}
	if !math.IsNaN(threshold) && threshold >= 0 && threshold <= 1 {
		m := &svgMarker{X: r1(c.X0 + threshold*plotW), Y0: c.Y0 - 14, Y1: c.Y1,
			Label: fmt.Sprintf("%s %.2f", thresholdName, threshold), Anchor: "middle"}
		switch {
		case threshold < 0.15:
			m.Anchor = "start"
		case threshold > 0.85:
			m.Anchor = "end"
		}
		c.Threshold = m
	}
	// Each series is labelled with the sum of its bars, so that the
	// counts a reader adds up are the counts the page states.
	first := fmt.Sprintf("%s (%d)", firstName, sum(links))
	c.Legend = []svgLegend{
		{X: c.X0, Y: 4, Class: "bar-links", Label: first},
		// About 7 px a character at the legend's 12 px.
		{X: r1(c.X0 + 18 + 7*float64(len([]rune(first))) + 20), Y: 4, Class: "bar-variants", Label: fmt.Sprintf("variants vs canonical (%d)", sum(variants))},
	}
	return c
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}

// r1 rounds to a tenth of a pixel, to keep the SVG short.
func r1(x float64) float64 { return math.Round(x*10) / 10 }
