// Package storetest gives tests a fresh, migrated database: SQLite in a temp
// file, or PostgreSQL in a database cloned from a migrated template. Without
// HAVEN_TEST_POSTGRES it starts a throwaway PostgreSQL cluster from the
// installed binaries. With CI=true a missing PostgreSQL fails the test.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"database/sql"

	"haven/internal/store"
)

var (
	runsMu sync.Mutex
	runs   = map[string]map[string]bool{} // test name -> backends it ran on

	pgOnce    sync.Once
	pgAdmin   string // URL of the maintenance database
	pgErr     error
	pgCluster string // data directory of a cluster we started, if any
	pgBin     string
	dbSeq     atomic.Int64
)

// InCI reports whether the suite runs in CI, where nothing may be skipped for want of PostgreSQL.
func InCI() bool { return os.Getenv("CI") == "true" }

// Main runs the package's tests, stops any cluster it started, and in CI
// fails the run if store tests ran on SQLite more often than on PostgreSQL.
func Main(m *testing.M) {
	code := m.Run()
	stopCluster()
	if code == 0 && InCI() {
		for _, problem := range oneSided(runs) {
			fmt.Fprintln(os.Stderr, "storetest:", problem)
			code = 1
		}
	}
	os.Exit(code)
}

// oneSided lists the store tests that ran on only one database.
func oneSided(runs map[string]map[string]bool) []string {
	var out []string
	for name, backends := range runs {
		if !backends["sqlite"] || !backends["postgres"] {
			out = append(out, fmt.Sprintf("%s ran on %v only; with CI=true every store test must run on both databases", name, backends))
		}
	}
	slices.Sort(out)
	return out
}

// ForEach runs fn once against SQLite and once against PostgreSQL.
func ForEach(t testing.TB, fn func(t *testing.T, db *store.DB)) {
	tt, ok := t.(*testing.T)
	if !ok {
		panic("storetest.ForEach needs a *testing.T")
	}
	tt.Run("sqlite", func(t *testing.T) { ran(tt, "sqlite"); fn(t, SQLite(t)) })
	tt.Run("postgres", func(t *testing.T) {
		db := Postgres(t)
		ran(tt, "postgres")
		fn(t, db)
	})
}

// ForEachB runs a benchmark once against each database.
func ForEachB(b *testing.B, fn func(b *testing.B, db *store.DB)) {
	b.Run("db=sqlite", func(b *testing.B) { fn(b, SQLite(b)) })
	b.Run("db=postgres", func(b *testing.B) { fn(b, Postgres(b)) })
}

// ran records that test t reached backend, for Main's check.
func ran(t testing.TB, backend string) {
	runsMu.Lock()
	defer runsMu.Unlock()
	if runs[t.Name()] == nil {
		runs[t.Name()] = map[string]bool{}
	}
	runs[t.Name()][backend] = true
}

// SQLite returns a migrated database in a temporary file.
func SQLite(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.Open(t.Context(), "sqlite:"+filepath.Join(t.TempDir(), "haven.db"))
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(t.Context()); err != nil {
		t.Fatalf("migrate sqlite: %v", err)
	}
	return db
}

// Postgres returns a migrated database of its own on the test cluster.
func Postgres(t testing.TB) *store.DB {
	t.Helper()
	u := PostgresURL(t)
	db, err := store.Open(t.Context(), u)
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// PostgresURL creates an empty, migrated database and returns its URL. It
// skips the test when PostgreSQL can't be had, unless CI=true.
func PostgresURL(t testing.TB) string {
	t.Helper()
	requirePostgres(t)
	name := fmt.Sprintf("haven_test_%d_%d", os.Getpid(), dbSeq.Add(1))
	if err := adminExec("CREATE DATABASE " + name + " TEMPLATE " + templateName()); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() { adminExec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)") })
	return withDatabase(pgAdmin, name)
}

func requirePostgres(t testing.TB) {
	t.Helper()
	pgOnce.Do(func() { pgErr = setup() })
	if pgErr != nil {
		if InCI() {
			t.Fatalf("PostgreSQL is required when CI=true: %v", pgErr)
		}
		t.Skipf("PostgreSQL not available (set HAVEN_TEST_POSTGRES or install PostgreSQL): %v", pgErr)
	}
}

// ForEachEmpty runs fn with the URL of an empty, unmigrated database of each kind.
func ForEachEmpty(outer *testing.T, fn func(t *testing.T, url string)) {
	outer.Run("sqlite", func(t *testing.T) {
		ran(outer, "sqlite")
		fn(t, "sqlite:"+filepath.Join(t.TempDir(), "haven.db"))
	})
	outer.Run("postgres", func(t *testing.T) {
		u := emptyPostgresURL(t)
		ran(outer, "postgres")
		fn(t, u)
	})
}

// emptyPostgresURL returns the URL of a new database with no schema at all.
func emptyPostgresURL(t testing.TB) string {
	t.Helper()
	requirePostgres(t)
	name := fmt.Sprintf("haven_empty_%d_%d", os.Getpid(), dbSeq.Add(1))
	if err := adminExec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create empty database: %v", err)
	}
	t.Cleanup(func() { adminExec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)") })
	return withDatabase(pgAdmin, name)
}

func templateName() string { return fmt.Sprintf("haven_tmpl_%d", os.Getpid()) }

func withDatabase(admin, name string) string {
	u, _ := url.Parse(admin)
	u.Path = "/" + name
	return u.String()
}

func adminExec(stmt string) error {
	db, err := sql.Open("pgx", pgAdmin)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err = db.ExecContext(ctx, stmt)
	return err
}

func setup() error {
	if u := os.Getenv("HAVEN_TEST_POSTGRES"); u != "" {
		pgAdmin = u
	} else if err := startCluster(); err != nil {
		return err
	}
	if err := adminExec("CREATE DATABASE " + templateName()); err != nil {
		return fmt.Errorf("create template: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	db, err := store.Open(ctx, withDatabase(pgAdmin, templateName()))
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.Migrate(ctx)
	return err
}

func findBin() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(dirs, func(a, b string) int { return -compareVersionDirs(a, b) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	p, err := exec.LookPath("initdb")
	if err != nil {
		return "", errors.New("no initdb found")
	}
	return filepath.Dir(p), nil
}

func compareVersionDirs(a, b string) int {
	va, _ := strconv.Atoi(filepath.Base(filepath.Dir(a)))
	vb, _ := strconv.Atoi(filepath.Base(filepath.Dir(b)))
	return va - vb
}

// asPostgres runs a PostgreSQL binary, as the postgres user when we are root
// (PostgreSQL refuses to run as root).
func asPostgres(name string, args ...string) *exec.Cmd {
	bin := filepath.Join(pgBin, name)
	if os.Geteuid() == 0 {
		return exec.Command("runuser", append([]string{"-u", "postgres", "--", bin}, args...)...) // #nosec G204 -- tests only: PostgreSQL's own programs from the installed version's bin folder
	}
	return exec.Command(bin, args...) // #nosec G204 -- tests only: PostgreSQL's own programs from the installed version's bin folder
}

func startCluster() error {
	var err error
	if pgBin, err = findBin(); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "haven-pg-")
	if err != nil {
		return err
	}
	if os.Geteuid() == 0 {
		pu, err := user.Lookup("postgres")
		if err != nil {
			return fmt.Errorf("running as root needs a postgres user: %w", err)
		}
		uid, _ := strconv.Atoi(pu.Uid)
		gid, _ := strconv.Atoi(pu.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			return err
		}
	}
	data := filepath.Join(dir, "data")
	if out, err := asPostgres("initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync", "--locale=C").CombinedOutput(); err != nil {
		return fmt.Errorf("initdb: %v: %s", err, out)
	}
	opts := "-k " + dir + " -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
	if out, err := asPostgres("pg_ctl", "-D", data, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "-t", "60", "start").CombinedOutput(); err != nil {
		return fmt.Errorf("pg_ctl start: %v: %s", err, out)
	}
	pgCluster = data
	pgAdmin = "postgres://postgres@/postgres?host=" + url.QueryEscape(dir) + "&sslmode=disable"
	return nil
}

func stopCluster() {
	if pgCluster == "" {
		return
	}
	asPostgres("pg_ctl", "-D", pgCluster, "-m", "immediate", "-w", "stop").Run()
	os.RemoveAll(filepath.Dir(pgCluster))
}
