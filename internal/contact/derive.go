package contact

import (
	"slices"
	"strings"

	"haven/internal/haven"
)

// AgeBand is a child's age when proceedings were issued, in the research's
// terms (Born into Care, Nuffield FJO 2018).
type AgeBand string

const (
	Newborn    AgeBand = "newborn" // under 7 days
	Infant     AgeBand = "infant"  // under 1 year
	Older      AgeBand = "older"
	AgeUnknown AgeBand = "unknown" // only the year of birth is known
)

// Title is the band for people.
func (b AgeBand) Title() string {
	switch b {
	case Newborn:
		return "Newborn (under 7 days)"
	case Infant:
		return "Infant (under 1 year)"
	case Older:
		return "1 year or older"
	}
	return "Not known"
}

// AgeAtIssue is the child's age band on the day proceedings were issued.
func AgeAtIssue(c Child, issued haven.Date) AgeBand {
	if issued.IsZero() {
		return AgeUnknown
	}
	if c.BornOn.IsZero() {
		if c.BirthYear > 0 && issued.Time().Year()-c.BirthYear >= 2 {
			return Older
		}
		return AgeUnknown
	}
	switch {
	case issued.Before(addDays(c.BornOn, 7)):
		return Newborn
	case issued.Before(addYears(c.BornOn, 1)):
		return Infant
	}
	return Older
}

// SortProceedings orders proceedings by issue date, oldest first.
func SortProceedings(ps []Proceedings) {
	slices.SortStableFunc(ps, func(a, b Proceedings) int {
		if c := a.IssuedOn.Time().Compare(b.IssuedOn.Time()); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	})
}

// IssuedBeforePreviousFinal reports, for each set of proceedings by ID,
// whether it was issued before the final hearing of the set before it (or
// while that set was still undecided). The research found a quarter of
// repeat proceedings were.
func IssuedBeforePreviousFinal(ps []Proceedings) map[int64]bool {
	sorted := slices.Clone(ps)
	SortProceedings(sorted)
	out := map[int64]bool{}
	for i := 1; i < len(sorted); i++ {
		prev, p := sorted[i-1], sorted[i]
		switch {
		case prev.FinalHearingOn.IsZero():
			out[p.ID] = prev.Outcome == "" // still open; a withdrawn set had no hearing
		default:
			out[p.ID] = p.IssuedOn.Before(prev.FinalHearingOn)
		}
	}
	return out
}

// SortChanges orders changes by the date they took effect, then as recorded.
func SortChanges(cs []Change) {
	slices.SortStableFunc(cs, func(a, b Change) int {
		if c := a.EffectiveOn.Time().Compare(b.EffectiveOn.Time()); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	})
}

// Standing is an arrangement as it stands on a day, and the changes
// recorded to take effect after it.
type Standing struct {
	Arrangement          // as it stands on the day
	Pending     []Change // recorded to take effect later, soonest first
}

// AsItStands is the one reading of an arrangement after its changes: the
// arrangement card, the letter, the reports and the API all read it here.
// It starts from the values the arrangement was set up with (its row keeps
// them; changes are never written back over them) and applies, in the order
// they took effect, every change in effect on the day. A withdrawn change is
// left out; a change still to come is listed in Pending, so nobody reads an
// arrangement that is about to change as settled.
func AsItStands(a Arrangement, changes []Change, on haven.Date) Standing {
	cs := slices.Clone(changes)
	SortChanges(cs)
	st := Standing{Arrangement: a}
	for _, c := range cs {
		if c.ArrangementID != a.ID || c.Withdrawn() {
			continue
		}
		if on.Before(c.EffectiveOn) {
			st.Pending = append(st.Pending, c)
			continue
		}
		st.Arrangement = c.apply(st.Arrangement)
	}
	return st
}

// apply is one change applied to the arrangement as it stood before it.
func (c Change) apply(a Arrangement) Arrangement {
	switch c.Aspect {
	case AspectType:
		if valid(types, c.To) {
			a.Type = Type(c.To)
		}
	case AspectFrequency:
		if c.To != "" {
			a.Frequency = c.To
		}
	case AspectArrangedBy:
		if by, ok := arrangerFrom(c.To); ok {
			a.ArrangedBy = by
		}
	case AspectSuspended, AspectEnded:
		a.Type = NoContact
	}
	return a
}

// At returns the arrangement as it stood on d (AsItStands, without the
// changes still to come).
func (a Arrangement) At(d haven.Date, changes []Change) Arrangement {
	return AsItStands(a, changes, d).Arrangement
}

// ReviewOverdue reports whether the next review date has passed.
func (a Arrangement) ReviewOverdue(today haven.Date) bool {
	return !a.NextReviewOn.IsZero() && a.NextReviewOn.Before(today)
}

// DirectOn reports whether she had face-to-face contact (direct, supervised
// or supported) with any child on d.
func DirectOn(arrs []Arrangement, changes []Change, d haven.Date) bool {
	for _, a := range arrs {
		if a.StartOn.IsZero() || d.Before(a.StartOn) {
			continue
		}
		if a.At(d, changes).Type.Direct() {
			return true
		}
	}
	return false
}

// NextLetterDue is when the next letter is due: a year after the last one
// was due, or a year after the arrangement started. Letterbox contact is
// usually yearly.
func NextLetterDue(a Arrangement, xs []LetterboxExchange) haven.Date {
	var last haven.Date
	for _, x := range xs {
		if x.ArrangementID == a.ID && last.Before(x.DueOn) {
			last = x.DueOn
		}
	}
	if last.IsZero() {
		last = a.StartOn
	}
	if last.IsZero() {
		return haven.Date{}
	}
	return addYears(last, 1)
}

// Reminder is something a practitioner needs to do about contact.
type Reminder struct {
	Kind string // explain-contact-change or letterbox-due
	Due  haven.Date
	Text string
}

// Reminder kinds; they match programme.TaskKind values.
const (
	ReminderExplain   = "explain-contact-change"
	ReminderLetterbox = "letterbox-due"
)

// How long a practitioner has to find out why, and how far ahead letterbox reminders look.
const (
	ExplainWithinDays  = 14
	LetterboxWarnDays  = 28
	ReviewWindowMonths = 12
)

// ExplainReminder asks the practitioner to find out why a change was made
// and tell her, until a later record says she has been told.
func ExplainReminder(c Change) (Reminder, bool) {
	if !c.Unexplained() {
		return Reminder{}, false
	}
	rec := haven.NewDate(c.RecordedAt.Year(), c.RecordedAt.Month(), c.RecordedAt.Day())
	who := "the child"
	if c.ChildName != "" {
		who = c.ChildName
	}
	return Reminder{Kind: ReminderExplain, Due: addDays(rec, ExplainWithinDays),
		Text: "Contact with " + who + " changed (" + strings.ToLower(c.Aspect.Title()) + ") and she was not told why: find out why and tell her"}, true
}

// LetterboxReminder reminds before each letter is due, and after while it is outstanding.
func LetterboxReminder(x LetterboxExchange, today haven.Date) (Reminder, bool) {
	if !x.Outstanding() || addDays(today, LetterboxWarnDays).Before(x.DueOn) {
		return Reminder{}, false
	}
	who := "the child"
	if x.ChildName != "" {
		who = x.ChildName
	}
	text := "Letterbox letter to " + who + " is due: help her write it"
	if x.Direction == "to-her" {
		text = "Letterbox letter from " + who + "'s family is due: check whether it has arrived"
	}
	return Reminder{Kind: ReminderLetterbox, Due: x.DueOn, Text: text}, true
}

// Short is the band inside a sentence: "newborn", "infant".
func (b AgeBand) Short() string {
	switch b {
	case Newborn, Infant:
		return string(b)
	case Older:
		return "1 year or older"
	}
	return "age not known"
}
