package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"haven/internal/access"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// S15: every role against the routes that exist so far: allowed, forbidden,
// or sent to sign in. The matrix grows with each capability.
func TestS15RoleRouteMatrix(t *testing.T) {
	e := newAuthEnv(t, storetest.SQLite(t))
	clients := map[string]*http.Client{"anonymous": e.browser()}
	for _, r := range access.Roles() {
		clients[string(r)] = e.signIn(t, e.account(r))
	}
	admin := e.account(access.RoleAdmin)
	target := "/admin/users/" + itoa(e.account(access.RolePractitioner).UserID)
	routes := []struct {
		path    string
		allowed []access.Role // everyone else signed in gets 403, or 404 for a named record
		public  bool
		record  bool
		home    bool // public, but sends whoever is signed in to their own home
	}{
		{path: "/", public: true, home: true},
		{path: "/home", allowed: access.Roles()},
		{path: "/practices", public: true},
		{path: "/calculators", public: true},
		{path: "/calculators/return-home", public: true},
		{path: "/calculators/infant-care", public: true},
		{path: "/openreferral/", public: true},
		{path: "/openreferral/services", public: true},
		{path: "/directory", public: true},
		{path: "/directory?place=LS6", public: true},
		{path: "/directory/map", public: true},
		{path: "/directory/suggest", public: true},
		{path: "/directory/suggest/sent", public: true},
		{path: "/directory/queue", allowed: []access.Role{access.RoleDirectoryEditor}},
		{path: "/directory/import", allowed: []access.Role{access.RoleDirectoryEditor}},
		{path: "/directory/export.zip", public: true},
		{path: "/directory/coverage", allowed: []access.Role{access.RoleNationalAnalyst, access.RoleDirectoryEditor}},
		{path: "/directory/my-services", allowed: []access.Role{access.RoleServiceContact}},
		{path: "/account", allowed: access.Roles()},
		{path: "/admin/users", allowed: []access.Role{access.RoleAdmin}},
		{path: "/admin/users/new", allowed: []access.Role{access.RoleAdmin}},
		{path: target, allowed: []access.Role{access.RoleAdmin}, record: true},
		{path: "/admin/audit", allowed: []access.Role{access.RoleAdmin}},
		// An LA team's children: not found for anyone outside an LA team (TestLAChildRouteMatrix has every route).
		{path: "/la/children", allowed: []access.Role{access.RoleLASocialWorker, access.RoleLAManager}, record: true},
		{path: "/la/children/new", allowed: []access.Role{access.RoleLASocialWorker, access.RoleLAManager}, record: true},
	}
	for _, rt := range routes {
		for who, c := range clients {
			t.Run(rt.path+"/"+who, func(t *testing.T) {
				res := send(t, c, "GET", e.ts.URL+rt.path, nil)
				want := http.StatusForbidden
				switch {
				case rt.home && who != "anonymous":
					want = http.StatusSeeOther
				case rt.public:
					want = http.StatusOK
				case who == "anonymous":
					want = http.StatusSeeOther
				case rt.path == "/home" && (who == string(access.RoleLASocialWorker) || who == string(access.RoleLAManager)):
					want = http.StatusSeeOther // to their children list (reunify_children.go)
				case containsRole(rt.allowed, access.Role(who)):
					want = http.StatusOK
				case rt.record:
					want = http.StatusNotFound
				}
				if res.status != want {
					t.Errorf("GET %s as %s: %d, want %d", rt.path, who, res.status, want)
				}
			})
		}
	}
	// Each refusal was recorded as a security event.
	denied, err := e.db.SearchAudit(t.Context(), store.AuditFilter{Action: "authorisation-denied", Page: store.Page{Limit: 500}})
	if err != nil {
		t.Fatal(err)
	}
	// Seven routes for one role each, and the directory's coverage for two.
	if want := 7*(len(access.Roles())-1) + len(access.Roles()) - 2; len(denied) != want {
		t.Errorf("%d denial events, want %d", len(denied), want)
	}
	// The audit search's POST (a name or email, kept out of the URL) is the admin's alone.
	for who, c := range clients {
		want := http.StatusForbidden
		switch who {
		case "anonymous":
			want = http.StatusUnauthorized
		case string(access.RoleAdmin):
			want = http.StatusSeeOther
		}
		if res := send(t, c, "POST", e.ts.URL+"/admin/audit", url.Values{"user": {"nobody-matches-this"}}); res.status != want {
			t.Errorf("POST /admin/audit as %s: %d, want %d", who, res.status, want)
		}
		// S6: unlocking an account is the admin's alone too (manage-users, which no other
		// role holds); like the account's page, it is not found by anyone else.
		if want == http.StatusForbidden {
			want = http.StatusNotFound
		}
		if res := send(t, c, "POST", e.ts.URL+target+"/unlock", url.Values{}); res.status != want {
			t.Errorf("POST %s/unlock as %s: %d, want %d", target, who, res.status, want)
		}
	}
	if evs, _ := e.db.SearchAudit(t.Context(), store.AuditFilter{Action: "account-unlocked"}); len(evs) != 1 {
		t.Errorf("%d unlock audit rows, want 1: only the administrator's went through", len(evs))
	}
	_ = admin
}

func containsRole(rs []access.Role, r access.Role) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

// S12, S19: disabling an account ends its sessions and stops its API token at once;
// removing a role applies on the next request.
func TestS12S19AdminChangesApplyAtOnce(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newAuthEnv(t, db)
		admin := e.signIn(t, e.account(access.RoleAdmin))
		lead := e.account(access.RolePracticeLead)
		leadBrowser := e.signIn(t, lead)
		base := e.ts.URL + "/admin/users/" + itoa(lead.UserID)

		// S19: take away the lead's only role (a fresh sign-in, so no re-authentication is asked).
		res := send(t, admin, "POST", base+"/roles/remove", url.Values{"role": {"practice-lead"}, "tenant": {"practice:" + lead.Tenant}})
		if res.status != 303 {
			t.Fatalf("remove role: %d\n%s", res.status, res.body)
		}
		if res := send(t, leadBrowser, "GET", e.ts.URL+"/account", nil); !strings.Contains(res.body, "You have no roles yet") {
			t.Error("S19: the removed role still shows on the next request")
		}

		// S12: disable ends the session and the token.
		if res := send(t, admin, "POST", base+"/disable", url.Values{}); res.status != 303 {
			t.Fatalf("disable: %d", res.status)
		}
		if res := send(t, leadBrowser, "GET", e.ts.URL+"/account", nil); res.status != 303 {
			t.Errorf("S12: disabled user's session still works: %d", res.status)
		}
		req, _ := http.NewRequest("GET", e.ts.URL+"/api/v1/me", nil)
		req.Header.Set("Authorization", "Bearer "+lead.APIToken)
		if r, err := e.ts.Client().Do(req); err != nil || r.StatusCode != 401 {
			t.Errorf("S12: disabled user's API token still works: %v %v", r.StatusCode, err)
		}
		if res := send(t, e.browser(), "POST", e.ts.URL+"/sign-in", url.Values{"email": {lead.Email}, "password": {lead.Password}}); res.status != 401 {
			t.Errorf("disabled user could sign in: %d", res.status)
		}
		if res := send(t, admin, "POST", e.ts.URL+"/admin/users/"+itoa(e.account(access.RoleAdmin).UserID)+"/disable", url.Values{}); res.status != 409 {
			t.Errorf("an administrator disabled their own account: %d", res.status)
		}
	})
}

// S13: a role change five minutes after signing in asks for the password and
// a code again, and keeps what the administrator chose.
func TestS13RoleChangeNeedsRecentAuthentication(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newAuthEnv(t, db)
		a := e.account(access.RoleAdmin)
		admin := e.signIn(t, a)
		who := e.account(access.RoleLibraryEditor)
		e.clock.Add(6 * time.Minute)
		form := url.Values{"role": {"directory-editor"}, "tenant": {"national:national"}}
		res := send(t, admin, "POST", e.ts.URL+"/admin/users/"+itoa(who.UserID)+"/roles", form)
		if res.status != 401 || !strings.Contains(res.body, "Confirm it is you") || !strings.Contains(res.body, `value="directory-editor"`) {
			t.Fatalf("stale role change: %d, want the re-authentication page keeping the form", res.status)
		}
		ms, _ := db.Memberships(t.Context(), who.UserID)
		if len(ms) != 1 {
			t.Fatalf("the role was added before re-authentication: %v", ms)
		}
		res = send(t, admin, "POST", e.ts.URL+"/reauth", url.Values{"password": {a.Password}, "code": {e.clock.code(a.TOTPSecret)},
			"carry_action": {"/admin/users/" + itoa(who.UserID) + "/roles"}, "carry_name": {"role", "tenant"}, "carry_value": {"directory-editor", "national:national"}})
		if res.status != 200 || !strings.Contains(res.body, "Continue and save") {
			t.Fatalf("re-authentication: %d", res.status)
		}
		res = send(t, admin, "POST", e.ts.URL+"/admin/users/"+itoa(who.UserID)+"/roles", form)
		if res.status != 303 {
			t.Fatalf("role change after re-authentication: %d\n%s", res.status, res.body)
		}
		if ms, _ := db.Memberships(t.Context(), who.UserID); len(ms) != 2 {
			t.Errorf("roles after the change: %v, want 2", ms)
		}
		evs, _ := db.SearchAudit(t.Context(), store.AuditFilter{Action: "role-changed", RecordID: itoa(who.UserID)})
		if len(evs) != 1 || evs[0].UserID != a.UserID {
			t.Errorf("role change audit: %+v", evs)
		}
	})
}

// Inviting a user shows a one-time link that enrols them.
func TestAdminInvite(t *testing.T) {
	e := newAuthEnv(t, storetest.SQLite(t))
	admin := e.signIn(t, e.account(access.RoleAdmin))
	bad := send(t, admin, "POST", e.ts.URL+"/admin/users", url.Values{"name": {"Ash Newcomer"}, "email": {"not-an-email"}, "role": {"practitioner"}, "tenant": {"national:national"}})
	if bad.status != 422 || !strings.Contains(bad.body, "correct format") || !strings.Contains(bad.body, "must be given a practice") || !strings.Contains(bad.body, `value="Ash Newcomer"`) {
		t.Errorf("bad invite: %d, want 422 with both errors and the name kept", bad.status)
	}
	res := send(t, admin, "POST", e.ts.URL+"/admin/users", url.Values{"name": {"Ash Newcomer"}, "email": {"ash.newcomer@demo.haven.invalid"}, "role": {"practitioner"}, "tenant": {"practice:demo-riverside"}})
	i := strings.Index(res.body, "/enrol/")
	if res.status != 200 || i < 0 {
		t.Fatalf("invite: %d, link shown: %v", res.status, i >= 0)
	}
	token := res.body[i+len("/enrol/") : i+len("/enrol/")+52]
	c := e.browser()
	if res := send(t, c, "GET", e.ts.URL+"/enrol/"+token, nil); res.status != 303 {
		t.Errorf("invited link: %d", res.status)
	}
	dup := send(t, admin, "POST", e.ts.URL+"/admin/users", url.Values{"name": {"Ash Again"}, "email": {"Ash.Newcomer@demo.haven.invalid"}, "role": {"practitioner"}, "tenant": {"practice:demo-riverside"}})
	if dup.status != 422 || !strings.Contains(dup.body, "already an account") {
		t.Errorf("duplicate invite: %d", dup.status)
	}
	audit := send(t, admin, "GET", e.ts.URL+"/admin/audit?action=account-created", nil)
	if audit.status != 200 || !strings.Contains(audit.body, "account-created") {
		t.Errorf("audit search: %d", audit.status)
	}
	if res := send(t, admin, "GET", e.ts.URL+"/admin/audit?user=abc", nil); res.status != 422 {
		t.Errorf("audit search with a bad user ID: %d, want 422", res.status)
	}
}
