package evaluate

import (
	"math/rand/v2"
	"testing"
	"time"

	"haven/internal/haven"
	"haven/internal/programme"
)

// journeysFor makes n enrolments, each engaged on start, with extra set by fn.
func journeysFor(n int, practice int64, start haven.Date, fn func(i int, j *Journey)) []Journey {
	out := make([]Journey, n)
	for i := range out {
		out[i] = Journey{Practice: practice, Person: practice*1000 + int64(i), EngagedOn: start, ReferredOn: start.AddMonths(-1)}
		if fn != nil {
			fn(i, &out[i])
		}
	}
	return out
}

// Counts are exact and add up; a Practice's small counts are hidden with
// enough others that none can be worked out, and a rate is hidden with its count.
func TestBuildOutcomes(t *testing.T) {
	asOf := d(2026, 12, 1)
	// Practice 1: 12 enrolments engaged in January 2022 (both windows closed):
	// 3 had new proceedings (metric 2 not met), 2 a pregnancy in 18 months,
	// 10 completed and 2 ended early after 4 months.
	p1 := journeysFor(12, 1, d(2022, 1, 10), func(i int, j *Journey) {
		if i < 3 {
			j.Proceedings = []Proceedings{{IssuedOn: d(2023, 6, 1)}}
		}
		if i >= 3 && i < 5 {
			j.Pregnancies = []haven.Date{d(2022, 10, 1)}
		}
		j.EndedOn, j.Ended = d(2023, 7, 10), Completed
		if i >= 10 {
			j.EndedOn, j.Ended = d(2022, 5, 10), EndedEarly
		}
	})
	// Practice 2: 8 engaged in June 2026 (too recent for both), 1 never engaged.
	p2 := journeysFor(8, 2, d(2026, 6, 1), nil)
	p2 = append(p2, Journey{Practice: 2, Person: 2999, ReferredOn: d(2026, 9, 1)})
	o := BuildOutcomes([]OutcomeGroup{{Key: "1", Name: "One", Journeys: p1}, {Key: "2", Name: "Two", Journeys: p2}}, asOf)
	if len(o.Rows) != 3 || o.Rows[2].Key != PooledKey {
		t.Fatalf("rows: %+v", o.Rows)
	}
	want := map[string][2][4]int{ // [metric][verdict] before suppression
		"1":       {{8, 4, 0, 0}, {9, 3, 0, 0}}, // metric 1: 12 − 2 pregnant − 2 left early = 8 met
		"2":       {{0, 0, 8, 1}, {0, 0, 8, 1}},
		PooledKey: {{8, 4, 8, 1}, {9, 3, 8, 1}},
	}
	for _, r := range o.Rows {
		for m := range Metrics {
			for v := range Verdicts {
				if got := r.Metrics[m].Verdicts[v].Value; got != want[r.Key][m][v] {
					t.Errorf("row %s metric %d %s: %d, want %d", r.Key, m+1, Verdicts[v].Title(), got, want[r.Key][m][v])
				}
			}
		}
	}
	one := o.Rows[0]
	if one.Completed.Value != 10 || one.EndedEarly.Value != 2 || one.Ended.Value != 12 {
		t.Errorf("completion: %+v %+v %+v", one.Completed, one.EndedEarly, one.Ended)
	}
	// Practice One's 4 not met (metric 1) and 3 (metric 2) are small: hidden,
	// and so is its met count beside them, or the judged total less it would tell.
	if one.Metrics[0].Verdicts[NotMet].Shown() || one.Metrics[1].Verdicts[NotMet].Shown() {
		t.Error("a count of 4 or 3 is shown")
	}
	if r := one.Metrics[1].MetRate(); r != "" {
		t.Errorf("a rate is shown (%s) though its count can be worked out only with a hidden cell beside it", r)
	}
	if one.EndedEarly.Shown() {
		t.Error("2 ended early is shown")
	}
	// Practice Two's one woman never engaged: hidden.
	if o.Rows[1].Metrics[0].Verdicts[LeftOut].Shown() {
		t.Error("1 left out is shown")
	}
	// The phase medians: Practice One's 12 waited a month each (31 days, December);
	// its programme lengths are shown only over five or more.
	if ph := one.Phases[0]; !ph.Shown() || ph.Median != 31 || ph.N.Value != 12 {
		t.Errorf("waiting: %+v", ph)
	}
	attack(t, o.Table, o.Why)
}

// attack is the reader's: solving every sum of the table must leave each
// hidden cell at least two values wide, and never pin a count from 1 to 4.
func attack(t *testing.T, tab Table, why []Reason) {
	t.Helper()
	for i, iv := range Bounds(tab, why) {
		if !why[i].Hidden() {
			continue
		}
		if iv.Exact() {
			t.Errorf("hidden cell %d (value %d) can be worked out: %+v", i, tab.Values[i], iv)
		}
		if !iv.Open && iv.Hi < tab.Least() && iv.Lo >= 1 && iv.Lo == iv.Hi {
			t.Errorf("hidden cell %d is pinned to %d", i, iv.Lo)
		}
	}
	for i, v := range tab.Values {
		if v > 0 && v < tab.Least() && !why[i].Hidden() {
			t.Errorf("cell %d shows %d", i, v)
		}
	}
}

// Random Practices: whatever the counts, no table gives a small number away.
func TestBuildOutcomesNeverGivesAwayASmallCount(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 2026))
	asOf := d(2026, 12, 1)
	for round := range 40 {
		var groups []OutcomeGroup
		for p := range 2 + rng.IntN(5) {
			n := rng.IntN(14)
			js := journeysFor(n, int64(p+1), d(2021+rng.IntN(6), time.Month(1+rng.IntN(12)), 1+rng.IntN(28)), func(i int, j *Journey) {
				if rng.IntN(4) == 0 {
					j.Proceedings = []Proceedings{{IssuedOn: j.EngagedOn.AddMonths(1 + rng.IntN(30))}}
				}
				if rng.IntN(5) == 0 {
					j.Pregnancies = []haven.Date{j.EngagedOn.AddMonths(rng.IntN(20))}
				}
				switch rng.IntN(3) {
				case 0:
					j.EndedOn, j.Ended = j.EngagedOn.AddMonths(18), Completed
				case 1:
					j.EndedOn, j.Ended = j.EngagedOn.AddMonths(1+rng.IntN(11)), EndedEarly
				}
				if rng.IntN(10) == 0 {
					j.EngagedOn = haven.Date{}
				}
			})
			groups = append(groups, OutcomeGroup{Key: string(rune('a' + p)), Journeys: js})
		}
		o := BuildOutcomes(groups, asOf)
		t.Run("round", func(t *testing.T) {
			_ = round
			attack(t, o.Table, o.Why)
		})
	}
}

// Facts at start and exit: each woman once, only those with a known answer
// at both points, suppressed with the rest of the table.
func TestOutcomeFacts(t *testing.T) {
	yes, no, unknown := "yes", "no", "not-known"
	facts := func(h, w, c string) map[string]string {
		return map[string]string{"stable-housing": h, "paid-work": w, "child-contact": c}
	}
	// Practice 1: 10 women. Housing: 4 housed at start, 9 at exit (all 10 known).
	// Work: 8 known at both (2 not known at exit), 0 at start and 5 at exit.
	// Contact: 6 known (4 never recorded at exit), 2 then 6.
	var js []Journey
	for i := range 10 {
		start := facts(no, no, no)
		exit := facts(yes, no, no)
		if i < 4 {
			start["stable-housing"] = yes
		}
		if i == 9 {
			exit["stable-housing"] = no
		}
		if i < 5 {
			exit["paid-work"] = yes
		}
		if i >= 8 {
			exit["paid-work"] = unknown
		}
		if i < 2 {
			start["child-contact"] = yes
		}
		if i < 6 {
			exit["child-contact"] = yes
		} else {
			delete(exit, "child-contact")
		}
		js = append(js, Journey{Practice: 1, Person: int64(i + 1), EngagedOn: d(2022, 1, 1), Start: start, Exit: exit})
	}
	js = append(js, Journey{Practice: 1, Person: 1, EngagedOn: d(2024, 1, 1), Start: js[0].Start, Exit: js[0].Exit}) // a second enrolment: still one woman
	o := BuildOutcomes([]OutcomeGroup{{Key: "1", Name: "One", Journeys: js}}, d(2026, 12, 1))
	got := o.Rows[0].Facts
	want := [][3]int{{10, 4, 9}, {8, 0, 5}, {6, 2, 6}}
	for i, f := range Facts {
		if g := [3]int{got[i].N.Value, got[i].AtStart.Value, got[i].AtExit.Value}; g != want[i] {
			t.Errorf("%s: %v, want %v", f.Name, g, want[i])
		}
	}
	if got[0].StartRate() != "" || got[0].N.Shown() && got[0].AtStart.Shown() {
		t.Errorf("4 housed at start is shown: %+v", got[0])
	}
	if got[1].StartRate() != "0%" || got[1].ExitRate() != "63%" {
		t.Errorf("work: %s then %s, want 0%% then 63%%", got[1].StartRate(), got[1].ExitRate())
	}
	attack(t, o.Table, o.Why)
}

// Issue 17 item 4: early exits by category, per Practice and pooled, in the
// same table as the rest. Practice One: 20 ended early, 8 lost contact, 6
// moved away, 4 new pregnancy, 2 not recorded (ended early before
// categories); Practice Two: 12 ended early, 7 lost contact, 5 moved away.
// Pooled: 15 lost contact, 11 moved away, 4 pregnancy, 2 not recorded.
// The categories add up to the early exits; the small ones are hidden and,
// with margins solved, none can be worked out.
func TestBuildOutcomesCountsEarlyExitsByCategory(t *testing.T) {
	early := func(cats ...programme.ExitCategory) func(int, *Journey) {
		return func(i int, j *Journey) {
			j.EndedOn, j.Ended, j.ExitCategory = d(2022, 5, 10), EndedEarly, cats[i]
		}
	}
	rep := func(c programme.ExitCategory, n int) []programme.ExitCategory {
		out := make([]programme.ExitCategory, n)
		for i := range out {
			out[i] = c
		}
		return out
	}
	var one, two []programme.ExitCategory
	one = append(append(append(append(one, rep(programme.ExitLostContact, 8)...), rep(programme.ExitMovedAway, 6)...), rep(programme.ExitPregnancy, 4)...), rep("", 2)...)
	two = append(append(two, rep(programme.ExitLostContact, 7)...), rep(programme.ExitMovedAway, 5)...)
	p1 := journeysFor(len(one), 1, d(2022, 1, 10), early(one...))
	p2 := journeysFor(len(two), 2, d(2022, 1, 10), early(two...))
	o := BuildOutcomes([]OutcomeGroup{{Key: "1", Name: "One", Journeys: p1}, {Key: "2", Name: "Two", Journeys: p2}}, d(2026, 12, 1))
	want := map[string]map[programme.ExitCategory]int{
		"1":       {programme.ExitLostContact: 8, programme.ExitMovedAway: 6, programme.ExitPregnancy: 4, programme.ExitNotRecorded: 2},
		"2":       {programme.ExitLostContact: 7, programme.ExitMovedAway: 5},
		PooledKey: {programme.ExitLostContact: 15, programme.ExitMovedAway: 11, programme.ExitPregnancy: 4, programme.ExitNotRecorded: 2},
	}
	for _, r := range o.Rows {
		if len(r.Exits) != len(ExitCategories) {
			t.Fatalf("row %s: %d categories", r.Key, len(r.Exits))
		}
		sum := 0
		for k, c := range ExitCategories {
			if r.Exits[k].Value != want[r.Key][c] {
				t.Errorf("row %s %s: %d, want %d", r.Key, c, r.Exits[k].Value, want[r.Key][c])
			}
			sum += r.Exits[k].Value
			if v := r.Exits[k].Value; v > 0 && v < 5 && r.Exits[k].Shown() {
				t.Errorf("row %s %s: %d shown", r.Key, c, v)
			}
		}
		if sum != r.EndedEarly.Value {
			t.Errorf("row %s: categories add up to %d, ended early %d", r.Key, sum, r.EndedEarly.Value)
		}
	}
	// Practice Two has only counts of 5 or more and zeros: its categories show.
	if two := o.Rows[1]; !two.Exits[0].Shown() || !two.Exits[1].Shown() {
		t.Errorf("Practice Two's 7 and 5 are hidden: %+v", two.Exits)
	}
	attack(t, o.Table, o.Why)
	// At a threshold of 10, nothing from 1 to 9 shows, and nothing is given away.
	o10 := BuildOutcomesWith([]OutcomeGroup{{Key: "1", Name: "One", Journeys: p1}, {Key: "2", Name: "Two", Journeys: p2}}, d(2026, 12, 1), Settings{Threshold: 10})
	for i, v := range o10.Table.Values {
		if v > 0 && v < 10 && !o10.Why[i].Hidden() {
			t.Errorf("cell %d shows %d at threshold 10", i, v)
		}
	}
	for i, iv := range Bounds(o10.Table, o10.Why) {
		if o10.Why[i].Hidden() && iv.Exact() {
			t.Errorf("hidden cell %d (%d) worked out at threshold 10", i, o10.Table.Values[i])
		}
	}
	if got := o10.Rows[1].Exits[1].Text(); got != "not shown (fewer than 10)" {
		t.Errorf("Two's 5 moved away reads %q at threshold 10", got)
	}
}
