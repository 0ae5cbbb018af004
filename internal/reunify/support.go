package reunify

import (
	"strings"
	"unicode/utf8"

	"haven/internal/haven"
)

// After the return (issue 18 item 5): the support package and its planned
// end, and the checks at 3, 6 and 12 months of how the child is doing.

// MinSupportMonths is the shortest support the evidence backs: keeping
// support in place for at least 6 months after a return reduces breakdown
// (NSPCC and University of Sussex, 2024; DOMAIN.md §5.3).
const MinSupportMonths = 6

// SupportEvidence is the source of MinSupportMonths, cited where Haven warns.
const SupportEvidence = "NSPCC and University of Sussex (2024): keeping support in place for at least 6 months after a child returns home reduces the risk of the return breaking down."

// Support is the package of help for the family after the child goes home.
type Support struct {
	Case    int64
	Package string     // what the support is, who gives it and how often
	EndsOn  haven.Date // its planned end
	Version int64      // 0 before the first save
}

// MaxSupportText is the longest the package's description may be.
const MaxSupportText = 10000

// Validate checks the support package as written.
func (s Support) Validate() error {
	f := map[string]string{}
	switch {
	case strings.TrimSpace(s.Package) == "":
		f["package"] = "Enter the support package"
	case utf8.RuneCountInString(s.Package) > MaxSupportText:
		f["package"] = haven.CharactersOrFewer("Support package", MaxSupportText)
	}
	if s.EndsOn.IsZero() {
		f["endsOn"] = "Enter the date the support is planned to end"
	}
	if len(f) > 0 {
		return haven.Invalid(f)
	}
	return nil
}

// SupportTooShort reports whether support planned to end on endsOn stops less
// than MinSupportMonths after a return on returned. Either date unknown
// (zero) says nothing.
func SupportTooShort(returned, endsOn haven.Date) bool {
	if returned.IsZero() || endsOn.IsZero() {
		return false
	}
	return endsOn.Before(returned.AddMonths(MinSupportMonths))
}

// CheckMonths are the months after the return at which an outcome check
// falls due.
var CheckMonths = []int{3, 6, 12}

// CheckOutcomes are what an outcome check can find.
var CheckOutcomes = []Choice{
	{"settled", "At home and settled"},
	{"concerns", "At home, with concerns"},
	{"back-in-care", "Back in care"},
	{"elsewhere", "Living somewhere else"},
}

// OutcomeCheck is the check of how the child is doing some months after the
// return.
type OutcomeCheck struct {
	ID        int64
	Case      int64
	Month     int // 3, 6 or 12
	CheckedOn haven.Date
	Outcome   string // see CheckOutcomes
	Note      string
	By        int64
}

// Validate checks an outcome check as recorded, against the return date.
func (c OutcomeCheck) Validate(returned, today haven.Date) error {
	f := map[string]string{}
	if !validCheckMonth(c.Month) {
		f["month"] = "Choose the check: 3, 6 or 12 months"
	}
	switch {
	case c.CheckedOn.IsZero():
		f["checkedOn"] = "Enter the date of the check"
	case today.Before(c.CheckedOn):
		f["checkedOn"] = "Date of the check must be today or in the past"
	case !returned.IsZero() && c.CheckedOn.Before(returned):
		f["checkedOn"] = "Date of the check must be the same as or after the return home"
	}
	if returned.IsZero() {
		f["checkedOn"] = "Record the return home before its outcome checks"
	}
	if !ValidChoice(CheckOutcomes, c.Outcome) {
		f["outcome"] = "Choose how the child is doing"
	}
	if utf8.RuneCountInString(c.Note) > MaxSupportText {
		f["note"] = haven.CharactersOrFewer("Notes", MaxSupportText)
	}
	if len(f) > 0 {
		return haven.Invalid(f)
	}
	return nil
}

func validCheckMonth(m int) bool {
	for _, n := range CheckMonths {
		if n == m {
			return true
		}
	}
	return false
}

// CheckTaskLead is how long before its date an outcome check shows on the
// tasks page.
const CheckTaskLead = 14 // days

// DueCheck is an outcome check not yet recorded, with its date.
type DueCheck struct {
	Month int
	Due   haven.Date
}

// ChecksDue are the outcome checks after a return on returned that are not
// yet recorded (done holds the months recorded) and are due within
// CheckTaskLead days of today, or overdue: the tasks for the child's worker.
func ChecksDue(returned haven.Date, done map[int]bool, today haven.Date) []DueCheck {
	if returned.IsZero() {
		return nil
	}
	horizon := haven.NewDate(today.Time().Year(), today.Time().Month(), today.Time().Day()+CheckTaskLead)
	var out []DueCheck
	for _, m := range CheckMonths {
		due := returned.AddMonths(m)
		if !done[m] && !horizon.Before(due) {
			out = append(out, DueCheck{Month: m, Due: due})
		}
	}
	return out
}

// SupportedReturn is a return home with what was in place for it, for the
// dashboard's share of returns with a plan and at least 6 months' support.
type SupportedReturn struct {
	Returned      haven.Date
	HasPlan       bool       // a reunification plan was agreed
	SupportEndsOn haven.Date // the support's planned end; zero if none recorded
}

// Supported reports whether the return had a plan and support planned for at
// least MinSupportMonths.
func (r SupportedReturn) Supported() bool {
	return r.HasPlan && !r.SupportEndsOn.IsZero() && !SupportTooShort(r.Returned, r.SupportEndsOn)
}
