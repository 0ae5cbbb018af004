package web_test

import (
	"net/url"
	"strings"
	"testing"

	"haven/internal/demo"
	"haven/internal/haven"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// The reproductive-health section: only the allocated practitioner and the
// lead may open it; its review date becomes a reminder for them alone.
func TestReproductiveHealthSection(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.freshPerson(t)
		path := f.ts.URL + "/people/" + f.person.Ref + "/reproductive-health"
		c := f.signIn(t, f.allocated)
		bad := url.Values{"version": {"0"}, "method": {"implant"}, "startedOn-day": {"1"}, "startedOn-month": {"6"}, "startedOn-year": {"2026"},
			"reviewOn-day": {"1"}, "reviewOn-month": {"1"}, "reviewOn-year": {"2026"}, "service": {"Fictional Sexual Health Clinic"}}
		if res := send(t, c, "POST", path+"/contraception", bad); res.status != 422 || !strings.Contains(res.body, "Review or expiry date must be on or after the start date") || !strings.Contains(res.body, "Fictional Sexual Health Clinic") {
			t.Errorf("review before start: %d", res.status)
		}
		good := bad
		good.Set("reviewOn-month", "12")
		good.Set("reviewOn-day", "10")
		if res := send(t, c, "POST", path+"/contraception", good); res.status != 303 {
			t.Fatalf("save: %d\n%s", res.status, res.body)
		}
		if res := send(t, c, "POST", path+"/contraception", good); res.status != 409 {
			t.Errorf("second save from version 0: %d, want 409", res.status)
		}
		if res := send(t, c, "POST", path+"/pregnancies", url.Values{"knownOn-day": {"1"}, "knownOn-month": {"1"}, "knownOn-year": {"2030"}}); res.status != 422 {
			t.Errorf("pregnancy known in the future: %d", res.status)
		}
		res := send(t, c, "GET", path, nil)
		if res.status != 200 || !strings.Contains(res.body, "10 December 2026") {
			t.Errorf("section: %d", res.status)
		}
		// S16, S17: a colleague in her Practice is offered break-glass (refusal.go); the others are told nothing.
		for who, want := range map[string]int{"co-ordinator": 404, "other practitioner": 403, "other Practice's lead": 404} {
			a := map[string]demo.Account{"co-ordinator": f.riverCoord, "other practitioner": f.otherPrac, "other Practice's lead": f.otherLead}[who]
			if got := send(t, f.signIn(t, a), "GET", path, nil).status; got != want {
				t.Errorf("%s: %d, want %d", who, got, want)
			}
		}
		today := haven.NewDate(2026, 11, 23)
		for who, id := range map[string]int64{"allocated": f.allocated.UserID, "lead": f.riverLead.UserID, "co-ordinator": f.riverCoord.UserID} {
			tasks, _ := db.TasksFor(t.Context(), mustActor(t, db, id), today)
			found := false
			for _, task := range tasks {
				found = found || (task.PersonRef == f.person.Ref && task.Kind == "contraception-review")
			}
			if found != (who != "co-ordinator") {
				t.Errorf("%s sees the contraception reminder: %v", who, found)
			}
		}
	})
}
