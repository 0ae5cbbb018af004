package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"

	"haven/internal/evaluate"
	"haven/internal/haven"
	"haven/internal/measure"
)

// extractSecretName is the deployment secret that keys the extract's pseudonyms.
const extractSecretName = "extract-pseudonym"

// ExtractSecret is the deployment's key for the evaluation extract's
// pseudonyms (issue 17 item 8). It is made from 32 random bytes the first
// time it is asked for and kept in the database, so every extract from one
// deployment keys a woman the same way, and no two deployments agree. It is
// never shown, logged or put in a bulk export: only this function reads it.
func (db *DB) ExtractSecret(ctx context.Context) ([]byte, error) {
	secret, err := db.readSecret(ctx)
	if !errors.Is(err, haven.ErrNotFound) {
		return secret, err
	}
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, err
	}
	// Two first extracts at once: one secret wins, and both read it back.
	if err := db.runTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO deployment_secrets (name, secret, created_at) VALUES ($1, $2, $3)
			ON CONFLICT (name) DO NOTHING`, extractSecretName, hex.EncodeToString(fresh), db.now())
		return err
	}); err != nil {
		return nil, err
	}
	return db.readSecret(ctx)
}

func (db *DB) readSecret(ctx context.Context) ([]byte, error) {
	var s string
	err := db.write.QueryRowContext(ctx, `SELECT secret FROM deployment_secrets WHERE name = $1`, extractSecretName).Scan(&s)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, haven.ErrNotFound
	}
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	b, err := hex.DecodeString(s)
	if err != nil || len(b) < 32 {
		return nil, errors.New("store: the extract's secret is damaged") // never the value itself
	}
	return b, nil
}

// EnrolmentPhases is each enrolment's phase now, for the Practices: one query.
func (db *DB) EnrolmentPhases(ctx context.Context, practiceIDs []int64) (map[int64]string, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, phase FROM enrolments WHERE `+db.dialect.inIDs("practice_id", "$1"), jsonIDs(practiceIDs))
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var phase string
		if err := rows.Scan(&id, &phase); err != nil {
			return nil, err
		}
		out[id] = phase
	}
	return out, db.dialect.translate(rows.Err())
}

// ExtractReadings is every baseline and exit measure of the women enrolled in
// the Practices, oldest first, scored again from the answers as read so the
// extract shows the published rule: one query however many women.
func (db *DB) ExtractReadings(ctx context.Context, practiceIDs []int64) ([]evaluate.Reading, error) {
	people := `(SELECT DISTINCT e.person_id FROM enrolments e WHERE ` + db.dialect.inIDs("e.practice_id", "$1") + `)`
	rows, err := db.read.QueryContext(ctx, `SELECT person_id, instrument, point, taken_on, answers FROM measures
		WHERE point IN ('baseline', 'exit') AND `+db.dialect.inSubquery("person_id", people)+`
		ORDER BY person_id, taken_on, id`, jsonIDs(practiceIDs))
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	defer rows.Close()
	var out []evaluate.Reading
	for rows.Next() {
		var r evaluate.Reading
		var instrument, point, answers string
		if err := rows.Scan(&r.Person, &instrument, &point, &r.TakenOn, &answers); err != nil {
			return nil, err
		}
		r.Instrument, r.Point = measure.ID(instrument), measure.Point(point)
		as, err := measure.DecodeAnswers(answers)
		if err != nil {
			return nil, fmt.Errorf("measure of person %d: %w", r.Person, err)
		}
		if r.Result, err = measure.Score(r.Instrument, as); err != nil {
			return nil, fmt.Errorf("measure of person %d: %w", r.Person, err)
		}
		out = append(out, r)
	}
	return out, db.dialect.translate(rows.Err())
}
