package demo

import (
	"fmt"
	"math"
	"math/rand/v2"

	"haven/internal/audit"
	"haven/internal/evaluate"
	"haven/internal/haven"
	"haven/internal/measure"
	"haven/internal/programme"
)

// Outcome measures and pregnancies in the demo data. Women come to the
// programme in the bottom few per cent of the country for wellbeing (the
// 2020 evaluation's finding), so baselines are low in wellbeing and high in
// distress; most improve over the months with ups and downs, a few do not.
// Each woman's answers come from one hidden level of distress over time,
// so her PHQ-9, GAD-7 and ONS4 tell the same story. WEMWBS and SWEMWBS are
// left out: they stay switched off until a deployment registers.

// demoInstruments are the measures taken at each point, in order.
var demoInstruments = []measure.ID{measure.PHQ9, measure.GAD7, measure.ONS4}

// trajectory is a woman's distress over the programme, 0 (none) to 1 (the most).
type trajectory struct {
	start float64 // at baseline
	gain  float64 // how far it falls by 18 months; about zero or below for those who do not improve
}

func newTrajectory(rng *rand.Rand) trajectory {
	t := trajectory{start: 0.55 + 0.2*rng.Float64(), gain: 0.2 + 0.25*rng.Float64()}
	if rng.IntN(7) == 0 { // a few do not improve, or get worse
		t.gain = -0.08 + 0.12*rng.Float64()
	}
	return t
}

// at is her distress months into the programme, with a form's own noise.
// Most of the change comes early, as trust is built.
func (t trajectory) at(rng *rand.Rand, months int) float64 {
	d := t.start - t.gain*math.Sqrt(float64(min(months, 18))/18) + (rng.Float64()-0.5)*0.12
	return min(1, max(0, d))
}

// answersFor are an instrument's answers for a level of distress d. item9
// is PHQ-9 item 9's answer (0 for almost everyone); blank leaves one item
// unanswered, so the form is not scored.
func answersFor(rng *rand.Rand, id measure.ID, d float64, item9 int, blank bool) []measure.Answer {
	var vals []int
	switch id {
	case measure.PHQ9:
		vals = spread(rng, 8, 3, int(math.Round(d*27))-item9)
		vals = append(vals, item9)
	case measure.GAD7:
		vals = spread(rng, 7, 3, int(math.Round(d*21)))
	case measure.ONS4:
		well := 10 * (1 - d)
		item := func(shift float64) int {
			return min(10, max(0, int(math.Round(shift+(rng.Float64()-0.5)*2))))
		}
		// Life satisfaction, worthwhile (a little higher, as in the population), happiness, anxiety.
		vals = []int{item(well - 0.5), item(well + 0.5), item(well), item(10 * d)}
	default:
		panic("demo: no answers for " + string(id))
	}
	out := make([]measure.Answer, len(vals))
	for i, v := range vals {
		out[i] = measure.A(v)
	}
	if blank {
		out[rng.IntN(len(out)-1)] = measure.Missing // never PHQ-9 item 9: its flag stays as chosen
	}
	return out
}

// spread shares total out over n items of 0 to most each, at random.
func spread(rng *rand.Rand, n, most, total int) []int {
	out := make([]int, n)
	total = min(max(0, total), n*most)
	for total > 0 {
		if i := rng.IntN(n); out[i] < most {
			out[i]++
			total--
		}
	}
	return out
}

// measurePoint is one scheduled point she reached, and the day she completed its forms.
type measurePoint struct {
	point  measure.Point
	on     haven.Date
	months int
}

// schedulePoints are the default schedule's points an enrolment has
// reached by the day last: baseline at engagement, every 6 months to 18,
// and exit if her programme has ended. offset moves a day from the one due
// (a form is rarely done on the day); nothing falls after last or after the
// day she ended.
func schedulePoints(e programme.Enrolment, last haven.Date, offset func(measure.Point) int) []measurePoint {
	if e.EngagedOn.IsZero() {
		return nil
	}
	end := last
	if !e.EndedOn.IsZero() && e.EndedOn.Before(end) {
		end = e.EndedOn
	}
	var out []measurePoint
	for _, p := range []measure.Point{measure.Baseline, measure.Month6, measure.Month12, measure.Month18} {
		on := days(e.EngagedOn.AddMonths(p.Months()), offset(p))
		if on.Before(e.EngagedOn) {
			on = e.EngagedOn
		}
		if end.Before(on) || (!e.EndedOn.IsZero() && !on.Before(e.EndedOn)) {
			break
		}
		out = append(out, measurePoint{p, on, p.Months()})
	}
	if !e.EndedOn.IsZero() && !last.Before(e.EndedOn) {
		on := earlier(days(e.EndedOn, offset(measure.Exit)), last)
		out = append(out, measurePoint{measure.Exit, on, evaluate.Days(e.EngagedOn, on) / 30})
	}
	return out
}

// demoWoman is a demo woman, as people() made her: i is her place in her Practice's caseload.
type demoWoman struct {
	person programme.Person
	i      int
	lead   int64
}

// A flag the demo shows: which woman (Practice, place in the caseload),
// and whether the lead has already responded.
var demoFlags = []struct {
	practice, i int
	responded   bool
}{
	{0, 2, false}, // open: the lead's task and the prompt can be seen
	{1, 3, true},
	{2, 4, true},
}

// Demo pregnancies: whose (Practice, place), and the days after her engagement began.
var demoPregnancies = []struct {
	practice, i, after int
	outcome            string
}{
	{0, 3, 300, "Ongoing; midwife booked and pre-birth assessment started. (Fictional.)"},
	{1, 5, 120, "Miscarriage at 10 weeks. (Fictional.)"},
	{1, 4, 700, "Baby born; living with her with family support. (Fictional.)"},
	{2, 2, 150, "Ongoing. (Fictional.)"},
}

// measures gives each demo woman past referral PHQ-9, GAD-7 and ONS4 at
// every point she has reached, one woman's PHQ-9 an item 9 the lead has not
// yet responded to (and two that she has), a couple of forms with an item
// left blank, and a few pregnancies.
func (s *seeder) measures() error {
	today := haven.NewDate(s.now.Year(), s.now.Month(), s.now.Day())
	yesterday := days(today, -1)
	ev := audit.Event{RequestID: "demo-seed"}
	blanks := 0
	for _, w := range s.women {
		es, err := s.db.Enrolments(s.ctx, w.person.ID)
		if err != nil {
			return err
		}
		if len(es) == 0 {
			continue
		}
		e := es[0] // the newest
		practice := 0
		for k, p := range s.sum.Practices {
			if p.ID == w.person.PracticeID {
				practice = k
			}
		}
		by := w.person.PractitionerID
		if by == 0 {
			by = w.lead
		}
		points := schedulePoints(e, yesterday, func(measure.Point) int { return s.rng.IntN(10) })
		flagAt, respond := -1, false
		for _, f := range demoFlags {
			if f.practice == practice && f.i == w.i && len(points) > 0 {
				flagAt, respond = len(points)-1, f.responded // her latest PHQ-9
			}
		}
		tr := newTrajectory(s.rng)
		if w.i == 5 && practice == 0 { // one woman who ended early did not improve
			tr.gain = -0.05
		}
		for k, pt := range points {
			for _, id := range demoInstruments {
				item9 := 0
				if id == measure.PHQ9 && k == flagAt {
					item9 = 1
				}
				blank := blanks < 2 && id == measure.GAD7 && pt.point == measure.Month6
				if blank {
					blanks++
				}
				rec, err := measure.NewRecord(id, pt.point, pt.on, answersFor(s.rng, id, tr.at(s.rng, pt.months), item9, blank), today)
				if err != nil {
					return fmt.Errorf("demo measure: %w", err)
				}
				mid, err := s.db.AddMeasure(s.ctx, ev, w.person.ID, rec, by)
				if err != nil {
					return fmt.Errorf("demo measure: %w", err)
				}
				if item9 > 0 && respond {
					note := "Spoke with her the same day with her practitioner; she agreed a safety plan and a GP appointment was booked. (Fictional demo note.)"
					if err := s.db.RespondToMeasure(s.ctx, ev, w.person.ID, mid, note, w.lead); err != nil {
						return fmt.Errorf("demo measure response: %w", err)
					}
				}
			}
		}
		for _, pg := range demoPregnancies {
			if pg.practice != practice || pg.i != w.i || e.EngagedOn.IsZero() {
				continue
			}
			p := programme.Pregnancy{KnownOn: earlier(days(e.EngagedOn, pg.after), yesterday), Outcome: pg.outcome}
			if err := s.db.AddPregnancy(s.ctx, ev, w.person.ID, p, by, today); err != nil {
				return fmt.Errorf("demo pregnancy: %w", err)
			}
		}
	}
	return nil
}
