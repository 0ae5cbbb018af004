package e2e

import "haven/internal/access"

// Events (issue 21 item 5), checked with axe at 1280 and 320 px. The demo's
// first event is to come and books places in Haven.
func init() {
	pages = append(pages,
		pageCase{name: "events", path: "/events", status: 200, want: "Coming up"},
		pageCase{name: "an event", path: "/events/1", status: 200, want: "Book a place"},
		pageCase{name: "an event, place booked", path: "/events/1/booked", status: 200, want: "Add it to your calendar"},
		pageCase{name: "add an event", journey: roleVisit(access.RoleLibraryEditor, "", "/events/new"), status: 200, want: "Save event"},
		pageCase{name: "an event's bookings", journey: roleVisit(access.RoleLibraryEditor, "", "/events/1/bookings"), status: 200, want: "places"},
	)
}
