package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"haven/internal/access"
	"haven/internal/directory"
	"haven/internal/store"
	"haven/internal/store/storetest"
	"haven/internal/web"
)

// entryValues is a service's entry as its edit form posts it, with over changed.
func entryValues(svc directory.Service, over map[string]string) url.Values {
	v := url.Values{"name": {svc.Name}, "description": {svc.Description}, "status": {string(svc.Status)}, "how-to-refer": {svc.HowToRefer},
		"eligibility": {svc.Eligibility}, "email": {svc.Email}, "website": {svc.Website}, "areas": svc.ServiceAreas, "terms": svc.Terms,
		"self-referral": {map[bool]string{true: "yes", false: "no"}[svc.SelfReferral]}, "version": {itoa(svc.Version)}}
	for k, val := range over {
		v.Set(k, val)
	}
	return v
}

// contactEnv is the demo with its service contact's two entries and one
// entry they do not keep.
func contactEnv(t *testing.T, db *store.DB) (e *authEnv, kept []directory.Service, other directory.Service) {
	t.Helper()
	e = newAuthEnv(t, db)
	kept, err := db.KeptServices(t.Context(), e.account(access.RoleServiceContact).UserID)
	if err != nil || len(kept) != 2 {
		t.Fatalf("the demo contact keeps %d services, %v", len(kept), err)
	}
	all, _, err := db.ListServices(t.Context(), directory.Query{Page: 1, PerPage: directory.MaxPerPage})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range all {
		if s.PracticeID == 0 && s.ID != kept[0].ID && s.ID != kept[1].ID {
			return e, kept, s
		}
	}
	t.Fatal("no service the contact does not keep")
	return
}

// A service's contact signs in, finds their entries (the overdue one
// flagged), changes one — published at once, field history by them, last
// verified today — and says the other is still correct. Bad input is a 422
// with nothing saved; another service and the editors' pages are not theirs.
func TestServiceContactKeepsOwnEntry(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e, kept, other := contactEnv(t, db)
		ctx := t.Context()
		who := e.account(access.RoleServiceContact)
		c := e.signIn(t, who)
		by := "haven-user:" + itoa(who.UserID)
		london, _ := time.LoadLocation("Europe/London")
		now := e.clock.Now().In(london)
		today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)

		if res := send(t, c, "GET", e.ts.URL+"/home", nil); res.status != 200 || !strings.Contains(res.body, `href="/directory/my-services"`) {
			t.Errorf("the contact's home has no way to their entries: %d", res.status)
		}
		res := send(t, c, "GET", e.ts.URL+"/directory/my-services", nil)
		if res.status != 200 || !strings.Contains(res.body, kept[0].Name) || !strings.Contains(res.body, kept[1].Name) || strings.Contains(res.body, other.Name) {
			t.Fatalf("list: %d", res.status)
		}
		stale := directory.Stale(kept[0].LastVerified, now) || directory.Stale(kept[1].LastVerified, now)
		if got := strings.Contains(res.body, "Not checked for 12 months"); got != stale {
			t.Errorf("flagged %v, want %v", got, stale)
		}
		page := "/directory/my-services/" + kept[0].ID
		res = send(t, c, "GET", e.ts.URL+page, nil)
		if res.status != 200 || !strings.Contains(res.body, "This is still correct") || strings.Contains(res.body, `value="defunct"`) {
			t.Fatalf("edit page: %d, or it offers defunct", res.status)
		}

		// Refused: nothing is written, and the form comes back with a GOV.UK error summary.
		for _, tt := range []struct {
			name string
			over map[string]string
			want []string
		}{
			{"empty and markup", map[string]string{"name": "", "description": "<b>bold</b>", "areas": ""},
				[]string{"Enter the service&#39;s name", "A description of the service must not contain &lt; or &gt;", "Choose at least one local authority the service covers"}},
			{"running link", map[string]string{"website": "javascript:alert(1)"}, []string{"Enter a web address that starts with https://"}},
			{"defunct", map[string]string{"status": "defunct"}, []string{"tell the directory team"}},
			{"unknown status", map[string]string{"status": "open"}, []string{"Choose the service&#39;s status"}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				res := send(t, c, "POST", e.ts.URL+page, entryValues(kept[0], tt.over))
				if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "govuk-error-summary") {
					t.Fatalf("status %d, want 422 with an error summary", res.status)
				}
				for _, w := range tt.want {
					if !strings.Contains(res.body, w) {
						t.Errorf("no %q in the page", w)
					}
				}
				if got, _ := db.Service(ctx, kept[0].ID); got.Version != kept[0].Version || got.Description != kept[0].Description {
					t.Errorf("a refused form changed the entry: %+v", got)
				}
			})
		}

		// Saved: published at once, with history by the contact and checked today.
		status := directory.StatusTempClosed
		if kept[0].Status == status {
			status = directory.StatusInDevelopment
		}
		res = send(t, c, "POST", e.ts.URL+page, entryValues(kept[0], map[string]string{"description": "Support for mothers and fathers (fictional).", "status": string(status)}))
		if res.status != 303 || res.header.Get("Location") != page {
			t.Fatalf("save: %d to %q\n%s", res.status, res.header.Get("Location"), res.body)
		}
		got, _ := db.Service(ctx, kept[0].ID)
		if got.Description != "Support for mothers and fathers (fictional)." || got.Status != status || !got.LastVerified.Equal(today) {
			t.Errorf("saved %q, %q, verified %v; want today %v", got.Description, got.Status, got.LastVerified, today)
		}
		if pub := send(t, e.browser(), "GET", e.ts.URL+"/directory/services/"+kept[0].ID, nil); !strings.Contains(pub.body, "Support for mothers and fathers (fictional).") {
			t.Error("the change is not on the public page")
		}
		hist, _ := db.ServiceHistory(ctx, kept[0].ID)
		fields := map[string]bool{}
		for _, h := range hist {
			if h.Action == "update" && h.By == by {
				fields[h.Field] = true
			}
		}
		if !fields["description"] || !fields["status"] || (!kept[0].LastVerified.Equal(today) && !fields["last_verified"]) {
			t.Errorf("history by the contact: %v", fields)
		}
		// Sent again from the old version: a conflict, not a silent overwrite.
		if res := send(t, c, "POST", e.ts.URL+page, entryValues(kept[0], nil)); res.status != http.StatusConflict {
			t.Errorf("save from an old version: %d", res.status)
		}

		// "This is still correct" on the other entry (demo entries were checked on the 1st of a month, never today).
		res = send(t, c, "POST", e.ts.URL+"/directory/my-services/"+kept[1].ID+"/checked", url.Values{})
		if res.status != 303 {
			t.Fatalf("still correct: %d", res.status)
		}
		got1, _ := db.Service(ctx, kept[1].ID)
		if !got1.LastVerified.Equal(today) || got1.Description != kept[1].Description {
			t.Errorf("after still correct: verified %v, want %v", got1.LastVerified, today)
		}
		hist, _ = db.ServiceHistory(ctx, kept[1].ID)
		if last := hist[len(hist)-1]; last.Field != "last_verified" || last.By != by || last.Replacement != today.Format("2006-01-02") {
			t.Errorf("still correct's history row %+v", last)
		}

		// Another service, and the editors' pages: not found (or forbidden), and nothing changes.
		for _, rt := range []struct{ method, path string }{
			{"GET", "/directory/my-services/" + other.ID},
			{"POST", "/directory/my-services/" + other.ID},
			{"POST", "/directory/my-services/" + other.ID + "/checked"},
			{"GET", "/directory/my-services/" + directory.NewID()},
			{"GET", "/directory/my-services/not-a-uuid"},
			{"GET", "/directory/entries/" + kept[0].ID},
			{"POST", "/directory/entries/" + kept[0].ID},
			{"POST", "/directory/entries/" + kept[0].ID + "/checked"},
			{"GET", "/directory/entries/" + kept[0].ID + "/accounts/new"},
			{"POST", "/directory/entries/" + kept[0].ID + "/accounts"},
		} {
			res := send(t, c, rt.method, e.ts.URL+rt.path, entryValues(other, map[string]string{"description": "Hijacked.", "contact-name": "X", "contact-email": "x@example.org"}))
			if res.status != http.StatusNotFound {
				t.Errorf("%s %s: %d, want 404", rt.method, rt.path, res.status)
			}
		}
		if res := send(t, c, "GET", e.ts.URL+"/directory/queue", nil); res.status != http.StatusForbidden {
			t.Errorf("the queue: %d, want 403", res.status)
		}
		if got, _ := db.Service(ctx, other.ID); got.Description != other.Description || !got.LastVerified.Equal(other.LastVerified) {
			t.Error("another service was changed")
		}
		if _, err := db.AccountByEmail(ctx, "x@example.org"); err == nil {
			t.Error("a contact made an account")
		}
		// Every view and change was audited.
		evs, err := db.SearchAudit(ctx, store.AuditFilter{UserID: who.UserID, Page: store.Page{Limit: 500}})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, x := range evs {
			seen[x.RecordType+"/"+string(x.Action)] = true
		}
		for _, w := range []string{"dir-kept-services/view", "dir-service/view", "dir-service/update"} {
			if !seen[w] {
				t.Errorf("no audit row %s", w)
			}
		}
	})
}

// A directory editor gives a service's contact an account from the entry's
// page: the one-time enrolment link is shown, the entry page names who can
// keep it, and the link can be removed; an address of another kind of
// account is refused, and the demo contact's existing account is linked
// without a new link.
func TestEditorGivesServiceContactAnAccount(t *testing.T) {
	e, kept, svc := contactEnv(t, storetest.SQLite(t))
	ctx := t.Context()
	editor := e.signIn(t, e.account(access.RoleDirectoryEditor))
	entry := "/directory/entries/" + svc.ID
	if res := send(t, editor, "GET", e.ts.URL+entry, nil); res.status != 200 || !strings.Contains(res.body, `href="`+entry+`/accounts/new"`) ||
		!strings.Contains(res.body, "Nobody keeps this entry yet") {
		t.Fatalf("entry page: %d", res.status)
	}
	if res := send(t, editor, "GET", e.ts.URL+entry+"/accounts/new", nil); res.status != 200 || !strings.Contains(res.body, "Their email address") {
		t.Fatalf("form: %d", res.status)
	}
	for _, tt := range []struct {
		name        string
		form        url.Values
		want        string
		wantAccount bool
	}{
		{"empty", url.Values{"contact-name": {""}, "contact-email": {""}}, "Enter their full name", false},
		{"bad address", url.Values{"contact-name": {"Kim Keeper"}, "contact-email": {"kim at example"}}, "Enter an email address in the correct format", false},
		{"a staff account", url.Values{"contact-name": {"Someone"}, "contact-email": {e.account(access.RolePractitioner).Email}}, "is not a service contact", true},
	} {
		res := send(t, editor, "POST", e.ts.URL+entry+"/accounts", tt.form)
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, tt.want) || !strings.Contains(res.body, "govuk-error-summary") {
			t.Errorf("%s: %d, want 422 with %q", tt.name, res.status, tt.want)
		}
	}
	if ks, _ := e.db.ServiceKeepers(ctx, svc.ID); len(ks) != 0 {
		t.Fatalf("refused forms linked %+v", ks)
	}
	if ms, _ := e.db.Memberships(ctx, e.account(access.RolePractitioner).UserID); slices.ContainsFunc(ms, func(m access.Membership) bool { return m.Role == access.RoleServiceContact }) {
		t.Error("a staff account was made a service contact")
	}

	res := send(t, editor, "POST", e.ts.URL+entry+"/accounts", url.Values{"contact-name": {"Kim Keeper"}, "contact-email": {"kim.keeper@example.org"}})
	if res.status != 200 || !strings.Contains(res.body, "Account ready") || !strings.Contains(res.body, "/enrol/") {
		t.Fatalf("give an account: %d\n%s", res.status, res.body)
	}
	a, err := e.db.AccountByEmail(ctx, "kim.keeper@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if ms, _ := e.db.Memberships(ctx, a.ID); len(ms) != 1 || ms[0].Role != access.RoleServiceContact {
		t.Errorf("roles %+v", ms)
	}
	token := res.body[strings.Index(res.body, "/enrol/")+len("/enrol/"):]
	token = token[:strings.IndexAny(token, "<\n ")]
	if r := send(t, e.browser(), "GET", e.ts.URL+"/enrol/"+token, nil); r.status != 303 || r.header.Get("Location") != "/enrol" {
		t.Errorf("the enrolment link: %d to %q", r.status, r.header.Get("Location"))
	}
	res = send(t, editor, "GET", e.ts.URL+entry, nil)
	if !strings.Contains(res.body, "kim.keeper@example.org") || !strings.Contains(res.body, "Not set up yet") {
		t.Errorf("the entry page does not name who keeps it")
	}
	// The demo contact's account, linked as well: no new link, as they have signed in before.
	res = send(t, editor, "POST", e.ts.URL+entry+"/accounts", url.Values{"contact-name": {"Anyone"}, "contact-email": {e.account(access.RoleServiceContact).Email}})
	if res.status != 200 || strings.Contains(res.body, "/enrol/") || !strings.Contains(res.body, "They already have an account") {
		t.Errorf("link an existing contact: %d", res.status)
	}
	if ks, _ := e.db.ServiceKeepers(ctx, svc.ID); len(ks) != 2 {
		t.Fatalf("keepers %+v", ks)
	}
	res = send(t, editor, "POST", e.ts.URL+entry+"/accounts/"+itoa(a.ID)+"/remove", url.Values{})
	if res.status != 303 || res.header.Get("Location") != entry {
		t.Fatalf("remove: %d to %q", res.status, res.header.Get("Location"))
	}
	if res := send(t, editor, "POST", e.ts.URL+entry+"/accounts/"+itoa(a.ID)+"/remove", url.Values{}); res.status != 404 {
		t.Errorf("remove twice: %d", res.status)
	}
	if ks, _ := e.db.ServiceKeepers(ctx, svc.ID); len(ks) != 1 || ks[0].UserID != e.account(access.RoleServiceContact).UserID {
		t.Errorf("keepers after removing %+v", ks)
	}
	// A form sent twice (one idempotency key) links once and shows the link again.
	form := url.Values{"contact-name": {"Lee Twice"}, "contact-email": {"lee.twice@example.org"}, web.IdempotencyField: {"dir-keeper-repeat-key-0001"}}
	for i := range 2 {
		if res := send(t, editor, "POST", e.ts.URL+"/directory/entries/"+kept[0].ID+"/accounts", form); res.status != 200 || !strings.Contains(res.body, "/enrol/") {
			t.Fatalf("send %d: %d", i+1, res.status)
		}
	}
	if ks, _ := e.db.ServiceKeepers(ctx, kept[0].ID); len(ks) != 2 {
		t.Errorf("after a repeat, keepers %+v", ks)
	}
	evs, err := e.db.SearchAudit(ctx, store.AuditFilter{UserID: e.account(access.RoleDirectoryEditor).UserID, Page: store.Page{Limit: 500}})
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, x := range evs {
		count[x.RecordType+"/"+string(x.Action)]++
	}
	if count["user/account-created"] != 2 || count["dir-service-keeper/create"] != 3 || count["dir-service-keeper/delete"] != 1 {
		t.Errorf("audit rows %v", count)
	}
}

// Only a service contact reaches their own entries' pages: every other
// role is refused (403 for the list, 404 for an entry) and the public is
// sent to sign in; and only directory editors give or take away accounts.
func TestDirectoryContactRouteMatrix(t *testing.T) {
	e, kept, _ := contactEnv(t, storetest.SQLite(t))
	contact := e.account(access.RoleServiceContact)
	routes := []struct {
		method, path string
		allowed      access.Role
		ok           int
	}{
		{"GET", "/directory/my-services", access.RoleServiceContact, 200},
		{"GET", "/directory/my-services/" + kept[0].ID, access.RoleServiceContact, 200},
		{"POST", "/directory/my-services/" + kept[0].ID, access.RoleServiceContact, 422},
		{"POST", "/directory/my-services/" + kept[0].ID + "/checked", access.RoleServiceContact, 303},
		// kept[1]: the editor's removal must leave the contact their link to kept[0].
		{"GET", "/directory/entries/" + kept[1].ID + "/accounts/new", access.RoleDirectoryEditor, 200},
		{"POST", "/directory/entries/" + kept[1].ID + "/accounts", access.RoleDirectoryEditor, 422},
		{"POST", "/directory/entries/" + kept[1].ID + "/accounts/" + itoa(contact.UserID) + "/remove", access.RoleDirectoryEditor, 303},
	}
	s, err := web.NewServer(web.Options{Store: e.db})
	if err != nil {
		t.Fatal(err)
	}
	registered := 0
	for pattern := range s.Routes() {
		if strings.Contains(pattern, "/directory/my-services") || strings.Contains(pattern, "/directory/entries/{id}/accounts") {
			registered++
		}
	}
	if registered != len(routes) {
		t.Errorf("%d contact routes registered, %d in this matrix", registered, len(routes))
	}
	form := url.Values{"version": {"1"}, "contact-name": {""}}
	public := e.browser()
	for _, role := range access.Roles() {
		c := e.signIn(t, e.account(role))
		for _, rt := range routes {
			res := send(t, c, rt.method, e.ts.URL+rt.path, form)
			want := http.StatusNotFound
			switch {
			case role == rt.allowed:
				want = rt.ok
			case !strings.Contains(rt.path, "/directory/my-services/") && !strings.Contains(rt.path, "/entries/"):
				want = http.StatusForbidden
			}
			if res.status != want {
				t.Errorf("%s: %s %s answered %d, want %d", role, rt.method, rt.path, res.status, want)
			}
		}
	}
	for _, rt := range routes {
		res := send(t, public, rt.method, e.ts.URL+rt.path, form)
		if res.status == 200 || (res.status == 303 && !strings.HasPrefix(res.header.Get("Location"), "/sign-in")) {
			t.Errorf("signed out: %s %s answered %d to %q", rt.method, rt.path, res.status, res.header.Get("Location"))
		}
	}
}
