package reunify

import (
	"slices"

	"haven/internal/haven"
)

// Re-entry (issue 18 item 5): a child who went home and came back into care.
// In SSDA903 terms, an episode ended E4A or E4B (returned home to parents or
// others with parental responsibility) and a later episode began with RNE S
// (started to be looked after). An episode ended X1 is not an exit (a new
// episode began the same day: the child stayed in care), and E13 (left care
// to live with someone without parental responsibility) is not a return to
// parents: neither makes a later S a re-entry.

// ReEntry is one return home and the child's coming back into care after it.
type ReEntry struct {
	Returned  haven.Date // the DEC of the episode ended E4A or E4B
	REC       string     // E4A or E4B
	ReEntered haven.Date // the DECOM of the next episode with RNE S
}

// Within reports whether the child came back within n months of the return
// (on or before the day n months later).
func (r ReEntry) Within(months int) bool {
	return !r.Returned.AddMonths(months).Before(r.ReEntered)
}

// ReEntryWindows are the periods the DfE and the NSPCC count re-entry over:
// 3 months, 12 months and 6 years (DOMAIN.md §5.3: 12%, 20% and 35% in
// 2022-23).
var ReEntryWindows = []int{3, 12, 72}

// Window is the shortest of ReEntryWindows the re-entry fell within, in
// words; "" if after 6 years.
func (r ReEntry) Window() string {
	for _, m := range ReEntryWindows {
		if r.Within(m) {
			switch m {
			case 3:
				return "within 3 months"
			case 12:
				return "within 12 months"
			default:
				return "within 6 years"
			}
		}
	}
	return ""
}

// ReEntries finds every re-entry in a child's episodes, oldest first. Each
// return home pairs with the first later episode with RNE S; episodes are
// taken in date order whatever order they come in.
func ReEntries(eps []Episode) []ReEntry {
	sorted := slices.Clone(eps)
	slices.SortStableFunc(sorted, func(a, b Episode) int { return a.StartsOn.Time().Compare(b.StartsOn.Time()) })
	var out []ReEntry
	var pending *ReEntry
	for _, e := range sorted {
		if pending != nil && e.RNE == "S" && !e.StartsOn.Before(pending.Returned) {
			pending.ReEntered = e.StartsOn
			out = append(out, *pending)
			pending = nil
		}
		if !e.EndsOn.IsZero() && e.ReturnedHome() {
			pending = &ReEntry{Returned: e.EndsOn, REC: e.REC}
		}
	}
	return out
}

// ReturnedOn is the date the child went home in this case: the end of the
// latest episode ended E4A or E4B on or after the case opened. Zero if the
// child has not gone home in this case.
func ReturnedOn(eps []Episode, openedOn haven.Date) haven.Date {
	var d haven.Date
	for _, e := range eps {
		if e.ReturnedHome() && !e.EndsOn.IsZero() && !e.EndsOn.Before(openedOn) && d.Before(e.EndsOn) {
			d = e.EndsOn
		}
	}
	return d
}

// ReEntryAfter is the re-entry after a return on returned, if the child came
// back into care after it.
func ReEntryAfter(eps []Episode, returned haven.Date) (ReEntry, bool) {
	if returned.IsZero() {
		return ReEntry{}, false
	}
	for _, r := range ReEntries(eps) {
		if r.Returned == returned {
			return r, true
		}
	}
	return ReEntry{}, false
}
