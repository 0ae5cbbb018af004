package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"strings"
)

//go:embed migrations
var migrationFiles embed.FS

// Migration is one numbered schema change, e.g. version "0002" from 0002_local_authorities.sql.
type Migration struct {
	Version string
	Name    string
}

// Migrations lists the embedded migrations for this database, oldest first.
func (db *DB) Migrations() ([]Migration, error) { return listMigrations(db.dialect.migrations()) }

func listMigrations(fsys fs.FS) ([]Migration, error) {
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	out := make([]Migration, 0, len(names))
	for _, n := range names {
		v, _, ok := strings.Cut(n, "_")
		if !ok || len(v) != 4 {
			return nil, fmt.Errorf("store: migration %q is not named NNNN_name.sql", n)
		}
		out = append(out, Migration{Version: v, Name: n})
	}
	return out, nil
}

// SchemaStatus says how the database's schema compares with this binary's.
type SchemaStatus struct {
	Pending []string // versions this binary has and the database lacks
	Unknown []string // versions the database has and this binary does not know: it is newer
}

// Empty reports whether the database has never been migrated.
func (s SchemaStatus) Empty(total int) bool { return len(s.Pending) == total && len(s.Unknown) == 0 }

const createMigrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
    version    TEXT PRIMARY KEY,
    applied_at TIMESTAMP NOT NULL
)`

func (db *DB) appliedVersions(ctx context.Context, q queryer) (map[string]bool, error) {
	applied := map[string]bool{}
	var exists bool
	err := q.QueryRowContext(ctx, db.dialect.tableExistsSQL(), "schema_migrations").Scan(&exists)
	if err != nil || !exists {
		return applied, err
	}
	rows, err := q.QueryContext(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		applied[v] = true
	}
	return applied, rows.Err()
}

// Status compares the database's applied migrations with the embedded ones.
func (db *DB) Status(ctx context.Context) (SchemaStatus, error) {
	var st SchemaStatus
	all, err := db.Migrations()
	if err != nil {
		return st, err
	}
	applied, err := db.appliedVersions(ctx, db.write)
	if err != nil {
		return st, db.dialect.translate(err)
	}
	known := map[string]bool{}
	for _, m := range all {
		known[m.Version] = true
		if !applied[m.Version] {
			st.Pending = append(st.Pending, m.Version)
		}
	}
	for v := range applied {
		if !known[v] {
			st.Unknown = append(st.Unknown, v)
		}
	}
	slices.Sort(st.Unknown)
	return st, nil
}

// Migrate applies every pending migration, each in its own transaction, and
// returns the versions it applied. It refuses a database newer than the binary.
func (db *DB) Migrate(ctx context.Context) ([]string, error) { return db.migrate(ctx, "") }

// migrate applies pending migrations up to and including version upTo, or
// all of them when upTo is "" (tests start from an older schema this way).
func (db *DB) migrate(ctx context.Context, upTo string) ([]string, error) {
	all, err := db.Migrations()
	if err != nil {
		return nil, err
	}
	if _, err := db.write.ExecContext(ctx, createMigrationsTable); err != nil {
		return nil, db.dialect.translate(err)
	}
	st, err := db.Status(ctx)
	if err != nil {
		return nil, err
	}
	if len(st.Unknown) > 0 {
		return nil, fmt.Errorf("store: the database has migrations this binary does not know (%s): use a newer Haven", strings.Join(st.Unknown, ", "))
	}
	var done []string
	for _, m := range all {
		if upTo != "" && m.Version > upTo {
			break
		}
		if !slices.Contains(st.Pending, m.Version) {
			continue
		}
		body, err := fs.ReadFile(db.dialect.migrations(), m.Name)
		if err != nil {
			return done, err
		}
		err = db.inTx(ctx, func(tx *sql.Tx) error {
			if err := db.dialect.lockMigrations(ctx, tx); err != nil {
				return err
			}
			// Another instance may have applied it while we waited for the lock.
			applied, err := db.appliedVersions(ctx, tx)
			if err != nil || applied[m.Version] {
				return err
			}
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return fmt.Errorf("migration %s: %w", m.Name, err)
			}
			_, err = tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)", m.Version, db.now())
			return err
		})
		if err != nil {
			return done, err
		}
		done = append(done, m.Version)
	}
	return done, db.Optimize(ctx)
}
