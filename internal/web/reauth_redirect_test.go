package web_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"haven/internal/access"
	"haven/internal/store"
	"haven/internal/store/storetest"
	"haven/internal/web"
)

// S13: the re-authentication form's next, with a tab in it, leads home after
// a good password and code, not to another site.
func TestReauthNextWithATabStaysOnSite(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newAuthEnv(t, db)
		a := e.account(access.RoleLibraryEditor)
		c := e.signIn(t, a)
		e.clock.Add(6 * time.Minute)
		page := send(t, c, "GET", e.ts.URL+"/reauth?next="+url.QueryEscape("/\t/evil.example"), nil)
		if page.status != 200 || strings.Contains(page.body, "evil.example") {
			t.Errorf("re-authentication page: %d, offers evil.example: %v", page.status, strings.Contains(page.body, "evil.example"))
		}
		res := send(t, c, "POST", e.ts.URL+"/reauth", url.Values{"password": {a.Password}, "code": {e.clock.code(a.TOTPSecret)}, "next": {"/\t/evil.example"}})
		if res.status != 303 {
			t.Fatalf("re-authentication: %d", res.status)
		}
		loc := res.header.Get("Location")
		if u, err := web.BrowserFollows(loc); err != nil || u.Host != "haven.example" {
			t.Errorf("after re-authentication the browser goes to %v (Location %q)", u, loc)
		}
	})
}
