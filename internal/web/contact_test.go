package web_test

import (
	"bytes"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/contact"
	"haven/internal/haven"
	"haven/internal/store"
	"haven/internal/store/storetest"
	"haven/internal/web"
)

func dateForm(v url.Values, name string, day, month, year string) url.Values {
	v.Set(name+"-day", day)
	v.Set(name+"-month", month)
	v.Set(name+"-year", year)
	return v
}

// The whole contact journey through the pages: bad dates keep what was
// typed, a change cannot be saved without the reason question, an
// unexplained change raises a task that clears once she is told, the letter
// prints and downloads and is recorded, and the report moves.
func TestContactJourney(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.freshPerson(t)
		c := f.signIn(t, f.allocated)
		base := f.ts.URL + "/people/" + f.person.Ref + "/contact"
		ctx := t.Context()

		if res := send(t, c, "GET", base, nil); res.status != 200 || !strings.Contains(res.body, "No children recorded yet") {
			t.Fatalf("contact page: %d", res.status)
		}
		if res := send(t, c, "GET", f.ts.URL+"/people/"+f.person.Ref, nil); !strings.Contains(res.body, `href="/people/`+f.person.Ref+`/contact"`) {
			t.Error("her record does not link to children and contact")
		}
		child := url.Values{"name": {"Jay"}, "legalStatus": {"placement-order"}, "placement": {"foster-care"}, "la": {"E08000035"}}
		dateForm(child, "born", "1", "5", "2022")
		dateForm(child, "removed", "1", "4", "2022")
		res := send(t, c, "POST", base+"/children", child)
		if res.status != 422 || !strings.Contains(res.body, "on or after their date of birth") || !strings.Contains(res.body, `value="Jay"`) {
			t.Errorf("removal before birth: %d", res.status)
		}
		dateForm(child, "removed", "3", "5", "2022")
		child.Set(web.IdempotencyField, "contact-journey-key-0001")
		first := send(t, c, "POST", base+"/children", child)
		if first.status != 303 {
			t.Fatalf("add child: %d\n%s", first.status, first.body)
		}
		// The same form sent again (a double click) makes no second child and goes where the first went.
		if again := send(t, c, "POST", base+"/children", child); again.status != 303 || again.header.Get("Location") != first.header.Get("Location") {
			t.Errorf("repeated child form: %d to %q, want 303 to %q", again.status, again.header.Get("Location"), first.header.Get("Location"))
		}
		rec, _ := db.Contact(ctx, f.person.ID)
		if len(rec.Children) != 1 {
			t.Fatalf("%d children, want 1: a refused or repeated form wrote something", len(rec.Children))
		}
		jay := itoa(rec.Children[0].ID)

		pr := url.Values{"court": {"Family Court at Leeds"}, "children": {jay}, "outcome": {"placement-order"}, "index": {"yes"}}
		dateForm(pr, "issued", "2", "5", "2022")
		dateForm(pr, "finalHearing", "1", "5", "2022")
		if res := send(t, c, "POST", base+"/proceedings", pr); res.status != 422 || !strings.Contains(res.body, "on or after the date the proceedings were issued") {
			t.Errorf("final hearing before issue: %d", res.status)
		}
		dateForm(pr, "finalHearing", "10", "1", "2023")
		if res := send(t, c, "POST", base+"/proceedings", pr); res.status != 303 {
			t.Fatalf("add proceedings: %d\n%s", res.status, res.body)
		}

		arr := func(typ, freq, by, basis string) url.Values {
			return dateForm(url.Values{"child": {jay}, "type": {typ}, "frequency": {freq}, "arrangedBy": {by}, "basis": {basis}}, "start", "1", "3", "2023")
		}
		for _, a := range []url.Values{arr("letterbox", "Once a year", "adoption-agency", "adoption-contact-plan"), arr("supervised", "Monthly", "local-authority", "care-plan")} {
			if res := send(t, c, "POST", base+"/arrangements", a); res.status != 303 {
				t.Fatalf("add arrangement: %d\n%s", res.status, res.body)
			}
		}
		res = send(t, c, "GET", base, nil)
		if !strings.Contains(res.body, "Letterbox never reviewed") || !strings.Contains(res.body, "Jay (newborn when issued)") {
			t.Error("the page does not show the unreviewed letterbox or the child's age at issue")
		}
		rec, _ = db.Contact(ctx, f.person.ID)
		letterbox, supervised := rec.Arrangements[0], rec.Arrangements[1]
		if letterbox.Type != contact.Letterbox {
			letterbox, supervised = supervised, letterbox
		}

		tasksBefore := send(t, c, "GET", f.ts.URL+"/tasks", nil).body
		reportBefore := send(t, c, "GET", f.ts.URL+"/reports/contact", nil)
		if reportBefore.status != 200 {
			t.Fatalf("report: %d", reportBefore.status)
		}

		changePath := base + "/arrangements/" + itoa(supervised.ID) + "/changes"
		change := url.Values{"version": {itoa(supervised.Version)}, "aspect": {"frequency"}, "from": {"Monthly"}, "to": {"Every two months"},
			"changedBy": {"local-authority"}, "herView": {"I was not asked."}}
		dateForm(change, "effective", "1", "10", "2026")
		res = send(t, c, "POST", changePath, change)
		if res.status != 422 || !strings.Contains(res.body, "Answer whether she was given a reason") || !strings.Contains(res.body, "I was not asked.") {
			t.Errorf("change with no answer about the reason: %d", res.status)
		}
		change.Set("reasonGiven", "no")
		if res := send(t, c, "POST", changePath, change); res.status != 303 {
			t.Fatalf("record change: %d\n%s", res.status, res.body)
		}
		if res := send(t, c, "POST", changePath, change); res.status != 409 || !strings.Contains(res.body, "I was not asked.") {
			t.Errorf("change on a stale arrangement: %d, want 409 keeping what was typed", res.status)
		}
		tasks := send(t, c, "GET", f.ts.URL+"/tasks", nil).body
		if strings.Count(tasks, "find out why and tell her") != strings.Count(tasksBefore, "find out why and tell her")+1 {
			t.Error("an unexplained change raised no task")
		}
		if res := send(t, c, "GET", f.ts.URL+"/people/"+f.person.Ref, nil); !strings.Contains(res.body, "1 change not explained to her") {
			t.Error("her record does not say a change was not explained to her")
		}
		rec, _ = db.Contact(ctx, f.person.ID)
		changeID := itoa(rec.Changes[0].ID)
		exp := url.Values{"reason": {"The carers moved further away"}, "toldBy": {"Her social worker"}, "toldHow": {"phone call"}}
		if res := send(t, c, "POST", base+"/changes/"+changeID+"/explanation", exp); res.status != 422 {
			t.Errorf("explanation without a date: %d", res.status)
		}
		dateForm(exp, "toldOn", "20", "11", "2026")
		if res := send(t, c, "POST", base+"/changes/"+changeID+"/explanation", exp); res.status != 303 {
			t.Fatalf("explanation: %d\n%s", res.status, res.body)
		}
		if tasks := send(t, c, "GET", f.ts.URL+"/tasks", nil).body; strings.Count(tasks, "find out why and tell her") != strings.Count(tasksBefore, "find out why and tell her") {
			t.Error("the task stayed after she was told why")
		}
		if res := send(t, c, "GET", f.ts.URL+"/people/"+f.person.Ref, nil); strings.Contains(res.body, "not explained to her") {
			t.Error("her record still says a change was not explained after she was told")
		}

		lb := url.Values{"arrangement": {itoa(supervised.ID)}, "direction": {"from-her"}}
		if res := send(t, c, "POST", base+"/letterbox", lb); res.status != 422 {
			t.Errorf("a letter on supervised contact: %d", res.status)
		}
		lb.Set("arrangement", itoa(letterbox.ID))
		dateForm(lb, "due", "10", "12", "2026")
		if res := send(t, c, "POST", base+"/letterbox", lb); res.status != 303 {
			t.Fatalf("letterbox: %d\n%s", res.status, res.body)
		}
		if tasks := send(t, c, "GET", f.ts.URL+"/tasks", nil).body; !strings.Contains(tasks, "Letterbox letter to Jay is due") {
			t.Error("no reminder before the letter is due")
		}
		sess := dateForm(url.Values{"arrangement": {itoa(supervised.ID)}, "outcome": {"cancelled"}}, "planned", "1", "11", "2026")
		if res := send(t, c, "POST", base+"/sessions", sess); res.status != 422 || !strings.Contains(res.body, "who cancelled") {
			t.Errorf("cancelled by nobody: %d", res.status)
		}
		sess.Set("cancelledBy", "carers")
		if res := send(t, c, "POST", base+"/sessions", sess); res.status != 303 {
			t.Fatalf("contact session: %d\n%s", res.status, res.body)
		}

		// The letter, printed and as a PDF, each recorded.
		period := dateForm(dateForm(url.Values{}, "from", "1", "1", "2026"), "to", "23", "11", "2026")
		res = send(t, c, "POST", base+"/letter", period)
		if res.status != 200 || !strings.Contains(res.body, "You were told later: “The carers moved further away”") || !strings.Contains(res.body, "It has never been reviewed") {
			t.Errorf("printed letter: %d\n%s", res.status, res.body)
		}
		res = send(t, c, "POST", base+"/letter.pdf", period)
		if res.status != 200 || res.header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(res.body, "%PDF-1.") {
			t.Errorf("PDF letter: %d %s", res.status, res.header.Get("Content-Type"))
		}
		bad := dateForm(dateForm(url.Values{}, "from", "1", "1", "2026"), "to", "1", "1", "2025")
		if res := send(t, c, "POST", base+"/letter", bad); res.status != 422 || !strings.Contains(res.body, "on or after the start") {
			t.Errorf("backwards period: %d", res.status)
		}
		rec, _ = db.Contact(ctx, f.person.ID)
		if len(rec.Letters) != 2 {
			t.Errorf("%d letters recorded, want 2", len(rec.Letters))
		}
		for _, action := range []string{"print", "export"} {
			evs, _ := db.SearchAudit(ctx, store.AuditFilter{RecordType: "person", RecordID: itoa(f.person.ID), Action: action})
			if len(evs) != 1 {
				t.Errorf("%d %s audit rows, want 1", len(evs), action)
			}
		}
		reportAfter := send(t, c, "GET", f.ts.URL+"/reports/contact", nil)
		if reportAfter.body == reportBefore.body {
			t.Error("the report did not move")
		}
		if strings.Contains(reportAfter.body, "Jay") || strings.Contains(reportAfter.body, f.person.FirstName) {
			t.Error("the report names someone")
		}
	})
}

// Every contact route is in this matrix: each kind of user against her
// record, the reports and the API. Forms are sent empty, so an allowed
// change is refused by validation (422, or 409 for a stale version) and
// nothing is written; 404 and 403 show which check answered.
func TestContactRouteMatrix(t *testing.T) {
	db := storetest.SQLite(t)
	f := newFixture(t, db)
	ctx := t.Context()
	by := f.allocated.UserID
	ev := audit.Event{UserID: by}
	today := haven.NewDate(2026, 11, 23)
	before, err := db.Contact(ctx, f.person.ID)
	if err != nil {
		t.Fatal(err)
	}
	child, arr, ch := f.seedChange(t, db, today)
	cs, err := db.CreateContactSession(ctx, ev, contact.ContactSession{PersonID: f.person.ID, ArrangementID: arr.ID, PlannedOn: today}, by, today)
	if err != nil {
		t.Fatal(err)
	}
	lx, err := db.CreateLetterboxExchange(ctx, ev, contact.LetterboxExchange{PersonID: f.person.ID, ArrangementID: arr.ID, Direction: "to-her"}, by, today)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{"/children/{id}": itoa(child.ID), "/arrangements/{id}": itoa(arr.ID), "/changes/{id}": itoa(ch.ID),
		"/sessions/{id}": itoa(cs.ID), "/contact-sessions/{id}": itoa(cs.ID), "/letterbox/{id}": itoa(lx.ID)}
	fill := func(pattern string) string {
		p := strings.Replace(pattern, "{ref}", f.person.Ref, 1)
		for prefix, id := range ids {
			p = strings.Replace(p, prefix, strings.Replace(prefix, "{id}", id, 1), 1)
		}
		return p
	}

	// record: may read her record; practice: PermPracticeView; aggregates: PermAggregates.
	record := map[string]bool{"riverside lead": true, "riverside co-ordinator": true, "allocated practitioner": true}
	practice := map[string]bool{"riverside lead": true, "riverside co-ordinator": true, "allocated practitioner": true, "other practitioner": true,
		"hillcrest lead": true, "hillcrest practitioner": true}
	aggregates := map[string]bool{"riverside lead": true, "riverside co-ordinator": true, "hillcrest lead": true, "national analyst": true, "LA manager": true}
	type rule struct {
		allowed map[string]bool
		ok      int // status when allowed
		denied  int // status for a signed-in user without it
	}
	rules := map[string]rule{
		"GET /reports/contact":              {practice, 200, 403},
		"GET /reports/contact/organisation": {aggregates, 200, 403},
	}
	routes := map[string]bool{}
	s, err := web.NewServer(web.Options{Store: db})
	if err != nil {
		t.Fatal(err)
	}
	for pattern := range s.Routes() {
		path := strings.SplitN(pattern, " ", 2)[1]
		if !strings.Contains(path, "/contact") && !regexp.MustCompile(`/api/v1/people/\{ref\}/(children|proceedings|arrangements|changes|contact-sessions|letterbox)(/\{id\}(/explanations|/withdrawal)?)?$`).MatchString(path) {
			continue
		}
		routes[pattern] = true
		if _, ok := rules[pattern]; ok {
			continue
		}
		ok := 200
		if strings.HasPrefix(pattern, "POST") {
			ok = 422
		}
		if pattern == "POST /people/{ref}/contact/letterbox/{id}" {
			ok = 409 // an empty form is a valid letter; version 0 is stale
		}
		if pattern == "POST /api/v1/people/{ref}/changes" || strings.HasPrefix(pattern, "PUT /api/") {
			ok = 428 // no version: never a blind write
		}
		rules[pattern] = rule{record, ok, 404}
	}
	if len(routes) < 40 {
		t.Fatalf("only %d contact routes found", len(routes))
	}
	for name, a := range f.who(t) {
		c := f.signIn(t, a)
		for pattern, rl := range rules {
			method, path, _ := strings.Cut(pattern, " ")
			want := rl.denied
			if name == "other practitioner" && want == 404 {
				want = 403 // S16: in her Practice, so offered break-glass (refusal.go)
			}
			if rl.allowed[name] {
				want = rl.ok
			}
			var res response
			if strings.HasPrefix(path, "/api/") {
				var body []byte
				if method != "GET" {
					body = []byte("{}")
				}
				req, _ := http.NewRequest(method, f.ts.URL+fill(path), bytes.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+a.APIToken)
				req.Header.Set("Content-Type", "application/json")
				res = tlsDo(t, f, req)
			} else {
				var form url.Values
				if method == "POST" {
					form = url.Values{}
				}
				res = send(t, c, method, f.ts.URL+fill(path), form)
			}
			if res.status != want {
				t.Errorf("%s %s: %d, want %d", name, pattern, res.status, want)
			}
		}
	}
	rec, _ := db.Contact(ctx, f.person.ID)
	if len(rec.Children) != len(before.Children)+1 || len(rec.Changes) != len(before.Changes)+1 || len(rec.Letterbox) != len(before.Letterbox)+1 ||
		len(rec.Sessions) != len(before.Sessions)+1 || len(rec.Letters) != 0 {
		t.Error("a refused request wrote something")
	}
	for _, x := range rec.Letterbox {
		if x.ID == lx.ID && x.Version != 1 {
			t.Error("a refused letterbox update was written")
		}
	}
}

// The contact API: create and list, with the same validation, version checks and audit as the pages.
func TestContactAPI(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.freshPerson(t)
		call := func(method, path, body string, header map[string]string) response {
			req, _ := http.NewRequest(method, f.ts.URL+"/api/v1/people/"+f.person.Ref+path, strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+f.allocated.APIToken)
			req.Header.Set("Content-Type", "application/json")
			for k, v := range header {
				req.Header.Set(k, v)
			}
			return tlsDo(t, f, req)
		}
		if res := call("POST", "/children", `{"name":"Jay","bornOn":"2022-05-01","removedOn":"2022-04-01","legalStatus":"adopted","placement":"adoptive-family"}`, nil); res.status != 422 ||
			!strings.Contains(res.body, "on or after their date of birth") {
			t.Errorf("removal before birth: %d %s", res.status, res.body)
		}
		res := call("POST", "/children", `{"name":"Jay","bornOn":"2022-05-01","removedOn":"2022-05-03","legalStatus":"adopted","placement":"adoptive-family"}`, nil)
		if res.status != 201 {
			t.Fatalf("child: %d %s", res.status, res.body)
		}
		rec, _ := db.Contact(t.Context(), f.person.ID)
		jay := itoa(rec.Children[0].ID)
		if res := call("POST", "/proceedings", `{"issuedOn":"2022-05-02","court":"Leeds","childIds":[`+jay+`],"finalHearingOn":"2022-05-01","outcome":"placement-order"}`, nil); res.status != 422 {
			t.Errorf("final hearing before issue: %d", res.status)
		}
		if res := call("POST", "/proceedings", `{"issuedOn":"2022-05-02","court":"Leeds","childIds":[`+jay+`],"finalHearingOn":"2023-01-10","outcome":"placement-order","index":true}`, nil); res.status != 201 {
			t.Errorf("proceedings: %d %s", res.status, res.body)
		}
		if res := call("POST", "/arrangements", `{"childId":`+jay+`,"type":"letterbox","frequency":"Yearly","arrangedBy":"adoption-agency","basis":"adoption-contact-plan","startOn":"2023-03-01"}`, nil); res.status != 201 {
			t.Fatalf("arrangement: %d %s", res.status, res.body)
		}
		rec, _ = db.Contact(t.Context(), f.person.ID)
		a := itoa(rec.Arrangements[0].ID)
		change := `{"arrangementId":` + a + `,"aspect":"frequency","from":"Yearly","to":"Twice a year","effectiveOn":"2026-10-01","changedBy":"adopters-carers","reasonGiven":"not-known"}`
		if res := call("POST", "/changes", change, nil); res.status != 428 {
			t.Errorf("change without a version: %d", res.status)
		}
		if res := call("POST", "/changes", strings.Replace(change, `,"reasonGiven":"not-known"`, "", 1), map[string]string{"If-Match": `"1"`}); res.status != 422 || !strings.Contains(res.body, "reasonGiven") {
			t.Errorf("change without the reason question: %d %s", res.status, res.body)
		}
		if res := call("POST", "/changes", change, map[string]string{"If-Match": `"1"`}); res.status != 201 || !strings.Contains(res.body, `"unexplained":true`) {
			t.Errorf("change: %d %s", res.status, res.body)
		}
		if res := call("POST", "/changes", change, map[string]string{"If-Match": `"1"`}); res.status != 409 {
			t.Errorf("stale change: %d", res.status)
		}
		if res := call("POST", "/letterbox", `{"arrangementId":`+a+`,"direction":"to-her"}`, nil); res.status != 201 || !strings.Contains(res.body, `"dueOn":"2024-03-01"`) {
			t.Errorf("letterbox: %d %s", res.status, res.body)
		}
		key := map[string]string{"Idempotency-Key": "contact-api-key-00001"}
		firstSession := call("POST", "/contact-sessions", `{"arrangementId":`+a+`,"plannedOn":"2026-12-01"}`, key)
		if firstSession.status != 201 {
			t.Errorf("contact session: %d %s", firstSession.status, firstSession.body)
		}
		if res := call("POST", "/contact-sessions", `{"arrangementId":`+a+`,"plannedOn":"2026-12-01"}`, key); res.status != 201 || res.header.Get("Idempotent-Replayed") != "true" || res.body != firstSession.body {
			t.Errorf("repeated contact session: %d %q %s", res.status, res.header.Get("Idempotent-Replayed"), res.body)
		}
		if rec, _ := db.Contact(t.Context(), f.person.ID); len(rec.Sessions) != 1 {
			t.Errorf("%d contact sessions after a repeated create, want 1", len(rec.Sessions))
		}
		for path, want := range map[string]string{"/children": `"name":"Jay"`, "/proceedings": `"index":true`, "/arrangements": `"frequency":"Twice a year"`,
			"/changes": `"reasonGiven":"not-known"`, "/letterbox": `"direction":"to-her"`, "/contact-sessions": `"plannedOn":"2026-12-01"`} {
			if res := call("GET", path, "", nil); res.status != 200 || !strings.Contains(res.body, want) {
				t.Errorf("GET %s: %d %s", path, res.status, res.body)
			}
		}
		evs, _ := db.SearchAudit(t.Context(), store.AuditFilter{RecordType: "person", RecordID: itoa(f.person.ID), Action: "view", Page: store.Page{Limit: 100}})
		views := 0
		for _, e := range evs {
			if e.Section == "contact" {
				views++
			}
		}
		if views != 6 {
			t.Errorf("%d audited API views, want 6", views)
		}
	})
}

// tlsDo sends an API request to the fixture's TLS server.
func tlsDo(t *testing.T, f *fixture, req *http.Request) response {
	t.Helper()
	c := f.browser()
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(res.Body)
	return response{res.StatusCode, res.Header, b.String()}
}

// The reports show each Practice to those who work in it, each organisation
// to its leads and to national analysts, small numbers suppressed, and the
// national figures with their source.
func TestContactReports(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	lead := f.signIn(t, f.riverLead)
	res := send(t, lead, "GET", f.ts.URL+"/reports/contact", nil)
	for _, want := range []string{"Riverside Practice (demo)", "National figure: 83%", "National figure: 63%", "Knowing They&#39;re OK", "not shown (fewer than 5)", "See the figures across Practices"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("Practice report lacks %q", want)
		}
	}
	if strings.Contains(res.body, "Hillcrest") {
		t.Error("Riverside's lead sees another Practice's report")
	}
	res = send(t, lead, "GET", f.ts.URL+"/reports/contact/organisation", nil)
	if !strings.Contains(res.body, "Family Futures Trust (demo)") {
		t.Errorf("the lead's organisation report: %d", res.status)
	}
	analyst := f.signIn(t, f.account(access.RoleNationalAnalyst))
	if res := send(t, analyst, "GET", f.ts.URL+"/reports/contact/organisation", nil); res.status != 200 || !strings.Contains(res.body, "Family Futures Trust (demo)") {
		t.Errorf("national analyst's report: %d", res.status)
	}
	// An LA manager reads the Practices covering Leeds, added up, and no Practice on its own.
	manager := f.signIn(t, f.account(access.RoleLAManager))
	res = send(t, manager, "GET", f.ts.URL+"/reports/contact/organisation", nil)
	if res.status != 200 || !strings.Contains(res.body, "Practices covering Leeds") || !strings.Contains(res.body, "The women in the Practices that cover Leeds.") ||
		strings.Contains(res.body, "There are no Practices") {
		t.Errorf("an LA manager's report: %d\n%s", res.status, res.body)
	}
	if strings.Contains(res.body, `<h2 class="govuk-heading-m">Riverside Practice (demo)`) || strings.Contains(res.body, "Hillcrest") || strings.Contains(res.body, `href="/reports/contact"`) {
		t.Error("an LA manager is shown a Practice's own report, or a link to one")
	}
	// A period the wrong way round is explained, not a 500.
	res = send(t, lead, "GET", f.ts.URL+"/reports/contact?from-day=1&from-month=6&from-year=2026&to-day=1&to-month=1&to-year=2026", nil)
	if res.status != 422 || !strings.Contains(res.body, "The end of the period must be on or after the start") {
		t.Errorf("backwards period: %d", res.status)
	}
}

// seedChange gives her a child in foster care with a yearly letterbox
// arrangement, and records a change to it on today that she was not told
// the reason for, as her practitioner.
func (f *fixture) seedChange(t *testing.T, db *store.DB, today haven.Date) (contact.Child, contact.Arrangement, contact.Change) {
	t.Helper()
	ctx, by := t.Context(), f.allocated.UserID
	ev := audit.Event{UserID: by}
	child, err := db.CreateChild(ctx, ev, contact.Child{PersonID: f.person.ID, Name: "Jay", BirthYear: 2020, LegalStatus: "care-order", Placement: "foster-care"}, by, today)
	if err != nil {
		t.Fatal(err)
	}
	arr, err := db.CreateArrangement(ctx, ev, contact.Arrangement{PersonID: f.person.ID, ChildID: child.ID, Type: contact.Letterbox, Frequency: "Yearly",
		ArrangedBy: "adoption-agency", Basis: "adoption-contact-plan", StartOn: haven.NewDate(2023, 1, 1)}, by, today)
	if err != nil {
		t.Fatal(err)
	}
	ch, err := db.RecordChange(ctx, ev, contact.Change{PersonID: f.person.ID, ArrangementID: arr.ID, Aspect: "other", EffectiveOn: today, ChangedBy: "court",
		ReasonGiven: contact.ReasonNotKnown}, arr.Version, today)
	if err != nil {
		t.Fatal(err)
	}
	return child, arr, ch
}
