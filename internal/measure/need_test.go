package measure

import (
	"errors"
	"maps"
	"slices"
	"testing"

	"haven/internal/haven"
)

func fullNeeds(p Point, st NeedStatus, c Change) Needs {
	n := Needs{Point: p, AssessedOn: haven.NewDate(2026, 11, 1), StableHousing: Yes, PaidWork: No, ChildContact: FactNotKnown}
	for i, d := range NeedDomains {
		n.Readings[i] = NeedReading{Domain: d, Status: st, Change: c}
	}
	return n
}

func fieldsOf(err error) []string {
	he, ok := errors.AsType[*haven.Error](err)
	if !ok {
		return nil
	}
	return slices.Sorted(maps.Keys(he.Fields))
}

// The change rule: refused at baseline; at a later point required only
// where both this reading and her previous one are known.
func TestCheckNeeds(t *testing.T) {
	today := haven.NewDate(2026, 11, 23)
	knownBefore := PreviousNeeds{}
	for _, d := range NeedDomains {
		knownBefore[d] = PreviousReading{Point: Baseline, Status: Need}
	}
	housingUnknown := maps.Clone(knownBefore)
	housingUnknown[NeedHousing] = PreviousReading{Point: Baseline, Status: NeedNotKnown}
	mixed := fullNeeds(Month6, NoNeed, Stable)
	mixed.Readings[4] = NeedReading{Domain: NeedEducationWork, Status: NeedNotKnown}
	all := func(suffix string) []string {
		var out []string
		for _, d := range NeedDomains {
			out = append(out, string(d)+suffix)
		}
		slices.Sort(out)
		return out
	}
	tests := []struct {
		name string
		n    Needs
		prev PreviousNeeds
		want []string
	}{
		{"baseline, complete", fullNeeds(Baseline, Need, ""), nil, nil},
		{"baseline with changes", fullNeeds(Baseline, Need, Improved), nil, all("-change")},
		{"later, no earlier reading: change optional", fullNeeds(Month6, Need, ""), nil, nil},
		{"later, no earlier reading: change accepted", fullNeeds(Month6, Need, Worse), nil, nil},
		{"later, both known: change required", fullNeeds(Month12, NoNeed, ""), knownBefore, all("-change")},
		{"later, earlier housing not known", func() Needs { n := fullNeeds(Month12, NoNeed, Improved); n.Readings[3].Change = ""; return n }(), housingUnknown, nil},
		{"later, this one not known: optional", mixed, knownBefore, nil},
		{"nothing chosen", Needs{Point: Exit}, nil, append([]string{"assessedOn", "childContact", "paidWork", "stableHousing"}, all("")...)},
		{"values off the list", func() Needs {
			n := fullNeeds(Exit, "maybe", "better")
			n.PaidWork = "perhaps"
			return n
		}(), nil, append(append([]string{"paidWork"}, all("")...), all("-change")...)},
		{"domains out of order", func() Needs {
			n := fullNeeds(Exit, Need, "")
			n.Readings[0], n.Readings[1] = n.Readings[1], n.Readings[0]
			return n
		}(), nil, []string{"domestic-abuse", "substance-use"}},
		{"no point", fullNeeds("24-months", Need, ""), nil, []string{"point"}},
		{"in the future", func() Needs { n := fullNeeds(Baseline, Need, ""); n.AssessedOn = haven.NewDate(2026, 11, 24); return n }(), nil, []string{"assessedOn"}},
		{"before 2000", func() Needs { n := fullNeeds(Baseline, Need, ""); n.AssessedOn = haven.NewDate(1999, 12, 31); return n }(), nil, []string{"assessedOn"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			slices.Sort(tt.want)
			if got := fieldsOf(CheckNeeds(tt.n, tt.prev, today)); !slices.Equal(got, tt.want) {
				t.Errorf("fields %v, want %v", got, tt.want)
			}
		})
	}
	for _, f := range fieldsOf(CheckNeeds(Needs{Point: "x"}, nil, today)) {
		if !slices.Contains(NeedFields(), f) {
			t.Errorf("field %q is not in the form's order", f)
		}
	}
}

// Earlier takes each domain's latest reading before the point, in programme order.
func TestEarlier(t *testing.T) {
	base := fullNeeds(Baseline, Need, "")
	twelve := fullNeeds(Month12, NoNeed, Improved)
	exit := fullNeeds(Exit, NeedNotKnown, "")
	stored := []Needs{exit, twelve, base} // any order
	for _, tt := range []struct {
		at   Point
		want PreviousReading
		ok   bool
	}{
		{Baseline, PreviousReading{}, false},
		{Month6, PreviousReading{Baseline, Need}, true},
		{Month12, PreviousReading{Baseline, Need}, true},
		{Month18, PreviousReading{Month12, NoNeed}, true},
		{FollowUp, PreviousReading{Exit, NeedNotKnown}, true},
	} {
		got, ok := Earlier(stored, tt.at)[NeedHousing]
		if got != tt.want || ok != tt.ok {
			t.Errorf("before %s: %+v %v, want %+v %v", tt.at, got, ok, tt.want, tt.ok)
		}
	}
}

func TestDueOn(t *testing.T) {
	d := func(s string) haven.Date {
		v, err := haven.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	engaging := Span{Engaged: d("2026-11-01")}
	running := Span{Engaged: d("2026-07-15"), Started: d("2026-08-31")}
	ended := Span{Engaged: d("2026-01-10"), Started: d("2026-02-01"), Ended: d("2027-01-31")}
	neverEngaged := Span{Ended: d("2026-03-01")}
	for _, tt := range []struct {
		name string
		sp   Span
		p    Point
		want string // "" for not due
	}{
		{"engaging: baseline from engagement", engaging, Baseline, "2026-11-29"},
		{"engaging: no 6 months yet", engaging, Month6, ""},
		{"engaging: no exit", engaging, Exit, ""},
		{"running: baseline from the programme start", running, Baseline, "2026-09-28"},
		{"running: 6 months", running, Month6, "2027-02-28"},
		{"running: 12 months", running, Month12, "2027-08-31"},
		{"running: 18 months", running, Month18, "2028-02-29"},
		{"running: no exit", running, Exit, ""},
		{"running: follow-up never", running, FollowUp, ""},
		{"ended: exit within 4 weeks", ended, Exit, "2027-02-28"},
		{"ended: no baseline", ended, Baseline, ""},
		{"ended: no 12 months", ended, Month12, ""},
		{"never engaged: no exit", neverEngaged, Exit, ""},
		{"nothing known", Span{}, Baseline, ""},
	} {
		got, ok := tt.sp.DueOn(tt.p)
		if (tt.want == "") == ok || (ok && got.String() != tt.want) {
			t.Errorf("%s: %s %v, want %q", tt.name, got, ok, tt.want)
		}
	}
	// Shown from 28 days before its date, and on until recorded.
	due := d("2027-02-28")
	for day, want := range map[string]bool{"2027-01-30": false, "2027-01-31": true, "2027-02-28": true, "2028-01-01": true} {
		if got := Shows(due, d(day)); got != want {
			t.Errorf("due 28 February, on %s: shows %v", day, got)
		}
	}
}

func TestSchedule(t *testing.T) {
	def := DefaultSchedule()
	if len(def.Slots) != 20 || def.Own || !def.Has(ScheduleItem(GAD7), Exit) || def.Has(ScheduleItem(WEMWBS), Baseline) || def.Has(NeedsItem, FollowUp) {
		t.Errorf("defaults: %+v", def)
	}
	for s, ok := range map[string]bool{"phq9:baseline": true, "needs:exit": true, "swemwbs:18-months": true, "phq9:follow-up": false, "phq9": false, "star:baseline": false, ":": false, "needs:exit:x": false} {
		if sl, got := ParseSlot(s); got != ok || (ok && SlotValue(sl.Item, sl.Point) != s) {
			t.Errorf("ParseSlot(%q) = %+v %v", s, sl, got)
		}
	}
	none := func(ID) bool { return false }
	if got := fieldsOf(CheckSchedule([]Slot{{ScheduleItem(SWEMWBS), Month6}, {NeedsItem, Exit}}, func(id ID) bool { return id != SWEMWBS })); !slices.Equal(got, []string{"slot-swemwbs"}) {
		t.Errorf("SWEMWBS unregistered: %v", got)
	}
	if err := CheckSchedule([]Slot{{ScheduleItem(PHQ9), Exit}, {NeedsItem, Baseline}}, none); err != nil {
		t.Errorf("PHQ-9 needs no registration: %v", err)
	}
	if got := fieldsOf(CheckSchedule([]Slot{{NeedsItem, FollowUp}}, none)); !slices.Equal(got, []string{"schedule"}) {
		t.Errorf("follow-up: %v", got)
	}
}

// A missed point lapses when the next one opens; baseline does not lapse
// while she is engaging. Ash started on 31 August 2026 (see TestDueOn).
func TestCurrent(t *testing.T) {
	d := func(s string) haven.Date {
		v, err := haven.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	ash := Span{Engaged: d("2026-07-15"), Started: d("2026-08-31")}
	for _, tt := range []struct {
		p     Point
		today string
		want  bool
	}{
		{Baseline, "2026-08-30", false}, // before the programme start: engagement counts only while she has not started
		{Baseline, "2026-08-31", true},
		{Baseline, "2027-01-30", true},  // overdue
		{Baseline, "2027-01-31", false}, // 6 months opens: lapsed
		{Month6, "2027-01-30", false},
		{Month6, "2027-01-31", true},
		{Month6, "2027-08-02", true},
		{Month6, "2027-08-03", false}, // 12 months opens on 3 August (31 August − 28 days)
		{Month12, "2027-08-03", true},
		{Month12, "2028-01-31", true},
		{Month12, "2028-02-01", false}, // 18 months opens on 1 February (29 February − 28 days)
		{Month18, "2028-02-01", true},
		{Month18, "2030-01-01", true}, // until the programme ends
	} {
		if _, got := ash.Current(tt.p, d(tt.today)); got != tt.want {
			t.Errorf("%s on %s: %v, want %v", tt.p, tt.today, got, tt.want)
		}
	}
	engaging := Span{Engaged: d("2026-01-05")}
	if _, ok := engaging.Current(Baseline, d("2027-06-01")); !ok {
		t.Error("baseline lapsed while she is engaging")
	}
}

// OpenedBy agrees with Shows for every start over three years, on month
// ends and in a leap year: the tasks query's filter leaves out no task.
func TestOpenedBy(t *testing.T) {
	for _, today := range []string{"2027-02-10", "2028-02-01", "2028-03-31", "2026-12-31", "2027-08-03"} {
		td, err := haven.ParseDate(today)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range []int{6, 12, 18} {
			edge := OpenedBy(n, td)
			for i := -1200; i < 400; i++ {
				start := addDays(td, i)
				opened := Shows(start.AddMonths(n), td)
				if opened != !edge.Before(start) {
					t.Fatalf("today %s, %d months, start %s: opened %v, but OpenedBy is %s", today, n, start, opened, edge)
				}
			}
		}
	}
}
