package store_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"haven/internal/audit"
	"haven/internal/events"
	"haven/internal/haven"
	"haven/internal/library"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

func testEvent(title string, start time.Time, capacity int) events.Event {
	return events.Event{Title: title, Summary: "A seminar for practitioners.", Kind: events.KindSeminar, Start: start, End: start.Add(90 * time.Minute),
		Online: true, Capacity: capacity}
}

// Events on both databases: upcoming and past in order, changes counted for
// calendars, and places booked exactly up to the capacity, even when many
// people book the last places at once.
func TestEventsAndBookings(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
		db.SetClock(func() time.Time { return now })
		ev := audit.Event{RequestID: "test"}
		soon, err := db.CreateEvent(ctx, ev, testEvent("Soon", now.Add(48*time.Hour), 2), 0)
		if err != nil {
			t.Fatal(err)
		}
		later, err := db.CreateEvent(ctx, ev, testEvent("Later", now.Add(30*24*time.Hour), 0), 0)
		if err != nil {
			t.Fatal(err)
		}
		past, err := db.CreateEvent(ctx, ev, testEvent("Past", now.Add(-48*time.Hour), 5), 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateEvent(ctx, ev, testEvent("", now, 0), 0); !errors.Is(err, haven.ErrInvalid) {
			t.Errorf("an event with no title: %v", err)
		}
		up, err := db.UpcomingEvents(ctx, now, 10)
		if err != nil || len(up) != 2 || up[0].ID != soon || up[1].ID != later {
			t.Fatalf("upcoming %+v, %v", up, err)
		}
		if ps, _ := db.PastEvents(ctx, now, 10); len(ps) != 1 || ps[0].ID != past {
			t.Fatalf("past %+v", ps)
		}
		book := func(id int64, email string) error {
			_, err := db.BookEvent(ctx, ev, store.Booking{EventID: id, Name: "Sam", Email: email})
			return err
		}
		if err := book(soon, "a@example.org"); err != nil {
			t.Fatal(err)
		}
		if err := book(soon, " A@Example.org"); !errors.Is(err, store.ErrAlreadyBooked) {
			t.Errorf("the same address twice: %v", err)
		}
		if err := book(soon, "b@example.org"); err != nil {
			t.Fatal(err)
		}
		if err := book(soon, "c@example.org"); !errors.Is(err, store.ErrEventFull) {
			t.Errorf("a third place of two: %v", err)
		}
		if err := book(later, "a@example.org"); !errors.Is(err, store.ErrBookingClosed) {
			t.Errorf("an event that books elsewhere: %v", err)
		}
		if err := book(past, "a@example.org"); !errors.Is(err, store.ErrBookingClosed) {
			t.Errorf("an event that is over: %v", err)
		}
		if err := book(987654, "a@example.org"); !errors.Is(err, haven.ErrNotFound) {
			t.Errorf("no such event: %v", err)
		}
		e, err := db.Event(ctx, soon)
		if err != nil || e.Booked != 2 || e.PlacesLeft() != 0 || e.Sequence != 0 {
			t.Fatalf("event %+v, %v", e, err)
		}
		e.Capacity = 1
		if err := db.UpdateEvent(ctx, ev, e.Event); !errors.Is(err, haven.ErrInvalid) {
			t.Errorf("fewer places than booked: %v", err)
		}
		e.Capacity, e.Title = 3, "Soon, and bigger"
		if err := db.UpdateEvent(ctx, ev, e.Event); err != nil {
			t.Fatal(err)
		}
		if e, _ := db.Event(ctx, soon); e.Sequence != 1 || e.Title != "Soon, and bigger" || e.PlacesLeft() != 1 {
			t.Errorf("after the change: %+v", e)
		}
		bs, err := db.EventBookings(ctx, ev, soon)
		if err != nil || len(bs) != 2 || bs[0].Email != "a@example.org" {
			t.Errorf("bookings %+v, %v", bs, err)
		}
		if err := db.CancelEvent(ctx, ev, soon); err != nil {
			t.Fatal(err)
		}
		if err := db.CancelEvent(ctx, ev, soon); !errors.Is(err, haven.ErrNotFound) {
			t.Errorf("cancelling twice: %v", err)
		}
		if err := book(soon, "d@example.org"); !errors.Is(err, store.ErrBookingClosed) {
			t.Errorf("a cancelled event: %v", err)
		}
		if e, _ := db.Event(ctx, soon); !e.Cancelled || e.Sequence != 2 {
			t.Errorf("cancelled %+v", e)
		}

		// A past event keeps its recording and slides: published resources only.
		c := library.Content{Title: "Seminar recording", Summary: "The recording.", Type: "recording", Topics: []string{"housing"},
			Audiences: []string{"practitioners"}, Author: "A. Person", Date: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC), Licence: "ogl-3", Link: "https://example.org/r"}
		res, err := db.CreateResource(ctx, ev, library.Resource{Status: library.StatusProposed, Content: c}, 0)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SetEventResources(ctx, ev, past, []int64{res.ID}); !errors.Is(err, haven.ErrInvalid) {
			t.Errorf("a proposed resource kept by an event: %v", err)
		}
		if err := db.PublishResource(ctx, ev, res.ID); err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if err := db.SetEventResources(ctx, ev, past, []int64{res.ID, res.ID}); err != nil {
				t.Fatal(err)
			}
		}
		if e, _ := db.Event(ctx, past); len(e.Resources) != 1 || e.Resources[0] != res.ID {
			t.Errorf("kept resources %v", e.Resources)
		}
		if err := db.SetEventResources(ctx, ev, past, nil); err != nil {
			t.Fatal(err)
		}
		if e, _ := db.Event(ctx, past); len(e.Resources) != 0 {
			t.Errorf("after clearing: %v", e.Resources)
		}

		// Twelve people book the last three places at once: three get one.
		race, err := db.CreateEvent(ctx, ev, testEvent("Race", now.Add(72*time.Hour), 3), 0)
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		got := map[string]int{}
		for i := range 12 {
			wg.Go(func() {
				err := book(race, fmt.Sprintf("p%d@example.org", i))
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					got["booked"]++
				case errors.Is(err, store.ErrEventFull):
					got["full"]++
				default:
					got[err.Error()]++
				}
			})
		}
		wg.Wait()
		if got["booked"] != 3 || got["full"] != 9 {
			t.Errorf("racing for three places: %v", got)
		}
	})
}
