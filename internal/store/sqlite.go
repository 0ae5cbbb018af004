package store

import (
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"haven/internal/haven"
)

type sqliteDialect struct{}

func (sqliteDialect) name() string { return "sqlite" }

// Pragmas go in the DSN so that every pooled connection gets them.
const sqlitePragmas = "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)" +
	"&_pragma=cache_size(-32000)&_pragma=temp_store(memory)&_time_format=sqlite"

func (sqliteDialect) open(ctx context.Context, dbURL string) (*sql.DB, *sql.DB, error) {
	path := strings.TrimPrefix(dbURL, "sqlite:")
	if path == "" {
		return nil, nil, errors.New("store: sqlite: empty path")
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, nil, err
		}
	}
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?"
	write, err := sql.Open("sqlite", dsn+"_pragma=journal_mode(WAL)&"+sqlitePragmas+"&_txlock=immediate")
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
	case sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_BUSY, sqlite3.SQLITE_READONLY:
		return errors.Join(haven.ErrUnavailable, err)
	}
	if e.Code()&0xff == sqlite3.SQLITE_FULL {
		return errors.Join(haven.ErrUnavailable, err)
	}
	return err
}

func (sqliteDialect) migrations() fs.FS {
	sub, _ := fs.Sub(migrationFiles, "migrations/sqlite")
	return sub
}

// The write pool opens transactions with BEGIN IMMEDIATE, which already excludes other writers.
func (sqliteDialect) lockMigrations(context.Context, *sql.Tx) error { return nil }

func (sqliteDialect) tableExistsSQL() string {
	return "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $1)"
}

// SQLite has one writer at a time, so the chain's tail cannot move under us.
func (sqliteDialect) lockAudit(context.Context, *sql.Tx) error { return nil }
