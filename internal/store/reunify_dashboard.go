package store

import (
	"context"

	"haven/internal/reunify"
)

// LADashboardData is what the team's dashboard is computed from: every
// episode of the team's children that ended in a return home or started a
// period of care (RNE S), which is all that returns and re-entries need, and
// the span and stage of each reunification case. Nothing that names a child.
func (db *DB) LADashboardData(ctx context.Context, team int64) ([]reunify.Episode, []reunify.CaseSpan, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT e.child_id, e.starts_on, e.rne, e.ends_on, e.rec
		FROM la_episodes e JOIN la_children c ON c.id = e.child_id
		WHERE c.la_team_id = $1 AND (e.rne = 'S' OR e.rec IN ('E4A', 'E4B'))`, team)
	if err != nil {
		return nil, nil, db.dialect.translate(err)
	}
	defer rows.Close()
	var eps []reunify.Episode
	for rows.Next() {
		var e reunify.Episode
		if err := rows.Scan(&e.Child, &e.StartsOn, &e.RNE, &e.EndsOn, &e.REC); err != nil {
			return nil, nil, err
		}
		eps = append(eps, e)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, db.dialect.translate(err)
	}
	rows.Close()
	crows, err := db.read.QueryContext(ctx, `SELECT r.child_id, r.opened_on, r.closed_on, r.stage
		FROM reunify_cases r JOIN la_children c ON c.id = r.child_id WHERE c.la_team_id = $1`, team)
	if err != nil {
		return nil, nil, db.dialect.translate(err)
	}
	defer crows.Close()
	var cases []reunify.CaseSpan
	for crows.Next() {
		var c reunify.CaseSpan
		var stage string
		if err := crows.Scan(&c.Child, &c.OpenedOn, &c.ClosedOn, &stage); err != nil {
			return nil, nil, err
		}
		c.Stage = reunify.Stage(stage)
		cases = append(cases, c)
	}
	return eps, cases, db.dialect.translate(crows.Err())
}
