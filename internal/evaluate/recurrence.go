package evaluate

// This file turns the Kaplan–Meier estimate (survival.go) into a report that
// may leave a Practice (issue 17 items 6 and 7).
//
// A curve drawn at its event times gives single events away: every step is
// a woman's next proceedings, and the number at risk beside it counts down
// one woman at a time. So the report reads each curve only at fixed times
// (RecurrenceYears) and publishes, at each: the number still at risk, the
// number whose next proceedings came before it, and 1 − S with its
// intervals. Those counts go into one Table with every way a reader could
// add them up:
//
//   - within a curve, between two fixed times t′ < t, the women whose next
//     proceedings came in [t′, t) and those whose follow-up ended (censored)
//     in [t′, t): at risk(t′) = at risk(t) + both, and events before t =
//     events before t′ + the first. These in-between counts are never
//     printed, but a reader can subtract, so Suppress treats them as cells;
//   - the strata of each split (age band, care experience, index outcome,
//     each with an "unknown" stratum so nobody falls out) add up to the whole;
//   - every Practice adds up to every Practice together.
//
// An estimate and its intervals are shown only where both its counts are:
// 1 − S at t is, give or take censoring, the events before t over the women,
// so it would give a hidden count away.

import (
	"cmp"
	"math"
	"math/big"
	"slices"

	"haven/internal/haven"
)

// RecurrenceYears are the times each curve is read at: every year to 7, the
// research's benchmark (Broadhurst et al. 2017), and 10 (Nuffield FJO 2023).
var RecurrenceYears = []int{0, 1, 2, 3, 4, 5, 6, 7, 10}

// PracticeYears are the times a single Practice's curve is read at: 7
// years, the research's benchmark. Read yearly, a Practice's counts between
// readings are mostly under 5, and hiding them took most of every
// Practice's figures, and of every Practice together, with them.
var PracticeYears = []int{0, 7}

// StratumYears are the times a stratum of every Practice together is read
// at: the benchmarks' 7 and 10 years. Strata are small, and read yearly
// their in-between counts were mostly under 5, which hid nearly everything.
var StratumYears = []int{0, 7, 10}

// Benchmark is a published recurrence figure, drawn as a reference point.
type Benchmark struct {
	Years   int
	Percent float64
	Who     string // whom it describes
	Text    string // the figure as published
	Source  string
}

// Benchmarks are the published figures (DOMAIN.md §3), each with its source.
var Benchmarks = []Benchmark{
	{Years: 7, Percent: 25, Who: "all mothers", Text: "about 1 in 4 mothers in an index care case return within 7 years",
		Source: "Broadhurst, Mason, Bedston, Alrouh et al., Vulnerable Birth Mothers and Recurrent Care Proceedings, final report 2017, as reported by Cafcass (31 October 2017)"},
	{Years: 10, Percent: 100.0 / 3, Who: "mothers aged 14 to 19", Text: "about 1 in 3 of the youngest mothers (gave birth aged 14 to 19) return within 10 years",
		Source: "Nuffield Family Justice Observatory and Lancaster University Centre for Child and Family Justice Research, 2023"},
	{Years: 10, Percent: 34, Who: "index ended in a placement order", Text: "34% in England return within 10 years when the first proceedings ended with an adoption plan",
		Source: "Nuffield Family Justice Observatory and Lancaster University, 2023, as reported by Children and Young People Now"},
}

// Split is one way of dividing the women into strata.
type Split struct {
	Key, Name string
	Strata    []Group
	of        func(Journey) string
}

// Group names a stratum.
type Group struct{ Key, Name string }

// Unknown is the stratum of women the split cannot place.
const Unknown = "unknown"

// PlacementOrder is the index outcome the research splits on: the first
// proceedings ended with an adoption plan.
const PlacementOrder = "placement-order"

// Splits are the stratifications of issue 17 item 6, in the research's terms.
var Splits = []Split{
	{Key: "age", Name: "Age at first proceedings", Strata: []Group{{"14-19", "14 to 19"}, {"20-24", "20 to 24"}, {"25+", "25 and over"}, {Unknown, "Not known"}},
		of: func(j Journey) string { return j.AgeBand() }},
	{Key: "care", Name: "Care-experienced", Strata: []Group{{"yes", "Care-experienced"}, {"no", "Not care-experienced"}, {Unknown, "Not known"}},
		of: func(j Journey) string {
			if j.CareExperienced == "yes" || j.CareExperienced == "no" {
				return j.CareExperienced
			}
			return Unknown
		}},
	{Key: "outcome", Name: "Outcome of the index proceedings", Strata: []Group{{PlacementOrder, "Placement order"}, {"other", "Another outcome"}, {Unknown, "Not yet decided or not recorded"}},
		of: func(j Journey) string {
			switch o := j.IndexOutcome(); o {
			case PlacementOrder:
				return o
			case "":
				return Unknown
			}
			return "other"
		}},
}

// OnePerWoman keeps one enrolment for each woman: her earliest engagement
// (then referral, then enrolment), so a woman enrolled twice, or in two
// Practices, is counted once, in the Practice where she first engaged.
// Her proceedings belong to her, not to an enrolment, so any of hers would do.
func OnePerWoman(js []Journey) []Journey {
	sorted := slices.Clone(js)
	slices.SortStableFunc(sorted, func(a, b Journey) int {
		return cmp.Or(cmp.Compare(a.Person, b.Person), compareDates(a.EngagedOn, b.EngagedOn), compareDates(a.ReferredOn, b.ReferredOn),
			cmp.Compare(a.Enrolment, b.Enrolment))
	})
	out := sorted[:0]
	for i, j := range sorted {
		if i == 0 || j.Person != sorted[i-1].Person {
			out = append(out, j)
		}
	}
	return out
}

// compareDates orders dates with an unknown (zero) one last.
func compareDates(a, b haven.Date) int {
	switch {
	case a == b:
		return 0
	case a.IsZero():
		return 1
	case b.IsZero():
		return -1
	case a.Before(b):
		return -1
	}
	return 1
}

// RecurrencePoint is a curve read at one of RecurrenceYears.
type RecurrencePoint struct {
	Years, Days int
	AtRisk      Figure // followed to at least this time
	Events      Figure // next proceedings before this time
	// Estimate is the proportion with next proceedings before this time,
	// 1 − S, with both intervals; read only when Shown.
	Estimate Estimate
	Shown    bool
	Note     string // why no estimate is shown
}

// Percent is the estimate as a percentage with one decimal place.
func (p RecurrencePoint) Percent() string { return percent(p.Estimate.Survival) }

// PlainText and LogLogText are the 95% intervals as percentages.
func (p RecurrencePoint) PlainText() string  { return bandText(p.Estimate.Plain) }
func (p RecurrencePoint) LogLogText() string { return bandText(p.Estimate.LogLog) }

func bandText(b Band) string {
	if !b.Defined {
		return "not estimable"
	}
	return percent(b.Lo) + " to " + percent(b.Hi)
}

// percent writes a proportion as a percentage to one decimal place, half
// away from zero, with no "-0.0%".
func percent(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return ""
	}
	s := new(big.Rat).SetFloat64(x * 100).FloatString(1)
	if s == "-0.0" {
		s = "0.0"
	}
	return s + "%"
}

// RecurrenceCurve is one group's curve at the fixed times.
type RecurrenceCurve struct {
	Key, Name string
	Women     Figure
	Points    []RecurrencePoint
	// Note is set where the curve cannot be estimated at all.
	Note string
}

// RecurrenceRow is a Practice's curves (or every Practice's together):
// everyone, then each split's strata in the order of Splits.
type RecurrenceRow struct {
	Key, Name string
	All       RecurrenceCurve
	By        [][]RecurrenceCurve
}

// Recurrence is the report: every group's curves, suppressed as one table.
type Recurrence struct {
	AsOf  haven.Date
	Rows  []RecurrenceRow // each group, then every group together (PooledKey)
	Table Table
	Why   []Reason
}

// TooFew is what a curve of one woman or none says.
const TooFew = "too few to estimate"

// curveCells are one curve's cells while the table is built.
type curveCells struct {
	years          []int
	women          int
	atRisk, events []int // by point; events[0] is -1 (nobody before 0)
	left, ended    []int // by interval before each point: censored in it, next proceedings in it
	curve          Curve
}

// BuildRecurrence estimates the curves as at asOf, one observation per
// woman (OnePerWoman is the caller's: a group's journeys are taken as
// distinct women), and suppresses small numbers across the lot.
//
// Every Practice together is read at RecurrenceYears, and each of its
// strata at StratumYears. A single Practice is read only at PracticeYears
// and not stratified: a Practice's yearly counts and strata are mostly
// under 5, so they would be hidden anyway, and each hidden one takes others
// with it.
func BuildRecurrence(groups []OutcomeGroup, asOf haven.Date, s Settings) Recurrence {
	t := Table{Threshold: s.Threshold}
	type rowCells struct {
		key, name string
		all       curveCells
		by        [][]curveCells
	}
	observe := func(js []Journey) ([]Journey, []Observation) {
		var withObs []Journey
		var obs []Observation
		for _, j := range js {
			if o, ok := j.Recurrence(asOf); ok {
				withObs, obs = append(withObs, j), append(obs, o)
			}
		}
		return withObs, obs
	}
	var rows []rowCells
	var all []Journey
	for _, g := range groups {
		_, obs := observe(g.Journeys)
		rows = append(rows, rowCells{key: g.Key, name: g.Name, all: curveCellsFor(&t, obs, PracticeYears)})
		all = append(all, g.Journeys...)
	}
	withObs, obs := observe(all)
	pooled := rowCells{key: PooledKey, name: "Every Practice together", all: curveCellsFor(&t, obs, RecurrenceYears)}
	for _, sp := range Splits {
		keys := make([]string, len(sp.Strata))
		for i, g := range sp.Strata {
			keys[i] = g.Key
		}
		strata, _ := Stratify(withObs, keys, func(j Journey) (string, Observation) { o, _ := j.Recurrence(asOf); return sp.of(j), o })
		cells := make([]curveCells, len(strata))
		for i, s := range strata {
			cells[i] = curveCellsFor(&t, s.Observations, StratumYears)
		}
		// The strata add up to everyone: every woman has one, "not known" at worst.
		sumCurves(&t, pooled.all, cells)
		pooled.by = append(pooled.by, cells)
	}
	if len(rows) > 0 {
		parts := make([]curveCells, len(rows))
		for i, r := range rows {
			parts[i] = r.all
		}
		sumCurves(&t, pooled.all, parts)
	}
	rows = append(rows, pooled)
	why := Suppress(t)
	out := Recurrence{AsOf: asOf, Table: t, Why: why}
	for _, r := range rows {
		row := RecurrenceRow{Key: r.key, Name: r.name, All: r.all.publish(t, why, r.key, r.name)}
		for s, sp := range Splits {
			if r.by == nil {
				break
			}
			var cs []RecurrenceCurve
			for k, g := range sp.Strata {
				cs = append(cs, r.by[s][k].publish(t, why, g.Key, g.Name))
			}
			row.By = append(row.By, cs)
		}
		out.Rows = append(out.Rows, row)
	}
	return out
}

// curveCellsFor estimates a curve and adds its counts at years, and
// between them, to t with the sums that tie them together.
func curveCellsFor(t *Table, obs []Observation, years []int) curveCells {
	c := curveCells{years: years}
	c.curve, _ = KaplanMeier(obs) // days are never negative: Recurrence measures forward from the index
	c.women = t.Cell(len(obs))
	prev := 0
	for k, y := range years {
		days := Years(y)
		if k == 0 {
			c.atRisk = append(c.atRisk, c.women) // everyone is at risk at 0
			c.events = append(c.events, -1)
			continue
		}
		var ended, left, before int
		for _, o := range obs {
			switch {
			case o.Event && o.Days < days:
				before++
				if o.Days >= prev {
					ended++
				}
			case !o.Event && o.Days >= prev && o.Days < days:
				left++
			}
		}
		c.atRisk = append(c.atRisk, t.Cell(AtRisk(obs, days)))
		c.events = append(c.events, t.Cell(before))
		c.ended = append(c.ended, t.Cell(ended))
		c.left = append(c.left, t.Cell(left))
		i := k - 1 // the interval [prev, days)
		// At risk before = at risk now + those who left in between.
		t.AddSum(c.atRisk[k-1], c.atRisk[k], c.ended[i], c.left[i])
		if k == 1 {
			t.AddSum(c.events[k], c.ended[i])
		} else {
			t.AddSum(c.events[k], c.events[k-1], c.ended[i])
		}
		prev = days
	}
	return c
}

// sumCurves records that total's counts are the sums of the parts' counts,
// at every time they share (the in-between counts too, where the times
// are the same).
func sumCurves(t *Table, total curveCells, parts []curveCells) {
	pick := func(f func(curveCells) int) []int {
		out := make([]int, len(parts))
		for i, p := range parts {
			out[i] = f(p)
		}
		return out
	}
	t.AddSum(total.women, pick(func(c curveCells) int { return c.women })...)
	same := true
	for _, p := range parts {
		same = same && slices.Equal(p.years, total.years)
	}
	for k := 1; k < len(total.years); k++ {
		idx := make([]int, len(parts))
		ok := true
		for i, p := range parts {
			if idx[i] = slices.Index(p.years, total.years[k]); idx[i] < 0 {
				ok = false
			}
		}
		if !ok {
			continue
		}
		t.AddSum(total.atRisk[k], pick(func(c curveCells) int { return c.atRisk[idx[0]] })...)
		t.AddSum(total.events[k], pick(func(c curveCells) int { return c.events[idx[0]] })...)
		if same {
			t.AddSum(total.ended[k-1], pick(func(c curveCells) int { return c.ended[k-1] })...)
			t.AddSum(total.left[k-1], pick(func(c curveCells) int { return c.left[k-1] })...)
		}
	}
}

// publish reads the curve at its times, showing each estimate only where
// both its counts are shown.
func (c curveCells) publish(t Table, why []Reason, key, name string) RecurrenceCurve {
	fig := func(i int) Figure { return Figure{Value: t.Values[i], Why: why[i], Threshold: t.Least()} }
	out := RecurrenceCurve{Key: key, Name: name, Women: fig(c.women)}
	if out.Women.Shown() && out.Women.Value <= 1 {
		out.Note = TooFew
	}
	for k, y := range c.years {
		p := RecurrencePoint{Years: y, Days: Years(y), AtRisk: fig(c.atRisk[k])}
		if k > 0 {
			p.Events = fig(c.events[k])
		} // at 0, nobody's next proceedings have come: a shown 0
		switch {
		case !p.AtRisk.Shown() || !p.Events.Shown():
			p.Note = "not shown, because a count is not"
		case out.Women.Value <= 1:
			p.Note = TooFew
		case k == 0:
			p.Estimate, p.Shown = Estimate{Days: 0, Known: true, VarianceDefined: true, Plain: Band{0, 0, true}, LogLog: Band{0, 0, true}}, true
		default:
			// Before t: the curve just before the anniversary.
			e := c.curve.At(p.Days - 1)
			if !e.Known {
				p.Note = "nobody followed this long"
				break
			}
			p.Estimate, p.Shown = e.Incidence(), true
			p.Estimate.Days = p.Days
		}
		out.Points = append(out.Points, p)
	}
	return out
}
