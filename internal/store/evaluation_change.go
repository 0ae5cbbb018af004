package store

import (
	"context"

	"haven/internal/evaluate"
	"haven/internal/measure"
)

// MeasureReadings reads every completed measure of every woman with an
// enrolment in the Practices, for the pre–post change report: one query,
// however many women. Each is scored again as read, as Measures does, so
// the report uses the published rule.
func (db *DB) MeasureReadings(ctx context.Context, practiceIDs []int64) ([]evaluate.Reading, error) {
	people := `(SELECT DISTINCT e.person_id FROM enrolments e WHERE ` + db.dialect.inIDs("e.practice_id", "$1") + `)`
	rows, err := db.read.QueryContext(ctx, `SELECT m.id, m.person_id, m.instrument, m.point, m.taken_on, m.answers
		FROM measures m WHERE `+db.dialect.inSubquery("m.person_id", people)+`
		ORDER BY m.person_id, m.taken_on, m.id`, jsonIDs(practiceIDs))
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	defer rows.Close()
	var out []evaluate.Reading
	for rows.Next() {
		var r evaluate.Reading
		var instrument, point, answers string
		if err := rows.Scan(&r.ID, &r.Person, &instrument, &point, &r.TakenOn, &answers); err != nil {
			return nil, err
		}
		r.Point = measure.Point(point)
		as, err := measure.DecodeAnswers(answers)
		if err != nil {
			return nil, err
		}
		if r.Result, err = measure.Score(measure.ID(instrument), as); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, db.dialect.translate(rows.Err())
}
