package store_test

import (
	"errors"
	"strconv"
	"testing"
	"time"

	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/reunify"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

func TestLAChildRecord(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		a, b := twoLATeams(t, db)
		today := haven.NewDate(2026, time.December, 7)
		ev := audit.Event{}
		robin, err := db.CreateLAChild(ctx, ev, reunify.Child{Team: a.ID, Ref: "C-1001", FirstName: "Robin", BornOn: haven.NewDate(2019, 3, 4)}, 0, today)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateLAChild(ctx, ev, reunify.Child{Team: a.ID, Ref: "C-2002", FirstName: "Sasha", BornOn: haven.NewDate(2018, 3, 4)}, 0, today); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateLAChild(ctx, ev, reunify.Child{Team: b.ID, Ref: "B-1", FirstName: "Robina", BornOn: haven.NewDate(2018, 3, 4)}, 0, today); err != nil {
			t.Fatal(err)
		}

		// Episodes: the rules between them are checked in the store's transaction.
		first := reunify.Episode{Child: robin.ID, StartsOn: haven.NewDate(2025, 1, 10), RNE: "L", LegalStatus: "C1", Placement: "U4"}
		if _, err := db.AddLAEpisodeChecked(ctx, ev, first, 0, today); fieldErrors(err)["rne"] == "" {
			t.Fatalf("a first episode without S: got %v, want an rne error", err)
		}
		first.RNE = "S"
		first, err = db.AddLAEpisodeChecked(ctx, ev, first, 0, today)
		if err != nil {
			t.Fatal(err)
		}
		second := reunify.Episode{Child: robin.ID, StartsOn: haven.NewDate(2025, 6, 1), RNE: "L", LegalStatus: "C2", Placement: "U4"}
		if _, err := db.AddLAEpisodeChecked(ctx, ev, second, 0, today); fieldErrors(err)["startsOn"] == "" {
			t.Fatalf("a second open episode: got %v, want a startsOn error", err)
		}
		if _, err := db.EndLAEpisode(ctx, ev, robin.ID, first.ID, first.Version+1, haven.NewDate(2025, 6, 1), "X1", today); !errors.Is(err, haven.ErrConflict) {
			t.Fatalf("ending with a stale version: got %v, want a conflict", err)
		}
		if _, err := db.EndLAEpisode(ctx, ev, robin.ID+100, first.ID, first.Version, haven.NewDate(2025, 6, 1), "X1", today); !errors.Is(err, haven.ErrNotFound) {
			t.Fatalf("ending under another child: got %v, want not found", err)
		}
		ended, err := db.EndLAEpisode(ctx, ev, robin.ID, first.ID, first.Version, haven.NewDate(2025, 6, 1), "X1", today)
		if err != nil || ended.Version != 2 || ended.REC != "X1" {
			t.Fatalf("EndLAEpisode = %+v, %v", ended, err)
		}
		if _, err := db.AddLAEpisodeChecked(ctx, ev, second, 0, today); err != nil {
			t.Fatal(err)
		}

		// The list: each child with the open episode; search by ID or first name, within the team.
		rows, err := db.SearchLAChildren(ctx, a.ID, "", store.Page{})
		if err != nil || len(rows) != 2 || rows[0].Current.LegalStatus != "C2" || rows[0].Current.Version != 1 || rows[1].Current.ID != 0 {
			t.Fatalf("SearchLAChildren = %+v, %v", rows, err)
		}
		for term, want := range map[string]int{"rob": 1, "c-2002": 1, "C-": 2, "%": 0, "robina": 0, "zzz": 0} {
			rows, err := db.SearchLAChildren(ctx, a.ID, term, store.Page{})
			if err != nil || len(rows) != want {
				t.Errorf("search %q: %d rows, %v; want %d", term, len(rows), err, want)
			}
		}
		if rows, _ := db.SearchLAChildren(ctx, a.ID, "", store.Page{Limit: 1}); len(rows) != 1 {
			t.Errorf("a page of 1: %d rows", len(rows))
		} else if next, _ := db.SearchLAChildren(ctx, a.ID, "", store.Page{After: rows[0].Child.ID, Limit: 1}); len(next) != 1 || next[0].Child.Ref != "C-2002" {
			t.Errorf("the next page: %+v", next)
		}

		// People around the child, with version checks.
		p, err := db.AddLAPerson(ctx, ev, reunify.Person{Child: robin.ID, Name: "Jo Brightwater", Relationship: "mother", ParentalResponsibility: true, MayBeTold: "Everything"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.AddLAPerson(ctx, ev, reunify.Person{Child: robin.ID, Relationship: "father"}); fieldErrors(err)["name"] == "" {
			t.Fatalf("a person with no name: got %v", err)
		}
		p.MayBeTold = "School and health only"
		if _, err := db.UpdateLAPerson(ctx, ev, p, p.Version); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UpdateLAPerson(ctx, ev, p, p.Version); !errors.Is(err, haven.ErrConflict) {
			t.Fatalf("a stale update: got %v, want a conflict", err)
		}
		other := p
		other.Child = robin.ID + 1
		if _, err := db.UpdateLAPerson(ctx, ev, other, 2); !errors.Is(err, haven.ErrNotFound) {
			t.Fatalf("an update through another child: got %v, want not found", err)
		}
		people, err := db.LAPeople(ctx, robin.ID)
		if err != nil || len(people) != 1 || people[0].MayBeTold != "School and health only" || people[0].Version != 2 {
			t.Fatalf("LAPeople = %+v, %v", people, err)
		}

		// The child's views, newest first.
		for _, v := range []reunify.View{{Child: robin.ID, SaidOn: haven.NewDate(2025, 2, 1), Words: "I miss my mum."}, {Child: robin.ID, SaidOn: haven.NewDate(2025, 8, 1), Words: "I like my school."}} {
			if _, err := db.AddLAChildView(ctx, ev, v, today); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.AddLAChildView(ctx, ev, reunify.View{Child: robin.ID, SaidOn: today}, today); fieldErrors(err)["words"] == "" {
			t.Fatalf("an empty view: got %v", err)
		}
		views, err := db.LAChildViews(ctx, robin.ID)
		if err != nil || len(views) != 2 || views[0].Words != "I like my school." {
			t.Fatalf("LAChildViews = %+v, %v", views, err)
		}

		// Every change wrote an audit row about the child.
		evs, err := db.SearchAudit(ctx, store.AuditFilter{Page: store.Page{Limit: 500}})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range evs {
			if e.RecordType == "la-child" && e.RecordID == strconv.FormatInt(robin.ID, 10) {
				n++
			}
		}
		// Created, two episodes added and one ended, a person added and changed, two views.
		if n != 8 {
			t.Errorf("%d audit rows about the child, want 8", n)
		}
	})
}
