package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/reunify"
)

// seedPlanCase gives the demo LA team a child who went home on 1 May 2026
// with a whole assessment section, an agreement with two goals rated at two
// reviews, a parent's words, and support planned for too short a time, so
// that every part of the pages shows. It returns the case's address.
func seedPlanCase(t *testing.T, s *site) string {
	t.Helper()
	ctx, db := t.Context(), s.db
	team, err := db.ResolveTenant(ctx, access.TenantLocalAuthority, "demo-leeds-reunification")
	if err != nil {
		t.Fatal(err)
	}
	today := haven.NewDate(time.Now().Year(), time.Now().Month(), time.Now().Day())
	ev := audit.Event{}
	child, err := db.CreateLAChild(ctx, ev, reunify.Child{Team: team.ID, Ref: "AXE-PLAN", FirstName: "Robin", BornOn: haven.NewDate(2018, 3, 4)}, 0, today)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddLAEpisode(ctx, ev, reunify.Episode{Child: child.ID, StartsOn: haven.NewDate(2025, 6, 1), RNE: "S", LegalStatus: "C2", Placement: "U4",
		EndsOn: haven.NewDate(2026, 5, 1), REC: "E4A"}, 0, today); err != nil {
		t.Fatal(err)
	}
	c, err := db.OpenReunification(ctx, ev, reunify.Case{Child: child.ID, Route: "s31", OpenedOn: haven.NewDate(2025, 9, 1)}, today)
	if err != nil {
		t.Fatal(err)
	}
	mum, err := db.AddLAPerson(ctx, ev, reunify.Person{Child: child.ID, Name: "Agnieszka Wiśniewska-Łącka Nguyễn", Relationship: "mother", ParentalResponsibility: true})
	if err != nil {
		t.Fatal(err)
	}
	dad, err := db.AddLAPerson(ctx, ev, reunify.Person{Child: child.ID, Name: "Ştefan Example", Relationship: "father", ParentalResponsibility: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveAssessmentSection(ctx, ev, c, reunify.AssessmentEntry{Section: "strengths", Person: mum.ID, Text: "Warm with Robin at every contact", Complete: true}, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SavePlan(ctx, ev, c, reunify.Plan{Expectations: "Robin is safe, fed and at school every day.", AgreedOn: haven.NewDate(2026, 2, 1),
		ReviewDates: []haven.Date{haven.NewDate(2026, 3, 1), haven.NewDate(2026, 4, 1)}}, 0, 0, today); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, g := range []reunify.Goal{
		{Person: mum.ID, Words: "Go to the parenting course every week", Steps: "Book a place\nGo every week", Timeframe: "By the end of March", Support: "A family support worker"},
		{Person: dad.ID, Words: "Stay sober", Steps: "Go to meetings", Timeframe: "Throughout", Support: "The drug and alcohol service"},
	} {
		g, err := db.AddPlanGoal(ctx, ev, c, g, 0)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, g.ID)
	}
	for _, r := range []reunify.Review{
		{HeldOn: haven.NewDate(2026, 3, 1), Ratings: map[int64]reunify.Rating{ids[0]: reunify.Amber, ids[1]: reunify.Red}, Note: "A slow start"},
		{HeldOn: haven.NewDate(2026, 4, 1), Ratings: map[int64]reunify.Rating{ids[0]: reunify.Green, ids[1]: reunify.Amber}},
	} {
		if _, err := db.AddPlanReview(ctx, ev, c, r, today); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.AddPlanComment(ctx, ev, c, reunify.Comment{Person: mum.ID, SaidOn: haven.NewDate(2026, 2, 1), Words: "I will do whatever it takes"}, today); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveSupport(ctx, ev, c, reunify.Support{Package: "Weekly visits from a family support worker", EndsOn: haven.NewDate(2026, 8, 1)}, 0, 0); err != nil {
		t.Fatal(err)
	}
	return "/la/children/" + strconv.FormatInt(child.ID, 10) + "/reunification"
}

// The assessment, agreement (on screen and printed), support and the team's
// tasks pass axe at 1280 and 320 px without scrolling sideways, with their
// chart, tables and every form showing; and so does a review sent back with
// its problems named.
func TestReunifyPlanPagesPassAxe(t *testing.T) {
	ts := startHaven(t)
	base := seedPlanCase(t, ts)
	browser := startBrowser(t)
	for _, pc := range []struct {
		name, path string
		role       access.Role
		status     int64
		press      string // a button to press first, for an error state
	}{
		{"assessment", base + "/assessment", access.RoleLASocialWorker, 200, ""},
		{"plan", base + "/plan", access.RoleLASocialWorker, 200, ""},
		{"plan review with problems", base + "/plan", access.RoleLASocialWorker, 422, "Save the review"},
		{"printed plan", base + "/plan/print", access.RoleLASocialWorker, 200, ""},
		{"support", base + "/support", access.RoleLASocialWorker, 200, ""},
		{"LA tasks", "/la/tasks", access.RoleLAManager, 200, ""},
	} {
		t.Run(pc.name, func(t *testing.T) {
			t.Parallel()
			ctx := newTab(t, browser, chromedp.WithNewBrowserContext())
			for i, w := range widths {
				if err := setWidth(ctx, w.width, w.height); err != nil {
					t.Fatalf("set viewport to %s: %v", w.name, err)
				}
				if i == 0 {
					if err := reunifyPlanLoad(ctx, ts, pc.role, pc.path, pc.press, pc.status); err != nil {
						t.Fatal(err)
					}
				}
				t.Run(w.name, func(t *testing.T) {
					checkAxe(t, ctx)
					if w.width <= 320 {
						checkNoSidewaysScroll(t, ctx, w.width)
					}
				})
			}
		})
	}
}

func reunifyPlanLoad(ctx context.Context, s *site, role access.Role, path, button string, status int64) error {
	if _, err := signInAs(ctx, s, role, ""); err != nil {
		return err
	}
	if button == "" {
		_, err := visit(ctx, s, path, path, status)
		return err
	}
	if _, err := visit(ctx, s, path, path, 200); err != nil {
		return err
	}
	resp, err := pressButton(ctx, button)
	_, err = arrived(resp, err, "press "+button, path+"/reviews", status)
	return err
}

// TestReunifyPlanWithoutJavaScript is items 3 to 5 in a browser with
// JavaScript off, as the child's social worker: an assessment section saved
// and counted complete, the agreement, a goal, a review refused until every
// goal is rated and then saved, a parent's words, the printed agreement,
// support planned too short and warned about, and the 3-month check recorded.
func TestReunifyPlanWithoutJavaScript(t *testing.T) {
	s := startHaven(t)
	ctx := newTab(t, startBrowser(t))
	disableScripts(t, ctx)
	expect, must := stepChecks(t, ctx)
	worker, err := s.accountIn(ctx, access.RoleLASocialWorker, "")
	must(err)
	team, err := s.db.ResolveTenant(ctx, access.TenantLocalAuthority, "demo-leeds-reunification")
	must(err)
	ago := func(days int) haven.Date {
		d, m, y := ukDay(days)
		di, _ := strconv.Atoi(d)
		mi, _ := strconv.Atoi(m)
		yi, _ := strconv.Atoi(y)
		return haven.NewDate(yi, time.Month(mi), di)
	}
	today, ev := ago(0), audit.Event{}
	child, err := s.db.CreateLAChild(ctx, ev, reunify.Child{Team: team.ID, Ref: "NOJS-1", FirstName: "Robin", BornOn: haven.NewDate(2018, 3, 4), Worker: worker.UserID}, 0, today)
	must(err)
	_, err = s.db.AddLAEpisode(ctx, ev, reunify.Episode{Child: child.ID, StartsOn: ago(500), RNE: "S", LegalStatus: "C2", Placement: "U4", EndsOn: ago(200), REC: "E4A"}, 0, today)
	must(err)
	_, err = s.db.OpenReunification(ctx, ev, reunify.Case{Child: child.ID, Route: "s31", OpenedOn: ago(400), Worker: worker.UserID}, today)
	must(err)
	mum, err := s.db.AddLAPerson(ctx, ev, reunify.Person{Child: child.ID, Name: "Jade Example", Relationship: "mother", ParentalResponsibility: true})
	must(err)
	must(signIn(ctx, s, worker))
	checkScriptsOff(t, ctx)
	base := "/la/children/" + strconv.FormatInt(child.ID, 10) + "/reunification"
	text := func() string {
		t.Helper()
		got, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
		must(err)
		return got
	}

	expect("open the assessment", base+"/assessment", 200, "0 of 9")(chromedp.Run(ctx, chromedp.NavigateResponse(s.URL+base+"/assessment")))
	must(fill(ctx, "#section-child-views-0-text", "I want to go home to mum"))
	must(tick(ctx, "section-child-views-0-complete"))
	expect("save the child's views", base+"/assessment", 200, "1 of 9")(pressButton(ctx, "Save the child’s views"))

	expect("open the plan", base+"/plan", 200, "Goals for each parent")(chromedp.Run(ctx, chromedp.NavigateResponse(s.URL+base+"/plan")))
	must(fill(ctx, "#expectations", "Robin is safe, fed and at school every day."))
	must(fillDate(ctx, "agreedOn", 30))
	expect("save the agreement", base+"/plan", 200, "Goals for each parent")(pressButton(ctx, "Save the agreement"))
	if v, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#expectations"))); err != nil || v != "Robin is safe, fed and at school every day." {
		t.Errorf("the saved agreement reads %q (%v)", v, err)
	}
	must(choose(ctx, "#goal-person", strconv.FormatInt(mum.ID, 10)))
	must(fill(ctx, "#goal-words", "Go to the parenting course", "#goal-steps", "Book a place", "#goal-timeframe", "Within 6 weeks", "#goal-support", "A family support worker"))
	expect("add a goal", base+"/plan", 200, "Goal 1: Go to the parenting course")(pressButton(ctx, "Add the goal"))
	must(fillDate(ctx, "review-heldOn", 1))
	expect("save a review without a rating", base+"/plan/reviews", 422, "Choose red, amber or green for")(pressButton(ctx, "Save the review"))
	checkScriptsOff(t, ctx)
	c, _, err := s.db.CurrentReunification(ctx, child.ID)
	must(err)
	gs, err := s.db.PlanGoals(ctx, c)
	must(err)
	if len(gs) != 1 {
		t.Fatalf("%d goals stored", len(gs))
	}
	must(tick(ctx, "rating-"+strconv.FormatInt(gs[0].ID, 10)+"-amber"))
	expect("save the review", base+"/plan", 200, "Ratings at each review")(pressButton(ctx, "Save the review"))
	must(choose(ctx, "#comment-person", strconv.FormatInt(mum.ID, 10)))
	must(fillDate(ctx, "comment-saidOn", 1))
	must(fill(ctx, "#comment-words", "I will do whatever it takes"))
	expect("record what she said", base+"/plan", 200, "I will do whatever it takes")(pressButton(ctx, "Record it"))
	expect("print the agreement", base+"/plan/print", 200, "to come home")(followLink(ctx, "Print the agreement"))
	if got := text(); !strings.Contains(got, "Amber") || !strings.Contains(got, "The help you will get: A family support worker") {
		t.Errorf("the printed agreement lacks the rating or the support; it reads:\n%s", got)
	}

	expect("open support", base+"/support", 200, "has not come back into care")(chromedp.Run(ctx, chromedp.NavigateResponse(s.URL+base+"/support")))
	must(fill(ctx, "#package", "Weekly visits from a family support worker"))
	must(fillDate(ctx, "endsOn", 110)) // 90 days after the return
	expect("save support ending too soon", base+"/support", 200, "less than 6 months after the return home")(pressButton(ctx, "Save the support package"))
	must(fillDate(ctx, "check-3-checkedOn", 105))
	must(tick(ctx, "check-3-outcome-settled"))
	expect("record the 3-month check", base+"/support", 200, "At home and settled")(pressButton(ctx, "Record the 3-month check"))
}
