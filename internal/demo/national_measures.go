package demo

import (
	"strings"

	"haven/internal/haven"
	"haven/internal/measure"
	"haven/internal/programme"
)

// Outcome measures and pregnancies in the national data set. Every
// enrolment that reached engagement has PHQ-9, GAD-7 and ONS4 at baseline,
// at 6, 12 and 18 months as its dates allow, and at exit for most that
// ended; now and then a point is missed or an item left blank. Baselines
// are low in wellbeing, and most women improve (measures.go's trajectory).
// A PHQ-9 item 9 above 0 is rare; the lead has responded to all but the
// most recent. Pregnancies: the women with a baby after engagement began
// (national_contact.go), and a few per cent more known within 18 months of
// engagement, some later. Nothing falls after an enrolment's horizon.

// lastEngaged is her newest enrolment that reached engagement.
func (n *national) lastEngaged(w natWoman) (natEnrolment, bool) {
	for k := len(w.enrols) - 1; k >= 0; k-- {
		if e := n.enrols[w.enrols[k]]; !e.EngagedOn.IsZero() {
			return e, true
		}
	}
	return natEnrolment{}, false
}

// lastDay is the last day anything is recorded for an enrolment: the day it
// closed, or the day before the data set's day.
func (n *national) lastDay(e natEnrolment) haven.Date {
	if !e.closedOn.IsZero() {
		return e.closedOn
	}
	return days(n.asOf, -1)
}

// completed reports whether an enrolment's programme was completed.
func completed(e natEnrolment) bool {
	for _, ev := range e.PhaseEvents {
		if ev.To == programme.PhaseCompleted {
			return true
		}
	}
	return false
}

const flagNote = "The lead spoke with her and her practitioner the same day; a safety plan was agreed and her GP told. (Fictional demo note.)"

func (n *national) measureRows(yield func([]any) bool) {
	id := int64(0)
	for _, w := range n.women {
		rng := newRNG(n.seed, streamMeasures, uint64(w.id)) // #nosec G115 -- a woman's id as a stream number: every int64 has its own uint64
		lead := n.staff[n.practices[w.practice].staff[0]].id
		for _, ei := range w.enrols {
			e := n.enrols[ei]
			last := n.lastDay(e)
			points := schedulePoints(e.Enrolment, last, func(p measure.Point) int {
				switch p {
				case measure.Baseline, measure.Exit:
					return rng.IntN(14)
				}
				return between(rng, -7, 14)
			})
			tr := newTrajectory(rng)
			for k, pt := range points {
				switch {
				case pt.point == measure.Exit && !completed(e) && rng.IntN(2) == 0:
					continue // half the women who end early, or whose enrolment closed, give no exit measures
				case k > 0 && pt.point != measure.Exit && rng.IntN(12) == 0:
					continue // a point missed
				}
				for ii, inst := range demoInstruments {
					item9 := 0
					if inst == measure.PHQ9 && (k == 0 && rng.IntN(25) == 0 || k > 0 && rng.IntN(50) == 0) {
						item9 = between(rng, 1, 2)
					}
					answers := answersFor(rng, inst, tr.at(rng, pt.months), item9, rng.IntN(70) == 0)
					res, err := measure.Score(inst, answers)
					if err != nil {
						panic("demo: national measure: " + err.Error()) // answersFor keeps every answer in range
					}
					var total any
					if res.Valid && res.HasTotal {
						total = int64(res.Total)
					}
					flags := make([]string, len(res.Flags))
					for f, fl := range res.Flags {
						flags[f] = string(fl)
					}
					note, by, at2 := "", any(nil), any(nil)
					if len(flags) > 0 && pt.on.Before(days(n.asOf, -14)) {
						note, by, at2 = flagNote, lead, at(days(pt.on, 1), 120)
					}
					id++
					if !yield([]any{id, w.id, string(inst), string(pt.point), pt.on, measure.EncodeAnswers(answers), res.Valid, total, nil,
						string(res.Band), strings.Join(flags, ","), nullUser(w.practitioner), at(pt.on, 540+ii), note, by, at2}) {
						return
					}
				}
			}
		}
	}
}

var pregnancyOutcomes = []string{"", "Ongoing; midwife booked. (Fictional.)", "Miscarriage. (Fictional.)",
	"Baby born; living with her with family support. (Fictional.)", "Termination. (Fictional.)"}

func (n *national) pregnancyRows(yield func([]any) bool) {
	id := int64(0)
	for i, w := range n.women {
		e, ok := n.lastEngaged(w)
		if !ok {
			continue
		}
		rng := newRNG(n.seed, streamPregnancies, uint64(w.id)) // #nosec G115 -- a woman's id as a stream number: every int64 has its own uint64
		last := n.lastDay(e)
		var known haven.Date
		outcome := pregnancyOutcomes[rng.IntN(len(pregnancyOutcomes))]
		switch r := rng.IntN(100); {
		case n.contact != nil && !n.contact[i].lateBirth.IsZero():
			known, outcome = days(n.contact[i].lateBirth, -between(rng, 100, 200)), "Baby born; care proceedings were issued. (Fictional.)"
		case r < 6: // known within Metric 1's 18 months
			known = days(e.EngagedOn, between(rng, 30, 540))
		case r < 14: // known later
			known = days(e.EngagedOn, between(rng, 550, 1100))
		default:
			continue
		}
		if last.Before(known) {
			continue
		}
		id++
		by := w.practitioner
		if by == 0 {
			by = n.staff[n.practices[w.practice].staff[1]].id
		}
		if !yield([]any{id, w.id, known, outcome, by, at(known, 200)}) {
			return
		}
	}
}
