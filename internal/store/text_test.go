package store_test

import (
	"testing"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/contact"
	"haven/internal/haven"
	"haven/internal/programme"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// S22: the store refuses a NUL, another control character or a bidi control
// in a name through the domain validators, as a validation error naming the
// field, on both databases: PostgreSQL is never the one that finds a NUL,
// and SQLite never keeps one (issue 16 items 3 and 4).
func TestS22StoreRefusesControlsBeforeTheDatabase(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s, p, _ := seedContactWomen(t, db, "Testcase")
		by := s.pracA.User.ID
		ev := audit.Event{UserID: by}
		tests := []struct {
			name, field string
			write       func() error
		}{
			{"her first name, NUL", "firstName", func() error {
				_, err := db.CreatePerson(ctx, ev, s.leadA, programme.Person{PracticeID: s.practiceA, FirstName: "Ro\x00bin", LastName: "Testcase"})
				return err
			}},
			{"her last name, RLO", "lastName", func() error {
				_, err := db.CreatePerson(ctx, ev, s.leadA, programme.Person{PracticeID: s.practiceA, FirstName: "Robin", LastName: "Test\u202Ecase"})
				return err
			}},
			{"a case note, NUL", "note", func() error {
				_, err := db.RecordSession(ctx, ev, aSession(p.ID, by, haven.NewDate(2026, 11, 20), "Visit\x00"), sessionToday, true)
				return err
			}},
			{"a case note, ESC", "note", func() error {
				_, err := db.RecordSession(ctx, ev, aSession(p.ID, by, haven.NewDate(2026, 11, 20), "Visit\x1b[2J"), sessionToday, true)
				return err
			}},
			{"a child's name, NUL", "name", func() error {
				_, err := db.CreateChild(ctx, ev, contact.Child{PersonID: p.ID, Name: "J\x00", BirthYear: 2020, LegalStatus: "care-order", Placement: "foster-care"}, by, contactToday)
				return err
			}},
			{"a child's name, bidi", "name", func() error {
				_, err := db.CreateChild(ctx, ev, contact.Child{PersonID: p.ID, Name: "J\u2066", BirthYear: 2020, LegalStatus: "care-order", Placement: "foster-care"}, by, contactToday)
				return err
			}},
			{"someone around her, BEL", "aroundNotes", func() error {
				return db.AddPersonAround(ctx, ev, p.ID, programme.PersonAround{Name: "Jo", Relationship: "Sister", Notes: "ding\x07"})
			}},
			{"a member of staff, NUL", "displayName", func() error {
				_, err := db.CreateUser(ctx, access.User{Email: "nul@example.org", DisplayName: "Sam\x00"})
				return err
			}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				invalidOn(t, tt.write(), tt.field)
			})
		}
		rec, err := db.Contact(ctx, p.ID)
		if err != nil || len(rec.Children) != 0 {
			t.Errorf("children after the refusals: %d, %v", len(rec.Children), err)
		}
	})
}
