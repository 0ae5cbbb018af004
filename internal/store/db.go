// Package store keeps Haven's data in SQLite or PostgreSQL through database/sql.
// SQL is written once in PostgreSQL's $n form, which both drivers accept; what
// differs between the databases lives in sqlite.go and postgres.go.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"haven/internal/haven"
)

// DB is Haven's database. Writes go through one pool and reads through
// another; on SQLite the write pool has a single connection.
type DB struct {
	write     *sql.DB
	read      *readPool
	dialect   dialect
	now       func() time.Time
	storage   storageState
	audits    auditQueue
	closeOnce sync.Once
	walDone   chan struct{} // closed when SQLite's checkpointer has stopped (sqlite.go)
	// logCheckpointsOver is the duration, in nanoseconds, above which a
	// checkpoint is logged: slowCheckpoint, or lower in tests (sqlite.go).
	logCheckpointsOver atomic.Int64
	lock               *os.File // SQLite: the shared lock that keeps a restore out (filelock.go)
	dir                dirCache // the directory's snapshot (directory_cache.go)

	auditStmts struct { // prepared once on SQLite's write connection (audit.go)
		sync.Mutex
		stmts [3]*sql.Stmt // by index into auditSQL
	}
}

// Open connects to url: "sqlite:PATH" or a "postgres://" URL. It does not migrate.
func Open(ctx context.Context, url string) (*DB, error) {
	var d dialect
	switch {
	case strings.HasPrefix(url, "sqlite:"):
		d = sqliteDialect{}
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		d = postgresDialect{}
	default:
		return nil, fmt.Errorf("store: unsupported database URL (want sqlite:PATH or postgres://...)")
	}
	var lock *os.File
	if d.name() == "sqlite" {
		path, _, err := parseSQLiteURL(url)
		if err != nil {
			return nil, err
		}
		if lock, err = lockDatabase(path, false); errors.Is(err, errDatabaseLocked) {
			return nil, fmt.Errorf("store: %s is being restored: start Haven again when the restore has finished", path)
		} else if err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
	}
	write, read, err := d.open(ctx, url)
	if err != nil {
		if lock != nil {
			lock.Close()
		}
		return nil, err
	}
	// pgx caches prepared statements itself; SQLite's driver does not.
	db := &DB{write: write, read: newReadPool(read, d.name() == "sqlite"), dialect: d, now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
		audits: newAuditQueue(), lock: lock}
	go db.commitAudits()
	if d.name() == "sqlite" {
		db.logCheckpointsOver.Store(int64(slowCheckpoint))
		db.walDone = make(chan struct{})
		go db.checkpointWAL() // #nosec G118 -- the checkpointer lives as long as the DB, not Open's ctx: Close stops it, and each checkpoint has its own 10 s timeout
	}
	return db, nil
}

// Close finishes the audit rows already queued, then closes both pools.
func (db *DB) Close() error {
	db.closeOnce.Do(func() { close(db.audits.stop) })
	<-db.audits.stopped
	if db.walDone != nil {
		<-db.walDone
	}
	db.auditStmts.Lock()
	for _, st := range db.auditStmts.stmts {
		if st != nil {
			st.Close()
		}
	}
	db.auditStmts.stmts = [3]*sql.Stmt{}
	db.auditStmts.Unlock()
	err := db.write.Close()
	if db.read.DB != db.write {
		err = errors.Join(err, db.read.Close())
	}
	if db.lock != nil {
		db.lock.Close() // a second Close finds it closed already
	}
	return err
}

// Optimize gives SQLite's query planner statistics for tables that have none
// or have changed a lot. Without them it guesses, and on national data some
// guesses start from every open referral in the country rather than from a
// practitioner's own women. analysis_limit keeps it to a moment at startup.
// PostgreSQL keeps its own statistics (autovacuum; ANALYZE after bulk loads).
func (db *DB) Optimize(ctx context.Context) error {
	if db.dialect.name() != "sqlite" {
		return nil
	}
	for _, q := range []string{"PRAGMA analysis_limit = 400", "PRAGMA optimize = 0x10002"} {
		if _, err := db.write.ExecContext(ctx, q); err != nil {
			return db.dialect.translate(err)
		}
	}
	return nil
}

// Dialect names the database: "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.dialect.name() }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	return db.dialect.translate(db.read.PingContext(ctx))
}

// SetClock replaces the clock; tests use it to make timestamps deterministic.
// Times are kept to the microsecond, PostgreSQL's precision, so both databases agree.
func (db *DB) SetClock(now func() time.Time) {
	db.now = func() time.Time { return now().UTC().Truncate(time.Microsecond) }
}

// runTx runs fn in a write transaction, commits if it returns nil, and turns
// driver errors into Haven's kinds. Callers use inTx (storage.go), which adds
// what happens when storage is full.
func (db *DB) runTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return db.dialect.translate(err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return db.dialect.translate(err)
	}
	return db.dialect.translate(tx.Commit())
}

// queryer is what both *sql.DB and *sql.Tx offer.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// checkVersioned turns an UPDATE ... WHERE id = $ AND version = $ that changed
// nothing into not found or conflict, so a stale edit never overwrites silently.
func checkVersioned(ctx context.Context, q queryer, res sql.Result, table string, id int64) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 1 {
		return nil
	}
	var exists bool
	// table is always a constant from this package, never user input.
	err = q.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM "+table+" WHERE id = $1)", id).Scan(&exists)
	if err != nil {
		return err
	}
	if !exists {
		return haven.ErrNotFound
	}
	return haven.ErrConflict
}

// checkHerVersioned is checkVersioned for a row of one person's record, for
// an update scoped by person_id as well as id: a row of someone else's is
// not found, exactly as a row that does not exist, never a conflict that
// would tell the caller it exists (issue 16 item 5).
func checkHerVersioned(ctx context.Context, q queryer, res sql.Result, table string, id, personID int64) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 1 {
		return nil
	}
	var exists bool
	// table is always a constant from this package, never user input.
	err = q.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM "+table+" WHERE id = $1 AND person_id = $2)", id, personID).Scan(&exists)
	if err != nil {
		return err
	}
	if !exists {
		return haven.ErrNotFound
	}
	return haven.ErrConflict
}

// Page asks for up to Limit rows after the row with ID After (keyset paging).
type Page struct {
	After int64
	Limit int
}

func (p Page) limit() int {
	switch {
	case p.Limit <= 0:
		return 50
	case p.Limit > 500:
		return 500
	}
	return p.Limit
}

// collect reads every row with scan, closes the rows, and turns driver errors
// into Haven's kinds: the one loop every list query shares.
func collect[T any](db *DB, rows *sql.Rows, err error, scan func(*sql.Rows) (T, error)) ([]T, error) {
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, db.dialect.translate(rows.Err())
}
