package web_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/document/doctest"
	"haven/internal/haven"
	"haven/internal/reunify"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// planChild is a looked-after child in the demo LA team, allocated to the
// demo social worker, with a mother whose name is outside Latin-1, a
// father, a grandmother, and an open case; the child went home (E4A) on
// returned. other is a child of another LA team.
type planChild struct {
	child, other     reunify.Child
	c, otherCase     reunify.Case
	mum, dad, granny reunify.Person
	returned         haven.Date
	base, otherBase  string
}

func newPlanChild(t *testing.T, e *authEnv, episodes ...reunify.Episode) planChild {
	t.Helper()
	ctx, db := t.Context(), e.db
	today := haven.NewDate(2026, time.November, 23)
	worker := e.account(access.RoleLASocialWorker)
	p := planChild{returned: haven.NewDate(2026, time.May, 1)}
	var err error
	if p.child, err = db.CreateLAChild(ctx, audit.Event{}, reunify.Child{Team: e.demo.LATeam.ID, Ref: "C-3001", FirstName: "Robin", BornOn: haven.NewDate(2018, 3, 4), Worker: worker.UserID}, 0, today); err != nil {
		t.Fatal(err)
	}
	if len(episodes) == 0 {
		episodes = []reunify.Episode{{StartsOn: haven.NewDate(2025, 6, 1), RNE: "S", LegalStatus: "C2", Placement: "U4", EndsOn: p.returned, REC: "E4A"}}
	}
	for _, ep := range episodes {
		ep.Child = p.child.ID
		if _, err := db.AddLAEpisode(ctx, audit.Event{}, ep, 0, today); err != nil {
			t.Fatal(err)
		}
	}
	if p.c, err = db.OpenReunification(ctx, audit.Event{}, reunify.Case{Child: p.child.ID, Route: "s31", OpenedOn: haven.NewDate(2025, 9, 1), Worker: worker.UserID}, today); err != nil {
		t.Fatal(err)
	}
	for _, x := range []struct {
		to  *reunify.Person
		who reunify.Person
	}{
		{&p.mum, reunify.Person{Child: p.child.ID, Name: "Agnieszka Wiśniewska-Łącka Nguyễn", Relationship: "mother", ParentalResponsibility: true}},
		{&p.dad, reunify.Person{Child: p.child.ID, Name: "Ştefan Example", Relationship: "father", ParentalResponsibility: true}},
		{&p.granny, reunify.Person{Child: p.child.ID, Name: "Pat Example", Relationship: "grandparent"}},
	} {
		if *x.to, err = db.AddLAPerson(ctx, audit.Event{}, x.who); err != nil {
			t.Fatal(err)
		}
	}
	team, err := db.CreateLATeam(ctx, access.LATeam{Slug: "other-la-team", Name: "Another LA team", LACode: "E08000035"})
	if err != nil {
		t.Fatal(err)
	}
	if p.other, err = db.CreateLAChild(ctx, audit.Event{}, reunify.Child{Team: team.ID, Ref: "C-3001", FirstName: "Sam", BornOn: haven.NewDate(2019, 1, 1)}, 0, today); err != nil {
		t.Fatal(err)
	}
	if p.otherCase, err = db.OpenReunification(ctx, audit.Event{}, reunify.Case{Child: p.other.ID, Route: "s20", OpenedOn: haven.NewDate(2026, 1, 1)}, today); err != nil {
		t.Fatal(err)
	}
	p.base = "/la/children/" + itoa(p.child.ID) + "/reunification"
	p.otherBase = "/la/children/" + itoa(p.other.ID) + "/reunification"
	return p
}

// Every route of the assessment, plan and support, for every kind of user:
// the team's own social worker and manager may; everyone else, Practice
// staff, national analysts, administrators and editors, is told the child is
// not found, and so is the team for another team's child. Nothing is written
// by a refused POST.
func TestReunifyPlanRouteMatrix(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		p := newPlanChild(t, f.authEnv)
		gets := []string{"/assessment", "/plan", "/plan/print", "/plan.pdf", "/support"}
		posts := map[string]url.Values{
			"/assessment":     {"section": {"child-views"}, "person": {"0"}, "version": {"0"}, "text": {"Matrix"}},
			"/plan":           {"version": {"0"}, "expectations": {"Matrix"}},
			"/plan/goals":     {"person": {itoa(p.mum.ID)}, "words": {"Matrix"}, "steps": {"x"}, "goal-timeframe": {"x"}, "support": {"x"}},
			"/plan/reviews":   {"review-heldOn-day": {"1"}, "review-heldOn-month": {"3"}, "review-heldOn-year": {"2026"}},
			"/plan/comments":  {"person": {itoa(p.mum.ID)}, "comment-saidOn-day": {"1"}, "comment-saidOn-month": {"3"}, "comment-saidOn-year": {"2026"}, "words": {"Matrix"}},
			"/support":        {"version": {"0"}, "package": {"Matrix"}, "endsOn-day": {"1"}, "endsOn-month": {"1"}, "endsOn-year": {"2027"}},
			"/support/checks": {"month": {"3"}, "check-3-checkedOn-day": {"2"}, "check-3-checkedOn-month": {"8"}, "check-3-checkedOn-year": {"2026"}, "outcome": {"settled"}},
		}
		la := map[string]bool{"LA social worker": true, "LA manager": true}
		for name, a := range f.who(t) {
			c := f.signIn(t, a)
			for _, path := range gets {
				want := http.StatusNotFound
				if la[name] {
					want = http.StatusOK
				}
				if res := send(t, c, "GET", f.ts.URL+p.base+path, nil); res.status != want {
					t.Errorf("%s GET {own team's child}%s: %d, want %d", name, path, res.status, want)
				}
				if res := send(t, c, "GET", f.ts.URL+p.otherBase+path, nil); res.status != http.StatusNotFound {
					t.Errorf("%s GET {another team's child}%s: %d, want 404", name, path, res.status)
				}
			}
			for path, form := range posts {
				if res := send(t, c, "POST", f.ts.URL+p.otherBase+path, form); res.status != http.StatusNotFound {
					t.Errorf("%s POST {another team's child}%s: %d, want 404", name, path, res.status)
				}
				if !la[name] {
					if res := send(t, c, "POST", f.ts.URL+p.base+path, form); res.status != http.StatusNotFound {
						t.Errorf("%s POST {own team's child}%s: %d, want 404", name, path, res.status)
					}
				}
			}
			want := http.StatusForbidden
			if la[name] {
				want = http.StatusOK
			}
			if res := send(t, c, "GET", f.ts.URL+"/la/tasks", nil); res.status != want {
				t.Errorf("%s GET /la/tasks: %d, want %d", name, res.status, want)
			}
		}
		anon := f.browser()
		for _, path := range gets {
			if res := send(t, anon, "GET", f.ts.URL+p.base+path, nil); res.status != http.StatusSeeOther {
				t.Errorf("anonymous GET %s: %d, want 303 to sign in", path, res.status)
			}
		}
		// The refused POSTs wrote nothing to either child's case.
		for _, k := range []reunify.Case{p.c, p.otherCase} {
			if es, _ := db.Assessment(t.Context(), k); len(es) != 0 {
				t.Errorf("a refused POST wrote %d assessment sections", len(es))
			}
			if pl, _ := db.Plan(t.Context(), k); pl.Version != 0 {
				t.Error("a refused POST wrote a plan")
			}
			if gs, _ := db.PlanGoals(t.Context(), k); len(gs) != 0 {
				t.Error("a refused POST wrote a goal")
			}
			if s, _ := db.Support(t.Context(), k); s.Version != 0 {
				t.Error("a refused POST wrote support")
			}
			if ks, _ := db.OutcomeChecks(t.Context(), k); len(ks) != 0 {
				t.Error("a refused POST wrote a check")
			}
		}
	})
}

// The assessment through the pages: a section saved, saved again from a
// stale copy (409, the words kept), marked complete without words (422
// naming the section), and the summary counting what is complete.
func TestReunifyAssessmentPages(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newAuthEnv(t, db)
		p := newPlanChild(t, e)
		c := e.signIn(t, e.account(access.RoleLASocialWorker))
		u := e.ts.URL + p.base + "/assessment"
		res := send(t, c, "GET", u, nil)
		if res.status != 200 || !strings.Contains(res.body, "0 of 15") || strings.Contains(res.body, "Pat Example") {
			t.Fatalf("assessment: %d; want 0 of 15 sections (6 for each of two parents, 3 for the family), the grandmother not assessed", res.status)
		}
		form := url.Values{"section": {"strengths"}, "person": {itoa(p.mum.ID)}, "version": {"0"}, "text": {"Warm with Robin at every contact"}, "complete": {"yes"}}
		if res := send(t, c, "POST", u, form); res.status != 303 {
			t.Fatalf("save: %d\n%s", res.status, res.body)
		}
		form.Set("text", "A stale copy")
		res = send(t, c, "POST", u, form)
		if res.status != 409 || !strings.Contains(res.body, "Someone else saved this section") || !strings.Contains(res.body, "A stale copy") {
			t.Errorf("stale save: %d, want 409 keeping the words", res.status)
		}
		bad := url.Values{"section": {"child-views"}, "person": {"0"}, "version": {"0"}, "text": {"  "}, "complete": {"yes"}}
		res = send(t, c, "POST", u, bad)
		if res.status != 422 || !strings.Contains(res.body, html.EscapeString("Write the child’s views before marking the section complete")) || !strings.Contains(res.body, `href="#section-child-views-0-text"`) {
			t.Errorf("empty complete section: %d, want 422 naming the section", res.status)
		}
		// A parent of another child, or the grandmother, is not found.
		if res := send(t, c, "POST", u, url.Values{"section": {"concerns"}, "person": {itoa(p.granny.ID)}, "version": {"0"}, "text": {"x"}}); res.status != 404 {
			t.Errorf("a section about the grandmother: %d, want 404", res.status)
		}
		res = send(t, c, "GET", u, nil)
		if !strings.Contains(res.body, "1 of 15") || !strings.Contains(res.body, "Version 1, saved by") {
			t.Errorf("after one complete section the summary does not say 1 of 15 with its version")
		}
		// A second version keeps the first, shown as an earlier version.
		form.Set("version", "1")
		form.Set("text", "Warm with Robin at every contact; now working with the family support worker")
		if res := send(t, c, "POST", u, form); res.status != 303 {
			t.Fatalf("second save: %d", res.status)
		}
		res = send(t, c, "GET", u, nil)
		if !strings.Contains(res.body, "Version 2, saved by") || !strings.Contains(res.body, "Earlier versions (1)") || !strings.Contains(res.body, "<p class=\"govuk-body\">Warm with Robin at every contact</p>") {
			t.Errorf("the second version does not keep the first as an earlier version")
		}
		if es, _ := db.Assessment(t.Context(), p.c); len(es) != 1 || es[0].Version != 2 {
			t.Errorf("sections stored: %+v", es)
		}
		evs, _ := db.SearchAudit(t.Context(), store.AuditFilter{RecordType: "la-child", RecordID: itoa(p.child.ID), Page: store.Page{Limit: 100}})
		views := 0
		for _, ev := range evs {
			if ev.Section == "assessment" && ev.Action == audit.View {
				views++
			}
		}
		if views < 2 {
			t.Errorf("%d audited views of the assessment, want 2 or more", views)
		}
	})
}

// The agreement through the pages: bad input is refused naming the field
// and writes nothing; a review must rate every goal; the page's chart and
// table show the ratings in words; the printed copy and the PDF say it in
// plain English with the mother's name as written.
func TestReunifyPlanPagesPrintAndPDF(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newAuthEnv(t, db)
		p := newPlanChild(t, e)
		c := e.signIn(t, e.account(access.RoleLASocialWorker))
		u := e.ts.URL + p.base + "/plan"
		agreement := dateForm(url.Values{"version": {"0"}, "expectations": {"Robin is safe, fed and at school every day."}}, "agreedOn", "31", "2", "2026")
		res := send(t, c, "POST", u, agreement)
		if res.status != 422 || !strings.Contains(res.body, "Date agreed must be a real date") || !strings.Contains(res.body, "Robin is safe, fed") {
			t.Fatalf("31 February: %d, want 422 naming Date agreed and keeping the words", res.status)
		}
		if pl, _ := db.Plan(t.Context(), p.c); pl.Version != 0 {
			t.Fatal("a refused agreement was stored")
		}
		dateForm(agreement, "agreedOn", "1", "2", "2026")
		dateForm(agreement, "review1", "1", "3", "2026")
		if res := send(t, c, "POST", u, agreement); res.status != 303 {
			t.Fatalf("agreement: %d\n%s", res.status, res.body)
		}
		goal := url.Values{"person": {itoa(p.mum.ID)}, "words": {"Go to the parenting course"}, "steps": {"Book a place\nGo every week"}, "goal-timeframe": {"By the end of March"}, "support": {""}}
		res = send(t, c, "POST", u+"/goals", goal)
		if res.status != 422 || !strings.Contains(res.body, "Enter the support offered") || !strings.Contains(res.body, `href="#goal-support"`) {
			t.Errorf("a goal without support: %d, want 422 naming Support offered", res.status)
		}
		goal.Set("support", "A family support worker every week")
		if res := send(t, c, "POST", u+"/goals", goal); res.status != 303 {
			t.Fatalf("goal: %d\n%s", res.status, res.body)
		}
		dadGoal := url.Values{"person": {itoa(p.dad.ID)}, "words": {"Stay sober"}, "steps": {"Go to meetings"}, "goal-timeframe": {"Throughout"}, "support": {"Drug and alcohol service"}}
		if res := send(t, c, "POST", u+"/goals", dadGoal); res.status != 303 {
			t.Fatalf("goal: %d", res.status)
		}
		goals, _ := db.PlanGoals(t.Context(), p.c)
		if len(goals) != 2 {
			t.Fatalf("%d goals", len(goals))
		}
		g1, g2 := "rating-"+itoa(goals[0].ID), "rating-"+itoa(goals[1].ID)
		review := dateForm(url.Values{g1: {"amber"}}, "review-heldOn", "1", "3", "2026")
		res = send(t, c, "POST", u+"/reviews", review)
		if res.status != 422 || !strings.Contains(res.body, html.EscapeString("Choose red, amber or green for “Stay sober”")) {
			t.Errorf("a review without every rating: %d, want 422 naming the goal", res.status)
		}
		review.Set(g2, "purple")
		if res := send(t, c, "POST", u+"/reviews", review); res.status != 422 || !strings.Contains(res.body, "Choose red, amber or green") {
			t.Errorf("a rating of purple: %d, want 422", res.status)
		}
		if rs, _ := db.PlanReviews(t.Context(), p.c); len(rs) != 0 {
			t.Fatal("a refused review was stored")
		}
		review.Set(g2, "red")
		if res := send(t, c, "POST", u+"/reviews", review); res.status != 303 {
			t.Fatalf("review: %d\n%s", res.status, res.body)
		}
		if res := send(t, c, "POST", u+"/reviews", dateForm(url.Values{g1: {"green"}, g2: {"amber"}, "note": {"Much better"}}, "review-heldOn", "1", "4", "2026")); res.status != 303 {
			t.Fatalf("second review: %d", res.status)
		}
		comment := dateForm(url.Values{"person": {itoa(p.mum.ID)}, "words": {"I will do whatever it takes to bring Robin home"}}, "comment-saidOn", "1", "2", "2026")
		if res := send(t, c, "POST", u+"/comments", comment); res.status != 303 {
			t.Fatalf("comment: %d\n%s", res.status, res.body)
		}
		res = send(t, c, "GET", u, nil)
		if res.status != 200 {
			t.Fatalf("plan: %d", res.status)
		}
		svg := res.body[strings.Index(res.body, "<svg"):strings.Index(res.body, "</svg>")]
		for _, want := range []string{">Amber</text>", ">Red</text>", ">Green</text>", ">1 Mar 2026</text>", ">1 Apr 2026</text>"} {
			if !strings.Contains(svg, want) {
				t.Errorf("the chart lacks %q", want)
			}
		}
		if !strings.Contains(res.body, "I will do whatever it takes") {
			t.Error("the mother's words are not shown")
		}

		res = send(t, c, "GET", u+"/print", nil)
		for _, want := range []string{"Our plan for <bdi>Robin</bdi> to come home", "The help you will get:", "Green</strong> means on track", `data-haven-print="Print this plan"`,
			"What <bdi>" + html.EscapeString(p.mum.Name) + "</bdi> will do", "Your social worker", "Printed on 23 November 2026"} {
			if !strings.Contains(res.body, want) {
				t.Errorf("the printed plan lacks %q", want)
			}
		}
		// The CSP forbids inline scripts: the Print button comes from static/print.mjs.
		if main := res.body[strings.Index(res.body, "<main"):strings.Index(res.body, "</main>")]; strings.Contains(main, "<script") || strings.Contains(main, "onclick") {
			t.Error("the printed plan has an inline script")
		}

		res = send(t, c, "GET", u+".pdf", nil)
		if res.status != 200 || res.header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("PDF: %d %s", res.status, res.header.Get("Content-Type"))
		}
		pdf, err := doctest.ReadPDF([]byte(res.body))
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Join(strings.Fields(pdf.Text()), " ")
		for _, want := range []string{"Our plan for Robin to come home", "What Agnieszka Wiśniewska-Łącka Nguyễn will do",
			"Goal 1: Go to the parenting course", "The help you will get: A family support worker every week",
			"Goal 2, Stay sober: Red (not happening yet)", "Goal 1, Go to the parenting course: Green (on track)",
			"Agnieszka Wiśniewska-Łącka Nguyễn said on 1 February 2026: “I will do whatever it takes to bring Robin home”",
			"We agreed this plan on 1 February 2026.", "Printed on 23 November 2026", "Page 1 of"} {
			if !strings.Contains(text, want) {
				t.Errorf("the PDF lacks %q; it reads:\n%s", want, text)
			}
		}
		if strings.Contains(text, "?") {
			t.Errorf("a character did not print:\n%s", text)
		}
		evs, _ := db.SearchAudit(t.Context(), store.AuditFilter{RecordType: "la-child", RecordID: itoa(p.child.ID), Action: string(audit.Export), Page: store.Page{Limit: 10}})
		if len(evs) != 1 {
			t.Errorf("%d audited PDF downloads, want 1", len(evs))
		}
	})
}

// After the return: support planned for under 6 months is warned about,
// with its evidence; the outcome checks fall due as tasks for the child's
// worker and go when recorded; a re-entry read from the episodes shows.
func TestReunifySupportWarningTasksAndReEntry(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newAuthEnv(t, db)
		p := newPlanChild(t, e)
		worker := e.signIn(t, e.account(access.RoleLASocialWorker))
		manager := e.signIn(t, e.account(access.RoleLAManager))
		u := e.ts.URL + p.base + "/support"
		res := send(t, worker, "GET", u, nil)
		if res.status != 200 || !strings.Contains(res.body, "went home on <strong>1 May 2026</strong>, as part of the care plan (E4A)") {
			t.Fatalf("support page: %d, the return date from the episodes not shown", res.status)
		}
		short := dateForm(url.Values{"version": {"0"}, "package": {"Weekly visits from a family support worker"}}, "endsOn", "31", "10", "2026")
		if res := send(t, worker, "POST", u, short); res.status != 303 {
			t.Fatalf("support: %d\n%s", res.status, res.body)
		}
		res = send(t, worker, "GET", u, nil)
		for _, want := range []string{"less than 6 months after the return home", "at least 1 November 2026", "DOMAIN.md §5.3", "at least 6 months"} {
			if !strings.Contains(res.body, want) {
				t.Errorf("the warning lacks %q", want)
			}
		}
		long := dateForm(url.Values{"version": {"1"}, "package": {"Weekly visits for a year"}}, "endsOn", "1", "11", "2026")
		if res := send(t, worker, "POST", u, long); res.status != 303 {
			t.Fatalf("support: %d", res.status)
		}
		if res := send(t, worker, "GET", u, nil); strings.Contains(res.body, "support-warning") {
			t.Error("6 months' support is still warned about")
		}
		if res := send(t, worker, "POST", u, dateForm(url.Values{"version": {"2"}, "package": {"x"}}, "endsOn", "", "", "")); res.status != 422 || !strings.Contains(res.body, "Enter the date the support is planned to end") {
			t.Errorf("no end date: %d, want 422", res.status)
		}

		// On 23 November 2026 the 3-month check (1 August) is overdue; the
		// 6-month one (1 November) too. Both are the worker's tasks.
		res = send(t, worker, "GET", e.ts.URL+"/la/tasks", nil)
		if res.status != 200 || strings.Count(res.body, "Check how Robin is doing") != 2 || !strings.Contains(res.body, p.base+"/support#check-3") {
			t.Fatalf("tasks: %d, want the 3- and 6-month checks\n%s", res.status, res.body)
		}
		check := dateForm(url.Values{"month": {"3"}, "outcome": {""}}, "check-3-checkedOn", "2", "8", "2026")
		res = send(t, worker, "POST", u+"/checks", check)
		if res.status != 422 || !strings.Contains(res.body, "Choose how the child is doing") || !strings.Contains(res.body, `href="#check-3-outcome"`) {
			t.Errorf("a check without its outcome: %d, want 422", res.status)
		}
		check.Set("outcome", "settled")
		if res := send(t, worker, "POST", u+"/checks", check); res.status != 303 {
			t.Fatalf("check: %d\n%s", res.status, res.body)
		}
		res = send(t, manager, "GET", e.ts.URL+"/la/tasks", nil)
		if strings.Contains(res.body, "Robin is doing 3 months after going home") || !strings.Contains(res.body, "Robin is doing 6 months after going home") {
			t.Errorf("after the 3-month check the tasks still list it, or lost the 6-month one")
		}

		// Robin comes back into care on 1 September: a re-entry within 6 months.
		if _, err := db.AddLAEpisode(t.Context(), audit.Event{}, reunify.Episode{Child: p.child.ID, StartsOn: haven.NewDate(2026, 9, 1), RNE: "S", LegalStatus: "C2", Placement: "U4"}, 0, haven.NewDate(2026, 11, 23)); err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{"/support", "/plan", "/assessment"} {
			res := send(t, worker, "GET", e.ts.URL+p.base+path, nil)
			if !strings.Contains(res.body, "Re-entry: <bdi>Robin</bdi> went home on 1 May 2026 and came back into care on 1 September 2026, within 12 months of going home") {
				t.Errorf("%s does not show the re-entry", path)
			}
		}
	})
}
