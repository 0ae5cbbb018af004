package e2e

import (
	"context"

	"haven/internal/access"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

func init() {
	pages = append(pages,
		pageCase{name: "outcome measures", journey: onRecord("", "Outcome measures", "/people/{ref}/measures"), status: 200, want: "Record a measure"},
		pageCase{name: "a measure's form", journey: onRecord("/measures", "PHQ-9", "/people/{ref}/measures/new/phq9"), status: 200, want: "Pfizer"},
		pageCase{name: "a measure's form with nothing entered", journey: measureEmpty, status: 422, want: "Choose when in her programme this was taken"},
		pageCase{name: "the safeguarding prompt after a measure", journey: measurePrompted, status: 200, want: "Act on her answer now"},
		pageCase{name: "measures that need registering", journey: roleVisit(access.RoleAdmin, "", "/admin/measures"), status: 200, want: "Record a registration"},
		pageCase{name: "evaluation settings", journey: roleVisit(access.RoleAdmin, "", "/admin/evaluation"), status: 200, want: "Smallest number shown"},
	)
}

func measureEmpty(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if err := leadOnRecord(ctx, s, "/measures/new/phq9"); err != nil {
		return nil, err
	}
	last()
	resp, err := pressButton(ctx, "Save measure")
	return arrived(resp, err, "save an empty measure", "/people/{ref}/measures/new/phq9", 422)
}

// measurePrompted fills in a PHQ-9 whose ninth answer is "several days",
// which interrupts with what to do now.
func measurePrompted(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if err := leadOnRecord(ctx, s, "/measures/new/phq9"); err != nil {
		return nil, err
	}
	if err := fill(ctx, "#takenOn-day", "1", "#takenOn-month", "11", "#takenOn-year", "2026"); err != nil {
		return nil, err
	}
	for _, sel := range []string{"#point-1", "#item1", "#item2-1", "#item3", "#item4", "#item5", "#item6", "#item7", "#item8", "#item9-1"} {
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
			return nil, err
		}
	}
	last()
	resp, err := pressButton(ctx, "Save measure")
	return arrived(resp, err, "save a PHQ-9 with item 9 answered", "/people/{ref}/measures/prompt/{id}", 200)
}

func init() {
	pages = append(pages,
		pageCase{name: "programme outcomes for a lead", journey: roleVisit(access.RolePracticeLead, riverside, "/evaluation"), status: 200, want: "Time in each phase"},
		pageCase{name: "programme outcomes for a national analyst", journey: roleVisit(access.RoleNationalAnalyst, "", "/evaluation"), status: 200, want: "Every Practice together"},
	)
}
