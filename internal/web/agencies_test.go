package web_test

import (
	"net/url"
	"strings"
	"testing"

	"haven/internal/store"
	"haven/internal/store/storetest"
)

// The partner-agency directory and a referral out, round the closed loop,
// with a stalled referral flagged for chasing.
func TestReferralOutLoop(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.freshPerson(t)
		lead := f.signIn(t, f.riverLead)
		if res := send(t, lead, "POST", f.ts.URL+"/agencies", url.Values{"practice": {itoa(f.person.PracticeID)}, "name": {""}, "kind": {""}}); res.status != 422 || !strings.Contains(res.body, "Enter name") {
			t.Errorf("empty agency: %d", res.status)
		}
		if res := send(t, lead, "POST", f.ts.URL+"/agencies", url.Values{"practice": {itoa(f.person.PracticeID)}, "name": {"Fictional Housing Trust"}, "kind": {"Housing"}}); res.status != 303 {
			t.Fatalf("add agency: %d", res.status)
		}
		other := f.signIn(t, f.otherLead)
		if res := send(t, other, "GET", f.ts.URL+"/agencies", nil); strings.Contains(res.body, "Fictional Housing Trust") {
			t.Error("another Practice sees this Practice's agencies")
		}
		agencies, _ := db.Agencies(t.Context(), f.person.PracticeID)
		c := f.signIn(t, f.allocated)
		base := f.ts.URL + "/people/" + f.person.Ref + "/referrals-out"
		if res := send(t, c, "POST", base, url.Values{"agency": {itoa(agencies[0].ID)}, "reason": {""}, "sentOn-day": {"1"}, "sentOn-month": {"11"}, "sentOn-year": {"2026"}}); res.status != 422 || !strings.Contains(res.body, `value="11"`) {
			t.Errorf("referral without a reason: %d", res.status)
		}
		if res := send(t, c, "POST", base, url.Values{"agency": {itoa(agencies[0].ID)}, "reason": {"Needs help with a housing application"}, "sentOn-day": {"1"}, "sentOn-month": {"11"}, "sentOn-year": {"2026"}}); res.status != 303 {
			t.Fatalf("send: %d", res.status)
		}
		// The fixture's clock is 23 November: three weeks on, nothing has happened.
		if res := send(t, c, "GET", base, nil); !strings.Contains(res.body, "chase it") {
			t.Error("a referral untouched for three weeks is not flagged")
		}
		refs, _ := db.ReferralsOut(t.Context(), f.person.ID)
		move := func(version int64, status, outcome string) response {
			return send(t, c, "POST", base+"/"+itoa(refs[0].ID), url.Values{"version": {itoa(version)}, "status": {status}, "move-" + itoa(refs[0].ID) + "-on-day": {"20"}, "move-" + itoa(refs[0].ID) + "-on-month": {"11"}, "move-" + itoa(refs[0].ID) + "-on-year": {"2026"}, "outcome": {outcome}})
		}
		if res := move(1, "outcome", "Done"); res.status != 422 || !strings.Contains(res.body, "cannot move to outcome recorded") {
			t.Errorf("skipping the loop: %d", res.status)
		}
		if res := move(1, "accepted", ""); res.status != 303 {
			t.Fatalf("accepted: %d", res.status)
		}
		if res := move(1, "first-appointment", ""); res.status != 409 {
			t.Errorf("stale update: %d, want 409", res.status)
		}
		if res := move(2, "first-appointment", ""); res.status != 303 {
			t.Fatalf("appointment: %d", res.status)
		}
		if res := move(3, "outcome", "Housing application made and accepted"); res.status != 303 {
			t.Fatalf("outcome: %d", res.status)
		}
		if res := send(t, c, "GET", base, nil); strings.Contains(res.body, "chase it") || !strings.Contains(res.body, "Housing application made and accepted") {
			t.Error("the closed loop is not shown as closed")
		}
		if res := send(t, other, "GET", base, nil); res.status != 404 {
			t.Errorf("another Practice's lead: %d, want 404", res.status)
		}
	})
}
