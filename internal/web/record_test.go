package web_test

import (
	"strings"
	"testing"

	"haven/internal/programme"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// Every page of her record says whose record it is, with her date of birth
// and reference, and offers its sections, marking the one open.
func TestEveryPageOfHerRecordHasTheBar(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		c := f.signIn(t, f.allocated)
		ref := "/people/" + f.person.Ref
		identity := programme.Identity(f.person.DateOfBirth, f.person.Ref)
		identity = strings.ToUpper(identity[:1]) + identity[1:] // the bar starts a sentence with it
		for path, current := range map[string]string{
			ref: "Details", ref + "/sessions": "Sessions and case notes", ref + "/sessions/new": "Sessions and case notes",
			ref + "/chronology": "Chronology", ref + "/plan": "Support plan", ref + "/contact": "Children and contact",
			ref + "/referrals-out": "Referrals to partner agencies", ref + "/reproductive-health": "Reproductive health",
		} {
			res := send(t, c, "GET", f.ts.URL+path, nil)
			if res.status != 200 {
				t.Errorf("%s: %d", path, res.status)
				continue
			}
			for _, want := range []string{`class="moj-identity-bar haven-record-bar"`, f.person.FirstName, identity, "Safe contact",
				`aria-current="page">` + current + `</a>`} {
				if !strings.Contains(res.body, want) {
					t.Errorf("%s lacks %q", path, want)
				}
			}
		}
		// Printed pages and pages that are not hers have no bar.
		for _, path := range []string{ref + "/plan/print", ref + "/chronology?print=1", "/people", "/tasks"} {
			if res := send(t, c, "GET", f.ts.URL+path, nil); strings.Contains(res.body, "moj-identity-bar") {
				t.Errorf("%s has her record's bar", path)
			}
		}
		// A practitioner who may not read her restricted sections is not offered them.
		if res := send(t, f.signIn(t, f.riverCoord), "GET", f.ts.URL+ref+"/sessions", nil); strings.Contains(res.body, "Reproductive health</a>") {
			t.Error("the co-ordinator is offered her reproductive health section")
		}
	})
}
