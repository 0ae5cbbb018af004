package demo

import (
	"fmt"
	"math/rand/v2"

	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/measure"
)

// Need domains and the three start-to-exit facts in the demo data, at the
// same points as her measures. Women come with needs in most domains; for
// most, needs resolve one by one and housing, work and contact with her
// children improve as the 2020 evaluation found (unstable housing almost
// halved, paid work up by 60%, face-to-face contact up by a quarter); for
// a few nothing moves, and now and then a need comes back.

// needChance is the chance of a need in each domain at baseline, in
// measure.NeedDomains order: substance use, domestic abuse, mental health,
// housing, education/training/work, contact with children, physical health.
var needChance = [len(measure.NeedDomains)]int{50, 60, 80, 45, 85, 60, 40}

// needState is her situation at one point.
type needState struct {
	need                   [len(measure.NeedDomains)]bool
	housing, work, contact bool
}

func newNeedState(rng *rand.Rand) needState {
	var s needState
	for i, c := range needChance {
		s.need[i] = rng.IntN(100) < c
	}
	s.housing, s.work, s.contact = rng.IntN(100) < 55, rng.IntN(100) < 9, rng.IntN(100) < 24
	return s
}

// next is her situation six months on: improving or not.
func (s needState) next(rng *rand.Rand, improving bool) needState {
	for i := range s.need {
		switch {
		case s.need[i] && improving && rng.IntN(100) < 30:
			s.need[i] = false
		case !s.need[i] && rng.IntN(100) < 5:
			s.need[i] = true
		}
	}
	if improving {
		s.housing = s.housing || rng.IntN(100) < 18
		s.work = s.work || rng.IntN(100) < 3
		s.contact = s.contact || rng.IntN(100) < 4
	}
	return s
}

// needsForm writes her situation at a point as the form would: now and then
// a domain or fact is not known, and a domain known now and before says how
// it changed.
func needsForm(rng *rand.Rand, pt measurePoint, s, prev needState, prevKnown [len(measure.NeedDomains)]bool) (measure.Needs, [len(measure.NeedDomains)]bool) {
	n := measure.Needs{Point: pt.point, AssessedOn: pt.on}
	var known [len(measure.NeedDomains)]bool
	for i, d := range measure.NeedDomains {
		r := measure.NeedReading{Domain: d, Status: measure.NeedNotKnown}
		if rng.IntN(100) >= 6 {
			known[i] = true
			r.Status = measure.NoNeed
			if s.need[i] {
				r.Status = measure.Need
			}
		}
		if pt.point != measure.Baseline && known[i] && prevKnown[i] {
			switch {
			case prev.need[i] && !s.need[i]:
				r.Change = measure.Improved
			case !prev.need[i] && s.need[i]:
				r.Change = measure.Worse
			case s.need[i] && rng.IntN(3) == 0:
				r.Change = measure.Improved // still a need, but less
			default:
				r.Change = measure.Stable
			}
		}
		n.Readings[i] = r
	}
	fact := func(yes bool) measure.Fact {
		switch {
		case rng.IntN(100) < 4:
			return measure.FactNotKnown
		case yes:
			return measure.Yes
		}
		return measure.No
	}
	n.StableHousing, n.PaidWork, n.ChildContact = fact(s.housing), fact(s.work), fact(s.contact)
	return n, known
}

// needsAlong is her forms at each point, in order.
func needsAlong(rng *rand.Rand, points []measurePoint) []measure.Needs {
	improving := rng.IntN(7) != 0
	s := newNeedState(rng)
	var prev needState
	var prevKnown [len(measure.NeedDomains)]bool
	var out []measure.Needs
	for k, pt := range points {
		if k > 0 {
			prev, s = s, s.next(rng, improving)
		}
		var n measure.Needs
		n, prevKnown = needsForm(rng, pt, s, prev, prevKnown)
		out = append(out, n)
	}
	return out
}

// needs records each demo woman's needs at the points of her newest enrolment.
func (s *seeder) needs() error {
	today := haven.NewDate(s.now.Year(), s.now.Month(), s.now.Day())
	yesterday := days(today, -1)
	ev := audit.Event{RequestID: "demo-seed"}
	for _, w := range s.women {
		es, err := s.db.Enrolments(s.ctx, w.person.ID)
		if err != nil {
			return err
		}
		if len(es) == 0 {
			continue
		}
		by := w.person.PractitionerID
		if by == 0 {
			by = w.lead
		}
		points := schedulePoints(es[0], yesterday, func(measure.Point) int { return s.rng.IntN(10) })
		for _, n := range needsAlong(s.rng, points) {
			if err := s.db.SaveNeeds(s.ctx, ev, w.person.ID, n, by, today); err != nil {
				return fmt.Errorf("demo needs at %s: %w", n.Point, err)
			}
		}
	}
	return nil
}

// needsOf is a national woman's forms, the same for every caller.
func (n *national) needsOf(w natWoman) []measure.Needs {
	e, ok := n.lastEngaged(w)
	if !ok {
		return nil
	}
	rng := newRNG(n.seed, streamNeeds, uint64(w.id)) // #nosec G115 -- a woman's id as a stream number: every int64 has its own uint64
	points := schedulePoints(e.Enrolment, n.lastDay(e), func(p measure.Point) int {
		switch p {
		case measure.Baseline, measure.Exit:
			return rng.IntN(14)
		}
		return between(rng, -7, 14)
	})
	return needsAlong(rng, points)
}

func (n *national) needPointRows(yield func([]any) bool) {
	id := int64(0)
	for _, w := range n.women {
		for _, f := range n.needsOf(w) {
			id++
			if !yield([]any{id, w.id, string(f.Point), f.AssessedOn, string(f.StableHousing), string(f.PaidWork), string(f.ChildContact),
				int64(1), nullUser(w.practitioner), at(f.AssessedOn, 560)}) {
				return
			}
		}
	}
}

func (n *national) needReadingRows(yield func([]any) bool) {
	id := int64(0)
	for _, w := range n.women {
		for _, f := range n.needsOf(w) {
			id++
			for _, r := range f.Readings {
				if !yield([]any{id, string(r.Domain), string(r.Status), string(r.Change)}) {
					return
				}
			}
		}
	}
}
