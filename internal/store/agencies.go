package store

import (
	"context"
	"database/sql"

	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/programme"
)

// Agencies returns a Practice's partner agencies by name.
func (db *DB) Agencies(ctx context.Context, practiceID int64) ([]programme.Agency, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, practice_id, name, kind, contact, agreement, version FROM agencies WHERE practice_id = $1 ORDER BY name, id`, practiceID)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	defer rows.Close()
	var out []programme.Agency
	for rows.Next() {
		var a programme.Agency
		if err := rows.Scan(&a.ID, &a.PracticeID, &a.Name, &a.Kind, &a.Contact, &a.Agreement, &a.Version); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, db.dialect.translate(rows.Err())
}

// CreateAgency adds a partner agency to a Practice's directory.
func (db *DB) CreateAgency(ctx context.Context, ev audit.Event, a programme.Agency) (programme.Agency, error) {
	if err := a.Validate(); err != nil {
		return a, err
	}
	now := db.now()
	a.Version = 1
	err := db.createTx(ctx, claim{user: ev.UserID, kind: KindAgency, target: "practice:" + itoa(a.PracticeID)}, func(tx *sql.Tx) (int64, string, error) {
		if err := tx.QueryRowContext(ctx, `INSERT INTO agencies (practice_id, name, kind, contact, agreement, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, 1, $6, $6) RETURNING id`, a.PracticeID, a.Name, a.Kind, a.Contact, a.Agreement, now).Scan(&a.ID); err != nil {
			return 0, "", err
		}
		ev.Action, ev.RecordType, ev.RecordID = audit.Create, "agency", itoa(a.ID)
		return a.ID, "", db.appendAudit(ctx, tx, ev)
	})
	return a, err
}

const referralOutColumns = `r.id, r.person_id, r.agency_id, a.name, r.status, r.reason, r.outcome, r.sent_on, r.changed_on, r.version`

func scanReferralOut(row interface{ Scan(...any) error }) (programme.ReferralOut, error) {
	var r programme.ReferralOut
	var status string
	err := row.Scan(&r.ID, &r.PersonID, &r.AgencyID, &r.AgencyName, &status, &r.Reason, &r.Outcome, &r.SentOn, &r.ChangedOn, &r.Version)
	r.Status = programme.OutStatus(status)
	return r, err
}

// ReferralsOut lists a person's referrals to partner agencies, newest first.
func (db *DB) ReferralsOut(ctx context.Context, personID int64) ([]programme.ReferralOut, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+referralOutColumns+` FROM referrals_out r JOIN agencies a ON a.id = r.agency_id
		WHERE r.person_id = $1 ORDER BY r.id DESC`, personID)
	return collect(db, rows, err, func(r *sql.Rows) (programme.ReferralOut, error) { return scanReferralOut(r) })
}

// SendReferralOut records that she was referred to an agency in her own Practice's directory.
func (db *DB) SendReferralOut(ctx context.Context, ev audit.Event, p programme.Person, agencyID int64, reason string, on haven.Date) (programme.ReferralOut, error) {
	r := programme.ReferralOut{PersonID: p.ID, AgencyID: agencyID, Status: programme.OutSent, Reason: reason, SentOn: on, ChangedOn: on, Version: 1}
	if err := r.Validate(); err != nil {
		return r, err
	}
	now := db.now()
	err := db.createTx(ctx, onPerson(ev.UserID, KindReferralOut, p.ID), func(tx *sql.Tx) (int64, string, error) {
		var ok bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM agencies WHERE id = $1 AND practice_id = $2)`, agencyID, p.PracticeID).Scan(&ok); err != nil {
			return 0, "", err
		}
		if !ok {
			return 0, "", haven.Invalid(map[string]string{"agency": "Choose an agency from your Practice's directory"})
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO referrals_out (person_id, agency_id, status, reason, sent_on, changed_on, version, created_at, updated_at)
			VALUES ($1, $2, 'sent', $3, $4, $4, 1, $5, $5) RETURNING id`, p.ID, agencyID, reason, on, now).Scan(&r.ID); err != nil {
			return 0, "", err
		}
		return r.ID, "", db.appendAudit(ctx, tx, personEvent(ev, audit.Create, p.ID, "referral-out"))
	})
	return r, err
}

// AdvanceReferralOut moves a referral round the loop; version guards against stale edits.
func (db *DB) AdvanceReferralOut(ctx context.Context, ev audit.Event, r programme.ReferralOut, to programme.OutStatus, on haven.Date, outcome string) error {
	version := r.Version
	if err := r.Advance(to, on, outcome); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE referrals_out SET status = $1, changed_on = $2, outcome = $3, version = version + 1, updated_at = $4
			WHERE id = $5 AND person_id = $6 AND version = $7`, string(r.Status), r.ChangedOn, r.Outcome, db.now(), r.ID, r.PersonID, version)
		if err != nil {
			return err
		}
		if err := checkHerVersioned(ctx, tx, res, "referrals_out", r.ID, r.PersonID); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, personEvent(ev, audit.Update, r.PersonID, "referral-out"))
	})
}
