package views

import (
	"fmt"
	"strings"
)

// The monitoring charts: laid out here from the numbers the handler gives, drawn as SVG by
// summary.templ (no script), each with a text alternative and its numbers in a table.

// ProgressChart is the campaign's progress in the viewer's scope, day by day: PNS who sent and
// whose submission finished, cumulative, against the number in the master data and the deadline.
type ProgressChart struct {
	Days          []ProgressPoint
	Target        int    // PNS in the master data: the line both should reach
	TargetShown   string // Target written the Indonesian way
	Deadline      int    // index in Days of the filling window's last day; -1 when none is set or it is outside the chart
	DeadlineShown string // that day in words
	Text          string // the chart's text alternative
}

// ProgressPoint is one day of the chart, with its numbers for people.
type ProgressPoint struct {
	Label                    string // "30 Nov"
	SentTotal, FinishedTotal int
	Sent, Finished           string // the day's net change, written for people
	SentTotalShown           string
	FinishedTotalShown       string
}

// VerifierChart is one verifier's decisions per day over the last days.
type VerifierChart struct {
	Name, Role string
	Days       []VerifierDay
	Total      string // decisions over the days shown
}

// VerifierDay is one day of a verifier's chart.
type VerifierDay struct {
	Label string
	Count int
}

// chart geometry: a 320 × 200 drawing; the plot from x 40 to 312 and y 12 to 168.
const (
	plotLeft, plotRight = 40, 312
	plotTop, plotBottom = 12, 168
)

func (p ProgressChart) top() int { // the y axis runs to the larger of the target and the totals
	top := max(p.Target, 1)
	for _, d := range p.Days {
		top = max(top, d.SentTotal, d.FinishedTotal)
	}
	return top
}

func (p ProgressChart) x(i int) int {
	if len(p.Days) < 2 {
		return (plotLeft + plotRight) / 2
	}
	return plotLeft + i*(plotRight-plotLeft)/(len(p.Days)-1)
}

func (p ProgressChart) y(v int) int { return plotBottom - v*(plotBottom-plotTop)/p.top() }

// line is the polyline of one series' totals.
func (p ProgressChart) line(total func(ProgressPoint) int) string {
	pts := make([]string, len(p.Days))
	for i, d := range p.Days {
		pts[i] = fmt.Sprintf("%d,%d", p.x(i), p.y(total(d)))
	}
	return strings.Join(pts, " ")
}

func (p ProgressChart) sentLine() string {
	return p.line(func(d ProgressPoint) int { return d.SentTotal })
}

func (p ProgressChart) finishedLine() string {
	return p.line(func(d ProgressPoint) int { return d.FinishedTotal })
}

// verifierBar is one bar of a verifier's small chart: x and height in a 280 × 40 drawing.
type verifierBar struct {
	X, Y, H int
	Title   string
}

func verifierBars(days []VerifierDay) []verifierBar {
	top := 1
	for _, d := range days {
		top = max(top, d.Count)
	}
	out := make([]verifierBar, len(days))
	w := 280 / max(len(days), 1)
	for i, d := range days {
		h := d.Count * 36 / top
		out[i] = verifierBar{X: i * w, Y: 38 - h, H: h, Title: fmt.Sprintf("%s: %d", d.Label, d.Count)}
	}
	return out
}

func verifierBarWidth(days []VerifierDay) int { return max(280/max(len(days), 1)-2, 1) }

// verifierText is a verifier chart's text alternative.
func verifierText(v VerifierChart) string {
	parts := make([]string, 0, len(v.Days))
	for _, d := range v.Days {
		if d.Count > 0 {
			parts = append(parts, fmt.Sprintf("%s: %d", d.Label, d.Count))
		}
	}
	if len(parts) == 0 {
		return v.Name + ": belum ada keputusan pada hari-hari ini."
	}
	return v.Name + ", keputusan per hari: " + strings.Join(parts, "; ") + "."
}
