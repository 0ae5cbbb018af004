package web

import "haven/internal/access"

// eventsRoutes: the community of practice's events, public; library
// editors organise them.
func (s *Server) eventsRoutes() []route {
	return []route{
		{pattern: "GET /events", perm: access.PermPublic, handler: s.eventsList},
		{pattern: "GET /events.ics", perm: access.PermPublic, handler: s.eventsICS},
		{pattern: "GET /events/{id}", perm: access.PermPublic, handler: s.eventShow},
		{pattern: "GET /events/{id}/calendar.ics", perm: access.PermPublic, handler: s.eventICS},
		{pattern: "POST /events/{id}/book", perm: access.PermPublic, handler: s.eventBook},
		{pattern: "GET /events/{id}/booked", perm: access.PermPublic, handler: s.eventBooked},

		{pattern: "GET /events/new", perm: access.PermLibraryEdit, handler: s.eventNewForm},
		{pattern: "POST /events/new", perm: access.PermLibraryEdit, handler: s.eventCreate},
		{pattern: "GET /events/{id}/edit", perm: access.PermLibraryEdit, handler: s.eventEditForm},
		{pattern: "POST /events/{id}/edit", perm: access.PermLibraryEdit, handler: s.eventUpdate},
		{pattern: "POST /events/{id}/cancel", perm: access.PermLibraryEdit, handler: s.eventCancel},
		{pattern: "GET /events/{id}/bookings", perm: access.PermLibraryEdit, handler: s.eventBookings},
	}
}
