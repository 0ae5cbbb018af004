package evaluate

import (
	"testing"

	"haven/internal/haven"
)

var d = haven.NewDate

// Metric 1 (DOMAIN.md §1.8): engaged at least 12 months and no pregnancy
// within 18 months of engagement starting. Each case is worked by hand from
// an engagement start of 1 March 2024: 12 months is 1 March 2025, 18 months
// 1 September 2025.
func TestMetric1(t *testing.T) {
	start := d(2024, 3, 1)
	for _, tc := range []struct {
		name string
		j    Journey
		asOf haven.Date
		want Verdict
	}{
		{"never engaged", Journey{}, d(2026, 1, 1), LeftOut},
		{"still in her window", Journey{EngagedOn: start}, d(2025, 8, 31), TooRecent},
		{"window closed on the day", Journey{EngagedOn: start}, d(2025, 9, 1), Met},
		{"pregnancy on the last day of the window", Journey{EngagedOn: start, Pregnancies: []haven.Date{d(2025, 9, 1)}}, d(2026, 1, 1), NotMet},
		{"pregnancy the day after the window", Journey{EngagedOn: start, Pregnancies: []haven.Date{d(2025, 9, 2)}}, d(2026, 1, 1), Met},
		{"pregnancy before engagement", Journey{EngagedOn: start, Pregnancies: []haven.Date{d(2024, 2, 1)}}, d(2026, 1, 1), Met},
		{"pregnancy known early: judged at once", Journey{EngagedOn: start, Pregnancies: []haven.Date{d(2024, 9, 1)}}, d(2024, 10, 1), NotMet},
		{"pregnancy after the extract date is not yet known", Journey{EngagedOn: start, Pregnancies: []haven.Date{d(2024, 9, 1)}}, d(2024, 8, 1), TooRecent},
		{"left at 11 months", Journey{EngagedOn: start, EndedOn: d(2025, 2, 28), Ended: EndedEarly}, d(2025, 3, 1), NotMet},
		{"left on the 12-month day", Journey{EngagedOn: start, EndedOn: d(2025, 3, 1), Ended: EndedEarly}, d(2025, 9, 1), Met},
		{"completed at 18 months", Journey{EngagedOn: start, EndedOn: d(2025, 9, 1), Ended: Completed}, d(2026, 1, 1), Met},
	} {
		if got, _ := Metrics[0].Judge(tc.j, tc.asOf); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got.Title(), tc.want.Title())
		}
	}
}

// Metric 2: no new proceedings within 36 months of engagement starting
// (1 March 2024: the window closes on 1 March 2027).
func TestMetric2(t *testing.T) {
	start := d(2024, 3, 1)
	index := Proceedings{IssuedOn: d(2021, 5, 10), Index: true, Outcome: "adoption"}
	for _, tc := range []struct {
		name string
		j    Journey
		asOf haven.Date
		want Verdict
	}{
		{"never engaged", Journey{Proceedings: []Proceedings{index}}, d(2028, 1, 1), LeftOut},
		{"only her index proceedings", Journey{EngagedOn: start, Proceedings: []Proceedings{index}}, d(2027, 3, 1), Met},
		{"window open", Journey{EngagedOn: start, Proceedings: []Proceedings{index}}, d(2027, 2, 28), TooRecent},
		{"new proceedings on the last day", Journey{EngagedOn: start, Proceedings: []Proceedings{index, {IssuedOn: d(2027, 3, 1)}}}, d(2027, 6, 1), NotMet},
		{"new proceedings after the window", Journey{EngagedOn: start, Proceedings: []Proceedings{index, {IssuedOn: d(2027, 3, 2)}}}, d(2027, 6, 1), Met},
		{"proceedings issued on the day engagement began are not new", Journey{EngagedOn: start, Proceedings: []Proceedings{{IssuedOn: start}}}, d(2027, 3, 1), Met},
		{"new proceedings known early", Journey{EngagedOn: start, Proceedings: []Proceedings{index, {IssuedOn: d(2025, 1, 6)}}}, d(2025, 2, 1), NotMet},
	} {
		if got, _ := Metrics[1].Judge(tc.j, tc.asOf); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got.Title(), tc.want.Title())
		}
	}
}

func TestPhasesAndMedian(t *testing.T) {
	j := Journey{ReferredOn: d(2024, 1, 1), EngagedOn: d(2024, 1, 31), StartedOn: d(2024, 5, 20)}
	for _, tc := range []struct {
		p    Phase
		want int
		ok   bool
	}{{Phases[0], 30, true}, {Phases[1], 110, true}, {Phases[2], 0, false}} {
		if got, ok := tc.p.Length(j); got != tc.want || ok != tc.ok {
			t.Errorf("%s: %d %v, want %d %v", tc.p.Name, got, ok, tc.want, tc.ok)
		}
	}
	for _, tc := range []struct {
		xs   []int
		want int
		ok   bool
	}{{nil, 0, false}, {[]int{7}, 7, true}, {[]int{9, 1, 5}, 5, true}, {[]int{4, 1, 2, 9}, 3, true}, {[]int{1, 2}, 2, true}} {
		if got, ok := Median(tc.xs); got != tc.want || ok != tc.ok {
			t.Errorf("Median(%v) = %d %v, want %d", tc.xs, got, ok, tc.want)
		}
	}
}

// Recurrence: from the index proceedings to the next, or censored at the
// extract date; proceedings after the extract date are not yet known.
func TestRecurrenceObservation(t *testing.T) {
	asOf := d(2026, 12, 1)
	for _, tc := range []struct {
		name string
		ps   []Proceedings
		want Observation
		ok   bool
	}{
		{"none", nil, Observation{}, false},
		{"only the index: censored", []Proceedings{{IssuedOn: d(2025, 12, 1), Index: true}}, Observation{Days: 365}, true},
		{"index then next", []Proceedings{{IssuedOn: d(2020, 1, 1), Index: true}, {IssuedOn: d(2021, 1, 1)}}, Observation{Days: 366, Event: true}, true},
		{"earliest is the index when none is marked", []Proceedings{{IssuedOn: d(2020, 1, 1)}, {IssuedOn: d(2020, 3, 1)}}, Observation{Days: 60, Event: true}, true},
		{"the marked index, not the earliest", []Proceedings{{IssuedOn: d(2018, 1, 1)}, {IssuedOn: d(2020, 1, 1), Index: true}, {IssuedOn: d(2020, 1, 11)}}, Observation{Days: 10, Event: true}, true},
		{"next after the extract date: censored", []Proceedings{{IssuedOn: d(2026, 1, 1), Index: true}, {IssuedOn: d(2027, 1, 1)}}, Observation{Days: 334}, true},
	} {
		got, ok := Journey{Proceedings: tc.ps}.Recurrence(asOf)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s: %+v %v, want %+v %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

func TestAgeBand(t *testing.T) {
	for _, tc := range []struct {
		born, first haven.Date
		want        string
	}{
		{d(2000, 6, 15), d(2020, 6, 14), "14-19"}, // the day before her 20th birthday
		{d(2000, 6, 15), d(2020, 6, 15), "20-24"},
		{d(2000, 6, 15), d(2025, 6, 14), "20-24"},
		{d(2000, 6, 15), d(2025, 6, 15), "25+"},
		{haven.Date{}, d(2025, 6, 15), "unknown"},
	} {
		j := Journey{BornOn: tc.born, Proceedings: []Proceedings{{IssuedOn: tc.first}}}
		if got := j.AgeBand(); got != tc.want {
			t.Errorf("born %v, first proceedings %v: %s, want %s", tc.born, tc.first, got, tc.want)
		}
	}
}
