package store_test

import (
	"errors"
	"strconv"
	"testing"
	"time"

	"haven/internal/audit"
	"haven/internal/contact"
	"haven/internal/haven"
	"haven/internal/programme"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// A change recorded by mistake is withdrawn with a reason: it is kept, read
// back as withdrawn (who, when, why), drops out of the arrangement as it
// stands, the unexplained count, her tasks and the report, and cannot be
// withdrawn twice or explained afterwards. The withdrawal is audited and is
// never updated.
func TestWithdrawContactChange(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s, p, other := seedContactWomen(t, db, "Withdrawcase")
		by := s.pracA.User.ID
		ev := audit.Event{UserID: by}
		jay, err := db.CreateChild(ctx, ev, contact.Child{PersonID: p.ID, Name: "Jay", BornOn: haven.NewDate(2022, 5, 1), LegalStatus: "care-order", Placement: "foster-care"}, by, contactToday)
		if err != nil {
			t.Fatal(err)
		}
		arr, err := db.CreateArrangement(ctx, ev, contact.Arrangement{PersonID: p.ID, ChildID: jay.ID, Type: contact.Supervised, Frequency: "Monthly",
			ArrangedBy: "local-authority", Basis: "care-plan", StartOn: haven.NewDate(2023, 3, 1)}, by, contactToday)
		if err != nil {
			t.Fatal(err)
		}

		// The dates are checked here too, against Jay's birth and the arrangement's start.
		bad := contact.Change{PersonID: p.ID, ArrangementID: arr.ID, Aspect: contact.AspectFrequency, To: "Weekly", EffectiveOn: haven.NewDate(2031, 1, 1),
			ChangedBy: "court", ReasonGiven: contact.ReasonYes, Reason: "x", ToldOn: haven.NewDate(1999, 1, 1), RecordedBy: by}
		_, err = db.RecordChange(ctx, ev, bad, arr.Version, contactToday)
		invalidOn(t, err, "effective")
		invalidOn(t, err, "toldOn")
		bad = contact.Change{PersonID: p.ID, ArrangementID: arr.ID, Aspect: contact.AspectFrequency, To: "Weekly", EffectiveOn: haven.NewDate(2026, 1, 1),
			ChangedBy: "court", ReasonGiven: contact.ReasonNo, Reason: "The reason, though she was not told it", RecordedBy: by}
		_, err = db.RecordChange(ctx, ev, bad, arr.Version, contactToday)
		invalidOn(t, err, "reason")

		mistake, err := db.RecordChange(ctx, ev, contact.Change{PersonID: p.ID, ArrangementID: arr.ID, Aspect: contact.AspectFrequency, From: "Monthly", To: "Weekly",
			EffectiveOn: haven.NewDate(2026, 10, 1), ChangedBy: "local-authority", ReasonGiven: contact.ReasonNo, RecordedBy: by}, arr.Version, contactToday)
		if err != nil {
			t.Fatal(err)
		}
		if n, _ := db.UnexplainedChanges(ctx, p.ID); n != 1 {
			t.Fatalf("%d unexplained changes before withdrawing, want 1", n)
		}
		explainTasks := func() int {
			tasks, err := db.TasksFor(ctx, s.pracA, contactToday)
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
		if explainTasks() != 1 {
			t.Fatal("the unexplained change raised no task")
		}
		report := func() contact.Report {
			r, err := db.ContactReport(ctx, []int64{s.practiceA}, haven.NewDate(2026, 1, 1), contactToday)
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		before := report()

		// The reason is required; another woman's change is not found.
		if err := db.WithdrawChange(ctx, ev, p.ID, mistake.ID, contact.Withdrawal{Reason: " "}, by); err == nil {
			t.Error("a withdrawal without a reason was saved")
		} else {
			invalidOn(t, err, "reason")
		}
		if err := db.WithdrawChange(ctx, ev, other.ID, mistake.ID, contact.Withdrawal{Reason: "x"}, by); !errors.Is(err, haven.ErrNotFound) {
			t.Errorf("withdrawing another woman's change: %v, want not found", err)
		}
		if err := db.WithdrawChange(ctx, ev, p.ID, mistake.ID, contact.Withdrawal{Reason: "Recorded on the wrong arrangement"}, by); err != nil {
			t.Fatal(err)
		}
		if err := db.WithdrawChange(ctx, ev, p.ID, mistake.ID, contact.Withdrawal{Reason: "Again"}, by); !errors.Is(err, haven.ErrConflict) {
			t.Errorf("withdrawing twice: %v, want a conflict", err)
		}

		rec, err := db.Contact(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(rec.Changes) != 1 {
			t.Fatalf("%d changes, want the withdrawn one kept", len(rec.Changes))
		}
		w := rec.Changes[0].Withdrawal
		if !rec.Changes[0].Withdrawn() || w.Reason != "Recorded on the wrong arrangement" || w.ByName != s.pracA.User.DisplayName ||
			!w.At.Equal(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)) || rec.Changes[0].To != "Weekly" {
			t.Errorf("withdrawn change read back as %+v", rec.Changes[0])
		}
		if got := rec.Arrangements[0].At(contactToday, rec.Changes); got.Frequency != "Monthly" {
			t.Errorf("arrangement as it stands: %q, want the withdrawn change left out", got.Frequency)
		}
		if rec.Arrangements[0].Version != arr.Version+2 {
			t.Errorf("arrangement version %d, want it moved on by the change and the withdrawal", rec.Arrangements[0].Version)
		}
		if n, _ := db.UnexplainedChanges(ctx, p.ID); n != 0 {
			t.Errorf("%d unexplained changes after withdrawing, want 0", n)
		}
		if n := explainTasks(); n != 0 {
			t.Errorf("%d explain tasks after withdrawing, want 0: withdrawing ends the task", n)
		}
		after := report()
		if after.ChangesNoReason.Den != before.ChangesNoReason.Den-1 || after.ChangesNoReason.Num != before.ChangesNoReason.Num-1 {
			t.Errorf("report counts the withdrawn change: before %+v, after %+v", before.ChangesNoReason, after.ChangesNoReason)
		}
		if _, err := db.ExplainChange(ctx, ev, p.ID, mistake.ID, contact.Explanation{Reason: "x", ToldOn: contactToday, ToldBy: "y"}, by, contactToday); !errors.Is(err, haven.ErrNotFound) {
			t.Errorf("explaining a withdrawn change: %v, want not found", err)
		}
		evs, err := db.SearchAudit(ctx, store.AuditFilter{RecordType: "person", RecordID: strconv.FormatInt(p.ID, 10), Action: "update", Page: store.Page{Limit: 50}})
		if err != nil {
			t.Fatal(err)
		}
		withdrawals := 0
		for _, e := range evs {
			if e.Section == "contact:withdrawal" {
				withdrawals++
			}
		}
		if withdrawals != 1 {
			t.Errorf("%d audited withdrawals, want 1", withdrawals)
		}
		if err := db.Exec(ctx, `UPDATE contact_change_withdrawals SET reason = 'edited'`); err == nil {
			t.Error("a withdrawal was updated in place")
		}
	})
}
