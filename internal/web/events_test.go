package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"haven/internal/access"
	"haven/internal/library"
	"haven/internal/store/storetest"
)

// Events as people use them: a library editor adds one in UK time (British
// Summer Time here), the public books the places until it is full, the
// calendar file carries the time in UTC, and a change and a cancellation
// reach calendars through the sequence and the status.
func TestEventsJourney(t *testing.T) {
	db := storetest.SQLite(t)
	e := newAuthEnv(t, db)
	ed := e.signIn(t, e.account(access.RoleLibraryEditor))
	upcoming := func() int {
		up, err := db.UpcomingEvents(t.Context(), e.clock.Now(), 100)
		if err != nil {
			t.Fatal(err)
		}
		return len(up)
	}
	before := upcoming() // the demo's
	form := url.Values{"title": {"Contraception after removal: a practice seminar"}, "summary": {"For practitioners.\nWith a panel."}, "kind": {"seminar"},
		"date-day": {"13"}, "date-month": {"7"}, "date-year": {"2027"}, "start": {"2pm"}, "end": {"15:30"}, "online": {"yes"},
		"booking": {"haven"}, "capacity": {"2"}, "organiser": {"Haven community of practice"}}
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("end", "1pm")
	bad.Set("summary", "<script>")
	res := send(t, ed, "POST", e.ts.URL+"/events/new", bad)
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "The end must be after the start") || !strings.Contains(res.body, "must not contain") {
		t.Fatalf("a bad event: %d\n%s", res.status, res.body)
	}
	if n := upcoming(); n != before {
		t.Fatalf("a refused event was saved: %d events, %d before", n, before)
	}
	res = send(t, ed, "POST", e.ts.URL+"/events/new", form)
	if res.status != http.StatusSeeOther {
		t.Fatalf("add: %d\n%s", res.status, res.body)
	}
	page := res.header.Get("Location")
	public := e.browser()
	show := send(t, public, "GET", e.ts.URL+page, nil)
	if show.status != 200 || !strings.Contains(show.body, "Tuesday 13 July 2027, 2pm to 3:30pm") || !strings.Contains(show.body, "Book a place") {
		t.Fatalf("the event page: %d\n%s", show.status, show.body)
	}
	ics := send(t, public, "GET", e.ts.URL+page+"/calendar.ics", nil)
	if ics.header.Get("Content-Type") != "text/calendar; charset=utf-8" || !strings.Contains(ics.body, "DTSTART:20270713T130000Z\r\n") || !strings.Contains(ics.body, "SEQUENCE:0\r\n") {
		t.Fatalf("calendar file: %q\n%s", ics.header.Get("Content-Type"), ics.body)
	}
	book := func(email string) response {
		return send(t, e.browser(), "POST", e.ts.URL+page+"/book", url.Values{"name": {"Sam Example"}, "email": {email}, "organisation": {"A Practice"}})
	}
	if res := book("not an address"); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Enter your email address in the correct format") {
		t.Errorf("a bad address: %d", res.status)
	}
	if res := book("one@example.org"); res.status != http.StatusSeeOther || !strings.HasSuffix(res.header.Get("Location"), "/booked") {
		t.Fatalf("book: %d\n%s", res.status, res.body)
	}
	if res := book("ONE@example.org"); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "already has a place") {
		t.Errorf("the same address again: %d", res.status)
	}
	if res := book("two@example.org"); res.status != http.StatusSeeOther {
		t.Fatalf("the last place: %d", res.status)
	}
	if res := book("three@example.org"); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "This event is full") {
		t.Errorf("a full event: %d\n%s", res.status, res.body)
	}
	if show := send(t, public, "GET", e.ts.URL+page, nil); !strings.Contains(show.body, "This event is fully booked.") || strings.Contains(show.body, `action="`+page+`/book"`) {
		t.Errorf("a full event still offers the form")
	}
	// Who booked is the organisers' to see, not the public's or other staff's.
	if res := send(t, public, "GET", e.ts.URL+page+"/bookings", nil); res.status != http.StatusSeeOther {
		t.Errorf("the public saw the bookings: %d", res.status)
	}
	if res := send(t, e.signIn(t, e.account(access.RolePractitioner)), "GET", e.ts.URL+page+"/bookings", nil); res.status != http.StatusNotFound {
		t.Errorf("a practitioner saw the bookings: %d", res.status)
	}
	if res := send(t, ed, "GET", e.ts.URL+page+"/bookings", nil); res.status != 200 || !strings.Contains(res.body, "one@example.org") || !strings.Contains(res.body, "two@example.org") {
		t.Errorf("the organiser's list: %d", res.status)
	}
	// A change: fewer places than booked is refused; a new time reaches calendars.
	form.Set("capacity", "1")
	if res := send(t, ed, "POST", e.ts.URL+page+"/edit", form); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "the number of places cannot be fewer") {
		t.Errorf("fewer places than booked: %d", res.status)
	}
	form.Set("capacity", "3")
	form.Set("start", "10:00")
	form.Set("end", "11:00")
	if res := send(t, ed, "POST", e.ts.URL+page+"/edit", form); res.status != http.StatusSeeOther {
		t.Fatalf("change: %d\n%s", res.status, res.body)
	}
	// Its recording and slides are published library resources.
	lib, err := db.SearchLibrary(t.Context(), library.Filter{Page: 1, PerPage: 1})
	if err != nil || len(lib.Hits) == 0 {
		t.Fatalf("no demo resource: %v", err)
	}
	rec := lib.Hits[0].Resource
	form.Set("resources", "987654")
	if res := send(t, ed, "POST", e.ts.URL+page+"/edit", form); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "is not a published resource") {
		t.Errorf("an unknown resource: %d", res.status)
	}
	form.Set("resources", e.ts.URL+"/library/resources/"+itoa(rec.ID))
	if res := send(t, ed, "POST", e.ts.URL+page+"/edit", form); res.status != http.StatusSeeOther {
		t.Fatalf("link a resource: %d\n%s", res.status, res.body)
	}
	if show := send(t, public, "GET", e.ts.URL+page, nil); !strings.Contains(show.body, "Recording and slides") || !strings.Contains(show.body, "/library/resources/"+itoa(rec.ID)) {
		t.Errorf("the event page lacks its resources")
	}
	if res := send(t, ed, "POST", e.ts.URL+page+"/cancel", url.Values{}); res.status != http.StatusSeeOther {
		t.Fatalf("cancel: %d", res.status)
	}
	feed := send(t, public, "GET", e.ts.URL+"/events.ics", nil)
	for _, want := range []string{"DTSTART:20270713T090000Z\r\n", "SEQUENCE:3\r\n", "STATUS:CANCELLED\r\n", "SUMMARY:Contraception after removal: a practice seminar\r\n"} {
		if !strings.Contains(feed.body, want) {
			t.Errorf("the feed lacks %q:\n%s", want, feed.body)
		}
	}
	if res := book("four@example.org"); res.status != http.StatusUnprocessableEntity {
		t.Errorf("booking a cancelled event: %d", res.status)
	}
	if list := send(t, public, "GET", e.ts.URL+"/events", nil); !strings.Contains(list.body, "Cancelled") {
		t.Errorf("the list does not say it is cancelled")
	}
}
