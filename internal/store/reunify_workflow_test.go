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

func laUser(t *testing.T, db *store.DB, email string) int64 {
	t.Helper()
	u, err := db.CreateAccount(t.Context(), audit.Event{}, access.User{Email: email, DisplayName: "Synthetic " + email[:4]}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// A case from Decision 1 to closed on both databases: every proposal
// signed off by a manager who did not make it, every change version-checked
// and audited, the return home ending the open episode with its date and
// REC in the same transaction.
func TestReunifyWorkflow(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		a, _ := twoLATeams(t, db)
		today := haven.NewDate(2026, time.December, 7)
		worker, manager, other := laUser(t, db, "work@example.org"), laUser(t, db, "mana@example.org"), laUser(t, db, "othe@example.org")
		wev, mev := audit.Event{UserID: worker}, audit.Event{UserID: manager}
		child, err := db.CreateLAChild(ctx, wev, reunify.Child{Team: a.ID, Ref: "C-2001", FirstName: "Robin", BornOn: haven.NewDate(2019, 3, 4)}, worker, today)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.AddLAEpisode(ctx, wev, reunify.Episode{Child: child.ID, StartsOn: haven.NewDate(2025, 6, 1), RNE: "S", LegalStatus: "C2", Placement: "U1"}, worker, today); err != nil {
			t.Fatal(err)
		}
		c, err := db.OpenReunification(ctx, wev, reunify.Case{Child: child.ID, Route: "s31", OpenedOn: haven.NewDate(2026, 1, 5), Worker: worker}, today)
		if err != nil {
			t.Fatal(err)
		}
		version := c.Version
		scale, err := db.RiskScale(ctx, a.ID)
		if err != nil || len(scale.Labels) != 4 || scale.Version != 0 {
			t.Fatalf("default scale = %+v, %v", scale, err)
		}
		audits := func() int {
			evs, err := db.SearchAudit(ctx, store.AuditFilter{RecordType: "la-child", RecordID: strconv.FormatInt(child.ID, 10), Page: store.Page{Limit: 1000}})
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, e := range evs {
				if e.RecordType == "la-child" {
					n++
				}
			}
			return n
		}
		decide := func(k reunify.DecisionKind, answer string) reunify.Decision {
			t.Helper()
			d := reunify.Decision{Kind: k, Answer: answer, Level: 2, DecidedOn: today, Rationale: "Reasons for " + string(k)}
			got, err := db.ProposeDecision(ctx, wev, c.ID, version, d, scale, worker, today)
			if err != nil {
				t.Fatalf("propose %s: %v", k, err)
			}
			version++
			before := audits()
			// The proposer cannot sign it off, nor can anyone who is not a manager: nothing is written.
			if _, err := db.SignOffDecision(ctx, wev, c.ID, version, got.ID, worker, true, false, ""); !errors.Is(err, reunify.ErrOwnDecision) {
				t.Fatalf("the proposer signing off %s: %v", k, err)
			}
			if _, err := db.SignOffDecision(ctx, audit.Event{UserID: other}, c.ID, version, got.ID, other, false, false, ""); !errors.Is(err, reunify.ErrNotManager) {
				t.Fatalf("a worker signing off %s: %v", k, err)
			}
			if audits() != before {
				t.Fatal("a refused sign-off was written")
			}
			signed, err := db.SignOffDecision(ctx, mev, c.ID, version, got.ID, manager, true, false, "")
			if err != nil || !signed.Signed() || signed.SignedBy != manager {
				t.Fatalf("sign off %s: %+v, %v", k, signed, err)
			}
			version++
			return signed
		}
		move := func(to reunify.Stage) {
			t.Helper()
			if err := db.MoveReunification(ctx, wev, c.ID, version, to, worker, today); err != nil {
				t.Fatalf("move to %s: %v", to, err)
			}
			version++
		}
		// A stage cannot start before its decision is signed off.
		if err := db.MoveReunification(ctx, wev, c.ID, version, reunify.StagePlanAssessment, worker, today); fieldErrors(err)["to"] == "" {
			t.Fatalf("moved on without Decision 1: %v", err)
		}
		// A manager declines a proposal; it goes back to the worker, who proposes again.
		d1, err := db.ProposeDecision(ctx, wev, c.ID, version, reunify.Decision{Kind: reunify.Decision1, Answer: "yes", DecidedOn: today, Rationale: "First go"}, scale, worker, today)
		if err != nil {
			t.Fatal(err)
		}
		version++
		// A stale version changes nothing.
		if _, err := db.SignOffDecision(ctx, mev, c.ID, version-1, d1.ID, manager, true, false, ""); !errors.Is(err, haven.ErrConflict) {
			t.Fatalf("stale sign-off: %v", err)
		}
		if _, err := db.SignOffDecision(ctx, mev, c.ID, version, d1.ID, manager, true, true, ""); fieldErrors(err)["reason"] == "" {
			t.Fatalf("decline without a reason: %v", err)
		}
		back, err := db.SignOffDecision(ctx, mev, c.ID, version, d1.ID, manager, true, true, "Say more about the family network")
		if err != nil || back.Status != reunify.Declined {
			t.Fatalf("decline: %+v %v", back, err)
		}
		version++
		decide(reunify.Decision1, "yes")
		for _, s := range []reunify.Stage{reunify.StagePlanAssessment, reunify.StageChronology, reunify.StageAssessment, reunify.StageDecision2} {
			move(s)
		}
		decide(reunify.Risk1, "")
		decide(reunify.Decision2, "yes")
		move(reunify.StagePlan)
		move(reunify.StageDecision3)
		decide(reunify.Risk2, "")
		decide(reunify.Decision3, "yes")
		move(reunify.StageEmergency)
		decide(reunify.Emergency, "yes")
		move(reunify.StagePlanReview)
		move(reunify.StagePanel)
		decide(reunify.Panel, "yes")
		move(reunify.StageReturnHome)
		if err := db.RecordReturnHome(ctx, wev, c.ID, version, reunify.ReturnHome{On: haven.NewDate(2025, 5, 1), REC: "E4A"}, worker, today); fieldErrors(err)["returnedOn"] == "" {
			t.Fatalf("a return before the case opened: %v", err)
		}
		returned := haven.NewDate(2026, 11, 30)
		if err := db.RecordReturnHome(ctx, wev, c.ID, version, reunify.ReturnHome{On: returned, REC: "E4A"}, worker, today); err != nil {
			t.Fatal(err)
		}
		version++
		eps, err := db.LAEpisodes(ctx, child.ID)
		if err != nil || len(eps) != 1 || eps[0].EndsOn != returned || eps[0].REC != "E4A" {
			t.Fatalf("episode after the return: %+v, %v", eps, err)
		}
		got, _, err := db.CurrentReunification(ctx, child.ID)
		if err != nil || got.Stage != reunify.StageSupport || got.Outcome != "returned" {
			t.Fatalf("case after the return: %+v %v", got, err)
		}
		move(reunify.StageRisk3)
		decide(reunify.Risk3, "")
		move(reunify.StageDischarge)
		move(reunify.StageClosed)
		got, _, err = db.CurrentReunification(ctx, child.ID)
		if err != nil || got.Stage != reunify.StageClosed || got.ClosedOn != today || got.Version != version {
			t.Fatalf("closed case: %+v %v (version want %d)", got, err, version)
		}
		ds, err := db.ReunifyDecisions(ctx, c.ID)
		if err != nil || len(ds) != 9 || ds[0].Status != reunify.Declined || ds[0].Reason == "" || ds[1].SignerName == "" || ds[2].Label != "Medium" {
			t.Fatalf("decisions: %d, %v", len(ds), err)
		}
		// The dashboard links the return to this case: risk classification 2
		// as signed off, and no agreement or support recorded.
		facts, err := db.LADashboardCases(ctx, child.Team)
		if err != nil || len(facts) != 1 || facts[0].Risk != "Medium" || facts[0].Agreed || !facts[0].SupportEndsOn.IsZero() ||
			facts[0].OpenedOn != c.OpenedOn || facts[0].ClosedOn != today {
			t.Fatalf("dashboard facts %+v, %v", facts, err)
		}
		evs, err := db.ReunifyStageEvents(ctx, c.ID)
		if err != nil || len(evs) != 14 || evs[10].REC != "E4A" || evs[10].On != returned {
			t.Fatalf("history: %d %+v, %v", len(evs), evs, err)
		}
		states := reunify.Timeline(got, evs)
		for i, s := range states {
			if s != reunify.StateDone {
				t.Errorf("closed case: %s is %s", reunify.MainStages()[i], s)
			}
		}
	})
}

// A "no" leads to alternative permanence, with the reason; the manager's
// list of what awaits sign-off leaves out their own proposals and other teams'.
func TestReunifyAlternativeAndAwaitingSignOff(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		a, b := twoLATeams(t, db)
		today := haven.NewDate(2026, time.December, 7)
		worker, manager := laUser(t, db, "work@example.org"), laUser(t, db, "mana@example.org")
		var cases []reunify.Case
		for i, team := range []int64{a.ID, a.ID, b.ID} {
			child, err := db.CreateLAChild(ctx, audit.Event{}, reunify.Child{Team: team, Ref: "C-" + strconv.Itoa(3000+i), FirstName: "Sam", BornOn: haven.NewDate(2020, 1, 1)}, 0, today)
			if err != nil {
				t.Fatal(err)
			}
			c, err := db.OpenReunification(ctx, audit.Event{}, reunify.Case{Child: child.ID, Route: "s20", OpenedOn: today}, today)
			if err != nil {
				t.Fatal(err)
			}
			cases = append(cases, c)
		}
		scale := reunify.RiskScale{Labels: reunify.DefaultRiskScale}
		no := reunify.Decision{Kind: reunify.Decision1, Answer: "no", DecidedOn: today, Rationale: "Not safe"}
		d, err := db.ProposeDecision(ctx, audit.Event{UserID: worker}, cases[0].ID, 1, no, scale, worker, today)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ProposeDecision(ctx, audit.Event{UserID: manager}, cases[1].ID, 1, no, scale, manager, today); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ProposeDecision(ctx, audit.Event{UserID: worker}, cases[2].ID, 1, no, scale, worker, today); err != nil {
			t.Fatal(err)
		}
		list, err := db.AwaitingSignOff(ctx, a.ID, manager)
		if err != nil || len(list) != 1 || list[0].ID != d.ID || list[0].ChildRef != "C-3000" {
			t.Fatalf("awaiting the manager: %+v, %v", list, err)
		}
		if err := db.ChooseAlternative(ctx, audit.Event{UserID: worker}, cases[0].ID, 2, "Special guardianship", today, worker, today); fieldErrors(err)["reason"] == "" {
			t.Fatalf("alternative before the no is signed off: %v", err)
		}
		if _, err := db.SignOffDecision(ctx, audit.Event{UserID: manager}, cases[0].ID, 2, d.ID, manager, true, false, ""); err != nil {
			t.Fatal(err)
		}
		if err := db.MoveReunification(ctx, audit.Event{UserID: worker}, cases[0].ID, 3, reunify.StagePlanAssessment, worker, today); fieldErrors(err)["to"] == "" {
			t.Fatalf("moved on after a no: %v", err)
		}
		if err := db.ChooseAlternative(ctx, audit.Event{UserID: worker}, cases[0].ID, 3, "Special guardianship with her aunt", today, worker, today); err != nil {
			t.Fatal(err)
		}
		got, _, err := db.CurrentReunification(ctx, cases[0].Child)
		if err != nil || got.Stage != reunify.StageAlternative || got.Outcome != "alternative-permanence" || got.OutcomeReason != "Special guardianship with her aunt" || got.ClosedOn != today {
			t.Fatalf("after alternative permanence: %+v %v", got, err)
		}
	})
}

func TestRiskScaleSetting(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		a, b := twoLATeams(t, db)
		manager := laUser(t, db, "mana@example.org")
		s, err := db.SaveRiskScale(ctx, audit.Event{UserID: manager}, reunify.RiskScale{Team: a.ID, Labels: []string{"Low", " Moderate ", "Severe"}}, manager)
		if err != nil || s.Version != 1 {
			t.Fatalf("save: %+v %v", s, err)
		}
		// From a stale version (the default's 0, or 1 after a second save): refused.
		if _, err := db.SaveRiskScale(ctx, audit.Event{UserID: manager}, reunify.RiskScale{Team: a.ID, Labels: []string{"A", "B"}}, manager); !errors.Is(err, haven.ErrConflict) {
			t.Fatalf("a second first save: %v", err)
		}
		if _, err := db.SaveRiskScale(ctx, audit.Event{UserID: manager}, reunify.RiskScale{Team: a.ID, Labels: []string{"A"}, Version: 1}, manager); fieldErrors(err)["labels"] == "" {
			t.Fatalf("one level: %v", err)
		}
		got, err := db.RiskScale(ctx, a.ID)
		if err != nil || got.Version != 1 || len(got.Labels) != 3 || got.Labels[1] != "Moderate" {
			t.Fatalf("read back: %+v %v", got, err)
		}
		if other, _ := db.RiskScale(ctx, b.ID); other.Version != 0 || other.Labels[3] != "Very high" {
			t.Fatalf("another team's scale changed: %+v", other)
		}
		evs, _ := db.SearchAudit(ctx, store.AuditFilter{Page: store.Page{Limit: 100}})
		n := 0
		for _, e := range evs {
			if e.RecordType == "la-team" && e.Section == "risk scale" {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d audit rows for the risk scale, want 1", n)
		}
	})
}
