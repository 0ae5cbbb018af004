package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"haven/internal/access"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// revokeBox is the "Also revoke my API tokens" box, ticked.
var revokeBox = regexp.MustCompile(`<input class="govuk-checkboxes__input" id="revokeTokens" name="revokeTokens" type="checkbox" value="yes" aria-describedby="revokeTokens-hint" checked>`)

// S12: "Sign out everywhere" and "Change your password" each offer "Also
// revoke my API tokens", ticked, and say what it does. Ticked, the person's
// old API token answers 401 afterwards; unticked, it still works.
func TestS12SignOutEverywhereAndPasswordChangeCanRevokeTokens(t *testing.T) {
	e := newAuthEnv(t, storetest.SQLite(t))
	api := func(token string) int {
		t.Helper()
		req, _ := http.NewRequest("GET", e.ts.URL+"/api/v1/me", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := e.ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	tests := []struct {
		name    string
		role    access.Role
		page    string // where the form is
		action  string
		form    url.Values
		revoke  bool
		landing string
	}{
		{"sign out everywhere, box ticked", access.RolePractitioner, "/account", "/account/sign-out-everywhere", url.Values{"revokeTokens": {"yes"}}, true, "/signed-out"},
		{"sign out everywhere, box unticked", access.RolePracticeLead, "/account", "/account/sign-out-everywhere", url.Values{}, false, "/signed-out"},
		{"change password, box ticked", access.RolePracticeCoordinator, "/account/password", "/account/password",
			url.Values{"password": {"tundra-velvet-compass"}, "confirm": {"tundra-velvet-compass"}, "revokeTokens": {"yes"}}, true, "/account?done=password-tokens"},
		{"change password, box unticked", access.RoleAdmin, "/account/password", "/account/password",
			url.Values{"password": {"tundra-velvet-compass"}, "confirm": {"tundra-velvet-compass"}}, false, "/account?done=password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := e.account(tt.role)
			c := e.signIn(t, a)
			if got := api(a.APIToken); got != 200 {
				t.Fatalf("the token before: %d, want 200", got)
			}
			page := send(t, c, "GET", e.ts.URL+tt.page, nil)
			if page.status != 200 || !revokeBox.MatchString(page.body) || !strings.Contains(page.body, "Also revoke my API tokens") ||
				!strings.Contains(page.body, "signing out does not stop them") {
				t.Fatalf("%s: %d; want the revoke box, ticked, saying what it does", tt.page, page.status)
			}
			res := send(t, c, "POST", e.ts.URL+tt.action, tt.form)
			if res.status != 303 || res.header.Get("Location") != tt.landing {
				t.Fatalf("%s: %d to %q, want 303 to %s", tt.action, res.status, res.header.Get("Location"), tt.landing)
			}
			want := 200
			if tt.revoke {
				want = 401
			}
			if got := api(a.APIToken); got != want {
				t.Errorf("S12: the old API token afterwards: %d, want %d", got, want)
			}
			evs, err := e.db.SearchAudit(t.Context(), store.AuditFilter{UserID: a.UserID, Action: "token-revoked"})
			if err != nil {
				t.Fatal(err)
			}
			if tt.revoke != (len(evs) == 1) || len(evs) > 1 {
				t.Errorf("token-revoked audit rows: %d", len(evs))
			}
			e.clock.Add(30 * time.Second)
		})
	}

	// A refused password keeps the box as it was sent.
	a := e.account(access.RolePractitioner)
	c := e.signIn(t, a)
	res := send(t, c, "POST", e.ts.URL+"/account/password", url.Values{"password": {"short"}, "confirm": {"short"}})
	if res.status != 422 || revokeBox.MatchString(res.body) || !strings.Contains(res.body, `id="revokeTokens"`) {
		t.Errorf("a refused password with the box unticked: %d; want 422 with the box still unticked", res.status)
	}
	res = send(t, c, "POST", e.ts.URL+"/account/password", url.Values{"password": {"short"}, "confirm": {"short"}, "revokeTokens": {"yes"}})
	if res.status != 422 || !revokeBox.MatchString(res.body) {
		t.Errorf("a refused password with the box ticked: %d; want 422 with the box still ticked", res.status)
	}
}
