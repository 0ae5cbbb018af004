package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"haven/internal/audit"
	"haven/internal/programme"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// The programme through the JSON API: creating, version checks with If-Match
// or a version field, 409 on a stale version, and clear errors for bad bodies.
func TestProgrammeAPI(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		person, err := db.CreatePerson(t.Context(), audit.Event{}, mustActor(t, db, f.riverLead.UserID),
			programme.Person{PracticeID: f.person.PracticeID, PractitionerID: f.allocated.UserID, FirstName: "Sky", LastName: "Testcase"})
		if err != nil {
			t.Fatal(err)
		}
		call := func(token, method, path, body string, header map[string]string) (int, map[string]any) {
			req, _ := http.NewRequest(method, f.ts.URL+"/api/v1"+path, strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+token)
			if body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			for k, v := range header {
				req.Header.Set(k, v)
			}
			res, err := f.ts.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var out map[string]any
			json.NewDecoder(res.Body).Decode(&out)
			return res.StatusCode, out
		}
		tok := f.allocated.APIToken
		base := "/people/" + person.Ref
		tests := []struct {
			name       string
			method     string
			path       string
			body       string
			header     map[string]string
			wantStatus int
			wantCode   string
		}{
			{"not JSON", "POST", base + "/enrolments", `{"referredOn":`, nil, 400, "bad_request"},
			{"unknown field", "POST", base + "/enrolments", `{"referredOn":"2026-11-01","extra":1}`, nil, 400, "bad_request"},
			{"bad date", "POST", base + "/enrolments", `{"referredOn":"2026-02-30"}`, nil, 422, "invalid"}, // S22: naming the field (apidate.go)
			{"future date", "POST", base + "/enrolments", `{"referredOn":"2030-01-01"}`, nil, 422, "invalid"},
			{"start", "POST", base + "/enrolments", `{"referredOn":"2026-11-02"}`, nil, 201, ""},
			{"second open enrolment", "POST", base + "/enrolments", `{"referredOn":"2026-11-03"}`, nil, 409, "conflict"},
			{"another Practice's record", "GET", "/people/" + f.hillcrest.Ref + "/enrolments", "", nil, 404, "not_found"},
		}
		for _, tt := range tests {
			status, body := call(tok, tt.method, tt.path, tt.body, tt.header)
			if status != tt.wantStatus || (tt.wantCode != "" && body["code"] != tt.wantCode) {
				t.Errorf("%s: %d %v, want %d %s", tt.name, status, body, tt.wantStatus, tt.wantCode)
			}
		}
		es, _ := db.Enrolments(t.Context(), person.ID)
		phase := base + "/enrolments/" + itoa(es[0].ID) + "/phase"
		move := `{"to":"engaging","on":"2026-11-09"}`
		if status, body := call(tok, "POST", phase, move, nil); status != 428 || body["code"] != "version_required" {
			t.Errorf("no version: %d %v, want 428", status, body)
		}
		if status, _ := call(tok, "POST", phase, move, map[string]string{"If-Match": `"1"`}); status != 200 {
			t.Errorf("If-Match 1: %d", status)
		}
		if status, body := call(tok, "POST", phase, `{"to":"programme-started","on":"2026-11-10","version":1}`, nil); status != 409 || body["code"] != "conflict" {
			t.Errorf("stale version field: %d %v, want 409", status, body)
		}
		if status, body := call(tok, "POST", phase, `{"to":"programme-started","on":"2026-11-10","version":2}`, nil); status != 200 || body["phase"] != "programme-started" {
			t.Errorf("current version: %d %v", status, body)
		}
		// Item 4: ending early names a category from the list, or is refused naming the field.
		for _, bad := range []string{`{"to":"ended-early","on":"2026-11-11","reason":"Moved away","version":3}`,
			`{"to":"ended-early","on":"2026-11-11","reason":"Moved away","exitCategory":"not-recorded","version":3}`} {
			if status, body := call(tok, "POST", phase, bad, nil); status != 422 || !strings.Contains(fmt.Sprint(body), "exitCategory") {
				t.Errorf("%s: %d %v, want 422 naming exitCategory", bad, status, body)
			}
		}
		if status, body := call(tok, "POST", phase, `{"to":"ended-early","on":"2026-11-11","reason":"Moved away","exitCategory":"custody","version":3}`, nil); status != 200 || body["exitCategory"] != "custody" {
			t.Errorf("ending early with a category: %d %v", status, body)
		}
		if status, _ := call(tok, "POST", base+"/goals", `{"domain":"housing","words":"A flat of my own"}`, nil); status != 201 {
			t.Errorf("create goal: %d", status)
		}
		if status, body := call(f.riverCoord.APIToken, "POST", base+"/goals", `{"domain":"sexual-health","words":"x"}`, nil); status != 403 {
			t.Errorf("co-ordinator's restricted goal: %d %v, want 403", status, body)
		}
		if status, body := call(tok, "GET", base+"/goals", "", nil); status != 200 || len(body["goals"].([]any)) != 1 {
			t.Errorf("list goals: %d %v", status, body)
		}
		if status, body := call(tok, "GET", "/tasks", "", nil); status != 200 || body["tasks"] == nil {
			t.Errorf("tasks: %d %v", status, body)
		}
	})
}
