package store_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"haven/internal/store"
	"haven/internal/store/storetest"
)

// The two dialects must have the same migration versions and names, so a
// database of either kind at version N has the same tables.
func TestMigrationSetsMatch(t *testing.T) {
	names := func(dir string) []string {
		t.Helper()
		got, err := fs.Glob(os.DirFS(filepath.Join("migrations", dir)), "*.sql")
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(got)
		return got
	}
	sqlite, postgres := names("sqlite"), names("postgres")
	if len(sqlite) == 0 {
		t.Fatal("no migrations found")
	}
	if diff := cmp.Diff(sqlite, postgres); diff != "" {
		t.Errorf("migration files differ between sqlite and postgres (-sqlite +postgres):\n%s", diff)
	}
}

func TestMigrateIsIdempotentAndReportsStatus(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		st, err := db.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Pending) != 0 || len(st.Unknown) != 0 {
			t.Fatalf("fresh test database status = %+v, want up to date", st)
		}
		again, err := db.Migrate(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(again) != 0 {
			t.Errorf("second Migrate applied %v, want nothing", again)
		}
	})
}

func TestMigrateFromEmpty(t *testing.T) {
	storetest.ForEachEmpty(t, func(t *testing.T, url string) {
		db, err := store.Open(t.Context(), url)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		all, _ := db.Migrations()
		st, err := db.Status(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if !st.Empty(len(all)) {
			t.Fatalf("status of empty database = %+v, want all %d pending", st, len(all))
		}
		done, err := db.Migrate(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if len(done) != len(all) {
			t.Errorf("applied %d migrations, want %d", len(done), len(all))
		}
	})
}
