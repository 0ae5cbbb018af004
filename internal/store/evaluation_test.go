package store_test

import (
	"testing"
	"time"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/contact"
	"haven/internal/evaluate"
	"haven/internal/haven"
	"haven/internal/measure"
	"haven/internal/programme"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// Journeys reads each enrolment's dates, how it ended, and her pregnancies
// and proceedings, for the Practices asked for and no others.
func TestJourneys(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		db.SetClock(func() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) })
		today := haven.NewDate(2026, 11, 23)
		s := seedStaff(t, db)
		by := s.pracA.User.ID
		ev := audit.Event{UserID: by}
		u, err := db.CreateAccount(ctx, audit.Event{}, access.User{Email: "lead.b@example.org", DisplayName: "Lead B"},
			[]store.Grant{{Role: access.RolePracticeLead, Tenant: store.Tenant{Kind: access.TenantPractice, ID: s.practiceB, Slug: "practice-b"}}})
		if err != nil {
			t.Fatal(err)
		}
		leadB, err := db.Actor(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		mk := func(practice int64, name string) programme.Person {
			lead := s.leadA
			if practice == s.practiceB {
				lead = leadB
			}
			p, err := db.CreatePerson(ctx, audit.Event{}, lead, programme.Person{PracticeID: practice, FirstName: "Eve", LastName: name,
				DateOfBirth: haven.NewDate(1998, 4, 2), CareExperienced: programme.AnswerYes})
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		a := mk(s.practiceA, "Early")
		e, err := db.StartEnrolment(ctx, ev, a, haven.NewDate(2023, 1, 10))
		if err != nil {
			t.Fatal(err)
		}
		for _, step := range []struct {
			to programme.Phase
			on haven.Date
		}{{programme.PhaseEngaging, haven.NewDate(2023, 2, 1)}, {programme.PhaseStarted, haven.NewDate(2023, 5, 1)},
			{programme.PhaseEnded, haven.NewDate(2023, 11, 1)}, {programme.PhaseClosed, haven.NewDate(2023, 12, 1)}} {
			if e, err = db.MoveEnrolment(ctx, ev, e, step.to, step.on, "Moved away", programme.ExitMovedAway, by); err != nil {
				t.Fatalf("to %s: %v", step.to, err)
			}
		}
		if err := db.AddPregnancy(ctx, ev, a.ID, programme.Pregnancy{KnownOn: haven.NewDate(2024, 3, 1)}, by, today); err != nil {
			t.Fatal(err)
		}
		child, err := db.CreateChild(ctx, ev, contact.Child{PersonID: a.ID, Name: "C.", BirthYear: 2019, LegalStatus: "care-order", Placement: "foster-care"}, by, today)
		if err != nil {
			t.Fatal(err)
		}
		for _, pr := range []contact.Proceedings{
			{PersonID: a.ID, IssuedOn: haven.NewDate(2019, 6, 1), Court: "Family Court", ChildIDs: []int64{child.ID}, Index: true, Outcome: "placement-order", FinalHearingOn: haven.NewDate(2019, 12, 1)},
			{PersonID: a.ID, IssuedOn: haven.NewDate(2024, 9, 1), Court: "Family Court", ChildIDs: []int64{child.ID}},
		} {
			if _, err := db.CreateProceedings(ctx, ev, pr, by, today); err != nil {
				t.Fatalf("%v %+v", err, err)
			}
		}
		for _, n := range []measure.Needs{
			{Point: measure.Baseline, AssessedOn: haven.NewDate(2023, 2, 10), StableHousing: measure.No, PaidWork: measure.No, ChildContact: measure.FactNotKnown},
			{Point: measure.Exit, AssessedOn: haven.NewDate(2023, 11, 1), StableHousing: measure.Yes, PaidWork: measure.No, ChildContact: measure.Yes},
		} {
			for i, d := range measure.NeedDomains {
				n.Readings[i] = measure.NeedReading{Domain: d, Status: measure.NeedNotKnown}
			}
			if err := db.SaveNeeds(ctx, ev, a.ID, n, by, today); err != nil {
				t.Fatalf("needs at %s: %v", n.Point, err)
			}
		}
		mk(s.practiceB, "Elsewhere")
		if _, err := db.StartEnrolment(ctx, ev, mk(s.practiceB, "Other"), haven.NewDate(2024, 1, 1)); err != nil {
			t.Fatal(err)
		}

		js, err := db.Journeys(ctx, []int64{s.practiceA})
		if err != nil {
			t.Fatal(err)
		}
		if len(js) != 1 {
			t.Fatalf("%d journeys for Practice A, want 1: %+v", len(js), js)
		}
		j := js[0]
		if j.Practice != s.practiceA || j.Person != a.ID || j.Ended != evaluate.EndedEarly || j.ReferredOn != haven.NewDate(2023, 1, 10) ||
			j.EngagedOn != haven.NewDate(2023, 2, 1) || j.StartedOn != haven.NewDate(2023, 5, 1) || j.EndedOn != haven.NewDate(2023, 11, 1) ||
			j.BornOn != haven.NewDate(1998, 4, 2) || j.CareExperienced != "yes" {
			t.Errorf("journey: %+v", j)
		}
		if len(j.Pregnancies) != 1 || len(j.Proceedings) != 2 || !j.Proceedings[0].Index || j.Proceedings[0].Outcome != "placement-order" || j.Proceedings[1].IssuedOn != haven.NewDate(2024, 9, 1) {
			t.Errorf("pregnancies %v, proceedings %+v", j.Pregnancies, j.Proceedings)
		}
		if j.Start["stable-housing"] != "no" || j.Exit["stable-housing"] != "yes" || j.Start["child-contact"] != "not-known" || j.Exit["paid-work"] != "no" {
			t.Errorf("facts at start %v and exit %v", j.Start, j.Exit)
		}
		if js, _ := db.Journeys(ctx, []int64{s.practiceA, s.practiceB}); len(js) != 2 {
			t.Errorf("both Practices: %d journeys, want 2", len(js))
		}
		if js, err := db.Journeys(ctx, nil); err != nil || len(js) != 0 {
			t.Errorf("no Practices: %d journeys, %v", len(js), err)
		}
	})
}
