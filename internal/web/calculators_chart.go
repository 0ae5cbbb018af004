package web

import (
	"strconv"

	"haven/internal/calculator"
)

// calcChart is a calculator's cumulative cost against cumulative savings by
// year, drawn as SVG on the server, with its table. The two lines differ in
// dash and marker shape as well as colour, and the legend names them, so
// the chart reads in black and white. The viewBox is small, so the 18-unit
// text stays about 13 px tall at 320 px.
type calcChart struct {
	ID           string // prefix for the title and desc ids
	Title, Desc  string
	A, B         calcSeries // A is the cost, B the savings
	YTicks       []calcTick
	XTicks       []calcTick
	ZeroY        float64
	Left, Right  float64
	Top, Bottom  float64
	Rows         []calcChartRow
	AName, BName string
	Caption      string
}

type calcSeries struct {
	Name   string
	Points string // the polyline
	Marks  []calcMark
}

// calcMark is a point; SX and SY are the corner of its square marker.
type calcMark struct{ X, Y, SX, SY float64 }

type calcTick struct {
	Label string
	X, Y  float64
}

type calcChartRow struct {
	Year int
	A, B money
}

const (
	calcChartW, calcChartH = 400.0, 300.0
	calcChartLeft          = 72.0
	calcChartRight         = 16.0
	calcChartTop           = 16.0
	calcChartBottom        = 52.0
)

// newCalcChart lays out two cumulative series, one value a year; each starts
// from £0 at the start. Positions are scaled from exact pence; only the
// pixel coordinates are floats.
func newCalcChart(id, title, desc, caption, aName, bName string, a, b []int64) *calcChart {
	c := &calcChart{ID: id, Title: title, Desc: desc, Caption: caption, AName: aName, BName: bName,
		Left: calcChartLeft, Right: calcChartW - calcChartRight, Top: calcChartTop, Bottom: calcChartH - calcChartBottom}
	lo, hi := int64(0), int64(0)
	for i := range a {
		lo, hi = min(lo, a[i], b[i]), max(hi, a[i], b[i])
		c.Rows = append(c.Rows, calcChartRow{Year: i + 1, A: pounds(a[i]), B: pounds(b[i])})
	}
	step := niceStep((hi - lo) / 4)
	lo, hi = floorTo(lo, step), ceilTo(hi, step)
	if hi == lo {
		hi = lo + step
	}
	years := len(a)
	x := func(t int) float64 { return c.Left + (c.Right-c.Left)*float64(t)/float64(years) }
	y := func(p int64) float64 { return c.Bottom - (c.Bottom-c.Top)*float64(p-lo)/float64(hi-lo) }
	for v := lo; v <= hi; v += step {
		c.YTicks = append(c.YTicks, calcTick{Label: compactPounds(v), X: c.Left - 6, Y: y(v)})
	}
	every := (years + 7) / 8
	for t := 0; t <= years; t += every {
		c.XTicks = append(c.XTicks, calcTick{Label: strconv.Itoa(t), X: x(t), Y: c.Bottom + 20})
	}
	c.ZeroY = y(0)
	line := func(name string, vs []int64) calcSeries {
		s := calcSeries{Name: name}
		pts := []calcMark{{X: x(0), Y: y(0)}}
		for i, v := range vs {
			pts = append(pts, calcMark{X: x(i + 1), Y: y(v), SX: x(i+1) - 5, SY: y(v) - 5})
		}
		for i, p := range pts {
			if i > 0 {
				s.Points += " "
			}
			s.Points += strconv.FormatFloat(p.X, 'f', 1, 64) + "," + strconv.FormatFloat(p.Y, 'f', 1, 64)
		}
		s.Marks = pts[1:]
		return s
	}
	c.A, c.B = line(aName, a), line(bName, b)
	return c
}

// niceStep is the smallest 1, 2 or 5 × 10^k pence at or above p, and at least £1.
func niceStep(p int64) int64 {
	if p < 100 {
		return 100
	}
	base := int64(1)
	for base*10 <= p {
		base *= 10
	}
	for _, m := range []int64{1, 2, 5, 10} {
		if base*m >= p {
			return base * m
		}
	}
	return base * 10
}

func floorTo(v, step int64) int64 {
	q := v / step
	if v%step != 0 && v < 0 {
		q--
	}
	return q * step
}

func ceilTo(v, step int64) int64 {
	q := v / step
	if v%step != 0 && v > 0 {
		q++
	}
	return q * step
}

// compactPounds writes an axis label short enough for a narrow chart:
// £1.2bn, £2.5m, £950k, £40. The exact figures are in the table beside the chart.
func compactPounds(p int64) string {
	sign := ""
	if p < 0 {
		sign, p = "-", -p
	}
	pounds := p / 100
	tenths := func(v, unit int64) string {
		t := (v*10 + unit/2) / unit
		s := strconv.FormatInt(t/10, 10)
		if t%10 != 0 {
			s += "." + strconv.FormatInt(t%10, 10)
		}
		return s
	}
	switch {
	case pounds >= 1_000_000_000:
		return sign + "£" + tenths(pounds, 1_000_000_000) + "bn"
	case pounds >= 1_000_000:
		return sign + "£" + tenths(pounds, 1_000_000) + "m"
	case pounds >= 1_000:
		return sign + "£" + tenths(pounds, 1_000) + "k"
	}
	return sign + "£" + strconv.FormatInt(pounds, 10)
}

func returnHomeChart(res calculator.ReturnHomeResult) *calcChart {
	var cost, saved []int64
	for _, y := range res.Years {
		cost = append(cost, y.Cumulative.SupportCostPence)
		saved = append(saved, y.Cumulative.AvoidedPence)
	}
	return newCalcChart("rh-chart", "Cumulative support cost and failed-return cost avoided, by year",
		"Two lines from £0 at the start: the solid line with circles is the support cost so far, the dashed line with squares the cost of failed returns avoided so far. The table beside the chart gives every figure.",
		"Cumulative support cost and cost avoided, by year",
		"Support cost so far", "Cost avoided so far", cost, saved)
}

func infantCareChart(res calculator.InfantCareResult) *calcChart {
	var cost, saved []int64
	for _, y := range res.Years {
		cost = append(cost, y.CumulativeCostPence)
		saved = append(saved, y.CumulativeSavingsPence)
	}
	return newCalcChart("ic-chart", "Cumulative cost of the service and savings, by year",
		"Two lines from £0 at the start: the solid line with circles is the service's cost so far, the dashed line with squares the savings so far. The table beside the chart gives every figure.",
		"Cumulative cost and savings, by year",
		"Cost so far", "Savings so far", cost, saved)
}
