package store

import (
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver

	"haven/internal/haven"
	"haven/internal/library"
)

type postgresDialect struct{}

func (postgresDialect) name() string { return "postgres" }

func (postgresDialect) open(ctx context.Context, url string) (*sql.DB, *sql.DB, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, nil, err
	}
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(16)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, nil, err
	}
	return db, db, nil
}

func (postgresDialect) translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return haven.ErrNotFound
	}
	var e *pgconn.PgError
	if !errors.As(err, &e) {
		return err
	}
	switch e.Code {
	case "23505": // unique_violation
		return haven.ErrConflict
	case "40001", "40P01": // serialization_failure, deadlock_detected
		return haven.ErrConflict
	case "23503", "23514", "23502", "22001", "22P02", "22021": // foreign key, check, not null, too long, bad text, NUL or not UTF-8
		return haven.ErrInvalid
	case "42501": // insufficient_privilege: e.g. the audit table refuses UPDATE
		return haven.ErrForbidden
	case "53100": // disk_full
		return storageFull(err)
	case "53200", "53300", "57P01", "57P03": // out of memory, too many connections, shutdown
		return errors.Join(haven.ErrUnavailable, err)
	}
	return err
}

func (postgresDialect) migrations() fs.FS {
	sub, _ := fs.Sub(migrationFiles, "migrations/postgres")
	return sub
}

// An arbitrary constant that names Haven's migration lock.
const migrationLockKey = 0x4861_7665_6e00

func (postgresDialect) lockMigrations(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", migrationLockKey)
	return err
}

// An array rather than IN (subquery): the planner then guesses a handful of
// IDs and looks each up by index. With the subquery it guessed 100 and read
// every open enrolment instead, 16 times slower for a practitioner's tasks.
func (postgresDialect) inIDs(column, param string) string {
	return column + " = ANY(ARRAY(SELECT json_array_elements_text(CAST(" + param + " AS JSON))::bigint))"
}

func (postgresDialect) inTexts(column, param string) string {
	return column + " = ANY(ARRAY(SELECT json_array_elements_text(CAST(" + param + " AS JSON))))"
}

// An array here too: with IN (subquery), the generic plan PostgreSQL keeps
// for a prepared list query walked the people table in ID order from the
// page's start, testing each woman against the subquery, until it had a
// page: 7–13 ms for a practitioner whose women have high IDs on the national
// data set, against 0.4 ms looking up each of hers by ID.
func (postgresDialect) inSubquery(column, subquery string) string {
	return column + " = ANY(ARRAY" + subquery + ")"
}

// One aggregate over her own enrolments, by index. Written as SQLite's
// EXISTS … OR NOT EXISTS, PostgreSQL answered for a lead's Practice (500
// women) by hashing every enrolment in the country, twice: 14 ms on the
// national data set, against 2 ms this way. On SQLite this form is slower.
func (postgresDialect) openCase() string {
	return `COALESCE((SELECT MAX(CASE WHEN oe.phase <> 'closed' THEN 1 ELSE 0 END) FROM enrolments oe WHERE oe.person_id = p.id), 1) = 1`
}

// PostgreSQL's DATE is a date, and a parameter compared with it needs its type.
func (postgresDialect) day(col string) string {
	if strings.HasPrefix(col, "$") {
		return "CAST(" + col + " AS DATE)"
	}
	return col
}

func (postgresDialect) tableExistsSQL() string {
	return "SELECT EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1)"
}

func (postgresDialect) lockRow() string { return " FOR UPDATE" }

// websearch_to_tsquery reads the quoted terms of library.Query.Match as
// phrases and never fails on its input; the GIN index answers @@.
func (d postgresDialect) librarySearch() string {
	return `SELECT r.id, r.type FROM library_resources r, websearch_to_tsquery('english', $1) q
		WHERE r.search @@ q AND ` + d.inTexts("r.status", "$2") + `
		ORDER BY ts_rank(r.search, q) DESC, COALESCE(r.published_at, r.created_at) DESC, r.id DESC`
}

func (d postgresDialect) librarySnippets() string {
	return `SELECT r.id, ts_headline('english', r.summary, websearch_to_tsquery('english', $1),
			'StartSel=` + library.MarkStart + `, StopSel=` + library.MarkEnd + `, MinWords=15, MaxWords=35, MaxFragments=2, FragmentDelimiter=" … "')
		FROM library_resources r WHERE ` + d.inIDs("r.id", "$2")
}
