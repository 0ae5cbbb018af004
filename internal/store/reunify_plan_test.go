package store_test

import (
	"errors"
	"strconv"
	"testing"
	"time"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/reunify"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// planCase is a child in team a with two parents, a grandmother, and an open
// case; the child went home on returned (episode ended E4A).
type planCase struct {
	child            reunify.Child
	c                reunify.Case
	mum, dad, granny reunify.Person
	returned, today  haven.Date
}

func newPlanCase(t *testing.T, db *store.DB, team access.LATeam, worker int64) planCase {
	t.Helper()
	ctx := t.Context()
	p := planCase{returned: haven.NewDate(2026, time.May, 1), today: haven.NewDate(2026, time.December, 7)}
	var err error
	p.child, err = db.CreateLAChild(ctx, audit.Event{}, reunify.Child{Team: team.ID, Ref: "C-2001", FirstName: "Robin", BornOn: haven.NewDate(2018, 3, 4), Worker: worker}, 0, p.today)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddLAEpisode(ctx, audit.Event{}, reunify.Episode{Child: p.child.ID, StartsOn: haven.NewDate(2025, 6, 1), RNE: "S", LegalStatus: "C2", Placement: "U4",
		EndsOn: p.returned, REC: "E4A"}, 0, p.today); err != nil {
		t.Fatal(err)
	}
	if p.c, err = db.OpenReunification(ctx, audit.Event{}, reunify.Case{Child: p.child.ID, Route: "s31", OpenedOn: haven.NewDate(2025, 9, 1)}, p.today); err != nil {
		t.Fatal(err)
	}
	for _, x := range []struct {
		to  *reunify.Person
		who reunify.Person
	}{
		{&p.mum, reunify.Person{Child: p.child.ID, Name: "Jade Example", Relationship: "mother", ParentalResponsibility: true}},
		{&p.dad, reunify.Person{Child: p.child.ID, Name: "Ştefan Łącki", Relationship: "father", ParentalResponsibility: true}},
		{&p.granny, reunify.Person{Child: p.child.ID, Name: "Pat Example", Relationship: "grandparent"}},
	} {
		if *x.to, err = db.AddLAPerson(ctx, audit.Event{}, x.who); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

func TestReunifyAssessmentIsVersioned(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		a, _ := twoLATeams(t, db)
		p := newPlanCase(t, db, a, 0)
		parents, err := db.PlanParents(ctx, p.child.ID)
		if err != nil || len(parents) != 2 || parents[1].Name != "Ştefan Łącki" {
			t.Fatalf("parents = %+v, %v; want the mother and father, not the grandmother", parents, err)
		}
		ev := audit.Event{}
		e := reunify.AssessmentEntry{Section: "strengths", Person: p.mum.ID, Text: "Warm with Robin at contact"}
		saved, err := db.SaveAssessmentSection(ctx, ev, p.c, e, 0)
		if err != nil || saved.Version != 1 {
			t.Fatalf("first save: %+v, %v", saved, err)
		}
		// Someone working from version 0 again is told someone else saved first; nothing is written.
		e.Text = "Overwrites"
		if _, err := db.SaveAssessmentSection(ctx, ev, p.c, e, 0); !errors.Is(err, haven.ErrConflict) {
			t.Fatalf("a stale save: %v, want a conflict", err)
		}
		e.Text, e.Complete = "Warm with Robin at contact; attends every session", true
		if saved, err = db.SaveAssessmentSection(ctx, ev, p.c, e, 1); err != nil || saved.Version != 2 {
			t.Fatalf("second save: %+v, %v", saved, err)
		}
		// A grandmother is not a parent; a whole-family section has no parent.
		if _, err := db.SaveAssessmentSection(ctx, ev, p.c, reunify.AssessmentEntry{Section: "concerns", Person: p.granny.ID, Text: "x"}, 0); fieldErrors(err)["person"] == "" {
			t.Errorf("a section for the grandmother: %v, want a person error", err)
		}
		if _, err := db.SaveAssessmentSection(ctx, ev, p.c, reunify.AssessmentEntry{Section: "child-views", Text: "“I want to go home to mum”", Complete: true}, 0); err != nil {
			t.Fatal(err)
		}
		cur, err := db.Assessment(ctx, p.c)
		if err != nil || len(cur) != 2 {
			t.Fatalf("current sections = %+v, %v", cur, err)
		}
		all, err := db.AssessmentVersions(ctx, p.c)
		var versions []reunify.AssessmentEntry
		for _, v := range all {
			if v.Section == "strengths" && v.Person == p.mum.ID {
				versions = append(versions, v)
			}
		}
		if err != nil || len(all) != 3 || len(versions) != 2 || versions[1].Text != "Warm with Robin at contact" || !versions[0].Complete || versions[0].Version != 2 {
			t.Fatalf("versions = %+v, %v", versions, err)
		}
		if got := reunify.AssessmentCompleteness([]int64{p.mum.ID, p.dad.ID}, cur); got.Done != 2 {
			t.Errorf("completeness %+v, want 2 done", got)
		}
		evs, err := db.SearchAudit(ctx, store.AuditFilter{RecordType: "la-child", RecordID: strconv.FormatInt(p.child.ID, 10), Page: store.Page{Limit: 100}})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, ev := range evs {
			if ev.Section == "assessment:strengths" {
				n++
			}
		}
		if n != 2 {
			t.Errorf("%d audit rows for the strengths section, want 2 (one a save)", n)
		}
	})
}

func TestReunifyPlanReviewsAndComments(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		a, _ := twoLATeams(t, db)
		p := newPlanCase(t, db, a, 0)
		ev := audit.Event{}
		plan := reunify.Plan{Expectations: "Robin is safe, fed and at school every day", AgreedOn: haven.NewDate(2026, 2, 1),
			ReviewDates: []haven.Date{haven.NewDate(2026, 3, 1), haven.NewDate(2026, 4, 1)}}
		if _, err := db.SavePlan(ctx, ev, p.c, plan, 0, 0, p.today); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SavePlan(ctx, ev, p.c, plan, 0, 0, p.today); !errors.Is(err, haven.ErrConflict) {
			t.Errorf("a second new plan: %v, want a conflict", err)
		}
		plan.Expectations += "."
		if got, err := db.SavePlan(ctx, ev, p.c, plan, 1, 0, p.today); err != nil || got.Version != 2 {
			t.Fatalf("update: %+v %v", got, err)
		}
		got, err := db.Plan(ctx, p.c)
		if err != nil || got.Version != 2 || len(got.ReviewDates) != 2 || got.AgreedOn != plan.AgreedOn {
			t.Fatalf("plan = %+v, %v", got, err)
		}
		g1, err := db.AddPlanGoal(ctx, ev, p.c, reunify.Goal{Person: p.mum.ID, Words: "Go to the parenting course", Steps: "Book\nGo", Timeframe: "By March", Support: "Family support worker"}, 0)
		if err != nil {
			t.Fatal(err)
		}
		g2, err := db.AddPlanGoal(ctx, ev, p.c, reunify.Goal{Person: p.dad.ID, Words: "Stay sober", Steps: "Meetings", Timeframe: "Throughout", Support: "Drug and alcohol service"}, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.AddPlanGoal(ctx, ev, p.c, reunify.Goal{Person: p.granny.ID, Words: "x", Steps: "x", Timeframe: "x", Support: "x"}, 0); fieldErrors(err)["person"] == "" {
			t.Errorf("a goal for the grandmother: %v, want a person error", err)
		}
		// A review missing a rating writes nothing.
		if _, err := db.AddPlanReview(ctx, ev, p.c, reunify.Review{HeldOn: haven.NewDate(2026, 3, 1), Ratings: map[int64]reunify.Rating{g1.ID: reunify.Red}}, p.today); fieldErrors(err)["rating-"+strconv.FormatInt(g2.ID, 10)] == "" {
			t.Fatalf("a review without every rating: %v", err)
		}
		if rs, _ := db.PlanReviews(ctx, p.c); len(rs) != 0 {
			t.Fatalf("a refused review left %d rows", len(rs))
		}
		for _, r := range []reunify.Review{
			{HeldOn: haven.NewDate(2026, 4, 1), Ratings: map[int64]reunify.Rating{g1.ID: reunify.Green, g2.ID: reunify.Amber}},
			{HeldOn: haven.NewDate(2026, 3, 1), Ratings: map[int64]reunify.Rating{g1.ID: reunify.Amber, g2.ID: reunify.Red}, Note: "A slow start"},
		} {
			if _, err := db.AddPlanReview(ctx, ev, p.c, r, p.today); err != nil {
				t.Fatal(err)
			}
		}
		rs, err := db.PlanReviews(ctx, p.c)
		if err != nil || len(rs) != 2 || rs[0].Note != "A slow start" || rs[0].Ratings[g2.ID] != reunify.Red || rs[1].Ratings[g1.ID] != reunify.Green {
			t.Fatalf("reviews = %+v, %v", rs, err)
		}
		if _, err := db.AddPlanReview(ctx, ev, p.c, reunify.Review{HeldOn: haven.NewDate(2026, 3, 1), Ratings: map[int64]reunify.Rating{g1.ID: reunify.Red, g2.ID: reunify.Red}}, p.today); fieldErrors(err)["heldOn"] == "" {
			t.Errorf("two reviews on one day: %v", err)
		}
		if _, err := db.AddPlanComment(ctx, ev, p.c, reunify.Comment{Person: p.mum.ID, SaidOn: haven.NewDate(2026, 2, 1), Words: "I will do whatever it takes"}, p.today); err != nil {
			t.Fatal(err)
		}
		if cs, err := db.PlanComments(ctx, p.c); err != nil || len(cs) != 1 || cs[0].Person != p.mum.ID {
			t.Errorf("comments = %+v, %v", cs, err)
		}
	})
}

func TestReunifySupportChecksAndTasks(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		a, _ := twoLATeams(t, db)
		p := newPlanCase(t, db, a, 0)
		ev := audit.Event{}
		s, err := db.SaveSupport(ctx, ev, p.c, reunify.Support{Package: "Weekly family support visits", EndsOn: haven.NewDate(2026, 8, 1)}, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if !reunify.SupportTooShort(p.returned, s.EndsOn) {
			t.Error("3 months' support is not flagged as too short")
		}
		if _, err := db.SaveSupport(ctx, ev, p.c, reunify.Support{Package: "x", EndsOn: haven.NewDate(2027, 5, 1)}, 0, 0); !errors.Is(err, haven.ErrConflict) {
			t.Errorf("a stale support save: %v", err)
		}
		if s, err = db.SaveSupport(ctx, ev, p.c, reunify.Support{Package: "Weekly visits for a year", EndsOn: haven.NewDate(2027, 5, 1)}, 1, 0); err != nil || s.Version != 2 {
			t.Fatalf("support update: %+v %v", s, err)
		}
		// Returned 1 May 2026; on 7 December the 3- and 6-month checks are overdue.
		// Only the manager sees them: the child has no worker and the case no opener.
		tasks, err := db.ReunifyTasks(ctx, a.ID, 1, true, p.today)
		if err != nil || len(tasks) != 2 || tasks[0].Due != haven.NewDate(2026, 8, 1) || tasks[1].Due != haven.NewDate(2026, 11, 1) {
			t.Fatalf("tasks = %+v, %v", tasks, err)
		}
		if tasks, _ := db.ReunifyTasks(ctx, a.ID, 1, false, p.today); len(tasks) != 0 {
			t.Errorf("a worker sees another's tasks: %+v", tasks)
		}
		if _, err := db.RecordOutcomeCheck(ctx, ev, p.c, reunify.OutcomeCheck{Month: 3, CheckedOn: haven.NewDate(2026, 8, 3), Outcome: "settled"}, p.returned, p.today); err != nil {
			t.Fatal(err)
		}
		if _, err := db.RecordOutcomeCheck(ctx, ev, p.c, reunify.OutcomeCheck{Month: 3, CheckedOn: haven.NewDate(2026, 8, 4), Outcome: "settled"}, p.returned, p.today); fieldErrors(err)["month"] == "" {
			t.Errorf("the 3-month check twice: %v", err)
		}
		tasks, _ = db.ReunifyTasks(ctx, a.ID, 1, true, p.today)
		if len(tasks) != 1 || tasks[0].Due != haven.NewDate(2026, 11, 1) || tasks[0].PersonName != "Robin" {
			t.Errorf("tasks after the 3-month check = %+v", tasks)
		}
		// Another team's manager sees none of them.
		_, b := twoLATeamsAgain(t, db)
		if tasks, _ := db.ReunifyTasks(ctx, b.ID, 1, true, p.today); len(tasks) != 0 {
			t.Errorf("another team sees %d tasks", len(tasks))
		}
	})
}

// twoLATeamsAgain makes one more team, for the tests that already have two.
func twoLATeamsAgain(t *testing.T, db *store.DB) (access.LATeam, access.LATeam) {
	t.Helper()
	c, err := db.CreateLATeam(t.Context(), access.LATeam{Slug: "team-c", Name: "Team C", LACode: "E08000035"})
	if err != nil {
		t.Fatal(err)
	}
	return access.LATeam{}, c
}
