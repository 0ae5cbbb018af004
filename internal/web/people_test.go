package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/demo"
	"haven/internal/programme"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// riversidePerson is a demo woman in the Riverside Practice allocated to a
// practitioner, with a sentinel written into a restricted section.
type fixture struct {
	*authEnv
	person     programme.Person
	allocated  demo.Account
	otherPrac  demo.Account // a practitioner in the same Practice, not allocated
	clients    map[string]*http.Client
	accounts   map[string]demo.Account
	sentinel   string
	hillcrest  programme.Person
	otherLead  demo.Account // the Hillcrest lead
	riverLead  demo.Account
	riverCoord demo.Account
}

const sentinel = "SENTINEL-CRIMINAL-RECORD-7731"

func newFixture(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	e := newAuthEnv(t, db)
	f := &fixture{authEnv: e, clients: map[string]*http.Client{}, accounts: map[string]demo.Account{}, sentinel: sentinel}
	lead := e.byRoleIn(access.RolePracticeLead, "demo-riverside")
	f.riverLead, f.riverCoord = lead, e.byRoleIn(access.RolePracticeCoordinator, "demo-riverside")
	f.otherLead = e.byRoleIn(access.RolePracticeLead, "demo-hillcrest")
	leadActor, _ := db.Actor(t.Context(), lead.UserID)
	people, err := db.PeopleFor(t.Context(), leadActor, store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range people {
		if p.PractitionerID != 0 {
			f.person = p
			break
		}
	}
	for _, a := range e.demo.Accounts {
		if a.Role == access.RolePractitioner && a.Tenant == "demo-riverside" {
			if a.UserID == f.person.PractitionerID {
				f.allocated = a
			} else if f.otherPrac.UserID == 0 {
				f.otherPrac = a
			}
		}
	}
	hillLead, _ := db.Actor(t.Context(), f.otherLead.UserID)
	hp, _ := db.PeopleFor(t.Context(), hillLead, store.Page{})
	f.hillcrest = hp[0]
	notes, _ := db.RestrictedNotes(t.Context(), f.person.ID)
	n := notes[programme.SectionCriminalRecords]
	if err := db.SaveRestricted(t.Context(), audit.Event{}, f.person.ID, programme.SectionCriminalRecords, sentinel, "", n.Version, lead.UserID); err != nil {
		t.Fatal(err)
	}
	return f
}

// freshPerson gives the fixture a new woman, allocated to f.allocated, with
// nothing on her record yet (the demo women already have plans and more).
func (f *fixture) freshPerson(t *testing.T) {
	t.Helper()
	p, err := f.db.CreatePerson(t.Context(), audit.Event{}, mustActor(t, f.db, f.riverLead.UserID),
		programme.Person{PracticeID: f.person.PracticeID, PractitionerID: f.allocated.UserID, FirstName: "Sky", LastName: "Freshcase"})
	if err != nil {
		t.Fatal(err)
	}
	f.person = p
}

func (e *authEnv) byRoleIn(r access.Role, tenant string) demo.Account {
	for _, a := range e.demo.Accounts {
		if a.Role == r && a.Tenant == tenant {
			return a
		}
	}
	panic("no demo account " + string(r) + " in " + tenant)
}

// who names every kind of user in the matrix.
func (f *fixture) who(t *testing.T) map[string]demo.Account {
	t.Helper()
	m := map[string]demo.Account{
		"riverside lead":         f.riverLead,
		"riverside co-ordinator": f.riverCoord,
		"allocated practitioner": f.allocated,
		"other practitioner":     f.otherPrac,
		"hillcrest lead":         f.otherLead,
		"hillcrest practitioner": f.byRoleIn(access.RolePractitioner, "demo-hillcrest"),
		"admin":                  f.account(access.RoleAdmin),
		"national analyst":       f.account(access.RoleNationalAnalyst),
		"LA social worker":       f.account(access.RoleLASocialWorker),
		"LA manager":             f.account(access.RoleLAManager),
		"directory editor":       f.account(access.RoleDirectoryEditor),
		"library editor":         f.account(access.RoleLibraryEditor),
	}
	return m
}

// S15, S16: role × route × record. A record in another Practice is 404,
// whatever the role; a role without the route's permission is 403 for every record.
func TestS16PeopleMatrix(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		own, other := "/people/"+f.person.Ref, "/people/"+f.hillcrest.Ref
		noCase := http.StatusNotFound // no case permission at all: still 404 for a named record
		type row struct{ own, edit, log, other, restricted int }
		want := map[string]row{
			"riverside lead":         {200, 200, 200, 404, 200},
			"riverside co-ordinator": {200, 200, 404, 404, 404},
			"allocated practitioner": {200, 200, 404, 404, 200},
			"other practitioner":     {403, 403, 404, 404, 403}, // S16: in her Practice, so offered break-glass (refusal.go)
			"hillcrest lead":         {404, 404, 404, 200, 404},
			"hillcrest practitioner": {404, 404, 404, 403, 404}, // the Hillcrest record is not allocated to them
			"admin":                  {noCase, noCase, noCase, noCase, 404},
			"national analyst":       {noCase, noCase, noCase, noCase, 404},
			"LA social worker":       {noCase, noCase, noCase, noCase, 404},
			"LA manager":             {noCase, noCase, 404, noCase, 404},
			"directory editor":       {noCase, noCase, noCase, noCase, 404},
			"library editor":         {noCase, noCase, noCase, noCase, 404},
		}
		for name, a := range f.who(t) {
			c := f.signIn(t, a)
			w := want[name]
			for path, status := range map[string]int{own: w.own, own + "/edit": w.edit, own + "/access-log": w.log, other: w.other,
				own + "/restricted/criminal-records": w.restricted} {
				if res := send(t, c, "GET", f.ts.URL+path, nil); res.status != status {
					t.Errorf("%s GET %s: %d, want %d", name, strings.Replace(path, f.person.Ref, "{own}", 1), res.status, status)
				}
			}
		}
	})
}

// S17, S34: the restricted sentinel appears only for the allocated
// practitioner and the lead: not in lists, other roles' pages, the API,
// error pages, URLs or logs.
func TestS17RestrictedSentinelStaysRestricted(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		may := map[string]bool{"riverside lead": true, "allocated practitioner": true}
		for name, a := range f.who(t) {
			c := f.signIn(t, a)
			for _, path := range []string{"/people", "/people/" + f.person.Ref, "/people/" + f.person.Ref + "/edit", "/people/" + f.person.Ref + "/access-log", "/", "/account", "/no-such-page"} {
				res := send(t, c, "GET", f.ts.URL+path, nil)
				if strings.Contains(res.body, sentinel) && !(may[name] && path == "/people/"+f.person.Ref) {
					t.Errorf("%s sees the sentinel on %s", name, path)
				}
				if strings.Contains(res.header.Get("Location"), sentinel) {
					t.Errorf("%s: sentinel in a redirect URL", name)
				}
			}
			for _, path := range []string{"/api/v1/people", "/api/v1/people/" + f.person.Ref} {
				req, _ := http.NewRequest("GET", f.ts.URL+path, nil)
				req.Header.Set("Authorization", "Bearer "+a.APIToken)
				res, err := f.ts.Client().Do(req)
				if err != nil {
					t.Fatal(err)
				}
				var b strings.Builder
				fmt.Fprint(&b, readAll(res))
				if strings.Contains(b.String(), sentinel) && !(may[name] && strings.HasSuffix(path, f.person.Ref)) {
					t.Errorf("%s sees the sentinel in %s", name, path)
				}
				if may[name] && strings.HasSuffix(path, f.person.Ref) && !strings.Contains(b.String(), sentinel) {
					t.Errorf("%s cannot read the restricted section through the API", name)
				}
			}
			if may[name] {
				if res := send(t, c, "GET", f.ts.URL+"/people/"+f.person.Ref, nil); !strings.Contains(res.body, sentinel) {
					t.Errorf("%s cannot read the restricted section they are entitled to", name)
				}
			}
		}
		if strings.Contains(f.logs.String(), sentinel) {
			t.Error("S34: the sentinel reached the logs")
		}
	})
}

func readAll(res *http.Response) string {
	defer res.Body.Close()
	var b strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := res.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			return b.String()
		}
	}
}

// S31: every successful view of a record writes exactly one audit row, and a
// refused one writes none.
func TestS31AuditCompleteness(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		count := func() int {
			evs, err := db.SearchAudit(t.Context(), store.AuditFilter{RecordType: "person", RecordID: itoa(f.person.ID), Action: "view", Page: store.Page{Limit: 500}})
			if err != nil {
				t.Fatal(err)
			}
			return len(evs)
		}
		before := count()
		ok := 0
		plan := []struct {
			who  demo.Account
			path string
		}{
			{f.riverLead, ""}, {f.allocated, ""}, {f.riverCoord, ""}, {f.otherLead, ""}, {f.otherPrac, ""},
			{f.allocated, "/edit"}, {f.riverLead, "/access-log"}, {f.riverCoord, "/access-log"}, {f.allocated, ""},
		}
		for _, p := range plan {
			c := f.signIn(t, p.who)
			res := send(t, c, "GET", f.ts.URL+"/people/"+f.person.Ref+p.path, nil)
			if res.status == 200 {
				ok++
			}
		}
		if got := count() - before; got != ok || ok != 6 {
			t.Errorf("%d view rows for %d successful views (want 6 successes)", got, ok)
		}
	})
}

// A stale edit is refused with a clear message, keeps what was typed, and
// overwrites nothing.
func TestPersonStaleEdit(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		a, b := f.signIn(t, f.riverLead), f.signIn(t, f.allocated)
		form := func(preferred string) url.Values {
			return url.Values{"version": {itoa(f.person.Version)}, "firstName": {f.person.FirstName}, "lastName": {f.person.LastName}, "preferredName": {preferred}}
		}
		if res := send(t, a, "POST", f.ts.URL+"/people/"+f.person.Ref, form("Bee")); res.status != 303 {
			t.Fatalf("first edit: %d\n%s", res.status, res.body)
		}
		res := send(t, b, "POST", f.ts.URL+"/people/"+f.person.Ref, form("Ceecee"))
		if res.status != 409 || !strings.Contains(res.body, "Someone else changed these details") || !strings.Contains(res.body, `value="Ceecee"`) || !strings.Contains(res.body, "known as <bdi>Bee</bdi>") {
			t.Errorf("stale edit: %d, want 409 keeping the typed value and showing the saved one", res.status)
		}
		p, _, _ := db.PersonFor(t.Context(), mustActor(t, db, f.riverLead.UserID), f.person.Ref)
		if p.PreferredName != "Bee" {
			t.Errorf("preferred name is %q after the stale edit, want Bee", p.PreferredName)
		}
		bad := form("")
		bad.Set("dateOfBirth-day", "31")
		bad.Set("dateOfBirth-month", "2")
		bad.Set("dateOfBirth-year", "1990")
		bad.Set("firstName", "")
		res = send(t, a, "POST", f.ts.URL+"/people/"+f.person.Ref, bad)
		if res.status != 422 || !strings.Contains(res.body, "must be a real date") || !strings.Contains(res.body, "Enter first name") || !strings.Contains(res.body, `value="31"`) {
			t.Errorf("bad input: %d, want 422 with both errors and the typed date kept", res.status)
		}
	})
}

func mustActor(t *testing.T, db *store.DB, id int64) *access.Actor {
	t.Helper()
	a, err := db.Actor(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// Break-glass: a reason is required, access follows, and the lead sees it.
func TestBreakGlassJourney(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		c := f.signIn(t, f.otherPrac)
		path := f.ts.URL + "/people/" + f.person.Ref
		if res := send(t, c, "GET", path, nil); res.status != 403 || !strings.Contains(res.body, "I need to see the whole record now") || strings.Contains(res.body, f.person.LastName) {
			t.Fatalf("before break-glass: %d", res.status)
		}
		if res := send(t, c, "POST", path+"/break-glass", url.Values{"reason": {"short"}}); res.status != 422 || !strings.Contains(res.body, "at least 10 characters") {
			t.Errorf("short reason: %d", res.status)
		}
		if res := send(t, c, "POST", path+"/break-glass", url.Values{"reason": {"Out-of-hours safeguarding call from the hospital"}}); res.status != 303 {
			t.Fatalf("break-glass: %d", res.status)
		}
		if res := send(t, c, "GET", path, nil); res.status != 200 || !strings.Contains(res.body, sentinel) {
			t.Errorf("after break-glass: %d, restricted shown: %v", res.status, strings.Contains(res.body, sentinel))
		}
		lead := f.signIn(t, f.riverLead)
		if res := send(t, lead, "GET", path+"/access-log", nil); !strings.Contains(res.body, "Out-of-hours safeguarding call from the hospital") || !strings.Contains(res.body, "break-glass") {
			t.Error("the lead cannot see the break-glass and its reason")
		}
		f.clock.Add(61 * 60 * 1e9)
		c = f.signIn(t, f.otherPrac)
		if res := send(t, c, "GET", path, nil); res.status != 403 {
			t.Errorf("an hour later: %d, want 403 again", res.status)
		}
	})
}

// S28: no personal data in any URL Haven generates: crawl every link a
// lead can reach and look for people's names and dates of birth.
func TestS28NoPersonalDataInURLs(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	c := f.signIn(t, f.riverLead)
	lead := mustActor(t, f.db, f.riverLead.UserID)
	people, _ := f.db.PeopleFor(t.Context(), lead, store.Page{})
	var pii []string
	for _, p := range people {
		pii = append(pii, strings.ToLower(p.FirstName), strings.ToLower(p.LastName))
		if !p.DateOfBirth.IsZero() {
			pii = append(pii, p.DateOfBirth.String())
		}
	}
	link := regexp.MustCompile(`(?:href|action|src)="([^"]*)"`)
	seen, queue := map[string]bool{}, []string{"/"}
	for len(queue) > 0 && len(seen) < 80 {
		path := queue[0]
		queue = queue[1:]
		if seen[path] {
			continue
		}
		seen[path] = true
		res := send(t, c, "GET", f.ts.URL+path, nil)
		for _, m := range link.FindAllStringSubmatch(res.body, -1) {
			// Compare whole words: a random reference may contain a short name by chance.
			words := map[string]bool{}
			for _, w := range regexp.MustCompile(`[^a-z0-9-]+`).Split(strings.ToLower(m[1]), -1) {
				words[w] = true
			}
			for _, s := range pii {
				if words[s] {
					t.Errorf("%s links to %q, which contains personal data %q", path, m[1], s)
				}
			}
			if strings.HasPrefix(m[1], "/") && !strings.HasPrefix(m[1], "/static/") && !strings.Contains(m[1], "sign-out") {
				queue = append(queue, strings.SplitN(m[1], "#", 2)[0])
			}
		}
	}
	if !seen["/people/"+f.person.Ref] {
		t.Errorf("the crawl never reached a person's page; it saw %d pages", len(seen))
	}
}

// S15, S16: the same matrix for every change to a record. Each form is
// refused by validation if the change is allowed, so nothing is written, and
// the status tells which check answered: 422/409 passed authorisation.
func TestS16PeopleWriteMatrix(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		base := "/people/" + f.person.Ref
		forms := []struct {
			name string
			path string
			form url.Values
		}{
			{"edit", base, url.Values{"version": {itoa(f.person.Version)}, "firstName": {""}}},
			{"restricted", base + "/restricted/criminal-records", url.Values{"version": {"1"}, "body": {""}}},
			{"allocation", base + "/allocation", url.Values{"version": {"0"}, "practitioner": {"0"}}},
			{"break-glass", base + "/break-glass", url.Values{"reason": {"short"}}},
		}
		want := map[string][4]int{ // edit, restricted, allocation, break-glass
			"riverside lead":         {422, 422, 409, 403},
			"riverside co-ordinator": {422, 404, 409, 422},
			"allocated practitioner": {422, 422, 404, 403},
			"other practitioner":     {403, 403, 404, 422}, // S16: offered break-glass; allocation is not a practitioner's, so 404
			"hillcrest lead":         {404, 404, 404, 404},
			"hillcrest practitioner": {404, 404, 404, 404},
			"admin":                  {404, 404, 404, 404},
			"national analyst":       {404, 404, 404, 404},
			"LA social worker":       {404, 404, 404, 404},
			"LA manager":             {404, 404, 404, 404},
			"directory editor":       {404, 404, 404, 404},
			"library editor":         {404, 404, 404, 404},
		}
		for name, a := range f.who(t) {
			c := f.signIn(t, a)
			for i, fm := range forms {
				if res := send(t, c, "POST", f.ts.URL+fm.path, fm.form); res.status != want[name][i] {
					t.Errorf("%s POST %s: %d, want %d", name, fm.name, res.status, want[name][i])
				}
			}
		}
		p, _, _ := db.PersonFor(t.Context(), mustActor(t, db, f.riverLead.UserID), f.person.Ref)
		if p.Version != f.person.Version || p.PractitionerID != f.person.PractitionerID {
			t.Error("a refused change was written")
		}
	})
}

// Safe-contact preferences and the people around her are kept with her record.
func TestSafeContactAndPeopleAround(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		c := f.signIn(t, f.allocated)
		path := f.ts.URL + "/people/" + f.person.Ref
		form := url.Values{"version": {itoa(f.person.Version)}, "firstName": {f.person.FirstName}, "lastName": {f.person.LastName},
			"safeChannels": {"text", "email"}, "noVoicemail": {"yes"}, "safeTimes": {"weekday mornings"}}
		bad := url.Values{}
		for k, v := range form {
			bad[k] = v
		}
		bad["safeChannels"] = []string{"carrier pigeon"}
		if res := send(t, c, "POST", path, bad); res.status != 422 || !strings.Contains(res.body, "from the list") {
			t.Errorf("unknown channel: %d", res.status)
		}
		if res := send(t, c, "POST", path, form); res.status != 303 {
			t.Fatalf("save: %d\n%s", res.status, res.body)
		}
		res := send(t, c, "GET", path, nil)
		if !strings.Contains(res.body, "text, email") || !strings.Contains(res.body, "Do not leave a voicemail") || !strings.Contains(res.body, "weekday mornings") {
			t.Error("safe-contact preferences not shown")
		}
		if res := send(t, c, "POST", path+"/people-around", url.Values{"aroundName": {""}, "relationship": {"sister"}}); res.status != 422 || !strings.Contains(res.body, `value="sister"`) {
			t.Errorf("person around without a name: %d", res.status)
		}
		if res := send(t, c, "POST", path+"/people-around", url.Values{"aroundName": {"Morgan Testcase"}, "relationship": {"sister"}}); res.status != 303 {
			t.Fatalf("add person around: %d", res.status)
		}
		if res := send(t, c, "GET", path, nil); !strings.Contains(res.body, "Morgan Testcase") {
			t.Error("the person around her is not shown")
		}
		if res := send(t, f.signIn(t, f.otherLead), "POST", path+"/people-around", url.Values{"aroundName": {"X"}, "relationship": {"Y"}}); res.status != 404 {
			t.Errorf("another Practice adding to her record: %d, want 404", res.status)
		}
	})
}
