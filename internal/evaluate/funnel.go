package evaluate

// This file is the control limits of a funnel plot of proportions: each
// Practice's completion rate (completed ÷ enrolled) plotted against its
// number enrolled, around the pooled rate of all Practices (issue 17 item 9).
//
// Reference: D. J. Spiegelhalter, "Funnel plots for comparing institutional
// performance", Statistics in Medicine 24:1185–1202 (2005). For a proportion
// with target p, a unit of size n has standard error √(p(1 − p)/n), and the
// limits are p ± z·SE with z the normal percentile for the coverage: 95%
// (z = 1.96, "2 sigma") and 99.8% (z = 3.09, "3 sigma").
//
// The choice: the normal approximation, without continuity correction.
// Spiegelhalter also gives exact binomial limits with interpolation, which
// are better for very small units; they are not done here because (a) the
// approximation is what readers of NHS and PHE funnel plots know, (b) it
// gives smooth curves to draw, and (c) where it is rough — fewer than 5
// expected on either side, n·p < 5 or n·(1 − p) < 5 — Limits says so
// (Rough), so a page can say the limits there are approximate. Limits are
// clipped to [0, 1], since no rate lies outside it.

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// z999 is the 99.9th percentile of the standard normal (3.090232…): the
// two-sided 99.8% limits.
var z999 = distuv.UnitNormal.Quantile(0.999)

// Limits are the funnel's control limits at one denominator.
type Limits struct {
	N                  int     // denominator
	Target             float64 // the pooled proportion p
	Lower95, Upper95   float64 // p ± 1.96·√(p(1 − p)/n), clipped to [0, 1]
	Lower998, Upper998 float64 // p ± 3.09·√(p(1 − p)/n), clipped to [0, 1]
	Rough              bool    // n·p < 5 or n·(1 − p) < 5: the normal approximation is rough here
}

// FunnelLimits is the limits around target p for a unit of n. It refuses p
// outside [0, 1] (or not a number) and n below 1.
func FunnelLimits(p float64, n int) (Limits, error) {
	if !(p >= 0 && p <= 1) {
		return Limits{}, fmt.Errorf("pooled proportion %v: must be from 0 to 1", p)
	}
	if n < 1 {
		return Limits{}, fmt.Errorf("denominator %d: must be 1 or more", n)
	}
	nf := float64(n)
	se := math.Sqrt(p * (1 - p) / nf)
	clip := func(x float64) float64 { return min(1, max(0, x)) }
	return Limits{
		N:        n,
		Target:   p,
		Lower95:  clip(p - z975*se),
		Upper95:  clip(p + z975*se),
		Lower998: clip(p - z999*se),
		Upper998: clip(p + z999*se),
		Rough:    nf*p < 5 || nf*(1-p) < 5,
	}, nil
}

// FunnelCurve is the limits at up to points denominators from lo to hi
// (both included), for drawing the funnel. The denominators are spread
// evenly on a log scale, since the limits change fastest at small n; when
// the range holds no more than points whole numbers, every one is used.
func FunnelCurve(p float64, lo, hi, points int) ([]Limits, error) {
	switch {
	case lo < 1 || hi < lo:
		return nil, fmt.Errorf("denominators %d to %d: need 1 ≤ from ≤ to", lo, hi)
	case points < 2:
		return nil, fmt.Errorf("points %d: need at least 2", points)
	}
	var ns []int
	if hi-lo+1 <= points {
		for n := lo; n <= hi; n++ {
			ns = append(ns, n)
		}
	} else {
		ratio := math.Log(float64(hi) / float64(lo))
		for i := range points {
			n := int(math.Round(float64(lo) * math.Exp(ratio*float64(i)/float64(points-1))))
			n = min(hi, max(lo, n))
			if len(ns) == 0 || n > ns[len(ns)-1] {
				ns = append(ns, n)
			}
		}
		if ns[len(ns)-1] != hi { // rounding must not lose the end
			ns = append(ns, hi)
		}
	}
	out := make([]Limits, 0, len(ns))
	for _, n := range ns {
		l, err := FunnelLimits(p, n)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, nil
}

// Pooled is the pooled proportion Σ count ÷ Σ total over units (each
// Practice's completed and enrolled), or false when the totals sum to 0.
// It refuses a negative count, or a count above its total.
func Pooled(counts, totals []int) (float64, bool, error) {
	if len(counts) != len(totals) {
		return 0, false, fmt.Errorf("%d counts for %d totals", len(counts), len(totals))
	}
	sc, st := 0, 0
	for i := range counts {
		if counts[i] < 0 || counts[i] > totals[i] {
			return 0, false, fmt.Errorf("unit %d: count %d of %d", i, counts[i], totals[i])
		}
		sc += counts[i]
		st += totals[i]
	}
	if st == 0 {
		return 0, false, nil
	}
	return float64(sc) / float64(st), true, nil
}

// Position is where a unit's rate falls against the limits.
type Position int8

const (
	Below998 Position = -2 // below the lower 99.8% limit
	Below95  Position = -1 // below the lower 95% limit only
	Within   Position = 0  // within the 95% limits (on a limit counts as within)
	Above95  Position = 1  // above the upper 95% limit only
	Above998 Position = 2  // above the upper 99.8% limit
)

// String is the position in words for a table beside the chart.
func (p Position) String() string {
	switch p {
	case Below998:
		return "below the 99.8% limit"
	case Below95:
		return "below the 95% limit"
	case Above95:
		return "above the 95% limit"
	case Above998:
		return "above the 99.8% limit"
	}
	return "within the 95% limits"
}

// Place is where a rate of count out of l.N falls.
func (l Limits) Place(count int) Position {
	r := float64(count) / float64(l.N)
	switch {
	case r > l.Upper998:
		return Above998
	case r > l.Upper95:
		return Above95
	case r < l.Lower998:
		return Below998
	case r < l.Lower95:
		return Below95
	}
	return Within
}
