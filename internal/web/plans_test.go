package web_test

import (
	"net/url"
	"strings"
	"testing"

	"haven/internal/store"
	"haven/internal/store/storetest"
)

// Support plan: goals in her words, reviews with a status, restricted goals
// kept from those who may not read them, and a printable copy.
func TestSupportPlan(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.freshPerson(t)
		c := f.signIn(t, f.allocated)
		base := f.ts.URL + "/people/" + f.person.Ref + "/plan"
		if res := send(t, c, "POST", base+"/goals", url.Values{"domain": {""}, "words": {""}, "target-day": {"31"}, "target-month": {"9"}, "target-year": {"2027"}}); res.status != 422 ||
			!strings.Contains(res.body, "Choose an area") && !strings.Contains(res.body, "Choose the area") || !strings.Contains(res.body, "her own words") || !strings.Contains(res.body, "must be a real date") {
			t.Errorf("empty goal: %d", res.status)
		}
		for _, g := range []url.Values{
			{"domain": {"housing"}, "words": {"I want a flat near my sister"}, "steps": {"Ring the council\nView two flats"}},
			{"domain": {"sexual-health"}, "words": {"SENTINEL-PLAN-GOAL keep my implant reviewed"}},
		} {
			if res := send(t, c, "POST", base+"/goals", g); res.status != 303 {
				t.Fatalf("add goal: %d\n%s", res.status, res.body)
			}
		}
		res := send(t, c, "GET", base, nil)
		if !strings.Contains(res.body, "I want a flat near my sister") || !strings.Contains(res.body, "View two flats") || !strings.Contains(res.body, "SENTINEL-PLAN-GOAL") {
			t.Error("the allocated practitioner does not see the whole plan")
		}
		coord := f.signIn(t, f.riverCoord)
		res = send(t, coord, "GET", base, nil)
		if res.status != 200 || !strings.Contains(res.body, "I want a flat") || strings.Contains(res.body, "SENTINEL-PLAN-GOAL") {
			t.Errorf("co-ordinator: %d, restricted goal shown: %v", res.status, strings.Contains(res.body, "SENTINEL-PLAN-GOAL"))
		}
		if res := send(t, coord, "POST", base+"/goals", url.Values{"domain": {"sexual-health"}, "words": {"x"}}); res.status != 403 {
			t.Errorf("co-ordinator adding a restricted goal: %d, want 403", res.status)
		}
		if res := send(t, f.signIn(t, f.otherLead), "GET", base, nil); res.status != 404 {
			t.Errorf("another Practice's lead: %d, want 404", res.status)
		}

		goals, _ := db.Goals(t.Context(), f.person.ID, false)
		id := itoa(goals[0].ID)
		review := url.Values{"version": {"1"}, "review-" + id + "-on-day": {"20"}, "review-" + id + "-on-month": {"11"}, "review-" + id + "-on-year": {"2026"}, "note": {"Viewed two flats"}, "progress": {"in-progress"}}
		if res := send(t, c, "POST", base+"/goals/"+id+"/reviews", review); res.status != 303 {
			t.Fatalf("review: %d\n%s", res.status, res.body)
		}
		if res := send(t, coord, "POST", base+"/goals/"+id+"/reviews", review); res.status != 409 || !strings.Contains(res.body, "Someone else reviewed this goal") || !strings.Contains(res.body, "Viewed two flats") {
			t.Errorf("stale review: %d, want 409 keeping the note", res.status)
		}
		res = send(t, c, "GET", base+"/print", nil)
		if res.status != 200 || !strings.Contains(res.body, "This is your plan") || !strings.Contains(res.body, "In progress") {
			t.Errorf("printable plan: %d", res.status)
		}
		evs, _ := db.SearchAudit(t.Context(), store.AuditFilter{RecordType: "person", RecordID: itoa(f.person.ID), Action: "print"})
		if len(evs) != 1 {
			t.Errorf("%d print audit rows, want 1", len(evs))
		}
	})
}
