package store

import (
	"context"
	"database/sql"

	"haven/internal/evaluate"
	"haven/internal/haven"
)

// OutcomeQuery is which enrolments the outcome report counts: those in the
// Practices whose engagement (or, before it, referral) began in [From, To].
// A zero From or To is open.
type OutcomeQuery struct {
	Practices []int64
	From, To  haven.Date
}

// OutcomeJourneys reads what the outcome report judges, one row an
// enrolment in one statement: its dates, ending and early exit's category, her first pregnancy
// known on or after engagement began and her first proceedings issued after
// it, and her answers at baseline and exit. The metrics ask only whether
// one such date falls in a window, so the first after engagement decides as
// all of them would (TestOutcomeJourneysJudgeAsJourneys); her other
// pregnancies and proceedings, her age and history are left in the database.
func (db *DB) OutcomeJourneys(ctx context.Context, q OutcomeQuery) ([]evaluate.Journey, error) {
	from, to := q.From, q.To
	if from.IsZero() {
		from = haven.NewDate(1000, 1, 1) // year 1 is the zero Date, stored as NULL
	}
	if to.IsZero() {
		to = haven.NewDate(9999, 12, 31)
	}
	rows, err := db.read.QueryContext(ctx, db.outcomeJourneysSQL(), jsonIDs(q.Practices), from, to)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	defer rows.Close()
	var out []evaluate.Journey
	for rows.Next() {
		var j evaluate.Journey
		var ended string
		var pregnancy, proceedings sql.NullString
		var start, exit [3]string
		if err := rows.Scan(&j.Practice, &j.Person, &j.ReferredOn, &j.EngagedOn, &j.StartedOn, &j.EndedOn, &j.ExitCategory, &ended, &pregnancy, &proceedings,
			&start[0], &start[1], &start[2], &exit[0], &exit[1], &exit[2]); err != nil {
			return nil, err
		}
		j.Ended = evaluate.Ending(ended)
		if pregnancy.Valid {
			on, err := haven.ParseDate(pregnancy.String[:10])
			if err != nil {
				return nil, err
			}
			j.Pregnancies = []haven.Date{on}
		}
		if proceedings.Valid {
			on, err := haven.ParseDate(proceedings.String[:10])
			if err != nil {
				return nil, err
			}
			j.Proceedings = []evaluate.Proceedings{{IssuedOn: on}}
		}
		if start[0] != "" {
			j.Start = map[string]string{"stable-housing": start[0], "paid-work": start[1], "child-contact": start[2]}
		}
		if exit[0] != "" {
			j.Exit = map[string]string{"stable-housing": exit[0], "paid-work": exit[1], "child-contact": exit[2]}
		}
		out = append(out, j)
	}
	return out, db.dialect.translate(rows.Err())
}

// outcomeJourneysSQL is OutcomeJourneys's statement: $1 the Practices, $2
// and $3 the period.
func (db *DB) outcomeJourneysSQL() string {
	d := db.dialect
	// On SQLite a date may be held as 'YYYY-MM-DD' or, from the bulk
	// loader, 'YYYY-MM-DDT00:00:00Z'; d.day compares either as a date.
	began := d.day("COALESCE(e.engaged_on, e.referred_on)")
	kept := d.inIDs("e.practice_id", "$1") + ` AND ` + began + ` >= ` + d.day("$2") + ` AND ` + began + ` <= ` + d.day("$3")
	// Her first pregnancy and proceedings after engagement, as joins grouped
	// by enrolment: PostgreSQL hashes them, where a subquery for each
	// enrolment scanned the pregnancies once an enrolment.
	return `WITH fp AS (SELECT e.id, MIN(` + d.day("g.known_on") + `) AS first_on FROM enrolments e
				JOIN pregnancies g ON g.person_id = e.person_id AND ` + d.day("g.known_on") + ` >= ` + d.day("e.engaged_on") + `
				WHERE ` + kept + ` GROUP BY e.id),
			fc AS (SELECT e.id, MIN(` + d.day("c.issued_on") + `) AS first_on FROM enrolments e
				JOIN proceedings c ON c.person_id = e.person_id AND ` + d.day("c.issued_on") + ` > ` + d.day("e.engaged_on") + `
				WHERE ` + kept + ` GROUP BY e.id)
		SELECT e.practice_id, e.person_id, e.referred_on, e.engaged_on, e.started_on, e.ended_on, e.exit_category,
			CASE WHEN e.phase IN ('completed', 'follow-on') THEN 'completed'
				WHEN e.phase = 'ended-early' THEN 'ended-early'
				WHEN e.phase = 'closed' AND EXISTS (SELECT 1 FROM phase_events pe WHERE pe.enrolment_id = e.id AND pe.to_phase = 'ended-early') THEN 'ended-early'
				WHEN e.phase = 'closed' AND EXISTS (SELECT 1 FROM phase_events pe WHERE pe.enrolment_id = e.id AND pe.to_phase = 'completed') THEN 'completed'
				ELSE '' END,
			fp.first_on, fc.first_on,
			COALESCE(s.stable_housing, ''), COALESCE(s.paid_work, ''), COALESCE(s.child_contact, ''),
			COALESCE(x.stable_housing, ''), COALESCE(x.paid_work, ''), COALESCE(x.child_contact, '')
		FROM enrolments e
			LEFT JOIN fp ON fp.id = e.id
			LEFT JOIN fc ON fc.id = e.id
			LEFT JOIN need_points s ON s.person_id = e.person_id AND s.point = 'baseline'
			LEFT JOIN need_points x ON x.person_id = e.person_id AND x.point = 'exit'
		WHERE ` + kept
}
