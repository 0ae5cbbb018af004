package e2e

import (
	"context"

	"haven/internal/access"

	"github.com/chromedp/cdproto/network"
)

// Issue 17 items 5 and 6: the recurrence and change pages pass axe at 1280
// and 320 px, for a lead and a national analyst, and with a filter refused.
func init() {
	pages = append(pages,
		pageCase{name: "recurrence for a lead", journey: roleVisit(access.RolePracticeLead, riverside, "/evaluation/recurrence"), status: 200, want: "Published benchmarks"},
		pageCase{name: "recurrence for a national analyst", journey: roleVisit(access.RoleNationalAnalyst, "", "/evaluation/recurrence"), status: 200, want: "Every Practice together"},
		pageCase{name: "recurrence with a bad cohort", journey: refusedFilter("/evaluation/recurrence", "?cohort=abc"), status: 422, want: "The cohort must be a year"},
		pageCase{name: "change in measures for a lead", journey: roleVisit(access.RolePracticeLead, riverside, "/evaluation/change"), status: 200, want: "PHQ-9 total"},
		pageCase{name: "change in measures for a national analyst", journey: roleVisit(access.RoleNationalAnalyst, "", "/evaluation/change"), status: 200, want: "None are published in Haven"},
	)
}

// refusedFilter opens an evaluation report with a filter it refuses: the
// page comes back with its error summary (422).
func refusedFilter(path, query string) func(context.Context, *site, func()) (*network.Response, error) {
	return func(ctx context.Context, s *site, last func()) (*network.Response, error) {
		if err := s.shareSession(ctx, access.RoleNationalAnalyst, ""); err != nil {
			return nil, err
		}
		last()
		return visit(ctx, s, path+query, path, 422)
	}
}
