package web_test

import (
	"net/url"
	"strings"
	"testing"

	"haven/internal/store"
	"haven/internal/store/storetest"
)

// A woman moves: her Practice asks, the receiving lead accepts, and her whole
// record goes with her, unallocated. Nobody else can answer for that Practice.
func TestTransferToAnotherPractice(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		lead := f.signIn(t, f.riverLead)
		path := f.ts.URL + "/people/" + f.person.Ref
		hillcrest := itoa(f.hillcrest.PracticeID)
		if res := send(t, lead, "POST", path+"/transfer", url.Values{"toPractice": {itoa(f.person.PracticeID)}}); res.status != 422 {
			t.Errorf("transfer to her own Practice: %d", res.status)
		}
		if res := send(t, lead, "POST", path+"/transfer", url.Values{"toPractice": {hillcrest}, "note": {"Moving to be near her sister"}}); res.status != 303 {
			t.Fatalf("request: %d", res.status)
		}
		if res := send(t, lead, "POST", path+"/transfer", url.Values{"toPractice": {hillcrest}}); res.status != 409 {
			t.Errorf("a second pending transfer: %d, want 409", res.status)
		}
		other := f.signIn(t, f.otherLead)
		res := send(t, other, "GET", f.ts.URL+"/overview", nil)
		if !strings.Contains(res.body, "Moving to be near her sister") {
			t.Fatal("the receiving lead does not see the transfer")
		}
		if res := send(t, other, "GET", path, nil); res.status != 404 {
			t.Errorf("receiving lead before accepting: %d, want 404", res.status)
		}
		waiting, _ := db.TransfersWaiting(t.Context(), mustActor(t, db, f.otherLead.UserID))
		id := itoa(waiting[0].ID)
		if res := send(t, lead, "POST", f.ts.URL+"/transfers/"+id, url.Values{"decision": {"accept"}}); res.status != 404 {
			t.Errorf("the sending lead accepting: %d, want 404", res.status)
		}
		if res := send(t, other, "POST", f.ts.URL+"/transfers/"+id, url.Values{"decision": {"accept"}}); res.status != 303 {
			t.Fatalf("accept: %d", res.status)
		}
		if res := send(t, other, "GET", path, nil); res.status != 200 || !strings.Contains(res.body, "Not allocated") {
			t.Errorf("receiving lead after accepting: %d", res.status)
		}
		if res := send(t, lead, "GET", path, nil); res.status != 404 {
			t.Errorf("the old Practice's lead after the move: %d, want 404", res.status)
		}
		if res := send(t, f.signIn(t, f.allocated), "GET", path, nil); res.status != 404 {
			t.Errorf("her old practitioner after the move: %d, want 404", res.status)
		}
		es, _ := db.Enrolments(t.Context(), f.person.ID)
		if len(es) == 0 || es[0].PracticeID != f.hillcrest.PracticeID {
			t.Errorf("her open enrolment did not move with her: %+v", es)
		}
	})
}
