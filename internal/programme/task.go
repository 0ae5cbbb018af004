package programme

import (
	"slices"
	"time"

	"haven/internal/haven"
)

// TaskKind says what a reminder is about.
type TaskKind string

const (
	TaskEngagementDue TaskKind = "engagement-due"   // the engagement phase is ending
	TaskProgrammeDue  TaskKind = "programme-due"    // the programme is reaching its end
	TaskPlanReview    TaskKind = "plan-review"      // a goal has not been reviewed for a while
	TaskReferralStall TaskKind = "referral-stalled" // a referral out has not moved
	TaskTriage        TaskKind = "triage"           // a referral in is waiting for an answer
	// Contact with her children (internal/contact makes these).
	TaskExplainContactChange TaskKind = "explain-contact-change" // she was not told why her contact changed
	TaskLetterboxDue         TaskKind = "letterbox-due"          // a letterbox letter is due
)

// Task is one thing due or overdue. Tasks are worked out from the record
// each time, so they can never drift from it.
type Task struct {
	Kind       TaskKind
	PersonRef  string
	PersonName string
	PersonDOB  haven.Date // with PersonRef, to tell her apart; zero for a referral
	Due        haven.Date
	Text       string
	Link       string
}

// Identity tells the woman the task is about apart from another of her name.
func (t Task) Identity() string { return Identity(t.PersonDOB, t.PersonRef) }

// Overdue reports whether the task's date has passed.
func (t Task) Overdue(today haven.Date) bool { return t.Due.Before(today) }

// How far ahead reminders look, and how often goals want a review.
const (
	AnswerReferralWithinDays = 7 // a referral in should be answered within a week
	EngagementWarn           = 14 * 24 * time.Hour
	ProgrammeWarn            = 60 * 24 * time.Hour
	ReviewEvery              = 90 * 24 * time.Hour
)

// EnrolmentTask returns the reminder for an enrolment whose clock is nearly
// or already up.
func EnrolmentTask(e Enrolment, s Settings, today haven.Date) (Task, bool) {
	c, ok := e.ClockAt(today, s)
	if !ok {
		return Task{}, false
	}
	switch {
	case c.Stage == "Engagement" && c.Remaining <= EngagementWarn:
		return Task{Kind: TaskEngagementDue, Due: c.Due, Text: "Engagement phase ends: decide with her whether she commits to the programme"}, true
	case c.Stage == "Programme" && c.Remaining <= ProgrammeWarn:
		return Task{Kind: TaskProgrammeDue, Due: c.Due, Text: "Programme reaches " + plural(s.ProgrammeMonths, "month") + ": plan her exit and follow-on support"}, true
	}
	return Task{}, false
}

// GoalTask returns the reminder for a goal that is due a review.
func GoalTask(g Goal, lastReview haven.Date, today haven.Date) (Task, bool) {
	if g.Progress == Achieved || g.Progress == NoLongerRelevant {
		return Task{}, false
	}
	since := lastReview
	if since.IsZero() {
		t := g.CreatedAt
		since = haven.NewDate(t.Year(), t.Month(), t.Day())
	}
	due := haven.NewDate(since.Time().Year(), since.Time().Month(), since.Time().Day()+int(ReviewEvery.Hours()/24))
	if !g.TargetOn.IsZero() && g.TargetOn.Before(due) {
		due = g.TargetOn
	}
	if today.Time().Add(14 * 24 * time.Hour).Before(due.Time()) {
		return Task{}, false
	}
	return Task{Kind: TaskPlanReview, Due: due, Text: "Review the " + g.Domain.Title() + " goal with her"}, true
}

// SortTasks puts the most overdue first.
func SortTasks(ts []Task) {
	slices.SortStableFunc(ts, func(a, b Task) int { return a.Due.Time().Compare(b.Due.Time()) })
}

// TaskContraceptionReview reminds the allocated practitioner or lead that a
// contraception review or expiry date is near. Restricted: only those who
// may read the section see it.
const TaskContraceptionReview TaskKind = "contraception-review"

// TaskMeasureFlag asks the lead to record what was done about a measure's
// safeguarding prompt (PHQ-9 item 9 above "not at all").
const TaskMeasureFlag TaskKind = "measure-flag"

// TaskMeasureDue is a measure or needs reading her Practice's schedule says
// is due or overdue (restricted, like the measures themselves).
const TaskMeasureDue TaskKind = "measure-due"

// ContraceptionTask returns the reminder for a review date within 28 days or past.
func ContraceptionTask(c Contraception, today haven.Date) (Task, bool) {
	if c.ReviewOn.IsZero() || today.Time().Add(28*24*time.Hour).Before(c.ReviewOn.Time()) {
		return Task{}, false
	}
	return Task{Kind: TaskContraceptionReview, Due: c.ReviewOn, Text: "Contraception review or expiry date: support her to see the sexual health service"}, true
}
