package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/programme"
)

// Transfer is a request to move a woman to another Practice.
type Transfer struct {
	ID           int64
	PersonID     int64
	PersonName   string
	FromPractice string
	ToPractice   string
	ToPracticeID int64
	Note         string
	Status       string
	RequestedAt  time.Time
}

// RequestTransfer asks another Practice to take her on. One request may be
// pending at a time.
func (db *DB) RequestTransfer(ctx context.Context, ev audit.Event, p programme.Person, toPractice int64, note string, by int64) error {
	note = strings.TrimSpace(note)
	f := map[string]string{}
	if toPractice == p.PracticeID || toPractice <= 0 {
		f["toPractice"] = "Choose the Practice she is moving to"
	}
	if len([]rune(note)) > 2000 {
		f["note"] = "The note must be 2,000 characters or fewer"
	}
	if len(f) > 0 {
		return haven.Invalid(f)
	}
	return db.createTx(ctx, onPerson(ev.UserID, KindTransfer, p.ID), func(tx *sql.Tx) (int64, string, error) {
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO transfers (person_id, from_practice, to_practice, note, status, requested_by, requested_at)
			VALUES ($1, $2, $3, $4, 'pending', $5, $6) RETURNING id`, p.ID, p.PracticeID, toPractice, note, nullID(by), db.now()).Scan(&id); err != nil {
			return 0, "", err
		}
		return id, "", db.appendAudit(ctx, tx, personEvent(ev, audit.Update, p.ID, "transfer-requested"))
	})
}

const transferColumns = `t.id, t.person_id, p.first_name, p.last_name, p.preferred_name, fp.name, tp.name, t.to_practice, t.note, t.status, t.requested_at`

func scanTransfers(rows *sql.Rows) ([]Transfer, error) {
	defer rows.Close()
	var out []Transfer
	for rows.Next() {
		var t Transfer
		var first, last, preferred string
		if err := rows.Scan(&t.ID, &t.PersonID, &first, &last, &preferred, &t.FromPractice, &t.ToPractice, &t.ToPracticeID, &t.Note, &t.Status, &t.RequestedAt); err != nil {
			return nil, err
		}
		t.PersonName = programme.Person{FirstName: first, LastName: last, PreferredName: preferred}.Name()
		out = append(out, t)
	}
	return out, rows.Err()
}

// TransfersWaiting lists pending transfers into Practices the actor leads.
// The lead sees only her name and the note until they accept.
func (db *DB) TransfersWaiting(ctx context.Context, actor *access.Actor) ([]Transfer, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+transferColumns+` FROM transfers t
		JOIN people p ON p.id = t.person_id JOIN practices fp ON fp.id = t.from_practice JOIN practices tp ON tp.id = t.to_practice
		WHERE t.status = 'pending' AND EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = $1 AND m.practice_id = t.to_practice AND m.role = 'practice-lead')
		ORDER BY t.id`, actor.User.ID)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	out, err := scanTransfers(rows)
	return out, db.dialect.translate(err)
}

// PendingTransfer returns her pending transfer, if any.
func (db *DB) PendingTransfer(ctx context.Context, personID int64) (Transfer, bool, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+transferColumns+` FROM transfers t
		JOIN people p ON p.id = t.person_id JOIN practices fp ON fp.id = t.from_practice JOIN practices tp ON tp.id = t.to_practice
		WHERE t.person_id = $1 AND t.status = 'pending'`, personID)
	if err != nil {
		return Transfer{}, false, db.dialect.translate(err)
	}
	out, err := scanTransfers(rows)
	if err != nil || len(out) == 0 {
		return Transfer{}, false, db.dialect.translate(err)
	}
	return out[0], true, nil
}

// DecideTransfer accepts or declines a transfer. Only a lead of the receiving
// Practice may; anyone else is told it does not exist. On acceptance she joins
// the new Practice, unallocated, and her open enrolment moves with her.
func (db *DB) DecideTransfer(ctx context.Context, ev audit.Event, actor *access.Actor, transferID int64, accept bool) (Transfer, error) {
	var t Transfer
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT t.person_id, t.to_practice FROM transfers t
			WHERE t.id = $1 AND t.status = 'pending'
			  AND EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = $2 AND m.practice_id = t.to_practice AND m.role = 'practice-lead')`,
			transferID, actor.User.ID).Scan(&t.PersonID, &t.ToPracticeID)
		if err != nil {
			return err
		}
		status := "declined"
		if accept {
			status = "accepted"
		}
		if _, err := tx.ExecContext(ctx, `UPDATE transfers SET status = $1, decided_by = $2, decided_at = $3 WHERE id = $4`,
			status, actor.User.ID, db.now(), transferID); err != nil {
			return err
		}
		if accept {
			for _, q := range []string{
				`UPDATE people SET practice_id = $1, practitioner_id = NULL, version = version + 1, updated_at = $2 WHERE id = $3`,
				`UPDATE enrolments SET practice_id = $1, version = version + 1, updated_at = $2 WHERE person_id = $3 AND phase <> 'closed'`,
			} {
				if _, err := tx.ExecContext(ctx, q, t.ToPracticeID, db.now(), t.PersonID); err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM person_shares WHERE person_id = $1`, t.PersonID); err != nil {
				return err
			}
		}
		t.Status = status
		return db.appendAudit(ctx, tx, personEvent(ev, audit.Update, t.PersonID, "transfer-"+status))
	})
	return t, err
}
