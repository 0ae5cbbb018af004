package store

import (
	"context"
	"database/sql"
	"errors"

	"haven/internal/audit"
)

// appendAudit adds e to the chain inside tx, so a change and its audit row
// commit together or not at all.
func (db *DB) appendAudit(ctx context.Context, tx *sql.Tx, e audit.Event) error {
	if err := db.dialect.lockAudit(ctx, tx); err != nil {
		return err
	}
	prev := audit.Genesis
	err := tx.QueryRowContext(ctx, `SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1`).Scan(&prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if e.At.IsZero() {
		e.At = db.now()
	}
	e.PrevHash = prev
	e.Hash = e.ComputeHash(prev)
	_, err = tx.ExecContext(ctx,
		`INSERT INTO audit_events (at, user_id, role, tenant, record_type, record_id, section, action, request_id, ip, prev_hash, hash)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		e.At, nullID(e.UserID), e.Role, e.Tenant, e.RecordType, e.RecordID, e.Section, string(e.Action), e.RequestID, e.IP, e.PrevHash, e.Hash)
	return err
}

// Audit records one event in its own transaction; it is durable when Audit returns.
func (db *DB) Audit(ctx context.Context, e audit.Event) error {
	return db.inTx(ctx, func(tx *sql.Tx) error { return db.appendAudit(ctx, tx, e) })
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

const auditColumns = `id, at, COALESCE(user_id, 0), role, tenant, record_type, record_id, section, action, request_id, ip, prev_hash, hash`

func scanAudit(row interface{ Scan(...any) error }) (audit.Event, error) {
	var e audit.Event
	var action string
	err := row.Scan(&e.ID, &e.At, &e.UserID, &e.Role, &e.Tenant, &e.RecordType, &e.RecordID, &e.Section, &action, &e.RequestID, &e.IP, &e.PrevHash, &e.Hash)
	e.Action = audit.Action(action)
	return e, err
}

// EachAuditEvent calls fn for every event in chain order, for verification.
func (db *DB) EachAuditEvent(ctx context.Context, fn func(audit.Event) error) error {
	rows, err := db.read.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_events ORDER BY id`)
	if err != nil {
		return db.dialect.translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return err
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return db.dialect.translate(rows.Err())
}

// VerifyAudit walks the whole chain and returns what it found.
func (db *DB) VerifyAudit(ctx context.Context) (*audit.Verifier, error) {
	v := audit.NewVerifier()
	err := db.EachAuditEvent(ctx, func(e audit.Event) error { v.Add(e); return nil })
	return v, err
}

// AuditFilter narrows an audit search. Empty fields match everything.
type AuditFilter struct {
	UserID     int64
	RecordType string
	RecordID   string
	Action     string
	Page
}

// SearchAudit returns events matching f, newest first, keyset-paged by ID.
func (db *DB) SearchAudit(ctx context.Context, f AuditFilter) ([]audit.Event, error) {
	before := f.After
	if before == 0 {
		before = 1<<62 - 1
	}
	rows, err := db.read.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_events
		WHERE id < $1
		  AND ($2 = 0 OR user_id = $2)
		  AND ($3 = '' OR record_type = $3)
		  AND ($4 = '' OR record_id = $4)
		  AND ($5 = '' OR action = $5)
		ORDER BY id DESC LIMIT $6`, before, f.UserID, f.RecordType, f.RecordID, f.Action, f.limit())
	return collect(db, rows, err, func(r *sql.Rows) (audit.Event, error) { return scanAudit(r) })
}
