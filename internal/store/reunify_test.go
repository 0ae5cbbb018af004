package store_test

import (
	"errors"
	"testing"
	"time"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/reunify"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// twoLATeams makes two local authority teams, the tenants of reunification work.
func twoLATeams(t *testing.T, db *store.DB) (a, b access.LATeam) {
	t.Helper()
	a, err := db.CreateLATeam(t.Context(), access.LATeam{Slug: "team-a", Name: "Team A", LACode: "E08000035"})
	if err != nil {
		t.Fatal(err)
	}
	b, err = db.CreateLATeam(t.Context(), access.LATeam{Slug: "team-b", Name: "Team B", LACode: "E08000035"})
	if err != nil {
		t.Fatal(err)
	}
	return a, b
}

func TestLAChildEpisodesAndCase(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		a, b := twoLATeams(t, db)
		today := haven.NewDate(2026, time.December, 7)
		ev := audit.Event{UserID: 0}
		c, err := db.CreateLAChild(ctx, ev, reunify.Child{Team: a.ID, Ref: "C-1001", FirstName: "Robin", BornOn: haven.NewDate(2019, time.March, 4)}, 0, today)
		if err != nil {
			t.Fatal(err)
		}
		// The same ID twice in one team is refused by field; another team may use it.
		_, err = db.CreateLAChild(ctx, ev, reunify.Child{Team: a.ID, Ref: "C-1001", FirstName: "Sam", BornOn: haven.NewDate(2020, time.May, 1)}, 0, today)
		if f := fieldErrors(err); f["ref"] == "" {
			t.Fatalf("a second child C-1001 in team A: got %v, want a ref error", err)
		}
		if _, err := db.CreateLAChild(ctx, ev, reunify.Child{Team: b.ID, Ref: "C-1001", FirstName: "Sam", BornOn: haven.NewDate(2020, time.May, 1)}, 0, today); err != nil {
			t.Fatalf("team B's own C-1001: %v", err)
		}
		// Another team's child is not found.
		if _, err := db.LAChild(ctx, b.ID, c.ID); !errors.Is(err, haven.ErrNotFound) {
			t.Fatalf("team B reading team A's child: got %v, want not found", err)
		}
		got, err := db.LAChild(ctx, a.ID, c.ID)
		if err != nil || got.FirstName != "Robin" || got.Version != 1 {
			t.Fatalf("LAChild = %+v, %v", got, err)
		}
		list, err := db.LAChildren(ctx, a.ID, store.Page{})
		if err != nil || len(list) != 1 {
			t.Fatalf("team A's children = %d, %v; want 1", len(list), err)
		}

		first := reunify.Episode{Child: c.ID, StartsOn: haven.NewDate(2025, time.January, 10), RNE: "S", LegalStatus: "C1", Placement: "U4",
			EndsOn: haven.NewDate(2025, time.June, 2), REC: "X1"}
		second := reunify.Episode{Child: c.ID, StartsOn: haven.NewDate(2025, time.June, 2), RNE: "L", LegalStatus: "C2", Placement: "U4"}
		for _, e := range []reunify.Episode{second, first} {
			if _, err := db.AddLAEpisode(ctx, ev, e, 0, today); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.AddLAEpisode(ctx, ev, second, 0, today); fieldErrors(err)["startsOn"] == "" {
			t.Fatalf("a second episode on the same day: got %v, want a startsOn error", err)
		}
		bad := second
		bad.StartsOn, bad.Placement = haven.NewDate(2025, time.July, 1), "ZZ"
		if _, err := db.AddLAEpisode(ctx, ev, bad, 0, today); fieldErrors(err)["placement"] == "" {
			t.Fatalf("an unknown placement code: got %v, want a placement error", err)
		}
		eps, err := db.LAEpisodes(ctx, c.ID)
		if err != nil || len(eps) != 2 || eps[0].REC != "X1" || !eps[1].Open() || eps[0].Open() {
			t.Fatalf("episodes = %+v, %v", eps, err)
		}

		k, err := db.OpenReunification(ctx, ev, reunify.Case{Child: c.ID, Route: "s31", OpenedOn: today}, today)
		if err != nil || k.Stage != reunify.StageIdentification {
			t.Fatalf("OpenReunification = %+v, %v", k, err)
		}
		if _, err := db.OpenReunification(ctx, ev, reunify.Case{Child: c.ID, Route: "s31", OpenedOn: today}, today); fieldErrors(err)["route"] == "" {
			t.Fatalf("a second open case: got %v, want a route error", err)
		}
		cases, err := db.ReunificationCases(ctx, c.ID)
		if err != nil || len(cases) != 1 || cases[0].Route != "s31" || !cases[0].ClosedOn.IsZero() {
			t.Fatalf("cases = %+v, %v", cases, err)
		}
	})
}

func fieldErrors(err error) map[string]string {
	var e *haven.Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}
