package web

import (
	"fmt"
	"strings"

	"haven/internal/evaluate"
)

// funnelChart is a funnel plot of each Practice's completion rate against
// every Practice together, drawn as SVG on the server, with its table.
type funnelChart struct {
	Pooled string // the pooled rate, as text
	Points []funnelPoint
	Left   []string // Practices not plotted, because a count is hidden
	// SVG geometry: the chart is drawn in a 600 × 320 box and scales down.
	Band95, Band998 string // polygons of the limits
	PooledY         float64
	Ticks           []funnelTick
}

type funnelPoint struct {
	Name      string
	Completed int
	Ended     int
	Rate      string
	Position  string
	X, Y      float64
}

type funnelTick struct {
	Label string
	X, Y  float64
}

const (
	funnelW, funnelH      = 600.0, 320.0
	funnelLeft, funnelTop = 56.0, 16.0
	funnelRight           = 16.0
	funnelBottom          = 40.0
)

// completionFunnel plots rows' completion rates; nil when there is nothing
// to plot (no Practice with its counts shown, or no pooled rate).
func completionFunnel(rows []evaluate.OutcomeRow) *funnelChart {
	var pooled *evaluate.OutcomeRow
	var practices []evaluate.OutcomeRow
	for i := range rows {
		if rows[i].Key == evaluate.PooledKey {
			pooled = &rows[i]
		} else {
			practices = append(practices, rows[i])
		}
	}
	if pooled == nil || !pooled.Completed.Shown() || !pooled.Ended.Shown() || pooled.Ended.Value == 0 {
		return nil
	}
	p := float64(pooled.Completed.Value) / float64(pooled.Ended.Value)
	c := &funnelChart{}
	c.Pooled = pooled.CompletionRate()
	maxN := 10
	for _, r := range practices {
		if r.Completed.Shown() && r.Ended.Shown() && r.Ended.Value > 0 {
			maxN = max(maxN, r.Ended.Value)
		}
	}
	plotW, plotH := funnelW-funnelLeft-funnelRight, funnelH-funnelTop-funnelBottom
	x := func(n int) float64 { return funnelLeft + plotW*float64(n)/float64(maxN) }
	y := func(rate float64) float64 { return funnelTop + plotH*(1-rate) }
	for _, r := range practices {
		if !r.Completed.Shown() || !r.Ended.Shown() || r.Ended.Value == 0 {
			c.Left = append(c.Left, r.Name)
			continue
		}
		l, err := evaluate.FunnelLimits(p, r.Ended.Value)
		if err != nil {
			c.Left = append(c.Left, r.Name)
			continue
		}
		rate := r.CompletionRate()
		c.Points = append(c.Points, funnelPoint{Name: r.Name, Completed: r.Completed.Value, Ended: r.Ended.Value, Rate: rate,
			Position: l.Place(r.Completed.Value).String(), X: x(r.Ended.Value), Y: y(float64(r.Completed.Value) / float64(r.Ended.Value))})
	}
	if len(c.Points) == 0 {
		return nil
	}
	curve, err := evaluate.FunnelCurve(p, 1, maxN, 40)
	if err != nil {
		return nil
	}
	band := func(lo, hi func(evaluate.Limits) float64) string {
		var b strings.Builder
		for _, l := range curve {
			fmt.Fprintf(&b, "%.1f,%.1f ", x(l.N), y(hi(l)))
		}
		for i := len(curve) - 1; i >= 0; i-- {
			fmt.Fprintf(&b, "%.1f,%.1f ", x(curve[i].N), y(lo(curve[i])))
		}
		return strings.TrimSpace(b.String())
	}
	c.Band998 = band(func(l evaluate.Limits) float64 { return l.Lower998 }, func(l evaluate.Limits) float64 { return l.Upper998 })
	c.Band95 = band(func(l evaluate.Limits) float64 { return l.Lower95 }, func(l evaluate.Limits) float64 { return l.Upper95 })
	c.PooledY = y(p)
	for _, v := range []int{0, 25, 50, 75, 100} {
		c.Ticks = append(c.Ticks, funnelTick{Label: fmt.Sprintf("%d%%", v), X: funnelLeft - 8, Y: y(float64(v) / 100)})
	}
	return c
}
