package web_test

import (
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"haven/internal/access"
	"haven/internal/haven"
	"haven/internal/programme"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// Signing in lands on the signed-in home, and the public home sends a
// signed-in user there too.
func TestSignInLandsOnHome(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newAuthEnv(t, db)
		a := e.account(access.RolePractitioner)
		c := e.browser()
		if res := send(t, c, "POST", e.ts.URL+"/sign-in", url.Values{"email": {a.Email}, "password": {a.Password}}); res.status != 303 {
			t.Fatalf("password step: %d", res.status)
		}
		if res := send(t, c, "GET", e.ts.URL+"/", nil); res.status != 200 || !strings.Contains(res.body, "Find support") {
			t.Errorf("half signed in, the public home: %d", res.status)
		}
		res := send(t, c, "POST", e.ts.URL+"/sign-in/code", url.Values{"code": {e.clock.code(a.TOTPSecret)}})
		if res.status != 303 || res.header.Get("Location") != "/home" {
			t.Errorf("after the second factor: %d to %q, want /home", res.status, res.header.Get("Location"))
		}
		for _, path := range []string{"/", "/sign-in", "/sign-in/code"} {
			if res := send(t, c, "GET", e.ts.URL+path, nil); res.status != 303 || res.header.Get("Location") != "/home" {
				t.Errorf("signed in, %s: %d to %q, want /home", path, res.status, res.header.Get("Location"))
			}
		}
		if res := send(t, e.browser(), "GET", e.ts.URL+"/home", nil); res.status != 303 || res.header.Get("Location") != "/sign-in" {
			t.Errorf("signed out, /home: %d to %q", res.status, res.header.Get("Location"))
		}
	})
}

// Each role's home: who is signed in, what the role has today, and only the
// links the role may follow.
func TestHomeForEachRole(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := t.Context()
		today := haven.NewDate(2026, 11, 23) // the fixture's clock
		userName := func(id int64) string {
			u, err := db.User(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			return u.DisplayName
		}
		lead := mustActor(t, db, f.riverLead.UserID)
		queue, err := db.TriageQueue(ctx, lead)
		if err != nil {
			t.Fatal(err)
		}
		waiting := 0
		for _, r := range queue {
			if r.Status == programme.ReferralNew {
				waiting++
			}
		}
		if waiting < 2 {
			t.Fatalf("the demo has %d new referrals; the test needs some", waiting)
		}
		// Her caseload: every woman allocated to the practitioner, none of anyone else's.
		everyone, _ := db.PeopleFor(ctx, lead, store.Page{Limit: 500})
		var hers, others []programme.Person
		for _, p := range everyone {
			switch p.PractitionerID {
			case f.allocated.UserID:
				hers = append(hers, p)
			case f.otherPrac.UserID:
				others = append(others, p)
			}
		}
		if len(hers) == 0 || len(others) == 0 {
			t.Fatalf("the demo gives the practitioners %d and %d women", len(hers), len(others))
		}
		pracTasks, _ := db.TasksFor(ctx, mustActor(t, db, f.allocated.UserID), today)

		tests := []struct {
			who         string
			want, avoid []string
		}{
			{"allocated practitioner", []string{"Practitioner, Riverside Practice (demo) (Family Futures Trust (demo))", "Your caseload", "Tasks due", `href="/people"`, `href="/tasks"`},
				[]string{"Go to triage", "Caseloads in", `href="/admin/users"`, `href="/overview"`}},
			{"riverside lead", []string{"Practice lead, Riverside Practice (demo)", "Triage", itoa(int64(waiting)) + " referrals are waiting for an answer", `href="/triage"`,
				"Caseloads in Riverside Practice (demo)", userName(f.allocated.UserID), userName(f.otherPrac.UserID), "Overdue", `href="/overview"`},
				[]string{"Your caseload", `href="/admin/users"`}},
			{"riverside co-ordinator", []string{"Practice co-ordinator, Riverside Practice (demo)", "Go to triage", "Tasks due", `href="/referrals/new"`},
				[]string{"Your caseload", "Caseloads in", `href="/admin/audit"`}},
			{"admin", []string{"System administrator", `href="/admin/users"`, `href="/admin/audit"`, `href="/account"`},
				[]string{`href="/people"`, "Your caseload", "Go to triage", "Tasks due", `href="/reports/contact"`}},
			{"national analyst", []string{"National analyst", `href="/reports/contact/organisation"`},
				[]string{`href="/people"`, `href="/reports/contact"`, `href="/admin/users"`, "Your caseload"}},
			// An LA team's home is its children list (reunify_children.go).
			{"LA social worker", []string{"Leeds Reunification Team (demo)", "LC-0001", `href="/la/children/new"`},
				[]string{`href="/people"`, `href="/admin/users"`, `href="/reports/contact"`, "Tasks due"}},
			{"LA manager", []string{"Leeds Reunification Team (demo)", "LC-0001"}, []string{`href="/people"`, `href="/admin/users"`, "Tasks due"}},
			{"directory editor", []string{"Directory editor", `href="/directory/queue"`, `href="/directory/import"`, `href="/forum"`}, []string{`href="/people"`, `href="/admin/users"`}},
			{"library editor", []string{"Library editor", `href="/library/review"`, `href="/library/propose"`, `href="/events/new"`, `href="/mailing-list/send"`}, []string{`href="/people"`, `href="/admin/users"`, "does not have the library"}},
		}
		accounts := f.who(t)
		for _, tt := range tests {
			t.Run(tt.who, func(t *testing.T) {
				a := accounts[tt.who]
				c := f.signIn(t, a)
				res := send(t, c, "GET", f.ts.URL+"/home", nil)
				if strings.HasPrefix(tt.who, "LA ") {
					if res.status != 303 || res.header.Get("Location") != "/la/children" {
						t.Fatalf("home for an LA team: %d to %q, want their children list", res.status, res.header.Get("Location"))
					}
					res = send(t, c, "GET", f.ts.URL+"/la/children", nil)
				}
				body := html.UnescapeString(res.body)
				if res.status != 200 || !strings.HasPrefix(tt.who, "LA ") && (!strings.Contains(body, userName(a.UserID)) || !strings.Contains(body, a.Email)) {
					t.Fatalf("home: %d, names the user: %v", res.status, strings.Contains(body, userName(a.UserID)))
				}
				for _, w := range tt.want {
					if !strings.Contains(body, w) {
						t.Errorf("home lacks %q", w)
					}
				}
				for _, w := range tt.avoid {
					if strings.Contains(body, w) {
						t.Errorf("home shows %q", w)
					}
				}
				// Every link on the page opens for this role.
				main := res.body[strings.Index(res.body, `<main`):strings.Index(res.body, `</main>`)]
				for _, m := range regexp.MustCompile(`href="(/[^"#]*)`).FindAllStringSubmatch(main, -1) {
					if got := send(t, c, "GET", f.ts.URL+html.UnescapeString(m[1]), nil); got.status != 200 {
						t.Errorf("the link to %s gives %d", m[1], got.status)
					}
				}
			})
		}

		// The practitioner's caseload: each of her women with date of birth and reference, linking to her record.
		c := f.signIn(t, f.allocated)
		res := send(t, c, "GET", f.ts.URL+"/home", nil)
		for _, p := range hers {
			row := `<a class="govuk-link" href="/people/` + p.Ref + `"><bdi>` + p.Name() + `</bdi></a>`
			if !strings.Contains(html.UnescapeString(res.body), row) || !strings.Contains(res.body, p.Reference()+"</td>") {
				t.Errorf("her caseload lacks %s", p.Ref)
			}
			if !p.DateOfBirth.IsZero() && !strings.Contains(res.body, p.DateOfBirth.Long()) {
				t.Errorf("her caseload does not give %s's date of birth", p.Ref)
			}
		}
		for _, p := range others {
			if strings.Contains(res.body, p.Ref) {
				t.Errorf("her caseload includes %s, allocated to someone else", p.Ref)
			}
		}
		if len(pracTasks) > 0 && !strings.Contains(html.UnescapeString(res.body), pracTasks[0].Text) {
			t.Errorf("her home does not show her soonest task %q", pracTasks[0].Text)
		}
		// It names women, so it is audited as the lists are.
		evs, err := db.SearchAudit(ctx, store.AuditFilter{UserID: f.allocated.UserID, RecordType: "person", Action: "view"})
		if err != nil || len(evs) == 0 || evs[0].Section != "home" {
			t.Errorf("viewing her home was not audited: %v, %v", evs, err)
		}
		if strings.Contains(res.body, f.sentinel) {
			t.Error("the home shows a restricted section")
		}
	})
}
