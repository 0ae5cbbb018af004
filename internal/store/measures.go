package store

import (
	"context"
	"database/sql"
	"strings"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/measure"
	"haven/internal/programme"
)

// SectionMeasures is the audit section for her outcome measures. They are
// health data: callers must have checked programme.Access.Restricted, as for
// the restricted sections (S17).
const SectionMeasures = "measures"

// KindMeasure is what an idempotency key made when it recorded a measure.
const KindMeasure = "measure"

// Measures lists her completed measures, oldest first.
func (db *DB) Measures(ctx context.Context, personID int64) ([]measure.Record, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT m.id, m.instrument, m.point, m.taken_on, m.answers, m.response_note, m.response_at,
			COALESCE(u.display_name, '')
		FROM measures m LEFT JOIN users u ON u.id = m.response_by
		WHERE m.person_id = $1 ORDER BY m.taken_on, m.id`, personID)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	defer rows.Close()
	var out []measure.Record
	for rows.Next() {
		var r measure.Record
		var instrument, point, answers, note, by string
		var at sql.NullTime
		if err := rows.Scan(&r.ID, &instrument, &point, &r.TakenOn, &answers, &note, &at, &by); err != nil {
			return nil, err
		}
		r.Instrument, r.Point = measure.ID(instrument), measure.Point(point)
		if r.Answers, err = measure.DecodeAnswers(answers); err != nil {
			return nil, err
		}
		// Scored again as read, so a record always shows the published rule.
		if r.Result, err = measure.Score(r.Instrument, r.Answers); err != nil {
			return nil, err
		}
		if at.Valid {
			r.Response = &measure.Response{Note: note, By: by, At: at.Time}
		}
		out = append(out, r)
	}
	return out, db.dialect.translate(rows.Err())
}

// AddMeasure records a completed measure and returns its ID. The score is
// stored beside the answers so that reports need not score every row.
func (db *DB) AddMeasure(ctx context.Context, ev audit.Event, personID int64, r measure.Record, by int64) (int64, error) {
	res, err := measure.Score(r.Instrument, r.Answers)
	if err != nil {
		return 0, haven.Invalid(map[string]string{"item1": err.Error()})
	}
	var total, metric sql.NullInt64
	if res.Valid && res.HasTotal {
		total = sql.NullInt64{Int64: int64(res.Total), Valid: true}
	}
	if res.Valid && res.HasMetric {
		metric = sql.NullInt64{Int64: int64(res.Metric), Valid: true}
	}
	flags := make([]string, len(res.Flags))
	for i, f := range res.Flags {
		flags[i] = string(f)
	}
	var id int64
	err = db.createTx(ctx, onPerson(ev.UserID, KindMeasure, personID), func(tx *sql.Tx) (int64, string, error) {
		if err := tx.QueryRowContext(ctx, `INSERT INTO measures (person_id, instrument, point, taken_on, answers, valid, total, metric, band, flags, recorded_by, at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
			personID, string(r.Instrument), string(r.Point), r.TakenOn, measure.EncodeAnswers(r.Answers), res.Valid, total, metric, string(res.Band),
			strings.Join(flags, ","), nullID(by), db.now()).Scan(&id); err != nil {
			return 0, "", err
		}
		return id, "", db.appendAudit(ctx, tx, personEvent(ev, audit.Create, personID, SectionMeasures))
	})
	return id, err
}

// RespondToMeasure records what the lead did about a measure's flag. A
// response already recorded is kept: the second is a conflict.
func (db *DB) RespondToMeasure(ctx context.Context, ev audit.Event, personID, measureID int64, note string, by int64) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE measures SET response_note = $1, response_by = $2, response_at = $3
			WHERE id = $4 AND person_id = $5 AND flags <> '' AND response_at IS NULL`, note, by, db.now(), measureID, personID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			var exists bool
			if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM measures WHERE id = $1 AND person_id = $2 AND flags <> '')`, measureID, personID).Scan(&exists); err != nil {
				return err
			}
			if !exists {
				return haven.ErrNotFound
			}
			return haven.Errorf(haven.KindConflict, "A response to this prompt was already recorded.")
		}
		return db.appendAudit(ctx, tx, personEvent(ev, audit.Update, personID, SectionMeasures))
	})
}

// measureTasks adds a task for the lead for each flag nobody has responded
// to. The task says only that a measure needs her response: what was
// answered stays in the restricted section.
func (db *DB) measureTasks(ctx context.Context, actor *access.Actor, ids string, add func(personID int64, t programme.Task, link string)) error {
	rows, err := db.read.QueryContext(ctx, `SELECT m.person_id, m.id, m.taken_on
		FROM measures m JOIN people p ON p.id = m.person_id
		WHERE `+db.dialect.inIDs("m.person_id", "$1")+` AND m.flags <> '' AND m.response_at IS NULL
			AND EXISTS (SELECT 1 FROM memberships s WHERE s.user_id = $2 AND s.practice_id = p.practice_id AND s.role = 'practice-lead')`, ids, actor.User.ID)
	if err != nil {
		return db.dialect.translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		var personID, id int64
		var on haven.Date
		if err := rows.Scan(&personID, &id, &on); err != nil {
			return err
		}
		add(personID, programme.Task{Kind: programme.TaskMeasureFlag, Due: on,
			Text: "Safeguarding prompt from a measure she completed: record what was done"}, "/measures#measure-"+itoa(id))
	}
	return db.dialect.translate(rows.Err())
}

// Registrations returns the registrations recorded, by instrument.
func (db *DB) Registrations(ctx context.Context) (map[measure.ID]measure.Registration, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT r.instrument, r.reference, r.registered_on, u.display_name
		FROM measure_registrations r JOIN users u ON u.id = r.recorded_by`)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	defer rows.Close()
	out := map[measure.ID]measure.Registration{}
	for rows.Next() {
		var id string
		var r measure.Registration
		if err := rows.Scan(&id, &r.Reference, &r.On, &r.By); err != nil {
			return nil, err
		}
		out[measure.ID(id)] = r
	}
	return out, db.dialect.translate(rows.Err())
}

// SaveRegistration records, or corrects, the deployment's registration to use a measure.
func (db *DB) SaveRegistration(ctx context.Context, ev audit.Event, id measure.ID, r measure.Registration, by int64) error {
	in, ok := measure.Lookup(id)
	if !ok || !in.Registered {
		return haven.Invalid(map[string]string{"instrument": "Choose a measure that needs registering"})
	}
	if r.Reference = strings.TrimSpace(r.Reference); r.Reference == "" || len(r.Reference) > 100 {
		return haven.Invalid(map[string]string{"reference": "Enter the registration reference Warwick gave you, in 100 characters or fewer"})
	}
	if r.On.IsZero() {
		return haven.Invalid(map[string]string{"registeredOn": "Enter the date of the registration"})
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO measure_registrations (instrument, reference, registered_on, recorded_by, at) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (instrument) DO UPDATE SET reference = excluded.reference, registered_on = excluded.registered_on, recorded_by = excluded.recorded_by, at = excluded.at`,
			string(id), r.Reference, r.On, by, db.now()); err != nil {
			return err
		}
		ev.Action, ev.RecordType, ev.RecordID = audit.Update, "measure-registration", string(id)
		return db.appendAudit(ctx, tx, ev)
	})
}
