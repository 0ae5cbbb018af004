package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"haven/internal/audit"
	"haven/internal/demo"
	"haven/internal/haven"
	"haven/internal/programme"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// The fixture's clock is 23 November 2026.
var fixtureToday = haven.NewDate(2026, 11, 23)

func sessionValues(day, note string) url.Values {
	return url.Values{"on-day": {day}, "on-month": {"11"}, "on-year": {"2026"}, "type": {"home-visit"}, "minutes": {"60"},
		"initiatedBy": {"her"}, "note": {note}}
}

// seedSession records a session directly, as the allocated practitioner.
func (f *fixture) seedSession(t *testing.T, note string) programme.Session {
	t.Helper()
	s, err := f.db.RecordSession(t.Context(), audit.Event{}, programme.Session{PersonID: f.person.ID, On: haven.NewDate(2026, 11, 2),
		Type: programme.SessionPhone, Minutes: 15, InitiatedBy: programme.InitiatedByHer, Note: note, CreatedBy: f.allocated.UserID}, fixtureToday, false)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func apiCall(t *testing.T, f *fixture, a demo.Account, method, path, body string) response {
	t.Helper()
	req, _ := http.NewRequest(method, f.ts.URL+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+a.APIToken)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	c := f.ts.Client()
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return response{res.StatusCode, res.Header, readAll(res)}
}

func TestSessionCreateListAndView(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		c := f.signIn(t, f.allocated)
		base := f.ts.URL + "/people/" + f.person.Ref + "/sessions"

		// The demo gives her some sessions already.
		demoSessions, err := db.SupportSessions(t.Context(), f.person.ID)
		if err != nil || len(demoSessions) < 3 || len(demoSessions) > 12 {
			t.Errorf("demo woman has %d sessions (%v), want 3 to 12", len(demoSessions), err)
		}
		if res := send(t, c, "GET", f.ts.URL+"/people/"+f.person.Ref, nil); !strings.Contains(res.body, `href="/people/`+f.person.Ref+`/sessions"`) || !strings.Contains(res.body, `/chronology"`) {
			t.Error("her record does not link to her sessions and chronology")
		}
		if res := send(t, c, "GET", base+"/new", nil); res.status != 200 || !strings.Contains(res.body, `data-autosave-url="/people/`+f.person.Ref+`/sessions/draft"`) {
			t.Errorf("new session form: %d", res.status)
		}

		invalid := []struct {
			name string
			edit func(url.Values)
			want []string
		}{
			{"future date", func(v url.Values) { v.Set("on-day", "24") }, []string{"must be today or in the past", `name="on-day" type="text" inputmode="numeric" value="24"`}},
			{"impossible date", func(v url.Values) { v.Set("on-day", "31"); v.Set("on-month", "2") }, []string{"must be a real date"}},
			{"before 1900", func(v url.Values) { v.Set("on-year", "1899") }, []string{"must be a real date"}},
			{"no type", func(v url.Values) { v.Del("type") }, []string{"Select the type of session", `href="#type"`}},
			{"bad minutes", func(v url.Values) { v.Set("minutes", "ninety") }, []string{"whole number of minutes", `value="ninety"`}},
			{"too many minutes", func(v url.Values) { v.Set("minutes", "601") }, []string{"between 1 and 600 minutes"}},
			{"no note", func(v url.Values) { v.Set("note", " ") }, []string{"Enter the case note"}},
			{"note too long", func(v url.Values) { v.Set("note", strings.Repeat("x", 20001)) }, []string{"Case note must be 20,000 characters or fewer"}},
			{"three decimal places", func(v url.Values) { v.Set("fundAmount", "1.234"); v.Set("fundCategory", "food") }, []string{"pounds and pence", `value="1.234"`}},
			{"over £5,000", func(v url.Values) { v.Set("fundAmount", "5000.01"); v.Set("fundCategory", "food") }, []string{"£5,000 or less"}},
			{"negative", func(v url.Values) { v.Set("fundAmount", "-1"); v.Set("fundCategory", "food") }, []string{"pounds and pence"}},
			{"amount without category", func(v url.Values) { v.Set("fundAmount", "3") }, []string{"Select what the money was spent on"}},
			{"category without amount", func(v url.Values) { v.Set("fundCategory", "travel") }, []string{"Enter the amount spent"}},
		}
		for _, tt := range invalid {
			v := sessionValues("20", "Kept <b>note</b> text")
			tt.edit(v)
			res := send(t, c, "POST", base, v)
			if res.status != 422 {
				t.Errorf("%s: status %d, want 422", tt.name, res.status)
				continue
			}
			for _, w := range append(tt.want, "There is a problem") {
				if !strings.Contains(res.body, w) {
					t.Errorf("%s: page lacks %q", tt.name, w)
				}
			}
			if v.Get("note") == "Kept <b>note</b> text" && !strings.Contains(res.body, "Kept &lt;b&gt;note&lt;/b&gt; text") {
				t.Errorf("%s: the typed note was not kept (escaped)", tt.name)
			}
		}
		if n, _ := db.SupportSessions(t.Context(), f.person.ID); len(n) != len(demoSessions) {
			t.Errorf("invalid posts saved sessions: %d, want %d", len(n), len(demoSessions))
		}

		v := sessionValues("20", "Talked about her housing.\n\nShe wants to decorate.")
		v.Set("fundAmount", "£12.50")
		v.Set("fundCategory", "travel")
		v.Set("practicalHelp", "Lift to the GP")
		v.Set("agencies", "GP surgery")
		res := send(t, c, "POST", base, v)
		loc := res.header.Get("Location")
		if res.status != 303 || !strings.HasPrefix(loc, "/people/"+f.person.Ref+"/sessions/") {
			t.Fatalf("create: %d to %q\n%s", res.status, loc, res.body)
		}
		res = send(t, c, "GET", f.ts.URL+loc, nil)
		for _, w := range []string{"Home visit on 20 November 2026", "£12.50 on Travel", "Talked about her housing.</p>", "She wants to decorate.", "Lift to the GP", "GP surgery", "She did"} {
			if !strings.Contains(res.body, w) {
				t.Errorf("session page lacks %q", w)
			}
		}
		list, _ := db.SupportSessions(t.Context(), f.person.ID)
		if len(list) != len(demoSessions)+1 {
			t.Fatalf("%d sessions after create", len(list))
		}
		var created programme.Session
		for _, s := range list {
			if s.Note == "Talked about her housing.\n\nShe wants to decorate." {
				created = s
			}
		}
		if created.FundPence != 1250 || created.FundCategory != programme.FundTravel || created.CreatedBy != f.allocated.UserID {
			t.Errorf("stored session %+v", created)
		}
		res = send(t, c, "GET", base, nil)
		if res.status != 200 || !strings.Contains(res.body, "/sessions/"+itoa(created.ID)+`">Home visit`) || !strings.Contains(res.body, "£12.50") {
			t.Errorf("list: %d, lacks the new session", res.status)
		}
		if res := send(t, c, "GET", base+"/999999", nil); res.status != 404 {
			t.Errorf("unknown session: %d", res.status)
		}
		if res := send(t, c, "GET", base+"/nonsense", nil); res.status != 404 {
			t.Errorf("malformed session id: %d", res.status)
		}
	})
}

// A correction keeps the original and records the reason; a stale one is
// refused with 409, keeping what was typed.
func TestSessionCorrections(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		s := f.seedSession(t, "She called about Monday's appointment.")
		page := f.ts.URL + "/people/" + f.person.Ref + "/sessions/" + itoa(s.ID)
		lead, prac := f.signIn(t, f.riverLead), f.signIn(t, f.allocated)
		correct := func(c *http.Client, version int64, note, reason string) response {
			return send(t, c, "POST", page+"/corrections", url.Values{"version": {itoa(version)}, "note": {note}, "reason": {reason}})
		}
		if res := correct(prac, 1, "She called about Tuesday's appointment.", ""); res.status != 422 || !strings.Contains(res.body, "Enter the reason for the correction") || !strings.Contains(res.body, "Tuesday&#39;s appointment") {
			t.Errorf("correction without a reason: %d", res.status)
		}
		if res := correct(prac, 1, "She called about Monday's appointment.", "No change"); res.status != 422 || !strings.Contains(res.body, "Change the note to correct it") {
			t.Errorf("a correction that changes nothing: %d", res.status)
		}
		if res := correct(prac, 1, "She called about Tuesday's appointment.", "Wrong day"); res.status != 303 {
			t.Fatalf("correction: %d", res.status)
		}
		res := correct(lead, 1, "She called about Wednesday's appointment.", "Also the wrong day")
		if res.status != 409 || !strings.Contains(res.body, "Someone else corrected this note") || !strings.Contains(res.body, "Wednesday&#39;s appointment") ||
			!strings.Contains(res.body, "Also the wrong day") || !strings.Contains(res.body, `name="version" value="2"`) {
			t.Errorf("stale correction: %d, want 409 keeping the typed text", res.status)
		}
		got, _ := db.SupportSession(t.Context(), f.person.ID, s.ID)
		if len(got.Corrections) != 1 || got.Note != "She called about Monday's appointment." || got.CurrentNote() != "She called about Tuesday's appointment." {
			t.Errorf("after the stale correction: %+v", got)
		}
		res = send(t, lead, "GET", page, nil)
		for _, w := range []string{"Corrected on 23 November 2026", "by <bdi>" + got.Corrections[0].ByName + "</bdi>: Wrong day", "Tuesday&#39;s appointment", "Original, recorded on", "Monday&#39;s appointment"} {
			if !strings.Contains(res.body, w) {
				t.Errorf("session page lacks %q", w)
			}
		}
		if strings.Index(res.body, "Tuesday&#39;s") > strings.Index(res.body, "Monday&#39;s") {
			t.Error("the original is shown above the current text")
		}
	})
}

// Without JavaScript, "Save as draft" keeps the form on the server; the form
// comes back filled in. Drafts are their author's alone, and saving the
// session removes the draft.
func TestSessionDrafts(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		prac, lead := f.signIn(t, f.allocated), f.signIn(t, f.riverLead)
		base := f.ts.URL + "/people/" + f.person.Ref + "/sessions"

		v := sessionValues("21", "Half-typed note about her week")
		v.Set("fundAmount", "1.234") // drafts keep even what would not yet be accepted
		v.Set("action", "draft")
		res := send(t, prac, "POST", base, v)
		if res.status != 303 || res.header.Get("Location") != "/people/"+f.person.Ref+"/sessions/new?draft=saved" {
			t.Fatalf("save as draft: %d to %q", res.status, res.header.Get("Location"))
		}
		res = send(t, prac, "GET", f.ts.URL+res.header.Get("Location"), nil)
		for _, w := range []string{"Draft saved at 9:0", "Half-typed note about her week</textarea>", `value="1.234"`, `value="21"`, `value="home-visit" checked`, "Discard draft"} {
			if !strings.Contains(res.body, w) {
				t.Errorf("form after saving a draft lacks %q", w)
			}
		}
		if res := send(t, prac, "GET", base, nil); !strings.Contains(res.body, "You have a draft session") {
			t.Error("the sessions list does not mention the draft")
		}

		// The lead sees none of it, and their own autosaved draft stays theirs.
		if res := send(t, lead, "GET", base+"/new", nil); strings.Contains(res.body, "Half-typed") || strings.Contains(res.body, "Discard draft") {
			t.Error("the lead sees the practitioner's draft")
		}
		res = send(t, lead, "POST", base+"/draft", url.Values{"note": {"Lead's own draft"}, "minutes": {"30"}, "action": {"ignored"}})
		var saved struct{ Status string }
		if res.status != 200 || json.Unmarshal([]byte(res.body), &saved) != nil || !strings.HasPrefix(saved.Status, "Draft saved at") {
			t.Errorf("autosave: %d %q", res.status, res.body)
		}
		if d, err := db.DraftFor(t.Context(), f.riverLead.UserID, f.person.ID); err != nil || strings.Contains(d.Body, "action") {
			t.Errorf("stored draft %q, %v: want only the form's fields", d.Body, err)
		}
		if res := send(t, prac, "GET", base+"/new", nil); strings.Contains(res.body, "Lead&#39;s own draft") || !strings.Contains(res.body, "Half-typed") {
			t.Error("drafts crossed between users")
		}
		// Someone who cannot see her record cannot save a draft for her.
		other := f.signIn(t, f.otherPrac)
		if res := send(t, other, "POST", base+"/draft", url.Values{"note": {"x"}}); res.status != 403 { // S16: offered break-glass
			t.Errorf("draft by someone without her record: %d", res.status)
		}

		// An autosave of an empty form leaves no draft behind.
		if res := send(t, lead, "POST", base+"/draft", url.Values{"note": {""}}); res.status != 200 || !strings.Contains(res.body, "no draft") {
			t.Errorf("autosave of an empty form: %d %s", res.status, res.body)
		}
		if _, err := db.DraftFor(t.Context(), f.riverLead.UserID, f.person.ID); err == nil {
			t.Error("an empty form left a draft")
		}
		send(t, lead, "POST", base+"/draft", url.Values{"note": {"Lead's own draft"}})

		// Saving the session deletes its author's draft.
		if res := send(t, prac, "POST", base, sessionValues("21", "The finished note")); res.status != 303 {
			t.Fatalf("save: %d", res.status)
		}
		if res := send(t, prac, "GET", base+"/new", nil); strings.Contains(res.body, "Half-typed") || strings.Contains(res.body, "Discard draft") {
			t.Error("the draft outlived the saved session")
		}
		if res := send(t, lead, "POST", base+"/draft/discard", url.Values{}); res.status != 303 {
			t.Errorf("discard: %d", res.status)
		}
		if _, err := db.DraftFor(t.Context(), f.riverLead.UserID, f.person.ID); err == nil {
			t.Error("the discarded draft is still there")
		}
	})
}

func TestChronology(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		s := f.seedSession(t, "SESSION-MARKER phone call about her week.")
		if err := db.CorrectSession(t.Context(), audit.Event{}, f.person.ID, s.ID, 1, "SESSION-MARKER phone call about her fortnight.", "CORRECTION-MARKER", f.allocated.UserID); err != nil {
			t.Fatal(err)
		}
		c := f.signIn(t, f.riverLead)
		base := f.ts.URL + "/people/" + f.person.Ref + "/chronology"
		tests := []struct {
			query         string
			want, notWant []string
		}{
			{"", []string{"moj-timeline__item", "SESSION-MARKER phone call about her fortnight", "CORRECTION-MARKER", "Phase changed to Engaging", "Referred to the programme", "Record created", `<time datetime="2026-11-02">2 November 2026</time>`, `value="session" checked`}, nil},
			{"?type=session", []string{"SESSION-MARKER", `value="session" checked`}, []string{"Phase changed to Engaging", "CORRECTION-MARKER", "Record created", `value="programme" checked`}},
			{"?type=programme", []string{"Phase changed to Engaging", "Referred to the programme"}, []string{"SESSION-MARKER", "Record created"}},
			{"?type=correction&type=record", []string{"CORRECTION-MARKER", "Record created"}, []string{"Phase changed to Engaging", "phone call about her fortnight"}},
			{"?type=nonsense", []string{"SESSION-MARKER", "Phase changed to Engaging"}, nil},
			{"?print=1&type=session", []string{"Printed by", "SESSION-MARKER phone call about her fortnight", "Showing sessions", `href="/people/` + f.person.Ref + `/chronology?type=session"`}, []string{"Phase changed to Engaging", "moj-timeline"}},
		}
		for _, tt := range tests {
			res := send(t, c, "GET", base+tt.query, nil)
			if res.status != 200 {
				t.Errorf("%s: %d", tt.query, res.status)
				continue
			}
			for _, w := range tt.want {
				if !strings.Contains(res.body, w) {
					t.Errorf("%s: lacks %q", tt.query, w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(res.body, w) {
					t.Errorf("%s: shows %q", tt.query, w)
				}
			}
			// Built from the records, never the audit trail.
			if strings.Contains(res.body, "authorisation-denied") || strings.Contains(res.body, "Viewed") {
				t.Errorf("%s: audit events in the chronology", tt.query)
			}
		}
		res := send(t, c, "GET", base, nil)
		if strings.Index(res.body, "SESSION-MARKER") > strings.Index(res.body, "Phase changed to Engaging") {
			t.Error("the chronology is not newest first: the November session comes after the earlier phase change")
		}
		if !strings.Contains(res.body, `href="/people/`+f.person.Ref+`/chronology?print=1"`) {
			t.Error("no print link")
		}
	})
}

// Another Practice's lead gets 404 on every sessions route, and a
// practitioner in her Practice without her record 403 with break-glass
// (S16, refusal.go); nothing is written.
func TestSessionsPracticeIsolation(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		s := f.seedSession(t, "Private note.")
		ref := f.person.Ref
		id := itoa(s.ID)
		pages := []struct {
			method, path string
			form         url.Values
		}{
			{"GET", "/people/" + ref + "/sessions", nil},
			{"GET", "/people/" + ref + "/sessions/new", nil},
			{"POST", "/people/" + ref + "/sessions", sessionValues("20", "Intruder")},
			{"POST", "/people/" + ref + "/sessions", url.Values{"action": {"draft"}, "note": {"Intruder"}}},
			{"POST", "/people/" + ref + "/sessions/draft", url.Values{"note": {"Intruder"}}},
			{"POST", "/people/" + ref + "/sessions/draft/discard", url.Values{}},
			{"GET", "/people/" + ref + "/sessions/" + id, nil},
			{"POST", "/people/" + ref + "/sessions/" + id + "/corrections", url.Values{"version": {"1"}, "note": {"Intruder"}, "reason": {"Intruder"}}},
			{"GET", "/people/" + ref + "/chronology", nil},
			{"GET", "/people/" + ref + "/chronology?print=1", nil},
		}
		apis := []struct{ method, path, body string }{
			{"GET", "/api/v1/people/" + ref + "/sessions", ""},
			{"GET", "/api/v1/people/" + ref + "/sessions/" + id, ""},
			{"POST", "/api/v1/people/" + ref + "/sessions", `{"date":"2026-11-20","type":"video","minutes":30,"initiatedBy":"her","note":"Intruder"}`},
		}
		for name, a := range map[string]demo.Account{"hillcrest lead": f.otherLead, "unallocated practitioner": f.otherPrac} {
			c := f.signIn(t, a)
			want := 404
			if name == "unallocated practitioner" {
				want = 403
			}
			for _, p := range pages {
				if res := send(t, c, p.method, f.ts.URL+p.path, p.form); res.status != want || strings.Contains(res.body, "Private note") {
					t.Errorf("%s %s %s: %d, want %d", name, p.method, strings.Replace(p.path, ref, "{ref}", 1), res.status, want)
				}
			}
			for _, p := range apis {
				if res := apiCall(t, f, a, p.method, p.path, p.body); res.status != want || strings.Contains(res.body, "Private note") {
					t.Errorf("%s API %s %s: %d, want %d", name, p.method, strings.Replace(p.path, ref, "{ref}", 1), res.status, want)
				}
			}
		}
		// A woman in another Practice is just as invisible from this side.
		c := f.signIn(t, f.riverLead)
		if res := send(t, c, "GET", f.ts.URL+"/people/"+f.hillcrest.Ref+"/sessions", nil); res.status != 404 {
			t.Errorf("riverside lead on a Hillcrest woman's sessions: %d", res.status)
		}
		list, _ := db.SupportSessions(t.Context(), f.person.ID)
		for _, s := range list {
			if strings.Contains(s.CurrentNote(), "Intruder") {
				t.Error("an intruder's session or correction was saved")
			}
		}
		for _, a := range []demo.Account{f.otherLead, f.otherPrac} {
			if _, err := db.DraftFor(t.Context(), a.UserID, f.person.ID); err == nil {
				t.Error("an intruder's draft was saved")
			}
		}
	})
}

// S31: each view of sessions, a session or the chronology writes one audit
// row before the page is sent, on the pages and through the API.
func TestSessionViewsAreAudited(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		s := f.seedSession(t, "Audited note.")
		count := func(action audit.Action) map[string]int {
			evs, err := db.SearchAudit(t.Context(), store.AuditFilter{RecordType: "person", RecordID: itoa(f.person.ID), Action: string(action), Page: store.Page{Limit: 500}})
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]int{}
			for _, e := range evs {
				if e.UserID == f.allocated.UserID {
					out[e.Section]++
				}
			}
			return out
		}
		c := f.signIn(t, f.allocated)
		base := "/people/" + f.person.Ref
		for _, p := range []string{base + "/sessions", base + "/sessions/" + itoa(s.ID), base + "/chronology", base + "/chronology?print=1"} {
			if res := send(t, c, "GET", f.ts.URL+p, nil); res.status != 200 {
				t.Fatalf("GET %s: %d", p, res.status)
			}
		}
		apiCall(t, f, f.allocated, "GET", "/api/v1"+base+"/sessions", "")
		apiCall(t, f, f.allocated, "GET", "/api/v1"+base+"/sessions/"+itoa(s.ID), "")
		want := map[string]int{"sessions": 2, "session": 2, "chronology": 1}
		got := count(audit.View)
		for k, n := range want {
			if got[k] != n {
				t.Errorf("%d view rows for %q, want %d (all: %v)", got[k], k, n, got)
			}
		}
		if p := count(audit.Print); p["chronology"] != 1 {
			t.Errorf("print rows %v, want one for the chronology", p)
		}
		// Changes are audited with them: a create and an update.
		send(t, c, "POST", f.ts.URL+base+"/sessions", sessionValues("22", "Another"))
		send(t, c, "POST", f.ts.URL+base+"/sessions/"+itoa(s.ID)+"/corrections", url.Values{"version": {"1"}, "note": {"Changed"}, "reason": {"Typo"}})
		if n := count(audit.Create)["session"]; n != 1 {
			t.Errorf("%d create rows for the new session", n)
		}
		if n := count(audit.Update)["session"]; n != 1 {
			t.Errorf("%d update rows for the correction", n)
		}
		// Drafts are not record changes and write nothing.
		before := count(audit.Update)["session"] + count(audit.Create)["session"]
		send(t, c, "POST", f.ts.URL+base+"/sessions/draft", url.Values{"note": {"draft"}})
		if after := count(audit.Update)["session"] + count(audit.Create)["session"]; after != before {
			t.Error("saving a draft wrote an audit row")
		}
	})
}

func TestSessionsAPI(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		path := "/api/v1/people/" + f.person.Ref + "/sessions"
		// A browser draft survives a session sent through the API.
		if _, err := db.SaveDraft(t.Context(), f.allocated.UserID, f.person.ID, "note=half"); err != nil {
			t.Fatal(err)
		}
		res := apiCall(t, f, f.allocated, "POST", path, `{"date":"2026-11-20","type":"accompanied","minutes":90,"initiatedBy":"practitioner","note":"API note.","fundPence":1250,"fundCategory":"travel","agencies":"GP surgery"}`)
		if res.status != 201 {
			t.Fatalf("create: %d %s", res.status, res.body)
		}
		var created struct {
			ID        int64  `json:"id"`
			Date      string `json:"date"`
			FundPence *int64 `json:"fundPence"`
			Note      string `json:"note"`
			Version   int64  `json:"version"`
		}
		if err := json.Unmarshal([]byte(res.body), &created); err != nil || created.Date != "2026-11-20" || created.FundPence == nil || *created.FundPence != 1250 || created.Version != 1 {
			t.Errorf("created %+v, %v", created, err)
		}
		if res.header.Get("Location") != path+"/"+itoa(created.ID) {
			t.Errorf("Location %q", res.header.Get("Location"))
		}
		if _, err := db.DraftFor(t.Context(), f.allocated.UserID, f.person.ID); err != nil {
			t.Error("the API deleted the browser draft")
		}

		invalid := []struct {
			name, body string
			status     int
			field      string
		}{
			{"future", `{"date":"2026-11-24","type":"video","minutes":30,"initiatedBy":"her","note":"x"}`, 422, "date"},
			{"bad date", `{"date":"20/11/2026","type":"video","minutes":30,"initiatedBy":"her","note":"x"}`, 422, "date"},
			{"too much money", `{"date":"2026-11-20","type":"video","minutes":30,"initiatedBy":"her","note":"x","fundPence":500001,"fundCategory":"food"}`, 422, "fundPence"},
			{"pence without category", `{"date":"2026-11-20","type":"video","minutes":30,"initiatedBy":"her","note":"x","fundPence":100}`, 422, "fundCategory"},
			{"unknown type", `{"date":"2026-11-20","type":"party","minutes":30,"initiatedBy":"her","note":"x"}`, 422, "type"},
			{"no note", `{"date":"2026-11-20","type":"video","minutes":30,"initiatedBy":"her"}`, 422, "note"},
			{"money as a float", `{"date":"2026-11-20","type":"video","minutes":30,"initiatedBy":"her","note":"x","fundPence":12.5,"fundCategory":"food"}`, 400, ""},
			{"unknown field", `{"date":"2026-11-20","colour":"red"}`, 400, ""},
			{"not JSON", `date=2026-11-20`, 400, ""},
			{"two objects", `{} {}`, 400, ""},
		}
		for _, tt := range invalid {
			res := apiCall(t, f, f.allocated, "POST", path, tt.body)
			var e struct {
				Code   string            `json:"code"`
				Fields map[string]string `json:"fields"`
			}
			if res.status != tt.status || json.Unmarshal([]byte(res.body), &e) != nil {
				t.Errorf("%s: %d %s, want %d", tt.name, res.status, res.body, tt.status)
				continue
			}
			if tt.field != "" && (e.Code != "invalid" || e.Fields[tt.field] == "") {
				t.Errorf("%s: %+v, want an error on %s", tt.name, e, tt.field)
			}
		}

		res = apiCall(t, f, f.riverLead, "GET", path, "")
		var list struct {
			Sessions []struct {
				ID   int64  `json:"id"`
				Note string `json:"note"`
			} `json:"sessions"`
		}
		if res.status != 200 || json.Unmarshal([]byte(res.body), &list) != nil || len(list.Sessions) < 4 {
			t.Fatalf("list: %d %s", res.status, res.body)
		}
		found := false
		for _, s := range list.Sessions {
			found = found || (s.ID == created.ID && s.Note == "API note.")
		}
		if !found {
			t.Error("the created session is not in the list")
		}
		if res := apiCall(t, f, f.riverLead, "GET", path+"/"+itoa(created.ID), ""); res.status != 200 || !strings.Contains(res.body, `"note":"API note."`) || res.header.Get("ETag") != `"1"` {
			t.Errorf("show: %d %s", res.status, res.body)
		}
		if res := apiCall(t, f, f.riverLead, "GET", path+"/999999", ""); res.status != 404 {
			t.Errorf("unknown session: %d", res.status)
		}
	})
}
