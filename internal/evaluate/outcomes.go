package evaluate

import (
	"slices"

	"haven/internal/haven"
	"haven/internal/programme"
)

// Journey is one enrolment as the outcome metrics see it: dates and
// categories, never a name or free text. Person ties a woman's enrolments,
// measures and proceedings together inside Haven; it never leaves it.
type Journey struct {
	Enrolment int64
	Person    int64
	Practice  int64
	Ended     Ending // how the programme ended, if it has
	// ExitCategory is why it ended early (programme.ExitCategories, or
	// "not-recorded"); "" if it did not.
	ExitCategory    programme.ExitCategory
	ReferredOn      haven.Date
	EngagedOn       haven.Date // engagement began: the clock for both metrics
	StartedOn       haven.Date // the programme began, after engagement
	EndedOn         haven.Date
	BornOn          haven.Date
	CareExperienced string        // "yes", "no" or "unknown"
	Pregnancies     []haven.Date  // when each became known
	Proceedings     []Proceedings // every set of care proceedings about her children, oldest first
	// Her answers at baseline and exit to the three questions the 2020
	// evaluation reported change in, by FactKeys: "yes", "no" or "not-known",
	// absent when not recorded.
	Start, Exit map[string]string
}

// Proceedings is one set of care proceedings: an interim or full care order
// application.
type Proceedings struct {
	IssuedOn haven.Date
	Index    bool
	Outcome  string
}

// Ending is how an enrolment's programme ended.
type Ending string

const (
	NotEnded   Ending = ""
	Completed  Ending = "completed"
	EndedEarly Ending = "ended-early"
)

// Verdict is a metric's answer for one enrolment.
type Verdict uint8

const (
	Met       Verdict = iota
	NotMet            // judged, and not met
	TooRecent         // cannot be judged yet: her window has not closed
	LeftOut           // not counted, for the reason given
)

// Verdicts lists the verdicts in the order reports show them.
var Verdicts = []Verdict{Met, NotMet, TooRecent, LeftOut}

// Title is the verdict as a column heading.
func (v Verdict) Title() string {
	return [...]string{"Met", "Not met", "Too recent to judge", "Left out"}[v]
}

// Metric is one programme outcome metric, defined exactly.
type Metric struct {
	Key, Name, Definition, Source string
	judge                         func(j Journey, asOf haven.Date) (Verdict, string)
}

// Judge gives the verdict for one enrolment as at asOf, and for TooRecent
// and LeftOut, why.
func (m Metric) Judge(j Journey, asOf haven.Date) (Verdict, string) { return m.judge(j, asOf) }

// Reasons an enrolment is left out of a metric.
const (
	WhyNeverEngaged = "engagement never began"
	WhyTooRecent    = "her window has not closed yet"
)

// Metrics are the outcome metrics of the Pause Plymouth social outcomes
// contract (DOMAIN.md §1.8), the only published, exact definitions.
var Metrics = []Metric{
	{Key: "metric1", Name: "Completed, with no pregnancy in 18 months",
		Definition: "She was engaged for at least 12 months from the start of engagement, and no pregnancy became known within 18 months of it. " +
			"Judged once 18 months have passed, or sooner if a pregnancy became known or she left within 12 months.",
		Source: "Pause Plymouth social outcomes contract, Life Chances Fund, 2019 to 2024: Metric 1 (INDIGO-POJ-0180)",
		judge:  metric1},
	{Key: "metric2", Name: "No new care proceedings in 36 months",
		Definition: "No interim or full care order application about her child was issued within 36 months of the start of engagement. " +
			"Judged once 36 months have passed, or sooner if new proceedings were issued.",
		Source: "Pause Plymouth social outcomes contract, Life Chances Fund, 2019 to 2024: Metric 2 (INDIGO-POJ-0180)",
		judge:  metric2},
}

func metric1(j Journey, asOf haven.Date) (Verdict, string) {
	if j.EngagedOn.IsZero() {
		return LeftOut, WhyNeverEngaged
	}
	twelve, eighteen := j.EngagedOn.AddMonths(12), j.EngagedOn.AddMonths(18)
	for _, p := range j.Pregnancies {
		if !p.Before(j.EngagedOn) && !eighteen.Before(p) && !asOf.Before(p) {
			return NotMet, ""
		}
	}
	if !j.EndedOn.IsZero() && j.EndedOn.Before(twelve) && !asOf.Before(j.EndedOn) {
		return NotMet, ""
	}
	if asOf.Before(eighteen) {
		return TooRecent, WhyTooRecent
	}
	return Met, ""
}

func metric2(j Journey, asOf haven.Date) (Verdict, string) {
	if j.EngagedOn.IsZero() {
		return LeftOut, WhyNeverEngaged
	}
	limit := j.EngagedOn.AddMonths(36)
	for _, p := range j.Proceedings {
		if j.EngagedOn.Before(p.IssuedOn) && !limit.Before(p.IssuedOn) && !asOf.Before(p.IssuedOn) {
			return NotMet, ""
		}
	}
	if asOf.Before(limit) {
		return TooRecent, WhyTooRecent
	}
	return Met, ""
}

// Days is the number of days from a to b.
func Days(a, b haven.Date) int { return int(b.Time().Sub(a.Time()).Hours() / 24) }

// Phase is a stretch of a programme whose length the report gives.
type Phase struct {
	Key, Name string
	span      func(j Journey) (from, to haven.Date)
}

// Phases are the stretches timed, each from one recorded date to the next.
var Phases = []Phase{
	{"waiting", "Referral to engagement", func(j Journey) (haven.Date, haven.Date) { return j.ReferredOn, j.EngagedOn }},
	{"engaging", "Engagement to programme start", func(j Journey) (haven.Date, haven.Date) { return j.EngagedOn, j.StartedOn }},
	{"programme", "Programme start to its end", func(j Journey) (haven.Date, haven.Date) { return j.StartedOn, j.EndedOn }},
}

// Length is the days j spent in the phase, and false if either end is not recorded.
func (p Phase) Length(j Journey) (int, bool) {
	from, to := p.span(j)
	if from.IsZero() || to.IsZero() || to.Before(from) {
		return 0, false
	}
	return Days(from, to), true
}

// Median is the middle value of xs (the mean of the middle two for an even
// count), in whole days rounded half up; false for none.
func Median(xs []int) (int, bool) {
	if len(xs) == 0 {
		return 0, false
	}
	s := slices.Sorted(slices.Values(xs))
	n := len(s)
	if n%2 == 1 {
		return s[n/2], true
	}
	return (s[n/2-1] + s[n/2] + 1) / 2, true
}

// Recurrence is a woman's time from her index proceedings to her next, for
// the Kaplan–Meier estimate: the event is new proceedings; she is censored
// at asOf if there were none. It is false if she has no proceedings before asOf.
func (j Journey) Recurrence(asOf haven.Date) (Observation, bool) {
	var index *Proceedings
	for i := range j.Proceedings {
		p := &j.Proceedings[i]
		if asOf.Before(p.IssuedOn) {
			continue
		}
		if p.Index {
			index = p
			break
		}
		if index == nil {
			index = p // the earliest, when none is marked as the index
		}
	}
	if index == nil {
		return Observation{}, false
	}
	for _, p := range j.Proceedings {
		if index.IssuedOn.Before(p.IssuedOn) && !asOf.Before(p.IssuedOn) {
			return Observation{Days: Days(index.IssuedOn, p.IssuedOn), Event: true}, true
		}
	}
	return Observation{Days: Days(index.IssuedOn, asOf)}, true
}

// IndexOutcome is the outcome of her index proceedings ("" if none is recorded).
func (j Journey) IndexOutcome() string {
	for _, p := range j.Proceedings {
		if p.Index {
			return p.Outcome
		}
	}
	if len(j.Proceedings) > 0 {
		return j.Proceedings[0].Outcome
	}
	return ""
}

// AgeBand is her age at her first proceedings, in the research's bands:
// "14-19", "20-24", "25+", or "unknown" without a date of birth.
func (j Journey) AgeBand() string {
	if j.BornOn.IsZero() || len(j.Proceedings) == 0 {
		return "unknown"
	}
	first := j.Proceedings[0].IssuedOn.Time()
	born := j.BornOn.Time()
	age := first.Year() - born.Year()
	if first.Month() < born.Month() || first.Month() == born.Month() && first.Day() < born.Day() {
		age-- // her birthday had not come round that year
	}
	switch {
	case age < 20:
		return "14-19"
	case age < 25:
		return "20-24"
	}
	return "25+"
}
