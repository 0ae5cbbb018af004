package web_test

import (
	"strings"
	"testing"
	"time"

	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/programme"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// Her chronology has every dated event on her record: a goal and its
// review, a referral to a partner agency, and a change to her contact with
// her child, besides the sessions and phases TestChronology covers.
func TestChronologyHasEveryDatedEvent(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.freshPerson(t)
		ctx := t.Context()
		by := f.allocated.UserID
		ev := audit.Event{UserID: by}
		today := haven.NewDate(2026, 11, 20)
		g, err := db.CreateGoal(ctx, ev, programme.Goal{PersonID: f.person.ID, Domain: programme.DomainHousing, Words: "GOAL-MARKER a flat of my own", Progress: programme.NotStarted}, by, today)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.ReviewGoal(ctx, ev, g, programme.Review{On: today, Note: "REVIEW-MARKER viewed two flats", Progress: programme.InProgress, By: by, At: time.Now()}, g.Version, today); err != nil {
			t.Fatal(err)
		}
		a, err := db.CreateAgency(ctx, ev, programme.Agency{PracticeID: f.person.PracticeID, Name: "AGENCY-MARKER Housing Advice", Kind: "Housing"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.SendReferralOut(ctx, ev, f.person, a.ID, "Advice on a housing application", today); err != nil {
			t.Fatal(err)
		}
		f.seedChange(t, db, today)
		c := f.signIn(t, f.riverLead)
		base := f.ts.URL + "/people/" + f.person.Ref + "/chronology"
		for query, want := range map[string][]string{
			"":               {"Goal added: Housing", "GOAL-MARKER", "Goal reviewed", "REVIEW-MARKER", "Referred to AGENCY-MARKER Housing Advice", "Contact changed", "Jay"},
			"?type=plan":     {"GOAL-MARKER", "REVIEW-MARKER", "View her plan"},
			"?type=referral": {"Referred to AGENCY-MARKER", "View her referrals out"},
			"?type=contact":  {"Contact changed", "View her contact"},
		} {
			res := send(t, c, "GET", base+query, nil)
			for _, w := range want {
				if !strings.Contains(res.body, w) {
					t.Errorf("chronology%s lacks %q", query, w)
				}
			}
			if query == "?type=plan" && strings.Contains(res.body, "AGENCY-MARKER") {
				t.Errorf("the plan's filter shows a referral out")
			}
		}
	})
}
