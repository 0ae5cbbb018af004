package web_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"haven/internal/store"
	"haven/internal/store/storetest"
)

// S22, S23: an impossible date in any API that takes dates
// is 422 naming the field by its JSON name, as the sessions API always did,
// and stores nothing. Before, the children, goals and enrolments APIs (and
// the rest of the contact API) answered 400 "could not be read" naming none,
// and a number where a date belongs was 400 in the sessions API too.
func TestAPIDatesAre422NamingTheField(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.freshPerson(t)
		base := "/api/v1/people/" + f.person.Ref
		call := func(method, path, body string) response {
			t.Helper()
			req, _ := http.NewRequest(method, f.ts.URL+path, strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+f.allocated.APIToken)
			req.Header.Set("Content-Type", "application/json")
			return tlsDo(t, f, req)
		}
		mustCreate := func(path, body string) {
			t.Helper()
			if res := call("POST", base+path, body); res.status != 201 {
				t.Fatalf("POST %s: %d %s", path, res.status, res.body)
			}
		}
		// One of everything, so that every update route has something to update.
		mustCreate("/enrolments", `{"referredOn":"2026-10-01"}`)
		mustCreate("/children", `{"name":"Jay","bornOn":"2022-05-01","removedOn":"2022-05-03","legalStatus":"adopted","placement":"adoptive-family"}`)
		rec, _ := db.Contact(t.Context(), f.person.ID)
		child := itoa(rec.Children[0].ID)
		mustCreate("/arrangements", `{"childId":`+child+`,"type":"letterbox","frequency":"Yearly","arrangedBy":"adoption-agency","basis":"adoption-contact-plan","startOn":"2023-03-01"}`)
		rec, _ = db.Contact(t.Context(), f.person.ID)
		arr := itoa(rec.Arrangements[0].ID)
		mustCreate("/changes", `{"arrangementId":`+arr+`,"arrangementVersion":1,"aspect":"frequency","from":"Yearly","to":"Twice a year","effectiveOn":"2026-10-01","changedBy":"adopters-carers","reasonGiven":"not-known"}`)
		mustCreate("/letterbox", `{"arrangementId":`+arr+`,"direction":"to-her"}`)
		mustCreate("/contact-sessions", `{"arrangementId":`+arr+`,"plannedOn":"2026-12-01"}`)
		rec, _ = db.Contact(t.Context(), f.person.ID)
		es, _ := db.Enrolments(t.Context(), f.person.ID)
		change, letter, session, enrolment := itoa(rec.Changes[0].ID), itoa(rec.Letterbox[0].ID), itoa(rec.Sessions[0].ID), itoa(es[0].ID)

		// Each API that takes a date, with a body that is right but for the date.
		apis := []struct {
			method, path, field, body string // body has DATE where the date goes
		}{
			{"POST", "/enrolments", "referredOn", `{"referredOn":DATE}`},
			{"POST", "/enrolments/" + enrolment + "/phase", "on", `{"to":"engaged","on":DATE,"version":1}`},
			{"POST", "/goals", "targetOn", `{"domain":"housing","words":"A flat of my own","targetOn":DATE}`},
			{"POST", "/children", "bornOn", `{"name":"Kit","bornOn":DATE,"legalStatus":"adopted","placement":"adoptive-family"}`},
			{"POST", "/children", "removedOn", `{"name":"Kit","bornOn":"2021-01-01","removedOn":DATE,"legalStatus":"adopted","placement":"adoptive-family"}`},
			{"PUT", "/children/" + child, "placementFrom", `{"legalStatus":"adopted","placement":"adoptive-family","placementFrom":DATE,"version":1}`},
			{"POST", "/proceedings", "issuedOn", `{"issuedOn":DATE,"court":"Leeds","childIds":[` + child + `],"outcome":"placement-order"}`},
			{"POST", "/proceedings", "finalHearingOn", `{"issuedOn":"2022-05-02","court":"Leeds","childIds":[` + child + `],"finalHearingOn":DATE,"outcome":"placement-order"}`},
			{"POST", "/arrangements", "startOn", `{"childId":` + child + `,"type":"letterbox","frequency":"Yearly","arrangedBy":"adoption-agency","basis":"adoption-contact-plan","startOn":DATE}`},
			{"PUT", "/arrangements/" + arr, "nextReviewOn", `{"lastReviewOn":"2026-11-01","nextReviewOn":DATE,"version":2}`},
			{"POST", "/changes", "effectiveOn", `{"arrangementId":` + arr + `,"arrangementVersion":2,"aspect":"frequency","from":"Twice a year","to":"Yearly","effectiveOn":DATE,"changedBy":"adopters-carers","reasonGiven":"not-known"}`},
			{"POST", "/changes", "toldOn", `{"arrangementId":` + arr + `,"arrangementVersion":2,"aspect":"frequency","from":"Twice a year","to":"Yearly","effectiveOn":"2026-11-01","changedBy":"adopters-carers","reasonGiven":"yes","reason":"Moved","toldOn":DATE}`},
			{"POST", "/changes/" + change + "/explanations", "toldOn", `{"reason":"They moved","toldHow":"In person","toldOn":DATE,"toldBy":"Me"}`},
			{"POST", "/contact-sessions", "plannedOn", `{"arrangementId":` + arr + `,"plannedOn":DATE}`},
			{"PUT", "/contact-sessions/" + session, "plannedOn", `{"plannedOn":DATE,"version":1}`},
			{"POST", "/letterbox", "dueOn", `{"arrangementId":` + arr + `,"direction":"to-her","dueOn":DATE}`},
			{"PUT", "/letterbox/" + letter, "sentOn", `{"sentOn":DATE,"status":"sent","version":1}`},
			{"POST", "/sessions", "date", `{"date":DATE,"type":"video","minutes":30,"initiatedBy":"her","note":"Talked about housing"}`},
		}
		impossible := []string{`"2023-02-30"`, `"0000-01-01"`, `"9999-12-31"`, `"2023-13-01"`, `"1899-12-31"`, `"2201-01-01"`, `"not a date"`,
			`"2023-1-1"`, `"2023-01-01T00:00:00Z"`, `20230101`, `true`, `{}`, `["2023-01-01"]`}

		before := snapshot(t, call, base)
		for _, api := range apis {
			for _, d := range impossible {
				res := call(api.method, base+api.path, strings.Replace(api.body, "DATE", d, 1))
				var got struct {
					Code   string            `json:"code"`
					Fields map[string]string `json:"fields"`
				}
				_ = json.Unmarshal([]byte(res.body), &got)
				if res.status != http.StatusUnprocessableEntity || got.Fields[api.field] == "" || !strings.Contains(got.Fields[api.field], api.field) {
					t.Errorf("%s %s with %s %s: %d %s", api.method, api.path, api.field, d, res.status, res.body)
				}
			}
		}
		if after := snapshot(t, call, base); after != before {
			t.Errorf("impossible dates changed her record:\nbefore %s\nafter  %s", before, after)
		}

		// The public self-referral API reads her date of birth the same way.
		referrals := referralRows(t, db, "create")
		for _, d := range []any{"2023-02-30", "9999-12-31", 19950601} {
			in := apiSelf("Datecheck")
			in["dateOfBirth"] = d
			status, body := postJSON(t, f.authEnv, "/api/v1/self-referrals", in)
			fields, _ := body["fields"].(map[string]any)
			if msg, _ := fields["dateOfBirth"].(string); status != 422 || !strings.Contains(msg, "dateOfBirth") {
				t.Errorf("self-referral with dateOfBirth %v: %d %v", d, status, body)
			}
		}
		if referralRows(t, db, "create") != referrals {
			t.Error("a self-referral with an impossible date was stored")
		}
	})
}

// snapshot is everything the API shows of her record that a date could be put into.
func snapshot(t *testing.T, call func(method, path, body string) response, base string) string {
	t.Helper()
	var b strings.Builder
	for _, path := range []string{"/enrolments", "/goals", "/children", "/proceedings", "/arrangements", "/changes", "/contact-sessions", "/letterbox", "/sessions"} {
		res := call("GET", base+path, "")
		if res.status != 200 {
			t.Fatalf("GET %s: %d", path, res.status)
		}
		b.WriteString(res.body)
	}
	return b.String()
}
