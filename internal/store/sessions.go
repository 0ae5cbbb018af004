package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/programme"
)

// Sessions and case notes. A note is written once; a correction is a new
// row, so what was first recorded is always still there. Callers check
// record-level access (PersonFor) before calling any of these.

const sessionColumns = `s.id, s.person_id, s.on_date, s.kind, s.minutes, s.initiated_by, s.note, s.practical_help,
	s.fund_pence, s.fund_category, s.agencies, s.version, s.created_by, COALESCE(u.display_name, ''), s.created_at`

func scanSession(row interface{ Scan(...any) error }) (programme.Session, error) {
	var s programme.Session
	var kind, by string
	var pence sql.NullInt64
	var category sql.NullString
	err := row.Scan(&s.ID, &s.PersonID, &s.On, &kind, &s.Minutes, &by, &s.Note, &s.PracticalHelp,
		&pence, &category, &s.Agencies, &s.Version, &s.CreatedBy, &s.CreatedByName, &s.CreatedAt)
	s.Type, s.InitiatedBy = programme.SessionType(kind), programme.Initiator(by)
	s.FundPence, s.FundCategory = pence.Int64, programme.FundCategory(category.String)
	return s, err
}

// RecordSession records a session and its note and writes the audit row in
// one transaction. today is the date in the UK, which the session may not be
// after. With clearDraft, the author's draft for her goes in the same
// transaction: the form it came from has been saved. (The API leaves it, so
// a half-typed note in a browser is not lost.)
func (db *DB) RecordSession(ctx context.Context, ev audit.Event, s programme.Session, today haven.Date, clearDraft bool) (programme.Session, error) {
	s.Note = strings.TrimSpace(s.Note)
	s.PracticalHelp, s.Agencies = strings.TrimSpace(s.PracticalHelp), strings.TrimSpace(s.Agencies)
	if err := s.Validate(today); err != nil {
		return s, err
	}
	var pence, category any
	if s.HasSpend() {
		pence, category = s.FundPence, string(s.FundCategory)
	}
	now := db.now()
	s.Version, s.CreatedAt, s.Corrections = 1, now, nil
	err := db.createTx(ctx, onPerson(ev.UserID, KindSession, s.PersonID), func(tx *sql.Tx) (int64, string, error) {
		err := tx.QueryRowContext(ctx, `INSERT INTO support_sessions (person_id, on_date, kind, minutes, initiated_by, note, practical_help,
				fund_pence, fund_category, agencies, version, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $12) RETURNING id`,
			s.PersonID, s.On, string(s.Type), s.Minutes, string(s.InitiatedBy), s.Note, s.PracticalHelp,
			pence, category, s.Agencies, s.CreatedBy, now).Scan(&s.ID)
		if err != nil {
			return 0, "", err
		}
		if clearDraft {
			if _, err := tx.ExecContext(ctx, `DELETE FROM session_drafts WHERE user_id = $1 AND person_id = $2`, s.CreatedBy, s.PersonID); err != nil {
				return 0, "", err
			}
		}
		return s.ID, "", db.appendAudit(ctx, tx, personEvent(ev, audit.Create, s.PersonID, "session"))
	})
	return s, err
}

// SupportSessions returns all her sessions, newest first, each with its corrections.
func (db *DB) SupportSessions(ctx context.Context, personID int64) ([]programme.Session, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+sessionColumns+` FROM support_sessions s LEFT JOIN users u ON u.id = s.created_by
		WHERE s.person_id = $1 ORDER BY s.on_date DESC, s.id DESC`, personID)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	var out []programme.Session
	index := map[int64]int{}
	for rows.Next() {
		s, err := scanSession(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		index[s.ID] = len(out)
		out = append(out, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, db.dialect.translate(err)
	}
	if len(out) == 0 {
		return out, nil
	}
	err = db.eachCorrection(ctx, `s.person_id = $1`, personID, func(sessionID int64, c programme.Correction) {
		if i, ok := index[sessionID]; ok {
			out[i].Corrections = append(out[i].Corrections, c)
		}
	})
	return out, err
}

// SupportSession returns one of her sessions with its corrections. A session that
// belongs to someone else is not found.
func (db *DB) SupportSession(ctx context.Context, personID, id int64) (programme.Session, error) {
	s, err := scanSession(db.read.QueryRowContext(ctx, `SELECT `+sessionColumns+` FROM support_sessions s LEFT JOIN users u ON u.id = s.created_by
		WHERE s.id = $1 AND s.person_id = $2`, id, personID))
	if err != nil {
		return s, db.dialect.translate(err)
	}
	err = db.eachCorrection(ctx, `s.id = $1`, id, func(_ int64, c programme.Correction) {
		s.Corrections = append(s.Corrections, c)
	})
	return s, err
}

// eachCorrection calls fn for each correction matching where, oldest first.
// where is a constant from this file, never user input.
func (db *DB) eachCorrection(ctx context.Context, where string, arg int64, fn func(sessionID int64, c programme.Correction)) error {
	rows, err := db.read.QueryContext(ctx, `SELECT c.session_id, c.id, c.note, c.reason, c.by_user, COALESCE(u.display_name, ''), c.at
		FROM session_corrections c JOIN support_sessions s ON s.id = c.session_id LEFT JOIN users u ON u.id = c.by_user
		WHERE `+where+` ORDER BY c.id`, arg)
	if err != nil {
		return db.dialect.translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		var sid int64
		var c programme.Correction
		if err := rows.Scan(&sid, &c.ID, &c.Note, &c.Reason, &c.By, &c.ByName, &c.At); err != nil {
			return err
		}
		fn(sid, c)
	}
	return db.dialect.translate(rows.Err())
}

// CorrectSession adds a correction to a session's note. version is the
// session's version the practitioner started from; a stale version is a
// conflict and records nothing.
func (db *DB) CorrectSession(ctx context.Context, ev audit.Event, personID, id, version int64, note, reason string, by int64) error {
	note, reason = strings.TrimSpace(note), strings.TrimSpace(reason)
	if err := programme.ValidateCorrection(note, reason); err != nil {
		return err
	}
	// A repeat names the session, which is where the form goes back to.
	return db.createTx(ctx, claim{user: ev.UserID, kind: KindSessionCorrected, target: "session:" + itoa(id)}, func(tx *sql.Tx) (int64, string, error) {
		res, err := tx.ExecContext(ctx, `UPDATE support_sessions SET version = version + 1 WHERE id = $1 AND person_id = $2 AND version = $3`,
			id, personID, version)
		if err != nil {
			return 0, "", err
		}
		if n, err := res.RowsAffected(); err != nil {
			return 0, "", err
		} else if n != 1 {
			var v int64
			err := tx.QueryRowContext(ctx, `SELECT version FROM support_sessions WHERE id = $1 AND person_id = $2`, id, personID).Scan(&v)
			if errors.Is(err, sql.ErrNoRows) {
				return 0, "", haven.ErrNotFound
			}
			if err != nil {
				return 0, "", err
			}
			return 0, "", haven.ErrConflict
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO session_corrections (session_id, note, reason, by_user, at) VALUES ($1, $2, $3, $4, $5)`,
			id, note, reason, by, db.now()); err != nil {
			return 0, "", err
		}
		return id, "", db.appendAudit(ctx, tx, personEvent(ev, audit.Update, personID, "session"))
	})
}

// Draft is a half-written session, for its author alone.
type Draft struct {
	Body      string // the form's fields, URL-encoded
	UpdatedAt time.Time
}

// MaxDraftLen bounds a draft: a full note and every other field fit well within it.
const MaxDraftLen = 200_000

// SaveDraft keeps userID's draft session for a person, replacing any earlier one.
func (db *DB) SaveDraft(ctx context.Context, userID, personID int64, body string) (time.Time, error) {
	if len(body) > MaxDraftLen {
		return time.Time{}, haven.Errorf(haven.KindInvalid, "The draft is too long to save.")
	}
	now := db.now()
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO session_drafts (user_id, person_id, body, updated_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (user_id, person_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`,
			userID, personID, body, now)
		return err
	})
	return now, err
}

// DraftFor returns userID's draft for a person. There is no way to read
// anyone else's.
func (db *DB) DraftFor(ctx context.Context, userID, personID int64) (Draft, error) {
	var d Draft
	err := db.read.QueryRowContext(ctx, `SELECT body, updated_at FROM session_drafts WHERE user_id = $1 AND person_id = $2`, userID, personID).
		Scan(&d.Body, &d.UpdatedAt)
	return d, db.dialect.translate(err)
}

// DeleteDraft discards userID's draft for a person, if there is one.
func (db *DB) DeleteDraft(ctx context.Context, userID, personID int64) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM session_drafts WHERE user_id = $1 AND person_id = $2`, userID, personID)
		return err
	})
}
