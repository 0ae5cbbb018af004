package programme

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"haven/internal/haven"
)

// Settings are a Practice's programme rules. DOMAIN.md §1.1 and §1.4 give
// the defaults: about 16 weeks of engagement, an 18-month programme (some
// providers run 12 to 18), and caseloads of six to eight.
type Settings struct {
	EngagementWeeks int
	ProgrammeMonths int
	CaseloadCap     int
}

// DefaultSettings are Pause's published model.
var DefaultSettings = Settings{EngagementWeeks: 16, ProgrammeMonths: 18, CaseloadCap: 8}

// Validate keeps settings within what a Practice could mean.
func (s Settings) Validate() error {
	f := map[string]string{}
	if s.EngagementWeeks < 1 || s.EngagementWeeks > 52 {
		f["engagementWeeks"] = "Engagement must be between 1 and 52 weeks"
	}
	if s.ProgrammeMonths < 6 || s.ProgrammeMonths > 36 {
		f["programmeMonths"] = "The programme must be between 6 and 36 months"
	}
	if s.CaseloadCap < 1 || s.CaseloadCap > 30 {
		f["caseloadCap"] = "The caseload cap must be between 1 and 30"
	}
	if len(f) > 0 {
		return haven.Invalid(f)
	}
	return nil
}

// Phase is where a woman is in the programme.
type Phase string

// The phases, in order (DOMAIN.md §1.1): referred, engaging (about 16 weeks),
// programme started (her commitment date), active (18 months), then
// completed or ended early, follow-on support ("Next Steps"), and closed.
const (
	PhaseReferred  Phase = "referred"
	PhaseEngaging  Phase = "engaging"
	PhaseStarted   Phase = "programme-started"
	PhaseActive    Phase = "active"
	PhaseCompleted Phase = "completed"
	PhaseEnded     Phase = "ended-early"
	PhaseFollowOn  Phase = "follow-on"
	PhaseClosed    Phase = "closed"
)

// Phases lists every phase in order, for reports and filters.
var Phases = []Phase{PhaseReferred, PhaseEngaging, PhaseStarted, PhaseActive, PhaseCompleted, PhaseEnded, PhaseFollowOn, PhaseClosed}

// Title is the phase's name for people.
func (p Phase) Title() string {
	switch p {
	case PhaseStarted:
		return "Programme started"
	case PhaseEnded:
		return "Ended early"
	case PhaseFollowOn:
		return "Follow-on support"
	}
	r, size := utf8.DecodeRuneInString(string(p))
	if size == 0 {
		return ""
	}
	return string(unicode.ToUpper(r)) + string(p[size:])
}

// next lists the phases each phase may move to. Any phase that is not over
// may also end early, with a reason.
var next = map[Phase][]Phase{
	PhaseReferred:  {PhaseEngaging},
	PhaseEngaging:  {PhaseStarted},
	PhaseStarted:   {PhaseActive},
	PhaseActive:    {PhaseCompleted},
	PhaseCompleted: {PhaseFollowOn, PhaseClosed},
	PhaseEnded:     {PhaseFollowOn, PhaseClosed},
	PhaseFollowOn:  {PhaseClosed},
}

// Open reports whether the enrolment is still running (not closed).
func (p Phase) Open() bool { return p != PhaseClosed }

// CanMoveTo reports whether an enrolment in phase p may move to q.
func (p Phase) CanMoveTo(q Phase) bool {
	if q == PhaseEnded {
		return p == PhaseReferred || p == PhaseEngaging || p == PhaseStarted || p == PhaseActive
	}
	for _, n := range next[p] {
		if n == q {
			return true
		}
	}
	return false
}

// NextPhases lists where an enrolment may go from p.
func (p Phase) NextPhases() []Phase {
	out := append([]Phase(nil), next[p]...)
	if PhaseEnded != p && p.CanMoveTo(PhaseEnded) {
		out = append(out, PhaseEnded)
	}
	return out
}

// Enrolment is one time through the programme. A woman re-referred later
// gets a new enrolment; the old one stays, with its history.
type Enrolment struct {
	ID          int64
	PersonID    int64
	PracticeID  int64
	Phase       Phase
	ReferredOn  haven.Date
	EngagedOn   haven.Date   // engagement began
	StartedOn   haven.Date   // her commitment date: the programme began
	EndedOn     haven.Date   // completed, ended early, or closed
	EndReason   string       // free text: never leaves the Practice
	Exit        ExitCategory // why she ended early, from the fixed list; "" if she did not
	Version     int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
	PhaseEvents []PhaseEvent
}

// PhaseEvent records one move between phases.
type PhaseEvent struct {
	From, To Phase
	On       haven.Date
	Reason   string
	By       int64
	At       time.Time
}

// Clock says how long she has been in the current stage and how long is left.
type Clock struct {
	Stage     string // "Engagement" or "Programme"
	Elapsed   time.Duration
	Remaining time.Duration // negative when overdue
	Due       haven.Date
}

// Weeks and Days render durations for people.
func (c Clock) ElapsedText() string   { return weeksAndDays(c.Elapsed) }
func (c Clock) RemainingText() string { return weeksAndDays(c.Remaining) }
func (c Clock) Overdue() bool         { return c.Remaining < 0 }

func weeksAndDays(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	days := int(d.Hours() / 24)
	w, r := days/7, days%7
	switch {
	case w == 0:
		return plural(r, "day")
	case r == 0:
		return plural(w, "week")
	}
	return plural(w, "week") + " " + plural(r, "day")
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// ClockAt returns the enrolment's clock on a day, or false when no clock runs
// (before engagement, and after the programme is over).
func (e Enrolment) ClockAt(today haven.Date, s Settings) (Clock, bool) {
	switch e.Phase {
	case PhaseEngaging:
		if e.EngagedOn.IsZero() {
			return Clock{}, false
		}
		due := haven.NewDate(e.EngagedOn.Time().Year(), e.EngagedOn.Time().Month(), e.EngagedOn.Time().Day()+7*s.EngagementWeeks)
		return Clock{Stage: "Engagement", Elapsed: today.Time().Sub(e.EngagedOn.Time()), Remaining: due.Time().Sub(today.Time()), Due: due}, true
	case PhaseStarted, PhaseActive:
		if e.StartedOn.IsZero() {
			return Clock{}, false
		}
		st := e.StartedOn.Time()
		due := haven.NewDate(st.Year(), st.Month()+time.Month(s.ProgrammeMonths), st.Day())
		return Clock{Stage: "Programme", Elapsed: today.Time().Sub(st), Remaining: due.Time().Sub(today.Time()), Due: due}, true
	}
	return Clock{}, false
}

// ExitCategory is why an enrolment ended early, from a short fixed list a
// Pause practitioner would recognise, so that early exits can be counted
// across Practices (issue 17 item 4). The free-text reason stays beside it
// and never leaves the Practice.
type ExitCategory string

const (
	ExitMovedAway    ExitCategory = "moved-away"
	ExitLostContact  ExitCategory = "lost-contact"
	ExitChoseToLeave ExitCategory = "chose-to-leave"
	ExitPregnancy    ExitCategory = "new-pregnancy"
	ExitCustody      ExitCategory = "custody"
	ExitIllHealth    ExitCategory = "ill-health"
	ExitDied         ExitCategory = "died"
	ExitOther        ExitCategory = "other"
	// ExitNotRecorded is an enrolment that ended early before the list
	// existed (migration 0029). Nobody chooses it.
	ExitNotRecorded ExitCategory = "not-recorded"
)

// ExitCategories are the categories a practitioner chooses from, in order.
var ExitCategories = []ExitCategory{ExitMovedAway, ExitLostContact, ExitChoseToLeave, ExitPregnancy, ExitCustody, ExitIllHealth, ExitDied, ExitOther}

// ReportedExits are the categories reports count: every choosable one, then
// those not recorded.
var ReportedExits = append(append([]ExitCategory(nil), ExitCategories...), ExitNotRecorded)

var exitTitles = map[ExitCategory]string{
	ExitMovedAway:    "Moved out of the area",
	ExitLostContact:  "Disengaged or lost contact",
	ExitChoseToLeave: "Chose to leave",
	ExitPregnancy:    "New pregnancy",
	ExitCustody:      "Custody or prison",
	ExitIllHealth:    "Ill health",
	ExitDied:         "Died",
	ExitOther:        "Other",
	ExitNotRecorded:  "Not recorded",
}

// Title is the category's name for people.
func (c ExitCategory) Title() string { return exitTitles[c] }

// Choosable reports whether c is on the list a practitioner chooses from.
func (c ExitCategory) Choosable() bool { return c != ExitNotRecorded && exitTitles[c] != "" }

// Move checks a phase change and applies it to e. It returns the event to
// record. Ending early needs a category from ExitCategories and a reason;
// a category given with any other move is not kept.
func (e *Enrolment) Move(to Phase, on haven.Date, reason string, exit ExitCategory, by int64) (PhaseEvent, error) {
	f := map[string]string{}
	if to == "" {
		f["phase"] = "Choose the phase to move to"
	} else if !e.Phase.CanMoveTo(to) {
		f["phase"] = fmt.Sprintf("An enrolment that is %s cannot move to %s", strings.ToLower(e.Phase.Title()), strings.ToLower(to.Title()))
	}
	if on.IsZero() {
		f["on"] = "Enter the date of the change"
	} else if last := e.lastDate(); !last.IsZero() && on.Before(last) {
		f["on"] = "Date of the change must be on or after " + last.Long()
	}
	reason = strings.TrimSpace(reason)
	if to == PhaseEnded && !exit.Choosable() {
		f["exitCategory"] = "Choose why the enrolment ended early"
	}
	if to == PhaseEnded && len([]rune(reason)) < 3 {
		f["reason"] = "Enter why the enrolment ended early"
	}
	if len([]rune(reason)) > 1000 {
		f["reason"] = haven.CharactersOrFewer("Reason", 1000)
	}
	if len(f) > 0 {
		return PhaseEvent{}, haven.Invalid(f)
	}
	ev := PhaseEvent{From: e.Phase, To: to, On: on, Reason: reason, By: by}
	switch to {
	case PhaseEngaging:
		e.EngagedOn = on
	case PhaseStarted:
		e.StartedOn = on
	case PhaseCompleted:
		e.EndedOn, e.EndReason = on, reason
	case PhaseEnded:
		e.EndedOn, e.EndReason, e.Exit = on, reason, exit
	case PhaseClosed:
		if e.EndedOn.IsZero() {
			e.EndedOn = on
		}
	}
	e.Phase = to
	return ev, nil
}

// Ends reports whether moving to p ends her programme, which Haven asks to
// be confirmed: it stops the clocks and cannot be undone.
func (p Phase) Ends() bool { return p == PhaseCompleted || p == PhaseEnded || p == PhaseClosed }

// lastDate is the latest date already on the enrolment; changes cannot go back before it.
func (e *Enrolment) lastDate() haven.Date {
	last := e.ReferredOn
	for _, d := range []haven.Date{e.EngagedOn, e.StartedOn, e.EndedOn} {
		if !d.IsZero() && last.Before(d) {
			last = d
		}
	}
	return last
}
