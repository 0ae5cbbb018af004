package contact

import "haven/internal/haven"

// Dates that make no sense against the child they concern: an arrangement
// that starts, or a move that happens, before the child was born. Validate
// checks each record on its own; these need the child.

// bornAfter reports whether d is before the child's birth, as far as it is
// known: the full date, or only the year.
func bornAfter(c Child, d haven.Date) bool {
	if d.IsZero() {
		return false
	}
	if !c.BornOn.IsZero() {
		return d.Before(c.BornOn)
	}
	return c.BirthYear > 0 && d.Time().Year() < c.BirthYear
}

// CheckChild checks the arrangement's dates against the child it is with;
// children are hers. A child not among them is left to Validate and the store.
func (a *Arrangement) CheckChild(children []Child) error {
	c, ok := childByID(children, a.ChildID)
	if ok && bornAfter(c, a.StartOn) {
		return haven.Invalid(map[string]string{"start": "Start date must be on or after " + c.Name + "'s date of birth"})
	}
	return nil
}

// CheckMove checks the date a child moved to a new placement: not in the
// future, and not before the child was born.
func (c Child) CheckMove(from, today haven.Date) error {
	switch {
	case from.IsZero():
	case today.Before(from):
		return haven.Invalid(map[string]string{"placementFrom": "Date of the move must be today or in the past"})
	case bornAfter(c, from):
		return haven.Invalid(map[string]string{"placementFrom": "Date of the move must be on or after " + c.Name + "'s date of birth"})
	}
	return nil
}
