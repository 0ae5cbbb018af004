package store

import (
	"context"
	"strconv"

	"haven/internal/evaluate"
	"haven/internal/haven"
)

// Journeys reads every enrolment in the Practices for the outcome metrics:
// dates and categories only. Three queries in all, however many women: the
// enrolments, then their pregnancies and their proceedings, each through its
// person index.
func (db *DB) Journeys(ctx context.Context, practiceIDs []int64) ([]evaluate.Journey, error) {
	ids := jsonIDs(practiceIDs)
	rows, err := db.read.QueryContext(ctx, `SELECT e.id, e.person_id, e.practice_id, e.phase, e.referred_on, e.engaged_on, e.started_on, e.ended_on, e.exit_category,
			p.date_of_birth, p.care_experienced,
			CASE WHEN e.phase IN ('completed', 'follow-on') THEN 'completed'
				WHEN e.phase = 'ended-early' THEN 'ended-early'
				WHEN e.phase = 'closed' AND EXISTS (SELECT 1 FROM phase_events pe WHERE pe.enrolment_id = e.id AND pe.to_phase = 'ended-early') THEN 'ended-early'
				WHEN e.phase = 'closed' AND EXISTS (SELECT 1 FROM phase_events pe WHERE pe.enrolment_id = e.id AND pe.to_phase = 'completed') THEN 'completed'
				ELSE '' END
		FROM enrolments e JOIN people p ON p.id = e.person_id
		WHERE `+db.dialect.inIDs("e.practice_id", "$1")+`
		ORDER BY e.id`, ids)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	defer rows.Close()
	var out []evaluate.Journey
	byPerson := map[int64][]int{}
	for rows.Next() {
		var j evaluate.Journey
		var phase, ended string
		if err := rows.Scan(&j.Enrolment, &j.Person, &j.Practice, &phase, &j.ReferredOn, &j.EngagedOn, &j.StartedOn, &j.EndedOn, &j.ExitCategory,
			&j.BornOn, &j.CareExperienced, &ended); err != nil {
			return nil, err
		}
		j.Ended = evaluate.Ending(ended)
		byPerson[j.Person] = append(byPerson[j.Person], len(out))
		out = append(out, j)
	}
	if err := rows.Err(); err != nil {
		return nil, db.dialect.translate(err)
	}
	rows.Close()

	// Her pregnancies and proceedings, by the people just read: each through
	// its person index.
	persons := make([]int64, 0, len(byPerson))
	for id := range byPerson {
		persons = append(persons, id)
	}
	people := jsonIDs(persons)
	prows, err := db.read.QueryContext(ctx, `SELECT person_id, known_on FROM pregnancies WHERE `+db.dialect.inIDs("person_id", "$1")+` ORDER BY person_id, known_on`, people)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	defer prows.Close()
	for prows.Next() {
		var person int64
		var on haven.Date
		if err := prows.Scan(&person, &on); err != nil {
			return nil, err
		}
		for _, i := range byPerson[person] {
			out[i].Pregnancies = append(out[i].Pregnancies, on)
		}
	}
	if err := prows.Err(); err != nil {
		return nil, db.dialect.translate(err)
	}
	prows.Close()

	crows, err := db.read.QueryContext(ctx, `SELECT person_id, issued_on, is_index, outcome FROM proceedings WHERE `+db.dialect.inIDs("person_id", "$1")+`
		ORDER BY person_id, issued_on, id`, people)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	defer crows.Close()
	for crows.Next() {
		var person int64
		var p evaluate.Proceedings
		if err := crows.Scan(&person, &p.IssuedOn, &p.Index, &p.Outcome); err != nil {
			return nil, err
		}
		for _, i := range byPerson[person] {
			out[i].Proceedings = append(out[i].Proceedings, p)
		}
	}
	if err := crows.Err(); err != nil {
		return nil, db.dialect.translate(err)
	}
	crows.Close()

	// Her answers at baseline and exit to the questions whose change is reported.
	frows, err := db.read.QueryContext(ctx, `SELECT person_id, point, stable_housing, paid_work, child_contact FROM need_points
		WHERE `+db.dialect.inIDs("person_id", "$1")+` AND point IN ('baseline', 'exit')`, people)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	defer frows.Close()
	for frows.Next() {
		var person int64
		var point, housing, work, contact string
		if err := frows.Scan(&person, &point, &housing, &work, &contact); err != nil {
			return nil, err
		}
		facts := map[string]string{"stable-housing": housing, "paid-work": work, "child-contact": contact}
		for _, i := range byPerson[person] {
			if point == "baseline" {
				out[i].Start = facts
			} else {
				out[i].Exit = facts
			}
		}
	}
	return out, db.dialect.translate(frows.Err())
}

// jsonIDs writes ids as a JSON array, the form inIDs takes.
func jsonIDs(ids []int64) string {
	b := []byte("[")
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(append(b, ']'))
}
