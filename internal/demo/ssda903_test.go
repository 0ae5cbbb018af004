package demo_test

import (
	"bytes"
	"testing"
	"time"

	"haven/internal/audit"
	"haven/internal/auth"
	"haven/internal/demo"
	"haven/internal/haven"
	"haven/internal/reunify"
	"haven/internal/store/storetest"
)

// The demo files do what the README says: the valid one imports into the
// demo LA team with returns that held and returns that broke down, and the
// one with errors is refused row by row, nothing written.
func TestSSDA903DemoFiles(t *testing.T) {
	db := storetest.SQLite(t)
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	sum, err := demo.Seed(t.Context(), db, demo.Options{Hasher: &auth.Hasher{Memory: 64, Time: 1}, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	today := haven.NewDate(2026, 12, 7)
	team := sum.LATeam.ID
	// The demo's other children (reunify_children.go) have episodes already.
	before, err := db.LAEpisodesFile(t.Context(), team)
	if err != nil {
		t.Fatal(err)
	}
	bad, err := db.ImportSSDA903(t.Context(), audit.Event{}, team, demo.SSDA903EpisodesWithErrors, false, today)
	if err != nil {
		t.Fatal(err)
	}
	rows := map[int]bool{}
	for _, p := range bad.Problems {
		rows[p.Row] = true
	}
	for _, r := range []int{5, 6, 8, 9, 10, 11, 13} {
		if !rows[r] {
			t.Errorf("row %d has no problem: %v", r, bad.Problems)
		}
	}
	if eps, _ := db.LAEpisodesFile(t.Context(), team); len(eps) != len(before) {
		t.Fatalf("the file with errors wrote: %d episodes, %d before", len(eps), len(before))
	}
	res, err := db.ImportSSDA903(t.Context(), audit.Event{}, team, demo.SSDA903Episodes, false, today)
	if err != nil || res.Rejected() || res.Added != 13 {
		t.Fatalf("%+v %v", res, err)
	}
	returns, _, err := db.LADashboardData(t.Context(), team)
	if err != nil {
		t.Fatal(err)
	}
	held, back := 0, 0
	for _, r := range returns {
		if r.ReEntry.IsZero() {
			held++
		} else {
			back++
		}
	}
	if held < 2 || back < 2 {
		t.Errorf("%d returns held and %d broke down: want some of each", held, back)
	}
	// The valid file parses as it is, without the team's records too.
	if _, ps := reunify.ParseEpisodes(bytes.NewReader(demo.SSDA903Episodes), today); len(ps) != 0 {
		t.Error(ps)
	}
}
