package web

import (
	"errors"
	"net/http"
	"net/mail"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/events"
	"haven/internal/haven"
	"haven/internal/library"
	"haven/internal/store"
)

// The community of practice's events (issue 21 item 5): public pages with
// times in Europe/London, an iCalendar file for each event and a feed, and
// places booked in Haven up to a capacity. Library editors organise them.

// eventFields is the event form's order, for its error summary.
var eventFields = []string{"title", "summary", "kind", "date", "start", "end", "online", "venue", "booking", "capacity", "bookingUrl", "organiser", "resources"}

type eventsPage struct {
	Layout
	Upcoming, Past []store.ListedEvent
	Editor         bool
}

type eventPage struct {
	Layout
	Event     store.ListedEvent
	Resources []library.Resource // its recording and slides, published ones only
	Past      bool
	Editor    bool
	Booking   bookingForm
	Busy      string
}

// CanBook says whether the page offers the booking form.
func (p eventPage) CanBook() bool {
	return p.Event.BooksInHaven() && !p.Event.Cancelled && !p.Past && p.Event.PlacesLeft() > 0
}

type bookingForm struct{ Name, Email, Organisation string }

type eventFormPage struct {
	Layout
	Action string
	Form   eventForm
	Kinds  []events.Kind
}

// eventForm is the event form as typed: one day, a start and an end time.
type eventForm struct {
	ID                          int64
	Title, Summary, Kind        string
	Day, Month, Year            string
	Start, End                  string
	Online                      string // "yes" or "no"
	Venue, Booking, Organiser   string
	Capacity, BookingURL        string
	Resources                   string // resource numbers or library addresses
	Version                     int
	HasBookings                 bool
	Cancelled                   bool
	BookingNone, BookingInHaven bool
}

type eventBookingsPage struct {
	Layout
	Event    store.ListedEvent
	Bookings []store.Booking
}

func eventID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, haven.ErrNotFound
	}
	return id, nil
}

func isEventEditor(r *http.Request) bool {
	a := infoFrom(r.Context()).actor
	return a != nil && a.Can(access.PermLibraryEdit)
}

func (s *Server) eventsList(w http.ResponseWriter, r *http.Request) error {
	up, err := s.store.UpcomingEvents(r.Context(), s.now(), 100)
	if err != nil {
		return err
	}
	past, err := s.store.PastEvents(r.Context(), s.now(), 50)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "events.html", &eventsPage{Layout: Layout{Title: "Events", Nav: "events"}, Upcoming: up, Past: past, Editor: isEventEditor(r)})
}

func (s *Server) eventView(r *http.Request) (*eventPage, error) {
	id, err := eventID(r)
	if err != nil {
		return nil, err
	}
	e, err := s.store.Event(r.Context(), id)
	if err != nil {
		return nil, err
	}
	p := &eventPage{Layout: Layout{Title: e.Title, Nav: "events"}, Event: e, Past: e.Past(s.now()), Editor: isEventEditor(r)}
	for _, id := range e.Resources {
		res, err := s.store.Resource(r.Context(), id)
		if err == nil && res.Status == library.StatusPublished {
			p.Resources = append(p.Resources, res)
		} else if err != nil && !errors.Is(err, haven.ErrNotFound) {
			return nil, err
		}
	}
	return p, nil
}

func (s *Server) eventShow(w http.ResponseWriter, r *http.Request) error {
	p, err := s.eventView(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "event.html", p)
}

func eventBookingKey(r *http.Request) string { return "event-booking:" + clientIP(r) }

func (s *Server) eventBook(w http.ResponseWriter, r *http.Request) error {
	p, err := s.eventView(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	b := bookingForm{Name: strings.TrimSpace(r.PostFormValue("name")), Email: strings.TrimSpace(r.PostFormValue("email")),
		Organisation: strings.TrimSpace(r.PostFormValue("organisation"))}
	p.Booking = b
	if wait := s.referralLimit().Wait(eventBookingKey(r), s.now()); wait > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		p.Busy = "Several places have been booked from this device or network in a short time. Wait " + referralWaitText(wait) + ", then try again."
		return s.render(w, r, http.StatusTooManyRequests, "event.html", p)
	}
	f := map[string]string{}
	dirPlainText(f, "name", "your name", b.Name, true, 100)
	if a, err := mail.ParseAddress(b.Email); b.Email == "" || err != nil || a.Address != b.Email || len(b.Email) > 254 {
		f["email"] = "Enter your email address in the correct format, like name@example.org"
	}
	dirPlainText(f, "organisation", "where you work", b.Organisation, false, 200)
	if len(f) == 0 {
		s.referralLimit().Fail(eventBookingKey(r), s.now())
		_, err = s.store.BookEvent(r.Context(), s.auditEvent(r, audit.Create), store.Booking{EventID: p.Event.ID, Name: b.Name, Email: b.Email, Organisation: b.Organisation})
		switch {
		case err == nil:
			http.Redirect(w, r, "/events/"+strconv.FormatInt(p.Event.ID, 10)+"/booked", http.StatusSeeOther)
			return nil
		case errors.Is(err, store.ErrAlreadyBooked):
			f["email"] = haven.MessageOf(err)
		case errors.Is(err, store.ErrEventFull), errors.Is(err, store.ErrBookingClosed):
			f["name"] = haven.MessageOf(err)
		default:
			return err
		}
	}
	p.Errors = fieldErrors(f, "name", "email", "organisation")
	if again, err := s.store.Event(r.Context(), p.Event.ID); err == nil {
		p.Event = again // the places left may have changed
	}
	return s.render(w, r, http.StatusUnprocessableEntity, "event.html", p)
}

type eventBookedPage struct {
	Layout
	Event store.ListedEvent
}

func (s *Server) eventBooked(w http.ResponseWriter, r *http.Request) error {
	p, err := s.eventView(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "event-booked.html", &eventBookedPage{Layout: Layout{Title: "Place booked", Nav: "events"}, Event: p.Event})
}

func (s *Server) calendar(r *http.Request) events.Calendar {
	base := strings.TrimRight(s.baseURL, "/")
	host := "haven.invalid"
	if u, err := url.Parse(base); err == nil && u.Host != "" {
		host = u.Host
	}
	return events.Calendar{Name: "Haven community of practice events", BaseURL: base, Host: host, Now: s.now()}
}

func writeICS(w http.ResponseWriter, name string, body []byte) error {
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	_, err := w.Write(body)
	return err
}

func (s *Server) eventICS(w http.ResponseWriter, r *http.Request) error {
	p, err := s.eventView(r)
	if err != nil {
		return err
	}
	return writeICS(w, "haven-event-"+strconv.FormatInt(p.Event.ID, 10)+".ics", s.calendar(r).ICS([]events.Event{p.Event.Event}))
}

// eventsICS is the feed: every upcoming event and those of the last year.
func (s *Server) eventsICS(w http.ResponseWriter, r *http.Request) error {
	up, err := s.store.UpcomingEvents(r.Context(), s.now(), 500)
	if err != nil {
		return err
	}
	past, err := s.store.PastEvents(r.Context(), s.now(), 100)
	if err != nil {
		return err
	}
	var evs []events.Event
	for _, e := range append(up, past...) {
		if e.End.After(s.now().AddDate(-1, 0, 0)) {
			evs = append(evs, e.Event)
		}
	}
	return writeICS(w, "haven-events.ics", s.calendar(r).ICS(evs))
}

// Organising events: library editors.

func (s *Server) eventNewForm(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "event-form.html", &eventFormPage{Layout: Layout{Title: "Add an event", Nav: "events"}, Action: "/events/new",
		Form: eventForm{Online: "yes", Booking: "none"}, Kinds: events.Kinds})
}

func formOfEvent(e store.ListedEvent) eventForm {
	s, f := e.Start.In(events.London), e.End.In(events.London)
	form := eventForm{ID: e.ID, Title: e.Title, Summary: e.Summary, Kind: string(e.Kind), Day: strconv.Itoa(s.Day()), Month: strconv.Itoa(int(s.Month())),
		Year: strconv.Itoa(s.Year()), Start: s.Format("15:04"), End: f.Format("15:04"), Online: "no", Venue: e.Venue, Organiser: e.Organiser,
		BookingURL: e.BookingURL, Booking: "none", HasBookings: e.Booked > 0, Cancelled: e.Cancelled}
	var ids []string
	for _, id := range e.Resources {
		ids = append(ids, strconv.FormatInt(id, 10))
	}
	form.Resources = strings.Join(ids, ", ")
	if e.Online {
		form.Online = "yes"
	}
	switch {
	case e.Capacity > 0:
		form.Booking, form.Capacity = "haven", strconv.Itoa(e.Capacity)
	case e.BookingURL != "":
		form.Booking = "link"
	}
	return form
}

func (s *Server) eventEditForm(w http.ResponseWriter, r *http.Request) error {
	p, err := s.eventView(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "event-form.html", &eventFormPage{Layout: Layout{Title: "Change an event", Nav: "events"},
		Action: "/events/" + strconv.FormatInt(p.Event.ID, 10) + "/edit", Form: formOfEvent(p.Event), Kinds: events.Kinds})
}

func parseEventForm(r *http.Request) eventForm {
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	return eventForm{Title: v("title"), Summary: v("summary"), Kind: v("kind"), Day: v("date-day"), Month: v("date-month"), Year: v("date-year"),
		Start: v("start"), End: v("end"), Online: v("online"), Venue: v("venue"), Booking: v("booking"), Capacity: v("capacity"),
		BookingURL: v("bookingUrl"), Organiser: v("organiser"), Resources: v("resources")}
}

// resourceIDs reads the resources typed: numbers or library addresses,
// separated by commas, spaces or new lines.
func (f eventForm) resourceIDs() ([]int64, string) {
	var out []int64
	for _, tok := range strings.FieldsFunc(f.Resources, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' || r == '\t' }) {
		if i := strings.LastIndex(tok, "/library/resources/"); i >= 0 {
			tok = strings.TrimSuffix(tok[i+len("/library/resources/"):], "/")
		}
		id, err := strconv.ParseInt(tok, 10, 64)
		if err != nil || id <= 0 {
			return nil, "Give each resource as its number or its library address, like 12 or /library/resources/12"
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	if len(out) > 20 {
		return nil, "Give at most 20 resources"
	}
	return out, ""
}

// event reads the form into an event and every problem with it by field.
func (f eventForm) event() (events.Event, map[string]string) {
	fields := map[string]string{}
	e := events.Event{ID: f.ID, Title: f.Title, Summary: f.Summary, Kind: events.Kind(f.Kind), Online: f.Online == "yes", Organiser: f.Organiser}
	if !e.Online {
		e.Venue = f.Venue
	}
	if f.Online != "yes" && f.Online != "no" {
		fields["online"] = "Say whether the event is online or in person"
	}
	d, err := haven.ParseDateParts("The date", f.Day, f.Month, f.Year)
	switch {
	case err != nil:
		fields["date"] = err.Error()
	case d.IsZero():
		fields["date"] = "Enter the date of the event"
	default:
		if e.Start, err = events.LocalTime(d, f.Start); err != nil {
			fields["start"] = "Start time: " + err.Error()
		}
		if e.End, err = events.LocalTime(d, f.End); err != nil {
			fields["end"] = "End time: " + err.Error()
		}
	}
	switch f.Booking {
	case "none":
	case "haven":
		n, err := strconv.Atoi(f.Capacity)
		if err != nil || n < 1 {
			fields["capacity"] = "Enter the number of places, like 40"
		}
		e.Capacity = n
	case "link":
		e.BookingURL = f.BookingURL
		if e.BookingURL == "" {
			fields["bookingUrl"] = "Enter the booking link"
		}
	default:
		fields["booking"] = "Say how people book a place"
	}
	if he, ok := errors.AsType[*haven.Error](e.Check()); ok {
		for k, m := range he.Fields {
			if _, seen := fields[k]; !seen && !(k == "start" || k == "end") || (k == "end" && fields["start"] == "" && fields["end"] == "" && fields["date"] == "") {
				fields[k] = m
			}
		}
	}
	return e, fields
}

func (s *Server) eventSave(w http.ResponseWriter, r *http.Request, id int64) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := parseEventForm(r)
	f.ID = id
	title, action := "Add an event", "/events/new"
	if id != 0 {
		title, action = "Change an event", "/events/"+strconv.FormatInt(id, 10)+"/edit"
	}
	e, fields := f.event()
	resources, msg := f.resourceIDs()
	if msg != "" {
		fields["resources"] = msg
	}
	for _, id := range resources { // checked before anything is saved
		if res, err := s.store.Resource(r.Context(), id); err != nil || res.Status != library.StatusPublished {
			if err != nil && !errors.Is(err, haven.ErrNotFound) {
				return err
			}
			fields["resources"] = "Resource " + strconv.FormatInt(id, 10) + " is not a published resource in the library"
			break
		}
	}
	if len(fields) == 0 {
		var err error
		if id == 0 {
			id, err = s.store.CreateEvent(r.Context(), s.auditEvent(r, audit.Create), e, infoFrom(r.Context()).actor.User.ID)
		} else {
			err = s.store.UpdateEvent(r.Context(), s.auditEvent(r, audit.Update), e)
		}
		if he, ok := errors.AsType[*haven.Error](err); ok && he.Kind == haven.KindInvalid && len(he.Fields) > 0 {
			fields = he.Fields
		} else if err != nil {
			return err
		} else {
			if err := s.store.SetEventResources(r.Context(), s.auditEvent(r, audit.Update), id, resources); err != nil {
				return err
			}
			s.saved(w, r, "/events/"+strconv.FormatInt(id, 10), "event")
			return nil
		}
	}
	return s.render(w, r, http.StatusUnprocessableEntity, "event-form.html", &eventFormPage{Layout: Layout{Title: title, Nav: "events",
		Errors: fieldErrors(fields, eventFields...)}, Action: action, Form: f, Kinds: events.Kinds})
}

func (s *Server) eventCreate(w http.ResponseWriter, r *http.Request) error {
	return s.eventSave(w, r, 0)
}

func (s *Server) eventUpdate(w http.ResponseWriter, r *http.Request) error {
	p, err := s.eventView(r)
	if err != nil {
		return err
	}
	return s.eventSave(w, r, p.Event.ID)
}

func (s *Server) eventCancel(w http.ResponseWriter, r *http.Request) error {
	id, err := eventID(r)
	if err != nil {
		return err
	}
	if err := s.store.CancelEvent(r.Context(), s.auditEvent(r, audit.Update), id); err != nil {
		return err
	}
	s.saved(w, r, "/events/"+strconv.FormatInt(id, 10), "event-cancelled")
	return nil
}

func (s *Server) eventBookings(w http.ResponseWriter, r *http.Request) error {
	p, err := s.eventView(r)
	if err != nil {
		return err
	}
	bs, err := s.store.EventBookings(r.Context(), s.auditEvent(r, audit.View), p.Event.ID)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "event-bookings.html", &eventBookingsPage{Layout: Layout{Title: "Places booked", Nav: "events"}, Event: p.Event, Bookings: bs})
}
