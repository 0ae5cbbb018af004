package e2e

import (
	"context"

	"haven/internal/access"
	"haven/internal/measure"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// Her needs at each point and the Practice's schedule (issue 17 items 2 and 3).
func init() {
	pages = append(pages,
		pageCase{name: "her needs at 6 months", journey: needsOpen("6-months"), status: 200, want: "How has substance use changed?"},
		pageCase{name: "her needs with nothing chosen", journey: needsEmpty, status: 422, want: "Choose need, no need or not known for substance use"},
		pageCase{name: "outcome measures with her needs recorded", journey: needsSaved, status: 200, want: "Change her needs at follow-up"},
		pageCase{name: "the schedule of outcome measures", journey: roleVisit(access.RolePracticeLead, riverside, "/overview/"+riverside+"/schedule"), status: 200, want: "Save schedule"},
		pageCase{name: "the schedule as a co-ordinator reads it", journey: roleVisit(access.RolePracticeCoordinator, riverside, "/overview/"+riverside+"/schedule"), status: 200, want: "Only the practice lead can change"},
	)
}

func needsOpen(point string) func(context.Context, *site, func()) (*network.Response, error) {
	return func(ctx context.Context, s *site, last func()) (*network.Response, error) {
		if err := leadOnRecord(ctx, s, "/measures"); err != nil {
			return nil, err
		}
		last()
		resp, err := followLink(ctx, "Record her needs at 6 months")
		return arrived(resp, err, "open her needs at "+point, "/people/{ref}/measures/needs/"+point, 200)
	}
}

func needsEmpty(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if err := leadOnRecord(ctx, s, "/measures/needs/exit"); err != nil {
		return nil, err
	}
	last()
	resp, err := pressButton(ctx, "Save needs")
	return arrived(resp, err, "save empty needs", "/people/{ref}/measures/needs/exit", 422)
}

// needsSaved records her needs at follow-up (which no other page uses), so
// her measures page shows the table.
func needsSaved(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if err := leadOnRecord(ctx, s, "/measures/needs/follow-up"); err != nil {
		return nil, err
	}
	d, m, y := ukDay(1)
	if err := fill(ctx, "#assessedOn-day", d, "#assessedOn-month", m, "#assessedOn-year", y); err != nil {
		return nil, err
	}
	sels := []string{"#stableHousing", "#paidWork-1", "#childContact-2"}
	for _, dom := range measure.NeedDomains {
		// No need, and stable since her last reading (the demo has
		// readings before follow-up, so the change is asked for).
		sels = append(sels, "#"+string(dom)+"-1", "#"+measure.ChangeField(dom)+"-1")
	}
	for _, sel := range sels {
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
			return nil, err
		}
	}
	last()
	resp, err := pressButton(ctx, "Save needs")
	return arrived(resp, err, "save her needs at follow-up", "/people/{ref}/measures", 200)
}
