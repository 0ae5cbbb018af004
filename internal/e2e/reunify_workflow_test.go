package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/reunify"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// laTeamSlug is the demo's local authority team.
const laTeamSlug = "demo-leeds-reunification"

func todayInLondon() haven.Date {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		loc = time.UTC
	}
	t := time.Now().In(loc)
	return haven.NewDate(t.Year(), t.Month(), t.Day())
}

// laChild makes a looked-after child in the demo team, with an open episode
// that began 60 days ago, and returns the path of its reunification page.
func laChild(ctx context.Context, s *site) (reunify.Child, string, error) {
	team, err := s.db.ResolveTenant(ctx, access.TenantLocalAuthority, laTeamSlug)
	if err != nil {
		return reunify.Child{}, "", err
	}
	today := todayInLondon()
	n := s.serial()
	c, err := s.db.CreateLAChild(ctx, audit.Event{RequestID: "test"}, reunify.Child{Team: team.ID, Ref: fmt.Sprintf("E2E-%d", n), FirstName: "Robin", BornOn: haven.NewDate(2019, 3, 4)}, 0, today)
	if err != nil {
		return c, "", err
	}
	start := haven.NewDate(today.Time().Year(), today.Time().Month(), today.Time().Day()-60)
	if _, err := s.db.AddLAEpisode(ctx, audit.Event{RequestID: "test"}, reunify.Episode{Child: c.ID, StartsOn: start, RNE: "S", LegalStatus: "C2", Placement: "U1"}, 0, today); err != nil {
		return c, "", err
	}
	return c, "/la/children/" + strconv.FormatInt(c.ID, 10) + "/reunification", nil
}

// laCaseAt makes a child whose case the demo's worker and manager have
// taken, through the store, to stage; with pending, the first thing that
// stage decides is proposed and awaits sign-off. It returns the case page's
// path and the pending decision's ID.
func laCaseAt(ctx context.Context, s *site, stage reunify.Stage, pending bool) (string, int64, error) {
	child, path, err := laChild(ctx, s)
	if err != nil {
		return "", 0, err
	}
	worker, err := s.demoAccount(access.RoleLASocialWorker, laTeamSlug)
	if err != nil {
		return "", 0, err
	}
	manager, err := s.demoAccount(access.RoleLAManager, laTeamSlug)
	if err != nil {
		return "", 0, err
	}
	today := todayInLondon()
	wev, mev := audit.Event{UserID: worker.UserID, RequestID: "test"}, audit.Event{UserID: manager.UserID, RequestID: "test"}
	opened := haven.NewDate(today.Time().Year(), today.Time().Month(), today.Time().Day()-30)
	c, err := s.db.OpenReunification(ctx, wev, reunify.Case{Child: child.ID, Route: "s31", OpenedOn: opened, Worker: worker.UserID}, today)
	if err != nil {
		return "", 0, err
	}
	scale := reunify.RiskScale{Labels: reunify.DefaultRiskScale}
	version, at := c.Version, c.Stage
	propose := func(k reunify.DecisionKind) (reunify.Decision, error) {
		d, err := s.db.ProposeDecision(ctx, wev, c.ID, version, reunify.Decision{Kind: k, Answer: "yes", Level: 2, DecidedOn: today, Rationale: "Synthetic reasons"}, scale, worker.UserID, today)
		version++
		return d, err
	}
	for at != stage {
		for _, k := range reunify.Required(at) {
			d, err := propose(k)
			if err != nil {
				return "", 0, err
			}
			if _, err := s.db.SignOffDecision(ctx, mev, c.ID, version, d.ID, manager.UserID, true, false, ""); err != nil {
				return "", 0, err
			}
			version++
		}
		if at == reunify.StageReturnHome {
			if err := s.db.RecordReturnHome(ctx, wev, c.ID, version, reunify.ReturnHome{On: today, REC: "E4A"}, worker.UserID, today); err != nil {
				return "", 0, err
			}
			version++
			at = reunify.StageSupport
			continue
		}
		next := reunify.Next(at)[0]
		if err := s.db.MoveReunification(ctx, wev, c.ID, version, next, worker.UserID, today); err != nil {
			return "", 0, fmt.Errorf("move to %s: %w", next, err)
		}
		version++
		at = next
	}
	var id int64
	if pending && len(reunify.Required(stage)) > 0 {
		d, err := propose(reunify.Required(stage)[0])
		if err != nil {
			return "", 0, err
		}
		id = d.ID
	}
	return path, id, nil
}

// laVisit opens a page of a case made by laCaseAt, as role.
func laVisit(role access.Role, stage reunify.Stage, pending bool, suffix func(path string, id int64) string, want int64) func(context.Context, *site, func()) (*network.Response, error) {
	return func(ctx context.Context, s *site, last func()) (*network.Response, error) {
		path, id, err := laCaseAt(ctx, s, stage, pending)
		if err != nil {
			return nil, err
		}
		if err := s.shareSession(ctx, role, laTeamSlug); err != nil {
			return nil, err
		}
		p := suffix(path, id)
		last()
		resp, err := chromedp.RunResponse(ctx, chromedp.Navigate(s.URL+p))
		if err != nil {
			return nil, err
		}
		if resp.Status != want {
			return nil, fmt.Errorf("%s: %d, want %d", p, resp.Status, want)
		}
		return resp, nil
	}
}

func casePage(path string, _ int64) string { return path }
func decisionPage(path string, id int64) string {
	return path + "/decisions/" + strconv.FormatInt(id, 10)
}

// moveTooSoon presses "Move on" before Decision 1 is signed off: the case
// page again, with the error.
func moveTooSoon(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if _, err := laVisit(access.RoleLASocialWorker, reunify.StageIdentification, false, casePage, 200)(ctx, s, func() {}); err != nil {
		return nil, err
	}
	last()
	return pressButton(ctx, "Move on to")
}

func init() {
	w, m := access.RoleLASocialWorker, access.RoleLAManager
	pages = append(pages,
		pageCase{name: "reunification: no case yet", journey: func(ctx context.Context, s *site, last func()) (*network.Response, error) {
			_, path, err := laChild(ctx, s)
			if err != nil {
				return nil, err
			}
			if err := s.shareSession(ctx, w, laTeamSlug); err != nil {
				return nil, err
			}
			last()
			return visit(ctx, s, path, path, 200)
		}, status: 200, want: "Open a reunification case"},
		pageCase{name: "reunification: awaiting the manager", journey: laVisit(m, reunify.StageDecision3, true, casePage, 200), status: 200, want: "review and sign off"},
		pageCase{name: "reunification: moving on too soon", journey: moveTooSoon, status: 422, want: "Record Decision 1"},
		pageCase{name: "reunification: a risk classification to record", journey: laVisit(w, reunify.StageDecision2, false,
			func(p string, _ int64) string { return p + "/decisions/new?kind=risk-1" }, 200), status: 200, want: "Level of risk"},
		pageCase{name: "reunification: a decision to sign off", journey: laVisit(m, reunify.StagePanel, true, decisionPage, 200), status: 200, want: "Or send it back to the worker"},
		pageCase{name: "reunification: the return home", journey: laVisit(w, reunify.StageReturnHome, false, casePage, 200), status: 200, want: "Record the return home"},
		pageCase{name: "reunification: closed", journey: laVisit(w, reunify.StageClosed, false, casePage, 200), status: 200, want: "Closed"},
		pageCase{name: "reunification: awaiting my sign-off", journey: laVisit(m, reunify.StageIdentification, true, func(string, int64) string { return "/la/sign-off" }, 200),
			status: 200, want: "Decision 1: consider return home"},
		pageCase{name: "reunification: risk scale", journey: roleVisit(m, laTeamSlug, "/la/risk-scale"), status: 200, want: "Levels, lowest first"},
	)
}

// TestReunificationDecisionOneToClosedWithoutJavaScript is issue 18's main
// journey, without JavaScript: a social worker opens a child's case and
// records each decision and risk classification; the team manager signs
// each off; the case goes through every stage, the emergency approval
// included, the return home ends the child's episode with E4A, and the
// case is closed. On both databases.
func TestReunificationDecisionOneToClosedWithoutJavaScript(t *testing.T) {
	browser := startBrowser(t)
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		reunificationJourney(t, startHavenOn(t, db), browser)
	})
}

func reunificationJourney(t *testing.T, s *site, browser context.Context) {
	ctx := context.Background()
	child, path, err := laChild(t.Context(), s)
	if err != nil {
		t.Fatal(err)
	}
	worker, err := s.accountIn(ctx, access.RoleLASocialWorker, laTeamSlug)
	if err != nil {
		t.Fatal(err)
	}
	manager, err := s.accountIn(ctx, access.RoleLAManager, laTeamSlug)
	if err != nil {
		t.Fatal(err)
	}
	wt := newTab(t, browser, chromedp.WithNewBrowserContext())
	disableScripts(t, wt)
	mt := newTab(t, browser, chromedp.WithNewBrowserContext())
	disableScripts(t, mt)
	wexpect, wmust := stepChecks(t, wt)
	mexpect, mmust := stepChecks(t, mt)
	wmust(signIn(wt, s, worker))
	mmust(signIn(mt, s, manager))
	checkScriptsOff(t, wt)
	checkScriptsOff(t, mt)
	d, m, y := todayInLondon().Parts()

	wexpect("open the child's reunification page", path, 200, "Open a reunification case")(visit(wt, s, path, path, 200))
	wexpect("open a case with nothing chosen", path, 422, "Choose the legal route")(pressButton(wt, "Open the case"))
	wmust(tick(wt, "route-s31"))
	wmust(fill(wt, "#openedOn-day", d, "#openedOn-month", m, "#openedOn-year", y))
	wexpect("open the case", path, 200, "Reunification case opened")(pressButton(wt, "Open the case"))

	record := func(k reunify.DecisionKind) {
		t.Helper()
		wexpect("open "+k.Title(), path+"/decisions/new", 200, k.Title())(followLink(wt, "Record "+k.Title()))
		if k.IsRisk() {
			wmust(tick(wt, "level-2"))
		} else {
			wmust(tick(wt, "answer"))
		}
		wmust(fill(wt, "#decidedOn-day", d, "#decidedOn-month", m, "#decidedOn-year", y, "#rationale", "Synthetic reasons for "+k.Title()))
		resp, err := pressButton(wt, "Send for sign-off")
		if resp != nil && resp.Status != 200 {
			problem, _ := chromedp.Run(wt, chromedp.Evaluate[string](`document.querySelector('main')?.innerText ?? ''`))
			t.Fatalf("send %s: %d\n%s", k.Title(), resp.Status, problem)
		}
		wexpect("send "+k.Title()+" for sign-off", path, 200, "Sent to a team manager to sign off")(resp, err)
		// The worker sees it awaiting sign-off, and cannot sign it off.
		if got, err := chromedp.Run(wt, chromedp.Text(chromedp.CSS("#awaiting"))); err != nil || !strings.Contains(got, k.Title()) {
			t.Fatalf("%s is not shown awaiting sign-off: %q %v", k.Title(), got, err)
		}
		// The manager finds it in their list and signs it off.
		mexpect("open the sign-off list", "/la/sign-off", 200, k.Title())(visit(mt, s, "/la/sign-off", "/la/sign-off", 200))
		// The list holds other children's decisions too (the demo's): this child's link.
		mexpect("open "+k.Title(), path+"/decisions/{id}", 200, "Synthetic reasons for "+k.Title())(
			chromedp.RunResponse(mt, chromedp.Click(chromedp.CSS(`#main-content a[href^="`+path+`/decisions/"]`))))
		mexpect("sign off "+k.Title(), path, 200, "Signed off")(pressButton(mt, "Sign off"))
		wexpect("reload the case", path, 200, k.Title())(visit(wt, s, path, path, 200))
	}
	moveOn := func(to reunify.Stage) {
		t.Helper()
		wexpect("move on to "+to.Title(), path, 200, "The case has moved on")(pressButton(wt, "Move on to "+to.Title()))
		if got, err := chromedp.Run(wt, chromedp.Text(chromedp.CSS("#current-stage"))); err != nil || got != to.Title() {
			t.Fatalf("the case is at %q, want %s: %v", got, to.Title(), err)
		}
	}

	record(reunify.Decision1)
	moveOn(reunify.StagePlanAssessment)
	moveOn(reunify.StageChronology)
	moveOn(reunify.StageAssessment)
	moveOn(reunify.StageDecision2)
	record(reunify.Risk1)
	record(reunify.Decision2)
	moveOn(reunify.StagePlan)
	moveOn(reunify.StageDecision3)
	record(reunify.Risk2)
	record(reunify.Decision3)
	// The parental agreement, printed for the parents to read and sign.
	wexpect("print the agreement", path+"/plan/print", 200, "to come home")(visit(wt, s, path+"/plan/print", path+"/plan/print", 200))
	wexpect("back to the case", path, 200, "Decisions and risk classifications")(visit(wt, s, path, path, 200))
	// Two ways on: the emergency approval, needed here.
	wmust(tick(wt, "to-emergency-approval"))
	wexpect("move on to the emergency approval", path, 200, "The case has moved on")(pressButton(wt, "Move the case on"))
	record(reunify.Emergency)
	moveOn(reunify.StagePlanReview)
	moveOn(reunify.StagePanel)
	record(reunify.Panel)
	moveOn(reunify.StageReturnHome)
	wmust(fill(wt, "#returnedOn-day", d, "#returnedOn-month", m, "#returnedOn-year", y))
	wmust(tick(wt, "rec"))
	wexpect("record the return home", path, 200, "Return home recorded")(pressButton(wt, "Record the return home"))
	moveOn(reunify.StageRisk3)
	record(reunify.Risk3)
	moveOn(reunify.StageDischarge)
	moveOn(reunify.StageClosed)
	checkScriptsOff(t, wt)
	checkScriptsOff(t, mt)

	// What the journey wrote: the episode ended today with E4A, the case
	// closed today, every decision signed off by the manager.
	eps, err := s.db.LAEpisodes(t.Context(), child.ID)
	if err != nil || len(eps) != 1 || eps[0].EndsOn != todayInLondon() || eps[0].REC != "E4A" {
		t.Errorf("the child's episode: %+v %v", eps, err)
	}
	c, _, err := s.db.CurrentReunification(t.Context(), child.ID)
	if err != nil || c.Stage != reunify.StageClosed || c.ClosedOn != todayInLondon() || c.Outcome != "returned" {
		t.Errorf("the case: %+v %v", c, err)
	}
	ds, err := s.db.ReunifyDecisions(t.Context(), c.ID)
	if err != nil || len(ds) != 8 {
		t.Fatalf("%d decisions, want 8: %v", len(ds), err)
	}
	for _, x := range ds {
		if !x.Signed() || x.SignedBy != manager.UserID || x.ProposedBy != worker.UserID {
			t.Errorf("%s: %s, proposed by %d, signed by %d", x.Kind, x.Status, x.ProposedBy, x.SignedBy)
		}
	}
	got, err := chromedp.Run(wt, chromedp.Text(chromedp.CSS("#stages")))
	if err != nil || strings.Contains(got, "In progress") || strings.Contains(got, "Not started") {
		t.Errorf("the closed case's stages read:\n%s", got)
	}

	// The return breaks down: the child comes back into care today, and the
	// worker imports the SSDA903 file that says so. The dashboard counts it
	// as a re-entry within 3 months (a count under 5 is shown as such).
	file := filepath.Join(t.TempDir(), "re-entry.csv")
	wmust(os.WriteFile(file, []byte(strings.Join(reunify.EpisodeColumns, ",")+"\n"+child.Ref+","+todayInLondon().Time().Format("02/01/2006")+",S,C2,N1,U1,PR1,,,,,,\n"), 0o600))
	wexpect("open the import page", "/la/imports", 200, "Import SSDA903 episodes")(visit(wt, s, "/la/imports", "/la/imports", 200))
	wmust(chromedp.Do(wt, chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{file}), chromedp.Click(chromedp.CSS(`#mode-1`))))
	wexpect("import the re-entry", "/la/imports", 200, "File imported")(submit(wt))
	returns, _, err := s.db.LADashboardData(t.Context(), child.Team)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range returns {
		if r.Child == child.ID {
			found = r.ReEntry == todayInLondon() && r.ReEnteredWithin(3)
		}
	}
	if !found {
		t.Errorf("the dashboard's returns do not show the re-entry: %+v", returns)
	}
	mexpect("the dashboard", "/la/dashboard", 200, "Within 3 months")(visit(mt, s, "/la/dashboard", "/la/dashboard", 200))
}
