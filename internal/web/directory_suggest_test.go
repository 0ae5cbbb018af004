package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"haven/internal/access"
	"haven/internal/directory"
	"haven/internal/store"
	"haven/internal/store/storetest"
	"haven/internal/web"
)

// suggestValues is a valid "Suggest a service" form, with over changed.
func suggestValues(over map[string]string) url.Values {
	v := url.Values{"organisation": {"Wharfe Trust (fictional)"}, "name": {"Wharfe Mothers Project (fictional)"},
		"description": {"Support for mothers after a removal."}, "status": {"active"}, "how-to-refer": {"Ring the duty line."},
		"self-referral": {"yes"}, "areas": {"E08000035"}, "phone": {"0113 496 0001"}, "postcode": {"LS1 4AP"}}
	for k, val := range over {
		v.Set(k, val)
	}
	return v
}

// Bad input is a 422 naming each field as its label does; markup is refused
// and what was typed comes back escaped, never as markup.
func TestDirectorySuggestRefusesBadInput(t *testing.T) {
	e := newAuthEnv(t, storetest.SQLite(t))
	c := e.browser()
	tests := []struct {
		name string
		over map[string]string
		want []string
	}{
		{"empty", map[string]string{"organisation": "", "name": "", "description": "", "how-to-refer": "", "self-referral": "", "areas": ""},
			[]string{"Enter who runs the service", "Enter the service&#39;s name", "Enter a description of the service", "Enter how to refer",
				"Say whether parents can refer themselves", "Choose at least one local authority the service covers"}},
		{"markup", map[string]string{"name": "<script>alert(1)</script>", "organisation": "<b>x</b>"},
			[]string{"The service&#39;s name must not contain &lt; or &gt;", "Who runs the service must not contain &lt; or &gt;", "&lt;script&gt;alert(1)&lt;/script&gt;"}},
		{"link that runs", map[string]string{"website": "javascript:alert(1)"}, []string{"Enter a web address that starts with https://"}},
		{"bad email, phone, postcode, area", map[string]string{"contact-email": "not an email", "phone": "call me", "postcode": "??", "areas": "X99"},
			[]string{"Enter your email address in the correct format", "Enter a telephone number", "Enter a postcode, like LS1 4AP", "Choose local authorities from the list"}},
		{"unknown status and term", map[string]string{"status": "open", "terms": "nope"}, []string{"Choose the service&#39;s status", "Choose from the lists given"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := send(t, c, "POST", e.ts.URL+"/directory/suggest", suggestValues(tt.over))
			if res.status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", res.status)
			}
			for _, w := range tt.want {
				if !strings.Contains(res.body, w) {
					t.Errorf("no %q in the page", w)
				}
			}
			if strings.Contains(res.body, "<script>alert") {
				t.Error("markup sent back unescaped")
			}
		})
	}
	if q, err := e.db.PendingSuggestions(t.Context()); err != nil || len(q) != 0 {
		t.Errorf("refused forms stored: %+v, %v", q, err)
	}
}

// A suggestion is not in the Open Referral feed until an editor approves
// it, and is after; a correction is applied through the editor's form,
// with field history, and closes; "Mark as checked today" sets the date.
func TestDirectorySuggestionModeration(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newAuthEnv(t, db)
		public := e.browser()
		inFeed := func(name string) bool {
			res := send(t, public, "GET", e.ts.URL+"/openreferral/services?search="+url.QueryEscape(name), nil)
			return res.status == 200 && strings.Contains(res.body, name)
		}
		const name = "Wharfe Mothers Project (fictional)"
		if res := send(t, public, "GET", e.ts.URL+"/directory/suggest", nil); res.status != 200 || !strings.Contains(res.body, "Suggest a service") {
			t.Fatalf("form: %d", res.status)
		}
		res := send(t, public, "POST", e.ts.URL+"/directory/suggest", suggestValues(nil))
		if res.status != 303 || res.header.Get("Location") != "/directory/suggest/sent" {
			t.Fatalf("send: %d to %q\n%s", res.status, res.header.Get("Location"), res.body)
		}
		if inFeed(name) {
			t.Fatal("an unmoderated suggestion is in the feed")
		}
		q, err := db.PendingSuggestions(t.Context())
		if err != nil || len(q) != 1 {
			t.Fatalf("queue %+v, %v", q, err)
		}
		editor := e.signIn(t, e.account(access.RoleDirectoryEditor))
		if res := send(t, editor, "GET", e.ts.URL+"/home", nil); res.status != 200 || !strings.Contains(res.body, `href="/directory/queue">Go to the directory queue`) ||
			!strings.Contains(res.body, `href="/directory/queue">Directory queue`) {
			t.Errorf("the editor's home has no way to the queue: %d", res.status)
		}
		if res := send(t, editor, "GET", e.ts.URL+"/directory/queue", nil); res.status != 200 || !strings.Contains(res.body, name) {
			t.Fatalf("queue page: %d", res.status)
		}
		if res := send(t, editor, "GET", e.ts.URL+"/directory/queue/"+q[0].ID, nil); res.status != 200 || !strings.Contains(res.body, "Approve and publish") {
			t.Fatalf("suggestion page: %d", res.status)
		}
		// Others may not moderate: a practitioner is refused, the public must sign in.
		pr := e.signIn(t, e.account(access.RolePractitioner))
		if res := send(t, pr, "POST", e.ts.URL+"/directory/queue/"+q[0].ID+"/approve", url.Values{}); res.status != 403 && res.status != 404 {
			t.Errorf("practitioner approves: %d", res.status)
		}
		if res := send(t, public, "POST", e.ts.URL+"/directory/queue/"+q[0].ID+"/approve", url.Values{}); res.status == 303 && inFeed(name) {
			t.Error("the public approved a suggestion")
		}
		if inFeed(name) {
			t.Fatal("published without an editor")
		}
		if res := send(t, editor, "POST", e.ts.URL+"/directory/queue/"+q[0].ID+"/approve", url.Values{}); res.status != 303 {
			t.Fatalf("approve: %d\n%s", res.status, res.body)
		}
		if !inFeed(name) {
			t.Fatal("approved suggestion not in the feed")
		}
		sg, _ := db.SuggestionByID(t.Context(), q[0].ID)
		svc, err := db.Service(t.Context(), sg.ResultServiceID)
		if err != nil || svc.Phone != "0113 496 0001" || svc.Postcode != "LS1 4AP" {
			t.Fatalf("published service %+v, %v", svc, err)
		}

		// A correction from the public.
		if res := send(t, public, "GET", e.ts.URL+"/directory/services/"+directory.NewID()+"/correct", nil); res.status != 404 {
			t.Errorf("correction for an unknown service: %d", res.status)
		}
		if res := send(t, public, "GET", e.ts.URL+"/directory/services/"+svc.ID+"/correct", nil); res.status != 200 {
			t.Fatalf("correction form: %d", res.status)
		}
		if res := send(t, public, "POST", e.ts.URL+"/directory/services/"+svc.ID+"/correct", url.Values{"what-is-wrong": {""}, "change": {"<a href=x>y</a>"}}); res.status != 422 ||
			!strings.Contains(res.body, "Enter what is wrong") || !strings.Contains(res.body, "What it should say must not contain &lt; or &gt;") {
			t.Errorf("bad correction: %d", res.status)
		}
		if res := send(t, public, "POST", e.ts.URL+"/directory/services/"+svc.ID+"/correct",
			url.Values{"what-is-wrong": {"The description"}, "change": {"Mothers and fathers"}, "contact-email": {"ask@example.org"}}); res.status != 303 {
			t.Fatalf("correction: %d", res.status)
		}
		q, _ = db.PendingSuggestions(t.Context())
		if len(q) != 1 || q[0].Kind != store.SuggestCorrection {
			t.Fatalf("queue %+v", q)
		}
		if res := send(t, editor, "GET", e.ts.URL+"/directory/queue/"+q[0].ID, nil); res.status != 200 || !strings.Contains(res.body, "Mothers and fathers") || !strings.Contains(res.body, "Support for mothers after a removal.") {
			t.Fatalf("correction page: %d", res.status)
		}
		edit := suggestValues(map[string]string{"description": "Support for mothers and fathers.", "version": "1", "correction": q[0].ID})
		if res := send(t, editor, "POST", e.ts.URL+"/directory/entries/"+svc.ID, edit); res.status != 303 {
			t.Fatalf("edit: %d\n%s", res.status, res.body)
		}
		got, _ := db.Service(t.Context(), svc.ID)
		if got.Description != "Support for mothers and fathers." {
			t.Errorf("description %q", got.Description)
		}
		hist, _ := db.ServiceHistory(t.Context(), svc.ID)
		found := false
		for _, h := range hist {
			found = found || (h.Action == "update" && h.Field == "description" && h.Previous == "Support for mothers after a removal." &&
				h.Replacement == "Support for mothers and fathers." && strings.HasPrefix(h.By, "haven-user:"))
		}
		if !found {
			t.Errorf("no field history for the edit: %+v", hist)
		}
		if q, _ := db.PendingSuggestions(t.Context()); len(q) != 0 {
			t.Errorf("correction still pending: %+v", q)
		}
		// A stale edit (old version) is a conflict, not a silent overwrite.
		if res := send(t, editor, "POST", e.ts.URL+"/directory/entries/"+svc.ID, edit); res.status != 409 {
			t.Errorf("edit from an old version: %d", res.status)
		}
		if res := send(t, editor, "POST", e.ts.URL+"/directory/entries/"+svc.ID, suggestValues(map[string]string{"name": "", "version": "2"})); res.status != 422 {
			t.Errorf("edit without a name: %d", res.status)
		}
		if res := send(t, editor, "GET", e.ts.URL+"/directory/entries/"+svc.ID, nil); res.status != 200 || !strings.Contains(res.body, "Support for mothers and fathers.</td>") {
			t.Errorf("entry page without the edit in its field history: %d", res.status)
		}
		if res := send(t, editor, "POST", e.ts.URL+"/directory/entries/"+svc.ID+"/checked", url.Values{}); res.status != 303 {
			t.Fatalf("checked: %d", res.status)
		}
		got, _ = db.Service(t.Context(), svc.ID)
		if now := e.clock.Now(); !got.LastVerified.Equal(time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)) {
			t.Errorf("last verified %v, now %v", got.LastVerified, now)
		}
		// Every view and change was audited.
		ev, err := db.SearchAudit(t.Context(), store.AuditFilter{Page: store.Page{Limit: 500}})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, x := range ev {
			seen[x.RecordType+"/"+string(x.Action)] = true
		}
		for _, w := range []string{"dir-suggestion/create", "dir-suggestion/view", "dir-suggestion/update", "dir-suggestions/view", "dir-service/create", "dir-service/update"} {
			if !seen[w] {
				t.Errorf("no audit row %s", w)
			}
		}
	})
}

// An editor rejects with a reason; the suggestion never reaches the feed.
func TestDirectorySuggestionReject(t *testing.T) {
	e := newAuthEnv(t, storetest.SQLite(t))
	public := e.browser()
	send(t, public, "POST", e.ts.URL+"/directory/suggest", suggestValues(map[string]string{"name": "Rejected Project (fictional)"}))
	q, _ := e.db.PendingSuggestions(t.Context())
	if len(q) != 1 {
		t.Fatalf("queue %+v", q)
	}
	editor := e.signIn(t, e.account(access.RoleDirectoryEditor))
	if res := send(t, editor, "POST", e.ts.URL+"/directory/queue/"+q[0].ID+"/reject", url.Values{"reason": {""}}); res.status != 422 || !strings.Contains(res.body, "Enter why it is rejected") {
		t.Errorf("reject without a reason: %d", res.status)
	}
	if res := send(t, editor, "POST", e.ts.URL+"/directory/queue/"+q[0].ID+"/reject", url.Values{"reason": {"Not in England"}}); res.status != 303 {
		t.Fatalf("reject: %d", res.status)
	}
	if res := send(t, public, "GET", e.ts.URL+"/openreferral/services?search=Rejected", nil); strings.Contains(res.body, "Rejected Project") {
		t.Error("a rejected suggestion is in the feed")
	}
	if res := send(t, editor, "POST", e.ts.URL+"/directory/queue/"+q[0].ID+"/approve", url.Values{}); res.status != 409 {
		t.Errorf("approve after reject: %d", res.status)
	}
}

// Suggestions are limited per client address: ten free and one more, then
// a 429 that keeps what was typed, and nothing more is stored.
func TestDirectorySuggestRateLimit(t *testing.T) {
	e := newAuthEnv(t, storetest.SQLite(t))
	c := e.browser()
	for i := range 11 {
		if res := send(t, c, "POST", e.ts.URL+"/directory/suggest", suggestValues(nil)); res.status != 303 {
			t.Fatalf("suggestion %d: %d", i+1, res.status)
		}
	}
	res := send(t, c, "POST", e.ts.URL+"/directory/suggest", suggestValues(map[string]string{"name": "Twelfth (fictional)"}))
	if res.status != http.StatusTooManyRequests || res.header.Get("Retry-After") == "" || !strings.Contains(res.body, "Twelfth (fictional)") {
		t.Fatalf("twelfth: %d, Retry-After %q", res.status, res.header.Get("Retry-After"))
	}
	svc, _, _ := e.db.ListServices(t.Context(), directory.Query{Page: 1, PerPage: 1})
	if len(svc) > 0 {
		if res := send(t, c, "POST", e.ts.URL+"/directory/services/"+svc[0].ID+"/correct", url.Values{"what-is-wrong": {"x"}, "change": {"y"}}); res.status != 429 {
			t.Errorf("correction while limited: %d", res.status)
		}
	}
	if q, _ := e.db.PendingSuggestions(t.Context()); len(q) != 11 {
		t.Errorf("%d stored, want 11", len(q))
	}
}

// A suggestion sent twice with one idempotency key (a double click, a
// resend after a lost answer) is stored once, and both go to the same page.
func TestDirectorySuggestRepeatMakesOne(t *testing.T) {
	e := newAuthEnv(t, storetest.SQLite(t))
	c := e.browser()
	form := suggestValues(nil)
	form.Set(web.IdempotencyField, "dir-suggest-repeat-key-0001")
	for i := range 2 {
		if res := send(t, c, "POST", e.ts.URL+"/directory/suggest", form); res.status != 303 || res.header.Get("Location") != "/directory/suggest/sent" {
			t.Fatalf("send %d: %d to %q\n%s", i+1, res.status, res.header.Get("Location"), res.body)
		}
	}
	if q, _ := e.db.PendingSuggestions(t.Context()); len(q) != 1 {
		t.Errorf("%d stored, want 1", len(q))
	}
}

// Only directory editors reach the queue, a suggestion, an entry's editing
// page and their actions: every other role is refused (403 or 404) and the
// public is sent to sign in, and no refused request changes anything.
func TestDirectoryEditorRouteMatrix(t *testing.T) {
	db := storetest.SQLite(t)
	e := newAuthEnv(t, db)
	if res := send(t, e.browser(), "POST", e.ts.URL+"/directory/suggest", suggestValues(nil)); res.status != 303 {
		t.Fatalf("suggest: %d", res.status)
	}
	q, err := db.PendingSuggestions(t.Context())
	if err != nil || len(q) != 1 {
		t.Fatalf("queue %+v, %v", q, err)
	}
	ss, _, err := db.ListServices(t.Context(), directory.Query{Page: 1, PerPage: 1})
	if err != nil || len(ss) == 0 {
		t.Fatalf("services %v", err)
	}
	svc := ss[0]
	routes := []struct{ method, path string }{
		{"GET", "/directory/queue"},
		{"GET", "/directory/queue/" + q[0].ID},
		{"POST", "/directory/queue/" + q[0].ID + "/approve"},
		{"POST", "/directory/queue/" + q[0].ID + "/reject"},
		{"GET", "/directory/entries/" + svc.ID},
		{"POST", "/directory/entries/" + svc.ID},
		{"POST", "/directory/entries/" + svc.ID + "/checked"},
		{"GET", "/directory/import"},
		{"POST", "/directory/import"},
		{"GET", "/directory/entries/" + svc.ID + "/accounts/new"},
		{"POST", "/directory/entries/" + svc.ID + "/accounts"},
		{"POST", "/directory/entries/" + svc.ID + "/accounts/" + itoa(e.account(access.RoleServiceContact).UserID) + "/remove"},
	}
	for _, role := range access.Roles() {
		if role == access.RoleDirectoryEditor {
			continue
		}
		c := e.signIn(t, e.account(role))
		for _, rt := range routes {
			if res := send(t, c, rt.method, e.ts.URL+rt.path, url.Values{"reason": {"no"}}); res.status != 403 && res.status != 404 {
				t.Errorf("%s: %s %s answered %d", role, rt.method, rt.path, res.status)
			}
		}
	}
	public := e.browser()
	for _, rt := range routes {
		if res := send(t, public, rt.method, e.ts.URL+rt.path, url.Values{"reason": {"no"}}); res.status == 200 || (res.status == 303 && !strings.HasPrefix(res.header.Get("Location"), "/sign-in")) {
			t.Errorf("signed out: %s %s answered %d to %q", rt.method, rt.path, res.status, res.header.Get("Location"))
		}
	}
	if q2, _ := db.PendingSuggestions(t.Context()); len(q2) != 1 {
		t.Errorf("a refused request decided the suggestion: %d pending", len(q2))
	}
	if again, err := db.Service(t.Context(), svc.ID); err != nil || !again.LastVerified.Equal(svc.LastVerified) || again.Name != svc.Name {
		t.Errorf("a refused request changed the entry: %+v, %v", again, err)
	}
	editor := e.signIn(t, e.account(access.RoleDirectoryEditor))
	for _, rt := range routes[:2] {
		if res := send(t, editor, rt.method, e.ts.URL+rt.path, nil); res.status != 200 {
			t.Errorf("editor: %s %s answered %d", rt.method, rt.path, res.status)
		}
	}
	if res := send(t, editor, "GET", e.ts.URL+routes[4].path, nil); res.status != 200 {
		t.Errorf("editor: the entry page answered %d", res.status)
	}
	if res := send(t, editor, "GET", e.ts.URL+"/directory/import", nil); res.status != 200 {
		t.Errorf("editor: the import page answered %d", res.status)
	}
}
