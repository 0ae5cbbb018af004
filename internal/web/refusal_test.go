package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"

	"haven/internal/access"
	"haven/internal/demo"
	"haven/internal/store"
	"haven/internal/store/storetest"
	"haven/internal/web"
)

// personRoutes are the routes under a person's reference, from the route table.
func personRoutes(t *testing.T, db *store.DB) map[string]access.Permission {
	t.Helper()
	s, err := web.NewServer(web.Options{Store: db})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]access.Permission{}
	for pattern, perm := range s.Routes() {
		if strings.Contains(pattern, "/people/{ref}") {
			out[pattern] = perm
		}
	}
	return out
}

var (
	pageHeading = regexp.MustCompile(`<h1[^>]*>([^<]*)</h1>`)
	pageTitle   = regexp.MustCompile(`<title>([^<]*)</title>`)
)

// refusal is what a refusal says, without what differs between any two
// requests (the reference, the nonce, the idempotency key).
func refusal(res response, api bool) string {
	if api {
		var e map[string]any
		if err := json.Unmarshal([]byte(res.body), &e); err != nil {
			return "not JSON: " + res.body
		}
		delete(e, "reference")
		b, _ := json.Marshal(e)
		return string(b)
	}
	var parts []string
	for _, re := range []*regexp.Regexp{pageTitle, pageHeading} {
		if m := re.FindStringSubmatch(res.body); m != nil {
			parts = append(parts, m[1])
		}
	}
	return strings.Join(parts, " | ")
}

// callRoute sends pattern's method to path as a: the API with a's token and
// an empty JSON object, a page with a's session and an empty form.
func callRoute(t *testing.T, f *fixture, c *http.Client, a demo.Account, method, path string) response {
	t.Helper()
	if strings.HasPrefix(path, "/api/") {
		var body *strings.Reader
		if method != "GET" {
			body = strings.NewReader("{}")
		} else {
			body = strings.NewReader("")
		}
		req, _ := http.NewRequest(method, f.ts.URL+path, body)
		req.Header.Set("Authorization", "Bearer "+a.APIToken)
		if method != "GET" {
			req.Header.Set("Content-Type", "application/json")
		}
		return tlsDo(t, f, req)
	}
	var form url.Values
	if method != "GET" {
		form = url.Values{}
	}
	return send(t, c, method, f.ts.URL+path, form)
}

// S15, S16, S18: one rule for refusing a person's record, on her record page
// and every route under it, pages and API, GET and POST alike. A
// practitioner in her Practice to whom she is not allocated gets 403 and the
// way to break the glass; a practitioner in another tenant gets exactly what
// a reference that does not exist gets, 404. A route the role never allows
// is 404 for every reference, before any record is looked up.
func TestS16S18PersonRoutesRefuseByOneRule(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		unallocated, foreign := f.otherPrac, f.byRoleIn(access.RolePractitioner, "demo-hillcrest")
		cUnallocated, cForeign := f.signIn(t, unallocated), f.signIn(t, foreign)
		const missing = "zzzzzzzzzzzz" // a reference no one has
		routes := personRoutes(t, db)
		patterns := make([]string, 0, len(routes))
		for p := range routes {
			patterns = append(patterns, p)
		}
		sort.Strings(patterns)
		if len(patterns) < 60 {
			t.Fatalf("only %d person routes found in the route table", len(patterns))
		}
		fill := func(pattern, ref string) (string, string) {
			method, path, _ := strings.Cut(pattern, " ")
			path = strings.NewReplacer("{ref}", ref, "{id}", "1", "{section}", "criminal-records").Replace(path)
			return method, path
		}
		for _, pattern := range patterns {
			api := strings.Contains(pattern, "/api/")
			method, path := fill(pattern, f.person.Ref)
			_, missingPath := fill(pattern, missing)

			// Another tenant's practitioner: exactly as if she did not exist.
			got := callRoute(t, f, cForeign, foreign, method, path)
			none := callRoute(t, f, cForeign, foreign, method, missingPath)
			if got.status != http.StatusNotFound || none.status != http.StatusNotFound || refusal(got, api) != refusal(none, api) {
				t.Errorf("S18 %s, another tenant's practitioner: %d %q; a missing reference: %d %q", pattern, got.status, refusal(got, api), none.status, refusal(none, api))
			}

			// Her own Practice's practitioner, not allocated.
			got = callRoute(t, f, cUnallocated, unallocated, method, path)
			none = callRoute(t, f, cUnallocated, unallocated, method, missingPath)
			switch {
			case pattern == "POST /people/{ref}/break-glass":
				// The way in itself: without a reason it asks for one.
				if got.status != http.StatusUnprocessableEntity || none.status != http.StatusNotFound {
					t.Errorf("%s: %d, and %d for a missing reference", pattern, got.status, none.status)
				}
			case !access.RolePractitioner.Has(routes[pattern]):
				// S15: the role never may, so every reference is refused alike.
				if got.status != http.StatusNotFound || refusal(got, api) != refusal(none, api) {
					t.Errorf("S15 %s, a role without %s: %d %q; a missing reference: %d %q", pattern, routes[pattern], got.status, refusal(got, api), none.status, refusal(none, api))
				}
			default:
				if none.status != http.StatusNotFound {
					t.Errorf("%s, a missing reference: %d", pattern, none.status)
				}
				glass := "/people/" + f.person.Ref + "/break-glass"
				if got.status != http.StatusForbidden {
					t.Errorf("S16 %s, unallocated practitioner in her Practice: %d, want 403", pattern, got.status)
				} else if api && !strings.Contains(got.body, `"breakGlass":"`+glass+`"`) {
					t.Errorf("S16 %s: the 403 does not name the break-glass route: %s", pattern, got.body)
				} else if !api && !strings.Contains(got.body, `action="`+glass+`"`) {
					t.Errorf("S16 %s: the 403 page does not offer break-glass", pattern)
				}
				if strings.Contains(got.body, f.person.LastName) || strings.Contains(got.body, sentinel) {
					t.Errorf("S16 %s: the 403 shows something of her record", pattern)
				}
			}
		}
	})
}
