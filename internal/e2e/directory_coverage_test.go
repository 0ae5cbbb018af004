package e2e

import (
	"context"
	"fmt"

	"github.com/chromedp/cdproto/network"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/directory"
	"haven/internal/store"
)

// The commissioners' coverage page (issue 20 item 5), the paged search
// results, a place name that fits more than one authority, and the
// editors' pages for one suggestion and one correction, checked with axe at
// 1280 and 320 px.
func init() {
	pages = append(pages,
		pageCase{name: "directory coverage for a national analyst", journey: roleVisit(access.RoleNationalAnalyst, "", "/directory/coverage"), status: 200, want: "Authorities with no service"},
		pageCase{name: "directory coverage for a directory editor", journey: roleVisit(access.RoleDirectoryEditor, "", "/directory/coverage"), status: 200, want: "Services by status"},
		pageCase{name: "directory search, second page of results", path: "/directory?place=&page=2", status: 200, want: "Showing 21 to 40 of"},
		pageCase{name: "directory search with a place that fits more than one authority", path: "/directory?place=Yorkshire", status: 200, want: "Did you mean?"},
		pageCase{name: "directory queue, a suggested service", journey: queuedSuggestion(store.SuggestService), status: 200, want: "Approve and publish"},
		pageCase{name: "directory queue, a suggested correction", journey: queuedSuggestion(store.SuggestCorrection), status: 200, want: "Save the entry and close the correction"},
	)
}

// queuedSuggestion puts a fictional suggestion of the kind in the queue, as
// the public form would, and opens it as a directory editor.
func queuedSuggestion(kind store.SuggestionKind) func(context.Context, *site, func()) (*network.Response, error) {
	return func(ctx context.Context, s *site, last func()) (*network.Response, error) {
		sg := store.Suggestion{Kind: kind}
		if kind == store.SuggestCorrection {
			sg.ServiceID = directory.NameID("demo:service:BD1")
			sg.WhatIsWrong, sg.Change = "The telephone number has changed.", "Ring 01632 960 002 instead."
		} else {
			sg.Organisation = "Swale Trust (fictional)"
			sg.Entry = directory.Entry{Name: "Swale Mothers Project (fictional)", Description: "Support after a removal.", Status: directory.StatusActive,
				HowToRefer: "Ring the duty line.", SelfReferral: true, ServiceAreas: []string{"E06000065"}}
		}
		sg, err := s.db.CreateSuggestion(ctx, audit.Event{}, sg)
		if err != nil {
			return nil, fmt.Errorf("queue a %s: %w", kind, err)
		}
		return roleVisit(access.RoleDirectoryEditor, "", "/directory/queue/"+sg.ID)(ctx, s, last)
	}
}
