package programme

import (
	"strings"
	"time"
	"unicode/utf8"

	"haven/internal/haven"
)

// Agency is a partner agency in a Practice's directory.
type Agency struct {
	ID         int64
	PracticeID int64
	Name       string
	Kind       string // housing, health, domestic abuse, ...
	Contact    string
	Agreement  string // what the Practice and the agency have agreed
	Version    int64
}

// AgencyKinds are the usual kinds of partner, for the form's list.
var AgencyKinds = []string{"Housing", "Health", "Mental health", "Sexual health", "Substance use", "Domestic abuse", "Money and benefits", "Education and work", "Legal", "Other"}

// Validate checks an agency before it is saved.
func (a *Agency) Validate() error {
	f := map[string]string{}
	nameField(f, "name", "Name", a.Name, true, 200)
	textField(f, "kind", "Type", a.Kind, true, 100)
	textField(f, "contact", "Contact", a.Contact, false, 500)
	textField(f, "agreement", "Agreement", a.Agreement, false, 2000)
	if len(f) > 0 {
		return haven.Invalid(f)
	}
	return nil
}

// OutStatus is where a referral out to a partner agency has got to.
type OutStatus string

// The closed loop: sent → accepted → first appointment → outcome. A referral
// can also be declined by the agency, which closes it.
const (
	OutSent        OutStatus = "sent"
	OutAccepted    OutStatus = "accepted"
	OutAppointment OutStatus = "first-appointment"
	OutOutcome     OutStatus = "outcome"
	OutDeclined    OutStatus = "declined"
)

// Title is the status for people.
func (s OutStatus) Title() string {
	switch s {
	case OutSent:
		return "Sent"
	case OutAccepted:
		return "Accepted"
	case OutAppointment:
		return "First appointment"
	case OutOutcome:
		return "Outcome recorded"
	case OutDeclined:
		return "Declined by the agency"
	}
	return string(s)
}

// Closed reports whether the loop is closed.
func (s OutStatus) Closed() bool { return s == OutOutcome || s == OutDeclined }

// Next lists the statuses a referral may move to.
func (s OutStatus) Next() []OutStatus {
	switch s {
	case OutSent:
		return []OutStatus{OutAccepted, OutDeclined}
	case OutAccepted:
		return []OutStatus{OutAppointment, OutDeclined}
	case OutAppointment:
		return []OutStatus{OutOutcome}
	}
	return nil
}

// StallAfter is how long a referral out may sit in one status before Haven
// reminds the practitioner to chase it.
const StallAfter = 14 * 24 * time.Hour

// ReferralOut is one referral of a woman to a partner agency.
type ReferralOut struct {
	ID         int64
	PersonID   int64
	AgencyID   int64
	AgencyName string
	Status     OutStatus
	Reason     string // why she was referred
	Outcome    string
	SentOn     haven.Date
	ChangedOn  haven.Date // date of the latest status
	Version    int64
}

// Stalled reports whether the referral has not moved for StallAfter.
func (r ReferralOut) Stalled(today haven.Date) bool {
	return !r.Status.Closed() && today.Time().Sub(r.ChangedOn.Time()) >= StallAfter
}

// Validate checks a new referral out: why she is referred, and when.
func (r *ReferralOut) Validate() error {
	f := map[string]string{}
	if r.SentOn.IsZero() {
		f["sentOn"] = "Enter the date sent"
	}
	switch n := utf8.RuneCountInString(r.Reason); {
	case strings.TrimSpace(r.Reason) == "":
		f["reason"] = "Enter the reason for the referral"
	case n > 2000:
		f["reason"] = haven.CharactersOrFewer("Reason for the referral", 2000)
	}
	if len(f) > 0 {
		return haven.Invalid(f)
	}
	return nil
}

// Advance moves the referral on, checking the order of the loop.
func (r *ReferralOut) Advance(to OutStatus, on haven.Date, outcome string) error {
	f := map[string]string{}
	ok := false
	for _, n := range r.Status.Next() {
		ok = ok || n == to
	}
	if !ok {
		f["status"] = "A referral that is " + strings.ToLower(r.Status.Title()) + " cannot move to " + strings.ToLower(to.Title())
	}
	if on.IsZero() {
		f["on"] = "Enter the date"
	} else if on.Before(r.ChangedOn) {
		f["on"] = "The date must be on or after " + r.ChangedOn.Long()
	}
	if (to == OutOutcome || to == OutDeclined) && utf8.RuneCountInString(strings.TrimSpace(outcome)) == 0 {
		f["outcome"] = "Enter what happened"
	}
	if utf8.RuneCountInString(outcome) > 2000 {
		f["outcome"] = haven.CharactersOrFewer("Outcome", 2000)
	}
	if len(f) > 0 {
		return haven.Invalid(f)
	}
	r.Status, r.ChangedOn = to, on
	if outcome != "" {
		r.Outcome = strings.TrimSpace(outcome)
	}
	return nil
}
