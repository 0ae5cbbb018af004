package web_test

import (
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// Her record's "who has seen this record" reads as sentences, filters by
// who, what and when, and pages; bad filters are a 422 naming the field.
func TestAccessLogReadsAsSentencesWithFilters(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		lead, prac := f.signIn(t, f.riverLead), f.signIn(t, f.allocated)
		record := f.ts.URL + "/people/" + f.person.Ref
		if res := send(t, prac, "GET", record, nil); res.status != 200 {
			t.Fatalf("practitioner's view: %d", res.status)
		}
		if res := send(t, lead, "GET", record+"/plan", nil); res.status != 200 {
			t.Fatalf("lead's view of her plan: %d", res.status)
		}
		leadUser, _ := db.User(t.Context(), f.riverLead.UserID)
		pracUser, _ := db.User(t.Context(), f.allocated.UserID)
		// The fixture's clock is 23 November 2026, 09:00 UTC: 09:00 in London.
		pracLine := pracUser.DisplayName + " (practitioner) viewed her details and restricted sections, 23 Nov 2026 09:0"
		leadLine := leadUser.DisplayName + " (practice lead) viewed her plan, 23 Nov 2026 09:0"

		log := record + "/access-log"
		res := send(t, lead, "GET", log, nil)
		body := html.UnescapeString(res.body)
		if res.status != 200 || !strings.Contains(body, pracLine) || !strings.Contains(body, leadLine) {
			t.Fatalf("access log: %d, want the lines\n %s\n %s", res.status, pracLine, leadLine)
		}
		for _, raw := range []string{">view<", "(details)", "practice-lead"} {
			if strings.Contains(res.body, raw) {
				t.Errorf("the access log shows the raw %q", raw)
			}
		}

		tests := []struct {
			name        string
			query       url.Values
			wantStatus  int
			want, avoid []string
		}{
			{"by who", url.Values{"user": {itoa(f.allocated.UserID)}}, 200, []string{pracLine}, []string{leadLine}},
			{"by what", url.Values{"action": {"view"}, "user": {itoa(f.riverLead.UserID)}}, 200, []string{leadLine}, []string{pracLine}},
			{"nothing deleted", url.Values{"action": {"delete"}, "from-day": {"23"}, "from-month": {"11"}, "from-year": {"2026"}}, 200, []string{"Nothing matches these filters"}, []string{pracLine, leadLine}},
			{"the day itself", url.Values{"from-day": {"23"}, "from-month": {"11"}, "from-year": {"2026"}, "to-day": {"23"}, "to-month": {"11"}, "to-year": {"2026"}}, 200, []string{pracLine, leadLine}, nil},
			{"before it", url.Values{"to-day": {"22"}, "to-month": {"11"}, "to-year": {"2026"}}, 200, nil, []string{pracLine, leadLine}},
			{"someone not in her log", url.Values{"user": {itoa(f.otherLead.UserID)}}, 422, []string{"Choose someone from the list", `href="#user"`}, []string{pracLine}},
			{"not an ID", url.Values{"user": {"Kit"}}, 422, []string{"User must be a user ID"}, nil},
			{"no such action", url.Values{"action": {"sign-in"}}, 422, []string{"Choose an action from the list"}, nil},
			{"half a date", url.Values{"from-day": {"1"}, "from-year": {"2026"}}, 422, []string{"From must include a month"}, nil},
			{"the wrong way round", url.Values{"from-day": {"2"}, "from-month": {"12"}, "from-year": {"2026"}, "to-day": {"1"}, "to-month": {"12"}, "to-year": {"2026"}}, 422, []string{"To must be the same as or after From"}, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				res := send(t, lead, "GET", log+"?"+tt.query.Encode(), nil)
				body := html.UnescapeString(res.body)
				if res.status != tt.wantStatus {
					t.Errorf("status %d, want %d", res.status, tt.wantStatus)
				}
				for _, w := range tt.want {
					if !strings.Contains(body, w) {
						t.Errorf("page lacks %q", w)
					}
				}
				for _, a := range tt.avoid {
					if strings.Contains(body, a) {
						t.Errorf("page shows %q", a)
					}
				}
			})
		}

		// Paging: more views than a page holds; the next page follows on from the first.
		for range 60 {
			if err := db.Audit(t.Context(), audit.Event{UserID: f.allocated.UserID, Role: "practitioner", Action: audit.View, RecordType: "person", RecordID: itoa(f.person.ID), Section: "sessions"}); err != nil {
				t.Fatal(err)
			}
		}
		first := send(t, lead, "GET", log+"?user="+itoa(f.allocated.UserID), nil)
		next := regexp.MustCompile(`href="(/people/[a-z0-9]+/access-log\?[^"]+)" rel="next"`).FindStringSubmatch(first.body)
		if next == nil {
			t.Fatal("no link to the next page")
		}
		href := html.UnescapeString(next[1])
		if !strings.Contains(href, "user="+itoa(f.allocated.UserID)) || !strings.Contains(href, "after=") {
			t.Fatalf("next page link %q does not keep the filter and the cursor", href)
		}
		second := send(t, lead, "GET", f.ts.URL+href, nil)
		if n1, n2 := strings.Count(first.body, "viewed her sessions"), strings.Count(second.body, "viewed her sessions"); second.status != 200 || n1 != 50 || n2 != 10 {
			t.Errorf("pages of %d and %d sessions views (status %d), want 50 and 10", n1, n2, second.status)
		}
		if !strings.Contains(html.UnescapeString(second.body), pracLine) {
			t.Error("the older page does not reach her first view")
		}
	})
}

// The administrator's audit search reads as sentences that name accounts,
// never a woman; it finds a user by name or email without putting either in
// a URL; and the users list names roles.
func TestAdminAuditFindsUsersAndNamesRoles(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		prac := f.signIn(t, f.allocated)
		if res := send(t, prac, "GET", f.ts.URL+"/people/"+f.person.Ref, nil); res.status != 200 {
			t.Fatalf("practitioner's view: %d", res.status)
		}
		pracUser, _ := db.User(t.Context(), f.allocated.UserID)
		admin := f.signIn(t, f.account(access.RoleAdmin))

		// By name, email (in any case) or ID: one match goes straight to the search by ID.
		for _, who := range []string{pracUser.DisplayName, strings.ToUpper(pracUser.Email), itoa(pracUser.ID)} {
			res := send(t, admin, "POST", f.ts.URL+"/admin/audit", url.Values{"who": {who}, "action": {"view"}})
			loc := res.header.Get("Location")
			if res.status != 303 || loc != "/admin/audit?action=view&user="+itoa(pracUser.ID) {
				t.Errorf("who=%q: %d to %q", who, res.status, loc)
			}
		}
		res := send(t, admin, "GET", f.ts.URL+"/admin/audit?action=view&user="+itoa(pracUser.ID), nil)
		body := html.UnescapeString(res.body)
		want := pracUser.DisplayName + " (practitioner)</a> viewed person " + itoa(f.person.ID) + "'s details and restricted sections, 23 Nov 2026 09:0"
		if res.status != 200 || !strings.Contains(body, want) || !strings.Contains(body, "Showing what") {
			t.Errorf("audit search by user: %d, want %q", res.status, want)
		}
		for _, secret := range []string{f.person.LastName, f.person.FirstName, f.sentinel} {
			if strings.Contains(res.body, secret) {
				t.Errorf("the administrator's audit search shows %q from her record", secret)
			}
		}

		// Several matches: the administrator chooses, and each choice is a search by ID.
		res = send(t, admin, "POST", f.ts.URL+"/admin/audit", url.Values{"who": {"@"}, "from-day": {"1"}, "from-month": {"11"}, "from-year": {"2026"}})
		if res.status != 200 || !strings.Contains(res.body, "users match") || !strings.Contains(res.body, "/admin/audit?from-day=1&amp;from-month=11&amp;from-year=2026&amp;user=") {
			t.Errorf("several matches: %d", res.status)
		}
		for who, msg := range map[string]string{"nobody-at-all-xyz": "No user has a name or email address containing that", strings.Repeat("a", 255): "254 characters or fewer"} {
			if res := send(t, admin, "POST", f.ts.URL+"/admin/audit", url.Values{"who": {who}}); res.status != 422 || !strings.Contains(res.body, msg) || !strings.Contains(res.body, `href="#who"`) {
				t.Errorf("who=%q: %d", who, res.status)
			}
		}
		if res := send(t, admin, "POST", f.ts.URL+"/admin/audit", url.Values{"who": {pracUser.Email}, "to-day": {"31"}, "to-month": {"2"}, "to-year": {"2026"}}); res.status != 422 || !strings.Contains(res.body, "To must be a real date") {
			t.Errorf("a date that does not exist: %d", res.status)
		}
		if res := send(t, admin, "GET", f.ts.URL+"/admin/audit?user=abc", nil); res.status != 422 || !strings.Contains(res.body, `href="#who"`) {
			t.Errorf("a user that is not an ID: %d", res.status)
		}
		// Security and account events read as sentences too.
		res = send(t, admin, "GET", f.ts.URL+"/admin/audit?action=sign-in&user="+itoa(pracUser.ID), nil)
		if !strings.Contains(html.UnescapeString(res.body), pracUser.DisplayName+"</a> signed in, 23 Nov 2026") {
			t.Errorf("sign-in sentence missing: %d", res.status)
		}

		res = send(t, admin, "GET", f.ts.URL+"/admin/users", nil)
		if res.status != 200 || !strings.Contains(res.body, "Practitioner, Riverside Practice (demo)") || !strings.Contains(res.body, "System administrator, ") {
			t.Errorf("users list does not name roles: %d", res.status)
		}
		if strings.Contains(res.body, ">practice-lead<") || strings.Contains(res.body, "practitioner,") {
			t.Error("users list shows role slugs")
		}
	})
}
