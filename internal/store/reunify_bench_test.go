package store_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"slices"
	"testing"
	"time"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/evaluate"
	"haven/internal/haven"
	"haven/internal/reunify"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// laBenchChildren and laBenchEpisodes are the size the dashboard must handle
// in 200 ms (issue 18): one LA team with 5,000 children and 20,000 episodes.
const (
	laBenchChildren = 5000
	laBenchEpisodes = 4 * laBenchChildren
)

// loadLATeam bulk-loads a team of laBenchChildren children, each with four
// episodes: in care, a change of placement (X1), a return home (E4A or
// E4B), and for a third of them a re-entry; a reunification case for every
// fifth.
func loadLATeam(tb testing.TB, db *store.DB) access.LATeam {
	tb.Helper()
	ctx := tb.Context()
	team, err := db.CreateLATeam(ctx, access.LATeam{Slug: "bench-la", Name: "Bench LA team", LACode: "E08000035"})
	if err != nil {
		tb.Fatal(err)
	}
	now := time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC)
	i := 0
	if _, err := db.BulkInsert(ctx, "la_children", []string{"id", "la_team_id", "child_ref", "first_name", "born_on", "worker_id", "version", "created_by", "created_at", "updated_at"},
		func() ([]any, bool, error) {
			if i == laBenchChildren {
				return nil, false, nil
			}
			i++
			return []any{int64(i), team.ID, fmt.Sprintf("B%05d", i), "Child", haven.NewDate(2012+i%10, time.Month(1+i%12), 1+i%28), nil, int64(1), nil, now, now}, true, nil
		}); err != nil {
		tb.Fatal(err)
	}
	n := 0
	var pending [][]any
	if _, err := db.BulkInsert(ctx, "la_episodes", []string{"id", "child_id", "starts_on", "rne", "legal_status", "placement", "provider", "ends_on", "rec", "place_change", "cin", "urn", "version", "created_by", "at"},
		func() ([]any, bool, error) {
			if len(pending) == 0 {
				if n == laBenchChildren {
					return nil, false, nil
				}
				n++
				child := int64(n)
				start := haven.NewDate(2010+n%8, time.Month(1+n%12), 1+n%28)
				d := func(days int) haven.Date {
					t := start.Time().AddDate(0, 0, days)
					return haven.NewDate(t.Year(), t.Month(), t.Day())
				}
				home, back := d(200+n%300), d(200+n%300+30+n%700)
				rec := "E4A"
				if n%4 == 0 {
					rec = "E4B"
				}
				row := func(k int, s haven.Date, rne string, e any, rec string) []any {
					return []any{int64(4*(n-1) + k), child, s, rne, "C2", "U1", "PR1", e, rec, "", "N1", "", int64(1), nil, now}
				}
				pending = [][]any{
					row(1, start, "S", d(100), "X1"),
					row(2, d(100), "P", home, rec),
				}
				if n%3 == 0 { // back into care, and home again
					pending = append(pending, row(3, back, "S", d(1500), "E4A"), row(4, d(1600), "S", nil, ""))
				} else {
					pending = append(pending, row(3, d(2000), "S", d(2100), "E11"), row(4, d(2200), "S", nil, ""))
				}
			}
			r := pending[0]
			pending = pending[1:]
			return r, true, nil
		}); err != nil {
		tb.Fatal(err)
	}
	c := 0
	if _, err := db.BulkInsert(ctx, "reunify_cases", []string{"id", "child_id", "route", "stage", "opened_on", "closed_on", "outcome", "outcome_reason", "worker_id", "version", "created_at", "updated_at"},
		func() ([]any, bool, error) {
			if c == laBenchChildren/5 {
				return nil, false, nil
			}
			c++
			return []any{int64(c), int64(5 * c), "s31", string(reunify.StageSupport), haven.NewDate(2016, 1, 1), nil, "", "", nil, int64(1), now, now}, true, nil
		}); err != nil {
		tb.Fatal(err)
	}
	return team
}

// BenchmarkLADashboard is the LA team's dashboard at the size: the
// episodes and cases read, every return and re-entry found, and the figures
// counted and suppressed (PERFORMANCE.md: ≤ 200 ms on both databases).
func BenchmarkLADashboard(b *testing.B) {
	storetest.ForEachB(b, func(b *testing.B, db *store.DB) {
		ctx := b.Context()
		team := loadLATeam(b, db)
		asOf := haven.NewDate(2026, 3, 31)
		var d reunify.Dashboard
		for b.Loop() {
			returns, cases, err := db.LADashboardData(ctx, team.ID)
			if err != nil {
				b.Fatal(err)
			}
			d = reunify.BuildDashboard(returns, cases, asOf, evaluate.Settings{})
		}
		if d.AllYears.Total.Value < laBenchChildren {
			b.Fatalf("only %d returns home", d.AllYears.Total.Value)
		}
	})
}

// TestLABenchFixture checks the benchmark's data once, small: the episodes
// it loads are what the dashboard expects (so the benchmark measures real
// work), and follow the return's rules.
func TestLABenchFixture(t *testing.T) {
	db := storetest.SQLite(t)
	team := loadLATeam(t, db)
	eps, err := db.LAEpisodesFile(t.Context(), team.ID)
	if err != nil || len(eps) != laBenchEpisodes {
		t.Fatalf("%d episodes, %v", len(eps), err)
	}
	byChild := map[int64][]reunify.FileEpisode{}
	for _, e := range eps {
		e.Row = 1 // as if from a file, so every rule applies
		byChild[e.Child] = append(byChild[e.Child], e)
	}
	for child, es := range byChild {
		if ps := reunify.CheckEpisodes(es); len(ps) > 0 {
			t.Fatalf("child %d: %v", child, ps)
		}
	}
	rs, cases, err := db.LADashboardData(t.Context(), team.ID)
	if err != nil {
		t.Fatal(err)
	}
	// The store's pairing of returns and re-entries is reunify.Returns' rule.
	slices.SortFunc(rs, func(a, b reunify.Return) int {
		if c := a.On.Time().Compare(b.On.Time()); c != 0 {
			return c
		}
		return int(a.Child - b.Child)
	})
	var all []reunify.Episode
	for _, e := range eps {
		all = append(all, e.Episode)
	}
	if want := reunify.Returns(all); len(want) != len(rs) {
		t.Fatalf("%d returns from the store, %d from reunify.Returns", len(rs), len(want))
	} else {
		for i := range want {
			if want[i] != rs[i] {
				t.Fatalf("return %d: store %+v, reunify.Returns %+v", i, rs[i], want[i])
			}
		}
	}
	if want := laBenchChildren + laBenchChildren/3; len(rs) != want || len(cases) != laBenchChildren/5 {
		t.Errorf("%d returns (want %d), %d cases", len(rs), want, len(cases))
	}
}

// BenchmarkImportSSDA903 imports the benchmark team's 20,000 episodes as one
// file into the team's 5,000 children, all or nothing in one transaction,
// with an audit row for each child: the whole file checked, then written.
// Each round starts with no episodes recorded.
func BenchmarkImportSSDA903(b *testing.B) {
	storetest.ForEachB(b, func(b *testing.B, db *store.DB) {
		ctx := b.Context()
		team := loadLATeam(b, db)
		eps, err := db.LAEpisodesFile(ctx, team.ID)
		if err != nil {
			b.Fatal(err)
		}
		var file bytes.Buffer
		w := csv.NewWriter(&file)
		w.Write(reunify.EpisodeColumns)
		w.WriteAll(reunify.EpisodeRecords(eps))
		today := haven.NewDate(2026, 3, 31)
		for b.Loop() {
			b.StopTimer()
			if _, err := db.Write().ExecContext(ctx, `DELETE FROM la_episodes`); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			res, err := db.ImportSSDA903(ctx, audit.Event{}, team.ID, file.Bytes(), false, today)
			if err != nil || res.Rejected() || res.Added != laBenchEpisodes {
				b.Fatalf("%+v %v", res.Problems[:min(3, len(res.Problems))], err)
			}
		}
	})
}
