package evaluate

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"haven/internal/haven"
)

// womanAt is a woman whose index proceedings were issued days before asOf
// (censored at asOf), or, with next > 0, long ago with her next proceedings
// next days after the index (an event).
func womanAt(person int64, asOf haven.Date, days, next int, born haven.Date, care, outcome string) Journey {
	index := asOf.Time().AddDate(0, 0, -days)
	if next > 0 {
		index = asOf.Time().AddDate(0, 0, -4000)
	}
	j := Journey{Person: person, Practice: 1, EngagedOn: d(2020, 1, 1), BornOn: born, CareExperienced: care,
		Proceedings: []Proceedings{{IssuedOn: haven.NewDate(index.Year(), index.Month(), index.Day()), Index: true, Outcome: outcome}}}
	if next > 0 {
		n := index.AddDate(0, 0, next)
		j.Proceedings = append(j.Proceedings, Proceedings{IssuedOn: haven.NewDate(n.Year(), n.Month(), n.Day())})
	}
	return j
}

// Issue 17 item 6: the yearly figures of a hand-worked curve. Five copies of
// ten women (so no count is small): next proceedings at 200 days (two, a
// tie), 500 and 900; censored at 400, 1000 and four at 3000.
//
//	t=200: n=50, d=10: S = 0.8;              Greenwood sum 10/(50·40)  = 0.005
//	t=500: n=35, d=5:  S = 0.8·30/35 = 0.6857; sum += 5/(35·30) → 0.0097619
//	t=900: n=30, d=5:  S = 0.6857·25/30 = 0.5714; sum += 5/(30·25) → 0.0164286
//
// 1 − S before 1 year = 20.0%: plain 0.8 ± 1.96·√(0.64·0.005) turned over is
// 8.9% to 31.1%; log-log 0.8^exp(±1.96·√0.005/|ln 0.8|) turned over is 11.3% to 34.0%.
// Before 2 years 31.4% (18.1% to 44.7%; 20.2% to 46.8%); from 3 to 7 years
// 42.9% (28.5% to 57.2%; 30.0% to 58.4%); at 10 years nobody was followed.
func TestBuildRecurrenceByHand(t *testing.T) {
	asOf := d(2026, 12, 1)
	var born haven.Date // set below
	var js []Journey
	person := int64(0)
	for range 5 {
		for _, w := range []struct{ days, next int }{{0, 200}, {0, 200}, {0, 500}, {0, 900}, {400, 0}, {1000, 0}, {3000, 0}, {3000, 0}, {3000, 0}, {3000, 0}} {
			person++
			js = append(js, womanAt(person, asOf, w.days, w.next, born, "yes", PlacementOrder))
		}
	}
	// Each is 22 at her first proceedings.
	for i := range js {
		js[i].BornOn = haven.NewDate(js[i].Proceedings[0].IssuedOn.Time().Year()-22, 1, 1)
	}
	for i := range js {
		if got := js[i].AgeBand(); got != "20-24" {
			t.Fatalf("woman %d: age band %s", i, got)
		}
	}
	rep := BuildRecurrence([]OutcomeGroup{{Key: "1", Name: "One", Journeys: js}}, asOf, Settings{})
	if len(rep.Rows) != 2 {
		t.Fatalf("%d rows", len(rep.Rows))
	}
	want := []struct {
		atRisk, events          int
		pct, plain, loglog, why string
	}{
		{50, 0, "0.0%", "0.0% to 0.0%", "0.0% to 0.0%", ""},
		{40, 10, "20.0%", "8.9% to 31.1%", "11.3% to 34.0%", ""},
		{30, 15, "31.4%", "18.1% to 44.7%", "20.2% to 46.8%", ""},
		{20, 20, "42.9%", "28.5% to 57.2%", "30.0% to 58.4%", ""},
		{20, 20, "42.9%", "28.5% to 57.2%", "30.0% to 58.4%", ""},
		{20, 20, "42.9%", "28.5% to 57.2%", "30.0% to 58.4%", ""},
		{20, 20, "42.9%", "28.5% to 57.2%", "30.0% to 58.4%", ""},
		{20, 20, "42.9%", "28.5% to 57.2%", "30.0% to 58.4%", ""},
		{0, 20, "", "", "", "nobody followed this long"},
	}
	for _, row := range rep.Rows {
		curves := []RecurrenceCurve{row.All}
		if row.Key == PooledKey {
			curves = append(curves, row.By[0][1], row.By[1][0], row.By[2][0])
		} else if row.By != nil || len(row.All.Points) != len(PracticeYears) {
			t.Errorf("a Practice's own curve: %d points, %d splits", len(row.All.Points), len(row.By))
		}
		for _, c := range curves {
			if c.Women.Value != 50 || !c.Women.Shown() {
				t.Errorf("%s %s: women %+v", row.Key, c.Key, c.Women)
			}
			for _, p := range c.Points {
				w := want[slices.Index(RecurrenceYears, p.Years)]
				if p.AtRisk.Value != w.atRisk || p.Events.Value != w.events || !p.AtRisk.Shown() || !p.Events.Shown() {
					t.Errorf("%s %s year %d: at risk %+v, events %+v; want %d, %d", row.Key, c.Key, p.Years, p.AtRisk, p.Events, w.atRisk, w.events)
				}
				if w.why != "" {
					if p.Shown || p.Note != w.why {
						t.Errorf("%s %s year %d: shown %v, note %q; want %q", row.Key, c.Key, p.Years, p.Shown, p.Note, w.why)
					}
					continue
				}
				if !p.Shown || p.Percent() != w.pct || p.PlainText() != w.plain || p.LogLogText() != w.loglog {
					t.Errorf("%s %s year %d: %v %s (%s; %s), want %s (%s; %s)", row.Key, c.Key, p.Years, p.Shown, p.Percent(), p.PlainText(), p.LogLogText(), w.pct, w.plain, w.loglog)
				}
			}
		}
		if row.Key != PooledKey {
			continue
		}
		// The empty strata say so and never crash.
		for _, c := range []RecurrenceCurve{row.By[0][0], row.By[1][1], row.By[2][2]} {
			if c.Women.Value != 0 || c.Note != TooFew || c.Points[1].Shown {
				t.Errorf("%s empty stratum %s: %+v", row.Key, c.Key, c)
			}
		}
	}
	attack(t, rep.Table, rep.Why)
}

// A woman enrolled twice, or in two Practices, is one observation, in the
// Practice where she first engaged.
func TestOnePerWoman(t *testing.T) {
	js := []Journey{
		{Enrolment: 3, Person: 7, Practice: 2, EngagedOn: d(2023, 1, 1)},
		{Enrolment: 1, Person: 7, Practice: 1, EngagedOn: d(2021, 1, 1)},
		{Enrolment: 2, Person: 8, Practice: 2},
		{Enrolment: 4, Person: 8, Practice: 1, ReferredOn: d(2024, 1, 1)},
		{Enrolment: 5, Person: 9, Practice: 1, EngagedOn: d(2022, 1, 1)},
	}
	got := OnePerWoman(js)
	want := map[int64]int64{7: 1, 8: 4, 9: 5}
	if len(got) != len(want) {
		t.Fatalf("%d women, want %d: %+v", len(got), len(want), got)
	}
	for _, j := range got {
		if want[j.Person] != j.Enrolment {
			t.Errorf("woman %d kept enrolment %d, want %d", j.Person, j.Enrolment, want[j.Person])
		}
	}
}

// A Practice of one woman, and one with none: "too few to estimate", no
// crash, and her count never shown.
func TestBuildRecurrenceOneWomanAndNone(t *testing.T) {
	asOf := d(2026, 12, 1)
	one := []Journey{womanAt(1, asOf, 800, 0, haven.Date{}, "unknown", "")}
	rep := BuildRecurrence([]OutcomeGroup{{Key: "1", Journeys: one}, {Key: "2"}}, asOf, Settings{})
	for _, row := range rep.Rows {
		c := row.All
		if c.Women.Shown() && c.Women.Value != 0 {
			t.Errorf("%s: one woman shown: %+v", row.Key, c.Women)
		}
		for _, p := range c.Points {
			if p.Shown {
				t.Errorf("%s year %d: an estimate over one woman is shown", row.Key, p.Years)
			}
		}
	}
	if n := rep.Rows[1].All; n.Note != TooFew {
		t.Errorf("empty Practice: note %q", n.Note)
	}
	attack(t, rep.Table, rep.Why)
}

// Random Practices: whatever the follow-up, no count from 1 to 4 can be
// worked out from the recurrence table.
func TestBuildRecurrenceNeverGivesAwayASmallCount(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 2026))
	asOf := d(2026, 12, 1)
	for range 8 {
		var groups []OutcomeGroup
		person := int64(0)
		for p := range 2 + rng.IntN(3) {
			var js []Journey
			for range rng.IntN(25) {
				person++
				born := d(1980+rng.IntN(25), time.Month(1+rng.IntN(12)), 1)
				care := []string{"yes", "no", "unknown"}[rng.IntN(3)]
				outcome := []string{PlacementOrder, "care-order", ""}[rng.IntN(3)]
				next := 0
				if rng.IntN(3) == 0 {
					next = 1 + rng.IntN(3000)
				}
				j := womanAt(person, asOf, rng.IntN(4000), next, born, care, outcome)
				j.Practice = int64(p + 1)
				js = append(js, j)
			}
			groups = append(groups, OutcomeGroup{Key: string(rune('a' + p)), Journeys: js})
		}
		rep := BuildRecurrence(groups, asOf, Settings{})
		attack(t, rep.Table, rep.Why)
		for _, row := range rep.Rows {
			for _, p := range row.All.Points {
				if p.Shown && (!p.AtRisk.Shown() || !p.Events.Shown()) {
					t.Errorf("an estimate is shown beside a hidden count")
				}
			}
		}
	}
}
