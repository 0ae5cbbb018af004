package store

import (
	"context"
	"database/sql"
	"time"
)

// SetStorageRetry shortens the wait between attempts to leave read-only mode.
func (db *DB) SetStorageRetry(d time.Duration) {
	db.storage.mu.Lock()
	db.storage.retry = d
	db.storage.nextTry = time.Time{}
	db.storage.mu.Unlock()
}

// ExecInTx runs one statement through inTx, as every store write does.
func (db *DB) ExecInTx(ctx context.Context, query string, args ...any) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, query, args...)
		return err
	})
}

// Translate is the dialect's driver-error translation.
func (db *DB) Translate(err error) error { return db.dialect.translate(err) }

var (
	TranslateSQLite   = sqliteDialect{}.translate
	TranslatePostgres = postgresDialect{}.translate
)

// LogCheckpoint logs a checkpoint that took took, as the checkpointer does.
func (db *DB) LogCheckpoint(took time.Duration, err error) { db.logSlowCheckpoint(took, err, 10, 10) }
