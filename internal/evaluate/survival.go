package evaluate

// This file is the Kaplan–Meier estimate of the time from a woman's index
// proceedings to her next proceedings, right-censored at the extract date
// (issue 17 item 6). It is a cohort figure: nothing here says anything about
// one woman.
//
// References:
//   - D. Collett, Modelling Survival Data in Medical Research, 3rd ed.
//     (CRC Press, 2015), chapter 2: the Kaplan–Meier estimate, Greenwood's
//     formula and the log-log ("log-minus-log") confidence interval.
//   - J. D. Kalbfleisch and R. L. Prentice, The Statistical Analysis of
//     Failure Time Data, 2nd ed. (Wiley, 2002), chapter 1 (same estimate and
//     the convention for ties between events and censoring).
//   - M. Greenwood, "The natural duration of cancer", Reports on Public
//     Health and Medical Subjects 33 (HMSO, 1926).

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// z975 is the 97.5th percentile of the standard normal distribution
// (1.959964…), for two-sided 95% intervals.
var z975 = distuv.UnitNormal.Quantile(0.975)

// Observation is one woman's follow-up: Days from her index proceedings to
// her next proceedings (Event true) or, if none has happened, to the extract
// date (Event false: censored).
type Observation struct {
	Days  int
	Event bool
}

// Band is a two-sided 95% confidence interval. Defined is false where the
// formula has no value (Lo and Hi are then zero and mean nothing); a page
// says "not estimable" rather than printing them.
type Band struct {
	Lo, Hi  float64
	Defined bool
}

// Step is the curve at one distinct event time t_j.
type Step struct {
	Days int // t_j
	// AtRisk is n_j: women followed to at least t_j. Censored at t_j count
	// as at risk at t_j (the standard convention: censoring is taken to fall
	// just after the events at the same time). A count, suppressed later.
	AtRisk int
	Events int // d_j: next proceedings on day t_j
	// Censored is how many left the risk set, censored, since the previous
	// step: censored at times in [t_{j−1}, t_j) (for the first step, before
	// t_1). So AtRisk_j = AtRisk_{j−1} − Events_{j−1} − Censored_j.
	Censored int
	// Survival is S(t_j) = Π_{i≤j} (1 − d_i/n_i).
	Survival float64
	// Variance is Greenwood's estimate Var S(t_j) = S(t_j)² Σ_{i≤j} d_i/(n_i(n_i − d_i)).
	// Where S reaches 0 the last term divides by zero (n_j = d_j) and the
	// variance is not defined: VarianceDefined is false and Variance zero.
	Variance        float64
	VarianceDefined bool
	// Plain is S ± z·SE with SE = √Variance and z = 1.96 (the 97.5th normal
	// percentile), clipped to [0, 1]. Not defined where the variance is not.
	Plain Band
	// LogLog is the interval made on the scale log(−log S), whose standard
	// error is SE / (S |log S|) = √(Σ d_i/(n_i(n_i − d_i))) / |log S|:
	//
	//	exp(−exp(log(−log S) ± z·SE/(S |log S|)))
	//
	// "+" gives the lower bound and "−" the upper, since a larger −log S is a
	// smaller S. It always lies within (0, 1]. Not defined where S is 0
	// (log 0), nor where the variance is not.
	LogLog Band
}

// Curve is a Kaplan–Meier estimate: one Step per distinct event time.
// A curve with no steps (an empty stratum, or one where everyone is
// censored) is S = 1 throughout the follow-up.
type Curve struct {
	N             int // women in the stratum
	Events        int // women whose next proceedings happened
	Censored      int // women censored at the extract date
	CensoredAfter int // censored at or after the last event time: in no step's Censored
	// LastDays is the longest follow-up of anyone in the stratum. The curve
	// says nothing beyond it unless S has reached 0.
	LastDays int
	Steps    []Step
}

// KaplanMeier estimates the survivor function from right-censored
// observations. It refuses a negative duration, naming the observation.
// An empty slice gives an empty curve.
func KaplanMeier(obs []Observation) (Curve, error) {
	for i, o := range obs {
		if o.Days < 0 {
			return Curve{}, fmt.Errorf("observation %d: days %d is negative", i, o.Days)
		}
	}
	sorted := slices.Clone(obs)
	slices.SortFunc(sorted, func(a, b Observation) int { return cmp.Compare(a.Days, b.Days) })

	c := Curve{N: len(obs)}
	atRisk := len(sorted)
	pending := 0 // censored since the last step
	s, greenwood := 1.0, 0.0
	for i := 0; i < len(sorted); {
		t := sorted[i].Days
		d, cens := 0, 0
		for ; i < len(sorted) && sorted[i].Days == t; i++ {
			if sorted[i].Event {
				d++
			} else {
				cens++
			}
		}
		c.Events += d
		c.Censored += cens
		c.LastDays = t
		if d == 0 {
			pending += cens
			atRisk -= cens
			continue
		}
		st := Step{Days: t, AtRisk: atRisk, Events: d, Censored: pending}
		s *= 1 - float64(d)/float64(atRisk)
		if d == atRisk {
			s = 0 // exactly, not a rounding residue
			greenwood = math.Inf(1)
		} else {
			greenwood += float64(d) / (float64(atRisk) * float64(atRisk-d))
		}
		st.Survival = s
		st.Variance, st.VarianceDefined, st.Plain, st.LogLog = intervals(s, greenwood)
		c.Steps = append(c.Steps, st)
		pending = cens
		atRisk -= d + cens
	}
	c.CensoredAfter = pending
	return c, nil
}

// intervals is Greenwood's variance and both 95% intervals for S with
// Greenwood sum g = Σ d_i/(n_i(n_i − d_i)).
func intervals(s, g float64) (variance float64, ok bool, plain, loglog Band) {
	if math.IsInf(g, 1) {
		return 0, false, Band{}, Band{}
	}
	if g == 0 { // before any event: S = 1 exactly, with no sampling variance
		return 0, true, Band{1, 1, true}, Band{1, 1, true}
	}
	variance = s * s * g
	se := math.Sqrt(variance)
	plain = Band{Lo: max(0, s-z975*se), Hi: min(1, s+z975*se), Defined: true}
	if s > 0 && s < 1 {
		// exp(−exp(log(−log S) ± a)) = exp(log S · e^{±a}) = S^{e^{±a}}:
		// the same number, computed without the double exponential.
		a := z975 * math.Sqrt(g) / math.Abs(math.Log(s))
		loglog = Band{Lo: math.Pow(s, math.Exp(a)), Hi: math.Pow(s, math.Exp(-a)), Defined: true}
	}
	return variance, true, plain, loglog
}

// Estimate is the curve read at one time.
type Estimate struct {
	Days int
	// Known is false where the curve says nothing: a negative time, an
	// empty stratum, or beyond the longest follow-up while S is above 0.
	Known           bool
	Survival        float64
	Variance        float64
	VarianceDefined bool
	Plain, LogLog   Band
}

// At reads the curve at days: S is a step function, so this is the last
// step at or before days, or S = 1 before the first.
func (c Curve) At(days int) Estimate {
	e := Estimate{Days: days}
	if days < 0 || c.N == 0 {
		return e
	}
	i := len(c.Steps) - 1
	for i >= 0 && c.Steps[i].Days > days {
		i--
	}
	if i < 0 {
		e.Known, e.Survival, e.VarianceDefined = true, 1, true
		e.Plain, e.LogLog = Band{1, 1, true}, Band{1, 1, true}
	} else {
		st := c.Steps[i]
		e.Known, e.Survival = true, st.Survival
		e.Variance, e.VarianceDefined, e.Plain, e.LogLog = st.Variance, st.VarianceDefined, st.Plain, st.LogLog
	}
	if days > c.LastDays && e.Survival > 0 {
		// Nobody was followed this long: the estimate is not S(LastDays).
		return Estimate{Days: days}
	}
	return e
}

// Incidence is 1 − S: the proportion whose next proceedings had happened
// by then (for example "within 7 years"), with each interval turned over
// to match (1 − Hi, 1 − Lo).
func (e Estimate) Incidence() Estimate {
	flip := func(b Band) Band {
		if !b.Defined {
			return b
		}
		return Band{Lo: 1 - b.Hi, Hi: 1 - b.Lo, Defined: true}
	}
	if !e.Known {
		return e
	}
	e.Survival, e.Plain, e.LogLog = 1-e.Survival, flip(e.Plain), flip(e.LogLog)
	return e
}

// Years is a whole number of years in days at 365.25 days a year, rounded
// to the nearest day (7 years is 2557 days), for reading a curve at the
// research's 1, 3, 7 and 10 years.
func Years(y int) int { return int(math.Round(float64(y) * 365.25)) }

// AtRisk is how many of obs were followed to at least days: the "number at
// risk" row printed under a survival chart.
func AtRisk(obs []Observation, days int) int {
	n := 0
	for _, o := range obs {
		if o.Days >= days {
			n++
		}
	}
	return n
}

// Stratum is the observations of one group (an age band, care-experienced
// or not, an index outcome).
type Stratum[K comparable] struct {
	Key          K
	Observations []Observation
}

// Stratify splits items into the strata named by keys, in that order, so a
// stratum nobody falls into is still there (empty) rather than missing from
// a table. of gives each item's key and observation. Items whose key is not
// among keys are not dropped silently: they are counted in other.
func Stratify[T any, K comparable](items []T, keys []K, of func(T) (K, Observation)) (strata []Stratum[K], other int) {
	strata = make([]Stratum[K], len(keys))
	index := make(map[K]int, len(keys))
	for i, k := range keys {
		strata[i].Key = k
		if _, dup := index[k]; !dup {
			index[k] = i
		}
	}
	for _, it := range items {
		k, o := of(it)
		i, ok := index[k]
		if !ok {
			other++
			continue
		}
		strata[i].Observations = append(strata[i].Observations, o)
	}
	return strata, other
}
