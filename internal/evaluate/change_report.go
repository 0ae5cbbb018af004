package evaluate

// This file is the pre–post change report (issue 17 item 5): for every
// scored measure, each woman's baseline paired with her latest later
// score, summarised per Practice and for every Practice together, with the
// counts suppressed as one table.

import (
	"cmp"
	"slices"

	"haven/internal/haven"
	"haven/internal/measure"
)

// ChangeMeasure is one score whose change is reported: an instrument's
// total (the metric score for SWEMWBS), or one ONS4 item.
type ChangeMeasure struct {
	Key        string // "phq9", "ons4-anxiety"
	Name       string
	Instrument measure.ID
	Item       int // the ONS4 item's index; -1 for a total
	Scale      int // units a point: 100 for the SWEMWBS metric score (hundredths), else 1
	Direction  Direction
	// Threshold is the meaningful change in use, in units; 0 where none is
	// published or set, when no share improving is given.
	Threshold int
	// Published is the published meaningful change in units (0 where none),
	// shown beside a setting that differs from it, with its source.
	Published int
	Source    string // of the published threshold
	Check     string // what the lead must confirm about it
}

// Set reports whether the threshold in use is the deployment's setting
// rather than the published value.
func (m ChangeMeasure) Set() bool { return m.Threshold != m.Published }

// PublishedText is the published meaningful change in points, for display.
func (m ChangeMeasure) PublishedText() string {
	return measure.Hundredths(m.Published * 100 / m.Scale).String()
}

// ThresholdText is the meaningful change in points, for display.
func (m ChangeMeasure) ThresholdText() string {
	return measure.Hundredths(m.Threshold * 100 / m.Scale).String()
}

// ChangeMeasures lists every scored measure, with the published
// meaningful change of its instrument as the threshold.
func ChangeMeasures() []ChangeMeasure { return ChangeMeasuresWith(nil) }

// ChangeMeasuresWith lists every scored measure with the meaningful change
// the deployment set for its instrument, where it set one, in place of the
// published value. Settings are exact hundredths of a point; a whole-point
// scale's setting is a whole number of points (SettingAllowed checks it).
func ChangeMeasuresWith(set map[measure.ID]measure.Hundredths) []ChangeMeasure {
	out := publishedChangeMeasures()
	for i, m := range out {
		m.Published = m.Threshold
		if h, ok := set[m.Instrument]; ok {
			m.Threshold = int(h) * m.Scale / 100
		}
		out[i] = m
	}
	return out
}

// ChangeSettingAllowed reports whether h may be set as the meaningful change
// of an instrument: more than zero, at most the whole range of its scale,
// and a whole number of points where its scores are whole points.
func ChangeSettingAllowed(in *measure.Instrument, h measure.Hundredths) (string, bool) {
	whole := in.ID != measure.SWEMWBS
	most := measure.Points((in.Max - in.Min) * len(in.Items))
	if !in.HasTotal {
		most = measure.Points(in.Max - in.Min)
	}
	if in.ID == measure.SWEMWBS {
		most = measure.Points(28) // the metric score runs from 7.00 to 35.00
	}
	switch {
	case h <= 0:
		return "must be more than 0", false
	case h > most:
		return "must be at most " + most.String() + " points, the whole range of the score", false
	case whole && h%100 != 0:
		return "must be a whole number of points: " + in.Name + " scores are whole numbers", false
	}
	return "", true
}

func publishedChangeMeasures() []ChangeMeasure {
	var out []ChangeMeasure
	for _, in := range measure.All() {
		dir := LowerIsBetter
		if in.HigherIsBetter {
			dir = HigherIsBetter
		}
		th := int(in.Change.Points) / 100 // whole points
		if in.ID == measure.SWEMWBS {     // the metric score, in hundredths: raw totals are never compared
			out = append(out, ChangeMeasure{Key: string(in.ID), Name: in.Name + " metric score", Instrument: in.ID, Item: -1, Scale: 100,
				Direction: dir, Threshold: int(in.Change.Points), Source: in.Change.Source, Check: in.Change.Check})
			continue
		}
		if in.HasTotal {
			out = append(out, ChangeMeasure{Key: string(in.ID), Name: in.Name + " total", Instrument: in.ID, Item: -1, Scale: 1,
				Direction: dir, Threshold: th, Source: in.Change.Source, Check: in.Change.Check})
			continue
		}
		for i, it := range in.Items { // ONS4: each item on its own, never summed
			d := LowerIsBetter
			if it.HigherIsBetter {
				d = HigherIsBetter
			}
			out = append(out, ChangeMeasure{Key: string(in.ID) + "-" + it.Key, Name: "ONS4 " + lowerFirst(it.Label), Instrument: in.ID, Item: i, Scale: 1,
				Direction: d, Threshold: th, Source: in.Change.Source, Check: in.Change.Check})
		}
	}
	return out
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]|0x20) + s[1:]
}

// Reading is one scored measure of one woman, as the change report and the
// extract need it.
type Reading struct {
	Person     int64
	Instrument measure.ID
	Point      measure.Point
	TakenOn    haven.Date
	ID         int64 // the record's, to order two taken on one day
	Result     measure.Result
}

// value is the reading's score for m in m's units, and false where it has none.
func (m ChangeMeasure) value(r Reading) (int, bool) {
	if r.Result.Instrument != m.Instrument || !r.Result.Valid {
		return 0, false
	}
	switch {
	case m.Item >= 0:
		if m.Item >= len(r.Result.Parts) {
			return 0, false
		}
		return r.Result.Parts[m.Item].Value, true
	case m.Scale == 100:
		return int(r.Result.Metric), r.Result.HasMetric
	}
	return r.Result.Total, r.Result.HasTotal
}

// PairFor is one woman's pair for m: her first baseline score, and her
// latest exit score taken after it or, with none, her latest score taken
// after it. False if she has no such pair.
func PairFor(m ChangeMeasure, readings []Reading) (Pair, bool) {
	rs := slices.Clone(readings)
	slices.SortFunc(rs, func(a, b Reading) int { return cmp.Or(compareDates(a.TakenOn, b.TakenOn), cmp.Compare(a.ID, b.ID)) })
	base := -1
	for i, r := range rs {
		if _, ok := m.value(r); ok && r.Point == measure.Baseline {
			base = i
			break
		}
	}
	if base < 0 {
		return Pair{}, false
	}
	before, _ := m.value(rs[base])
	after, exit, found := 0, false, false
	for _, r := range rs[base+1:] {
		v, ok := m.value(r)
		if !ok || !rs[base].TakenOn.Before(r.TakenOn) {
			continue // a later score is one taken on a later day
		}
		isExit := r.Point == measure.Exit
		if exit && !isExit {
			continue // an exit score, once found, wins over any other
		}
		after, exit, found = v, isExit, true
	}
	if !found {
		return Pair{}, false
	}
	return Pair{Before: before, After: after}, true
}

// ChangeFigures is one measure's change for one row.
type ChangeFigures struct {
	Measure  ChangeMeasure
	N        Figure // women paired
	Improved Figure // improved by at least the threshold; zero Figure when there is no threshold
	Change   Change
}

// StatsShown reports whether the mean, interval and effect size are shown:
// never over a hidden count, nor over fewer women than the suppression threshold.
func (f ChangeFigures) StatsShown() bool { return f.N.Shown() && f.N.Value >= f.N.Least() }

// HasThreshold reports whether a meaningful change is published for the measure.
func (f ChangeFigures) HasThreshold() bool { return f.Measure.Threshold > 0 }

// ImprovedShare is the share improving as a whole percentage; "" where not shown.
func (f ChangeFigures) ImprovedShare() string {
	if !f.HasThreshold() || !f.StatsShown() {
		return ""
	}
	r, _ := Rate(f.Improved, f.N)
	return r
}

// ChangeRow is one group's figures, a measure at a time.
type ChangeRow struct {
	Key, Name string
	Measures  []ChangeFigures
}

// Changes is the report, suppressed as one table.
type Changes struct {
	Rows  []ChangeRow // each group, then every group together
	Table Table
	Why   []Reason
}

// ChangeGroup is one Practice's women, each with her readings.
type ChangeGroup struct {
	Key, Name string
	Women     [][]Reading
}

// BuildChanges pairs every woman's scores for each measure and summarises
// them per group and for every group together.
func BuildChanges(groups []ChangeGroup, measures []ChangeMeasure, s Settings) Changes {
	t := Table{Threshold: s.Threshold}
	type cells struct{ n, improved, rest int }
	type rowCells struct {
		key, name string
		pairs     [][]Pair
		cells     []cells
	}
	row := func(key, name string, women [][]Reading) rowCells {
		r := rowCells{key: key, name: name}
		for _, m := range measures {
			var ps []Pair
			for _, w := range women {
				if p, ok := PairFor(m, w); ok {
					ps = append(ps, p)
				}
			}
			c := cells{n: t.Cell(len(ps)), improved: -1}
			if m.Threshold > 0 {
				ch, _ := PairedChange(ps, m.Scale, m.Threshold, m.Direction)
				c.improved, c.rest = t.Cell(ch.Improved), t.Cell(ch.N-ch.Improved)
				t.AddSum(c.n, c.improved, c.rest)
			}
			r.pairs, r.cells = append(r.pairs, ps), append(r.cells, c)
		}
		return r
	}
	var rows []rowCells
	var all [][]Reading
	for _, g := range groups {
		rows = append(rows, row(g.Key, g.Name, g.Women))
		all = append(all, g.Women...)
	}
	pooled := row(PooledKey, "Every Practice together", all)
	if len(rows) > 0 {
		for k := range measures {
			col := func(f func(cells) int) []int {
				out := make([]int, len(rows))
				for i, r := range rows {
					out[i] = f(r.cells[k])
				}
				return out
			}
			t.AddSum(pooled.cells[k].n, col(func(c cells) int { return c.n })...)
			if measures[k].Threshold > 0 {
				t.AddSum(pooled.cells[k].improved, col(func(c cells) int { return c.improved })...)
				t.AddSum(pooled.cells[k].rest, col(func(c cells) int { return c.rest })...)
			}
		}
	}
	rows = append(rows, pooled)
	why := Suppress(t)
	out := Changes{Table: t, Why: why}
	fig := func(i int) Figure { return Figure{Value: t.Values[i], Why: why[i], Threshold: t.Least()} }
	for _, r := range rows {
		cr := ChangeRow{Key: r.key, Name: r.name}
		for k, m := range measures {
			f := ChangeFigures{Measure: m, N: fig(r.cells[k].n)}
			th := m.Threshold
			if th <= 0 {
				th = 1 // PairedChange needs one; Improved is not reported
			}
			if f.StatsShown() {
				f.Change, _ = PairedChange(r.pairs[k], m.Scale, th, m.Direction)
			}
			if m.Threshold > 0 {
				f.Improved = fig(r.cells[k].improved)
			}
			if m.Threshold <= 0 {
				f.Change.Improved = 0
			}
			cr.Measures = append(cr.Measures, f)
		}
		out.Rows = append(out.Rows, cr)
	}
	return out
}
