package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	_ "modernc.org/sqlite"
)

// snapshotDB copies the database and its WAL (not the shared-memory index,
// which SQLite rebuilds) into dir, so the checks see exactly what a crash
// left on disk and the server's own restart still recovers the original.
func snapshotDB(db, dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	dst := filepath.Join(dir, filepath.Base(db))
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(dst + suffix)
	}
	for _, suffix := range []string{"", "-wal"} {
		if err := copyFile(db+suffix, dst+suffix); err != nil && !(suffix != "" && os.IsNotExist(err)) {
			return "", err
		}
	}
	return dst, nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src) // #nosec G304 -- a file of the harness's own temporary folder
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst) // #nosec G304 -- a file of the harness's own temporary folder
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func openSQLite(path string) (*sql.DB, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

// integrity runs PRAGMA integrity_check and foreign_key_check; it returns
// what is wrong, or nothing.
func integrity(ctx context.Context, db *sql.DB) ([]string, error) {
	var problems []string
	rows, err := db.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return nil, err
		}
		if s != "ok" {
			problems = append(problems, "integrity_check: "+s)
		}
	}
	rows.Close()
	rows, err = db.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var table, parent string
		var rowid, fkid sql.NullInt64
		if err := rows.Scan(&table, &rowid, &parent, &fkid); err != nil {
			return nil, err
		}
		problems = append(problems, fmt.Sprintf("foreign_key_check: %s row %d refers to a missing %s", table, rowid.Int64, parent))
	}
	return problems, rows.Err()
}

// atomicityChecks are the rules that hold only if every multi-row change
// was applied whole: each change to a record writes its rows and exactly
// one audit row in one transaction, and each update bumps the version once.
// Each query returns a label and the two numbers that must be equal.
var atomicityChecks = []struct{ name, query string }{
	{"sessions and corrections = audited session creates and updates", `
		SELECT p.ref,
			(SELECT count(*) FROM support_sessions s WHERE s.person_id = p.id)
			+ (SELECT count(*) FROM session_corrections c JOIN support_sessions s ON s.id = c.session_id WHERE s.person_id = p.id),
			(SELECT count(*) FROM audit_events a WHERE a.record_type = 'person' AND a.record_id = CAST(p.id AS TEXT)
				AND a.section = 'session' AND a.action IN ('create', 'update'))
		FROM people p`},
	{"goals and reviews = audited plan creates and updates", `
		SELECT p.ref,
			(SELECT count(*) FROM goals g WHERE g.person_id = p.id)
			+ (SELECT count(*) FROM goal_reviews r JOIN goals g ON g.id = r.goal_id WHERE g.person_id = p.id),
			(SELECT count(*) FROM audit_events a WHERE a.record_type = 'person' AND a.record_id = CAST(p.id AS TEXT)
				AND (a.section = 'plan' OR a.section LIKE 'plan:%') AND a.action IN ('create', 'update'))
		FROM people p`},
	{"person version - 1 = audited detail, allocation and transfer updates", `
		SELECT p.ref, p.version - 1,
			(SELECT count(*) FROM audit_events a WHERE a.record_type = 'person' AND a.record_id = CAST(p.id AS TEXT)
				AND a.section IN ('details', 'allocation', 'transfer-accepted') AND a.action = 'update')
		FROM people p`},
	{"session version = 1 + its corrections", `
		SELECT 'session ' || s.id, s.version, 1 + (SELECT count(*) FROM session_corrections c WHERE c.session_id = s.id)
		FROM support_sessions s`},
	{"goal version = 1 + its reviews", `
		SELECT 'goal ' || g.id, g.version, 1 + (SELECT count(*) FROM goal_reviews r WHERE r.goal_id = g.id)
		FROM goals g`},
}

// atomicity returns every record for which a rule does not hold.
func atomicity(ctx context.Context, db *sql.DB) ([]string, error) {
	var problems []string
	for _, c := range atomicityChecks {
		rows, err := db.QueryContext(ctx, c.query)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.name, err)
		}
		for rows.Next() {
			var what string
			var got, want int64
			if err := rows.Scan(&what, &got, &want); err != nil {
				rows.Close()
				return nil, err
			}
			if got != want {
				problems = append(problems, fmt.Sprintf("%s: %s has %d, audit says %d", c.name, what, got, want))
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return problems, nil
}

// stored is a row as the ledger sees it: who it belongs to, its version and its payload hash.
type stored struct {
	person  string
	version int64
	hash    string
	text    string // the note or goal words, which carry the request marker
}

// storedRows loads every session, goal and person, keyed by kind and ID (persons by ref).
func storedRows(ctx context.Context, db *sql.DB) (map[string]map[string]stored, error) {
	out := map[string]map[string]stored{"session": {}, "goal": {}, "person": {}}
	rows, err := db.QueryContext(ctx, `SELECT s.id, p.ref, s.version, CAST(s.on_date AS TEXT), s.kind, s.minutes, s.initiated_by,
		s.note, COALESCE(s.practical_help, ''), COALESCE(s.agencies, '')
		FROM support_sessions s JOIN people p ON p.id = s.person_id`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id, version int64
		var ref, on, kind, by, note, help, agencies string
		var minutes int
		if err := rows.Scan(&id, &ref, &version, &on, &kind, &minutes, &by, &note, &help, &agencies); err != nil {
			rows.Close()
			return nil, err
		}
		h := sessionInput{Date: on, Type: kind, Minutes: minutes, InitiatedBy: by, Note: note, PracticalHelp: help, Agencies: agencies}.hash()
		out["session"][strconv.FormatInt(id, 10)] = stored{ref, version, h, note}
	}
	rows.Close()
	rows, err = db.QueryContext(ctx, `SELECT g.id, p.ref, g.version, g.domain, g.words, COALESCE(g.steps, '')
		FROM goals g JOIN people p ON p.id = g.person_id`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id, version int64
		var ref, domain, words, steps string
		if err := rows.Scan(&id, &ref, &version, &domain, &words, &steps); err != nil {
			rows.Close()
			return nil, err
		}
		out["goal"][strconv.FormatInt(id, 10)] = stored{ref, version, goalInput{domain, words, steps}.hash(), words}
	}
	rows.Close()
	rows, err = db.QueryContext(ctx, `SELECT ref, version, first_name, last_name, COALESCE(preferred_name, ''), COALESCE(pronouns, ''),
		COALESCE(CAST(date_of_birth AS TEXT), ''), COALESCE(la_code, ''), care_experienced, address_confidential, COALESCE(communication_needs, '')
		FROM people`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var ref, first, last, preferred, pronouns, dob, la, needs, care string
		var version int64
		var confidential bool
		if err := rows.Scan(&ref, &version, &first, &last, &preferred, &pronouns, &dob, &la, &care, &confidential, &needs); err != nil {
			return nil, err
		}
		h := payloadHash(first, last, preferred, pronouns, dob, la, care, strconv.FormatBool(confidential), needs)
		out["person"][ref] = stored{ref, version, h, needs}
	}
	return out, rows.Err()
}

// reconcile checks every acknowledged create against the stored rows: it
// must be there, belong to the same person and hash the same. Updates are
// checked by the caller, which knows what was in flight.
func reconcile(entries []ledgerEntry, rows map[string]map[string]stored) (checked int, problems []string) {
	for _, e := range entries {
		if e.Kind == "person" {
			continue
		}
		checked++
		got, ok := rows[e.Kind][strconv.FormatInt(e.RecordID, 10)]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("LOST: %s %d (request %s, acknowledged %s) is not in the database", e.Kind, e.RecordID, e.ReqID, e.At.Format("15:04:05.000")))
		case got.person != e.Person || got.hash != e.SHA256:
			problems = append(problems, fmt.Sprintf("CHANGED: %s %d (request %s) differs from what was acknowledged", e.Kind, e.RecordID, e.ReqID))
		case got.version != e.Version:
			problems = append(problems, fmt.Sprintf("CHANGED: %s %d (request %s) is at version %d, acknowledged %d", e.Kind, e.RecordID, e.ReqID, got.version, e.Version))
		}
	}
	return checked, problems
}

// checkDB runs every check on a snapshot of a database: integrity, foreign
// keys and atomicity. It returns the snapshot's rows for reconciling.
func checkDB(ctx context.Context, dbPath, scratch string) (map[string]map[string]stored, []string, error) {
	snap, err := snapshotDB(dbPath, scratch)
	if err != nil {
		return nil, nil, err
	}
	db, err := openSQLite(snap)
	if err != nil {
		return nil, nil, err
	}
	defer db.Close()
	problems, err := integrity(ctx, db)
	if err != nil {
		return nil, nil, fmt.Errorf("integrity check: %w", err)
	}
	more, err := atomicity(ctx, db)
	if err != nil {
		return nil, nil, err
	}
	problems = append(problems, more...)
	rows, err := storedRows(ctx, db)
	return rows, problems, err
}
