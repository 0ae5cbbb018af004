package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"haven/internal/audit"
	"haven/internal/programme"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// lastWrite is the newest audit row of any change: every write of personal
// data has one, in the same transaction, so an unchanged value means nothing
// was stored.
func lastWrite(t *testing.T, db *store.DB) int64 {
	t.Helper()
	var last int64
	for _, a := range []audit.Action{audit.Create, audit.Update, audit.Delete} {
		ev, err := db.SearchAudit(t.Context(), store.AuditFilter{Action: string(a), Page: store.Page{Limit: 1}})
		if err != nil {
			t.Fatal(err)
		}
		if len(ev) > 0 {
			last = max(last, ev[0].ID)
		}
	}
	return last
}

// badText is what no text field may hold (SECURITY S22, issue 16 item 3),
// as it goes inside a JSON string: escaped, or raw where JSON allows it raw.
var badText = []struct{ name, json, form string }{
	{"NUL", `\u0000`, "\x00"},
	{"ESC", `\u001b[2J`, "\x1b[2J"},
	{"BEL", `\u0007`, "\x07"},
	{"lone CR", `\r`, "\r"},
	{"DEL", "\x7f", "\x7f"},
	{"C1 control, raw", "\u009b", "\u009b"},
	{"C1 control, escaped", `\u0085`, "\u0085"},
	{"invalid UTF-8", "\xff", "\xff"},
	{"lone surrogate escape", `\ud800`, "\xed\xa0\x80"},
}

// S22: every JSON API refuses invalid UTF-8 and control characters with a
// 422 naming the field by its JSON path, on both databases, and stores
// nothing; the same body with ordinary text (a CRLF included) is taken.
func TestS22TextFieldsRefuseControlsOnEveryAPI(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.freshPerson(t)
		base := "/api/v1/people/" + f.person.Ref
		call := func(path, body string) (int, map[string]any) {
			req, _ := http.NewRequest("POST", f.ts.URL+path, strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+f.allocated.APIToken)
			req.Header.Set("Content-Type", "application/json")
			res := tlsDo(t, f, req)
			var out map[string]any
			json.Unmarshal([]byte(res.body), &out)
			return res.status, out
		}
		if status, body := call(base+"/children", `{"name":"Jay","bornOn":"2022-05-01","legalStatus":"adopted","placement":"adoptive-family"}`); status != 201 {
			t.Fatalf("child: %d %v", status, body)
		}
		rec, _ := db.Contact(t.Context(), f.person.ID)
		jay := itoa(rec.Children[0].ID)
		if status, body := call(base+"/arrangements", `{"childId":`+jay+`,"type":"letterbox","frequency":"Yearly","arrangedBy":"adoption-agency","basis":"adoption-contact-plan","startOn":"2023-03-01"}`); status != 201 {
			t.Fatalf("arrangement: %d %v", status, body)
		}
		rec, _ = db.Contact(t.Context(), f.person.ID)
		arr := itoa(rec.Arrangements[0].ID)
		apis := []struct{ name, path, body, field string }{
			{"children API", base + "/children", `{"name":"Kai{}","bornOn":"2022-05-01","legalStatus":"adopted","placement":"adoptive-family"}`, "name"},
			{"contact API: arrangement", base + "/arrangements", `{"childId":` + jay + `,"type":"letterbox","frequency":"Twice{}","arrangedBy":"adoption-agency","basis":"adoption-contact-plan","startOn":"2023-03-01"}`, "frequency"},
			{"contact API: contact session", base + "/contact-sessions", `{"arrangementId":` + arr + `,"plannedOn":"2026-12-01","herWords":"Went well{}"}`, "herWords"},
			{"sessions API", base + "/sessions", `{"date":"2026-11-20","type":"video","minutes":30,"initiatedBy":"her","note":"Talked it through{}"}`, "note"},
			{"self-referral API", "/api/v1/self-referrals", `{"firstName":"Robin","lastName":"Testcase","email":"robin@example.invalid","laCode":"E10000016","safeChannels":["email"],"communicationNeeds":"Interpreter{}","childrenRemoved":"3+","careExperienced":"no","consent":true,"dateOfBirth":"1995-06-01"}`, "communicationNeeds"},
		}
		for _, api := range apis {
			for _, bad := range badText {
				t.Run(api.name+"/"+bad.name, func(t *testing.T) {
					before := lastWrite(t, db)
					status, body := call(api.path, strings.Replace(api.body, "{}", bad.json, 1))
					fields, _ := body["fields"].(map[string]any)
					msg, _ := fields[api.field].(string)
					if status != 422 || body["code"] != "invalid" || !strings.HasPrefix(msg, api.field+" ") {
						t.Errorf("%d %v, want 422 naming %s", status, body, api.field)
					}
					if lastWrite(t, db) != before {
						t.Error("something was stored")
					}
				})
			}
			// A CRLF is a newline (haven.CheckText): the same call with it is taken.
			if status, body := call(api.path, strings.Replace(api.body, "{}", `\r\nand more`, 1)); status != 201 {
				t.Errorf("%s with ordinary text: %d %v", api.name, status, body)
			}
		}
	})
}

// S22: a form holding invalid UTF-8 or a control character is a 422 page
// naming the field, with an error summary and what she typed shown back with
// the character marked (never echoed), and nothing stored, on both databases.
func TestS22FormsRefuseControls(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.freshPerson(t)
		c := f.signIn(t, f.allocated)
		base := f.ts.URL + "/people/" + f.person.Ref
		forms := []struct {
			name, path string
			form       func(bad string) url.Values
			label      string // as the page names the field
		}{
			{"person around her", base + "/people-around", func(bad string) url.Values {
				return url.Values{"aroundName": {"Jo" + bad}, "relationship": {"Sister"}}
			}, "Name"},
			{"session note", base + "/sessions", func(bad string) url.Values { return sessionValues("20", "Talked it through"+bad) }, "Note"},
		}
		for _, fm := range forms {
			for _, bad := range badText {
				t.Run(fm.name+"/"+bad.name, func(t *testing.T) {
					before := lastWrite(t, db)
					res := send(t, c, "POST", fm.path, fm.form(bad.form))
					if res.status != 422 {
						t.Fatalf("status %d, want 422", res.status)
					}
					for _, want := range []string{"govuk-error-summary", `href="#entered-`, fm.label + " must not contain control characters", "What you entered", "\uFFFD"} {
						if bad.name == "invalid UTF-8" || bad.name == "lone surrogate escape" {
							want = strings.Replace(want, "must not contain control characters", "contains characters Haven cannot read", 1)
						}
						if !strings.Contains(res.body, want) {
							t.Errorf("page lacks %q", want)
						}
					}
					if strings.Contains(res.body, bad.form) {
						t.Error("the page echoes the character")
					}
					if lastWrite(t, db) != before {
						t.Error("something was stored")
					}
				})
			}
			if res := send(t, c, "POST", fm.path, fm.form("\r\nwith a line break")); res.status != 303 {
				t.Errorf("%s with a CRLF: %d, want 303", fm.name, res.status)
			}
		}
		// S22: each refusal is one security log line, naming no value.
		logs := f.logs.after(`"event":"text_refused"`)
		if n := strings.Count(logs, `"event":"text_refused"`); n != len(forms)*len(badText) {
			t.Errorf("%d text_refused log lines, want %d", n, len(forms)*len(badText))
		}
		if strings.Contains(logs, "Talked it through") || strings.Contains(logs, "Sister") {
			t.Error("the log holds what was typed")
		}
	})
}

// fieldsOf is an API error body's per-field messages.
func fieldsOf(body map[string]any) map[string]string {
	out := map[string]string{}
	fields, _ := body["fields"].(map[string]any)
	for k, v := range fields {
		out[k], _ = v.(string)
	}
	return out
}

// S22: a name holding a bidirectional control (U+202E and the rest) is
// refused on the forms and the API, 422 naming the field, nothing stored,
// on both databases (issue 16 item 4).
func TestS22NamesRefuseBidiControlsOnFormsAndAPI(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.freshPerson(t)
		c := f.signIn(t, f.allocated)
		const rlo = "Anna\u202Eesactset"
		person := url.Values{"firstName": {"Sky"}, "lastName": {"Freshcase"}, "dateOfBirth-day": {"1"}, "dateOfBirth-month": {"6"},
			"dateOfBirth-year": {"1995"}, "safeChannels": {"text"}, "version": {itoa(f.person.Version)}}
		withName := func(v url.Values, k, name string) url.Values {
			out := url.Values{}
			for key, vs := range v {
				out[key] = vs
			}
			out.Set(k, name)
			return out
		}
		forms := []struct {
			name, path string
			form       url.Values
			want       string
		}{
			{"her first name", "/people/" + f.person.Ref, withName(person, "firstName", rlo), "First name must not contain hidden characters"},
			{"her preferred name, isolate", "/people/" + f.person.Ref, withName(person, "preferredName", "\u2067Jo\u2069"), "Preferred name must not contain hidden characters"},
			{"a person around her", "/people/" + f.person.Ref + "/people-around", url.Values{"aroundName": {"Jo\u200F"}, "relationship": {"Sister"}}, "Name must not contain hidden characters"},
			{"self-referral form", "/refer", withName(selfForm("Robin"), "lastName", "\u202ATestcase"), "Your last name must not contain hidden characters"},
		}
		for _, fm := range forms {
			t.Run(fm.name, func(t *testing.T) {
				before := lastWrite(t, db)
				res := send(t, c, "POST", f.ts.URL+fm.path, fm.form)
				if res.status != 422 || !strings.Contains(res.body, fm.want) || !strings.Contains(res.body, "govuk-error-summary") {
					t.Errorf("%d, want 422 with %q", res.status, fm.want)
				}
				if lastWrite(t, db) != before {
					t.Error("something was stored")
				}
			})
		}
		// Without the control, the same form is taken: the test is of the character, not the form.
		if res := send(t, c, "POST", f.ts.URL+"/people/"+f.person.Ref, person); res.status != 303 {
			t.Errorf("her details without a bidi control: %d", res.status)
		}
		apis := []struct{ name, path, body, field, want string }{
			{"children API", "/api/v1/people/" + f.person.Ref + "/children", `{"name":"Jay\u202e","bornOn":"2022-05-01","legalStatus":"adopted","placement":"adoptive-family"}`, "name", "First name or initials must not contain hidden characters"},
			{"self-referral API", "/api/v1/self-referrals", `{"firstName":"` + rlo + `","lastName":"Testcase","email":"robin@example.invalid","laCode":"E10000016","safeChannels":["email"],"childrenRemoved":"3+","careExperienced":"no","consent":true,"dateOfBirth":"1995-06-01"}`, "firstName", "Your first name must not contain hidden characters"},
		}
		for _, api := range apis {
			t.Run(api.name, func(t *testing.T) {
				before := lastWrite(t, db)
				status, body := callJSON(t, f.authEnv, "POST", api.path, strings.NewReader(api.body), f.allocated.APIToken)
				if status != 422 || !strings.HasPrefix(fieldsOf(body)[api.field], api.want) {
					t.Errorf("%d %v, want 422: %s: %q", status, body, api.field, api.want)
				}
				if lastWrite(t, db) != before {
					t.Error("something was stored")
				}
			})
		}
	})
}

// S21 (output encoded for its context), S22: a name is shown inside <bdi> wherever it sits among other words, so that
// one written right to left cannot reorder what is around it: the people
// list and its search results, her record's heading and identity bar, and
// the triage queue (issue 16 item 4).
func TestNamesAreShownInsideBdi(t *testing.T) {
	db := storetest.SQLite(t)
	f := newFixture(t, db)
	p, err := db.CreatePerson(t.Context(), audit.Event{}, mustActor(t, db, f.riverLead.UserID),
		programme.Person{PracticeID: f.person.PracticeID, PractitionerID: f.allocated.UserID, FirstName: "أمل", LastName: "Testcase"})
	if err != nil {
		t.Fatal(err)
	}
	if status, body := postJSON(t, f.authEnv, "/api/v1/self-referrals", apiSelf("نور")); status != 201 {
		t.Fatalf("referral: %d %v", status, body)
	}
	name := "<bdi>أمل Testcase</bdi>"
	c := f.signIn(t, f.allocated)
	pages := []struct {
		what   string
		c      *http.Client
		method string
		path   string
		form   url.Values
		want   string
	}{
		{"people list", c, "GET", "/people", nil, `href="/people/` + p.Ref + `">` + name + `</a>`},
		{"search results", c, "POST", "/people/search", url.Values{"q": {"أمل"}}, `href="/people/` + p.Ref + `">` + name + `</a>`},
		{"her record's heading", c, "GET", "/people/" + p.Ref, nil, `<h1 class="govuk-heading-l">` + name + `</h1>`},
		{"the identity bar", c, "GET", "/people/" + p.Ref + "/sessions", nil, `<strong>` + name + `</strong>`},
		{"the identity bar's practitioner", c, "GET", "/people/" + p.Ref, nil, "practitioner: <bdi>"},
		{"the triage queue", f.signIn(t, f.otherLead), "GET", "/triage", nil, "<bdi>نور Testcase</bdi>"},
	}
	for _, pg := range pages {
		res := send(t, pg.c, pg.method, f.ts.URL+pg.path, pg.form)
		if res.status != 200 || !strings.Contains(res.body, pg.want) {
			t.Errorf("%s: %d, lacks %s", pg.what, res.status, pg.want)
		}
	}
}
