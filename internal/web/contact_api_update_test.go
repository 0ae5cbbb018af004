package web_test

import (
	"net/http"
	"strings"
	"testing"

	"haven/internal/audit"
	"haven/internal/contact"
	"haven/internal/haven"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// The API changes what the pages change, from the version it read: a stale
// version is 409 and changes nothing; no version is 428; bad dates are 422.
func TestContactAPIUpdates(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.freshPerson(t)
		ctx := t.Context()
		by := f.allocated.UserID
		ev := audit.Event{UserID: by}
		today := haven.NewDate(2026, 11, 20)
		child, arr, ch := f.seedChange(t, db, today)
		cs, err := db.CreateContactSession(ctx, ev, contact.ContactSession{PersonID: f.person.ID, ArrangementID: arr.ID, PlannedOn: today}, by, today)
		if err != nil {
			t.Fatal(err)
		}
		lx, err := db.CreateLetterboxExchange(ctx, ev, contact.LetterboxExchange{PersonID: f.person.ID, ArrangementID: arr.ID, Direction: "to-her"}, by, today)
		if err != nil {
			t.Fatal(err)
		}
		before, err := db.Contact(ctx, f.person.ID) // recording the change moved the arrangement's version on
		if err != nil {
			t.Fatal(err)
		}
		arrVersion := itoa(before.Arrangements[0].Version)
		call := func(method, path, body string, header map[string]string) response {
			req, _ := http.NewRequest(method, f.ts.URL+"/api/v1/people/"+f.person.Ref+path, strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+f.allocated.APIToken)
			req.Header.Set("Content-Type", "application/json")
			for k, v := range header {
				req.Header.Set(k, v)
			}
			return tlsDo(t, f, req)
		}
		v1 := map[string]string{"If-Match": `"1"`}
		for _, tc := range []struct {
			name, method, path, body string
			header                   map[string]string
			status                   int
			want                     string
		}{
			{"child with no version", "PUT", "/children/" + itoa(child.ID), `{"legalStatus":"placement-order","placement":"foster-care"}`, nil, 428, ""},
			{"child: a move in the future", "PUT", "/children/" + itoa(child.ID), `{"legalStatus":"care-order","placement":"kinship-care","placementFrom":"2099-01-01"}`, v1, 422, "placementFrom"},
			{"child", "PUT", "/children/" + itoa(child.ID), `{"legalStatus":"placement-order","placement":"kinship-care","placementFrom":"2026-11-01"}`, v1, 200, `"placement":"kinship-care"`},
			{"child again from the same version", "PUT", "/children/" + itoa(child.ID), `{"legalStatus":"adopted","placement":"adoptive-family","placementFrom":"2026-11-02"}`, v1, 409, ""},
			{"review with no date", "PUT", "/arrangements/" + itoa(arr.ID), `{"nextReviewOn":"2027-11-01","version":` + arrVersion + `}`, nil, 422, "lastReview"},
			{"review", "PUT", "/arrangements/" + itoa(arr.ID), `{"lastReviewOn":"2026-11-10","nextReviewOn":"2027-11-01","version":` + arrVersion + `}`, nil, 200, `"neverReviewed":false`},
			{"contact session", "PUT", "/contact-sessions/" + itoa(cs.ID), `{"plannedOn":"2026-11-20","outcome":"took-place","herWords":"He smiled at me"}`, v1, 200, `"herWords":"He smiled at me"`},
			{"contact session, stale", "PUT", "/contact-sessions/" + itoa(cs.ID), `{"plannedOn":"2026-11-20","outcome":"did-not-attend"}`, v1, 409, ""},
			{"letter", "PUT", "/letterbox/" + itoa(lx.ID), `{"sentOn":"2026-11-15","checkedBy":"Adoption agency"}`, v1, 200, `"sentOn":"2026-11-15"`},
			{"someone else's letter", "PUT", "/letterbox/999999", `{"sentOn":"2026-11-15"}`, v1, 404, ""},
			{"explanation with no reason", "POST", "/changes/" + itoa(ch.ID) + "/explanations", `{"toldHow":"In person"}`, nil, 422, ""},
			{"explanation", "POST", "/changes/" + itoa(ch.ID) + "/explanations", `{"reason":"The adopters moved house","toldHow":"In person","toldOn":"2026-11-20","toldBy":"Her practitioner"}`, nil, 201, `"unexplained":false`},
		} {
			res := call(tc.method, tc.path, tc.body, tc.header)
			if res.status != tc.status || !strings.Contains(res.body, tc.want) {
				t.Errorf("%s: %d %s, want %d with %q", tc.name, res.status, res.body, tc.status, tc.want)
			}
		}
		rec, err := db.Contact(ctx, f.person.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c := rec.Children[0]; c.Placement != "kinship-care" || c.Version != 2 {
			t.Errorf("child after one update and one stale one: %s v%d", c.Placement, c.Version)
		}
		if s := rec.Sessions[0]; s.Outcome != "took-place" || s.Version != 2 {
			t.Errorf("contact session after one update and one stale one: %s v%d", s.Outcome, s.Version)
		}
		if len(rec.Changes[0].Explanations) != 1 {
			t.Errorf("%d explanations, want 1", len(rec.Changes[0].Explanations))
		}
	})
}
