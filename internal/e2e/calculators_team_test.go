package e2e

import (
	"context"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"haven/internal/access"
)

// The LA team's calculator page (issue 19 item 4), for the axe table: as it
// opens, with the demo team's saved scenarios, and as a save sent back with
// errors.

func init() {
	pages = append(pages,
		pageCase{name: "LA calculators", journey: roleVisit(access.RoleLASocialWorker, laTeamSlug, "/la/calculators"), status: 200, want: "Holmes (2014) costs"},
		pageCase{name: "LA calculator scenario with errors", journey: scenarioWithErrors, status: 422, want: "Enter a scenario name"},
	)
}

// scenarioWithErrors is a social worker pressing "Save scenario" on the
// return-home calculator without naming the scenario.
func scenarioWithErrors(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if err := s.shareSession(ctx, access.RoleLASocialWorker, laTeamSlug); err != nil {
		return nil, err
	}
	if _, err := visit(ctx, s, "/calculators/return-home?children=120", "/calculators/return-home", 200); err != nil {
		return nil, err
	}
	last()
	return press(ctx, `//button[normalize-space()="Save scenario"]`)
}

// TestLACalculatorScenarioWithoutJavaScript follows a social worker from the
// public calculator, which knows her team and says why the demo team's own
// figures are not filled in (its returns a year are fewer than 5), to a
// named scenario saved, listed and opened again, with JavaScript off.
func TestLACalculatorScenarioWithoutJavaScript(t *testing.T) {
	s := startHaven(t)
	ctx := newTab(t, startBrowser(t))
	disableScripts(t, ctx)
	expect, must := stepChecks(t, ctx)
	must(s.shareSession(ctx, access.RoleLASocialWorker, laTeamSlug))

	expect("open the return-home calculator", "/calculators/return-home", 200, "because the dashboard does not show it")(visit(ctx, s, "/calculators/return-home", "/calculators/return-home", 200))
	checkScriptsOff(t, ctx)
	must(replace(ctx, "#children", "40"))
	expect("calculate for 40 children", "/calculators/return-home", 200, "Save this scenario")(submit(ctx))
	must(fill(ctx, "#scenario-name", "Our returns, 3 years"))
	expect("save the scenario", "/calculators/return-home", 200, "Scenario saved")(press(ctx, `//button[normalize-space()="Save scenario"]`))
	expect("the team's list has it", "/calculators/return-home", 200, "Our returns, 3 years")(chromedp.RunResponse(ctx, chromedp.Reload()))
	expect("open every saved scenario", "/la/calculators", 200, "Our returns, 3 years")(followLink(ctx, "Every scenario your team has saved"))
	expect("open it again", "/calculators/return-home", 200, "Your team")(followLink(ctx, "Our returns, 3 years"))
	if v, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#children"))); err != nil || v != "40" {
		t.Errorf("the saved scenario opens with %q children (%v), want 40", v, err)
	}
}
