package web_test

import (
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"haven/internal/access"
	"haven/internal/store/storetest"
	"haven/internal/web"
)

// The authorisation matrix of every route: each route in the route table,
// asked by the public and by every role, with the path's parameters filled
// with records that do not exist. A role without the route's permission is
// refused — 404 where the path names a record, so nobody learns what exists
// in another tenant, else 403 — and the public is sent to sign in (401 on the
// API). A role with the permission, and anyone on a public route, is never
// answered with a server error. A new route is in this matrix the moment it
// is in the route table; the matrices of each capability add the record-level
// rules (tenants, allocation, restricted sections) on real records.
func TestEveryRouteIsInTheAuthorisationMatrix(t *testing.T) {
	e := newAuthEnv(t, storetest.SQLite(t))
	s, err := web.NewServer(web.Options{Store: e.db})
	if err != nil {
		t.Fatal(err)
	}
	type client struct {
		role  access.Role // "" for the public
		c     *http.Client
		token string
	}
	clients := []client{{c: e.browser()}}
	for _, r := range access.Roles() {
		a := e.account(r)
		clients = append(clients, client{role: r, c: e.signIn(t, a), token: a.APIToken})
	}
	patterns := make([]string, 0, len(s.Routes()))
	for p := range s.Routes() {
		patterns = append(patterns, p)
	}
	sort.Strings(patterns)
	for _, pattern := range patterns {
		perm := s.Routes()[pattern]
		method, path, _ := strings.Cut(pattern, " ")
		u := e.ts.URL + fillPattern(path)
		api := strings.HasPrefix(path, "/api/")
		for _, cl := range clients {
			if cl.role != "" && (perm == access.PermSignInStep || strings.HasPrefix(path, "/sign-in")) {
				continue // the steps of signing in start again: the public's answer is enough
			}
			if method != "GET" && (perm == access.PermPublic || perm == access.PermSignInStep || (cl.role != "" && (perm == access.PermSignedIn || cl.role.Has(perm)))) {
				continue // allowed to act: the capability's own tests send real forms
			}
			var body io.Reader
			if method != "GET" {
				body = strings.NewReader(withKey(method, url.Values{}).Encode())
			}
			req, _ := http.NewRequest(method, u, body)
			if method != "GET" {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			c := cl.c
			if api {
				c = e.browser() // the API takes bearer tokens only
				if cl.token != "" {
					req.Header.Set("Authorization", "Bearer "+cl.token)
				}
			}
			res, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			who := string(cl.role)
			if who == "" {
				who = "the public"
			}
			got, where := res.StatusCode, res.Header.Get("Location")
			switch {
			case got >= 500:
				t.Errorf("%s as %s: %d", pattern, who, got)
			case perm == access.PermPublic || perm == access.PermSignInStep:
			case cl.role == "" && api:
				if got != http.StatusUnauthorized {
					t.Errorf("%s as the public: %d, want 401", pattern, got)
				}
			case cl.role == "" && method != "GET":
				if got != http.StatusUnauthorized {
					t.Errorf("%s as the public: %d, want 401 (the sign-in page)", pattern, got)
				}
			case cl.role == "":
				if got != http.StatusSeeOther || !strings.HasPrefix(where, "/sign-in") {
					t.Errorf("%s as the public: %d to %q, want 303 to sign in", pattern, got, where)
				}
			case perm == access.PermSignedIn || cl.role.Has(perm):
			case strings.Contains(path, "{"):
				if got != http.StatusNotFound {
					t.Errorf("%s as %s (no %s): %d, want 404", pattern, who, perm, got)
				}
			default:
				if got != http.StatusForbidden {
					t.Errorf("%s as %s (no %s): %d, want 403", pattern, who, perm, got)
				}
			}
		}
	}
	// Had a request ended a session, the refusals after it would prove nothing.
	for _, cl := range clients[1:] {
		if res := send(t, cl.c, "GET", e.ts.URL+"/account", nil); res.status != http.StatusOK {
			t.Errorf("%s is no longer signed in: %d", cl.role, res.status)
		}
	}
}

// fillPattern puts a record that does not exist into each of a pattern's
// wildcards.
func fillPattern(path string) string {
	path = strings.TrimSuffix(path, "{$}")
	segs := strings.Split(path, "/")
	for i, seg := range segs {
		if !strings.HasPrefix(seg, "{") {
			continue
		}
		switch strings.Trim(seg, "{}.") {
		case "format":
			segs[i] = "csv"
		case "id", "child":
			segs[i] = "987654"
		default:
			segs[i] = "nothing-here"
		}
	}
	return strings.Join(segs, "/")
}
