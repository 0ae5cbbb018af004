package store_test

import (
	"errors"
	"testing"

	"haven/internal/audit"
	"haven/internal/directory"
	"haven/internal/haven"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// A suggested service waits in the queue unpublished; approving it makes a
// service with field history, rejecting it keeps it out of the directory.
func TestSuggestionQueueRoundTrip(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		ev := audit.Event{RequestID: "test"}
		entry := func(name string) directory.Entry {
			return directory.Entry{Name: name, Description: "Support after removal <b>not markup</b>.", Status: directory.StatusActive,
				HowToRefer: "Ring the duty line.", ServiceAreas: []string{"E08000035"}}
		}
		listed := func() map[string]bool {
			out := map[string]bool{}
			ss, _, err := db.ListServices(ctx, directory.Query{Page: 1, PerPage: 100})
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range ss {
				out[s.Name] = true
			}
			return out
		}
		a, err := db.CreateSuggestion(ctx, ev, store.Suggestion{Kind: store.SuggestService, Organisation: "Aire Trust (fictional)", Entry: entry("Aire Suggested (fictional)")})
		if err != nil {
			t.Fatal(err)
		}
		b, err := db.CreateSuggestion(ctx, ev, store.Suggestion{Kind: store.SuggestService, Organisation: "Spam Ltd", Entry: entry("Spam Service"), ContactEmail: "x@example.org"})
		if err != nil {
			t.Fatal(err)
		}
		q, err := db.PendingSuggestions(ctx)
		if err != nil || len(q) != 2 || q[0].ID != a.ID || q[0].Entry.Name != "Aire Suggested (fictional)" || q[1].ContactEmail != "x@example.org" {
			t.Fatalf("queue %+v, %v", q, err)
		}
		if got := listed(); got["Aire Suggested (fictional)"] || got["Spam Service"] {
			t.Fatalf("pending suggestions are listed: %v", got)
		}
		svc, err := db.ApproveSuggestion(ctx, ev, a.ID, "editor 1")
		if err != nil {
			t.Fatal(err)
		}
		if err := db.RejectSuggestion(ctx, ev, b.ID, "Not a service for parents"); err != nil {
			t.Fatal(err)
		}
		if got := listed(); !got["Aire Suggested (fictional)"] || got["Spam Service"] {
			t.Fatalf("after approve and reject, listed %v", got)
		}
		got, err := db.Service(ctx, svc.ID)
		if err != nil || got.Description != entry("").Description || got.LastVerified.IsZero() {
			t.Fatalf("approved service %+v, %v", got, err)
		}
		hist, err := db.ServiceHistory(ctx, svc.ID)
		if err != nil || len(hist) == 0 || hist[0].By != "editor 1" || hist[0].Action != "create" {
			t.Fatalf("history %+v, %v", hist, err)
		}
		if q, _ := db.PendingSuggestions(ctx); len(q) != 0 {
			t.Fatalf("queue after deciding: %+v", q)
		}
		rb, err := db.SuggestionByID(ctx, b.ID)
		if err != nil || rb.Status != store.SuggestionRejected || rb.Reason != "Not a service for parents" {
			t.Fatalf("rejected %+v, %v", rb, err)
		}
		// Decided once: a second decision is a conflict, not a second service.
		if _, err := db.ApproveSuggestion(ctx, ev, a.ID, "editor 2"); !errors.Is(err, haven.ErrConflict) {
			t.Errorf("approve twice: %v", err)
		}
		if err := db.RejectSuggestion(ctx, ev, b.ID, "again"); !errors.Is(err, haven.ErrConflict) {
			t.Errorf("reject twice: %v", err)
		}
		// A correction names its service and closes without touching it.
		c, err := db.CreateSuggestion(ctx, ev, store.Suggestion{Kind: store.SuggestCorrection, ServiceID: svc.ID, WhatIsWrong: "Phone", Change: "New number"})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.CloseCorrection(ctx, ev, c.ID, true, ""); err != nil {
			t.Fatal(err)
		}
		if rc, _ := db.SuggestionByID(ctx, c.ID); rc.Status != store.SuggestionApproved || rc.ServiceID != svc.ID {
			t.Errorf("correction %+v", rc)
		}
		if _, err := db.SuggestionByID(ctx, "not-a-uuid"); !errors.Is(err, haven.ErrNotFound) {
			t.Errorf("bad id: %v", err)
		}
	})
}
