package store

// Storage full (R3). When SQLite cannot grow, because the disk is full or the
// operator's max_page_count quota is reached, Haven keeps reading. The store
// gives up a small reserve of pages kept for this moment, refuses changes to
// records, and lets through only what the audit trail and signing in need, so
// "no audit row, no data" still holds. Now and then it tries to take the
// reserve back with as much room again to spare; once it can, writes resume
// without a restart. PostgreSQL has no reserve: its disk-full error is
// reported as storage full and the operator frees space.

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"haven/internal/haven"
)

// ErrStorageFull marks an error as the database having no room to grow.
// Such errors are also of kind haven.ErrUnavailable: try again later.
var ErrStorageFull = errors.New("store: storage full")

var errFullKind = &haven.Error{Kind: haven.KindUnavailable,
	Message: "Haven cannot save changes at the moment because its storage is full. Nothing was saved. Try again later."}

func storageFull(cause error) error { return errors.Join(errFullKind, ErrStorageFull, cause) }

var errReadOnly = storageFull(errors.New("store: changes to records are paused until storage is freed"))

const (
	reserveRows     = 16
	reserveRowBytes = 64 << 10 // 16 rows of 64 KiB: 1 MiB, a few thousand audit rows
	retryEvery      = 2 * time.Second
)

// storageState is the store's read-only mode.
type storageState struct {
	mu       sync.Mutex // serialises entering and leaving read-only mode
	ready    atomic.Bool
	readOnly atomic.Bool
	nextTry  time.Time     // under mu
	retry    time.Duration // under mu; 0 means retryEvery
	log      atomic.Pointer[slog.Logger]
}

type writeOp int

const (
	opInsert writeOp = iota + 1
	opUpdate
	opDelete
)

// writeWatcher is what read-only mode needs from a database: a way to see
// which tables a transaction changes. Only SQLite has it.
type writeWatcher interface {
	watchWrites(conn *sql.Conn, seen func(table string, op writeOp)) (stop func(), err error)
}

// allowedWhileFull is what may still be written when storage is full: audit
// rows, so that records can still be read, and what signing in and staying
// signed in change. Everything else is a change to a record, and waits.
func allowedWhileFull(table string, op writeOp) bool {
	switch table {
	case "audit_events":
		return op == opInsert
	case "audit_tail": // the chain's last hash, moved on with each audit row
		return op == opUpdate
	case "sessions":
		return true
	case "users", "recovery_codes": // TOTP step, failed sign-ins, spent recovery codes
		return op == opUpdate
	}
	return false
}

// SetLogger gives the store somewhere to report event=storage_full,
// event=storage_recovered and event=slow_checkpoint. Without one it reports
// nothing.
func (db *DB) SetLogger(l *slog.Logger) { db.storage.log.Store(l) }

// StorageFull reports whether the store is refusing changes for want of space.
func (db *DB) StorageFull() bool { return db.storage.readOnly.Load() }

// inTx runs fn in a write transaction, commits if it returns nil, and turns
// driver errors into Haven's kinds. When storage is full it lets through only
// what allowedWhileFull names; anything else fails with ErrStorageFull.
func (db *DB) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if !db.storage.ready.Load() {
		db.prepareStorage(ctx)
	}
	if db.storage.readOnly.Load() && !db.tryRecover(ctx) {
		return db.readOnlyTx(ctx, fn)
	}
	err := db.runTx(ctx, fn)
	if errors.Is(err, ErrStorageFull) && db.enterReadOnly(ctx) {
		// The reserve is free now: an audit row fits; a change to a record is refused.
		return db.readOnlyTx(ctx, fn)
	}
	return err
}

// prepareStorage checks once after Open that the reserve is in place, and
// puts it back if a previous run stopped while storage was full.
func (db *DB) prepareStorage(ctx context.Context) {
	db.storage.mu.Lock()
	defer db.storage.mu.Unlock()
	if db.storage.ready.Load() {
		return
	}
	if _, ok := db.dialect.(writeWatcher); !ok {
		db.storage.ready.Store(true)
		return
	}
	var exists bool
	err := db.write.QueryRowContext(ctx, db.dialect.tableExistsSQL(), "storage_reserve").Scan(&exists)
	if err != nil || !exists {
		return // not migrated yet: look again on the next write
	}
	var n int
	if err := db.write.QueryRowContext(ctx, `SELECT COUNT(*) FROM storage_reserve`).Scan(&n); err != nil {
		return
	}
	db.storage.ready.Store(true)
	if n >= reserveRows {
		return
	}
	if err := db.fillReserve(ctx, false); errors.Is(db.dialect.translate(err), ErrStorageFull) {
		db.readOnlyLocked(ctx)
	}
}

// enterReadOnly releases the reserve and starts refusing changes to records.
// It reports whether read-only mode is in force (false where there is none).
func (db *DB) enterReadOnly(ctx context.Context) bool {
	if _, ok := db.dialect.(writeWatcher); !ok || !db.storage.ready.Load() {
		return false
	}
	db.storage.mu.Lock()
	defer db.storage.mu.Unlock()
	db.readOnlyLocked(ctx)
	return true
}

func (db *DB) readOnlyLocked(ctx context.Context) {
	if db.storage.readOnly.Load() {
		return
	}
	// Deleted rows' pages go to the free list, where audit rows can use them.
	_, err := db.write.ExecContext(ctx, `DELETE FROM storage_reserve`)
	db.storage.readOnly.Store(true)
	db.storage.nextTry = time.Now().Add(db.retryInterval())
	if l := db.storage.log.Load(); l != nil {
		l.Error("storage full: changes are refused until space is freed; reading continues",
			"event", "storage_full", "database", db.Dialect(), "reserve_released", err == nil)
	}
}

// tryRecover takes the reserve back if the retry interval has passed and
// there is room for it twice over, and if so ends read-only mode.
func (db *DB) tryRecover(ctx context.Context) bool {
	db.storage.mu.Lock()
	defer db.storage.mu.Unlock()
	if !db.storage.readOnly.Load() {
		return true
	}
	now := time.Now()
	if now.Before(db.storage.nextTry) {
		return false
	}
	db.storage.nextTry = now.Add(db.retryInterval())
	if err := db.fillReserve(ctx, true); err != nil {
		return false
	}
	db.storage.readOnly.Store(false)
	if l := db.storage.log.Load(); l != nil {
		l.Info("storage recovered: changes are accepted again", "event", "storage_recovered", "database", db.Dialect())
	}
	return true
}

func (db *DB) retryInterval() time.Duration {
	if db.storage.retry > 0 {
		return db.storage.retry
	}
	return retryEvery
}

// fillReserve writes the reserve rows that are missing. With probe it also
// writes as much again and deletes it in the same transaction, so success
// proves there is room for the reserve and for that much more.
func (db *DB) fillReserve(ctx context.Context, probe bool) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	filler := make([]byte, reserveRowBytes)
	last := reserveRows
	if probe {
		last = 2 * reserveRows
	}
	for id := 1; id <= last; id++ {
		if _, err := tx.ExecContext(ctx, `INSERT INTO storage_reserve (id, filler) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING`, id, filler); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM storage_reserve WHERE id > $1`, reserveRows); err != nil {
		return err
	}
	return tx.Commit()
}

// readOnlyTx runs fn in a transaction that is rolled back if it changes
// anything allowedWhileFull does not name.
func (db *DB) readOnlyTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return db.dialect.translate(err)
	}
	defer conn.Close()
	refused := false
	stop, err := db.dialect.(writeWatcher).watchWrites(conn, func(table string, op writeOp) {
		refused = refused || !allowedWhileFull(table, op)
	})
	if err != nil {
		return err
	}
	defer stop()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return db.dialect.translate(err)
	}
	defer tx.Rollback()
	err = fn(tx)
	if refused {
		return errReadOnly
	}
	if err != nil {
		return db.dialect.translate(err)
	}
	return db.dialect.translate(tx.Commit())
}
