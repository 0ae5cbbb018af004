package e2e

import (
	"context"
	"os"
	"path/filepath"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/demo"
	"haven/internal/haven"
)

// The LA team's SSDA903 import and its dashboard, for the axe table.

func init() {
	pages = append(pages,
		pageCase{name: "SSDA903 imports", journey: roleVisit(access.RoleLASocialWorker, laTeamSlug, "/la/imports"), status: 200, want: "Import SSDA903 episodes"},
		pageCase{name: "SSDA903 import with errors", journey: importWithErrors, status: 422, want: "Problems in the file"},
		pageCase{name: "LA dashboard", journey: laDashboard, status: 200, want: "Returns home a year"},
	)
}

// importWithErrors uploads the demo file with errors, to import it: the
// report lists every row, and nothing is imported.
func importWithErrors(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if err := s.shareSession(ctx, access.RoleLASocialWorker, laTeamSlug); err != nil {
		return nil, err
	}
	if _, err := visit(ctx, s, "/la/imports", "/la/imports", 200); err != nil {
		return nil, err
	}
	path := filepath.Join(os.TempDir(), "haven-e2e-episodes-with-errors.csv")
	if err := os.WriteFile(path, demo.SSDA903EpisodesWithErrors, 0o600); err != nil {
		return nil, err
	}
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{path}), chromedp.Click(chromedp.CSS(`#mode-1`))); err != nil {
		return nil, err
	}
	last()
	return submit(ctx)
}

// laDashboard imports the demo's valid file (importing it again changes
// nothing) so that the dashboard has returns to chart, then opens it.
func laDashboard(ctx context.Context, s *site, last func()) (*network.Response, error) {
	manager, err := s.demoAccount(access.RoleLAManager, laTeamSlug)
	if err != nil {
		return nil, err
	}
	actor, err := s.db.Actor(ctx, manager.UserID)
	if err != nil {
		return nil, err
	}
	n := time.Now().UTC()
	if _, err := s.db.ImportSSDA903(ctx, audit.Event{UserID: manager.UserID}, actor.Memberships[0].TenantID, demo.SSDA903Episodes, false,
		haven.NewDate(n.Year(), n.Month(), n.Day())); err != nil {
		return nil, err
	}
	return roleVisit(access.RoleLAManager, laTeamSlug, "/la/dashboard")(ctx, s, last)
}
