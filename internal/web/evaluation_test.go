package web_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"haven/internal/access"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// cellNumbers are the bare counts in a page's table cells.
var cellNumbers = regexp.MustCompile(`<td class="govuk-table__cell">(\d+)</td>`)

// Issue 17 items 4, 7 and 9: the outcomes dashboard. A national analyst sees
// every Practice side by side, a lead her own beside every Practice
// together; no table cell anywhere shows a count from 1 to 4, and no page
// names a woman.
func TestEvaluationDashboard(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		analyst := send(t, f.signIn(t, f.account(access.RoleNationalAnalyst)), "GET", f.ts.URL+"/evaluation", nil)
		lead := send(t, f.signIn(t, f.riverLead), "GET", f.ts.URL+"/evaluation", nil)
		for who, res := range map[string]response{"analyst": analyst, "lead": lead} {
			if res.status != 200 {
				t.Fatalf("%s: %d\n%s", who, res.status, f.logs.String())
			}
			for _, want := range []string{"Completed, with no pregnancy in 18 months", "No new care proceedings in 36 months", "INDIGO-POJ-0180",
				"Every Practice together", "Riverside Practice (demo)", "Time in each phase"} {
				if !strings.Contains(res.body, want) {
					t.Errorf("%s's dashboard lacks %q", who, want)
				}
			}
			for _, m := range cellNumbers.FindAllStringSubmatch(res.body, -1) {
				if n, _ := strconv.Atoi(m[1]); n > 0 && n < 5 {
					t.Errorf("%s's dashboard shows a count of %d", who, n)
				}
			}
			// S28 and item 7: nothing that names or identifies a woman.
			for _, w := range []string{f.person.FirstName + " " + f.person.LastName, f.person.Ref, f.hillcrest.Ref} {
				if strings.Contains(res.body, w) {
					t.Errorf("%s's dashboard names a woman (%q)", who, w)
				}
			}
		}
		if !strings.Contains(analyst.body, "Hillcrest") {
			t.Error("the analyst does not see every Practice side by side")
		}
		if strings.Contains(lead.body, "Hillcrest") {
			t.Error("Riverside's lead sees another Practice's row")
		}
		for who, a := range map[string]access.Role{"practitioner": access.RolePractitioner, "admin": access.RoleAdmin} {
			if res := send(t, f.signIn(t, f.account(a)), "GET", f.ts.URL+"/evaluation", nil); res.status != 403 && res.status != 404 {
				t.Errorf("%s: %d", who, res.status)
			}
		}
		if res := send(t, f.signIn(t, f.riverLead), "GET", f.ts.URL+"/evaluation?from-day=31&from-month=2&from-year=2024", nil); res.status != 200 || !strings.Contains(res.body, "govuk-error-summary") {
			t.Errorf("an impossible date: %d, want the page with an error", res.status)
		}
	})
}
