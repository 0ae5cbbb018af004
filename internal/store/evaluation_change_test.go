package store_test

import (
	"testing"
	"time"

	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/measure"
	"haven/internal/programme"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// MeasureReadings reads, in one query, every measure of every woman
// enrolled in the Practices asked for, scored, and no one else's.
func TestMeasureReadings(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		db.SetClock(func() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) })
		s := seedStaff(t, db)
		by := s.pracA.User.ID
		ev := audit.Event{UserID: by}
		mk := func(name string, enrol bool) programme.Person {
			p, err := db.CreatePerson(ctx, audit.Event{}, s.leadA, programme.Person{PracticeID: s.practiceA, FirstName: "Eve", LastName: name})
			if err != nil {
				t.Fatal(err)
			}
			if enrol {
				if _, err := db.StartEnrolment(ctx, ev, p, haven.NewDate(2024, 1, 10)); err != nil {
					t.Fatal(err)
				}
			}
			return p
		}
		add := func(p programme.Person, id measure.ID, point measure.Point, on haven.Date, answers ...int) {
			as := make([]measure.Answer, len(answers))
			for i, a := range answers {
				as[i] = measure.A(a)
			}
			if _, err := db.AddMeasure(ctx, ev, p.ID, measure.Record{Instrument: id, Point: point, TakenOn: on, Answers: as}, by); err != nil {
				t.Fatal(err)
			}
		}
		a, notEnrolled := mk("Enrolled", true), mk("Referred", false)
		add(a, measure.PHQ9, measure.Exit, haven.NewDate(2025, 2, 1), 1, 1, 1, 1, 0, 0, 0, 0, 0)
		add(a, measure.PHQ9, measure.Baseline, haven.NewDate(2024, 2, 1), 3, 3, 3, 3, 2, 2, 2, 0, 0)
		add(a, measure.ONS4, measure.Baseline, haven.NewDate(2024, 2, 1), 2, 3, 4, 9)
		add(notEnrolled, measure.PHQ9, measure.Baseline, haven.NewDate(2024, 2, 1), 0, 0, 0, 0, 0, 0, 0, 0, 0)

		rs, err := db.MeasureReadings(ctx, []int64{s.practiceA})
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) != 3 {
			t.Fatalf("%d readings, want 3 (hers, not the woman never enrolled): %+v", len(rs), rs)
		}
		// Oldest first; scored as read.
		if rs[0].Person != a.ID || rs[0].Point != measure.Baseline || !rs[0].Result.Valid || rs[0].Result.Total != 18 {
			t.Errorf("first: %+v", rs[0])
		}
		if rs[2].Point != measure.Exit || rs[2].Result.Total != 4 || rs[2].TakenOn != haven.NewDate(2025, 2, 1) {
			t.Errorf("last: %+v", rs[2])
		}
		if ons := rs[1].Result; ons.Instrument != measure.ONS4 || len(ons.Parts) != 4 || ons.Parts[3].Value != 9 {
			t.Errorf("ONS4: %+v", ons)
		}
		if rs, err := db.MeasureReadings(ctx, []int64{s.practiceB}); err != nil || len(rs) != 0 {
			t.Errorf("Practice B: %d readings, %v", len(rs), err)
		}
	})
}
