package store_test

import (
	"errors"
	"testing"

	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/programme"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

func TestEnrolmentJourney(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s := seedStaff(t, db)
		p, err := db.CreatePerson(ctx, audit.Event{}, s.leadA, programme.Person{PracticeID: s.practiceA, PractitionerID: s.pracA.User.ID, FirstName: "Robin", LastName: "Testcase"})
		if err != nil {
			t.Fatal(err)
		}
		settings, err := db.PracticeSettings(ctx, s.practiceA)
		if err != nil || settings != programme.DefaultSettings {
			t.Fatalf("new Practice settings %+v, %v; want the defaults", settings, err)
		}
		e, err := db.StartEnrolment(ctx, audit.Event{}, p, haven.NewDate(2026, 1, 5))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.StartEnrolment(ctx, audit.Event{}, p, haven.NewDate(2026, 1, 6)); !errors.Is(err, haven.ErrConflict) {
			t.Errorf("second open enrolment: %v, want conflict", err)
		}
		steps := []struct {
			to programme.Phase
			on haven.Date
		}{
			{programme.PhaseEngaging, haven.NewDate(2026, 1, 12)},
			{programme.PhaseStarted, haven.NewDate(2026, 4, 20)},
			{programme.PhaseActive, haven.NewDate(2026, 4, 21)},
		}
		for _, st := range steps {
			if e, err = db.MoveEnrolment(ctx, audit.Event{}, e, st.to, st.on, "", "", s.pracA.User.ID); err != nil {
				t.Fatalf("move to %s: %v", st.to, err)
			}
		}
		if n, _ := db.Caseload(ctx, s.pracA.User.ID); n != 1 {
			t.Errorf("caseload %d, want 1", n)
		}
		stale := e
		stale.Version--
		if _, err := db.MoveEnrolment(ctx, audit.Event{}, stale, programme.PhaseCompleted, haven.NewDate(2027, 10, 20), "", "", 1); !errors.Is(err, haven.ErrConflict) {
			t.Errorf("stale move: %v, want conflict", err)
		}
		if _, err := db.MoveEnrolment(ctx, audit.Event{}, e, programme.PhaseEnded, haven.NewDate(2026, 9, 1), "Moved away", programme.ExitMovedAway, s.pracA.User.ID); err != nil {
			t.Fatal(err)
		}
		got, err := db.Enrolments(ctx, p.ID)
		if err != nil || len(got) != 1 {
			t.Fatalf("enrolments %v, %v", got, err)
		}
		if got[0].Phase != programme.PhaseEnded || got[0].EndReason != "Moved away" || len(got[0].PhaseEvents) != 4 || got[0].StartedOn.String() != "2026-04-20" {
			t.Errorf("enrolment after the journey: %+v", got[0])
		}
		// Closed, she can be re-referred; the old enrolment keeps its history.
		if _, err := db.MoveEnrolment(ctx, audit.Event{}, got[0], programme.PhaseClosed, haven.NewDate(2026, 9, 2), "", "", 1); err != nil {
			t.Fatal(err)
		}
		if _, err := db.StartEnrolment(ctx, audit.Event{}, p, haven.NewDate(2027, 3, 1)); err != nil {
			t.Errorf("re-referral: %v", err)
		}
		all, _ := db.Enrolments(ctx, p.ID)
		if len(all) != 2 || len(all[1].PhaseEvents) != 5 {
			t.Errorf("after re-referral: %d enrolments, old history %d events", len(all), len(all[1].PhaseEvents))
		}
	})
}
