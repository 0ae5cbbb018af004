package web_test

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"haven/internal/access"
	"haven/internal/store"
	"haven/internal/store/storetest"
	"haven/internal/web"
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
		if res := send(t, f.signIn(t, f.riverLead), "GET", f.ts.URL+"/evaluation?from-day=31&from-month=2&from-year=2024", nil); res.status != 422 || !strings.Contains(res.body, "govuk-error-summary") {
			t.Errorf("an impossible date: %d, want the page with an error", res.status)
		}
	})
}

// getInto calls the API with a token and decodes the answer.
func getInto(t *testing.T, f *fixture, token, path string, out any) int {
	t.Helper()
	req, _ := http.NewRequest("GET", f.ts.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := f.ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if err := json.NewDecoder(res.Body).Decode(out); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return res.StatusCode
}

// Issue 17 item 10: GET /api/v1/evaluation/outcomes answers with the
// dashboard's figures, suppressed exactly as it is, within the reader's
// scope, and refuses bad filters naming each.
func TestEvaluationOutcomesAPI(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		type figure struct {
			Value  *int   `json:"value"`
			Hidden string `json:"reason"`
		}
		var body struct {
			Rows []struct {
				Practice *int64                       `json:"practice"`
				Name     string                       `json:"name"`
				Metrics  map[string]map[string]figure `json:"metrics"`
				Ended    figure                       `json:"ended"`
			} `json:"rows"`
			Metrics []struct{ Key, Source string } `json:"metrics"`
		}
		analyst := f.account(access.RoleNationalAnalyst).APIToken
		if st := getInto(t, f, analyst, "/api/v1/evaluation/outcomes", &body); st != 200 || len(body.Rows) != 4 || len(body.Metrics) != 2 {
			t.Fatalf("analyst: %d, %d rows, %d metrics", st, len(body.Rows), len(body.Metrics))
		}
		pooled := body.Rows[len(body.Rows)-1]
		if pooled.Practice != nil || pooled.Name != "Every Practice together" {
			t.Errorf("the last row is %+v, want every Practice together", pooled)
		}
		for _, row := range body.Rows {
			for key, m := range row.Metrics {
				for name, fig := range m {
					if name == "metRate" {
						continue // a rate, not a count: null where its count is hidden
					}
					if fig.Value == nil && fig.Hidden == "" {
						t.Errorf("%s %s %s: no value and no reason", row.Name, key, name)
					}
					if fig.Value != nil && *fig.Value > 0 && *fig.Value < 5 {
						t.Errorf("%s %s %s: %d leaves Haven", row.Name, key, name, *fig.Value)
					}
				}
			}
		}
		// Exactly as the page: the lead's page and her API agree cell for cell.
		page := send(t, f.signIn(t, f.riverLead), "GET", f.ts.URL+"/evaluation", nil)
		var lead struct {
			Rows []struct {
				Name  string `json:"name"`
				Ended figure `json:"ended"`
			} `json:"rows"`
		}
		if st := getInto(t, f, f.riverLead.APIToken, "/api/v1/evaluation/outcomes", &lead); st != 200 || len(lead.Rows) != 2 || lead.Rows[0].Name != "Riverside Practice (demo)" {
			t.Fatalf("lead: %d %+v", st, lead.Rows)
		}
		for _, r := range lead.Rows {
			text := r.Ended.Hidden
			if r.Ended.Value != nil {
				text = strconv.Itoa(*r.Ended.Value)
			}
			if !strings.Contains(page.body, `<bdi>`+r.Name+`</bdi></th>`) || !strings.Contains(page.body, `<td class="govuk-table__cell">`+text+`</td>`) {
				t.Errorf("%s: the API's ended %q is not on the page", r.Name, text)
			}
		}
		// The download carries the same figures, and no count from 1 to 4.
		dl := send(t, f.signIn(t, f.riverLead), "GET", f.ts.URL+"/evaluation/outcomes.csv", nil)
		recs, err := csv.NewReader(strings.NewReader(dl.body)).ReadAll()
		if dl.status != 200 || err != nil || len(recs) != 3 || recs[2][0] != "Every Practice together" {
			t.Fatalf("download: %d %v %d rows", dl.status, err, len(recs))
		}
		ended := slices.Index(recs[0], "Ended")
		for i, r := range lead.Rows {
			want := r.Ended.Hidden
			if r.Ended.Value != nil {
				want = strconv.Itoa(*r.Ended.Value)
			}
			if recs[i+1][ended] != want {
				t.Errorf("%s: the download's ended is %q, the API's %q", r.Name, recs[i+1][ended], want)
			}
			for _, cell := range recs[i+1] {
				if n, err := strconv.Atoi(cell); err == nil && n > 0 && n < 5 {
					t.Errorf("%s: the download shows %d", r.Name, n)
				}
			}
		}
		var problem struct {
			Fields map[string]string `json:"fields"`
		}
		for _, tc := range []struct{ query, field string }{
			{"practice=abc", "practice"}, {"cohort=1800", "cohort"}, {"from=2023-02-30", "from"}, {"to=31-12-2024", "to"},
			{"from=2025-01-01&to=2024-01-01", "to"}, {"cohort=2024&cohort=2025", "cohort"},
		} {
			problem.Fields = nil
			if st := getInto(t, f, analyst, "/api/v1/evaluation/outcomes?"+tc.query, &problem); st != 400 || problem.Fields[tc.field] == "" {
				t.Errorf("%s: %d %v, want 400 naming %s", tc.query, st, problem.Fields, tc.field)
			}
		}
		hill := strconv.FormatInt(f.hillcrest.PracticeID, 10)
		if st := getInto(t, f, f.riverLead.APIToken, "/api/v1/evaluation/outcomes?practice="+hill, &problem); st != 404 {
			t.Errorf("Riverside's lead asking for Hillcrest: %d, want 404", st)
		}
		if st := getInto(t, f, analyst, "/api/v1/evaluation/outcomes?practice="+hill+"&cohort=2025", &body); st != 200 || len(body.Rows) != 2 {
			t.Errorf("analyst asking for Hillcrest's 2025 cohort: %d, %d rows", st, len(body.Rows))
		}
		if st := getInto(t, f, f.allocated.APIToken, "/api/v1/evaluation/outcomes", &problem); st != 403 && st != 404 {
			t.Errorf("practitioner: %d", st)
		}
	})
}

// With the cache on, the dashboard is built from the national table worked
// out at most five minutes before, and says when; off (as in the tests
// above), it says nothing of the kind.
func TestEvaluationDashboardSaysWhenItsFiguresWereWorkedOut(t *testing.T) {
	db := storetest.SQLite(t)
	f := newFixture(t, db)
	s, err := web.NewServer(web.Options{Store: db, Now: f.clock.Now, HTTPS: true, EvaluationCache: 5 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	uncached := f.ts
	f.ts = httptest.NewTLSServer(s)
	t.Cleanup(f.ts.Close)
	analyst := f.signIn(t, f.account(access.RoleNationalAnalyst))
	workedOut := regexp.MustCompile(`worked out at (\d\d:\d\d) and are worked out again every 5 minutes`)
	at := func() string {
		t.Helper()
		res := send(t, analyst, "GET", f.ts.URL+"/evaluation", nil)
		m := workedOut.FindStringSubmatch(res.body)
		if res.status != 200 || m == nil {
			t.Fatalf("%d, no time the figures were worked out", res.status)
		}
		return m[1]
	}
	first := at() // 09:00 on the fixture's clock, in London
	f.clock.Add(4 * time.Minute)
	if got := at(); got != first {
		t.Errorf("four minutes on, figures worked out at %s, want the table from %s", got, first)
	}
	f.clock.Add(2 * time.Minute)
	if got := at(); got == first {
		t.Errorf("six minutes on, still the table from %s", first)
	}
	if res := send(t, analyst, "GET", uncached.URL+"/evaluation", nil); res.status != 200 || strings.Contains(res.body, "worked out at") {
		t.Errorf("without the cache: %d, or it says when it was worked out", res.status)
	}
}
