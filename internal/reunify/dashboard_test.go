package reunify

import (
	"slices"
	"testing"
	"time"

	"haven/internal/evaluate"
	"haven/internal/haven"
)

func day(y int, m time.Month, d int) haven.Date { return haven.NewDate(y, m, d) }

func TestReturnsFindsReturnsHomeAndReEntry(t *testing.T) {
	eps := []Episode{
		// Child 1 goes home twice and comes back twice.
		{Child: 1, StartsOn: day(2020, 1, 1), RNE: "S", EndsOn: day(2020, 6, 1), REC: "E4A"},
		{Child: 1, StartsOn: day(2020, 8, 1), RNE: "S", EndsOn: day(2021, 6, 1), REC: "E4B"},
		{Child: 1, StartsOn: day(2022, 1, 1), RNE: "S"},
		// Child 2: X1 is not an exit; goes home once and stays.
		{Child: 2, StartsOn: day(2023, 5, 1), RNE: "P", EndsOn: day(2025, 12, 1), REC: "E4A"},
		{Child: 2, StartsOn: day(2023, 4, 1), RNE: "S", EndsOn: day(2023, 5, 1), REC: "X1"},
		// Child 3: adopted, not a return home.
		{Child: 3, StartsOn: day(2019, 5, 1), RNE: "S", EndsOn: day(2021, 7, 1), REC: "E11"},
		// Child 4: home, then a new period after another exit is not a re-entry from this return... it is: the next S.
		{Child: 4, StartsOn: day(2019, 5, 1), RNE: "S", EndsOn: day(2019, 7, 1), REC: "E4A"},
	}
	got := Returns(eps)
	want := []Return{
		{Child: 4, On: day(2019, 7, 1), REC: "E4A"},
		{Child: 1, On: day(2020, 6, 1), REC: "E4A", ReEntry: day(2020, 8, 1)},
		{Child: 1, On: day(2021, 6, 1), REC: "E4B", ReEntry: day(2022, 1, 1)},
		{Child: 2, On: day(2025, 12, 1), REC: "E4A"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("return %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
	asOf := day(2026, 3, 31)
	// Hand-computed: which return is judged and re-entered in each window.
	type w struct{ judged, back bool }
	table := []struct {
		r           Return
		m3, m12, y6 w
	}{
		{want[0], w{true, false}, w{true, false}, w{true, false}},   // 2025-07-01 ≤ as of
		{want[1], w{true, true}, w{true, true}, w{false, true}},     // back after 2 months
		{want[2], w{true, false}, w{true, true}, w{false, true}},    // back after 7 months
		{want[3], w{true, false}, w{false, false}, w{false, false}}, // 1 March 2026 is 3 months on
	}
	for i, c := range table {
		for _, x := range []struct {
			months int
			want   w
		}{{3, c.m3}, {12, c.m12}, {72, c.y6}} {
			if g := (w{c.r.Judged(x.months, asOf), c.r.ReEnteredWithin(x.months)}); g != x.want {
				t.Errorf("return %d, %d months: got %+v, want %+v", i, x.months, g, x.want)
			}
		}
	}
}

func TestReEntryWindowBoundaries(t *testing.T) {
	r := Return{On: day(2023, 8, 31), ReEntry: day(2023, 11, 30)}
	if !r.ReEnteredWithin(3) { // 31 August + 3 months is 30 November
		t.Error("re-entry on the last day of the window not counted")
	}
	r.ReEntry = day(2023, 12, 1)
	if r.ReEnteredWithin(3) {
		t.Error("re-entry the day after the window counted")
	}
	if r.Judged(3, day(2023, 11, 29)) || !r.Judged(3, day(2023, 11, 30)) {
		t.Error("judged a day early or late")
	}
}

func TestFinancialYear(t *testing.T) {
	for _, c := range []struct {
		d    haven.Date
		want int
	}{{day(2024, 3, 31), 2023}, {day(2024, 4, 1), 2024}, {day(2025, 1, 1), 2024}} {
		if got := FinancialYear(c.d); got != c.want {
			t.Errorf("%s: got %d, want %d", c.d, got, c.want)
		}
	}
	if YearLabel(2023) != "2023 to 2024" {
		t.Error(YearLabel(2023))
	}
}

// twentyReturns: 20 children home on 1 June 2023, 12 planned and 8 not; 6
// back after 2 months, 4 more after 8; the first 10 with a case at the plan
// stage or later, one of them with a case closed before the return.
func twentyReturns() ([]Return, []CaseSpan) {
	var rs []Return
	var cs []CaseSpan
	for i := range 20 {
		r := Return{Child: int64(i + 1), On: day(2023, 6, 1), REC: "E4A"}
		if i >= 12 {
			r.REC = "E4B"
		}
		switch {
		case i < 6:
			r.ReEntry = day(2023, 8, 1)
		case i < 10:
			r.ReEntry = day(2024, 2, 1)
		}
		rs = append(rs, r)
		switch {
		case i < 10:
			cs = append(cs, CaseSpan{Child: r.Child, OpenedOn: day(2023, 1, 1), Stage: StageSupport})
		case i == 10: // closed before the return: not with a plan
			cs = append(cs, CaseSpan{Child: r.Child, OpenedOn: day(2022, 1, 1), ClosedOn: day(2022, 6, 1), Stage: StageClosed})
		case i == 11: // never reached the plan
			cs = append(cs, CaseSpan{Child: r.Child, OpenedOn: day(2023, 1, 1), Stage: StageAssessment})
		case i == 12: // alternative permanence
			cs = append(cs, CaseSpan{Child: r.Child, OpenedOn: day(2023, 1, 1), Stage: StageAlternative})
		}
	}
	return rs, cs
}

func TestBuildDashboardHandComputed(t *testing.T) {
	rs, cs := twentyReturns()
	d := BuildDashboard(rs, cs, day(2026, 3, 31), evaluate.Settings{})
	shown := func(name string, f evaluate.Figure, want int) {
		t.Helper()
		if !f.Shown() || f.Value != want {
			t.Errorf("%s: got %+v, want %d shown", name, f, want)
		}
	}
	if len(d.Years) != 1 || d.Years[0].Year != 2023 {
		t.Fatalf("years %+v", d.Years)
	}
	shown("planned", d.Years[0].Planned, 12)
	shown("unplanned", d.Years[0].Unplanned, 8)
	shown("total", d.Years[0].Total, 20)
	shown("all", d.AllYears.Total, 20)
	want := []struct{ judged, back, recent int }{{20, 6, 0}, {20, 10, 0}, {0, 0, 20}}
	for i, w := range want {
		row := d.ReEntry[i]
		shown(row.Label+" judged", row.Judged, w.judged)
		shown(row.Label+" re-entered", row.ReEntered, w.back)
		shown(row.Label+" too recent", row.TooRecent, w.recent)
	}
	if r, ok := d.ReEntry[0].Rate(); !ok || r != "30%" {
		t.Errorf("3-month rate %q", r)
	}
	if r, ok := d.ReEntry[1].Rate(); !ok || r != "50%" {
		t.Errorf("12-month rate %q", r)
	}
	if _, ok := d.ReEntry[2].Rate(); ok {
		t.Error("a rate of nothing judged shown")
	}
	shown("with plan", d.WithPlan, 10)
	if r, _ := d.PlanRate(); r != "50%" {
		t.Errorf("plan rate %q", r)
	}
	if d.ReEntry[1].Percent != 20 || d.ReEntry[2].Months != 72 {
		t.Errorf("national figures %+v", d.ReEntry)
	}
}

// attack solves a suppressed table's margins and fails if any count from 1
// to 4 is shown or can be worked out.
func attack(t *testing.T, table evaluate.Table, why []evaluate.Reason) {
	t.Helper()
	for i, iv := range evaluate.Bounds(table, why) {
		v := table.Values[i]
		if !why[i].Hidden() {
			if v > 0 && v < evaluate.MinThreshold {
				t.Errorf("cell %d shows %d", i, v)
			}
			continue
		}
		if iv.Exact() {
			t.Errorf("hidden cell %d (%d) can be worked out", i, v)
		}
	}
}

func TestBuildDashboardSuppressesSmallNumbers(t *testing.T) {
	rs, cs := twentyReturns()
	// Three more years: one with 3 unplanned returns, one with 1 of each,
	// one with 9 planned; two of the 3 came back within 3 months.
	for i := range 3 {
		r := Return{Child: int64(100 + i), On: day(2021, 5, 1), REC: "E4B"}
		if i < 2 {
			r.ReEntry = day(2021, 6, 1)
		}
		rs = append(rs, r)
	}
	rs = append(rs, Return{Child: 200, On: day(2022, 5, 1), REC: "E4A"}, Return{Child: 201, On: day(2022, 5, 1), REC: "E4B"})
	for i := range 9 {
		rs = append(rs, Return{Child: int64(300 + i), On: day(2025, 10, 1), REC: "E4A"})
	}
	d := BuildDashboard(rs, cs, day(2026, 3, 31), evaluate.Settings{})
	attack(t, d.table, d.why)
	if d.Years[0].Unplanned.Shown() {
		t.Errorf("3 unplanned returns shown: %+v", d.Years[0])
	}
	if d.Years[0].Total.Shown() {
		t.Errorf("a year of 3 returns shown: %+v", d.Years[0])
	}
	for _, row := range d.ReEntry {
		if _, ok := row.Rate(); ok && (!row.ReEntered.Shown() || !row.Judged.Shown()) {
			t.Errorf("%s: rate shown with a hidden count", row.Label)
		}
	}
}

func TestBuildDashboardEmpty(t *testing.T) {
	d := BuildDashboard(nil, nil, day(2026, 3, 31), evaluate.Settings{})
	if !d.Empty() || len(d.Years) != 0 || len(d.ReEntry) != 3 {
		t.Errorf("%+v", d)
	}
	if _, ok := d.PlanRate(); ok {
		t.Error("a plan rate of no returns")
	}
}

func TestOutcomeOf(t *testing.T) {
	asOf := day(2026, 3, 31)
	for _, c := range []struct {
		r    Return
		want string
	}{
		{Return{On: day(2024, 1, 1)}, OutcomeHeld},
		{Return{On: day(2024, 1, 1), ReEntry: day(2025, 1, 1)}, OutcomeBrokeDown}, // 12 months to the day
		{Return{On: day(2024, 1, 1), ReEntry: day(2025, 1, 2)}, OutcomeHeld},      // came back later
		{Return{On: day(2025, 6, 1)}, OutcomeTooRecent},                           //
		{Return{On: day(2025, 6, 1), ReEntry: day(2025, 7, 1)}, OutcomeBrokeDown}, // known already
	} {
		if got := OutcomeOf(c.r, asOf); got != c.want {
			t.Errorf("%+v: got %s, want %s", c.r, got, c.want)
		}
	}
}

func TestRiskAgainstOutcome(t *testing.T) {
	scale := []string{"Low", "Medium", "High", "Very high"}
	var rs []RiskOutcome
	add := func(risk, outcome string, n int) {
		for range n {
			rs = append(rs, RiskOutcome{Risk: risk, Outcome: outcome})
		}
	}
	add("Low", OutcomeHeld, 10)
	add("Low", OutcomeBrokeDown, 5)
	add("Low", OutcomeTooRecent, 6)
	add("Medium", OutcomeHeld, 8)
	add("Medium", OutcomeBrokeDown, 2)
	add("Medium", OutcomeTooRecent, 7)
	add("High", OutcomeBrokeDown, 9)
	add("High", OutcomeHeld, 6)
	add("", OutcomeHeld, 1) // no classification recorded
	rt := RiskAgainstOutcome(scale, rs, evaluate.Settings{})
	attack(t, rt.table, rt.why)
	// Hand-computed counts, hidden or not: held, broke down, too recent.
	want := [][]int{{10, 5, 6}, {8, 2, 7}, {6, 9, 0}, {0, 0, 0}}
	for li, row := range rt.Rows {
		for oi, f := range row.Outcomes {
			if f.Value != want[li][oi] {
				t.Errorf("%s %s: got %d, want %d", row.Risk, Outcomes[oi].Value, f.Value, want[li][oi])
			}
		}
		judged := row.Outcomes[0].Value + row.Outcomes[1].Value
		if r, ok := row.BreakdownRate(); ok != (row.Outcomes[0].Shown() && row.Outcomes[1].Shown() && judged > 0) {
			t.Errorf("%s: rate %q shown %v with %+v", row.Risk, r, ok, row.Outcomes)
		}
	}
	if rt.All.Total.Value != 53 || rt.All.Outcomes[0].Value != 24 {
		t.Errorf("all levels %+v", rt.All)
	}
	if rt.Rows[1].Outcomes[1].Why != evaluate.Small {
		t.Errorf("Medium broke down (2): %+v", rt.Rows[1].Outcomes[1])
	}
	// One level, every count 5 or more: every figure and the rate shown.
	one := RiskAgainstOutcome(scale[:1], rs[:21], evaluate.Settings{})
	low := one.Rows[0]
	for i, w := range []int{10, 5, 6} {
		if !low.Outcomes[i].Shown() || low.Outcomes[i].Value != w {
			t.Errorf("Low %s: %+v", Outcomes[i].Value, low.Outcomes[i])
		}
	}
	if r, ok := low.BreakdownRate(); !ok || r != "33%" { // 5 of 15 judged
		t.Errorf("Low breakdown rate %q", r)
	}
	if rt.Rows[1].Outcomes[1].Shown() {
		t.Error("Medium broke down (2) shown")
	}
	if _, ok := rt.Rows[1].BreakdownRate(); ok {
		t.Error("a rate shown with a hidden count")
	}
	if vh := rt.Rows[3]; !vh.Total.Shown() || vh.Total.Value != 0 {
		t.Errorf("Very high: %+v", vh.Total)
	}
	if rt.Unknown.Shown() {
		t.Error("one unclassified return shown")
	}
	if len(rt.Rows) != 4 || rt.All.Risk != "All levels" {
		t.Errorf("rows %+v", rt.Rows)
	}
}

func TestSupportOfSixMonths(t *testing.T) {
	var spans []SupportedReturn
	for range 10 { // a plan and exactly 6 months: long enough
		spans = append(spans, SupportedReturn{Returned: day(2024, 8, 31), HasPlan: true, SupportEndsOn: day(2025, 2, 28)})
	}
	for range 3 { // a day short
		spans = append(spans, SupportedReturn{Returned: day(2024, 8, 31), HasPlan: true, SupportEndsOn: day(2025, 2, 27)})
	}
	for range 2 { // no package
		spans = append(spans, SupportedReturn{Returned: day(2024, 8, 31), HasPlan: true})
	}
	for range 2 { // a year's support but no plan
		spans = append(spans, SupportedReturn{Returned: day(2024, 8, 31), SupportEndsOn: day(2025, 8, 31)})
	}
	s := SupportOfSixMonths(spans, evaluate.Settings{})
	if !s.Returns.Shown() || s.Returns.Value != 17 || !s.LongEnough.Shown() || s.LongEnough.Value != 10 {
		t.Errorf("%+v", s)
	}
	if r, ok := s.Rate(); !ok || r != "59%" {
		t.Errorf("rate %q", r)
	}
	small := SupportOfSixMonths(spans[8:], evaluate.Settings{}) // 2 long enough, 5 not
	if small.LongEnough.Shown() {
		t.Errorf("2 shown: %+v", small)
	}
	if _, ok := small.Rate(); ok {
		t.Error("rate shown with a hidden count")
	}
}

// Hand-worked: child 1 went home on 1 March 2025 while its case (risk High,
// agreed, support to 1 October 2025) was open, and came back on 1 June
// 2025; child 2 went home on 10 January 2024 under a case closed on 10 July
// 2024 (risk Low, agreed, support to 10 June 2024: five months) and stayed;
// child 3 went home on 1 November 2026 with no case at all; child 1's
// earlier case, closed before the return, is not the one that counts.
func TestLinked(t *testing.T) {
	asOf := day(2026, 12, 7)
	returns := []Return{
		{Child: 1, On: day(2025, 3, 1), REC: "E4A", ReEntry: day(2025, 6, 1)},
		{Child: 2, On: day(2024, 1, 10), REC: "E4A"},
		{Child: 3, On: day(2026, 11, 1), REC: "E4B"},
	}
	cases := []CaseFacts{
		{Child: 1, OpenedOn: day(2022, 1, 1), ClosedOn: day(2023, 1, 1), Risk: "Very high"},
		{Child: 1, OpenedOn: day(2024, 6, 1), Risk: "High", Agreed: true, SupportEndsOn: day(2025, 10, 1)},
		{Child: 2, OpenedOn: day(2023, 5, 1), ClosedOn: day(2024, 7, 10), Risk: "Low", Agreed: true, SupportEndsOn: day(2024, 6, 10)},
	}
	risks, supported := Linked(returns, cases, asOf)
	wantRisk := []RiskOutcome{{"High", OutcomeBrokeDown}, {"Low", OutcomeHeld}, {"", OutcomeTooRecent}}
	if !slices.Equal(risks, wantRisk) {
		t.Errorf("risks %+v, want %+v", risks, wantRisk)
	}
	wantSupported := []bool{true, false, false}
	for i, s := range supported {
		if s.Supported() != wantSupported[i] {
			t.Errorf("return %d: supported %v, want %v (%+v)", i, s.Supported(), wantSupported[i], s)
		}
	}
}

// The deployment's threshold (set on the evaluation settings page) holds on
// the LA dashboard too: at 10, the 8 unplanned returns are hidden, and so is
// one more figure of their sum, so the 8 cannot be worked out.
func TestBuildDashboardUsesTheDeploymentThreshold(t *testing.T) {
	rs, cs := twentyReturns()
	if d := BuildDashboard(rs, cs, day(2026, 3, 31), evaluate.Settings{}); !d.Years[0].Unplanned.Shown() {
		t.Fatal("at the default threshold the 8 unplanned returns are shown")
	}
	d := BuildDashboard(rs, cs, day(2026, 3, 31), evaluate.Settings{Threshold: 10})
	y := d.Years[0]
	if y.Unplanned.Shown() {
		t.Errorf("at 10, a count of 8 is shown: %+v", y.Unplanned)
	}
	if y.Planned.Shown() && y.Total.Shown() {
		t.Error("planned and total both shown: the 8 is their difference")
	}
}
