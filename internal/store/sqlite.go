package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"haven/internal/haven"
	"haven/internal/library"
)

type sqliteDialect struct{}

func (sqliteDialect) name() string { return "sqlite" }

// Pragmas go in the DSN so that every pooled connection gets them.
const sqlitePragmas = "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)" +
	"&_pragma=cache_size(-32000)&_pragma=temp_store(memory)&_time_format=sqlite"

// walBackstop is where the writer checkpoints for itself, should checkpointWAL
// fall behind: ten times SQLite's default of 1,000 pages.
const walBackstop = "&_pragma=wal_autocheckpoint(10000)"

// checkpointEvery is how often checkpointWAL copies the log into the database.
const checkpointEvery = 250 * time.Millisecond

// checkpointWAL copies committed pages from the write-ahead log into the
// database file in the background. Left to SQLite, the commit that crosses
// 1,000 pages does it, and every page view waiting for its audit row waits
// for that copy and its fsync too. A PASSIVE checkpoint takes no writer's
// lock, so commits carry on while it runs; it stops when the store closes.
func (db *DB) checkpointWAL() {
	defer close(db.walDone)
	tick := time.NewTicker(checkpointEvery)
	defer tick.Stop()
	for {
		select {
		case <-db.audits.stop:
			return
		case <-tick.C:
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			start := time.Now()
			// A failure (a full disk, say) is left to the writer's own backstop.
			var busy, walPages, copied int
			err := db.read.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &walPages, &copied)
			cancel()
			db.logSlowCheckpoint(time.Since(start), err, walPages, copied)
		}
	}
}

// slowCheckpoint is how long a checkpoint may take before it is logged. Its
// fsync may hold up the commits' own on the same disk, and every page view
// waits for a commit: the log lets a stall of every page be matched to one.
const slowCheckpoint = 100 * time.Millisecond

// stalledCheckpoint is how long a checkpoint may take before its log line is
// a warning: long enough that people will have waited.
const stalledCheckpoint = time.Second

func (db *DB) logSlowCheckpoint(took time.Duration, err error, walPages, copied int) {
	l := db.storage.log.Load()
	if l == nil || took < time.Duration(db.logCheckpointsOver.Load()) {
		return
	}
	// A tenth of a second is worth finding when matching a stall, not worth
	// anyone's attention; a second or a failure is.
	level := slog.LevelInfo
	if took >= stalledCheckpoint || err != nil {
		level = slog.LevelWarn
	}
	l.Log(context.Background(), level, "slow checkpoint: commits may have waited for the disk meanwhile", "event", "slow_checkpoint", "took_ms", took.Milliseconds(),
		"wal_pages", walPages, "copied_pages", copied, "ok", err == nil)
}

// parseSQLiteURL reads "sqlite:PATH", optionally with "?max_page_count=N":
// the operator's quota on how far the database may grow, in pages (4 KiB each).
func parseSQLiteURL(dbURL string) (path string, maxPages int64, err error) {
	path, query, _ := strings.Cut(strings.TrimPrefix(dbURL, "sqlite:"), "?")
	if path == "" {
		return "", 0, errors.New("store: sqlite: empty path")
	}
	if query == "" {
		return path, 0, nil
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		return "", 0, fmt.Errorf("store: sqlite: bad options %q: %w", query, err)
	}
	for k := range q {
		if k != "max_page_count" {
			return "", 0, fmt.Errorf("store: sqlite: unknown option %q (only max_page_count is understood)", k)
		}
	}
	maxPages, err = strconv.ParseInt(q.Get("max_page_count"), 10, 64)
	if err != nil || maxPages < 1 {
		return "", 0, fmt.Errorf("store: sqlite: max_page_count must be a whole number of pages above 0")
	}
	return path, maxPages, nil
}

func (sqliteDialect) open(ctx context.Context, dbURL string) (*sql.DB, *sql.DB, error) {
	path, maxPages, err := parseSQLiteURL(dbURL)
	if err != nil {
		return nil, nil, err
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, nil, err
		}
	}
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?"
	quota := ""
	if maxPages > 0 { // per connection, so only the writer needs it
		quota = "&_pragma=max_page_count(" + strconv.FormatInt(maxPages, 10) + ")"
	}
	write, err := sql.Open("sqlite", dsn+"_pragma=journal_mode(WAL)&"+sqlitePragmas+walBackstop+quota+"&_txlock=immediate")
	if err != nil {
		return nil, nil, err
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	write.SetConnMaxIdleTime(0)
	// The writer connects first so the database file exists and is in WAL mode
	// before any reader opens it.
	if err := write.PingContext(ctx); err != nil {
		write.Close()
		return nil, nil, err
	}
	read, err := sql.Open("sqlite", dsn+sqlitePragmas+"&_pragma=query_only(1)")
	if err != nil {
		write.Close()
		return nil, nil, err
	}
	n := max(4, runtime.NumCPU()*2)
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	read.SetConnMaxIdleTime(0)
	return write, read, nil
}

func (sqliteDialect) translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return haven.ErrNotFound
	}
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return err
	}
	switch e.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return haven.ErrConflict
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY, sqlite3.SQLITE_CONSTRAINT_CHECK, sqlite3.SQLITE_CONSTRAINT_NOTNULL:
		return haven.ErrInvalid
	case sqlite3.SQLITE_CONSTRAINT_TRIGGER:
		return haven.ErrForbidden
	case sqlite3.SQLITE_IOERR, sqlite3.SQLITE_BUSY, sqlite3.SQLITE_READONLY:
		return errors.Join(haven.ErrUnavailable, err)
	}
	if e.Code()&0xff == sqlite3.SQLITE_FULL { // the disk or max_page_count
		return storageFull(err)
	}
	return err
}

// watchWrites calls seen for every row a statement on conn inserts, updates
// or deletes, until stop is called. Read-only mode uses it to let through
// only what the audit trail and signing in need.
func (sqliteDialect) watchWrites(conn *sql.Conn, seen func(table string, op writeOp)) (stop func(), err error) {
	register := func(fn sqlite.PreUpdateHookFn) error {
		return conn.Raw(func(dc any) error {
			h, ok := dc.(sqlite.HookRegisterer)
			if !ok {
				return errors.New("store: sqlite: the driver offers no write hook")
			}
			h.RegisterPreUpdateHook(fn)
			return nil
		})
	}
	err = register(func(d sqlite.SQLitePreUpdateData) {
		op := opUpdate
		switch d.Op {
		case sqlite3.SQLITE_INSERT:
			op = opInsert
		case sqlite3.SQLITE_DELETE:
			op = opDelete
		}
		seen(d.TableName, op)
	})
	if err != nil {
		return nil, err
	}
	return func() { register(nil) }, nil
}

func (sqliteDialect) migrations() fs.FS {
	sub, _ := fs.Sub(migrationFiles, "migrations/sqlite")
	return sub
}

// The write pool opens transactions with BEGIN IMMEDIATE, which already excludes other writers.
func (sqliteDialect) lockMigrations(context.Context, *sql.Tx) error { return nil }

func (sqliteDialect) inIDs(column, param string) string {
	return column + " IN (SELECT value FROM json_each(" + param + "))"
}

func (sqliteDialect) inTexts(column, param string) string {
	return column + " IN (SELECT value FROM json_each(" + param + "))"
}

func (sqliteDialect) inSubquery(column, subquery string) string {
	return column + " IN " + subquery
}

// The first test is word for word the WHERE clause of the partial index
// enrolments_open (migration 0022), and the second is answered from
// enrolments_person: neither reads an enrolment row.
func (sqliteDialect) openCase() string {
	return `(EXISTS (SELECT 1 FROM enrolments oe WHERE oe.person_id = p.id AND oe.phase <> 'closed')
	OR NOT EXISTS (SELECT 1 FROM enrolments oe WHERE oe.person_id = p.id))`
}

// The first ten characters are the date in either form, and cheaper than date().
func (sqliteDialect) day(col string) string { return "substr(" + col + ", 1, 10)" }

func (sqliteDialect) tableExistsSQL() string {
	return "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $1)"
}

// SQLite has one writer at a time, so the chain's tail cannot move under us.
// SQLite's writer already holds the whole database for its transaction.
func (sqliteDialect) lockRow() string { return "" }

// FTS5 with the Porter stemmer (migration 0041); bm25 weighs a match in
// the title above one in the summary, and newer resources break ties.
func (d sqliteDialect) librarySearch() string {
	return `SELECT r.id, r.type FROM library_fts f JOIN library_resources r ON r.id = f.rowid
		WHERE library_fts MATCH $1 AND ` + d.inTexts("r.status", "$2") + `
		ORDER BY bm25(library_fts, 10.0, 4.0, 1.0, 1.0), COALESCE(r.published_at, r.created_at) DESC, r.id DESC`
}

func (d sqliteDialect) librarySnippets() string {
	return `SELECT f.rowid, snippet(library_fts, 1, '` + library.MarkStart + `', '` + library.MarkEnd + `', '…', 32)
		FROM library_fts f WHERE library_fts MATCH $1 AND ` + d.inIDs("f.rowid", "$2")
}
