// Package events holds the community of practice's events — seminars,
// panels and practice forums — with their rules and their iCalendar form.
// Times are instants; people read and type them in Europe/London.
package events

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Europe/London must be known on a machine with no zoneinfo

	"haven/internal/haven"
)

// London is the zone every event is shown and entered in.
var London = mustLoad("Europe/London")

func mustLoad(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// Kind is what sort of event it is.
type Kind string

const (
	KindSeminar  Kind = "seminar"
	KindPanel    Kind = "panel"
	KindForum    Kind = "practice-forum"
	KindWorkshop Kind = "workshop"
)

// Kinds are the choices, in the order a form offers them.
var Kinds = []Kind{KindSeminar, KindPanel, KindForum, KindWorkshop}

// Name is the kind's name for people.
func (k Kind) Name() string {
	switch k {
	case KindSeminar:
		return "Online seminar"
	case KindPanel:
		return "Panel discussion"
	case KindForum:
		return "Practice forum"
	case KindWorkshop:
		return "Workshop"
	}
	return string(k)
}

// Valid says whether k is one of Kinds.
func (k Kind) Valid() bool {
	for _, v := range Kinds {
		if k == v {
			return true
		}
	}
	return false
}

// Limits on what an event may hold.
const (
	MaxTitle    = 200
	MaxSummary  = 4000
	MaxVenue    = 300
	MaxCapacity = 1000
	MaxLength   = 3 * 24 * time.Hour
)

// Event is one event. Capacity above zero means people book a place in
// Haven; a BookingURL means they book elsewhere; neither means no booking is
// needed. Sequence counts published changes, for calendars (RFC 5545).
type Event struct {
	ID         int64
	Title      string
	Summary    string
	Kind       Kind
	Start, End time.Time
	Online     bool
	Venue      string // the address when in person
	BookingURL string
	Capacity   int
	Organiser  string
	Cancelled  bool
	Sequence   int
	Updated    time.Time
	// Resources are the recordings and slides kept in the library.
	Resources []int64
}

// BooksInHaven says whether places are booked through Haven.
func (e Event) BooksInHaven() bool { return e.Capacity > 0 }

// Past says whether the event has ended by now.
func (e Event) Past(now time.Time) bool { return !e.End.After(now) }

// Where is the place as people read it.
func (e Event) Where() string {
	if e.Online {
		return "Online"
	}
	return e.Venue
}

// When is the date and time as people read it, in London: "Tuesday 12
// January 2027, 2pm to 3:30pm", or across days when it spans them.
func (e Event) When() string {
	s, f := e.Start.In(London), e.End.In(London)
	day := func(t time.Time) string { return t.Format("Monday 2 January 2006") }
	if s.Year() == f.Year() && s.YearDay() == f.YearDay() {
		return day(s) + ", " + Clock(s) + " to " + Clock(f)
	}
	return day(s) + ", " + Clock(s) + " to " + day(f) + ", " + Clock(f)
}

// Clock is a time of day in the GOV.UK style: "2pm", "2:30pm", "midday",
// "midnight".
func Clock(t time.Time) string {
	h, m := t.Hour(), t.Minute()
	switch {
	case h == 12 && m == 0:
		return "midday"
	case h == 0 && m == 0:
		return "midnight"
	}
	suffix := "am"
	if h >= 12 {
		suffix = "pm"
	}
	if h%12 == 0 {
		h = 12
	} else {
		h %= 12
	}
	if m == 0 {
		return strconv.Itoa(h) + suffix
	}
	return fmt.Sprintf("%d:%02d%s", h, m, suffix)
}

// Check says what is wrong with e, field by field, in words a form shows.
func (e Event) Check() error {
	f := map[string]string{}
	text := func(field, label, v string, max int, required bool) {
		switch {
		case strings.TrimSpace(v) == "" && required:
			f[field] = "Enter " + strings.ToLower(label[:1]) + label[1:]
		case len([]rune(v)) > max:
			f[field] = fmt.Sprintf("%s must be %d characters or fewer", label, max)
		case haven.TextError(label, v) != "":
			f[field] = haven.TextError(label, v)
		case strings.ContainsAny(v, "<>"):
			f[field] = label + " must not contain < or >"
		}
	}
	text("title", "The title", e.Title, MaxTitle, true)
	text("summary", "The summary", e.Summary, MaxSummary, true)
	text("organiser", "The organiser", e.Organiser, MaxTitle, false)
	if !e.Kind.Valid() {
		f["kind"] = "Select what kind of event it is"
	}
	switch {
	case e.Start.IsZero():
		f["start"] = "Enter when the event starts"
	case e.End.IsZero():
		f["end"] = "Enter when the event ends"
	case !e.End.After(e.Start):
		f["end"] = "The end must be after the start"
	case e.End.Sub(e.Start) > MaxLength:
		f["end"] = "An event must last 3 days or less"
	}
	if e.Online {
		if strings.TrimSpace(e.Venue) != "" {
			f["venue"] = "An online event has no venue: leave the address empty"
		}
	} else {
		text("venue", "The venue", e.Venue, MaxVenue, true)
	}
	if e.BookingURL != "" {
		if msg := checkURL(e.BookingURL); msg != "" {
			f["bookingUrl"] = msg
		}
		if e.Capacity != 0 {
			f["capacity"] = "Book either through Haven or through a booking link, not both"
		}
	}
	if e.Capacity < 0 || e.Capacity > MaxCapacity {
		f["capacity"] = fmt.Sprintf("The number of places must be between 1 and %d", MaxCapacity)
	}
	if len(f) > 0 {
		return haven.Invalid(f)
	}
	return nil
}

// checkURL allows only a web address that a browser opens as a page.
func checkURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || strings.ContainsAny(s, " <>\"") {
		return "Enter the booking link as a full web address, starting https://"
	}
	return ""
}

// LocalTime reads a date and a time of day typed in London ("14:30",
// "2:30pm", "2pm", "midday") into an instant. A time the clocks skip in
// spring does not exist and is refused; one they repeat in autumn is the
// first of the two (still British Summer Time).
func LocalTime(d haven.Date, clock string) (time.Time, error) {
	h, m, ok := parseClock(clock)
	if !ok {
		return time.Time{}, fmt.Errorf("enter a time such as 14:30 or 2:30pm")
	}
	y, mo, day := d.Time().Date()
	t := time.Date(y, mo, day, h, m, 0, 0, London)
	if t.Hour() != h || t.Minute() != m {
		return time.Time{}, fmt.Errorf("the clocks go forward at 1am that day, so %s does not exist: enter a time from 2am", clock)
	}
	// In the repeated hour Go may pick either offset: take the earlier instant.
	if earlier := t.Add(-time.Hour); earlier.Hour() == h && earlier.Minute() == m && earlier.Day() == t.Day() {
		t = earlier
	}
	return t, nil
}

// parseClock reads "14:30", "14.30", "2:30pm", "2pm", "midday", "noon",
// "midnight".
func parseClock(s string) (h, m int, ok bool) {
	s = strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	switch s {
	case "midday", "noon", "12noon":
		return 12, 0, true
	case "midnight":
		return 0, 0, true
	}
	suffix := ""
	if strings.HasSuffix(s, "am") || strings.HasSuffix(s, "pm") {
		suffix, s = s[len(s)-2:], s[:len(s)-2]
	}
	hs, ms, hasMin := strings.Cut(strings.ReplaceAll(s, ".", ":"), ":")
	if len(hs) == 0 || len(hs) > 2 || (hasMin && len(ms) != 2) {
		return 0, 0, false
	}
	var err error
	if h, err = strconv.Atoi(hs); err != nil || strings.HasPrefix(hs, "+") || strings.HasPrefix(hs, "-") {
		return 0, 0, false
	}
	if hasMin {
		if m, err = strconv.Atoi(ms); err != nil || m < 0 || m > 59 || strings.ContainsAny(ms, "+-") {
			return 0, 0, false
		}
	}
	switch suffix {
	case "":
		return h, m, h >= 0 && h <= 23
	case "am", "pm":
		if h < 1 || h > 12 {
			return 0, 0, false
		}
		h %= 12
		if suffix == "pm" {
			h += 12
		}
		return h, m, true
	}
	return 0, 0, false
}
