package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/measure"
	"haven/internal/store"
	"haven/internal/store/storetest"
	"haven/internal/web"
)

// callAPI sends body to path with the bearer token (none when empty) and
// returns the status and the raw answer.
func callAPI(t *testing.T, e *authEnv, token, method, path, body string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, e.ts.URL+path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := e.ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b
}

// POST /api/v1/measures/score scores exactly and stores nothing; bad input
// of every kind is a 4xx naming the field, never a 500.
func TestMeasureScoreAPI(t *testing.T) {
	db := storetest.SQLite(t)
	e := newAuthEnv(t, db)
	tok := e.account(access.RolePractitioner).APIToken
	const path = "/api/v1/measures/score"
	// Off until registered (TestMeasuresJourney); registered here to score them.
	for _, id := range []measure.ID{measure.WEMWBS, measure.SWEMWBS} {
		if err := db.SaveRegistration(t.Context(), audit.Event{}, id, measure.Registration{Reference: "TEST-1", On: haven.NewDate(2026, 1, 1)}, e.account(access.RoleAdmin).UserID); err != nil {
			t.Fatal(err)
		}
	}
	const pfizer = "Developed by Drs Robert L. Spitzer, Janet B. W. Williams, Kurt Kroenke and colleagues, with an educational grant from Pfizer Inc. No permission required to reproduce, translate, display or distribute."
	scored := []struct {
		name, body, want string
	}{
		{"SWEMWBS raw 29 is metric 26.02, exactly", `{"instrument":"swemwbs","answers":[5,5,5,5,3,3,3]}`,
			`{"instrument":"swemwbs","total":29,"metric":26.02,"flags":[],"valid":true,"copyright":"Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS) © NHS Health Scotland, University of Warwick and University of Edinburgh, 2008, all rights reserved."}`},
		{"SWEMWBS lowest", `{"instrument":"swemwbs","answers":[1,1,1,1,1,1,1]}`,
			`{"instrument":"swemwbs","total":7,"metric":7.00,"flags":[],"valid":true,"copyright":"Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS) © NHS Health Scotland, University of Warwick and University of Edinburgh, 2008, all rights reserved."}`},
		{"SWEMWBS one missing", `{"instrument":"swemwbs","answers":[5,5,null,5,3,3,3]}`,
			`{"instrument":"swemwbs","total":null,"flags":[],"valid":false,"reason":"not scored: 1 item missing","copyright":"Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS) © NHS Health Scotland, University of Warwick and University of Edinburgh, 2008, all rights reserved."}`},
		{"WEMWBS", `{"instrument":"wemwbs","answers":[1,2,3,4,5,1,2,3,4,5,1,2,3,4]}`,
			`{"instrument":"wemwbs","total":40,"flags":[],"valid":true,"copyright":"Warwick-Edinburgh Mental Wellbeing Scale (WEMWBS) © NHS Health Scotland, University of Warwick and University of Edinburgh, 2006, all rights reserved."}`},
		{"PHQ-9 moderately severe with item 9", `{"instrument":"phq9","answers":[3,3,3,3,0,0,0,1,2]}`,
			`{"instrument":"phq9","total":15,"band":"moderately-severe","flags":["item9"],"valid":true,"copyright":"PHQ-9. ` + pfizer + `"}`},
		{"PHQ-9 item 9 flags an incomplete form", `{"instrument":"phq9","answers":[null,null,0,0,0,0,0,0,1]}`,
			`{"instrument":"phq9","total":null,"flags":["item9"],"valid":false,"reason":"not scored: 2 items missing","copyright":"PHQ-9. ` + pfizer + `"}`},
		{"PHQ-9 minimal", `{"instrument":"phq9","answers":[0,0,0,0,0,0,0,0,0]}`,
			`{"instrument":"phq9","total":0,"band":"minimal","flags":[],"valid":true,"copyright":"PHQ-9. ` + pfizer + `"}`},
		{"GAD-7 severe", `{"instrument":"gad7","answers":[3,3,3,3,3,0,0]}`,
			`{"instrument":"gad7","total":15,"band":"severe","flags":[],"valid":true,"copyright":"GAD-7. ` + pfizer + `"}`},
		{"ONS4 has no total", `{"instrument":"ons4","answers":[4,6,9,1]}`,
			`{"instrument":"ons4","total":null,"items":[{"item":"lifeSatisfaction","label":"Life satisfaction","value":4,"band":"low"},{"item":"worthwhile","label":"Worthwhile","value":6,"band":"medium"},{"item":"happiness","label":"Happiness","value":9,"band":"very-high"},{"item":"anxiety","label":"Anxiety","value":1,"band":"very-low"}],"flags":[],"valid":true,"copyright":"ONS personal well-being questions: Office for National Statistics, Crown copyright, Open Government Licence v3.0."}`},
		{"ONS4 all missing", `{"instrument":"ons4","answers":[null,null,null,null]}`,
			`{"instrument":"ons4","total":null,"flags":[],"valid":false,"reason":"not scored: 4 items missing","copyright":"ONS personal well-being questions: Office for National Statistics, Crown copyright, Open Government Licence v3.0."}`},
		{"spaces inside the list", `{ "answers" : [ 0 , 1 , 2 , 3 , 0 , 1 , 2 ] , "instrument" : "gad7" }`,
			`{"instrument":"gad7","total":9,"band":"mild","flags":[],"valid":true,"copyright":"GAD-7. ` + pfizer + `"}`},
	}
	before, err := db.SearchAudit(t.Context(), store.AuditFilter{Page: store.Page{Limit: 10000}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range scored {
		status, got := callAPI(t, e, tok, "POST", path, tt.body)
		var want bytes.Buffer
		if err := json.Compact(&want, []byte(tt.want)); err != nil {
			t.Fatal(err)
		}
		if status != 200 || string(bytes.TrimSpace(got)) != want.String() {
			t.Errorf("%s: %d\n got %s\nwant %s", tt.name, status, got, want.String())
		}
	}
	after, err := db.SearchAudit(t.Context(), store.AuditFilter{Page: store.Page{Limit: 10000}})
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before) {
		t.Errorf("scoring wrote %d audit rows; it stores nothing", len(after)-len(before))
	}

	refused := []struct {
		name   string
		body   string
		status int
		fields map[string]string // every field named, with its message (or part of it)
	}{
		{"unknown instrument", `{"instrument":"core10","answers":[1]}`, 422, map[string]string{"instrument": "Instrument must be one of wemwbs, swemwbs, phq9, gad7 or ons4"}},
		{"instrument in capitals", `{"instrument":"PHQ9","answers":[0,0,0,0,0,0,0,0,0]}`, 422, map[string]string{"instrument": "must be one of"}},
		{"instrument a number", `{"instrument":9,"answers":[0,0,0,0,0,0,0,0,0]}`, 422, map[string]string{"instrument": "Instrument must be text"}},
		{"no instrument", `{"answers":[0,0,0,0,0,0,0,0,0]}`, 422, map[string]string{"instrument": "Give the instrument"}},
		{"no answers", `{"instrument":"phq9"}`, 422, map[string]string{"answers": "Answers must be a list of 9 answers for PHQ-9"}},
		{"answers null", `{"instrument":"phq9","answers":null}`, 422, map[string]string{"answers": "list of 9"}},
		{"answers a string", `{"instrument":"phq9","answers":"0,0,0,0,0,0,0,0,0"}`, 422, map[string]string{"answers": "list of 9"}},
		{"answers an object", `{"instrument":"phq9","answers":{"1":0}}`, 422, map[string]string{"answers": "list of 9"}},
		{"too few answers", `{"instrument":"phq9","answers":[0,0,0,0,0,0,0,0]}`, 422, map[string]string{"answers": "8 were sent"}},
		{"too many answers", `{"instrument":"gad7","answers":[0,0,0,0,0,0,0,0]}`, 422, map[string]string{"answers": "Answers must be a list of 7 answers for GAD-7, one for each item in order, null for any not answered: 8 were sent"}},
		{"PHQ-9 item 9 above 3", `{"instrument":"phq9","answers":[0,0,0,0,0,0,0,0,4]}`, 422, map[string]string{"answers[8]": "Item 9 must be a whole number from 0 to 3"}},
		{"WEMWBS item 0", `{"instrument":"wemwbs","answers":[0,1,1,1,1,1,1,1,1,1,1,1,1,1]}`, 422, map[string]string{"answers[0]": "Item 1 must be a whole number from 1 to 5"}},
		{"ONS4 anxiety 11", `{"instrument":"ons4","answers":[0,0,0,11]}`, 422, map[string]string{"answers[3]": "Anxiety must be a whole number from 0 to 10"}},
		{"negative", `{"instrument":"gad7","answers":[-1,0,0,0,0,0,0]}`, 422, map[string]string{"answers[0]": "Item 1 must be a whole number from 0 to 3"}},
		{"huge", `{"instrument":"gad7","answers":[0,99999999999999999999999,0,0,0,0,0]}`, 422, map[string]string{"answers[1]": "Item 2 must be a whole number from 0 to 3"}},
		{"a string", `{"instrument":"gad7","answers":["3",0,0,0,0,0,0]}`, 422, map[string]string{"answers[0]": "Item 1 must be a whole number from 0 to 3, not text"}},
		{"a fraction", `{"instrument":"gad7","answers":[2.5,0,0,0,0,0,0]}`, 422, map[string]string{"answers[0]": "Item 1 must be a whole number from 0 to 3, or null if not answered"}},
		{"a whole number written as a fraction", `{"instrument":"gad7","answers":[3.0,0,0,0,0,0,0]}`, 422, map[string]string{"answers[0]": "whole number"}},
		{"an exponent", `{"instrument":"gad7","answers":[1e0,0,0,0,0,0,0]}`, 422, map[string]string{"answers[0]": "whole number"}},
		{"true", `{"instrument":"gad7","answers":[true,0,0,0,0,0,0]}`, 422, map[string]string{"answers[0]": "whole number"}},
		{"a list", `{"instrument":"gad7","answers":[[1],0,0,0,0,0,0]}`, 422, map[string]string{"answers[0]": "whole number"}},
		{"every bad answer named at once", `{"instrument":"ons4","answers":[-1,"x",null,12]}`, 422,
			map[string]string{"answers[0]": "Life satisfaction", "answers[1]": "Worthwhile", "answers[3]": "Anxiety"}},
		{"unknown field", `{"instrument":"phq9","answers":[0,0,0,0,0,0,0,0,0],"person":"x"}`, 400, nil},
		{"not JSON", `{"instrument":"phq9",`, 400, nil},
		{"a list, not an object", `[]`, 400, nil},
		{"two objects", `{}{}`, 400, nil},
		{"empty body", ``, 400, nil},
	}
	for _, tt := range refused {
		status, got := callAPI(t, e, tok, "POST", path, tt.body)
		var body struct {
			Code   string            `json:"code"`
			Fields map[string]string `json:"fields"`
		}
		if err := json.Unmarshal(got, &body); err != nil {
			t.Errorf("%s: %d %s is not an API error", tt.name, status, got)
			continue
		}
		if status != tt.status {
			t.Errorf("%s: %d %s, want %d", tt.name, status, got, tt.status)
		}
		if len(body.Fields) != len(tt.fields) {
			t.Errorf("%s: fields %v, want %v", tt.name, body.Fields, tt.fields)
		}
		for f, msg := range tt.fields {
			if !strings.Contains(body.Fields[f], msg) {
				t.Errorf("%s: field %s = %q, want %q", tt.name, f, body.Fields[f], msg)
			}
		}
	}
	// Not JSON at all is refused by its Content-Type.
	req, _ := http.NewRequest("POST", e.ts.URL+path, strings.NewReader("instrument=phq9"))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if res, err := e.ts.Client().Do(req); err != nil || res.StatusCode != http.StatusUnsupportedMediaType {
		t.Errorf("a form body: %v %v, want 415", res.StatusCode, err)
	}
}

// The authorisation matrix for the score API: every role by its API token.
// Staff who record measures (practitioner, co-ordinator, lead: case:edit)
// may score; every other role is 403, and no token or a bad one is 401.
func TestMeasureScoreRouteMatrix(t *testing.T) {
	e := newAuthEnv(t, storetest.SQLite(t))
	s, err := web.NewServer(web.Options{Store: e.db})
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Routes()["POST /api/v1/measures/score"]; got != access.PermCaseEdit {
		t.Fatalf("POST /api/v1/measures/score declares %q, want %q", got, access.PermCaseEdit)
	}
	allowed := []access.Role{access.RolePractitioner, access.RolePracticeCoordinator, access.RolePracticeLead}
	body := `{"instrument":"phq9","answers":[0,0,0,0,0,0,0,0,0]}`
	for _, r := range access.Roles() {
		want := http.StatusForbidden
		if containsRole(allowed, r) {
			want = http.StatusOK
		}
		if status, got := callAPI(t, e, e.account(r).APIToken, "POST", "/api/v1/measures/score", body); status != want {
			t.Errorf("%s: %d %s, want %d", r, status, got, want)
		}
	}
	for name, tok := range map[string]string{"no token": "", "a made-up token": "haven_notarealtoken"} {
		if status, _ := callAPI(t, e, tok, "POST", "/api/v1/measures/score", body); status != http.StatusUnauthorized {
			t.Errorf("%s: %d, want 401", name, status)
		}
	}
	// A signed-in browser session is not enough: the API takes tokens only.
	c := e.signIn(t, e.account(access.RolePractitioner))
	req, _ := http.NewRequest("POST", e.ts.URL+"/api/v1/measures/score", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if res, err := c.Do(req); err != nil || res.StatusCode != http.StatusUnauthorized {
		t.Errorf("a session cookie: %v %v, want 401", res.StatusCode, err)
	}
}
