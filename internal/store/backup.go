package store

// Backup and restore (R11) for the embedded database. A backup is taken while
// Haven serves, with SQLite's VACUUM INTO: a consistent snapshot in a fresh
// file. Nothing is ever left half-written under the name asked for: the copy
// is made under a temporary name beside it, flushed to disk, checked, and only
// then renamed. PostgreSQL is backed up with PostgreSQL's own tools.

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// ErrPostgresBackup is the answer to a backup or restore asked of PostgreSQL.
var ErrPostgresBackup = errors.New("PostgreSQL is backed up with its own tools, not with haven backup: " +
	"pg_dump -Fc for a copy (restored with pg_restore), and pg_basebackup with continuous WAL archiving " +
	"for point-in-time recovery. See \"Backup and restore\" in the README")

// Backup writes a consistent copy of the database to path while Haven keeps
// serving. path must not exist yet and its folder must. On failure nothing is
// left at path, nor any temporary file.
func (db *DB) Backup(ctx context.Context, path string) (err error) {
	if db.Dialect() != "sqlite" {
		return ErrPostgresBackup
	}
	target, err := backupTarget(path) // which also refuses the database itself: it exists
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	var source string
	if err := db.read.QueryRowContext(ctx, `SELECT file FROM pragma_database_list WHERE name = 'main'`).Scan(&source); err != nil {
		return db.dialect.translate(err)
	}
	// The pools are for serving (the readers are query-only and the writer must
	// not wait on a long copy), so the copy has a connection of its own. It
	// reads one snapshot; in WAL mode writers carry on meanwhile.
	conn, err := sql.Open("sqlite", sqliteFileDSN(source, "_pragma=busy_timeout(10000)"))
	if err != nil {
		return err
	}
	defer conn.Close()
	tmp := tempBeside(target)
	defer func() {
		if err != nil {
			removeTemp(tmp)
		}
	}()
	if _, err := conn.ExecContext(ctx, `VACUUM INTO $1`, tmp); err != nil {
		return fmt.Errorf("backup: copy: %w", db.dialect.translate(err))
	}
	if err := os.Chmod(tmp, 0o600); err != nil { // as sensitive as the database
		return fmt.Errorf("backup: %w", err)
	}
	if err := syncFile(tmp); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if _, err := checkHavenFile(ctx, tmp); err != nil {
		return fmt.Errorf("backup: the copy failed its check: %w", err)
	}
	if err := os.Rename(tmp, target); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return syncDir(filepath.Dir(target))
}

// RestoreResult says what Restore did.
type RestoreResult struct {
	From, To string
	Schema   string   // the backup's newest migration
	Pending  []string // migrations this binary would still apply
	Removed  []string // stale -wal and -shm files removed beside the target
	Replaced bool     // a database was already at the target
}

// Restore puts the backup at from in place of the SQLite database toURL.
// Haven must be stopped: Restore refuses a database that is open. It refuses a
// backup that fails SQLite's integrity check, is not a Haven database, or is
// from a newer Haven than this one.
func Restore(ctx context.Context, from, toURL string) (RestoreResult, error) {
	res := RestoreResult{From: from}
	if !strings.HasPrefix(toURL, "sqlite:") {
		return res, ErrPostgresBackup
	}
	to, _, err := parseSQLiteURL(toURL)
	if err != nil {
		return res, err
	}
	res.To = to
	st, err := os.Stat(from)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return res, fmt.Errorf("restore: %s does not exist", from)
	case err != nil:
		return res, fmt.Errorf("restore: %w", err)
	case !st.Mode().IsRegular():
		return res, fmt.Errorf("restore: %s is not a file", from)
	}
	if wal, err := os.Stat(from + "-wal"); err == nil && wal.Size() > 0 {
		return res, fmt.Errorf("restore: %s has a -wal file beside it: it is a database in use, not a backup; make a backup with haven backup", from)
	}
	if sameFile(from, to) {
		return res, fmt.Errorf("restore: %s is the database itself", from)
	}
	versions, err := checkHavenFile(ctx, from)
	if err != nil {
		return res, fmt.Errorf("restore: %s cannot be restored: %w", from, err)
	}
	known, err := listMigrations(sqliteDialect{}.migrations())
	if err != nil {
		return res, err
	}
	var unknown []string
	for _, v := range versions {
		if !slices.ContainsFunc(known, func(m Migration) bool { return m.Version == v }) {
			unknown = append(unknown, v)
		}
	}
	if len(unknown) > 0 {
		return res, fmt.Errorf("restore: %s is from a newer Haven (migrations %s): restore it with that version", from, strings.Join(unknown, ", "))
	}
	for _, m := range known {
		if !slices.Contains(versions, m.Version) {
			res.Pending = append(res.Pending, m.Version)
		}
	}
	if len(versions) > 0 {
		res.Schema = versions[len(versions)-1]
	}
	if to, err = inFolder(to); err != nil {
		return res, fmt.Errorf("restore: %w", err)
	}
	// Held until the restored file is in place: no Haven can open the
	// database between the check below and the rename.
	lock, err := lockDatabase(to, true)
	if errors.Is(err, errDatabaseLocked) {
		return res, fmt.Errorf("restore: %s is in use by a running Haven: stop Haven, then restore", to)
	} else if err != nil {
		return res, fmt.Errorf("restore: %w", err)
	}
	defer lock.Close()
	if _, err := os.Stat(to); err == nil {
		res.Replaced = true
		if err := quiesce(ctx, to); err != nil {
			return res, err
		}
	}

	tmp := tempBeside(to)
	if err := copyFile(from, tmp); err != nil {
		removeTemp(tmp)
		return res, fmt.Errorf("restore: %w", err)
	}
	if _, err := checkHavenFile(ctx, tmp); err != nil {
		removeTemp(tmp)
		return res, fmt.Errorf("restore: the copy failed its check: %w", err)
	}
	// A -wal left beside the old database would be replayed into the new one.
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if err := os.Remove(to + suffix); err == nil {
			res.Removed = append(res.Removed, to+suffix)
		} else if !errors.Is(err, os.ErrNotExist) {
			removeTemp(tmp)
			return res, fmt.Errorf("restore: %w", err)
		}
	}
	if err := os.Rename(tmp, to); err != nil {
		removeTemp(tmp)
		return res, fmt.Errorf("restore: %w", err)
	}
	return res, syncDir(filepath.Dir(to))
}

// quiesce refuses a database that any process has open, and folds its WAL
// into the file so that nothing is lost by removing it. The exclusive lock
// fails at once while Haven has the database open, even when idle.
func quiesce(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", sqliteFileDSN(path, "_pragma=busy_timeout(0)&_pragma=locking_mode(EXCLUSIVE)"))
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, `BEGIN EXCLUSIVE`); err != nil {
		return fmt.Errorf("restore: %s is in use (%v): stop Haven, then restore", path, err)
	}
	if _, err := db.ExecContext(ctx, `COMMIT`); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if _, err := db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return fmt.Errorf("restore: %s: %w", path, err)
	}
	return nil
}

// checkHavenFile opens a database file without changing it, runs SQLite's
// integrity check, and returns its applied migrations.
func checkHavenFile(ctx context.Context, path string) ([]string, error) {
	db, err := sql.Open("sqlite", sqliteFileDSN(path, "mode=ro&immutable=1"))
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `PRAGMA integrity_check`)
	problems, err := collectStrings(rows, err)
	if err != nil {
		return nil, fmt.Errorf("it is not a readable SQLite database (%v)", err)
	}
	if len(problems) != 1 || problems[0] != "ok" {
		if len(problems) > 3 {
			problems = problems[:3]
		}
		return nil, fmt.Errorf("it failed SQLite's integrity check: %s", strings.Join(problems, "; "))
	}
	var exists bool
	if err := db.QueryRowContext(ctx, sqliteDialect{}.tableExistsSQL(), "schema_migrations").Scan(&exists); err != nil {
		return nil, err
	}
	if !exists {
		return nil, errors.New("it is not a Haven database (it has no schema_migrations table)")
	}
	rows, err = db.QueryContext(ctx, `SELECT version FROM schema_migrations ORDER BY version`)
	return collectStrings(rows, err)
}

func collectStrings(rows *sql.Rows, err error) ([]string, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// inFolder returns path made absolute, checking that its folder exists.
func inFolder(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	dir := filepath.Dir(abs)
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return "", fmt.Errorf("the folder %s does not exist: create it first", dir)
	case err != nil:
		return "", err
	case !st.IsDir():
		return "", fmt.Errorf("%s is not a folder", dir)
	}
	return abs, nil
}

// backupTarget checks that path's folder exists and path does not.
func backupTarget(path string) (string, error) {
	abs, err := inFolder(path)
	if err != nil {
		return "", err
	}
	if _, err := os.Lstat(abs); err == nil {
		return "", fmt.Errorf("%s already exists: choose a new name, or move the old file away", path)
	}
	return abs, nil
}

func sqliteFileDSN(path, query string) string {
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + query
}

// tempBeside names a temporary file in the same folder as path, so that the
// final rename stays on one file system and is atomic.
func tempBeside(path string) string {
	return filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp-"+rand.Text()[:10])
}

func removeTemp(tmp string) {
	for _, suffix := range []string{"", "-journal", "-wal", "-shm"} {
		os.Remove(tmp + suffix)
	}
}

func sameFile(a, b string) bool {
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	if errA == nil && errB == nil {
		return os.SameFile(sa, sb)
	}
	absA, _ := filepath.Abs(a)
	absB, _ := filepath.Abs(b)
	return absA == absB
}

func copyFile(from, to string) error {
	in, err := os.Open(from) // #nosec G304 -- the operator's own backup or restore path, given on the command line, never from a request
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600) // #nosec G304 -- the operator's own backup or restore path, given on the command line, never from a request
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0) // #nosec G304 -- a file of the operator's backup or restore, never a path from a request
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir) // #nosec G304 -- the folder of the operator's backup or restore, never a path from a request
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// SQLitePath returns the file a sqlite: URL names, without its options.
func SQLitePath(dbURL string) (string, error) {
	path, _, err := parseSQLiteURL(dbURL)
	return path, err
}
