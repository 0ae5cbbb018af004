package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/calculator"
	"haven/internal/evaluate"
	"haven/internal/haven"
	"haven/internal/reunify"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// returnsOn is n returns home on one day, children numbered from first, the
// first back the children of them re-entering care on reEntry.
func returnsOn(first, n, back int, on, reEntry haven.Date) []reunify.Return {
	var out []reunify.Return
	for i := range n {
		r := reunify.Return{Child: int64(first + i), On: on, REC: "E4A"}
		if i < back {
			r.ReEntry = reEntry
		}
		out = append(out, r)
	}
	return out
}

// The prefill takes the dashboard's own figures, worked out here by hand
// (today 23 November 2026: 2026 to 2027 is not complete, so the most recent
// complete year is 2025 to 2026, and a return can be judged at 12 months if
// it was made on or before 23 November 2025).
func TestPrefillFrom(t *testing.T) {
	asOf := haven.NewDate(2026, 11, 23)
	d := haven.NewDate
	cat := func(rs ...[]reunify.Return) []reunify.Return {
		var out []reunify.Return
		for _, r := range rs {
			out = append(out, r...)
		}
		return out
	}
	// The fixture the web test imports as SSDA903 episodes: 10 home in
	// 2024-25 (5 back in care 6 weeks later), 6 in 2025-26, 5 in 2026-27.
	fixture := cat(returnsOn(1, 10, 5, d(2024, 6, 1), d(2024, 7, 15)), returnsOn(11, 6, 0, d(2025, 6, 1), haven.Date{}), returnsOn(17, 5, 0, d(2026, 9, 1), haven.Date{}))
	for _, tt := range []struct {
		name        string
		returns     []reunify.Return
		year        int
		children    int64
		hasChildren bool
		childrenWhy string
		baselineBP  int64
		hasBaseline bool
		baselineWhy string
		note        []string
	}{
		{name: "the fixture: 6 in 2025-26; 5 of 16 back within 12 months", returns: fixture, year: 2025, children: 6, hasChildren: true, baselineBP: 3125, hasBaseline: true,
			note: []string{"Children returning home a year: 6", "2025 to 2026", "31.25%", "5 of the 16 returns home made on or before 23 November 2025", "not above the example breakdown rate with support (38%)"}},
		{name: "3 in the last complete year: hidden, not prefilled", returns: cat(returnsOn(1, 10, 0, d(2024, 6, 1), haven.Date{}), returnsOn(11, 3, 0, d(2025, 6, 1), haven.Date{})),
			childrenWhy: "not shown (fewer than 5)", baselineBP: 0, hasBaseline: true, note: []string{"left at the example, 100, because the dashboard does not show it: not shown (fewer than 5)"}},
		{name: "no returns home", childrenWhy: "records no return home", baselineWhy: "records no return home"},
		{name: "only this year's returns", returns: returnsOn(1, 6, 0, d(2026, 6, 1), haven.Date{}), childrenWhy: "no complete year yet", baselineWhy: "none of your team's returns home is 12 months old yet"},
		{name: "data that stops in 2022-23", returns: returnsOn(1, 8, 0, d(2022, 6, 1), haven.Date{}), year: 2022, children: 8, hasChildren: true, baselineBP: 0, hasBaseline: true,
			note: []string{"2022 to 2023", "0 of the 8 returns"}},
		{name: "a complete year with no return home is 0", returns: cat(returnsOn(1, 7, 0, d(2024, 6, 1), haven.Date{}), returnsOn(8, 5, 0, d(2026, 6, 1), haven.Date{})), year: 2025, children: 0, hasChildren: true, baselineBP: 0, hasBaseline: true},
		{name: "6 of 11 is 54.55%", returns: returnsOn(1, 11, 6, d(2024, 6, 1), d(2024, 8, 1)), year: 2024, children: 11, hasChildren: true, baselineBP: 5455, hasBaseline: true, note: []string{"54.55%"}},
		{name: "5 of 32 is 15.625%, rounded half up to 15.63%", returns: returnsOn(1, 32, 5, d(2024, 6, 1), d(2025, 5, 1)), year: 2024, children: 32, hasChildren: true, baselineBP: 1563, hasBaseline: true, note: []string{"15.63%"}},
		{name: "above 38%: no advice on the rate with support", returns: returnsOn(1, 10, 5, d(2024, 6, 1), d(2024, 8, 1)), year: 2024, children: 10, hasChildren: true, baselineBP: 5000, hasBaseline: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dash := reunify.BuildDashboard(tt.returns, nil, asOf, evaluate.Settings{})
			f := prefillFrom(dash)
			if f.HasChildren != tt.hasChildren || f.Children != tt.children || (tt.hasChildren && f.Year != tt.year) {
				t.Errorf("children: %v %d in %d, want %v %d in %d", f.HasChildren, f.Children, f.Year, tt.hasChildren, tt.children, tt.year)
			}
			if f.HasBaseline != tt.hasBaseline || f.BaselineBP != tt.baselineBP {
				t.Errorf("baseline: %v %d, want %v %d", f.HasBaseline, f.BaselineBP, tt.hasBaseline, tt.baselineBP)
			}
			if !strings.Contains(f.ChildrenWhy, tt.childrenWhy) || !strings.Contains(f.BaselineWhy, tt.baselineWhy) {
				t.Errorf("why: %q, %q", f.ChildrenWhy, f.BaselineWhy)
			}
			// Never a figure the dashboard hides.
			for _, row := range dash.ReEntry {
				if row.Months == 12 && f.HasBaseline && (!row.Judged.Shown() || !row.ReEntered.Shown()) {
					t.Error("the baseline is a rate the dashboard hides")
				}
			}
			note := f.note()
			for _, want := range tt.note {
				if !strings.Contains(note, want) {
					t.Errorf("the note lacks %q: %s", want, note)
				}
			}
			if (f.baselineBelowDefault()) != strings.Contains(note, "enter the rate you expect with support") {
				t.Errorf("advice on the rate with support: %s", note)
			}
			u := string(f.url())
			if !f.HasChildren && !f.HasBaseline {
				if u != "" {
					t.Errorf("a prefill with no figures: %s", u)
				}
				return
			}
			path, query, _ := strings.Cut(u, "?")
			q, err := url.ParseQuery(query)
			if path != "/calculators/return-home" || err != nil {
				t.Fatalf("prefill %s", u)
			}
			in, problems := calculator.ParseReturnHome(q)
			want := calculator.DefaultReturnHome()
			if f.HasChildren {
				want.Children = tt.children
			}
			if f.HasBaseline {
				want.BaselineBP = tt.baselineBP
			}
			if len(problems) > 0 || fmt.Sprint(in) != fmt.Sprint(want) {
				t.Errorf("prefill %s reads as %+v, %v; want %+v", u, in, problems, want)
			}
		})
	}
}

// prefillEpisodes is the fixture of TestPrefillFrom as an SSDA903 episodes
// file, for children K01 to K21.
func prefillEpisodes() (refs []string, file string) {
	var b strings.Builder
	b.WriteString("CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n")
	for i := 1; i <= 21; i++ {
		ref := fmt.Sprintf("K%02d", i)
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

// importPrefillTeam is a new LA team with the fixture imported.
func importPrefillTeam(t *testing.T, db *store.DB, slug string) access.LATeam {
	t.Helper()
	ctx, ev, today := t.Context(), audit.Event{}, haven.NewDate(2026, 11, 23)
	team, err := db.CreateLATeam(ctx, access.LATeam{Slug: slug, Name: "Team " + slug, LACode: "E08000035"})
	if err != nil {
		t.Fatal(err)
	}
	refs, file := prefillEpisodes()
	for _, ref := range refs {
		if _, err := db.CreateLAChild(ctx, ev, reunify.Child{Team: team.ID, Ref: ref, FirstName: "Sam", BornOn: haven.NewDate(2015, 1, 1)}, 0, today); err != nil {
			t.Fatal(err)
		}
	}
	res, err := db.ImportSSDA903(ctx, ev, team.ID, []byte(file), false, today)
	if err != nil || res.Rejected() || res.Added != 26 {
		t.Fatalf("import: %+v, %v", res, err)
	}
	return team
}

// calculatorTeam itself: nil for the public and for anyone outside an LA
// team; for the team, its figures from the imported episodes, the save
// form's fields, and its own scenarios of that calculator only.
func TestCalculatorTeam(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	db := storetest.SQLite(t)
	db.SetClock(func() time.Time { return now })
	s, err := NewServer(Options{Store: db, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	team := importPrefillTeam(t, db, "team-k")
	other := importPrefillTeam(t, db, "team-l")
	ctx := t.Context()
	for _, sc := range []store.CalculatorScenario{
		{Team: team.ID, Calculator: "return-home", Name: "Ours", Query: "children=6"},
		{Team: team.ID, Calculator: "infant-care", Name: "Ours, Pause", Query: "careCost=1"},
		{Team: other.ID, Calculator: "return-home", Name: "Theirs", Query: "children=7"},
	} {
		if _, err := db.SaveCalculatorScenario(ctx, audit.Event{}, sc); err != nil {
			t.Fatal(err)
		}
	}
	req := func(ms ...access.Membership) context.Context {
		info := &reqInfo{id: "test"}
		if ms != nil {
			info.actor = &access.Actor{User: access.User{ID: 1}, Memberships: ms}
		}
		return context.WithValue(ctx, infoKey{}, info)
	}
	q := url.Values{"children": {"6"}, "baseline": {"31.25"}}
	for _, tt := range []struct {
		name string
		ms   []access.Membership
	}{
		{"the public", nil},
		{"a Practice lead", []access.Membership{{Role: access.RolePracticeLead, TenantKind: access.TenantPractice, TenantID: team.ID}}},
		{"a national analyst", []access.Membership{{Role: access.RoleNationalAnalyst, TenantKind: access.TenantNational}}},
	} {
		ct, err := s.calculatorTeam(httptest.NewRequest("GET", "/calculators/return-home", nil).WithContext(req(tt.ms...)), "return-home", q)
		if err != nil || ct != nil {
			t.Errorf("%s: %+v, %v", tt.name, ct, err)
		}
	}
	worker := access.Membership{Role: access.RoleLASocialWorker, TenantKind: access.TenantLocalAuthority, TenantID: team.ID, TenantName: "Team K"}
	r := httptest.NewRequest("GET", "/calculators/return-home", nil).WithContext(req(worker))
	ct, err := s.calculatorTeam(r, "return-home", q)
	if err != nil || ct == nil {
		t.Fatalf("the team: %+v, %v", ct, err)
	}
	if ct.TeamName != "Team K" || ct.Calculator != "return-home" || ct.Query != "baseline=31.25&children=6" || !ct.CanSave || ct.Key == "" {
		t.Errorf("team %+v", ct)
	}
	if !strings.Contains(string(ct.Prefill), "baseline=31.25") || !strings.Contains(string(ct.Prefill), "children=6&") || !strings.Contains(ct.PrefillNote, "2025 to 2026") {
		t.Errorf("prefill %s: %s", ct.Prefill, ct.PrefillNote)
	}
	if len(ct.Scenarios) != 1 || ct.Scenarios[0].Name != "Ours" || ct.Scenarios[0].URL != "/calculators/return-home?children=6" {
		t.Errorf("scenarios %+v", ct.Scenarios)
	}
	// A Pause-type service: no prefill, and no save until both costs are in.
	ct, err = s.calculatorTeam(r, "infant-care", url.Values{"avoided": {"14.4"}})
	if err != nil || ct.Prefill != "" || !strings.Contains(ct.PrefillNote, "no figures from your SSDA903 data") || len(ct.Scenarios) != 1 || ct.Scenarios[0].Name != "Ours, Pause" ||
		ct.CanSave || !strings.Contains(ct.SaveHint, "Enter the yearly cost of a child in care") {
		t.Errorf("infant care: %+v, %v", ct, err)
	}
	ct, err = s.calculatorTeam(r, "infant-care", url.Values{"careCost": {"60000"}, "programmeCost": {"500000"}})
	if err != nil || !ct.CanSave || ct.SaveHint != "" {
		t.Errorf("infant care with its costs: %+v, %v", ct, err)
	}
	if _, err := s.calculatorTeam(r, "payroll", q); err == nil {
		t.Error("an unknown calculator")
	}
	// Each showing of the team's scenarios is audited.
	evs, err := db.SearchAudit(ctx, store.AuditFilter{RecordType: "calculator-scenario", Action: string(audit.View), Page: store.Page{Limit: 10}})
	if err != nil || len(evs) != 3 || evs[0].RecordID != fmt.Sprint("team:", team.ID) || evs[2].Section != "return-home" || evs[0].Section != "infant-care" {
		t.Errorf("audit %+v, %v", evs, err)
	}
}

// The partial the calculator pages render, with every part filled in and
// the scenario's query escaped in its hidden field.
func TestCalculatorTeamPartial(t *testing.T) {
	pages, err := parseTemplates()
	if err != nil {
		t.Fatal(err)
	}
	ct := &calculatorTeam{TeamName: "Team <K>", Prefill: "/calculators/return-home?baseline=31.25&children=6", PrefillNote: "Children returning home a year: 6",
		Calculator: "return-home", Query: `children=6&x="><script>`, CanSave: true, Key: "KEY0123456789ABCDEF",
		Scenarios: []calculatorScenario{{Name: "Base <case>", URL: "/calculators/return-home?children=5", SavedBy: "Sam Worker", SavedOn: "1 December 2026 at 9:00am"}}}
	for _, tt := range []struct {
		name      string
		ct        *calculatorTeam
		want, not []string
	}{
		{"may save", ct, []string{`<h2 class="govuk-heading-l" id="calculator-team-heading">Your team</h2>`, "Team &lt;K&gt;",
			`href="/calculators/return-home?baseline=31.25&amp;children=6"`, "Children returning home a year: 6",
			`action="/la/calculators/scenarios"`, `name="idempotency_key" value="KEY0123456789ABCDEF"`, `name="calculator" value="return-home"`,
			`name="query" value="children=6&amp;x=&#34;&gt;&lt;script&gt;"`, `name="name"`, "Save scenario",
			`<a class="govuk-link" href="/calculators/return-home?children=5"><bdi>Base &lt;case&gt;</bdi></a>, saved by Sam Worker on 1 December 2026 at 9:00am`,
			`href="/la/calculators"`}, []string{"<script>"}},
		{"may not save yet, no scenarios", &calculatorTeam{TeamName: "Team K", PrefillNote: "No figures", SaveHint: "Enter both costs"}, []string{"No figures", "Enter both costs", "no scenarios for this calculator yet"},
			[]string{"Save scenario", "Start from your team"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := pages.pages["calculators-team.html"].ExecuteTemplate(&b, "calculator-team", tt.ct); err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(b.String(), w) {
					t.Errorf("lacks %s\n%s", w, b.String())
				}
			}
			for _, w := range tt.not {
				if strings.Contains(b.String(), w) {
					t.Errorf("has %s", w)
				}
			}
		})
	}
}

// calculatorTeamTemplateCases render the team's page as a save sent back
// with errors: the summary, the form again, and the saved scenarios.
func calculatorTeamTemplateCases() map[string]struct {
	p    page
	want string
} {
	p := &calculatorsTeamPage{Layout: Layout{Title: "Calculators for your team", Errors: []FieldError{{"scenario-name", "Enter a scenario name"}}},
		TeamName: "Team K", Prefill: "/calculators/return-home?children=6", PrefillNote: "Children returning home a year: 6", CanEdit: true,
		Save:      &scenarioForm{Name: "le<eds", Calculator: "return-home", Query: "children=6", Back: "/calculators/return-home?children=6"},
		Scenarios: []calculatorScenario{{ID: 4, Name: "Base case", Calculator: "Support on return home from care", URL: "/calculators/return-home?children=5", SavedBy: "Sam Worker", SavedOn: "1 December 2026 at 9:00am"}}}
	return map[string]struct {
		p    page
		want string
	}{
		"calculators-team.html": {p, `action="/la/calculators/scenarios/4/delete"`},
	}
}
