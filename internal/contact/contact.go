package contact

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"haven/internal/haven"
)

// Child is one of her children. Children are not clients: they are linked
// to her record and kept to the minimum Haven needs.
type Child struct {
	ID          int64
	PersonID    int64
	Name        string     // first name or initials
	BornOn      haven.Date // when the full date is known
	BirthYear   int        // always set; from BornOn when that is known
	RemovedOn   haven.Date
	LACode      string // the responsible local authority, ONS code
	LegalStatus LegalStatus
	Placement   Placement
	Version     int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Placements  []PlacementChange // oldest first
}

// PlacementChange is one move: where the child went to live, and from when.
type PlacementChange struct {
	Placement Placement
	From      haven.Date
	ByName    string
	At        time.Time
}

// Born describes when the child was born, as far as it is known.
func (c Child) Born() string {
	if !c.BornOn.IsZero() {
		return c.BornOn.Long()
	}
	if c.BirthYear > 0 {
		return "in " + itoa(c.BirthYear)
	}
	return "not known"
}

// Proceedings is one set of care proceedings she was a respondent in.
type Proceedings struct {
	ID             int64
	PersonID       int64
	IssuedOn       haven.Date
	Court          string
	LACode         string
	ChildIDs       []int64
	FinalHearingOn haven.Date // zero while not yet decided or not known
	Outcome        Outcome
	Index          bool // the index set the research counts recurrence from
	Version        int64
	CreatedAt      time.Time
}

// Arrangement is how she keeps in contact with one child.
type Arrangement struct {
	ID           int64
	PersonID     int64
	ChildID      int64
	ChildName    string
	Type         Type
	Frequency    string
	ArrangedBy   Arranger
	Basis        Basis
	StartOn      haven.Date
	LastReviewOn haven.Date
	NextReviewOn haven.Date
	Version      int64
	CreatedAt    time.Time
}

// NeverReviewed reports a letterbox (or any) arrangement with no review date:
// 69% of Pause women said theirs had never been reviewed.
func (a Arrangement) NeverReviewed() bool { return a.LastReviewOn.IsZero() }

// ReviewedWithinYear reports whether the last review was in the 12 months up to on.
func (a Arrangement) ReviewedWithinYear(on haven.Date) bool {
	if a.LastReviewOn.IsZero() {
		return false
	}
	return !a.LastReviewOn.Before(addYears(on, -1)) && !on.Before(a.LastReviewOn)
}

// Change is one change to an arrangement. Changes are never edited or removed.
type Change struct {
	ID            int64
	PersonID      int64
	ArrangementID int64
	ChildName     string
	Aspect        Aspect
	From, To      string
	EffectiveOn   haven.Date
	ChangedBy     ChangedBy
	ReasonGiven   ReasonGiven
	Reason        string     // the reason as she was told it
	ToldHow       string     // letter, phone call, meeting...
	ToldOn        haven.Date // when she was told
	ToldBy        string     // who told her
	HerView       string     // in her own words
	RecordedBy    int64
	RecordedName  string
	RecordedAt    time.Time
	Explanations  []Explanation // later records that she was told why, oldest first
	Withdrawal    Withdrawal    // set once the change is withdrawn as a mistake
}

// Withdrawal records that a change was recorded by mistake. The change is
// kept and shown struck through, but it no longer counts anywhere: not in
// the arrangement as it stands, her letter, the reports or her tasks.
type Withdrawal struct {
	Reason string
	ByName string
	At     time.Time
}

// Withdrawn reports whether the change was withdrawn as a mistake.
func (c Change) Withdrawn() bool { return !c.Withdrawal.At.IsZero() }

// Validate checks the reason for withdrawing a change: it is required, so
// anyone reading her record later knows why the change no longer counts.
func (w *Withdrawal) Validate() error {
	p := problems{}
	w.Reason = strings.TrimSpace(w.Reason)
	p.text("reason", w.Reason, 2000, "Enter why you are withdrawing this change")
	return p.err()
}

// Explanation records, after the event, that she has now been told why a
// change was made. It is a new record; the change itself is never altered.
type Explanation struct {
	ID           int64
	ChangeID     int64
	Reason       string
	ToldHow      string
	ToldOn       haven.Date
	ToldBy       string
	HerView      string
	RecordedName string
	RecordedAt   time.Time
}

// Unexplained reports whether she still does not know why the change was
// made. A withdrawn change needs no explaining.
func (c Change) Unexplained() bool {
	return !c.Withdrawn() && c.ReasonGiven != ReasonYes && len(c.Explanations) == 0
}

// ReasonAsTold is the reason she was given, the latest explanation first.
func (c Change) ReasonAsTold() string {
	if n := len(c.Explanations); n > 0 {
		return c.Explanations[n-1].Reason
	}
	if c.ReasonGiven == ReasonYes {
		return c.Reason
	}
	return ""
}

// ValueTitle shows a from or to value: arrangement types by name, anything else as typed.
func (c Change) ValueTitle(v string) string {
	if c.Aspect == AspectType {
		return Type(v).Title()
	}
	if by, ok := arrangerFrom(v); ok && c.Aspect == AspectArrangedBy {
		return by.Title()
	}
	return v
}

// ContactSession is one planned time she sees or speaks to a child.
type ContactSession struct {
	ID               int64
	PersonID         int64
	ArrangementID    int64
	ChildName        string
	PlannedOn        haven.Date
	Outcome          SessionOutcome
	CancelledBy      Canceller
	HerWords         string // how it went, in her words
	PractitionerView string // how it went, in the practitioner's
	SupportBefore    string
	SupportAfter     string
	Version          int64
	CreatedAt        time.Time
}

// LetterboxExchange is one letter through the letterbox.
type LetterboxExchange struct {
	ID            int64
	PersonID      int64
	ArrangementID int64
	ChildName     string
	DueOn         haven.Date
	Direction     Direction
	SentOn        haven.Date
	ReceivedOn    haven.Date
	CheckedBy     string // who checked the letter for identifying details
	Status        LetterStatus
	StatusReason  string
	Version       int64
	CreatedAt     time.Time
}

// Outstanding reports whether the letter has not yet gone or arrived.
func (x LetterboxExchange) Outstanding() bool {
	if x.Status != "" {
		return false
	}
	if x.Direction == "from-her" {
		return x.SentOn.IsZero()
	}
	return x.ReceivedOn.IsZero()
}

// problems collects field messages for one record.
type problems map[string]string

func (p problems) text(field, v string, max int, required string) {
	n := utf8.RuneCountInString(strings.TrimSpace(v))
	switch {
	case n == 0 && required != "":
		p[field] = required
	case n > max:
		p[field] = "Must be " + itoa(max) + " characters or fewer"
	case haven.CheckText(v) != haven.TextOK: // the rule every text field keeps (S22)
		p[field] = haven.TextError(or(textLabels[field], "This answer"), v)
	}
}

// textLabels name the free-text fields as their forms' labels do, for the
// messages that must name them.
var textLabels = map[string]string{"reason": "The reason", "toldHow": "How she was told", "toldBy": "Who told her",
	"herView": "Her view", "from": "What it was before", "to": "What it is now", "frequency": "How often", "court": "Court",
	"name": "First name or initials", "statusReason": "The reason"}

func or(s, otherwise string) string {
	if s == "" {
		return otherwise
	}
	return s
}

// The limits on a contact session's and a letter's longer answers, for the
// forms' character counts.
const (
	MaxSessionText  = 5000
	MaxStatusReason = 2000
)

// labelled refuses text over max, or holding what no text may
// (haven.CheckText), with a message that names the field as its label does,
// writing the number as the form's hint does.
func (p problems) labelled(field, label, v string, max int) {
	switch {
	case utf8.RuneCountInString(strings.TrimSpace(v)) > max:
		p[field] = haven.CharactersOrFewer(label, max)
	case haven.CheckText(v) != haven.TextOK:
		p[field] = haven.TextError(label, v)
	}
}

// name is labelled for a name: a child's, a court's. It refuses as well the
// hidden characters that change the direction text is shown in.
func (p problems) name(field, label, v string, max int) {
	p.labelled(field, label, v, max)
	if _, bad := p[field]; !bad && haven.CheckName(v) != haven.TextOK {
		p[field] = haven.NameError(label, v)
	}
}

func (p problems) notFuture(field, label string, d, today haven.Date) {
	if !d.IsZero() && today.Before(d) {
		p[field] = label + " must be today or in the past"
	}
}

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return haven.Invalid(p)
}

// Validate checks a child before she is saved.
func (c *Child) Validate(today haven.Date) error {
	p := problems{}
	c.Name = strings.TrimSpace(c.Name)
	p.text("name", c.Name, 40, "Enter the child's first name or initials")
	p.name("name", "First name or initials", c.Name, 40)
	if !c.BornOn.IsZero() {
		c.BirthYear = c.BornOn.Time().Year()
	}
	switch {
	case c.BirthYear == 0:
		p["born"] = "Enter the child's date of birth, or the year if that is all that is known"
	case c.BirthYear < 1950 || c.BirthYear > today.Time().Year():
		p["born"] = "Year of birth must be between 1950 and this year"
	}
	p.notFuture("born", "Date of birth", c.BornOn, today)
	p.notFuture("removed", "Date the child was removed", c.RemovedOn, today)
	if !c.RemovedOn.IsZero() && c.BirthYear > 0 {
		if (!c.BornOn.IsZero() && c.RemovedOn.Before(c.BornOn)) || c.RemovedOn.Time().Year() < c.BirthYear {
			p["removed"] = "Date the child was removed must be on or after their date of birth"
		}
	}
	if !valid(legalStatuses, string(c.LegalStatus)) {
		p["legalStatus"] = "Choose the child's current legal status"
	}
	if !valid(placements, string(c.Placement)) {
		p["placement"] = "Choose where the child lives now"
	}
	return p.err()
}

// Validate checks a set of proceedings. children are hers, so the children
// concerned can be checked against their dates of birth.
func (pr *Proceedings) Validate(today haven.Date, children []Child) error {
	p := problems{}
	pr.Court = strings.TrimSpace(pr.Court)
	if pr.IssuedOn.IsZero() {
		p["issued"] = "Enter the date the proceedings were issued"
	}
	p.notFuture("issued", "Date the proceedings were issued", pr.IssuedOn, today)
	p.text("court", pr.Court, 200, "Enter the court")
	p.labelled("court", "Court", pr.Court, 200)
	if !pr.IssuedOn.IsZero() && !pr.FinalHearingOn.IsZero() && pr.FinalHearingOn.Before(pr.IssuedOn) {
		p["finalHearing"] = "Date of the final hearing must be on or after the date the proceedings were issued"
	}
	if pr.Outcome != "" && !valid(outcomes, string(pr.Outcome)) {
		p["outcome"] = "Choose the outcome"
	}
	if pr.Outcome != "" && pr.Outcome != "withdrawn" && pr.FinalHearingOn.IsZero() {
		p["finalHearing"] = "Enter the date of the final hearing, or leave the outcome as not decided yet"
	}
	if !pr.FinalHearingOn.IsZero() && today.Before(pr.FinalHearingOn) && pr.Outcome != "" {
		p["outcome"] = "The final hearing has not happened yet: leave the outcome as not decided yet"
	}
	if len(pr.ChildIDs) == 0 {
		p["children"] = "Choose the children the proceedings were about"
	}
	for _, id := range pr.ChildIDs {
		c, ok := childByID(children, id)
		if !ok {
			p["children"] = "Choose the children the proceedings were about"
			break
		}
		if !pr.IssuedOn.IsZero() && !c.BornOn.IsZero() && pr.IssuedOn.Before(c.BornOn) {
			p["issued"] = "Date the proceedings were issued must be on or after " + c.Name + "'s date of birth"
		}
	}
	return p.err()
}

func childByID(cs []Child, id int64) (Child, bool) {
	for _, c := range cs {
		if c.ID == id {
			return c, true
		}
	}
	return Child{}, false
}

// Validate checks an arrangement.
func (a *Arrangement) Validate(today haven.Date) error {
	p := problems{}
	a.Frequency = strings.TrimSpace(a.Frequency)
	if a.ChildID == 0 {
		p["child"] = "Choose the child"
	}
	if !valid(types, string(a.Type)) {
		p["type"] = "Choose the kind of contact"
	}
	p.text("frequency", a.Frequency, 200, "Enter how often contact happens, for example once a year")
	p.labelled("frequency", "How often", a.Frequency, 200)
	if !valid(arrangers, string(a.ArrangedBy)) {
		p["arrangedBy"] = "Choose who arranges it"
	}
	if !valid(bases, string(a.Basis)) {
		p["basis"] = "Choose the legal basis"
	}
	if a.StartOn.IsZero() {
		p["start"] = "Enter the date the arrangement started"
	}
	p.notFuture("lastReview", "Date of the last review", a.LastReviewOn, today)
	if !a.LastReviewOn.IsZero() && a.LastReviewOn.Before(a.StartOn) {
		p["lastReview"] = "Date of the last review must be on or after the start date"
	}
	if !a.NextReviewOn.IsZero() {
		after := a.StartOn
		if !a.LastReviewOn.IsZero() {
			after = a.LastReviewOn
		}
		if a.NextReviewOn.Before(after) {
			p["nextReview"] = "Date of the next review must be after the start date and the last review"
		}
	}
	return p.err()
}

// ChangeAheadMonths bounds how far ahead a change may be recorded to take
// effect. Changes are decided at reviews, which are at most 12 months apart
// (ReviewWindowMonths), so a change cannot be known further ahead than the
// next review; a date beyond that is almost always a mistyped year, and the
// arrangement would show it as coming for years.
const ChangeAheadMonths = 12

// Dated is what a change's dates are checked against: the arrangement it
// changes and the child the arrangement is with, and for an explanation the
// date the change took effect. Any may be zero when not known, and then its
// checks are skipped.
type Dated struct {
	Arrangement Arrangement
	Child       Child
	EffectiveOn haven.Date // of the change an explanation explains
}

// bornBy checks d against the child's birth: nothing about contact with a
// child happens before the child was born.
func (p problems) bornBy(field, label string, d haven.Date, c Child) {
	if d.IsZero() {
		return
	}
	name := "the child"
	if c.Name != "" {
		name = c.Name
	}
	switch {
	case !c.BornOn.IsZero() && d.Before(c.BornOn):
		p[field] = label + " must be on or after " + name + "'s date of birth, " + c.BornOn.Long()
	case c.BornOn.IsZero() && c.BirthYear > 0 && d.Time().Year() < c.BirthYear:
		p[field] = label + " must be in or after " + name + "'s year of birth, " + itoa(c.BirthYear)
	}
}

// toldBy checks the date she was told why a change was made: not in the
// future, not before the child was born, and not before the change could
// have been decided. She can be told ahead of a change, but changes are not
// decided more than ChangeAheadMonths ahead.
func (p problems) toldBy(told, effective, today haven.Date, c Child) {
	p.notFuture("toldOn", "Date she was told", told, today)
	p.bornBy("toldOn", "Date she was told", told, c)
	if _, done := p["toldOn"]; !done && !told.IsZero() && !effective.IsZero() && told.Before(addMonths(effective, -ChangeAheadMonths)) {
		p["toldOn"] = "Date she was told must be no more than " + itoa(ChangeAheadMonths) + " months before the date the change took effect, " + effective.Long()
	}
}

// reasonQuestion is the question the reason fields depend on, for messages.
const reasonQuestion = "“Was she given a reason?”"

// Validate checks a change. The answer to "was she given a reason?" is
// required: a change cannot be saved without it. The reason and how, when
// and by whom she was told belong only with the answer Yes, so a change
// never says both that she was not told and what she was told. Every date is
// checked against the child's birth, the arrangement's start and today.
func (c *Change) Validate(today haven.Date, on Dated) error {
	p := problems{}
	for _, s := range []*string{&c.From, &c.To, &c.Reason, &c.ToldHow, &c.ToldBy, &c.HerView} {
		*s = strings.TrimSpace(*s)
	}
	if !valid(aspects, string(c.Aspect)) {
		p["aspect"] = "Choose what changed"
	}
	if c.Aspect == AspectType && !valid(types, c.To) {
		p["to"] = "Choose the new kind of contact"
	} else {
		p.text("to", c.To, 200, "")
	}
	p.text("from", c.From, 200, "")
	latest := addMonths(today, ChangeAheadMonths)
	if c.EffectiveOn.IsZero() {
		p["effective"] = "Enter the date the change took effect"
	} else if latest.Before(c.EffectiveOn) {
		p["effective"] = "Date the change took effect must be no more than " + itoa(ChangeAheadMonths) + " months from today, by " + latest.Long()
	}
	p.bornBy("effective", "Date the change took effect", c.EffectiveOn, on.Child)
	if _, done := p["effective"]; !done && !on.Arrangement.StartOn.IsZero() && c.EffectiveOn.Before(on.Arrangement.StartOn) {
		p["effective"] = "Date the change took effect must be on or after the date the arrangement started, " + on.Arrangement.StartOn.Long()
	}
	if !valid(changers, string(c.ChangedBy)) {
		p["changedBy"] = "Choose who made the change"
	}
	if !valid(reasons, string(c.ReasonGiven)) {
		p["reasonGiven"] = "Answer whether she was given a reason for the change"
	}
	if c.ReasonGiven == ReasonYes {
		p.text("reason", c.Reason, 2000, "Enter the reason as she was told it")
		p.text("toldHow", c.ToldHow, 200, "")
		p.text("toldBy", c.ToldBy, 200, "")
		p.toldBy(c.ToldOn, c.EffectiveOn, today, on.Child)
	} else if valid(reasons, string(c.ReasonGiven)) {
		answer := "“" + c.ReasonGiven.Title() + "”"
		for _, f := range []struct {
			field, label string
			set          bool
		}{
			{"reason", "The reason, as she was told it", c.Reason != ""},
			{"toldHow", "How she was told", c.ToldHow != ""},
			{"toldOn", "Date she was told", !c.ToldOn.IsZero()},
			{"toldBy", "Who told her", c.ToldBy != ""},
		} {
			if f.set {
				p[f.field] = "Leave “" + f.label + "” blank when the answer to " + reasonQuestion + " is " + answer + ", or answer Yes"
			}
		}
	}
	p.text("herView", c.HerView, 5000, "")
	return p.err()
}

// Validate checks an explanation of an earlier change, against the child's
// birth, the date the change took effect and today.
func (e *Explanation) Validate(today haven.Date, on Dated) error {
	p := problems{}
	for _, s := range []*string{&e.Reason, &e.ToldHow, &e.ToldBy, &e.HerView} {
		*s = strings.TrimSpace(*s)
	}
	p.text("reason", e.Reason, 2000, "Enter the reason as she was told it")
	if e.ToldOn.IsZero() {
		p["toldOn"] = "Enter the date she was told"
	}
	p.toldBy(e.ToldOn, on.EffectiveOn, today, on.Child)
	p.text("toldHow", e.ToldHow, 200, "")
	p.text("toldBy", e.ToldBy, 200, "Enter who told her")
	p.text("herView", e.HerView, 5000, "")
	return p.err()
}

// Validate checks a contact session.
func (s *ContactSession) Validate(today haven.Date) error {
	p := problems{}
	if s.PlannedOn.IsZero() {
		p["planned"] = "Enter the date the contact was planned for"
	}
	if s.Outcome != "" {
		if !valid(sessionOutcomes, string(s.Outcome)) {
			p["outcome"] = "Choose what happened"
		} else if today.Before(s.PlannedOn) {
			p["outcome"] = "Record what happened once the planned date has passed"
		}
	}
	if s.Outcome == Cancelled && !valid(cancellers, string(s.CancelledBy)) {
		p["cancelledBy"] = "Choose who cancelled it"
	}
	if s.Outcome != Cancelled {
		s.CancelledBy = ""
	}
	for _, t := range []struct{ field, label, v string }{{"herWords", "How it went, in her words", s.HerWords},
		{"practitionerView", "How it went, in your words", s.PractitionerView}, {"supportBefore", "Support given before", s.SupportBefore},
		{"supportAfter", "Support given after", s.SupportAfter}} {
		p.labelled(t.field, t.label, t.v, MaxSessionText)
	}
	return p.err()
}

// Validate checks a letterbox exchange.
func (x *LetterboxExchange) Validate(today haven.Date) error {
	p := problems{}
	x.CheckedBy, x.StatusReason = strings.TrimSpace(x.CheckedBy), strings.TrimSpace(x.StatusReason)
	if x.DueOn.IsZero() {
		p["due"] = "Enter the date the letter is due"
	}
	if !valid(directions, string(x.Direction)) {
		p["direction"] = "Choose which way the letter goes"
	}
	p.notFuture("sent", "Date sent", x.SentOn, today)
	p.notFuture("received", "Date received", x.ReceivedOn, today)
	if !x.SentOn.IsZero() && !x.ReceivedOn.IsZero() && x.ReceivedOn.Before(x.SentOn) {
		p["received"] = "Date received must be on or after the date sent"
	}
	p.labelled("checkedBy", "Who checked the letter", x.CheckedBy, 200)
	if x.Status != "" && !valid(letterStatuses, string(x.Status)) {
		p["status"] = "Choose whether the letter was returned or withheld"
	}
	if x.Status != "" {
		p.text("statusReason", x.StatusReason, MaxStatusReason, "Enter why the letter was "+strings.ToLower(x.Status.Title()))
	}
	p.labelled("statusReason", "Why it was returned or withheld", x.StatusReason, MaxStatusReason)
	return p.err()
}

func itoa(n int) string { return strconv.Itoa(n) }

func addYears(d haven.Date, n int) haven.Date {
	t := d.Time().AddDate(n, 0, 0)
	return haven.NewDate(t.Year(), t.Month(), t.Day())
}

func addMonths(d haven.Date, n int) haven.Date {
	t := d.Time().AddDate(0, n, 0)
	return haven.NewDate(t.Year(), t.Month(), t.Day())
}

func addDays(d haven.Date, n int) haven.Date {
	t := d.Time().AddDate(0, 0, n)
	return haven.NewDate(t.Year(), t.Month(), t.Day())
}
