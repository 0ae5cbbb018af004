package store_test

import (
	"slices"
	"testing"
	"time"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/contact"
	"haven/internal/haven"
	"haven/internal/programme"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// Tasks leave out a woman once every enrolment of hers is closed, and come
// back when she is referred again; a woman never enrolled keeps hers.
func TestTasksLeaveOutClosedCases(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		db.SetClock(func() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) })
		s := seedStaff(t, db)
		by := s.pracA.User.ID
		ev := audit.Event{UserID: by}
		women := map[string]programme.Person{}
		for _, name := range []string{"Closed", "Never"} {
			p, err := db.CreatePerson(ctx, audit.Event{}, s.leadA, programme.Person{PracticeID: s.practiceA, PractitionerID: by, FirstName: "Ash", LastName: name})
			if err != nil {
				t.Fatal(err)
			}
			child, err := db.CreateChild(ctx, ev, contact.Child{PersonID: p.ID, Name: "C.", BirthYear: 2021, LegalStatus: "care-order", Placement: "foster-care"}, by, contactToday)
			if err != nil {
				t.Fatal(err)
			}
			a, err := db.CreateArrangement(ctx, ev, contact.Arrangement{PersonID: p.ID, ChildID: child.ID, Type: contact.Supervised, Frequency: "Monthly",
				ArrangedBy: "local-authority", Basis: "care-plan", StartOn: haven.NewDate(2023, 1, 1)}, by, contactToday)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.RecordChange(ctx, ev, contact.Change{PersonID: p.ID, ArrangementID: a.ID, Aspect: contact.AspectFrequency, From: "Monthly", To: "Termly",
				EffectiveOn: haven.NewDate(2026, 10, 1), ChangedBy: "local-authority", RecordedBy: by, ReasonGiven: contact.ReasonNo}, a.Version, contactToday); err != nil {
				t.Fatal(err)
			}
			women[name] = p
		}
		has := func(who string) bool {
			t.Helper()
			for _, actor := range []*access.Actor{s.pracA, s.leadA} {
				tasks, err := db.TasksFor(ctx, actor, contactToday)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.ContainsFunc(tasks, func(tk programme.Task) bool { return tk.PersonRef == women[who].Ref }) {
					return false
				}
			}
			return true
		}
		if !has("Closed") || !has("Never") {
			t.Fatal("a woman with an unexplained change has no task before her case is closed")
		}
		e, err := db.StartEnrolment(ctx, ev, women["Closed"], haven.NewDate(2026, 1, 5))
		if err != nil {
			t.Fatal(err)
		}
		if e, err = db.MoveEnrolment(ctx, ev, e, programme.PhaseEnded, haven.NewDate(2026, 2, 1), "She moved away", programme.ExitMovedAway, by); err != nil {
			t.Fatal(err)
		}
		if !has("Closed") {
			t.Error("ended early but not closed: her tasks went too soon")
		}
		if _, err = db.MoveEnrolment(ctx, ev, e, programme.PhaseClosed, haven.NewDate(2026, 3, 1), "", "", by); err != nil {
			t.Fatal(err)
		}
		if tasks, _ := db.TasksFor(ctx, s.leadA, contactToday); slices.ContainsFunc(tasks, func(tk programme.Task) bool { return tk.PersonRef == women["Closed"].Ref }) {
			t.Error("her case is closed but her tasks are still listed for the lead")
		}
		if tasks, _ := db.TasksFor(ctx, s.pracA, contactToday); slices.ContainsFunc(tasks, func(tk programme.Task) bool { return tk.PersonRef == women["Closed"].Ref }) {
			t.Error("her case is closed but her tasks are still listed for her practitioner")
		}
		if !has("Never") {
			t.Error("a woman never enrolled lost her tasks")
		}
		if _, err := db.StartEnrolment(ctx, ev, women["Closed"], haven.NewDate(2026, 11, 1)); err != nil {
			t.Fatal(err)
		}
		if !has("Closed") {
			t.Error("referred again, but her tasks did not come back")
		}
		// Allocated to her still, but no longer in the Practice: the
		// practitioner sees none of her reminders, and the lead still does.
		if err := db.RemoveMembership(ctx, ev, by, store.Grant{Role: access.RolePractitioner, Tenant: store.Tenant{Kind: access.TenantPractice, ID: s.practiceA}}); err != nil {
			t.Fatal(err)
		}
		if tasks, err := db.TasksFor(ctx, s.pracA, contactToday); err != nil || len(tasks) != 0 {
			t.Errorf("a practitioner who left the Practice still has %d tasks (%v)", len(tasks), err)
		}
		if tasks, _ := db.TasksFor(ctx, s.leadA, contactToday); !slices.ContainsFunc(tasks, func(tk programme.Task) bool { return tk.PersonRef == women["Never"].Ref }) {
			t.Error("the lead lost the tasks of a practitioner who left")
		}
	})
}

// The overview counts each practitioner's women in working phases (engaging,
// started, active) once each, and shows a practitioner with none as 0.
func TestOverviewCaseloadsCountWorkingWomen(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s := seedStaff(t, db)
		ev := audit.Event{UserID: s.leadA.User.ID}
		woman := func(prac *access.Actor, phases ...programme.Phase) {
			t.Helper()
			p, err := db.CreatePerson(ctx, audit.Event{}, s.leadA, programme.Person{PracticeID: s.practiceA, PractitionerID: prac.User.ID, FirstName: "Ash", LastName: "Testcase"})
			if err != nil {
				t.Fatal(err)
			}
			if len(phases) == 0 {
				return
			}
			e, err := db.StartEnrolment(ctx, ev, p, haven.NewDate(2026, 1, 5))
			if err != nil {
				t.Fatal(err)
			}
			for i, ph := range phases {
				if e, err = db.MoveEnrolment(ctx, ev, e, ph, haven.NewDate(2026, 2, 1+i), "Test", programme.ExitOther, s.leadA.User.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
		woman(s.pracA, programme.PhaseEngaging)
		woman(s.pracA, programme.PhaseEngaging, programme.PhaseStarted, programme.PhaseActive)
		woman(s.pracA) // no enrolment: not working
		woman(s.pracA, programme.PhaseEnded, programme.PhaseClosed)
		o, err := db.Overview(ctx, store.Tenant{Kind: access.TenantPractice, ID: s.practiceA, Slug: "practice-a"}, haven.NewDate(2026, 11, 23))
		if err != nil {
			t.Fatal(err)
		}
		got := map[int64]int{}
		for _, c := range o.Caseloads {
			got[c.UserID] = c.Women
		}
		if len(o.Caseloads) != 2 || got[s.pracA.User.ID] != 2 || got[s.prac2A.User.ID] != 0 {
			t.Errorf("caseloads %+v, want practitioner A 2 and the second practitioner 0", o.Caseloads)
		}
	})
}

// A review moves a goal's reminder on from the review's date, and a review
// recorded late with an earlier date does not move it back. The date comes
// from goals.reviewed_on, which the database keeps as reviews are added.
func TestGoalReviewMovesItsTask(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		db.SetClock(func() time.Time { return time.Date(2026, 8, 1, 10, 0, 0, 0, time.UTC) })
		s := seedStaff(t, db)
		by := s.pracA.User.ID
		p, err := db.CreatePerson(ctx, audit.Event{}, s.leadA, programme.Person{PracticeID: s.practiceA, PractitionerID: by, FirstName: "Bea", LastName: "Goal"})
		if err != nil {
			t.Fatal(err)
		}
		g, err := db.CreateGoal(ctx, audit.Event{UserID: by}, programme.Goal{PersonID: p.ID, Domain: programme.DomainHousing, Words: "A flat", Progress: programme.InProgress}, by, haven.Date{})
		if err != nil {
			t.Fatal(err)
		}
		due := func(today haven.Date) haven.Date {
			t.Helper()
			tasks, err := db.TasksFor(ctx, s.pracA, today)
			if err != nil {
				t.Fatal(err)
			}
			for _, tk := range tasks {
				if tk.Kind == programme.TaskPlanReview && tk.PersonRef == p.Ref {
					return tk.Due
				}
			}
			return haven.Date{}
		}
		today := haven.NewDate(2026, 10, 20)
		if got, want := due(today), haven.NewDate(2026, 10, 30); got != want {
			t.Fatalf("before any review: due %v, want %v (90 days after the goal was set)", got, want)
		}
		review := func(on haven.Date, version int64) {
			t.Helper()
			if err := db.ReviewGoal(ctx, audit.Event{UserID: by}, g, programme.Review{On: on, Note: "Viewing booked", Progress: programme.InProgress, By: by}, version, today); err != nil {
				t.Fatal(err)
			}
		}
		review(haven.NewDate(2026, 10, 15), 1)
		if got, want := due(haven.NewDate(2027, 1, 10)), haven.NewDate(2027, 1, 13); got != want {
			t.Errorf("after a review on 15 October: due %v, want %v", got, want)
		}
		review(haven.NewDate(2026, 9, 1), 2) // recorded late, for an earlier meeting
		if got, want := due(haven.NewDate(2027, 1, 10)), haven.NewDate(2027, 1, 13); got != want {
			t.Errorf("an earlier review recorded late moved the reminder: due %v, want %v", got, want)
		}
	})
}
