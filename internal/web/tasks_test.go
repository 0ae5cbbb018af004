package web_test

import (
	"strings"
	"testing"

	"haven/internal/haven"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// Tasks: a practitioner sees their own women's, a lead the whole Practice's,
// and nobody sees another Practice's.
func TestTasksAndOverview(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		today := haven.NewDate(2026, 11, 23)
		lead := mustActor(t, db, f.riverLead.UserID)
		all, err := db.TasksFor(t.Context(), lead, today)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) == 0 {
			t.Fatal("the demo Practice has no tasks due; the demo should include some")
		}
		people, _ := db.PeopleFor(t.Context(), lead, store.Page{})
		mine := map[string]bool{}
		for _, p := range people {
			mine[p.Ref] = true
		}
		for _, task := range all {
			if task.Kind == "triage" { // a referral in, not yet a person
				if _, err := db.ReferralFor(t.Context(), lead, task.PersonRef); err != nil {
					t.Errorf("the lead's triage task is for a referral they cannot see: %+v", task)
				}
				continue
			}
			if !mine[task.PersonRef] {
				t.Errorf("the lead's tasks include someone outside the Practice: %+v", task)
			}
		}
		c := f.signIn(t, f.riverLead)
		res := send(t, c, "GET", f.ts.URL+"/tasks", nil)
		if res.status != 200 || !strings.Contains(res.body, all[0].Text) {
			t.Errorf("tasks page: %d", res.status)
		}
		prac := mustActor(t, db, f.allocated.UserID)
		own, _ := db.TasksFor(t.Context(), prac, today)
		for _, task := range own {
			p, _, err := db.PersonFor(t.Context(), prac, task.PersonRef)
			if err != nil || p.PractitionerID != f.allocated.UserID {
				t.Errorf("a practitioner's task is for someone not allocated to them: %+v", task)
			}
		}
		other := f.signIn(t, f.otherLead)
		if res := send(t, other, "GET", f.ts.URL+"/tasks", nil); strings.Contains(res.body, f.person.LastName) && strings.Contains(res.body, f.person.Ref) {
			t.Error("another Practice's lead sees this Practice's tasks")
		}
		triage := 0
		for _, task := range all {
			if task.Kind == "triage" {
				triage++
			}
		}
		if triage == 0 {
			t.Error("the lead's tasks include no referral waiting for an answer; the demo has new referrals")
		}
		for _, task := range own {
			if task.Kind == "triage" {
				t.Error("a practitioner is given triage tasks")
			}
		}
		res = send(t, c, "GET", f.ts.URL+"/overview", nil)
		if res.status != 200 || !strings.Contains(res.body, "Caseloads (cap 8)") || !strings.Contains(res.body, "Riverside Practice (demo)") ||
			!strings.Contains(res.body, "Referrals by source and outcome") || !strings.Contains(res.body, "Self-referral") {
			t.Errorf("overview: %d", res.status)
		}
		if res := send(t, f.signIn(t, f.allocated), "GET", f.ts.URL+"/overview", nil); res.status != 403 {
			t.Errorf("a practitioner's overview: %d, want 403", res.status)
		}
	})
}
