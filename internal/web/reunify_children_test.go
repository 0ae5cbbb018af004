package web_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/auth"
	"haven/internal/demo"
	"haven/internal/haven"
	"haven/internal/reunify"
	"haven/internal/store"
	"haven/internal/store/storetest"
	"haven/internal/web"
)

// otherLAWorker is a social worker in a second local authority team, with
// a child of that team's own: the team is the tenant.
func (e *authEnv) otherLAWorker(t *testing.T) (demo.Account, reunify.Child) {
	t.Helper()
	ctx := t.Context()
	team, err := e.db.CreateLATeam(ctx, access.LATeam{Slug: "other-la-team", Name: "Other LA team", LACode: "E10000016"})
	if err != nil {
		t.Fatal(err)
	}
	a := demo.Account{Role: access.RoleLASocialWorker, Tenant: team.Slug, Email: "other.worker@demo.haven.invalid", Password: "other-worker-password-17",
		TOTPSecret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", APIToken: "haven_otherlaworkertoken0123456789abcdef"}
	hash, err := (&auth.Hasher{Memory: 64, Time: 1}).Hash(a.Password)
	if err != nil {
		t.Fatal(err)
	}
	u, err := e.db.CreateEnrolledAccount(ctx, audit.Event{}, access.User{Email: a.Email, DisplayName: "Other Worker"},
		[]store.Grant{{Role: a.Role, Tenant: store.Tenant{Kind: access.TenantLocalAuthority, ID: team.ID, Slug: team.Slug}}}, hash, a.TOTPSecret)
	if err != nil {
		t.Fatal(err)
	}
	a.UserID = u.ID
	if _, err := e.db.CreateAPIToken(ctx, audit.Event{}, u.ID, "Test", auth.HashToken(a.APIToken), e.clock.Now().AddDate(0, 0, 30)); err != nil {
		t.Fatal(err)
	}
	c, err := e.db.CreateLAChild(ctx, audit.Event{}, reunify.Child{Team: team.ID, Ref: "OT-1", FirstName: "Otto", BornOn: haven.NewDate(2020, 1, 1)}, u.ID, haven.NewDate(2026, 11, 23))
	if err != nil {
		t.Fatal(err)
	}
	return a, c
}

// demoLAChild is one of the demo team's children, with an open episode.
func (e *authEnv) demoLAChild(t *testing.T) reunify.Child {
	t.Helper()
	rows, err := e.db.SearchLAChildren(t.Context(), e.demo.LATeam.ID, "LC-0001", store.Page{})
	if err != nil || len(rows) != 1 {
		t.Fatalf("the demo child LC-0001: %v, %v", rows, err)
	}
	return rows[0].Child
}

func (e *authEnv) api(t *testing.T, token, method, path, body string, header map[string]string) response {
	t.Helper()
	var rd *bytes.Reader
	if body != "" {
		rd = bytes.NewReader([]byte(body))
	} else {
		rd = bytes.NewReader(nil)
	}
	req, _ := http.NewRequest(method, e.ts.URL+path, rd)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := e.browser().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(res.Body)
	return response{res.StatusCode, res.Header, b.String()}
}

var versionInput = regexp.MustCompile(`name="version" value="(\d+)"`)

// A social worker, in the browser without JavaScript: home leads to the
// children list; add a child, their episodes (with the rules between them),
// end one, the people around the child with version checks, and the
// child's views; search finds the child; every view and change is audited.
func TestLAChildJourney(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newAuthEnv(t, db)
		c := e.signIn(t, e.account(access.RoleLASocialWorker))
		u := e.ts.URL

		res := send(t, c, "GET", u+"/home", nil)
		if res.status != 303 || res.header.Get("Location") != "/la/children" {
			t.Fatalf("home: %d to %q, want the children list", res.status, res.header.Get("Location"))
		}
		res = send(t, c, "GET", u+"/la/children", nil)
		if res.status != 200 || !strings.Contains(res.body, `href="/la/children" aria-current="page"`) || !strings.Contains(res.body, "LC-0001") {
			t.Fatalf("children list: %d\n%s", res.status, res.body)
		}

		// Add a child: bad input is 422 naming the field; then made.
		res = send(t, c, "POST", u+"/la/children", url.Values{"ref": {"far too long an ID"}, "firstName": {""}})
		if res.status != 422 || !strings.Contains(res.body, "Enter the child&#39;s first name") || !strings.Contains(res.body, "Child ID must be") || !strings.Contains(res.body, "Enter the child&#39;s date of birth") {
			t.Fatalf("a bad child: %d\n%s", res.status, res.body)
		}
		// The form carries an idempotency key: sent twice, it makes one child.
		key := keyFor(send(t, c, "GET", u+"/la/children/new", nil).body, "/la/children")
		if key == "" {
			t.Fatal("the add-a-child form has no idempotency key")
		}
		child := url.Values{"ref": {"T-77"}, "firstName": {"Tully"}, "bornOn-day": {"4"}, "bornOn-month": {"3"}, "bornOn-year": {"2019"}, web.IdempotencyField: {key}}
		res = send(t, c, "POST", u+"/la/children", child)
		if res.status != 303 || !strings.HasPrefix(res.header.Get("Location"), "/la/children/") {
			t.Fatalf("add a child: %d %q\n%s", res.status, res.header.Get("Location"), res.body)
		}
		if again := send(t, c, "POST", u+"/la/children", child); again.status != 303 || again.header.Get("Location") != res.header.Get("Location") {
			t.Errorf("the same form again: %d %q, want the first child", again.status, again.header.Get("Location"))
		}
		for _, p := range []struct{ page, action string }{{"/episodes/new", "/episodes"}, {"/people/new", "/people"}, {"/views/new", "/views"}} {
			loc := res.header.Get("Location")
			if keyFor(send(t, c, "GET", u+loc+p.page, nil).body, loc+p.action) == "" {
				t.Errorf("the form at %s has no idempotency key", p.page)
			}
		}
		base := u + res.header.Get("Location")
		res = send(t, c, "GET", base, nil)
		if res.status != 200 || !strings.Contains(res.body, "Tully") || !strings.Contains(res.body, "Not looked after now") {
			t.Fatalf("the child's page: %d\n%s", res.status, res.body)
		}
		// The episode form offers current codes only, as selects.
		res = send(t, c, "GET", base+"/episodes/new", nil)
		if res.status != 200 || !strings.Contains(res.body, `<option value="C2">C2: Full care order</option>`) || strings.Contains(res.body, `<option value="P2">`) {
			t.Fatalf("the episode form: %d\n%s", res.status, res.body)
		}

		ep := func(day, month, year, rne, ls, place, endDay, endMonth, endYear, rec string) url.Values {
			return url.Values{"startsOn-day": {day}, "startsOn-month": {month}, "startsOn-year": {year}, "rne": {rne}, "legalStatus": {ls}, "placement": {place},
				"provider": {"PR1"}, "endsOn-day": {endDay}, "endsOn-month": {endMonth}, "endsOn-year": {endYear}, "rec": {rec}}
		}
		tests := []struct {
			name   string
			form   url.Values
			status int
			want   string
		}{
			{"nothing chosen", url.Values{}, 422, "Choose the reason for the new episode"},
			{"a retired placement code", ep("1", "2", "2025", "S", "C1", "P2", "", "", "", ""), 422, "Choose a placement type that is in use"},
			{"an end date without a reason", ep("1", "2", "2025", "S", "C1", "U4", "1", "3", "2025", ""), 422, "Choose the reason the episode ended"},
			{"a first episode without S", ep("1", "2", "2025", "L", "C1", "U4", "", "", "", ""), 422, "must start with reason S"},
			{"the first episode, ended", ep("1", "2", "2025", "S", "C1", "U6", "1", "5", "2025", "X1"), 303, ""},
			{"starting before the last ended", ep("1", "4", "2025", "L", "C2", "U4", "", "", "", ""), 422, "when the previous episode ended"},
			{"the second, open", ep("1", "5", "2025", "L", "C2", "U4", "", "", "", ""), 303, ""},
			{"a second open episode", ep("1", "9", "2025", "P", "C2", "U6", "", "", "", ""), 422, "End the current episode before adding a new one"},
		}
		for _, tt := range tests {
			res := send(t, c, "POST", base+"/episodes", tt.form)
			if res.status != tt.status || !strings.Contains(res.body, tt.want) {
				t.Errorf("%s: %d, want %d with %q\n%s", tt.name, res.status, tt.status, tt.want, res.body)
			}
		}
		res = send(t, c, "GET", base, nil)
		for _, want := range []string{"C2: Full care order", "U4: Foster placement with other foster carer(s): long-term fostering", "X1: Episode ended", "S: Started to be looked after", "1 May 2025", "End the current episode"} {
			if !strings.Contains(res.body, want) {
				t.Errorf("the child's page lacks %q", want)
			}
		}
		eps, _ := db.LAEpisodes(t.Context(), mustID(t, base))
		if len(eps) != 2 {
			t.Fatalf("%d episodes stored, want 2", len(eps))
		}
		end := base + "/episodes/" + itoa(eps[1].ID) + "/end"
		form := send(t, c, "GET", end, nil)
		m := versionInput.FindStringSubmatch(form.body)
		if form.status != 200 || m == nil {
			t.Fatalf("the end form: %d\n%s", form.status, form.body)
		}
		stale := url.Values{"version": {"99"}, "endsOn-day": {"1"}, "endsOn-month": {"10"}, "endsOn-year": {"2025"}, "rec": {"E4A"}}
		if res := send(t, c, "POST", end, stale); res.status != 409 || !strings.Contains(res.body, "Someone else changed this record") {
			t.Errorf("ending with a stale version: %d\n%s", res.status, res.body)
		}
		good := url.Values{"version": {m[1]}, "endsOn-day": {"1"}, "endsOn-month": {"10"}, "endsOn-year": {"2025"}, "rec": {"E4A"}}
		if res := send(t, c, "POST", end, good); res.status != 303 {
			t.Errorf("ending the episode: %d\n%s", res.status, res.body)
		}
		if res := send(t, c, "GET", base, nil); !strings.Contains(res.body, "E4A: Returned home") || strings.Contains(res.body, "End the current episode") {
			t.Error("the ended episode does not show its reason, or an episode still shows as current")
		}

		// People around the child: add, then change with a version check.
		if res := send(t, c, "POST", base+"/people", url.Values{"name": {""}, "relationship": {"mother"}}); res.status != 422 || !strings.Contains(res.body, "Enter the person&#39;s name") || !strings.Contains(res.body, "Choose whether they have parental responsibility") {
			t.Errorf("a person with no name: %d\n%s", res.status, res.body)
		}
		if res := send(t, c, "POST", base+"/people", url.Values{"name": {"Jo Brightwater"}, "relationship": {"mother"}, "parentalResponsibility": {"yes"}, "mayBeTold": {"School and health"}}); res.status != 303 {
			t.Fatalf("add a person: %d\n%s", res.status, res.body)
		}
		people, _ := db.LAPeople(t.Context(), mustID(t, base))
		if len(people) != 1 {
			t.Fatalf("%d people, want 1", len(people))
		}
		edit := base + "/people/" + itoa(people[0].ID)
		change := url.Values{"version": {"1"}, "name": {"Jo Brightwater"}, "relationship": {"mother"}, "parentalResponsibility": {"yes"}, "mayBeTold": {"School only"}}
		if res := send(t, c, "POST", edit, change); res.status != 303 {
			t.Errorf("change a person: %d\n%s", res.status, res.body)
		}
		if res := send(t, c, "POST", edit, change); res.status != 409 || !strings.Contains(res.body, "Someone else changed this record") || !strings.Contains(res.body, `name="version" value="2"`) {
			t.Errorf("a stale change: %d\n%s", res.status, res.body)
		}

		// The child's views, in their words.
		if res := send(t, c, "POST", base+"/views", url.Values{"saidOn-day": {"1"}, "saidOn-month": {"11"}, "saidOn-year": {"2026"}}); res.status != 422 || !strings.Contains(res.body, "Enter what the child said") {
			t.Errorf("an empty view: %d\n%s", res.status, res.body)
		}
		if res := send(t, c, "POST", base+"/views", url.Values{"saidOn-day": {"1"}, "saidOn-month": {"11"}, "saidOn-year": {"2026"}, "words": {"I want to live with Mum."}}); res.status != 303 {
			t.Errorf("a view: %d\n%s", res.status, res.body)
		}
		res = send(t, c, "GET", base, nil)
		for _, want := range []string{"Jo Brightwater", "School only", "I want to live with Mum.", "Said on 1 November 2026"} {
			if !strings.Contains(res.body, want) {
				t.Errorf("the child's page lacks %q", want)
			}
		}

		// Search by first name and by ID, kept out of the URL.
		for _, q := range []string{"tul", "t-77"} {
			if res := send(t, c, "POST", u+"/la/children/search", url.Values{"q": {q}}); res.status != 200 || !strings.Contains(res.body, "T-77") || strings.Contains(res.body, "LC-0001") {
				t.Errorf("search %q: %d\n%s", q, res.status, res.body)
			}
		}
		if res := send(t, c, "POST", u+"/la/children/search", url.Values{"q": {""}}); res.status != 422 || !strings.Contains(res.body, "Enter the child&#39;s ID or first name") {
			t.Errorf("an empty search: %d", res.status)
		}

		// Every view and change of the child is in the audit trail.
		evs, err := db.SearchAudit(t.Context(), store.AuditFilter{Page: store.Page{Limit: 1000}})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]int{}
		for _, ev := range evs {
			if ev.RecordType == "la-child" && ev.RecordID == itoa(mustID(t, base)) {
				seen[string(ev.Action)+"/"+ev.Section]++
			}
		}
		for _, k := range []string{"create/", "view/", "create/episodes", "update/episodes", "create/people", "update/people", "create/views"} {
			if seen[k] == 0 {
				t.Errorf("no audit row %s (have %v)", k, seen)
			}
		}
	})
}

func mustID(t *testing.T, childURL string) int64 {
	t.Helper()
	i := strings.LastIndex(childURL, "/")
	var id int64
	for _, r := range childURL[i+1:] {
		id = id*10 + int64(r-'0')
	}
	return id
}

// Every LA children route, page and API, for every kind of user: the
// team's social worker and manager may; a Practice's staff, an
// administrator, a national analyst, the directory and library editors and
// another LA team's worker get 404 for every one (never 403, so nobody
// learns a child exists); nobody signed in is sent to sign in. Forms are
// sent empty, so an allowed change is refused by validation and nothing is
// written.
func TestLAChildRouteMatrix(t *testing.T) {
	db := storetest.SQLite(t)
	f := newFixture(t, db)
	other, otherChild := f.otherLAWorker(t)
	child := f.demoLAChild(t)
	eps, _ := db.LAEpisodes(t.Context(), child.ID)
	people, _ := db.LAPeople(t.Context(), child.ID)
	if len(eps) == 0 || len(people) == 0 {
		t.Fatal("the demo child has no episodes or people")
	}
	s, err := web.NewServer(web.Options{Store: db})
	if err != nil {
		t.Fatal(err)
	}
	fill := func(path string, childID int64) string {
		p := strings.Replace(path, "{child}", itoa(childID), 1)
		p = strings.Replace(p, "episodes/{id}", "episodes/"+itoa(eps[len(eps)-1].ID), 1)
		return strings.Replace(p, "people/{id}", "people/"+itoa(people[0].ID), 1)
	}
	var routes []string
	for pattern := range s.Routes() {
		// A case's routes need a case: TestReunifyWorkflowRouteMatrix and
		// the plan's matrix cover them.
		if strings.Contains(pattern, "/reunification") {
			continue
		}
		if strings.Contains(pattern, " /la/children") || strings.Contains(pattern, " /api/v1/la/children") {
			routes = append(routes, pattern)
		}
	}
	if len(routes) < 20 {
		t.Fatalf("only %d LA children routes", len(routes))
	}
	who := f.who(t)
	who["other LA worker"] = other
	lateam := map[string]bool{"LA social worker": true, "LA manager": true}
	before, _ := db.SearchLAChildren(t.Context(), f.demo.LATeam.ID, "", store.Page{Limit: 500})
	for name, a := range who {
		c := f.signIn(t, a)
		for _, pattern := range routes {
			method, path, _ := strings.Cut(pattern, " ")
			names := strings.Contains(path, "{child}")
			api := strings.HasPrefix(path, "/api/")
			want := 404
			if lateam[name] || name == "other LA worker" && !names {
				// Their own team's list and forms (another team's worker sees only theirs).
				want = 200
				if method == "POST" {
					want = 422
				}
			}
			var res response
			if api {
				body := ""
				if method == "POST" {
					body = "{}"
				}
				res = f.api(t, a.APIToken, method, fill(path, child.ID), body, nil)
			} else {
				var form url.Values
				if method == "POST" {
					form = url.Values{}
					if strings.HasSuffix(path, "/search") {
						form.Set("q", "zzz-nobody")
						if want == 422 {
							want = 200
						}
					}
				}
				res = send(t, c, method, f.ts.URL+fill(path, child.ID), form)
			}
			if res.status != want {
				t.Errorf("%s %s: %d, want %d", name, pattern, res.status, want)
			}
			if want == 404 && (strings.Contains(res.body, child.FirstName) || strings.Contains(res.body, child.Ref)) {
				t.Errorf("%s %s: a refusal names the child", name, pattern)
			}
		}
	}
	// The demo team's worker is refused the other team's child the same way.
	worker := f.signIn(t, f.account(access.RoleLASocialWorker))
	for _, path := range []string{"/la/children/{child}", "/la/children/{child}/episodes/new", "/la/children/{child}/people/new", "/la/children/{child}/views/new"} {
		if res := send(t, worker, "GET", f.ts.URL+fill(path, otherChild.ID), nil); res.status != 404 {
			t.Errorf("the demo worker, %s of another team's child: %d, want 404", path, res.status)
		}
	}
	if res := f.api(t, f.account(access.RoleLASocialWorker).APIToken, "GET", "/api/v1/la/children/"+itoa(otherChild.ID), "", nil); res.status != 404 {
		t.Errorf("the demo worker, another team's child through the API: %d, want 404", res.status)
	}
	// Anonymous: pages send to sign in, the API is 401.
	anon := f.browser()
	for _, pattern := range routes {
		method, path, _ := strings.Cut(pattern, " ")
		if strings.HasPrefix(path, "/api/") {
			req, _ := http.NewRequest(method, f.ts.URL+fill(path, child.ID), strings.NewReader("{}"))
			req.Header.Set("Content-Type", "application/json")
			if res := tlsDo(t, f, req); res.status != 401 {
				t.Errorf("anonymous %s: %d, want 401", pattern, res.status)
			}
			continue
		}
		var form url.Values
		if method == "POST" {
			form = url.Values{}
		}
		if res := send(t, anon, method, f.ts.URL+fill(path, child.ID), form); res.status != 303 && res.status != 401 {
			t.Errorf("anonymous %s: %d, want a redirect to sign in or 401", pattern, res.status)
		}
	}
	after, _ := db.SearchLAChildren(t.Context(), f.demo.LATeam.ID, "", store.Page{Limit: 500})
	eps2, _ := db.LAEpisodes(t.Context(), child.ID)
	people2, _ := db.LAPeople(t.Context(), child.ID)
	if len(after) != len(before) || len(eps2) != len(eps) || len(people2) != len(people) || people2[0].Version != people[0].Version {
		t.Error("a refused request wrote something")
	}
}

// The API: list, create with an idempotency key, the child's record and
// episodes, with the same checks (422 naming the field) as the pages.
func TestLAChildrenAPI(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newAuthEnv(t, db)
		token := e.account(access.RoleLASocialWorker).APIToken
		res := e.api(t, token, "GET", "/api/v1/la/children", "", nil)
		var list struct {
			Children []struct {
				ID             int64           `json:"id"`
				Ref            string          `json:"ref"`
				CurrentEpisode json.RawMessage `json:"currentEpisode"`
			} `json:"children"`
		}
		if res.status != 200 || json.Unmarshal([]byte(res.body), &list) != nil || len(list.Children) < 8 {
			t.Fatalf("GET children: %d %s", res.status, res.body)
		}

		for body, field := range map[string]string{
			`{"ref":"","firstName":"Ann","bornOn":"2019-02-03"}`:          `"ref"`,
			`{"ref":"A-1","firstName":"Ann","bornOn":"2019-02-30"}`:       `"bornOn"`,
			`{"ref":"A-1","firstName":"An\u202en","bornOn":"2019-02-03"}`: `"firstName"`,
		} {
			if bad := e.api(t, token, "POST", "/api/v1/la/children", body, nil); bad.status != 422 || !strings.Contains(bad.body, field) {
				t.Errorf("%s: %d %s, want 422 naming %s", body, bad.status, bad.body, field)
			}
		}
		if res := e.api(t, token, "POST", "/api/v1/la/children", `{"ref":"A-1","firstName":"Ann","bornOn":"2019-02-03","id":4}`, nil); res.status != 400 {
			t.Errorf("an unknown field: %d %s", res.status, res.body)
		}
		key := map[string]string{web.IdempotencyHeader: "la-child-create-key-0001"}
		first := e.api(t, token, "POST", "/api/v1/la/children", `{"ref":"A-1","firstName":"Ann","bornOn":"2019-02-03"}`, key)
		again := e.api(t, token, "POST", "/api/v1/la/children", `{"ref":"A-1","firstName":"Ann","bornOn":"2019-02-03"}`, key)
		var made struct {
			ID int64 `json:"id"`
		}
		if first.status != 201 || json.Unmarshal([]byte(first.body), &made) != nil || made.ID == 0 {
			t.Fatalf("create: %d %s", first.status, first.body)
		}
		if again.status != 201 || again.header.Get(web.ReplayedHeader) != "true" || again.body != first.body {
			t.Errorf("the same key again: %d %q %s", again.status, again.header.Get(web.ReplayedHeader), again.body)
		}
		path := "/api/v1/la/children/" + itoa(made.ID)
		if res := e.api(t, token, "POST", path+"/episodes", `{"startsOn":"2025-01-10","rne":"L","legalStatus":"C1","placement":"U4"}`, nil); res.status != 422 || !strings.Contains(res.body, `"rne"`) {
			t.Errorf("a first episode without S: %d %s", res.status, res.body)
		}
		if res := e.api(t, token, "POST", path+"/episodes", `{"startsOn":"2025-01-10","rne":"S","legalStatus":"C1","placement":"U4","endsOn":"2025-02-01"}`, nil); res.status != 422 || !strings.Contains(res.body, `"rec"`) {
			t.Errorf("an end date without a reason: %d %s", res.status, res.body)
		}
		ok := e.api(t, token, "POST", path+"/episodes", `{"startsOn":"2025-01-10","rne":"S","legalStatus":"C1","placement":"U4","provider":"PR1"}`, nil)
		if ok.status != 201 || !strings.Contains(ok.body, `"legalStatus":"C1"`) {
			t.Errorf("an episode: %d %s", ok.status, ok.body)
		}
		if res := e.api(t, token, "POST", path+"/episodes", `{"startsOn":"2025-03-10","rne":"L","legalStatus":"C2","placement":"U4"}`, nil); res.status != 422 || !strings.Contains(res.body, `"startsOn"`) {
			t.Errorf("a second open episode: %d %s", res.status, res.body)
		}
		if res := e.api(t, token, "GET", path+"/episodes", "", nil); res.status != 200 || !strings.Contains(res.body, `"startsOn":"2025-01-10"`) {
			t.Errorf("GET episodes: %d %s", res.status, res.body)
		}
		res = e.api(t, token, "GET", path, "", nil)
		if res.status != 200 || !strings.Contains(res.body, `"currentEpisode":{`) || !strings.Contains(res.body, `"ref":"A-1"`) {
			t.Errorf("GET the child: %d %s", res.status, res.body)
		}
		// Audited, as the pages are.
		evs, _ := db.SearchAudit(t.Context(), store.AuditFilter{Page: store.Page{Limit: 1000}})
		n := 0
		for _, ev := range evs {
			if ev.RecordType == "la-child" && ev.RecordID == itoa(made.ID) && ev.Action == audit.View {
				n++
			}
		}
		if n < 2 {
			t.Errorf("%d view audit rows for the child, want at least 2", n)
		}
	})
}

// The Children link is in the navigation of an LA team's workers, and of
// nobody else.
func TestLAChildrenNavigation(t *testing.T) {
	e := newAuthEnv(t, storetest.SQLite(t))
	for _, r := range access.Roles() {
		c := e.signIn(t, e.account(r))
		res := send(t, c, "GET", e.ts.URL+"/account", nil)
		has := strings.Contains(res.body, `<a class="govuk-service-navigation__link" href="/la/children"`)
		want := r == access.RoleLASocialWorker || r == access.RoleLAManager
		if res.status != 200 || has != want {
			t.Errorf("%s: %d, Children link %v, want %v", r, res.status, has, want)
		}
	}
}
