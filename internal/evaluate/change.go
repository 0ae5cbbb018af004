package evaluate

// This file is the pre–post change in a scored measure (issue 17 item 5):
// each woman's first and last score, paired, summarised for a cohort.
//
// Scores arrive as whole numbers in the measure's unit (whole points, or
// hundredths of a point for a converted metric score), so the mean change
// is kept exact (a rational) and rounded only for display. The other
// statistics are float64 inside and rounded for display by Round2.
//
// References:
//   - The t interval for the mean of paired differences, as in any
//     introductory text, e.g. D. G. Altman, Practical Statistics for
//     Medical Research (Chapman & Hall, 1991), on the paired t test.
//   - The effect size is Cohen's d_z, the mean difference over the standard
//     deviation of the differences: D. Lakens, "Calculating and reporting
//     effect sizes to facilitate cumulative science", Frontiers in
//     Psychology 4:863 (2013). It is the effect size of the
//     paired test itself (d_z = t/√n). d_av (over the average of the two
//     SDs) is not given: one effect size, named, avoids readers comparing
//     different ones.

import (
	"fmt"
	"math"
	"math/big"

	"gonum.org/v1/gonum/stat/distuv"
)

// Direction says which way a measure improves.
type Direction uint8

const (
	HigherIsBetter Direction = iota + 1 // WEMWBS, SWEMWBS, ONS4 life satisfaction, worthwhile, happiness
	LowerIsBetter                       // PHQ-9, GAD-7, ONS4 anxiety
)

// EffectSizeName names the standardised effect size Change reports.
const EffectSizeName = "Cohen's d_z (mean change ÷ SD of changes)"

// Pair is one woman's score at the start and at the end, in the measure's
// unit (see PairedChange's scale).
type Pair struct {
	Before, After int
}

// Change is the summary of paired scores. A change is After − Before, so
// for a measure where lower is better an improvement is a negative change.
type Change struct {
	N         int       // women with both scores (a count, suppressed later)
	Scale     int       // units per point: 1 for whole points, 100 for hundredths
	SumChange int64     // Σ(After − Before), in units: exact
	Threshold int       // meaningful change, in units
	Direction Direction //
	Improved  int       // improved by at least Threshold (a count, suppressed later)

	// Mean is the mean change in points (SumChange / N / Scale as a
	// float64; MeanExact and MeanText are exact). Zero when N is 0.
	Mean float64
	// SD is the standard deviation of the changes in points (n − 1
	// denominator); SDDefined is false for N < 2.
	SD        float64
	SDDefined bool
	// CI is the 95% interval for the mean change: Mean ± t·SD/√N, where t
	// is the 97.5th percentile of Student's t with DF = N − 1 degrees of
	// freedom. Not defined for N < 2.
	CI Band
	DF int
	T  float64
	// EffectSize is Cohen's d_z = Mean / SD (see EffectSizeName). Not
	// defined for N < 2 or when every change is the same (SD 0).
	EffectSize        float64
	EffectSizeDefined bool
	// Note says, in words for a reader, what could not be worked out and
	// why; empty when everything was.
	Note string
}

// PairedChange summarises pairs scored in units of 1/scale of a point,
// counting as improved a change of at least threshold units in direction
// dir. It refuses a scale or threshold below 1 and an unknown direction.
func PairedChange(pairs []Pair, scale, threshold int, dir Direction) (Change, error) {
	switch {
	case scale < 1:
		return Change{}, fmt.Errorf("scale %d: must be 1 or more units a point", scale)
	case threshold < 1:
		return Change{}, fmt.Errorf("meaningful change %d: must be above 0", threshold)
	case dir != HigherIsBetter && dir != LowerIsBetter:
		return Change{}, fmt.Errorf("direction %d: not known", dir)
	}
	c := Change{N: len(pairs), Scale: scale, Threshold: threshold, Direction: dir}
	for _, p := range pairs {
		d := p.After - p.Before
		c.SumChange += int64(d)
		if dir == LowerIsBetter {
			d = -d
		}
		if d >= threshold {
			c.Improved++
		}
	}
	if c.N == 0 {
		c.Note = "No woman has both scores."
		return c, nil
	}
	n, unit := float64(c.N), float64(scale)
	c.Mean = float64(c.SumChange) / n / unit
	if c.N < 2 {
		c.Note = "One woman has both scores: a spread, an interval and an effect size need at least 2."
		return c, nil
	}
	ss := 0.0 // Σ (d − mean)², two passes for accuracy
	for _, p := range pairs {
		e := float64(p.After-p.Before)/unit - c.Mean
		ss += e * e
	}
	c.SD, c.SDDefined = math.Sqrt(ss/(n-1)), true
	c.DF = c.N - 1
	c.T = distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(c.DF)}.Quantile(0.975)
	half := c.T * c.SD / math.Sqrt(n)
	c.CI = Band{Lo: c.Mean - half, Hi: c.Mean + half, Defined: true}
	if c.SD > 0 {
		c.EffectSize, c.EffectSizeDefined = c.Mean/c.SD, true
	} else {
		c.Note = "Every woman's score changed by the same amount: the effect size is not defined."
	}
	return c, nil
}

// MeanExact is the mean change in points as an exact fraction, or nil when
// N is 0.
func (c Change) MeanExact() *big.Rat {
	if c.N == 0 || c.Scale < 1 {
		return nil
	}
	return big.NewRat(c.SumChange, int64(c.N)*int64(c.Scale))
}

// MeanText is the exact mean change rounded to 2 decimal places, half away
// from zero ("0.005" is "0.01", "−0.005" is "-0.01"); empty when N is 0.
func (c Change) MeanText() string {
	m := c.MeanExact()
	if m == nil {
		return ""
	}
	return ratText(m)
}

// ImprovedShare is Improved / N, or false when N is 0.
func (c Change) ImprovedShare() (float64, bool) {
	if c.N == 0 {
		return 0, false
	}
	return float64(c.Improved) / float64(c.N), true
}

// Round2 is a float64 statistic for display: its exact binary value
// rounded to 2 decimal places, half away from zero, with no "-0.00".
// NaN and infinities have no display and give "".
func Round2(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return ""
	}
	return ratText(new(big.Rat).SetFloat64(x))
}

// ratText rounds r to 2 places half away from zero (big.Rat.FloatString's
// rule) and writes a negative that rounds to zero as "0.00".
func ratText(r *big.Rat) string {
	s := r.FloatString(2)
	if s == "-0.00" {
		return "0.00"
	}
	return s
}
