package measure

import (
	"strings"

	"haven/internal/haven"
)

// A schedule says which measures fall due at which points of her programme
// (issue 17 item 3). Each Practice may set its own; until it does, the
// defaults apply.

// ScheduleItem is what falls due: an instrument, or her needs.
type ScheduleItem string

// NeedsItem is the need domains and the three facts, recorded together.
const NeedsItem ScheduleItem = "needs"

// SchedulePoints are the points a schedule may set. Follow-up has no date of
// its own to fall due on: it is recorded when it happens.
var SchedulePoints = []Point{Baseline, Month6, Month12, Month18, Exit}

// ScheduleItems lists every item, instruments first in their usual order.
func ScheduleItems() []ScheduleItem {
	out := make([]ScheduleItem, 0, len(instruments)+1)
	for _, in := range instruments {
		out = append(out, ScheduleItem(in.ID))
	}
	return append(out, NeedsItem)
}

// Label is the item as people read it.
func (i ScheduleItem) Label() string {
	if i == NeedsItem {
		return "Needs"
	}
	if in, ok := Lookup(ID(i)); ok {
		return in.Name
	}
	return ""
}

// Instrument returns the item's instrument; false for needs.
func (i ScheduleItem) Instrument() (*Instrument, bool) { return Lookup(ID(i)) }

// Slot is one item due at one point.
type Slot struct {
	Item  ScheduleItem
	Point Point
}

// Schedule is a Practice's slots.
type Schedule struct {
	Own     bool // the Practice set it; false means these are the defaults
	Slots   map[Slot]bool
	Version int64 // of the Practice's own schedule; 0 while it has none
}

// Has reports whether an item falls due at a point.
func (s Schedule) Has(item ScheduleItem, p Point) bool { return s.Slots[Slot{item, p}] }

// DefaultSchedule is what a Practice that has set nothing follows: PHQ-9,
// GAD-7, ONS4 and needs at baseline, every six months and exit. WEMWBS and
// SWEMWBS are left out because they may be switched off (no registration).
func DefaultSchedule() Schedule {
	s := Schedule{Slots: map[Slot]bool{}}
	for _, item := range []ScheduleItem{ScheduleItem(PHQ9), ScheduleItem(GAD7), ScheduleItem(ONS4), NeedsItem} {
		for _, p := range SchedulePoints {
			s.Slots[Slot{item, p}] = true
		}
	}
	return s
}

// ScheduleField is an item's field in the schedule form ("slot-phq9"): the
// ID of its first checkbox, and where an error about it is shown.
func ScheduleField(item ScheduleItem) string { return "slot-" + string(item) }

// SlotValue is a slot as its checkbox sends it ("phq9:6-months").
func SlotValue(item ScheduleItem, p Point) string { return string(item) + ":" + string(p) }

// ParseSlot reads what SlotValue wrote; anything else is false.
func ParseSlot(s string) (Slot, bool) {
	item, point, ok := strings.Cut(s, ":")
	sl := Slot{ScheduleItem(item), Point(point)}
	return sl, ok && validSlot(sl)
}

// CheckSchedule checks the slots a lead chose. registered says whether the
// deployment's registration is recorded for an instrument: WEMWBS and
// SWEMWBS cannot be chosen without one. Errors name the item's field.
func CheckSchedule(slots []Slot, registered func(ID) bool) error {
	fields := map[string]string{}
	for _, sl := range slots {
		if !validSlot(sl) {
			fields["schedule"] = "Choose measures and points from the list"
			continue
		}
		if in, ok := sl.Item.Instrument(); ok && !in.Usable(registered(in.ID)) {
			fields[ScheduleField(sl.Item)] = in.Name + " cannot be scheduled until an administrator records this service's registration with Warwick"
		}
	}
	if len(fields) > 0 {
		return haven.Invalid(fields)
	}
	return nil
}

func validSlot(sl Slot) bool {
	okItem := sl.Item == NeedsItem
	if _, ok := Lookup(ID(sl.Item)); ok {
		okItem = true
	}
	for _, p := range SchedulePoints {
		if p == sl.Point {
			return okItem
		}
	}
	return false
}

// Span is what a schedule needs to know of an enrolment.
type Span struct {
	Engaged haven.Date // engagement began
	Started haven.Date // the programme began (her commitment date)
	Ended   haven.Date // completed or ended early; zero while it runs
}

// DueNotice is how long before its date a scheduled measure shows as a task.
const DueNotice = 28 // days

// DueOn returns the date by which a point's measures are due, and false
// when the point is not due in this enrolment (yet, or any more):
//   - baseline: within 4 weeks of the programme start, or of the engagement
//     start while the programme has not started; not once she has left;
//   - 6, 12 and 18 months: start + N months (AddMonths) while the programme runs;
//   - exit: within 4 weeks of the enrolment's end, if she had engaged;
//   - follow-up: never scheduled.
func (sp Span) DueOn(p Point) (haven.Date, bool) {
	switch p {
	case Baseline:
		start := sp.Started
		if start.IsZero() {
			start = sp.Engaged
		}
		if start.IsZero() || !sp.Ended.IsZero() {
			return haven.Date{}, false
		}
		return addDays(start, DueNotice), true
	case Month6, Month12, Month18:
		if sp.Started.IsZero() || !sp.Ended.IsZero() {
			return haven.Date{}, false
		}
		return sp.Started.AddMonths(p.Months()), true
	case Exit:
		// Someone who left before she ever engaged was never measured.
		if sp.Ended.IsZero() || (sp.Engaged.IsZero() && sp.Started.IsZero()) {
			return haven.Date{}, false
		}
		return addDays(sp.Ended, DueNotice), true
	}
	return haven.Date{}, false
}

// Shows reports whether a measure due on due has opened by today: from
// DueNotice days before its date.
func Shows(due, today haven.Date) bool { return !today.Before(addDays(due, -DueNotice)) }

// Current returns when a point is due and whether it is a task today: from
// DueNotice days before its date until it lapses. A point lapses when the
// next point of the programme opens (a reading then would be the next
// point's, and a missed one cannot be taken late): baseline when 6 months
// opens, 6 months when 12 does, 12 when 18 does; 18 months when the
// programme ends, and exit when her case is closed. Baseline does not lapse
// while she is still engaging.
func (sp Span) Current(p Point, today haven.Date) (haven.Date, bool) {
	due, ok := sp.DueOn(p)
	if !ok || !Shows(due, today) {
		return due, false
	}
	if next := nextMonths(p); next > 0 && !sp.Started.IsZero() && Shows(sp.Started.AddMonths(next), today) {
		return due, false
	}
	return due, true
}

func nextMonths(p Point) int {
	switch p {
	case Baseline:
		return 6
	case Month6:
		return 12
	case Month12:
		return 18
	}
	return 0
}

// OpenedBy is the latest programme start for which the point n months in
// has opened by today (Shows). The tasks query compares programme starts
// with it, so that each running enrolment is matched with its one current
// point before any reading is looked for.
func OpenedBy(n int, today haven.Date) haven.Date {
	limit := addDays(today, DueNotice).Time()
	s := addDays(today, DueNotice).AddMonths(-n)
	// AddMonths never decreases as the start moves on, so walk to the edge.
	for !addDays(s, 1).AddMonths(n).Time().After(limit) {
		s = addDays(s, 1)
	}
	for s.AddMonths(n).Time().After(limit) {
		s = addDays(s, -1)
	}
	return s
}

func addDays(d haven.Date, n int) haven.Date {
	t := d.Time()
	return haven.NewDate(t.Year(), t.Month(), t.Day()+n)
}
