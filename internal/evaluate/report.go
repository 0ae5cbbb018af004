package evaluate

import (
	"strconv"

	"haven/internal/haven"
	"haven/internal/programme"
)

// Figure is one count as a report shows it: the number, or why not.
type Figure struct {
	Value int
	Why   Reason
	// Threshold is the smallest count its table shows (0 is MinThreshold),
	// for the wording of a hidden count.
	Threshold int
}

// Least is the smallest count the figure's table shows.
func (f Figure) Least() int { return ClampThreshold(f.Threshold) }

// Shown reports whether the number is shown.
func (f Figure) Shown() bool { return !f.Why.Hidden() }

// Text is the number, or the reason it is not shown.
func (f Figure) Text() string {
	if f.Why.Hidden() {
		return f.Why.Text(f.Threshold)
	}
	return strconv.Itoa(f.Value)
}

// Rate is num out of den as a whole percentage, shown only when both counts
// are: a rate is hidden wherever its count is.
func Rate(num, den Figure) (string, bool) {
	if !num.Shown() || !den.Shown() || den.Value == 0 {
		return "", false
	}
	return strconv.Itoa((200*num.Value+den.Value)/(2*den.Value)) + "%", true
}

// MetricFigures is one metric's counts for a row.
type MetricFigures struct {
	Verdicts []Figure // in the order of Verdicts
	Judged   Figure   // met plus not met
	Total    Figure   // every enrolment
}

// VerdictNotes say which enrolments each verdict counts, for a table's key.
var VerdictNotes = map[Verdict]string{
	TooRecent: "Cannot be judged yet: " + WhyTooRecent,
	LeftOut:   "Not counted: " + WhyNeverEngaged,
}

// MetRate is the share met among those judged; "" where it is not shown.
func (m MetricFigures) MetRate() string {
	r, _ := Rate(m.Verdicts[Met], m.Judged)
	return r
}

// PhaseFigure is the median days in a phase and how many enrolments it is over.
type PhaseFigure struct {
	Median int
	N      Figure
}

// Shown reports whether the median is shown: never over fewer than the threshold.
func (p PhaseFigure) Shown() bool { return p.N.Shown() && p.N.Value >= p.N.Least() }

// OutcomeRow is one group's figures: a Practice, or every Practice together.
type OutcomeRow struct {
	Key, Name  string
	Metrics    []MetricFigures // in the order of Metrics
	Completed  Figure
	EndedEarly Figure
	Ended      Figure
	Exits      []Figure      // ended early, by ExitCategories: they add up to EndedEarly
	Phases     []PhaseFigure // in the order of Phases
	Facts      []FactChange  // in the order of Facts
}

// CompletionRate is the share of ended programmes that were completed; "" where it is not shown.
func (r OutcomeRow) CompletionRate() string {
	rate, _ := Rate(r.Completed, r.Ended)
	return rate
}

// OutcomeGroup is the enrolments of one row.
type OutcomeGroup struct {
	Key, Name string
	Journeys  []Journey
}

// Outcomes is the outcome metrics for every group and for all of them
// together, with small numbers suppressed across the lot as one table, so
// no row read beside another gives away a number either hides.
type Outcomes struct {
	AsOf  haven.Date
	Rows  []OutcomeRow // each group, then the total
	Table Table
	Why   []Reason
}

// PooledKey is the key of the row for every group together.
const PooledKey = "all"

// cellRow holds a row's cells as indexes into the table while it is built.
type cellRow struct {
	key, name   string
	metrics     [][]int // [metric][verdict]
	judged      []int
	total       []int
	completed   int
	endedEarly  int
	exits       []int // by ExitCategories
	ended       int
	phaseN      []int
	phaseMedian []int
	factN       []int
	factStart   []int
	factExit    []int
}

// Settings are a deployment's choices that every report leaving a Practice
// follows, passed in as values.
type Settings struct {
	// Threshold is the smallest count shown (MinThreshold to MaxThreshold; 0 is MinThreshold).
	Threshold int
}

// BuildOutcomes is BuildOutcomesWith at the default settings.
func BuildOutcomes(groups []OutcomeGroup, asOf haven.Date) Outcomes {
	return BuildOutcomesWith(groups, asOf, Settings{})
}

// BuildOutcomesWith judges every enrolment as at asOf, counts them for each
// group and for all together, and suppresses small numbers at the
// deployment's threshold.
func BuildOutcomesWith(groups []OutcomeGroup, asOf haven.Date, s Settings) Outcomes {
	rows := make([]GroupTally, len(groups))
	var all []Journey
	for i, g := range groups {
		rows[i] = GroupTally{Key: g.Key, Name: g.Name, Tally: TallyJourneys(g.Journeys, asOf)}
		all = append(all, g.Journeys...)
	}
	return BuildOutcomesFrom(rows, TallyJourneys(all, asOf), DistinctWomen(groups), asOf, s)
}

// BuildOutcomesFrom puts the groups' tallies and the pooled tally (every
// enrolment of every group together) in one table and suppresses small
// numbers. distinct says no woman has enrolments in two groups, so that
// the pooled row's counts of women are the sums of the groups'.
func BuildOutcomesFrom(groups []GroupTally, all Tally, distinct bool, asOf haven.Date, s Settings) Outcomes {
	t := Table{Threshold: s.Threshold}
	var rows []cellRow
	for _, g := range groups {
		rows = append(rows, countRow(&t, g.Key, g.Name, g.Tally))
	}
	pooled := countRow(&t, PooledKey, "Every Practice together", all)
	// Each pooled cell is the sum of the groups' cells: a reader can add them.
	if len(rows) > 0 {
		for m := range Metrics {
			for v := range Verdicts {
				t.AddSum(pooled.metrics[m][v], column(rows, func(r cellRow) int { return r.metrics[m][v] })...)
			}
			t.AddSum(pooled.judged[m], column(rows, func(r cellRow) int { return r.judged[m] })...)
			t.AddSum(pooled.total[m], column(rows, func(r cellRow) int { return r.total[m] })...)
		}
		t.AddSum(pooled.completed, column(rows, func(r cellRow) int { return r.completed })...)
		t.AddSum(pooled.endedEarly, column(rows, func(r cellRow) int { return r.endedEarly })...)
		for k := range ExitCategories {
			t.AddSum(pooled.exits[k], column(rows, func(r cellRow) int { return r.exits[k] })...)
		}
		t.AddSum(pooled.ended, column(rows, func(r cellRow) int { return r.ended })...)
		for p := range Phases {
			t.AddSum(pooled.phaseN[p], column(rows, func(r cellRow) int { return r.phaseN[p] })...)
		}
		// A woman with enrolments in two Practices is one woman in the pooled
		// row, so the pooled facts are sums only when no woman is in two.
		if distinct {
			for f := range Facts {
				t.AddSum(pooled.factN[f], column(rows, func(r cellRow) int { return r.factN[f] })...)
				t.AddSum(pooled.factStart[f], column(rows, func(r cellRow) int { return r.factStart[f] })...)
				t.AddSum(pooled.factExit[f], column(rows, func(r cellRow) int { return r.factExit[f] })...)
			}
		}
	}
	rows = append(rows, pooled)
	why := Suppress(t)
	out := Outcomes{AsOf: asOf, Table: t, Why: why}
	fig := func(i int) Figure { return Figure{Value: t.Values[i], Why: why[i], Threshold: t.Least()} }
	for _, r := range rows {
		row := OutcomeRow{Key: r.key, Name: r.name, Completed: fig(r.completed), EndedEarly: fig(r.endedEarly), Ended: fig(r.ended)}
		for _, c := range r.exits {
			row.Exits = append(row.Exits, fig(c))
		}
		for m := range Metrics {
			mf := MetricFigures{Judged: fig(r.judged[m]), Total: fig(r.total[m])}
			for v := range Verdicts {
				mf.Verdicts = append(mf.Verdicts, fig(r.metrics[m][v]))
			}
			row.Metrics = append(row.Metrics, mf)
		}
		for p := range Phases {
			row.Phases = append(row.Phases, PhaseFigure{Median: r.phaseMedian[p], N: fig(r.phaseN[p])})
		}
		for f := range Facts {
			row.Facts = append(row.Facts, FactChange{N: fig(r.factN[f]), AtStart: fig(r.factStart[f]), AtExit: fig(r.factExit[f])})
		}
		out.Rows = append(out.Rows, row)
	}
	return out
}

func column(rows []cellRow, cell func(cellRow) int) []int {
	out := make([]int, len(rows))
	for i, r := range rows {
		out[i] = cell(r)
	}
	return out
}

// countRow puts one group's tally into new cells of t, with each row's own
// sums: judged is met plus not met; every enrolment is judged, too recent or
// left out; each programme that ended was completed or ended early.
func countRow(t *Table, key, name string, c Tally) cellRow {
	r := cellRow{key: key, name: name}
	for m := range Metrics {
		counts := c.Verdicts[m]
		cells := make([]int, len(Verdicts))
		for v := range Verdicts {
			cells[v] = t.Cell(counts[v])
		}
		judged := t.Cell(counts[Met] + counts[NotMet])
		total := t.Cell(counts[Met] + counts[NotMet] + counts[TooRecent] + counts[LeftOut])
		t.AddSum(judged, cells[Met], cells[NotMet])
		t.AddSum(total, judged, cells[TooRecent], cells[LeftOut])
		r.metrics = append(r.metrics, cells)
		r.judged = append(r.judged, judged)
		r.total = append(r.total, total)
	}
	r.completed, r.endedEarly, r.ended = t.Cell(c.Completed), t.Cell(c.EndedEarly), t.Cell(c.Completed+c.EndedEarly)
	t.AddSum(r.ended, r.completed, r.endedEarly)
	// Each early exit is in one category: the categories add up to the
	// early exits, and a reader can add them, so the table knows it too.
	for _, n := range c.Exits {
		r.exits = append(r.exits, t.Cell(n))
	}
	t.AddSum(r.endedEarly, r.exits...)
	for p := range Phases {
		r.phaseN = append(r.phaseN, t.Cell(c.Phases[p].N))
		// The median is not a count: it is shown only beside a count of five or more.
		r.phaseMedian = append(r.phaseMedian, c.Phases[p].Median)
	}
	for f := range Facts {
		r.factN = append(r.factN, t.Cell(c.FactN[f]))
		r.factStart = append(r.factStart, t.Cell(c.FactStart[f]))
		r.factExit = append(r.factExit, t.Cell(c.FactExit[f]))
	}
	return r
}

// DistinctWomen reports whether no woman has enrolments in two groups.
func DistinctWomen(groups []OutcomeGroup) bool {
	in := map[int64]int{}
	for g, grp := range groups {
		for _, j := range grp.Journeys {
			if h, ok := in[j.Person]; ok && h != g {
				return false
			}
			in[j.Person] = g
		}
	}
	return true
}

// GroupByPractice puts each journey in its Practice's group: one group for
// each of ids, in that order, named by names.
func GroupByPractice(js []Journey, ids []int64, names []string) []OutcomeGroup {
	by := map[int64][]Journey{}
	for _, j := range js {
		by[j.Practice] = append(by[j.Practice], j)
	}
	groups := make([]OutcomeGroup, len(ids))
	for i, id := range ids {
		groups[i] = OutcomeGroup{Key: strconv.FormatInt(id, 10), Name: names[i], Journeys: by[id]}
	}
	return groups
}

// ExitCategories are the columns of early exits, in order: every category a
// practitioner chooses from, then those ended early before categories were
// recorded.
var ExitCategories = programme.ReportedExits

// exitIndex is a category's column; anything not on the list is "not recorded".
func exitIndex(c programme.ExitCategory) int {
	for i, x := range ExitCategories {
		if x == c {
			return i
		}
	}
	return len(ExitCategories) - 1
}
