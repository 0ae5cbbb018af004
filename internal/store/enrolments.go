package store

import (
	"context"
	"database/sql"

	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/programme"
)

// PracticeSettings returns a Practice's programme rules.
func (db *DB) PracticeSettings(ctx context.Context, practiceID int64) (programme.Settings, error) {
	var s programme.Settings
	err := db.read.QueryRowContext(ctx, `SELECT engagement_weeks, programme_months, caseload_cap FROM practices WHERE id = $1`, practiceID).
		Scan(&s.EngagementWeeks, &s.ProgrammeMonths, &s.CaseloadCap)
	return s, db.dialect.translate(err)
}

// UpdatePracticeSettings changes a Practice's programme rules; version is the
// Practice's version the editor started from.
func (db *DB) UpdatePracticeSettings(ctx context.Context, ev audit.Event, practiceID, version int64, s programme.Settings) error {
	if err := s.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE practices SET engagement_weeks = $1, programme_months = $2, caseload_cap = $3,
			version = version + 1, updated_at = $4 WHERE id = $5 AND version = $6`,
			s.EngagementWeeks, s.ProgrammeMonths, s.CaseloadCap, db.now(), practiceID, version)
		if err != nil {
			return err
		}
		if err := checkVersioned(ctx, tx, res, "practices", practiceID); err != nil {
			return err
		}
		ev.Action, ev.RecordType, ev.RecordID, ev.Section = audit.Update, "practice", itoa(practiceID), "settings"
		return db.appendAudit(ctx, tx, ev)
	})
}

const enrolmentColumns = `id, person_id, practice_id, phase, referred_on, engaged_on, started_on, ended_on, end_reason, exit_category, version, created_at, updated_at`

func scanEnrolment(row interface{ Scan(...any) error }) (programme.Enrolment, error) {
	var e programme.Enrolment
	var phase string
	err := row.Scan(&e.ID, &e.PersonID, &e.PracticeID, &phase, &e.ReferredOn, &e.EngagedOn, &e.StartedOn, &e.EndedOn, &e.EndReason, &e.Exit, &e.Version, &e.CreatedAt, &e.UpdatedAt)
	e.Phase = programme.Phase(phase)
	return e, err
}

// StartEnrolment opens a new enrolment at referral. A woman has at most one
// open enrolment; earlier ones stay, with their history.
func (db *DB) StartEnrolment(ctx context.Context, ev audit.Event, p programme.Person, referredOn haven.Date) (programme.Enrolment, error) {
	if referredOn.IsZero() {
		return programme.Enrolment{}, haven.Invalid(map[string]string{"referredOn": "Enter the date of the referral"})
	}
	now := db.now()
	e := programme.Enrolment{PersonID: p.ID, PracticeID: p.PracticeID, Phase: programme.PhaseReferred, ReferredOn: referredOn, Version: 1, CreatedAt: now, UpdatedAt: now}
	err := db.createTx(ctx, onPerson(ev.UserID, KindEnrolment, p.ID), func(tx *sql.Tx) (int64, string, error) {
		var open bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM enrolments WHERE person_id = $1 AND phase <> 'closed')`, p.ID).Scan(&open); err != nil {
			return 0, "", err
		}
		if open {
			return 0, "", haven.Errorf(haven.KindConflict, "She already has an open enrolment. Close it before starting another.")
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO enrolments (person_id, practice_id, phase, referred_on, version, created_at, updated_at)
			VALUES ($1, $2, 'referred', $3, 1, $4, $4) RETURNING id`, p.ID, p.PracticeID, referredOn, now).Scan(&e.ID); err != nil {
			return 0, "", err
		}
		return e.ID, "", db.appendAudit(ctx, tx, personEvent(ev, audit.Create, p.ID, "enrolment"))
	})
	return e, err
}

// Enrolments returns a person's enrolments, newest first, each with its phase history.
func (db *DB) Enrolments(ctx context.Context, personID int64) ([]programme.Enrolment, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+enrolmentColumns+` FROM enrolments WHERE person_id = $1 ORDER BY id DESC`, personID)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	var out []programme.Enrolment
	for rows.Next() {
		e, err := scanEnrolment(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, db.dialect.translate(err)
	}
	evs, err := db.read.QueryContext(ctx, `SELECT pe.enrolment_id, pe.from_phase, pe.to_phase, pe.on_date, pe.reason, COALESCE(pe.by_user, 0), pe.at
		FROM phase_events pe JOIN enrolments e ON e.id = pe.enrolment_id WHERE e.person_id = $1 ORDER BY pe.id`, personID)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	defer evs.Close()
	for evs.Next() {
		var id int64
		var pe programme.PhaseEvent
		var from, to string
		if err := evs.Scan(&id, &from, &to, &pe.On, &pe.Reason, &pe.By, &pe.At); err != nil {
			return nil, err
		}
		pe.From, pe.To = programme.Phase(from), programme.Phase(to)
		for i := range out {
			if out[i].ID == id {
				out[i].PhaseEvents = append(out[i].PhaseEvents, pe)
			}
		}
	}
	return out, db.dialect.translate(evs.Err())
}

// MoveEnrolment records a phase change. e must carry the version the
// practitioner saw; a stale version is a conflict.
func (db *DB) MoveEnrolment(ctx context.Context, ev audit.Event, e programme.Enrolment, to programme.Phase, on haven.Date, reason string, exit programme.ExitCategory, by int64) (programme.Enrolment, error) {
	pe, err := e.Move(to, on, reason, exit, by)
	if err != nil {
		return e, err
	}
	now := db.now()
	pe.At = now
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE enrolments SET phase = $1, engaged_on = $2, started_on = $3, ended_on = $4, end_reason = $5,
			exit_category = $9, version = version + 1, updated_at = $6 WHERE id = $7 AND version = $8`,
			string(e.Phase), e.EngagedOn, e.StartedOn, e.EndedOn, e.EndReason, now, e.ID, e.Version, string(e.Exit))
		if err != nil {
			return err
		}
		if err := checkVersioned(ctx, tx, res, "enrolments", e.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO phase_events (enrolment_id, from_phase, to_phase, on_date, reason, by_user, at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, e.ID, string(pe.From), string(pe.To), pe.On, pe.Reason, nullID(by), now); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, personEvent(ev, audit.Update, e.PersonID, "enrolment"))
	})
	if err != nil {
		return e, err
	}
	e.Version++
	e.PhaseEvents = append(e.PhaseEvents, pe)
	return e, nil
}

// Caseload is how many women a practitioner has in open, working phases.
func (db *DB) Caseload(ctx context.Context, practitionerID int64) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(DISTINCT p.id) FROM people p JOIN enrolments e ON e.person_id = p.id
		WHERE p.practitioner_id = $1 AND e.phase IN ('engaging', 'programme-started', 'active')`, practitionerID).Scan(&n)
	return n, db.dialect.translate(err)
}
