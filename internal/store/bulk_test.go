package store_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"haven/internal/access"
	"haven/internal/haven"
	"haven/internal/programme"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// rowsOf is a RowSource over a fixed list.
func rowsOf(rows [][]any) store.RowSource {
	i := 0
	return func() ([]any, bool, error) {
		if i == len(rows) {
			return nil, false, nil
		}
		i++
		return rows[i-1], true, nil
	}
}

// countTo is a RowSource of n rows made by row(i), i from 1.
func countTo(n int, row func(i int) []any) store.RowSource {
	i := 0
	return func() ([]any, bool, error) {
		if i == n {
			return nil, false, nil
		}
		i++
		return row(i), true, nil
	}
}

func TestBulkInsertAllowList(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		tests := []struct {
			name    string
			table   string
			columns []string
		}{
			{"unknown table", "schema_migrations", []string{"version"}},
			{"injected table", "people; DROP TABLE people", []string{"id"}},
			{"unknown column", "people", []string{"id", "ref", "secret"}},
			{"column twice", "organisations", []string{"id", "id"}},
			{"no columns", "organisations", nil},
		}
		for _, tt := range tests {
			n, err := db.BulkInsert(t.Context(), tt.table, tt.columns, rowsOf(nil))
			if err == nil || n != 0 {
				t.Errorf("%s: inserted %d, err %v; want refused", tt.name, n, err)
			}
		}
		if _, err := db.BulkRows(t.Context(), "schema_migrations"); err == nil {
			t.Error("BulkRows counted a table outside the allow-list")
		}
	})
}

func TestBulkInsertLoadsRowsWithTheirIDs(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		at := time.Date(2026, 11, 1, 9, 30, 0, 123456000, time.UTC)
		// More rows than one SQLite transaction holds, and not a multiple of a statement's rows.
		const orgs = 20_077
		n, err := db.BulkInsert(ctx, "organisations", []string{"id", "slug", "name", "version", "created_at", "updated_at"},
			countTo(orgs, func(i int) []any {
				return []any{int64(i * 2), fmt.Sprintf("org-%d", i), "Organisation", int64(1), at, at}
			}))
		if err != nil || n != orgs {
			t.Fatalf("organisations: %d, %v", n, err)
		}
		if got, err := db.BulkRows(ctx, "organisations"); err != nil || got != orgs {
			t.Fatalf("organisations counted %d, %v", got, err)
		}
		// The planner knows the table's new size at once (ANALYZE after the load).
		if planned, err := db.PlannedRows(ctx, "organisations"); err != nil || planned < orgs/2 {
			t.Errorf("the planner believes organisations holds %d rows (%v), want about %d", planned, err, orgs)
		}
		// After a bulk load, the database's own IDs carry on after the largest.
		o, err := db.CreateOrganisation(ctx, access.Organisation{Slug: "after-load", Name: "After the load"})
		if err != nil || o.ID <= orgs*2 {
			t.Fatalf("organisation after the load: id %d, %v", o.ID, err)
		}

		_, err = db.BulkInsert(ctx, "practices", []string{"id", "organisation_id", "slug", "name", "version", "created_at", "updated_at"},
			rowsOf([][]any{{int64(7), int64(2), "bulk-practice", "Bulk Practice", int64(1), at, at}}))
		if err != nil {
			t.Fatal(err)
		}
		p, err := db.Practice(ctx, 7)
		if err != nil || p.Slug != "bulk-practice" || p.OrganisationID != 2 || !p.CreatedAt.Equal(at) {
			t.Fatalf("practice read back: %+v, %v", p, err)
		}
		_, err = db.BulkInsert(ctx, "users", []string{"id", "email", "display_name", "version", "created_at", "updated_at", "mfa_enrolled"},
			rowsOf([][]any{{int64(3), "bulk@example.invalid", "Bulk User", int64(1), at, at, true}}))
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.BulkInsert(ctx, "people", []string{"id", "ref", "practice_id", "practitioner_id", "first_name", "last_name", "date_of_birth", "version", "created_at", "updated_at"},
			rowsOf([][]any{{int64(11), "bulkref00001", int64(7), nil, "Robin", "Testcase", haven.NewDate(1995, 4, 30), int64(1), at, at}}))
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.BulkInsert(ctx, "goals", []string{"id", "person_id", "domain", "words", "target_on", "progress", "created_by", "version", "created_at", "updated_at"},
			rowsOf([][]any{
				{int64(5), int64(11), "housing", "A flat of my own", haven.NewDate(2027, 1, 31), "in-progress", int64(3), int64(1), at, at},
				{int64(6), int64(11), "money", "Benefits sorted", haven.Date{}, "not-started", nil, int64(1), at, at},
			}))
		if err != nil {
			t.Fatal(err)
		}
		goals, err := db.Goals(ctx, 11, false)
		if err != nil || len(goals) != 2 {
			t.Fatalf("goals: %+v, %v", goals, err)
		}
		if g := goals[0]; g.ID != 5 || g.TargetOn != haven.NewDate(2027, 1, 31) || g.Progress != programme.InProgress || !g.CreatedAt.Equal(at) {
			t.Errorf("first goal read back %+v", g)
		}
		if g := goals[1]; g.ID != 6 || !g.TargetOn.IsZero() {
			t.Errorf("second goal read back %+v", g)
		}

		// The foreign keys hold after a load, with their ON DELETE rules, on both databases.
		err = db.Exec(ctx, `INSERT INTO goals (person_id, domain, words, progress, version, created_at, updated_at)
			VALUES (999, 'money', 'Nobody', 'not-started', 1, $1, $1)`, at)
		if !errors.Is(err, haven.ErrInvalid) {
			t.Errorf("a goal for nobody after the load: %v, want invalid", err)
		}
		if err := db.Exec(ctx, `DELETE FROM people WHERE id = 11`); err != nil {
			t.Fatal(err)
		}
		if n, err := db.BulkRows(ctx, "goals"); err != nil || n != 0 {
			t.Errorf("deleting her left %d goals (%v): ON DELETE CASCADE was lost", n, err)
		}
	})
}

func TestBulkInsertFailures(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
		cols := []string{"id", "slug", "name", "version", "created_at", "updated_at"}
		boom := errors.New("source failed")
		tests := []struct {
			name string
			src  store.RowSource
			want error
		}{
			{"short row", rowsOf([][]any{{int64(1), "a"}}), nil},
			{"duplicate id", rowsOf([][]any{{int64(1), "a", "A", int64(1), at, at}, {int64(1), "b", "B", int64(1), at, at}}), haven.ErrConflict},
			{"source error", func() ([]any, bool, error) { return nil, false, boom }, boom},
		}
		for _, tt := range tests {
			_, err := db.BulkInsert(ctx, "organisations", cols, tt.src)
			if err == nil || (tt.want != nil && !errors.Is(err, tt.want)) {
				t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
			}
		}
		// A row naming a Practice that does not exist is refused as invalid.
		_, err := db.BulkInsert(ctx, "practice_local_authorities", []string{"practice_id", "la_code"}, rowsOf([][]any{{int64(999), "E08000035"}}))
		if !errors.Is(err, haven.ErrInvalid) {
			t.Errorf("foreign key: %v, want invalid", err)
		}
		// The failed load kept the foreign key.
		if err := db.Exec(ctx, `INSERT INTO practice_local_authorities (practice_id, la_code) VALUES (999, 'E08000035')`); !errors.Is(err, haven.ErrInvalid) {
			t.Errorf("after a failed load: %v, want the foreign key still to refuse", err)
		}
		if n, err := db.BulkRows(ctx, "organisations"); err != nil || n != 0 {
			t.Errorf("failed loads left %d organisations, %v", n, err)
		}
	})
}
