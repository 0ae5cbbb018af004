package reunify

import (
	"fmt"
	"slices"
	"time"

	"haven/internal/evaluate"
	"haven/internal/haven"
)

// The LA team's dashboard: returns home and re-entry to care, computed from
// episodes alone, with every count that leaves the team's own records
// suppressed as everywhere in Haven (internal/evaluate). Pure functions over
// plain slices; the store reads the slices.

// NationalReEntry is the national figure beside each re-entry window, with
// its source exactly as DOMAIN.md §5.3 gives it.
type NationalReEntry struct {
	Months  int
	Label   string
	Percent int
}

// NationalReEntrySource is the line DOMAIN.md §5.3 gives for the 2022-23
// re-entry figures, quoted exactly.
const NationalReEntrySource = "[confirmed: https://racetothemoon.nspcc.org.uk/about-us/news-opinion/2024/calling-on-uk-government-improve-support-reunited-families; communitypractitioner.co.uk]"

// NationalReEntryFigures is DOMAIN.md §5.3, "2024 update (University of
// Sussex for NSPCC)": "2022-23: 27% of children leaving care went home. Of
// these, 12% re-entered within 3 months, 20% within a year, 35% within six
// years."
var NationalReEntryFigures = []NationalReEntry{
	{Months: 3, Label: "Within 3 months", Percent: 12},
	{Months: 12, Label: "Within 12 months", Percent: 20},
	{Months: 72, Label: "Within 6 years", Percent: 35},
}

// Return is one return home: an episode that ended E4A or E4B, and the
// child's next episode starting with RNE S, if any (the re-entry). X1 is not
// an exit, so an episode ending X1 is never a return.
type Return struct {
	Child   int64
	On      haven.Date // the episode's end (DEC)
	REC     string     // E4A or E4B
	ReEntry haven.Date // the re-entry's start; zero if none
}

// ReEnteredWithin reports whether the child came back into care within
// months of the return.
func (r Return) ReEnteredWithin(months int) bool {
	return !r.ReEntry.IsZero() && !r.On.AddMonths(months).Before(r.ReEntry)
}

// Judged reports whether months have passed since the return by asOf, so
// that "did not re-enter within months" is known. A return too recent is
// left out of that window's rate, never counted as having held.
func (r Return) Judged(months int, asOf haven.Date) bool {
	return !asOf.Before(r.On.AddMonths(months))
}

// Returns finds every return home in eps (any children, any order) and its
// re-entry, oldest first.
func Returns(eps []Episode) []Return {
	byChild := map[int64][]Episode{}
	for _, e := range eps {
		byChild[e.Child] = append(byChild[e.Child], e)
	}
	var out []Return
	for child, es := range byChild {
		slices.SortFunc(es, func(a, b Episode) int { return a.StartsOn.Time().Compare(b.StartsOn.Time()) })
		for i, e := range es {
			if !e.ReturnedHome() || e.Open() {
				continue
			}
			r := Return{Child: child, On: e.EndsOn, REC: e.REC}
			for _, next := range es[i+1:] {
				if next.RNE == "S" && !next.StartsOn.Before(e.EndsOn) {
					r.ReEntry = next.StartsOn
					break
				}
			}
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b Return) int {
		if c := a.On.Time().Compare(b.On.Time()); c != 0 {
			return c
		}
		return int(a.Child - b.Child)
	})
	return out
}

// FinancialYear is the 903's collection year a date falls in (1 April to
// 31 March), by its first calendar year.
func FinancialYear(d haven.Date) int {
	t := d.Time()
	if t.Month() < time.April {
		return t.Year() - 1
	}
	return t.Year()
}

// YearLabel names a financial year as GOV.UK statistics do: "2023 to 2024".
func YearLabel(y int) string { return fmt.Sprintf("%d to %d", y, y+1) }

// YearReturns is one year's returns home, planned (E4A) and not (E4B).
type YearReturns struct {
	Year                      int
	Planned, Unplanned, Total evaluate.Figure
}

// ReEntryRow is re-entry within one window: of the returns that can be
// judged (the window has passed), how many came back into care.
type ReEntryRow struct {
	NationalReEntry
	Judged, ReEntered, TooRecent evaluate.Figure
}

// Rate is the share re-entering, hidden wherever a count is.
func (r ReEntryRow) Rate() (string, bool) { return evaluate.Rate(r.ReEntered, r.Judged) }

// CaseSpan is what the dashboard needs of a reunification case: when it was
// open and how far it got.
type CaseSpan struct {
	Child    int64
	OpenedOn haven.Date
	ClosedOn haven.Date // zero while open
	Stage    Stage
}

// planned reports whether the case had reached the reunification plan (the
// plan and parental agreement, or any stage after it on the way home).
func (c CaseSpan) planned() bool {
	if c.Stage == StageAlternative {
		return false
	}
	at := slices.IndexFunc(Stages, func(s Choice) bool { return s.Value == string(c.Stage) })
	plan := slices.IndexFunc(Stages, func(s Choice) bool { return s.Value == string(StagePlan) })
	return at >= plan
}

// WithPlan reports whether the child went home r with a reunification plan:
// a case open on the day of the return (opened on or before it, not closed
// before it) that had reached the plan stage.
func WithPlan(r Return, cases []CaseSpan) bool {
	for _, c := range cases {
		if c.Child != r.Child || r.On.Before(c.OpenedOn) || (!c.ClosedOn.IsZero() && c.ClosedOn.Before(r.On)) {
			continue
		}
		if c.planned() {
			return true
		}
	}
	return false
}

// Dashboard is the LA team's figures, every count suppressed together, so
// that no hidden count can be worked out from any other on the page.
type Dashboard struct {
	AsOf     haven.Date
	Years    []YearReturns // oldest first
	AllYears YearReturns   // every year together (Year 0)
	ReEntry  []ReEntryRow  // in the order of NationalReEntryFigures
	// With a plan: of every return, those made with a reunification plan.
	WithPlan evaluate.Figure

	// Every count and how the counts add up, with what Suppress decided,
	// for the tests' attack on the margins.
	table evaluate.Table
	why   []evaluate.Reason
}

// PlanRate is the share of returns made with a plan.
func (d Dashboard) PlanRate() (string, bool) { return evaluate.Rate(d.WithPlan, d.AllYears.Total) }

// Empty reports whether the team has recorded no return home.
func (d Dashboard) Empty() bool { return d.AllYears.Total.Shown() && d.AllYears.Total.Value == 0 }

// BuildDashboard computes the dashboard from a team's returns and cases,
// suppressed at the deployment's threshold (set), as every figure in Haven is.
func BuildDashboard(returns []Return, cases []CaseSpan, asOf haven.Date, set evaluate.Settings) Dashboard {
	t := evaluate.Table{Threshold: set.Threshold}
	d := Dashboard{AsOf: asOf}

	// Returns a year, planned and not, and every year together.
	type yearCells struct{ year, planned, unplanned, total int }
	counts := map[int][2]int{}
	for _, r := range returns {
		y := FinancialYear(r.On)
		c := counts[y]
		if r.REC == "E4A" {
			c[0]++
		} else {
			c[1]++
		}
		counts[y] = c
	}
	years := make([]int, 0, len(counts))
	for y := range counts {
		years = append(years, y)
	}
	slices.Sort(years)
	var cells []yearCells
	var pCol, uCol, tCol []int
	for _, y := range years {
		c := counts[y]
		yc := yearCells{year: y, planned: t.Cell(c[0]), unplanned: t.Cell(c[1]), total: t.Cell(c[0] + c[1])}
		t.AddSum(yc.total, yc.planned, yc.unplanned)
		cells = append(cells, yc)
		pCol, uCol, tCol = append(pCol, yc.planned), append(uCol, yc.unplanned), append(tCol, yc.total)
	}
	var planned, unplanned int
	for _, y := range years {
		planned, unplanned = planned+counts[y][0], unplanned+counts[y][1]
	}
	all := yearCells{planned: t.Cell(planned), unplanned: t.Cell(unplanned), total: t.Cell(len(returns))}
	t.AddSum(all.total, all.planned, all.unplanned)
	if len(years) > 0 {
		t.AddSum(all.planned, pCol...)
		t.AddSum(all.unplanned, uCol...)
		t.AddSum(all.total, tCol...)
	}

	// Re-entry in each window: judged = re-entered + held; every return =
	// judged + too recent.
	type windowCells struct{ judged, reEntered, held, tooRecent int }
	var windows []windowCells
	for _, w := range NationalReEntryFigures {
		var judged, back int
		for _, r := range returns {
			if r.Judged(w.Months, asOf) {
				judged++
				if r.ReEnteredWithin(w.Months) {
					back++
				}
			}
		}
		wc := windowCells{judged: t.Cell(judged), reEntered: t.Cell(back), held: t.Cell(judged - back), tooRecent: t.Cell(len(returns) - judged)}
		t.AddSum(wc.judged, wc.reEntered, wc.held)
		t.AddSum(all.total, wc.judged, wc.tooRecent)
		windows = append(windows, wc)
	}

	// With a plan, and without.
	var withPlan int
	casesOf := map[int64][]CaseSpan{}
	for _, c := range cases {
		casesOf[c.Child] = append(casesOf[c.Child], c)
	}
	for _, r := range returns {
		if WithPlan(r, casesOf[r.Child]) {
			withPlan++
		}
	}
	wp, wop := t.Cell(withPlan), t.Cell(len(returns)-withPlan)
	t.AddSum(all.total, wp, wop)

	why := evaluate.Suppress(t)
	fig := func(i int) evaluate.Figure { return evaluate.Figure{Value: t.Values[i], Why: why[i]} }
	for _, c := range cells {
		d.Years = append(d.Years, YearReturns{Year: c.year, Planned: fig(c.planned), Unplanned: fig(c.unplanned), Total: fig(c.total)})
	}
	d.AllYears = YearReturns{Planned: fig(all.planned), Unplanned: fig(all.unplanned), Total: fig(all.total)}
	for i, w := range NationalReEntryFigures {
		wc := windows[i]
		d.ReEntry = append(d.ReEntry, ReEntryRow{NationalReEntry: w, Judged: fig(wc.judged), ReEntered: fig(wc.reEntered), TooRecent: fig(wc.tooRecent)})
	}
	d.WithPlan = fig(wp)
	d.table, d.why = t, why
	return d
}

// Outcome of a return, for risk classification against outcome.
const (
	OutcomeHeld      = "held"       // home for OutcomeMonths without re-entering care
	OutcomeBrokeDown = "broke-down" // re-entered care within OutcomeMonths
	OutcomeTooRecent = "too-recent" // fewer than OutcomeMonths since the return, still home
)

// OutcomeMonths is how long a return must hold to count as having held.
const OutcomeMonths = 12

// Outcomes are the outcomes in the order a table shows them.
var Outcomes = []Choice{
	{OutcomeHeld, "Still home after 12 months"},
	{OutcomeBrokeDown, "Back in care within 12 months"},
	{OutcomeTooRecent, "Too recent to judge"},
}

// OutcomeOf is a return's outcome on asOf.
func OutcomeOf(r Return, asOf haven.Date) string {
	switch {
	case r.ReEnteredWithin(OutcomeMonths):
		return OutcomeBrokeDown
	case r.Judged(OutcomeMonths, asOf):
		return OutcomeHeld
	}
	return OutcomeTooRecent
}

// RiskOutcome is one return home: the risk classification at the decision
// to return (a level of the team's risk scale) and the return's outcome
// (OutcomeOf). The classification comes from the decisions (R2's tables);
// the lead wires the two together.
type RiskOutcome struct {
	Risk    string
	Outcome string
}

// RiskRow is one risk level's returns by outcome.
type RiskRow struct {
	Risk     string
	Outcomes []evaluate.Figure // in the order of Outcomes
	Total    evaluate.Figure
}

// BreakdownRate is the share of judged returns at this level that broke
// down, hidden wherever a count is.
func (r RiskRow) BreakdownRate() (string, bool) {
	held, broke := r.Outcomes[0], r.Outcomes[1]
	if !held.Shown() || !broke.Shown() {
		return "", false
	}
	return evaluate.Rate(broke, evaluate.Figure{Value: held.Value + broke.Value})
}

// RiskTable is risk classification at decision against outcome: a row per
// level of scale (in its order) and a row for every level together, each
// with its total, suppressed together. Returns at a level not on the scale
// are left out (Unknown counts them, suppressed with the rest).
type RiskTable struct {
	Rows    []RiskRow
	All     RiskRow
	Unknown evaluate.Figure

	table evaluate.Table
	why   []evaluate.Reason
}

// RiskAgainstOutcome builds the table.
func RiskAgainstOutcome(scale []string, returns []RiskOutcome, set evaluate.Settings) RiskTable {
	t := evaluate.Table{Threshold: set.Threshold}
	n := len(Outcomes)
	counts := make([][]int, len(scale))
	for i := range counts {
		counts[i] = make([]int, n)
	}
	unknown := 0
	for _, r := range returns {
		li := slices.Index(scale, r.Risk)
		oi := slices.IndexFunc(Outcomes, func(c Choice) bool { return c.Value == r.Outcome })
		if li < 0 || oi < 0 {
			unknown++
			continue
		}
		counts[li][oi]++
	}
	cells := make([][]int, len(scale)) // outcomes, then the row total
	colTotals := make([]int, n)
	for li := range scale {
		row := 0
		for oi := 0; oi < n; oi++ {
			cells[li] = append(cells[li], t.Cell(counts[li][oi]))
			row += counts[li][oi]
			colTotals[oi] += counts[li][oi]
		}
		cells[li] = append(cells[li], t.Cell(row))
		t.AddSum(cells[li][n], cells[li][:n]...)
	}
	var all []int
	grand := 0
	for oi := 0; oi < n; oi++ {
		all = append(all, t.Cell(colTotals[oi]))
		grand += colTotals[oi]
	}
	all = append(all, t.Cell(grand))
	t.AddSum(all[n], all[:n]...)
	for c := 0; c <= n && len(scale) > 0; c++ {
		col := make([]int, 0, len(scale))
		for li := range scale {
			col = append(col, cells[li][c])
		}
		t.AddSum(all[c], col...)
	}
	u := t.Cell(unknown)
	t.AddSum(t.Cell(len(returns)), all[n], u) // every return: on the scale or not
	why := evaluate.Suppress(t)
	fig := func(i int) evaluate.Figure { return evaluate.Figure{Value: t.Values[i], Why: why[i]} }
	row := func(name string, cs []int) RiskRow {
		r := RiskRow{Risk: name, Total: fig(cs[n])}
		for _, c := range cs[:n] {
			r.Outcomes = append(r.Outcomes, fig(c))
		}
		return r
	}
	var out RiskTable
	for li, level := range scale {
		out.Rows = append(out.Rows, row(level, cells[li]))
	}
	out.All = row("All levels", all)
	out.Unknown = fig(u)
	out.table, out.why = t, why
	return out
}

// SupportShare is how many returns had a plan and support planned for at
// least MinSupportMonths (SupportedReturn.Supported), of every return,
// suppressed together.
type SupportShare struct {
	Returns, LongEnough, Shorter evaluate.Figure
}

// Rate is the share with a plan and support of at least MinSupportMonths.
func (s SupportShare) Rate() (string, bool) { return evaluate.Rate(s.LongEnough, s.Returns) }

// SupportOfSixMonths counts the returns.
func SupportOfSixMonths(spans []SupportedReturn, set evaluate.Settings) SupportShare {
	t := evaluate.Table{Threshold: set.Threshold}
	long := 0
	for _, s := range spans {
		if s.Supported() {
			long++
		}
	}
	all, l, sh := t.Cell(len(spans)), t.Cell(long), t.Cell(len(spans)-long)
	t.AddSum(all, l, sh)
	why := evaluate.Suppress(t)
	fig := func(i int) evaluate.Figure { return evaluate.Figure{Value: t.Values[i], Why: why[i]} }
	return SupportShare{Returns: fig(all), LongEnough: fig(l), Shorter: fig(sh)}
}

// CaseFacts is what the dashboard needs of one reunification case: when it
// was open, its signed-off risk classification at Decision 3 (the decision
// to return), whether the parental agreement was agreed, and when support
// after the return is planned to end.
type CaseFacts struct {
	Child         int64
	OpenedOn      haven.Date
	ClosedOn      haven.Date // zero while open
	Risk          string     // the level's label; "" if none signed off
	Agreed        bool
	SupportEndsOn haven.Date // zero if no package
}

// covers reports whether the case was open on d.
func (c CaseFacts) covers(d haven.Date) bool {
	return !d.Before(c.OpenedOn) && (c.ClosedOn.IsZero() || !c.ClosedOn.Before(d))
}

// Linked matches each return home to the child's case open on the day of
// the return, for risk against outcome and the share with a plan and at
// least six months' support. A return with no case counts with no risk
// classification, no plan and no support.
func Linked(returns []Return, cases []CaseFacts, asOf haven.Date) ([]RiskOutcome, []SupportedReturn) {
	var risks []RiskOutcome
	var supported []SupportedReturn
	for _, r := range returns {
		var c CaseFacts
		for _, k := range cases {
			if k.Child == r.Child && k.covers(r.On) {
				c = k
				break
			}
		}
		risks = append(risks, RiskOutcome{Risk: c.Risk, Outcome: OutcomeOf(r, asOf)})
		supported = append(supported, SupportedReturn{Returned: r.On, HasPlan: c.Agreed, SupportEndsOn: c.SupportEndsOn})
	}
	return risks, supported
}
