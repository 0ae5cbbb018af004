package store

import (
	"context"
	"database/sql"
	"errors"

	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/programme"
)

// Callers must have checked programme.Access.Restricted: this section is
// for the allocated practitioner and the lead (S17).

// Contraception returns her current method, and false if none is recorded.
func (db *DB) Contraception(ctx context.Context, personID int64) (programme.Contraception, bool, error) {
	var c programme.Contraception
	var method string
	err := db.read.QueryRowContext(ctx, `SELECT method, started_on, review_on, service, version FROM contraception WHERE person_id = $1`, personID).
		Scan(&method, &c.StartedOn, &c.ReviewOn, &c.Service, &c.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return c, false, nil
	}
	c.Method = programme.Method(method)
	return c, err == nil, db.dialect.translate(err)
}

// SaveContraception records her method. version is what the editor saw (0
// when none was recorded); a stale version is a conflict.
func (db *DB) SaveContraception(ctx context.Context, ev audit.Event, personID int64, c programme.Contraception, version, by int64) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return db.createTx(ctx, onPerson(ev.UserID, KindContraception, personID), func(tx *sql.Tx) (int64, string, error) {
		var res sql.Result
		var err error
		if version == 0 {
			res, err = tx.ExecContext(ctx, `INSERT INTO contraception (person_id, method, started_on, review_on, service, version, updated_by, updated_at)
				VALUES ($1, $2, $3, $4, $5, 1, $6, $7) ON CONFLICT (person_id) DO NOTHING`,
				personID, string(c.Method), c.StartedOn, c.ReviewOn, c.Service, nullID(by), db.now())
		} else {
			res, err = tx.ExecContext(ctx, `UPDATE contraception SET method = $1, started_on = $2, review_on = $3, service = $4, version = version + 1,
				updated_by = $5, updated_at = $6 WHERE person_id = $7 AND version = $8`,
				string(c.Method), c.StartedOn, c.ReviewOn, c.Service, nullID(by), db.now(), personID, version)
		}
		if err != nil {
			return 0, "", err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return 0, "", haven.ErrConflict
		}
		return personID, "", db.appendAudit(ctx, tx, personEvent(ev, audit.Update, personID, string(programme.SectionReproductiveHealth)))
	})
}

// Pregnancies lists her pregnancy events, newest first.
func (db *DB) Pregnancies(ctx context.Context, personID int64) ([]programme.Pregnancy, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT known_on, outcome FROM pregnancies WHERE person_id = $1 ORDER BY known_on DESC, id DESC`, personID)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	defer rows.Close()
	var out []programme.Pregnancy
	for rows.Next() {
		var p programme.Pregnancy
		if err := rows.Scan(&p.KnownOn, &p.Outcome); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, db.dialect.translate(rows.Err())
}

// AddPregnancy records a pregnancy event.
func (db *DB) AddPregnancy(ctx context.Context, ev audit.Event, personID int64, p programme.Pregnancy, by int64, today haven.Date) error {
	if err := p.Validate(today); err != nil {
		return err
	}
	return db.createTx(ctx, onPerson(ev.UserID, KindPregnancy, personID), func(tx *sql.Tx) (int64, string, error) {
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO pregnancies (person_id, known_on, outcome, recorded_by, at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			personID, p.KnownOn, p.Outcome, nullID(by), db.now()).Scan(&id); err != nil {
			return 0, "", err
		}
		return id, "", db.appendAudit(ctx, tx, personEvent(ev, audit.Create, personID, string(programme.SectionReproductiveHealth)))
	})
}
