package web_test

import (
	"net/url"
	"strings"
	"testing"

	"haven/internal/programme"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// A restricted section is read on her record, with an Edit action, and
// changed on its own page, which keeps every version with who and when; it
// may be cleared only with a reason; a stale edit changes nothing.
func TestRestrictedSectionsKeepEveryVersion(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db) // the lead wrote the sentinel as the first version of criminal records
		c := f.signIn(t, f.allocated)
		record := f.ts.URL + "/people/" + f.person.Ref
		page := record + "/restricted/criminal-records"
		res := send(t, c, "GET", record, nil)
		if !strings.Contains(res.body, f.sentinel) || !strings.Contains(res.body, `href="/people/`+f.person.Ref+`/restricted/criminal-records">Edit`) ||
			strings.Contains(res.body, `name="body"`) {
			t.Errorf("her record does not show the section read-only with an Edit action")
		}
		versions, err := db.RestrictedVersions(t.Context(), f.person.ID, programme.SectionCriminalRecords)
		if err != nil || len(versions) == 0 {
			t.Fatalf("versions before: %+v, %v", versions, err)
		}
		v := versions[0].Version
		if res := send(t, c, "POST", page, url.Values{"version": {itoa(v)}, "body": {"NEW-MARKER spent conviction, 2015"}}); res.status != 303 {
			t.Fatalf("save a new version: %d\n%s", res.status, res.body)
		}
		if res := send(t, c, "POST", page, url.Values{"version": {itoa(v)}, "body": {"STALE-MARKER"}}); res.status != 409 || !strings.Contains(res.body, "STALE-MARKER") {
			t.Errorf("a stale edit: %d, want 409 keeping the text", res.status)
		}
		if res := send(t, c, "POST", page, url.Values{"version": {itoa(v + 1)}, "body": {""}, "reason": {"short"}}); res.status != 422 || !strings.Contains(res.body, "Say why you are clearing") {
			t.Errorf("clearing without a reason: %d", res.status)
		}
		if res := send(t, c, "POST", page, url.Values{"version": {itoa(v + 1)}, "body": {""}, "reason": {"Recorded on the wrong woman’s record"}}); res.status != 303 {
			t.Fatalf("clearing with a reason: %d\n%s", res.status, res.body)
		}
		res = send(t, c, "GET", page, nil)
		for _, want := range []string{f.sentinel, "NEW-MARKER spent conviction, 2015", "Cleared: Recorded on the wrong woman’s record", "Version " + itoa(v+2)} {
			if !strings.Contains(res.body, want) {
				t.Errorf("the section's page lacks %q", want)
			}
		}
		if strings.Contains(res.body, "STALE-MARKER") {
			t.Error("the stale edit was saved")
		}
		if res := send(t, c, "GET", record, nil); strings.Contains(res.body, "NEW-MARKER") || !strings.Contains(res.body, "Nothing recorded.") {
			t.Error("her record does not show the section as cleared")
		}
		// Only her practitioner and the lead. A colleague she is not allocated to
		// is offered break-glass (S16, refusal.go); the co-ordinator's role never may.
		for name, a := range map[string]int{"other practitioner": 403, "co-ordinator": 404} {
			acct := f.otherPrac
			if name == "co-ordinator" {
				acct = f.riverCoord
			}
			if res := send(t, f.signIn(t, acct), "GET", page, nil); res.status != a || strings.Contains(res.body, f.sentinel) {
				t.Errorf("%s opening the section: %d, want %d", name, res.status, a)
			}
		}
	})
}
