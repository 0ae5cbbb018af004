package web_test

import (
	"html"
	"regexp"
	"slices"
	"strings"
	"testing"

	"haven/internal/access"
	"haven/internal/store/storetest"
)

var (
	navExpr  = regexp.MustCompile(`(?s)<nav aria-label="Menu".*?</nav>`)
	hrefExpr = regexp.MustCompile(`href="([^"]*)"`)
)

// hrefs lists the links in a piece of a page that lead into Haven.
func hrefs(body string) []string {
	var out []string
	for _, m := range hrefExpr.FindAllStringSubmatch(body, -1) {
		h := html.UnescapeString(m[1])
		// A route's permission does not depend on the query: one of each path is enough.
		if i := strings.IndexAny(h, "?#"); i >= 0 {
			h = h[:i]
		}
		if !strings.HasPrefix(h, "/") || strings.HasPrefix(h, "//") || strings.HasPrefix(h, "/static/") || slices.Contains(out, h) {
			continue
		}
		out = append(out, h)
	}
	return out
}

// Every role, signed in, follows its navigation and then every link on the
// pages it reaches, and theirs: none may answer 403, so no page offers a link its reader
// may not follow (issue 15: a national analyst's "See each Practice" did).
func TestEveryRoleMayFollowEveryLinkItIsOffered(t *testing.T) {
	e := newAuthEnv(t, storetest.SQLite(t))
	for _, role := range access.Roles() {
		t.Run(string(role), func(t *testing.T) {
			c := e.signIn(t, e.account(role))
			home := send(t, c, "GET", e.ts.URL+"/account", nil)
			if home.status != 200 {
				t.Fatalf("account page: %d", home.status)
			}
			nav := hrefs(navExpr.FindString(home.body))
			if len(nav) == 0 {
				t.Fatal("no navigation")
			}
			// Breadth first from the navigation, every link once, up to a
			// limit that still reaches each section of a woman's record.
			seen, from := map[string]bool{}, map[string]string{}
			queue := nav
			for _, h := range nav {
				seen[h], from[h] = true, "the navigation"
			}
			for len(queue) > 0 && len(seen) < 400 {
				href := queue[0]
				queue = queue[1:]
				res := send(t, c, "GET", e.ts.URL+href, nil)
				if res.status == 403 || res.status >= 500 {
					t.Errorf("%s links to %s, which answers %d", from[href], href, res.status)
				}
				if res.status != 200 || !strings.HasPrefix(res.header.Get("Content-Type"), "text/html") {
					continue
				}
				for _, h := range hrefs(res.body) {
					if !seen[h] {
						seen[h], from[h] = true, href
						queue = append(queue, h)
					}
				}
			}
			t.Logf("%d links followed", len(seen))
		})
	}
}
