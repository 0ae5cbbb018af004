package store_test

import (
	"errors"
	"strconv"
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

var contactToday = haven.NewDate(2026, 11, 23)

func invalidOn(t *testing.T, err error, field string) {
	t.Helper()
	he, ok := errors.AsType[*haven.Error](err)
	if !ok || he.Kind != haven.KindInvalid || he.Fields[field] == "" {
		t.Errorf("%v, want a validation error on %s", err, field)
	}
}

func TestContactRecord(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s, p, other := seedContactWomen(t, db, "Testcase")
		by := s.pracA.User.ID
		ev := audit.Event{UserID: by}

		// A removal before birth is refused and nothing is written.
		bad := contact.Child{PersonID: p.ID, Name: "J", BornOn: haven.NewDate(2022, 5, 1), RemovedOn: haven.NewDate(2022, 4, 1), LegalStatus: "care-order", Placement: "foster-care"}
		_, err := db.CreateChild(ctx, ev, bad, by, contactToday)
		invalidOn(t, err, "removed")
		jay, err := db.CreateChild(ctx, ev, contact.Child{PersonID: p.ID, Name: "Jay", BornOn: haven.NewDate(2022, 5, 1), RemovedOn: haven.NewDate(2022, 5, 3),
			LACode: "E08000035", LegalStatus: "placement-order", Placement: "adoptive-family"}, by, contactToday)
		if err != nil {
			t.Fatal(err)
		}
		kit, err := db.CreateChild(ctx, ev, contact.Child{PersonID: p.ID, Name: "K.", BirthYear: 2019, LegalStatus: "care-order", Placement: "foster-care"}, by, contactToday)
		if err != nil {
			t.Fatal(err)
		}
		theirs, err := db.CreateChild(ctx, ev, contact.Child{PersonID: other.ID, Name: "Other", BirthYear: 2020, LegalStatus: "care-order", Placement: "foster-care"}, by, contactToday)
		if err != nil {
			t.Fatal(err)
		}

		// Kit moves to kinship care; a stale version is a conflict.
		kit.Placement = "kinship-care"
		if err := db.UpdateChild(ctx, ev, kit, kit.Version, haven.NewDate(2025, 1, 1), by, contactToday); err != nil {
			t.Fatal(err)
		}
		if err := db.UpdateChild(ctx, ev, kit, kit.Version, haven.Date{}, by, contactToday); !errors.Is(err, haven.ErrConflict) {
			t.Errorf("stale child update: %v, want a conflict", err)
		}

		// A create sent twice with one idempotency key makes one child, and the repeat names the first.
		keyed := store.WithIdempotencyKey(ctx, "contact-test-key-0001")
		twin := contact.Child{PersonID: p.ID, Name: "Twin", BirthYear: 2024, LegalStatus: "care-order", Placement: "foster-care"}
		made, err := db.CreateChild(keyed, ev, twin, by, contactToday)
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.CreateChild(keyed, ev, twin, by, contactToday)
		if d, ok := errors.AsType[*store.Duplicate](err); !ok || d.ID != made.ID || d.Kind != store.KindChild {
			t.Errorf("repeat create: %v, want a duplicate naming child %d", err, made.ID)
		}
		if err := db.Exec(ctx, `DELETE FROM children WHERE id = $1`, made.ID); err != nil {
			t.Fatal(err)
		}

		// Proceedings: the final hearing cannot be before issue; another woman's child cannot be named; the index mark moves.
		_, err = db.CreateProceedings(ctx, ev, contact.Proceedings{PersonID: p.ID, IssuedOn: haven.NewDate(2022, 5, 2), Court: "Leeds",
			FinalHearingOn: haven.NewDate(2022, 5, 1), Outcome: "placement-order", ChildIDs: []int64{jay.ID}}, by, contactToday)
		invalidOn(t, err, "finalHearing")
		_, err = db.CreateProceedings(ctx, ev, contact.Proceedings{PersonID: p.ID, IssuedOn: haven.NewDate(2022, 5, 2), Court: "Leeds", ChildIDs: []int64{theirs.ID}}, by, contactToday)
		invalidOn(t, err, "children")
		first, err := db.CreateProceedings(ctx, ev, contact.Proceedings{PersonID: p.ID, IssuedOn: haven.NewDate(2020, 1, 6), Court: "Leeds", Index: true,
			FinalHearingOn: haven.NewDate(2020, 9, 1), Outcome: "care-order", ChildIDs: []int64{kit.ID}}, by, contactToday)
		if err != nil {
			t.Fatal(err)
		}
		second, err := db.CreateProceedings(ctx, ev, contact.Proceedings{PersonID: p.ID, IssuedOn: haven.NewDate(2022, 5, 2), Court: "Leeds", Index: true, LACode: "E08000035",
			FinalHearingOn: haven.NewDate(2023, 1, 10), Outcome: "placement-order", ChildIDs: []int64{jay.ID}}, by, contactToday)
		if err != nil {
			t.Fatal(err)
		}
		ps, err := db.ProceedingsFor(ctx, p.ID)
		if err != nil || len(ps) != 2 {
			t.Fatalf("%d proceedings, %v", len(ps), err)
		}
		if ps[0].ID != first.ID || ps[0].Index || !ps[1].Index || len(ps[1].ChildIDs) != 1 || ps[1].ChildIDs[0] != jay.ID {
			t.Errorf("proceedings %+v", ps)
		}
		if contact.AgeAtIssue(jay, second.IssuedOn) != contact.Newborn {
			t.Error("Jay was a newborn when the second set was issued")
		}

		// Arrangements: only with her own children.
		_, err = db.CreateArrangement(ctx, ev, contact.Arrangement{PersonID: p.ID, ChildID: theirs.ID, Type: contact.Letterbox, Frequency: "Yearly",
			ArrangedBy: "adoption-agency", Basis: "adoption-contact-plan", StartOn: haven.NewDate(2023, 3, 1)}, by, contactToday)
		invalidOn(t, err, "child")
		letterbox, err := db.CreateArrangement(ctx, ev, contact.Arrangement{PersonID: p.ID, ChildID: jay.ID, Type: contact.Letterbox, Frequency: "Once a year",
			ArrangedBy: "adoption-agency", Basis: "adoption-contact-plan", StartOn: haven.NewDate(2023, 3, 1)}, by, contactToday)
		if err != nil {
			t.Fatal(err)
		}
		supervised, err := db.CreateArrangement(ctx, ev, contact.Arrangement{PersonID: p.ID, ChildID: kit.ID, Type: contact.Supervised, Frequency: "Monthly",
			ArrangedBy: "local-authority", Basis: "care-plan", StartOn: haven.NewDate(2021, 1, 1)}, by, contactToday)
		if err != nil {
			t.Fatal(err)
		}

		// A change without a reason raises a task for her practitioner, not for another Practice.
		change := contact.Change{PersonID: p.ID, ArrangementID: supervised.ID, Aspect: contact.AspectFrequency, From: "Monthly", To: "Every two months",
			EffectiveOn: haven.NewDate(2026, 10, 1), ChangedBy: "local-authority", RecordedBy: by}
		_, err = db.RecordChange(ctx, ev, change, supervised.Version, contactToday)
		invalidOn(t, err, "reasonGiven")
		change.ReasonGiven = contact.ReasonNo
		recorded, err := db.RecordChange(ctx, ev, change, supervised.Version, contactToday)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.RecordChange(ctx, ev, change, supervised.Version, contactToday); !errors.Is(err, haven.ErrConflict) {
			t.Errorf("change on a stale arrangement: %v, want a conflict", err)
		}
		explainTasks := func(actor *access.Actor) int {
			t.Helper()
			tasks, err := db.TasksFor(ctx, actor, contactToday)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, tk := range tasks {
				if tk.Kind == programme.TaskExplainContactChange && tk.PersonRef == p.Ref {
					n++
				}
			}
			return n
		}
		if n := explainTasks(s.pracA); n != 1 {
			t.Errorf("%d explain tasks for her practitioner, want 1", n)
		}
		if n := explainTasks(s.pracB); n != 0 {
			t.Errorf("%d explain tasks for another Practice, want 0", n)
		}
		// Telling her clears the task; the change itself is never altered.
		if _, err := db.ExplainChange(ctx, ev, other.ID, recorded.ID, contact.Explanation{Reason: "x", ToldOn: contactToday, ToldBy: "y"}, by, contactToday); !errors.Is(err, haven.ErrNotFound) {
			t.Errorf("explaining another woman's change: %v, want not found", err)
		}
		if _, err := db.ExplainChange(ctx, ev, p.ID, recorded.ID, contact.Explanation{Reason: "The carers moved further away", ToldOn: contactToday, ToldBy: "Her social worker"}, by, contactToday); err != nil {
			t.Fatal(err)
		}
		if n := explainTasks(s.pracA); n != 0 {
			t.Errorf("%d explain tasks after she was told, want 0", n)
		}
		changes, err := db.ContactChanges(ctx, p.ID)
		if err != nil || len(changes) != 1 || changes[0].ReasonGiven != contact.ReasonNo || len(changes[0].Explanations) != 1 || changes[0].ChildName != "K." {
			t.Fatalf("changes %+v, %v", changes, err)
		}
		if err := db.Exec(ctx, `UPDATE contact_changes SET reason_given = 'yes'`); err == nil {
			t.Error("a change was updated in place")
		}

		// Letterbox: only on a letterbox arrangement; due a year on by default; reminders near the date.
		_, err = db.CreateLetterboxExchange(ctx, ev, contact.LetterboxExchange{PersonID: p.ID, ArrangementID: supervised.ID, Direction: "from-her"}, by, contactToday)
		invalidOn(t, err, "arrangement")
		x, err := db.CreateLetterboxExchange(ctx, ev, contact.LetterboxExchange{PersonID: p.ID, ArrangementID: letterbox.ID, Direction: "from-her"}, by, contactToday)
		if err != nil || x.DueOn != haven.NewDate(2024, 3, 1) {
			t.Fatalf("first letter due %s, %v", x.DueOn, err)
		}
		y, err := db.CreateLetterboxExchange(ctx, ev, contact.LetterboxExchange{PersonID: p.ID, ArrangementID: letterbox.ID, Direction: "from-her", DueOn: haven.NewDate(2026, 12, 10)}, by, contactToday)
		if err != nil {
			t.Fatal(err)
		}
		x.SentOn, x.CheckedBy = haven.NewDate(2024, 2, 20), "Letterbox co-ordinator"
		if err := db.UpdateLetterboxExchange(ctx, ev, x, x.Version, contactToday); err != nil {
			t.Fatal(err)
		}
		tasks, _ := db.TasksFor(ctx, s.pracA, contactToday)
		var letterTasks []programme.Task
		for _, tk := range tasks {
			if tk.Kind == programme.TaskLetterboxDue {
				letterTasks = append(letterTasks, tk)
			}
		}
		if len(letterTasks) != 1 || letterTasks[0].Due != y.DueOn {
			t.Errorf("letterbox tasks %+v, want the one due 10 December", letterTasks)
		}

		// Contact sessions: recorded, then what happened; a stale update is a conflict.
		cs, err := db.CreateContactSession(ctx, ev, contact.ContactSession{PersonID: p.ID, ArrangementID: supervised.ID, PlannedOn: haven.NewDate(2026, 11, 1)}, by, contactToday)
		if err != nil {
			t.Fatal(err)
		}
		cs.Outcome, cs.CancelledBy = contact.Cancelled, "carers"
		if err := db.UpdateContactSession(ctx, ev, cs, cs.Version, contactToday); err != nil {
			t.Fatal(err)
		}
		if err := db.UpdateContactSession(ctx, ev, cs, cs.Version, contactToday); !errors.Is(err, haven.ErrConflict) {
			t.Errorf("stale session update: %v", err)
		}

		if err := db.RecordLetter(ctx, ev, p.ID, haven.NewDate(2026, 1, 1), contactToday, "pdf", by); err != nil {
			t.Fatal(err)
		}
		rec, err := db.Contact(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(rec.Children) != 2 || len(rec.Children[0].Placements) != 2 || len(rec.Arrangements) != 2 || len(rec.Sessions) != 1 ||
			rec.Sessions[0].Outcome != contact.Cancelled || len(rec.Letterbox) != 2 || len(rec.Letters) != 1 {
			t.Errorf("record %+v", rec)
		}
		// Every change was audited on her record.
		evs, err := db.SearchAudit(ctx, store.AuditFilter{RecordType: "person", RecordID: strconv.FormatInt(p.ID, 10), Page: store.Page{Limit: 500}})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range evs {
			if e.Section == "contact" || e.Section == "contact:letter" {
				n++
			}
		}
		if n != 16 { // the twin child included
			t.Errorf("%d contact audit rows, want 16", n)
		}

		// The report for the Practice over 2026.
		r, err := db.ContactReport(ctx, []int64{s.practiceA}, haven.NewDate(2026, 1, 1), haven.NewDate(2026, 12, 31))
		if err != nil {
			t.Fatal(err)
		}
		if r.Women != 1 || r.WomenChanged != (contact.Measure{Num: 1, Den: 1}) || r.ChangesNoReason != (contact.Measure{Num: 1, Den: 1}) || r.LetterboxReviewed != (contact.Measure{Num: 0, Den: 1}) {
			t.Errorf("report %+v", r)
		}
		r, _ = db.ContactReport(ctx, []int64{s.practiceB}, haven.NewDate(2026, 1, 1), haven.NewDate(2026, 12, 31))
		if r.Women != 0 {
			t.Errorf("another Practice's report counts %d women", r.Women)
		}
	})
}

// Reports over several groups read the records once and count each group
// alone: hand-counted over two Practices, the same whether the Practices are
// read one by one or in one pass.
func TestContactReports(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		db.SetClock(func() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) })
		s := seedStaff(t, db)
		ev := audit.Event{UserID: s.leadA.User.ID}
		d := haven.NewDate
		// woman makes a woman in a Practice with one arrangement of typ, and changes with these answers.
		woman := func(practice int64, typ contact.Type, answers ...contact.ReasonGiven) {
			t.Helper()
			lead := s.leadA
			p, err := db.CreatePerson(ctx, ev, lead, programme.Person{PracticeID: s.practiceA, FirstName: "Report", LastName: "Testcase"})
			if err != nil {
				t.Fatal(err)
			}
			if practice != s.practiceA {
				if err := db.Exec(ctx, `UPDATE people SET practice_id = $1 WHERE id = $2`, practice, p.ID); err != nil {
					t.Fatal(err)
				}
			}
			c, err := db.CreateChild(ctx, ev, contact.Child{PersonID: p.ID, Name: "C", BirthYear: 2020, LegalStatus: "care-order", Placement: "foster-care"}, 0, contactToday)
			if err != nil {
				t.Fatal(err)
			}
			a, err := db.CreateArrangement(ctx, ev, contact.Arrangement{PersonID: p.ID, ChildID: c.ID, Type: typ, Frequency: "Monthly", ArrangedBy: "local-authority",
				Basis: "care-plan", StartOn: d(2024, 1, 1)}, 0, contactToday)
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range answers {
				reason := "" // a reason belongs only with Yes
				if r == contact.ReasonYes {
					reason = "x"
				}
				if _, err := db.RecordChange(ctx, ev, contact.Change{PersonID: p.ID, ArrangementID: a.ID, Aspect: "other", EffectiveOn: d(2026, 3, 1+i),
					ChangedBy: "court", ReasonGiven: r, Reason: reason}, a.Version+int64(i), contactToday); err != nil {
					t.Fatal(err)
				}
			}
		}
		yes, no, unknown := contact.ReasonYes, contact.ReasonNo, contact.ReasonNotKnown
		// Practice A: 6 women, 5 changed; 7 changes of which 4 unexplained.
		woman(s.practiceA, contact.Supervised, yes)
		woman(s.practiceA, contact.Supervised, no, yes)
		woman(s.practiceA, contact.Letterbox, unknown)
		woman(s.practiceA, contact.Letterbox, no)
		woman(s.practiceA, contact.Supported, yes, no)
		woman(s.practiceA, contact.Letterbox)
		// Practice B: 2 women, 1 changed, without a reason.
		woman(s.practiceB, contact.Letterbox, no)
		woman(s.practiceB, contact.Supervised)

		from, to := d(2026, 1, 1), d(2026, 12, 31)
		groups := []store.ReportGroup{{Name: "A", PracticeIDs: []int64{s.practiceA}}, {Name: "B", PracticeIDs: []int64{s.practiceB}},
			{Name: "both", PracticeIDs: []int64{s.practiceA, s.practiceB}}}
		want := []struct{ women, changed, changes, noReason, letterbox int }{
			{6, 5, 7, 4, 3},
			{2, 1, 1, 1, 1},
			{8, 6, 8, 5, 4},
		}
		check := func(name string, rs []contact.Report) {
			t.Helper()
			for i, w := range want {
				r := rs[i]
				if r.Women != w.women || r.WomenChanged.Num != w.changed || r.ChangesNoReason.Den != w.changes || r.ChangesNoReason.Num != w.noReason ||
					r.LetterboxReviewed.Den != w.letterbox || r.LetterboxReviewed.Num != 0 {
					t.Errorf("%s, group %s: %+v, want %+v", name, groups[i].Name, r, w)
				}
			}
		}
		one, err := db.ContactReports(ctx, groups, from, to)
		if err != nil {
			t.Fatal(err)
		}
		check("one by one", one)
		// Nine Practices (seven with nobody) are read in one pass.
		wide := append([]store.ReportGroup{}, groups...)
		wide = append(wide, store.ReportGroup{Name: "many", PracticeIDs: []int64{901, 902, 903, 904, 905, 906, 907}})
		pass, err := db.ContactReports(ctx, wide, from, to)
		if err != nil {
			t.Fatal(err)
		}
		check("one pass", pass)
		if pass[3].Women != 0 {
			t.Errorf("Practices with nobody count %d women", pass[3].Women)
		}
	})
}

// seedContactWomen sets the clock to 23 November 2026 and gives Practice A
// two women of the last name given, Robin and Sky, both allocated to its
// practitioner.
func seedContactWomen(t *testing.T, db *store.DB, last string) (staffSet, programme.Person, programme.Person) {
	t.Helper()
	db.SetClock(func() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) })
	s := seedStaff(t, db)
	var women [2]programme.Person
	for i, first := range []string{"Robin", "Sky"} {
		p, err := db.CreatePerson(t.Context(), audit.Event{}, s.leadA, programme.Person{PracticeID: s.practiceA, PractitionerID: s.pracA.User.ID, FirstName: first, LastName: last})
		if err != nil {
			t.Fatal(err)
		}
		women[i] = p
	}
	return s, women[0], women[1]
}
