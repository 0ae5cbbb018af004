package web

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/programme"
	"haven/internal/reunify"
	"haven/internal/store/storetest"
)

// reunifyPlanCtx is a case with two parents, home on 1 May 2026 and back in
// care on 1 July.
func reunifyPlanCtx() *reunifyCtx {
	x := &reunifyCtx{Child: reunify.Child{ID: 7, Ref: "C-1", FirstName: "Robin"}, Team: access.Membership{TenantName: "Leeds Reunification Team"},
		Parents:  []reunify.Person{{ID: 1, Name: "Jade Example", Relationship: "mother"}, {ID: 2, Name: "Ştefan Łącki", Relationship: "father"}},
		Returned: haven.NewDate(2026, 5, 1), REC: "E4A"}
	re := reunify.ReEntry{Returned: x.Returned, REC: "E4A", ReEntered: haven.NewDate(2026, 7, 1)}
	x.ReEntry, x.ReEntries = &re, []reunify.ReEntry{re}
	return x
}

func reunifyPlanTemplateCases() map[string]struct {
	p    page
	want string
} {
	x := reunifyPlanCtx()
	goals := []reunify.Goal{{ID: 11, Person: 1, Words: "Go to the parenting course", Steps: "Book a place\nGo every week", Timeframe: "By March", Support: "Family support worker"},
		{ID: 12, Person: 2, Words: "Stay sober", Steps: "Meetings", Timeframe: "Throughout", Support: "Drug and alcohol service"}}
	reviews := []reunify.Review{{ID: 1, HeldOn: haven.NewDate(2026, 3, 1), Ratings: map[int64]reunify.Rating{11: reunify.Amber, 12: reunify.Red}, Note: "A slow start"}}
	progress := reunify.ProgressOf(goals, reviews)
	plan := func(print bool) *reunifyPlanPage {
		return &reunifyPlanPage{Layout: Layout{Title: "Plan"}, R: x, Plan: reunify.Plan{Expectations: "Robin is at school every day", AgreedOn: haven.NewDate(2026, 2, 1), Version: 1},
			Goals: goals, Progress: progress, Chart: newRAGChart(progress), Ratings: reunify.Ratings,
			Comments: []reunify.Comment{{Person: 1, SaidOn: haven.NewDate(2026, 2, 1), Words: "I will do it"}},
			Print:    print, Printed: laPrintMark{At: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC), By: "Ash", Worker: "Kit", Team: "Leeds Reunification Team"}}
	}
	entries := map[string]reunify.AssessmentEntry{entryKey("strengths", 1): {Section: "strengths", Person: 1, Text: "Warm with Robin", Complete: true, Version: 2, ByName: "Kit"}}
	return map[string]struct {
		p    page
		want string
	}{
		"reunify_assessment.html": {&assessmentPage{Layout: Layout{Title: "Assessment"}, R: x, Sections: reunify.AssessmentSections, Entries: entries,
			Done: reunify.Completeness{Done: 1, Total: 15}}, "1 of 15"},
		"reunify_plan.html":       {plan(false), `>Amber</text>`},
		"reunify_plan-print.html": {plan(true), "Our plan for <bdi>Robin</bdi> to come home"},
		"reunify_support.html": {&supportPage{Layout: Layout{Title: "Support"}, R: x, Support: reunify.Support{Package: "Weekly visits", EndsOn: haven.NewDate(2026, 8, 1), Version: 1},
			Evidence: reunify.SupportEvidence, Today: haven.NewDate(2026, 12, 7), Outcomes: reunify.CheckOutcomes}, "less than 6 months after the return home"},
		"reunify_support_tasks.html": {&tasksPage{Layout: Layout{Title: "Tasks"}, Today: haven.NewDate(2026, 11, 23),
			Tasks: []programme.Task{{Text: "Check how Robin is doing 3 months after going home", PersonName: "Robin", PersonRef: "C-1", Due: haven.NewDate(2026, 8, 1), Link: "/la/children/7/reunification/support#check-3"}}}, "3 months after going home"},
	}
}

// The assessment summary says each section's state in words, and the plan
// page's chart and its table carry the same ratings, each in words.
func TestReunifyPlanPagesSayRatingsInWords(t *testing.T) {
	s := &Server{}
	var err error
	if s.pages, err = parseTemplates(); err != nil {
		t.Fatal(err)
	}
	cases := reunifyPlanTemplateCases()
	body := reunifyPlanRender(t, s, "reunify_plan.html", cases["reunify_plan.html"].p)
	svg := body[strings.Index(body, "<svg"):strings.Index(body, "</svg>")]
	for _, want := range []string{">Amber</text>", ">Red</text>", ">Goal 1</text>", ">Goal 2</text>", ">1 Mar 2026</text>", `role="img"`} {
		if !strings.Contains(svg, want) {
			t.Errorf("the chart lacks %q", want)
		}
	}
	table := body[strings.Index(body, "Ratings at each review"):]
	for _, want := range []string{"govuk-tag--orange\">Amber</strong>", "govuk-tag--red\">Red</strong>", "Goal 1: Go to the parenting course"} {
		if !strings.Contains(table, want) {
			t.Errorf("the table lacks %q", want)
		}
	}
	a := reunifyPlanRender(t, s, "reunify_assessment.html", cases["reunify_assessment.html"].p)
	if n := strings.Count(a, ">Not started</strong>"); n != 14 {
		t.Errorf("%d sections not started in the summary, want 14", n)
	}
	if !strings.Contains(a, ">Complete</strong>") {
		t.Error("the complete section is not marked Complete")
	}
}

func reunifyPlanRender(t *testing.T, s *Server, name string, p page) string {
	t.Helper()
	rec := httptest.NewRecorder()
	if err := s.render(rec, httptest.NewRequest("GET", "/", nil), 200, name, p); err != nil {
		t.Fatal(err)
	}
	return rec.Body.String()
}

// The summary the case page shows says what is done of each part, warns of
// short support and re-entry, and names the checks due.
func TestReunifyPlanSummaryPartial(t *testing.T) {
	pages, err := parseTemplates()
	if err != nil {
		t.Fatal(err)
	}
	x := reunifyPlanCtx()
	sum := reunifyPlanSummary{Base: x.Base(), Child: "Robin", Done: reunify.Completeness{Done: 4, Total: 15},
		Plan: reunify.Plan{Version: 2, AgreedOn: haven.NewDate(2026, 2, 1)}, Goals: 3, Reviews: 2, Returned: x.Returned,
		Support: reunify.Support{Version: 1, EndsOn: haven.NewDate(2026, 8, 1)}, TooShort: true, ReEntry: x.ReEntry,
		ChecksDue: []reunify.DueCheck{{Month: 3, Due: haven.NewDate(2026, 8, 1)}}}
	var b strings.Builder
	if err := pages.pages["reunify_support.html"].ExecuteTemplate(&b, "reunify-plan-summary", sum); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"4 of 15 sections complete", "Agreed on 1 February 2026; 3 goals, 2 reviews", "Went home on 1 May 2026",
		"less than 6 months after the return", "The 3-month check is due on 1 August 2026", "came back into care on 1 July 2026, within 3 months", x.Base() + "/support"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the summary lacks %q", want)
		}
	}
}

// The summary is gathered from the store: the return read from the
// episodes, support too short, and the checks due.
func TestReunifyPlanSummaryFor(t *testing.T) {
	db := storetest.SQLite(t)
	db.SetClock(func() time.Time { return time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC) })
	s, err := NewServer(Options{Store: db, Now: func() time.Time { return time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	ctx, ev, today := t.Context(), audit.Event{}, haven.NewDate(2026, 11, 23)
	team, err := db.CreateLATeam(ctx, access.LATeam{Slug: "team-s", Name: "Team S", LACode: "E08000035"})
	if err != nil {
		t.Fatal(err)
	}
	child, err := db.CreateLAChild(ctx, ev, reunify.Child{Team: team.ID, Ref: "S-1", FirstName: "Robin", BornOn: haven.NewDate(2018, 1, 1)}, 0, today)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddLAEpisode(ctx, ev, reunify.Episode{Child: child.ID, StartsOn: haven.NewDate(2025, 1, 1), RNE: "S", LegalStatus: "C2", Placement: "U4", EndsOn: haven.NewDate(2026, 9, 1), REC: "E4B"}, 0, today); err != nil {
		t.Fatal(err)
	}
	c, err := db.OpenReunification(ctx, ev, reunify.Case{Child: child.ID, Route: "s20", OpenedOn: haven.NewDate(2026, 1, 1)}, today)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveSupport(ctx, ev, c, reunify.Support{Package: "Visits", EndsOn: haven.NewDate(2027, 1, 1)}, 0, 0); err != nil {
		t.Fatal(err)
	}
	sum, err := s.reunifyPlanSummaryFor(httptest.NewRequest("GET", "/", nil), child, c)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Returned != haven.NewDate(2026, 9, 1) || !sum.TooShort || sum.ReEntry != nil || sum.Done.Total != 3 || sum.Plan.Version != 0 {
		t.Errorf("summary = %+v", sum)
	}
	// 1 December, the 3-month check, is within two weeks of 23 November.
	if len(sum.ChecksDue) != 1 || sum.ChecksDue[0].Due != haven.NewDate(2026, 12, 1) {
		t.Errorf("checks due = %+v", sum.ChecksDue)
	}
}
