package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/reunify"
	"haven/internal/store"
	"haven/internal/store/storetest"
	"haven/internal/web"
)

// saveScenario posts the calculator page's save form.
func saveScenario(t *testing.T, f *fixture, c *http.Client, calc, name, query string) response {
	t.Helper()
	return send(t, c, "POST", f.ts.URL+"/la/calculators/scenarios", url.Values{"calculator": {calc}, "name": {name}, "query": {query}})
}

func teamScenarios(t *testing.T, f *fixture, team int64) []store.CalculatorScenario {
	t.Helper()
	scs, err := f.db.CalculatorScenarios(t.Context(), team, "")
	if err != nil {
		t.Fatal(err)
	}
	return scs
}

// Saving a scenario: the calculator reads the inputs again and only its own
// encoding is kept; the page it leads back to is the calculator with them.
// Bad inputs, a missing, long or taken name are sent back (422) and save
// nothing. The team's page lists them; a team deletes its own and never
// another's; every view, save and delete is audited.
func TestLACalculatorScenarios(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	team := f.demo.LATeam.ID
	worker := f.account(access.RoleLASocialWorker)
	c := f.signIn(t, worker)
	base := len(teamScenarios(t, f, team))

	// "7,857" and the order of the fields are the calculator's to tidy.
	res := saveScenario(t, f, c, "return-home", "  Base case ", "support=7%2C857&children=120&baseline=47")
	want := "/calculators/return-home?baseline=47&children=120&discount=0&failedCost=105804&support=7857&withSupport=38&years=3"
	if res.status != 303 || res.header.Get("Location") != want {
		t.Fatalf("save: %d to %q\n%s", res.status, res.header.Get("Location"), res.body)
	}
	if !strings.Contains(res.header.Get("Set-Cookie"), "__Host-haven_flash=calculator-scenario.") {
		t.Errorf("no flash: %q", res.header.Get("Set-Cookie"))
	}
	scs := teamScenarios(t, f, team)
	if len(scs) != base+1 || scs[0].Name != "Base case" || scs[0].Calculator != "return-home" || "/calculators/return-home?"+scs[0].Query != want || scs[0].SavedBy != worker.UserID {
		t.Fatalf("saved %+v", scs)
	}
	ours := scs[0].ID
	infant := saveScenario(t, f, c, "infant-care", "Pause, 4 years", "careCost=60%2C000&programmeCost=500000")
	if infant.status != 303 || !strings.HasPrefix(infant.header.Get("Location"), "/calculators/infant-care?") || !strings.Contains(infant.header.Get("Location"), "careCost=60000&") {
		t.Errorf("infant care: %d to %q", infant.status, infant.header.Get("Location"))
	}
	// 100 letters of two bytes each are 100 characters: allowed.
	if res := saveScenario(t, f, c, "return-home", strings.Repeat("é", 100), "children=1"); res.status != 303 {
		t.Errorf("100 characters: %d", res.status)
	}
	saved := len(teamScenarios(t, f, team))

	for _, tt := range []struct {
		name, calc, scenario, query, want string
	}{
		{"a negative number", "return-home", "Negative", "children=-1", "must be 0 or more, not a negative number"},
		{"shares not adding to 100%", "return-home", "Shares", "supportBy=need&highShare=60&mediumShare=30&lowShare=30", "must add up to 100%"},
		{"a Pause-type service without its costs", "infant-care", "No costs", "avoided=14.4", "Enter the yearly cost of a child in care"},
		{"an unknown calculator", "payroll", "Payroll", "children=1", "does not say which calculator"},
		{"an unreadable query", "return-home", "Broken", "children=%zz", "could not be read"},
		{"no name", "return-home", "   ", "children=1", "Enter a scenario name"},
		{"a name too long", "return-home", strings.Repeat("x", 101), "children=1", "Scenario name must be 100 characters or fewer"},
		{"a name taken, in any case", "return-home", "BASE  CASE", "children=2", "already has a scenario called ‘BASE CASE’"},
	} {
		res := saveScenario(t, f, c, tt.calc, tt.scenario, tt.query)
		if res.status != 422 || !strings.Contains(res.body, tt.want) || !strings.Contains(res.body, "govuk-error-summary") {
			t.Errorf("%s: %d, want 422 with %q", tt.name, res.status, tt.want)
		}
	}
	if got := len(teamScenarios(t, f, team)); got != saved {
		t.Errorf("refused saves wrote: %d scenarios, want %d", got, saved)
	}
	// A corrected name keeps the form's idempotency key, and the same form
	// sent twice saves once.
	res = saveScenario(t, f, c, "return-home", "", "children=3")
	key := keyFor(res.body, "/la/calculators/scenarios")
	form := url.Values{"calculator": {"return-home"}, "name": {"Three"}, "query": {"children=3"}, web.IdempotencyField: {key}}
	for i := range 2 {
		if res := send(t, c, "POST", f.ts.URL+"/la/calculators/scenarios", form); res.status != 303 {
			t.Errorf("send %d: %d", i+1, res.status)
		}
	}
	if got := len(teamScenarios(t, f, team)); got != saved+1 {
		t.Errorf("a form sent twice: %d scenarios, want %d", got, saved+1)
	}

	// The team's page lists them, with the link that opens each.
	page := send(t, c, "GET", f.ts.URL+"/la/calculators", nil)
	if page.status != 200 || !strings.Contains(page.body, "<bdi>Base case</bdi>") || !strings.Contains(page.body, `href="`+strings.ReplaceAll(want, "&", "&amp;")+`"`) ||
		!strings.Contains(page.body, fmt.Sprintf(`action="/la/calculators/scenarios/%d/delete"`, ours)) || !strings.Contains(page.body, "Pause, 4 years") ||
		!strings.Contains(page.body, `href="/la/calculators" aria-current="page"`) {
		t.Errorf("the list: %d\n%s", page.status, page.body)
	}

	// Another team sees none of them and cannot delete them.
	other := otherLATeam(t, f)
	oc := f.signIn(t, other)
	if page := send(t, oc, "GET", f.ts.URL+"/la/calculators", nil); page.status != 200 || strings.Contains(page.body, "Base case") {
		t.Errorf("another team's list: %d", page.status)
	}
	if res := send(t, oc, "POST", fmt.Sprintf("%s/la/calculators/scenarios/%d/delete", f.ts.URL, ours), url.Values{}); res.status != 404 {
		t.Errorf("another team deletes ours: %d", res.status)
	}
	for _, id := range []string{"0", "x", "99999"} {
		if res := send(t, c, "POST", f.ts.URL+"/la/calculators/scenarios/"+id+"/delete", url.Values{}); res.status != 404 {
			t.Errorf("delete %s: %d", id, res.status)
		}
	}
	res = send(t, c, "POST", fmt.Sprintf("%s/la/calculators/scenarios/%d/delete", f.ts.URL, ours), url.Values{})
	if res.status != 303 || res.header.Get("Location") != "/la/calculators" || !strings.Contains(res.header.Get("Set-Cookie"), "calculator-scenario-deleted") {
		t.Errorf("delete ours: %d to %q", res.status, res.header.Get("Location"))
	}
	if got := len(teamScenarios(t, f, team)); got != saved {
		t.Errorf("after the delete: %d, want %d", got, saved)
	}

	evs, err := f.db.SearchAudit(t.Context(), store.AuditFilter{RecordType: "calculator-scenario", Page: store.Page{Limit: 100}})
	if err != nil {
		t.Fatal(err)
	}
	count := map[audit.Action]int{}
	for _, e := range evs {
		if e.UserID == worker.UserID {
			count[e.Action]++
		}
	}
	// Four saves (the form sent twice saved once), one delete, one view of the list.
	if count[audit.Create] != 4 || count[audit.Delete] != 1 || count[audit.View] < 1 {
		t.Errorf("audit rows %v", count)
	}
}

// prefillFile is ten returns home in 2024-25 (five back in care six weeks
// later), six in 2025-26 and five in 2026-27, for children P01 to P21.
func prefillFile() (refs []string, file string) {
	var b strings.Builder
	b.WriteString(header903)
	for i := 1; i <= 21; i++ {
		ref := fmt.Sprintf("P%02d", i)
		refs = append(refs, ref)
		switch {
		case i <= 10:
			fmt.Fprintf(&b, "%s,01/04/2024,S,C2,N1,U1,PR1,01/06/2024,E4A,,,,\n", ref)
			if i <= 5 {
				fmt.Fprintf(&b, "%s,15/07/2024,S,C2,N1,U1,PR1,,,,,,\n", ref)
			}
		case i <= 16:
			fmt.Fprintf(&b, "%s,01/04/2025,S,C2,N1,U1,PR1,01/06/2025,E4A,,,,\n", ref)
		default:
			fmt.Fprintf(&b, "%s,01/04/2026,S,C2,N1,U1,PR1,01/09/2026,E4A,,,,\n", ref)
		}
	}
	return refs, b.String()
}

// The team's page gives the team's own figures, worked out by hand from the
// episodes imported: today is 23 November 2026, so the most recent complete
// year is 2025 to 2026, with 6 returns home; 16 returns are at least 12
// months old, 5 of them came back into care within 12 months: 31.25%.
func TestLACalculatorPrefill(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	other := otherLATeam(t, f)
	actor, err := f.db.Actor(t.Context(), other.UserID)
	if err != nil {
		t.Fatal(err)
	}
	team := actor.Memberships[0].TenantID
	refs, file := prefillFile()
	for _, ref := range refs {
		if _, err := f.db.CreateLAChild(t.Context(), audit.Event{}, reunify.Child{Team: team, Ref: ref, FirstName: "Sam", BornOn: haven.NewDate(2015, 1, 1)}, 0, f.today()); err != nil {
			t.Fatal(err)
		}
	}
	if res, err := f.db.ImportSSDA903(t.Context(), audit.Event{}, team, []byte(file), false, f.today()); err != nil || res.Rejected() {
		t.Fatalf("import %+v, %v", res, err)
	}
	page := send(t, f.signIn(t, other), "GET", f.ts.URL+"/la/calculators", nil)
	for _, want := range []string{
		`href="/calculators/return-home?baseline=31.25&amp;children=6&amp;discount=0&amp;failedCost=105804&amp;support=7857&amp;withSupport=38&amp;years=3"`,
		"Children returning home a year: 6, the returns home (SSDA903 reason for leaving care E4A or E4B) your team&#39;s data records in 2025 to 2026",
		"Breakdown rate without support: 31.25%, your team&#39;s re-entry rate: 5 of the 16 returns home made on or before 23 November 2025 came back into care within 12 months",
		"no scenarios yet",
	} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	if page.status != 200 {
		t.Errorf("status %d", page.status)
	}
}

// Every route of the team's calculator tools, for every kind of user: LA
// teams only. The routes ask for the reunify permissions, so anyone else is
// refused (403) where no record is named and told nothing (404) where one
// is; another LA team cannot delete the team's scenario; the public is sent
// to sign in.
func TestLACalculatorRouteMatrix(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	s, err := web.NewServer(web.Options{Store: f.db})
	if err != nil {
		t.Fatal(err)
	}
	for pattern, perm := range map[string]access.Permission{
		"GET /la/calculators":                        access.PermReunifyView,
		"POST /la/calculators/scenarios":             access.PermReunifyEdit,
		"POST /la/calculators/scenarios/{id}/delete": access.PermReunifyEdit,
	} {
		if got, ok := s.Routes()[pattern]; !ok || got != perm {
			t.Errorf("%s: %q, %v", pattern, got, ok)
		}
	}
	team := f.demo.LATeam.ID
	scenario := func(name string) int64 {
		sc, err := f.db.SaveCalculatorScenario(t.Context(), audit.Event{}, store.CalculatorScenario{Team: team, Calculator: "return-home", Name: name, Query: "children=1"})
		if err != nil {
			t.Fatal(err)
		}
		return sc.ID
	}
	who := f.who(t)
	who["other LA team"] = otherLATeam(t, f)
	type row struct{ list, save, del int }
	want := map[string]row{
		"LA social worker": {200, 303, 303},
		"LA manager":       {200, 303, 303},
		"other LA team":    {200, 303, 404},
	}
	for name, a := range who {
		w, ok := want[name]
		if !ok {
			w = row{403, 403, 404}
		}
		c := f.signIn(t, a)
		if got := send(t, c, "GET", f.ts.URL+"/la/calculators", nil).status; got != w.list {
			t.Errorf("%s GET /la/calculators: %d, want %d", name, got, w.list)
		}
		if got := saveScenario(t, f, c, "return-home", "By "+name, "children=5").status; got != w.save {
			t.Errorf("%s save: %d, want %d", name, got, w.save)
		}
		id := scenario("Delete by " + name)
		if got := send(t, c, "POST", fmt.Sprintf("%s/la/calculators/scenarios/%d/delete", f.ts.URL, id), url.Values{}).status; got != w.del {
			t.Errorf("%s delete: %d, want %d", name, got, w.del)
		}
	}
	// Only the team's own deleted theirs, and only LA users saved.
	kept, saved := 0, 0
	for _, sc := range teamScenarios(t, f, team) {
		if strings.HasPrefix(sc.Name, "Delete by ") {
			kept++
		} else if strings.HasPrefix(sc.Name, "By ") {
			saved++
		}
	}
	if kept != len(who)-2 || saved != 2 {
		t.Errorf("%d scenarios kept from deletion, want %d; %d saved to the team, want 2", kept, len(who)-2, saved)
	}
	// The public: a page is sent to sign in (303), a form asked to (401).
	anon, before := f.browser(), len(teamScenarios(t, f, team))
	for _, r := range []struct {
		method, path string
		want         int
	}{{"GET", "/la/calculators", 303}, {"POST", "/la/calculators/scenarios", 401}, {"POST", fmt.Sprintf("/la/calculators/scenarios/%d/delete", scenario("Anonymous")), 401}} {
		var form url.Values
		if r.method == "POST" {
			form = url.Values{"calculator": {"return-home"}, "name": {"Anon"}, "query": {"children=1"}}
		}
		if got := send(t, anon, r.method, f.ts.URL+r.path, form).status; got != r.want {
			t.Errorf("anonymous %s %s: %d, want %d", r.method, r.path, got, r.want)
		}
	}
	if got := len(teamScenarios(t, f, team)); got != before+1 {
		t.Errorf("the public changed the team's scenarios: %d, want %d", got, before+1)
	}
}
