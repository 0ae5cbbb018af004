package reunify

import "haven/internal/haven"

// The rules between a child's episodes, as the SSDA903 return has them: a
// child is looked after in one episode at a time, episodes follow one
// another, and a period of care starts with RNE S.

// CheckNewEpisode checks a new episode e against the child's recorded
// episodes (in any order). Episodes are added in time order: a new one
// starts on or after the day the latest one ended, so that a history is
// never rewritten underneath a return already sent. Problems are field
// errors on the new episode's fields.
func CheckNewEpisode(recorded []Episode, e Episode) error {
	f := map[string]string{}
	var last *Episode
	open := false
	for i := range recorded {
		x := &recorded[i]
		if x.Open() {
			open = true
		}
		if last == nil || last.StartsOn.Before(x.StartsOn) {
			last = x
		}
	}
	switch {
	case last == nil:
		if e.RNE != "S" {
			f["rne"] = "A child's first episode must start with reason S: started to be looked after"
		}
	case open:
		// At most one open episode, and nothing may start inside it.
		f["startsOn"] = "End the current episode before adding a new one"
	case e.StartsOn.Before(last.EndsOn):
		f["startsOn"] = "Start date must be on or after " + last.EndsOn.Long() + ", when the previous episode ended"
	case overlaps(recorded, e):
		f["startsOn"] = "This episode overlaps one already recorded"
	case last.EndsOn.Before(e.StartsOn) && e.RNE != "S":
		// A gap means the child stopped being looked after: care starts again.
		f["rne"] = "The child was not looked after the day before this episode, so the reason must be S: started to be looked after"
	case e.StartsOn == last.EndsOn && last.REC != "X1" && e.RNE != "S":
		f["rne"] = "The previous episode ended with the child leaving care, so the reason must be S: started to be looked after"
	case e.StartsOn == last.EndsOn && last.REC == "X1" && e.RNE == "S":
		f["rne"] = "The previous episode ended with X1, a new episode the same day, so the child did not start to be looked after: choose what changed"
	}
	if len(f) > 0 {
		return haven.Invalid(f)
	}
	return nil
}

// overlaps reports whether e shares a day with any recorded episode, other
// than one's end day being the next one's start (the 903's convention for
// an episode that ends and another that begins the same day).
func overlaps(recorded []Episode, e Episode) bool {
	for _, x := range recorded {
		if x.ID != 0 && x.ID == e.ID {
			continue
		}
		// [start, end) intervals, an open episode running on for ever.
		eEndsAfterXStarts := e.Open() || x.StartsOn.Before(e.EndsOn)
		xEndsAfterEStarts := x.Open() || e.StartsOn.Before(x.EndsOn)
		if eEndsAfterXStarts && xEndsAfterEStarts {
			return true
		}
	}
	return false
}

// OpenEpisode is the child's open episode, if there is one.
func OpenEpisode(episodes []Episode) (Episode, bool) {
	for _, e := range episodes {
		if e.Open() {
			return e, true
		}
	}
	return Episode{}, false
}

// EndEpisode is e ended on the given day with reason rec, checked. Only an
// open episode can be ended, and not before it started.
func EndEpisode(e Episode, endsOn haven.Date, rec string, today haven.Date) (Episode, error) {
	f := map[string]string{}
	if !e.Open() {
		return e, haven.Invalid(map[string]string{"endsOn": "This episode has already ended"})
	}
	if endsOn.IsZero() {
		f["endsOn"] = "Enter the date the episode ended"
	}
	if !CeasedReasons.Has(rec) {
		f["rec"] = "Choose the reason the episode ended"
	}
	if len(f) > 0 {
		return e, haven.Invalid(f)
	}
	e.EndsOn, e.REC = endsOn, rec
	return e, e.Validate(today)
}
