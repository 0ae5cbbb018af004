package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"haven/internal/audit"
	"haven/internal/events"
	"haven/internal/haven"
)

// The community of practice's events (issue 21 item 5).

// KindEvent and KindEventBooking are the idempotency kinds of the forms
// that make an event and book a place.
const (
	KindEvent        = "event"
	KindEventBooking = "event-booking"
)

// Listed is an event with how many places are booked.
type ListedEvent struct {
	events.Event
	Booked int
}

// PlacesLeft is how many places may still be booked in Haven.
func (e ListedEvent) PlacesLeft() int { return max(0, e.Capacity-e.Booked) }

// Booking is a place booked in Haven.
type Booking struct {
	ID, EventID               int64
	Name, Email, Organisation string
	Created                   time.Time
}

const eventColumns = `e.id, e.title, e.summary, e.kind, e.starts_at, e.ends_at, e.online, e.venue, e.booking_url, e.capacity,
	e.organiser, e.cancelled, e.sequence, e.updated_at,
	(SELECT COUNT(*) FROM event_bookings b WHERE b.event_id = e.id AND b.cancelled_at IS NULL)`

func scanEvent(r interface{ Scan(...any) error }) (ListedEvent, error) {
	var e ListedEvent
	var kind string
	err := r.Scan(&e.ID, &e.Title, &e.Summary, &kind, &e.Start, &e.End, &e.Online, &e.Venue, &e.BookingURL, &e.Capacity,
		&e.Organiser, &e.Cancelled, &e.Sequence, &e.Updated, &e.Booked)
	e.Kind = events.Kind(kind)
	return e, err
}

// CreateEvent stores a checked event. A form sent twice with one
// idempotency key makes one event.
func (db *DB) CreateEvent(ctx context.Context, ev audit.Event, e events.Event, by int64) (int64, error) {
	if err := e.Check(); err != nil {
		return 0, err
	}
	now := db.now()
	var id int64
	var creator any // none for the demo's and tests' events
	if by != 0 {
		creator = by
	}
	err := db.createTx(ctx, claim{user: ev.UserID, kind: KindEvent, target: "events"}, func(tx *sql.Tx) (int64, string, error) {
		if err := tx.QueryRowContext(ctx, `INSERT INTO events (title, summary, kind, starts_at, ends_at, online, venue, booking_url, capacity,
				organiser, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id`,
			e.Title, e.Summary, string(e.Kind), e.Start.UTC(), e.End.UTC(), e.Online, e.Venue, e.BookingURL, e.Capacity, e.Organiser, creator, now).Scan(&id); err != nil {
			return 0, "", err
		}
		ev.Action, ev.RecordType, ev.RecordID = audit.Create, "event", itoa(id)
		return id, "", db.appendAudit(ctx, tx, ev)
	})
	if d, ok := errors.AsType[*Duplicate](err); ok {
		return d.ID, nil
	}
	return id, err
}

// UpdateEvent saves a checked change and counts it for calendars. Places
// cannot fall below those already booked.
func (db *DB) UpdateEvent(ctx context.Context, ev audit.Event, e events.Event) error {
	if err := e.Check(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var booked int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM event_bookings WHERE event_id = $1 AND cancelled_at IS NULL`, e.ID).Scan(&booked); err != nil {
			return err
		}
		if booked > 0 && e.Capacity < booked {
			return haven.Invalid(map[string]string{"capacity": "Places have been booked by " + itoa(int64(booked)) +
				" people: the number of places cannot be fewer, and booking cannot move to a link"})
		}
		res, err := tx.ExecContext(ctx, `UPDATE events SET title = $2, summary = $3, kind = $4, starts_at = $5, ends_at = $6, online = $7,
				venue = $8, booking_url = $9, capacity = $10, organiser = $11, sequence = sequence + 1, updated_at = $12 WHERE id = $1`,
			e.ID, e.Title, e.Summary, string(e.Kind), e.Start.UTC(), e.End.UTC(), e.Online, e.Venue, e.BookingURL, e.Capacity, e.Organiser, db.now())
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return haven.ErrNotFound
		}
		ev.Action, ev.RecordType, ev.RecordID = audit.Update, "event", itoa(e.ID)
		return db.appendAudit(ctx, tx, ev)
	})
}

// CancelEvent marks an event cancelled; it stays listed, saying so, and in
// calendars as CANCELLED.
func (db *DB) CancelEvent(ctx context.Context, ev audit.Event, id int64) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE events SET cancelled = TRUE, sequence = sequence + 1, updated_at = $2 WHERE id = $1 AND cancelled = FALSE`, id, db.now())
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return haven.ErrNotFound
		}
		ev.Action, ev.RecordType, ev.RecordID, ev.Section = audit.Update, "event", itoa(id), "cancelled"
		return db.appendAudit(ctx, tx, ev)
	})
}

// Event is one event with its booked places and resources.
func (db *DB) Event(ctx context.Context, id int64) (ListedEvent, error) {
	e, err := scanEvent(db.read.QueryRowContext(ctx, `SELECT `+eventColumns+` FROM events e WHERE e.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return e, haven.ErrNotFound
	}
	if err != nil {
		return e, err
	}
	rows, err := db.read.QueryContext(ctx, `SELECT resource_id FROM event_resources WHERE event_id = $1 ORDER BY resource_id`, id)
	e.Resources, err = collect(db, rows, err, func(r *sql.Rows) (int64, error) {
		var n int64
		return n, r.Scan(&n)
	})
	return e, err
}

// UpcomingEvents are those not yet ended at now, soonest first; PastEvents
// those ended, most recent first.
func (db *DB) UpcomingEvents(ctx context.Context, now time.Time, limit int) ([]ListedEvent, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+eventColumns+` FROM events e WHERE e.ends_at > $1 ORDER BY e.starts_at, e.id LIMIT $2`, now.UTC(), limit)
	return collect(db, rows, err, func(r *sql.Rows) (ListedEvent, error) { return scanEvent(r) })
}

// PastEvents are the events ended by now, the most recent first.
func (db *DB) PastEvents(ctx context.Context, now time.Time, limit int) ([]ListedEvent, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+eventColumns+` FROM events e WHERE e.ends_at <= $1 ORDER BY e.starts_at DESC, e.id DESC LIMIT $2`, now.UTC(), limit)
	return collect(db, rows, err, func(r *sql.Rows) (ListedEvent, error) { return scanEvent(r) })
}

// ErrEventFull, ErrBookingClosed and ErrAlreadyBooked are why a place
// could not be booked, in words for the booking form.
var (
	ErrEventFull     = haven.Errorf(haven.KindConflict, "This event is full: every place has been booked.")
	ErrBookingClosed = haven.Errorf(haven.KindConflict, "Places for this event cannot be booked in Haven: it has been cancelled, it is over, or it books elsewhere.")
	ErrAlreadyBooked = haven.Errorf(haven.KindConflict, "That email address already has a place at this event.")
)

// BookEvent books one place if one is left. The event's row is locked (on
// PostgreSQL; SQLite writes one at a time) so two people booking the last
// place at once cannot both have it.
func (db *DB) BookEvent(ctx context.Context, ev audit.Event, b Booking) (Booking, error) {
	now := db.now()
	b.Created = now
	key := strings.ToLower(strings.TrimSpace(b.Email))
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var capacity int
		var cancelled bool
		var ends time.Time
		err := tx.QueryRowContext(ctx, `SELECT capacity, cancelled, ends_at FROM events WHERE id = $1`+db.dialect.lockRow(), b.EventID).Scan(&capacity, &cancelled, &ends)
		if errors.Is(err, sql.ErrNoRows) {
			return haven.ErrNotFound
		}
		if err != nil {
			return err
		}
		if cancelled || capacity == 0 || !ends.After(now) {
			return ErrBookingClosed
		}
		var booked, mine int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN email_key = $2 THEN 1 ELSE 0 END), 0)
				FROM event_bookings WHERE event_id = $1 AND cancelled_at IS NULL`, b.EventID, key).Scan(&booked, &mine); err != nil {
			return err
		}
		if mine > 0 {
			return ErrAlreadyBooked
		}
		if booked >= capacity {
			return ErrEventFull
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO event_bookings (event_id, name, email, email_key, organisation, created_at)
				VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, b.EventID, b.Name, strings.TrimSpace(b.Email), key, b.Organisation, now).Scan(&b.ID); err != nil {
			return err
		}
		// The audit names the booking, never the address.
		ev.Action, ev.RecordType, ev.RecordID, ev.Section = audit.Create, "event-booking", itoa(b.ID), "event "+itoa(b.EventID)
		return db.appendAudit(ctx, tx, ev)
	})
	return b, err
}

// EventBookings are the places booked, in the order booked, for the
// organisers; reading them is audited.
func (db *DB) EventBookings(ctx context.Context, ev audit.Event, eventID int64) ([]Booking, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, event_id, name, email, organisation, created_at FROM event_bookings
		WHERE event_id = $1 AND cancelled_at IS NULL ORDER BY id`, eventID)
	out, err := collect(db, rows, err, func(r *sql.Rows) (Booking, error) {
		var b Booking
		return b, r.Scan(&b.ID, &b.EventID, &b.Name, &b.Email, &b.Organisation, &b.Created)
	})
	if err != nil {
		return nil, err
	}
	ev.Action, ev.RecordType, ev.RecordID, ev.Section = audit.View, "event", itoa(eventID), "bookings"
	return out, db.Audit(ctx, ev)
}

// SetEventResources replaces the library resources an event keeps (its
// recording and slides): each must be a published resource.
func (db *DB) SetEventResources(ctx context.Context, ev audit.Event, eventID int64, resources []int64) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM events WHERE id = $1`, eventID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return haven.ErrNotFound
		}
		for _, id := range resources {
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM library_resources WHERE id = $1 AND status = 'published'`, id).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return haven.Invalid(map[string]string{"resources": "Resource " + itoa(id) + " is not a published resource in the library"})
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM event_resources WHERE event_id = $1`, eventID); err != nil {
			return err
		}
		for _, id := range resources {
			if _, err := tx.ExecContext(ctx, `INSERT INTO event_resources (event_id, resource_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, eventID, id); err != nil {
				return err
			}
		}
		ev.Action, ev.RecordType, ev.RecordID, ev.Section = audit.Update, "event", itoa(eventID), "resources"
		return db.appendAudit(ctx, tx, ev)
	})
}
