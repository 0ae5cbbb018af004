package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/measure"
)

// StarLicence returns the deployment's Outcomes Star licence, and false if
// none is recorded (then no reading may be imported).
func (db *DB) StarLicence(ctx context.Context) (measure.Registration, bool, error) {
	var r measure.Registration
	err := db.read.QueryRowContext(ctx, `SELECT l.reference, l.licensed_on, u.display_name
		FROM measure_licences l JOIN users u ON u.id = l.recorded_by WHERE l.name = $1`, measure.StarLicence).Scan(&r.Reference, &r.On, &r.By)
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	}
	if err != nil {
		return r, false, db.dialect.translate(err)
	}
	return r, true, nil
}

// SaveStarLicence records, or corrects, the deployment's Outcomes Star licence.
func (db *DB) SaveStarLicence(ctx context.Context, ev audit.Event, r measure.Registration, by int64) error {
	f := map[string]string{}
	if r.Reference = strings.TrimSpace(r.Reference); r.Reference == "" || len(r.Reference) > 100 {
		f["licence"] = "Enter the licence reference Triangle gave you, in 100 characters or fewer"
	}
	if r.On.IsZero() {
		f["licensedOn"] = "Enter the date of the licence"
	}
	if len(f) > 0 {
		return haven.Invalid(f)
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO measure_licences (name, reference, licensed_on, recorded_by, at) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (name) DO UPDATE SET reference = excluded.reference, licensed_on = excluded.licensed_on, recorded_by = excluded.recorded_by, at = excluded.at`,
			measure.StarLicence, r.Reference, r.On, by, db.now()); err != nil {
			return err
		}
		ev.Action, ev.RecordType, ev.RecordID = audit.Update, "measure-licence", measure.StarLicence
		return db.appendAudit(ctx, tx, ev)
	})
}

// StarReadings lists her imported Outcomes Star readings, oldest first.
func (db *DB) StarReadings(ctx context.Context, personID int64) ([]measure.StarReading, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT s.id, s.taken_on, s.star_version, s.readings, COALESCE(u.display_name, '')
		FROM star_readings s LEFT JOIN users u ON u.id = s.imported_by WHERE s.person_id = $1 ORDER BY s.taken_on, s.id`, personID)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	defer rows.Close()
	var out []measure.StarReading
	for rows.Next() {
		var r measure.StarReading
		var scales string
		if err := rows.Scan(&r.ID, &r.TakenOn, &r.Version, &scales, &r.By); err != nil {
			return nil, err
		}
		if r.Scales, err = measure.DecodeScales(scales); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, db.dialect.translate(rows.Err())
}

// ImportStarReadings stores every reading for her in one transaction, with
// one audit row: all or nothing. It refuses when no licence is recorded,
// checked inside the transaction so a licence removed meanwhile counts.
func (db *DB) ImportStarReadings(ctx context.Context, ev audit.Event, personID int64, rs []measure.StarReading, by int64) error {
	if len(rs) == 0 || len(rs) > measure.StarMaxRows {
		return haven.Invalid(map[string]string{"file": "The file has no readings"})
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var licensed bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM measure_licences WHERE name = $1)`, measure.StarLicence).Scan(&licensed); err != nil {
			return err
		}
		if !licensed {
			return haven.ErrForbidden
		}
		now := db.now()
		for _, r := range rs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO star_readings (person_id, taken_on, star_version, readings, imported_by, at) VALUES ($1, $2, $3, $4, $5, $6)`,
				personID, r.TakenOn, r.Version, measure.EncodeScales(r.Scales), nullID(by), now); err != nil {
				return err
			}
		}
		return db.appendAudit(ctx, tx, personEvent(ev, audit.Create, personID, SectionStar))
	})
}

// SectionStar is the audit section for her imported Outcomes Star readings.
const SectionStar = "outcomes-star"
