package demo

import (
	"fmt"

	"haven/internal/audit"
	"haven/internal/events"
	"haven/internal/haven"
)

// demoEvents are made-up community of practice events, some to come and
// some past, at times in UK time relative to the day the demo is made.
var demoEvents = []struct {
	title, summary string
	kind           events.Kind
	days           int // from today
	start, end     string
	venue          string // in person if set
	capacity       int
	link           string
}{
	{"Contraception conversations after removal (fictional seminar)", "An online seminar on raising contraception early, at her pace, with a sexual health nurse and a practitioner.",
		events.KindSeminar, 14, "14:00", "15:30", "", 80, ""},
	{"Letterbox contact: what helps (fictional panel)", "A panel of practitioners and a parent adviser on supporting letterbox contact.",
		events.KindPanel, 35, "10:00", "11:30", "", 0, "https://example.org/book/letterbox-panel"},
	{"Northern practice forum (fictional)", "An in-person forum for practitioners in the North of England: bring a question from your practice.",
		events.KindForum, 49, "10:30", "15:00", "Civic Hall meeting room 2, Leeds LS1 1UR", 25, ""},
	{"Evaluating your service (fictional workshop)", "A workshop on the outcome measures Haven records, and what the national figures can and cannot tell you.",
		events.KindWorkshop, 90, "13:00", "16:00", "", 40, ""},
	{"Launch seminar: a community of practice (fictional)", "The community's first online seminar, with the resources co-produced with parents.",
		events.KindSeminar, -60, "14:00", "15:00", "", 120, ""},
	{"Grief and anniversaries (fictional panel)", "A panel on supporting parents through anniversaries and birthdays after removal.",
		events.KindPanel, -150, "11:00", "12:30", "", 0, ""},
}

// events seeds the demo's events.
func (s *seeder) events() error {
	ev := audit.Event{RequestID: "demo-seed"}
	for _, d := range demoEvents {
		day := haven.NewDate(s.now.Year(), s.now.Month(), s.now.Day()).Time().AddDate(0, 0, d.days)
		date := haven.NewDate(day.Year(), day.Month(), day.Day())
		start, err := events.LocalTime(date, d.start)
		if err != nil {
			return fmt.Errorf("demo event %q: %w", d.title, err)
		}
		end, err := events.LocalTime(date, d.end)
		if err != nil {
			return fmt.Errorf("demo event %q: %w", d.title, err)
		}
		e := events.Event{Title: d.title, Summary: d.summary, Kind: d.kind, Start: start, End: end, Online: d.venue == "", Venue: d.venue,
			Capacity: d.capacity, BookingURL: d.link, Organiser: "Haven community of practice (demo)"}
		if _, err := s.db.CreateEvent(s.ctx, ev, e, 0); err != nil {
			return fmt.Errorf("demo event %q: %w", d.title, err)
		}
	}
	return nil
}
