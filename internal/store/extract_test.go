package store_test

import (
	"bytes"
	"testing"
	"time"

	"haven/internal/audit"
	"haven/internal/evaluate"
	"haven/internal/haven"
	"haven/internal/measure"
	"haven/internal/programme"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// Issue 17 item 8: the extract's secret is made once per deployment and kept:
// every extract from one deployment keys a woman the same way, and another
// deployment (another database) keys her differently.
func TestExtractSecretIsStablePerDeployment(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		first, err := db.ExtractSecret(ctx)
		if err != nil {
			t.Fatal(err)
		}
		again, err := db.ExtractSecret(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(first) != 32 || !bytes.Equal(first, again) {
			t.Fatalf("the secret changed between extracts (%d bytes)", len(first))
		}
		if evaluate.Pseudonym(first, 42) != evaluate.Pseudonym(again, 42) {
			t.Error("one deployment keys a woman two ways")
		}
		other, err := storetest.SQLite(t).ExtractSecret(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Equal(first, other) || evaluate.Pseudonym(first, 42) == evaluate.Pseudonym(other, 42) {
			t.Error("two deployments give the same key")
		}
	})
}

// The extract's bulk reads: phases and the baseline and exit measures of the
// women in the Practices asked for, and no others, rescored as read.
func TestExtractReadings(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		db.SetClock(func() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) })
		today := haven.NewDate(2026, 11, 23)
		s := seedStaff(t, db)
		by := s.pracA.User.ID
		ev := audit.Event{UserID: by}
		a, err := db.CreatePerson(ctx, audit.Event{}, s.leadA, programme.Person{PracticeID: s.practiceA, FirstName: "Eve", LastName: "Measured"})
		if err != nil {
			t.Fatal(err)
		}
		e, err := db.StartEnrolment(ctx, ev, a, haven.NewDate(2025, 1, 10))
		if err != nil {
			t.Fatal(err)
		}
		phq := func(v int) []measure.Answer {
			as := make([]measure.Answer, 9)
			for i := range as {
				as[i] = measure.A(v)
			}
			as[8] = measure.A(0)
			return as
		}
		for _, m := range []struct {
			point measure.Point
			on    haven.Date
			v     int
		}{{measure.Baseline, haven.NewDate(2025, 2, 1), 2}, {measure.Month6, haven.NewDate(2025, 8, 1), 1}, {measure.Exit, haven.NewDate(2026, 2, 1), 1}} {
			r, err := measure.NewRecord(measure.PHQ9, m.point, m.on, phq(m.v), today)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.AddMeasure(ctx, ev, a.ID, r, by); err != nil {
				t.Fatal(err)
			}
		}
		rs, err := db.ExtractReadings(ctx, []int64{s.practiceA})
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) != 2 || rs[0].Point != measure.Baseline || rs[0].Result.Total != 16 || rs[1].Point != measure.Exit || rs[1].Result.Total != 8 ||
			rs[0].Person != a.ID || rs[0].TakenOn != haven.NewDate(2025, 2, 1) {
			t.Errorf("readings: %+v", rs)
		}
		if rs, _ := db.ExtractReadings(ctx, []int64{s.practiceB}); len(rs) != 0 {
			t.Errorf("Practice B's extract reads Practice A's measures: %+v", rs)
		}
		phases, err := db.EnrolmentPhases(ctx, []int64{s.practiceA})
		if err != nil {
			t.Fatal(err)
		}
		if len(phases) != 1 || phases[e.ID] != "referred" {
			t.Errorf("phases: %v", phases)
		}
		if phases, _ := db.EnrolmentPhases(ctx, []int64{s.practiceB}); len(phases) != 0 {
			t.Errorf("Practice B's phases: %v", phases)
		}
	})
}
