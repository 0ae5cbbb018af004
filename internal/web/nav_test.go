package web_test

import (
	"strings"
	"testing"

	"haven/internal/access"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// The Reports link goes where each role may read reports, and nowhere for
// those who may read none. A local authority manager reads the figures of
// the Practices covering their area.
func TestReportsLinkByRole(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newAuthEnv(t, db)
		for _, tc := range []struct {
			role access.Role
			href string
		}{
			{access.RolePractitioner, `href="/reports/contact"`},
			{access.RolePracticeLead, `href="/reports/contact"`},
			{access.RoleNationalAnalyst, `href="/reports/contact/organisation"`},
			{access.RoleLAManager, `href="/reports/contact/organisation"`},
			{access.RoleAdmin, ""},
		} {
			c := e.signIn(t, e.account(tc.role))
			res := send(t, c, "GET", e.ts.URL+"/account", nil)
			if res.status != 200 {
				t.Fatalf("%s: account page %d", tc.role, res.status)
			}
			has := strings.Contains(res.body, ">Reports<")
			if tc.href == "" && has {
				t.Errorf("%s sees a Reports link", tc.role)
			}
			if tc.href != "" && !strings.Contains(res.body, tc.href) {
				t.Errorf("%s: no Reports link to %s", tc.role, tc.href)
			}
		}
	})
}
