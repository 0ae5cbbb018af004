package web

import (
	"time"

	"haven/internal/events"
	"haven/internal/store"
)

// eventsTemplateCases render each events page with text that must come out
// escaped, and times shown in London.
func eventsTemplateCases() map[string]struct {
	p    page
	want string
} {
	start := time.Date(2027, 7, 13, 13, 0, 0, 0, time.UTC) // 2pm in London
	e := store.ListedEvent{Event: events.Event{ID: 4, Title: "Grief <and> loss", Summary: "For practitioners.", Kind: events.KindSeminar,
		Start: start, End: start.Add(90 * time.Minute), Online: true, Capacity: 40}, Booked: 39}
	return map[string]struct {
		p    page
		want string
	}{
		"events.html":         {&eventsPage{Layout: Layout{Title: "Events"}, Upcoming: []store.ListedEvent{e}, Editor: true}, "1 place left"},
		"event.html":          {&eventPage{Layout: Layout{Title: e.Title}, Event: e, Editor: true}, "Tuesday 13 July 2027, 2pm to 3:30pm"},
		"event-booked.html":   {&eventBookedPage{Layout: Layout{Title: "Place booked"}, Event: e}, "Grief &lt;and&gt; loss"},
		"event-bookings.html": {&eventBookingsPage{Layout: Layout{Title: "Places booked"}, Event: e, Bookings: []store.Booking{{Name: "Sam <b>", Email: "sam@example.org", Created: start}}}, "Sam &lt;b&gt;"},
		"event-form.html": {&eventFormPage{Layout: Layout{Title: "Add an event", Errors: []FieldError{{"start", "Start time: enter a time such as 14:30 or 2:30pm"}}},
			Action: "/events/new", Form: eventForm{Title: "T", Kind: "panel", Online: "no", Booking: "haven", Capacity: "30"}, Kinds: events.Kinds}, "enter a time such as 14:30"},
	}
}
