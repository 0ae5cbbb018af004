package web_test

import (
	"net/url"
	"strings"
	"testing"

	"haven/internal/audit"
	"haven/internal/programme"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// The programme phases through the person page: start, move, keep what was
// typed on a bad date, and refuse a stale change.
func TestEnrolmentPhasesThroughThePage(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		c := f.signIn(t, f.allocated)
		// A new woman with no enrolment yet (the demo women all have one).
		person, err := db.CreatePerson(t.Context(), audit.Event{}, mustActor(t, db, f.riverLead.UserID),
			programme.Person{PracticeID: f.person.PracticeID, PractitionerID: f.allocated.UserID, FirstName: "Sky", LastName: "Testcase"})
		if err != nil {
			t.Fatal(err)
		}
		f.person = person
		base := f.ts.URL + "/people/" + f.person.Ref
		// The fixture's clock is 23 November 2026.
		if res := send(t, c, "POST", base+"/enrolments", url.Values{"referredOn-day": {"30"}, "referredOn-month": {"2"}, "referredOn-year": {"2026"}}); res.status != 422 || !strings.Contains(res.body, "must be a real date") || !strings.Contains(res.body, `value="30"`) {
			t.Errorf("impossible referral date: %d", res.status)
		}
		if res := send(t, c, "POST", base+"/enrolments", url.Values{"referredOn-day": {"2"}, "referredOn-month": {"11"}, "referredOn-year": {"2026"}}); res.status != 303 {
			t.Fatalf("start: %d", res.status)
		}
		es, _ := db.Enrolments(t.Context(), f.person.ID)
		if len(es) != 1 {
			t.Fatalf("%d enrolments", len(es))
		}
		exit := "moved-away" // the early-exit category sent with a reason
		move := func(version int64, to, d, m, y, reason string) response {
			v := url.Values{"version": {itoa(version)}, "to": {to}, "on-day": {d}, "on-month": {m}, "on-year": {y}, "reason": {reason}}
			if reason != "" {
				v.Set("exitCategory", exit)
			}
			return send(t, c, "POST", base+"/enrolments/"+itoa(es[0].ID)+"/phase", v)
		}
		if res := move(1, "engaging", "1", "11", "2026", ""); res.status != 422 || !strings.Contains(res.body, "on or after 2 November 2026") {
			t.Errorf("engagement before the referral: %d", res.status)
		}
		if res := move(1, "active", "9", "11", "2026", ""); res.status != 422 || !strings.Contains(res.body, "cannot move to active") {
			t.Errorf("skipping phases: %d", res.status)
		}
		if res := move(1, "engaging", "9", "11", "2026", ""); res.status != 303 {
			t.Fatalf("engage: %d", res.status)
		}
		if res := move(1, "ended-early", "10", "11", "2026", "Moved away"); res.status != 409 || !strings.Contains(res.body, "Someone else changed this enrolment") {
			t.Errorf("stale phase change: %d", res.status)
		}
		res := send(t, c, "GET", base, nil)
		if !strings.Contains(res.body, "Engagement clock") || !strings.Contains(res.body, "2 weeks so far") || !strings.Contains(res.body, "14 weeks left") {
			t.Errorf("the engagement clock is not shown as expected")
		}
		if res := move(2, "ended-early", "10", "11", "2026", ""); res.status != 422 || !strings.Contains(res.body, "why the enrolment ended early") {
			t.Errorf("ending early without a reason: %d", res.status)
		}
		// Item 4: a category from the list is needed too, and the form offers it.
		for _, bad := range []string{"", "not-recorded", "bored"} {
			exit = bad
			if res := move(2, "ended-early", "10", "11", "2026", "Moved away"); res.status != 422 || !strings.Contains(res.body, "Choose why the enrolment ended early") ||
				!strings.Contains(res.body, `<option value="custody">Custody or prison</option>`) {
				t.Errorf("ending early with category %q: %d", bad, res.status)
			}
		}
		exit = "moved-away"
		if res := move(2, "", "10", "11", "2026", ""); res.status != 422 || !strings.Contains(res.body, "Choose the phase to move to") {
			t.Errorf("no phase chosen: %d", res.status)
		}
		// Ending her programme is asked again, and nothing changes until it is confirmed.
		res = move(2, "ended-early", "10", "11", "2026", "Moved away")
		if res.status != 200 || !strings.Contains(res.body, "End Sky Testcase’s programme early?") || !strings.Contains(res.body, `name="confirm" value="yes"`) ||
			!strings.Contains(res.body, "Moved out of the area") || !strings.Contains(res.body, `name="exitCategory" value="moved-away"`) {
			t.Errorf("ending early is not asked again: %d", res.status)
		}
		if es, _ := db.Enrolments(t.Context(), f.person.ID); es[0].Phase != programme.PhaseEngaging {
			t.Errorf("asking to confirm moved her to %s", es[0].Phase)
		}
		confirmed := url.Values{"version": {"2"}, "to": {"ended-early"}, "on-day": {"10"}, "on-month": {"11"}, "on-year": {"2026"}, "reason": {"Moved away"}, "exitCategory": {"moved-away"}, "confirm": {"yes"}}
		if res := send(t, c, "POST", base+"/enrolments/"+itoa(es[0].ID)+"/phase", confirmed); res.status != 303 {
			t.Errorf("confirmed ending: %d", res.status)
		}
		if es, _ := db.Enrolments(t.Context(), f.person.ID); es[0].Phase != programme.PhaseEnded || es[0].Exit != programme.ExitMovedAway || es[0].EndReason != "Moved away" {
			t.Errorf("after confirming she is %s (%q, %q)", es[0].Phase, es[0].Exit, es[0].EndReason)
		}
		if res := send(t, c, "GET", base, nil); !strings.Contains(res.body, "ended early: Moved out of the area: Moved away") {
			t.Error("her record does not say why she ended early")
		}
	})
}
