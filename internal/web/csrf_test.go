package web_test

import (
	"database/sql"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	_ "modernc.org/sqlite"

	"haven/internal/store"
)

// S14: GET never changes state. Crawl every page a lead and an administrator
// can reach and check that no table of records gained or lost a row. (Views
// add audit rows and sessions move their last-seen time; both are meant to.)
func TestS14GetChangesNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "haven.db")
	db, err := store.Open(t.Context(), "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	f := newFixture(t, db)
	lead, admin := f.signIn(t, f.riverLead), f.signIn(t, f.account("admin"))

	tables := []string{"organisations", "practices", "users", "memberships", "people", "person_shares", "restricted_sections",
		"break_glass", "enrolments", "phase_events", "goals", "goal_reviews", "agencies", "referrals_out", "contraception",
		"pregnancies", "transfers", "people_around", "referrals", "support_sessions", "session_corrections", "session_drafts",
		"api_tokens", "enrolment_tokens", "recovery_codes"}
	counts := func() map[string]int {
		out := map[string]int{}
		for _, tbl := range tables {
			var n int
			if err := raw.QueryRow("SELECT COUNT(*) FROM " + tbl).Scan(&n); err != nil {
				t.Fatalf("count %s: %v", tbl, err)
			}
			out[tbl] = n
		}
		return out
	}
	before := counts()
	link := regexp.MustCompile(`href="(/[^"#]*)`)
	for _, c := range []*http.Client{lead, admin} {
		seen, queue := map[string]bool{}, []string{"/"}
		for len(queue) > 0 && len(seen) < 120 {
			p := queue[0]
			queue = queue[1:]
			if seen[p] || strings.HasPrefix(p, "/static/") {
				continue
			}
			seen[p] = true
			res := send(t, c, "GET", f.ts.URL+strings.ReplaceAll(p, "&amp;", "&"), nil)
			for _, m := range link.FindAllStringSubmatch(res.body, -1) {
				queue = append(queue, m[1])
			}
		}
		if len(seen) < 20 {
			t.Errorf("the crawl reached only %d pages", len(seen))
		}
	}
	after := counts()
	for _, tbl := range tables {
		if before[tbl] != after[tbl] {
			t.Errorf("GET requests changed %s: %d rows before, %d after", tbl, before[tbl], after[tbl])
		}
	}
}
