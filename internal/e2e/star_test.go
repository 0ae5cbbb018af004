package e2e

import (
	"context"
	"fmt"
	"time"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/measure"

	"github.com/chromedp/cdproto/network"
)

func init() {
	pages = append(pages,
		pageCase{name: "measures with Outcomes Star readings and the import form", journey: starMeasures, status: 200, want: "Import readings from a CSV file"},
	)
}

// starMeasures records the deployment's Outcomes Star licence and some of
// a woman's readings, then opens her measures page: the readings' table and
// the import form (a file upload) are checked with the rest of the page.
func starMeasures(ctx context.Context, s *site, last func()) (*network.Response, error) {
	// Any user may stand as the one who recorded them: the lead of Riverside.
	admin, err := s.demoAccount(access.RolePracticeLead, riverside)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	today := haven.NewDate(now.Year(), now.Month(), now.Day())
	if err := s.db.SaveStarLicence(ctx, audit.Event{}, measure.Registration{Reference: "STAR-E2E-1", On: today}, admin.UserID); err != nil {
		return nil, err
	}
	ref, err := withSessions(ctx, s)
	if err != nil {
		return nil, err
	}
	lead, err := s.demoAccount(access.RolePracticeLead, riverside)
	if err != nil {
		return nil, err
	}
	actor, err := s.db.Actor(ctx, lead.UserID)
	if err != nil {
		return nil, err
	}
	p, _, err := s.db.PersonFor(ctx, actor, ref)
	if err != nil {
		return nil, err
	}
	rs, errs := measure.ParseStarCSV([]byte("date,version,Physical health,Where you live\n2026-01-12,Family Star Plus,3,5\n"), today)
	if len(errs) > 0 {
		return nil, fmt.Errorf("the journey's Star file: %v", errs)
	}
	if err := s.db.ImportStarReadings(ctx, audit.Event{}, p.ID, rs, admin.UserID); err != nil {
		return nil, err
	}
	if err := leadOnRecord(ctx, s, ""); err != nil {
		return nil, err
	}
	last()
	path := "/people/" + ref + "/measures"
	return visit(ctx, s, path, path, 200)
}
