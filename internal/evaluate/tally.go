package evaluate

import "haven/internal/haven"

// Tally is one group's outcome counts before suppression. TallyJourneys is
// its definition; the store counts the same in SQL for speed, and a test
// holds the two equal on both databases.
type Tally struct {
	Verdicts   [][]int // [metric][verdict], in the order of Metrics and Verdicts
	Completed  int
	EndedEarly int
	Exits      []int        // early exits, in the order of ExitCategories
	Phases     []PhaseTally // in the order of Phases
	FactN      []int        // in the order of Facts: women with a known answer at both ends
	FactStart  []int        // … of whom said yes at baseline
	FactExit   []int        // … and at exit
}

// PhaseTally is how many enrolments have a length for a phase, and their
// median length in days (Median's rounding).
type PhaseTally struct{ N, Median int }

// NewTally is an empty tally with every slice made.
func NewTally() Tally {
	t := Tally{Exits: make([]int, len(ExitCategories)), Phases: make([]PhaseTally, len(Phases)), FactN: make([]int, len(Facts)),
		FactStart: make([]int, len(Facts)), FactExit: make([]int, len(Facts))}
	for range Metrics {
		t.Verdicts = append(t.Verdicts, make([]int, len(Verdicts)))
	}
	return t
}

// TallyJourneys counts one group's enrolments as at asOf: the rules of the
// report, applied one enrolment at a time.
func TallyJourneys(js []Journey, asOf haven.Date) Tally {
	t := NewTally()
	for m, metric := range Metrics {
		for _, j := range js {
			v, _ := metric.Judge(j, asOf)
			t.Verdicts[m][v]++
		}
	}
	for _, j := range js {
		switch j.Ended {
		case Completed:
			t.Completed++
		case EndedEarly:
			t.EndedEarly++
			t.Exits[exitIndex(j.ExitCategory)]++
		}
	}
	for p, phase := range Phases {
		var days []int
		for _, j := range js {
			if n, ok := phase.Length(j); ok {
				days = append(days, n)
			}
		}
		t.Phases[p].Median, _ = Median(days)
		t.Phases[p].N = len(days)
	}
	t.FactN, t.FactStart, t.FactExit = factCounts(js)
	return t
}

// GroupTally is one row's tally: a Practice's.
type GroupTally struct {
	Key, Name string
	Tally
}
