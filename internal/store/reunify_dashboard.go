package store

import (
	"context"

	"haven/internal/reunify"
)

// LADashboardData is what the team's dashboard is computed from: every
// return home (an episode ending E4A or E4B) with the start of the child's
// next period of care, if any (reunify.Returns' rule, done here so that only
// one row a return leaves the database), and the span and stage of each
// reunification case, in no particular order. Nothing that names a child.
func (db *DB) LADashboardData(ctx context.Context, team int64) ([]reunify.Return, []reunify.CaseSpan, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT h.child_id, h.ends_on, h.rec,
			(SELECT MIN(s.starts_on) FROM la_episodes s WHERE s.child_id = h.child_id AND s.rne = 'S' AND s.starts_on >= h.ends_on)
		FROM la_episodes h JOIN la_children c ON c.id = h.child_id
		WHERE c.la_team_id = $1 AND h.rec IN ('E4A', 'E4B')`, team)
	if err != nil {
		return nil, nil, db.dialect.translate(err)
	}
	defer rows.Close()
	var out []reunify.Return
	for rows.Next() {
		var r reunify.Return
		if err := rows.Scan(&r.Child, &r.On, &r.REC, &r.ReEntry); err != nil {
			return nil, nil, err
		}
		out = append(out, r)
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
	return out, cases, db.dialect.translate(crows.Err())
}

// LADashboardCases is what the dashboard links to each return home: every
// case of the team's children with when it was open, its signed-off risk
// classification at Decision 3 (risk classification 2), whether its
// parental agreement was agreed, and when support is planned to end.
func (db *DB) LADashboardCases(ctx context.Context, team int64) ([]reunify.CaseFacts, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT r.child_id, r.opened_on, r.closed_on,
			COALESCE((SELECT d.level_label FROM reunify_decisions d WHERE d.case_id = r.id AND d.kind = 'risk-2' AND d.status = 'signed'
				ORDER BY d.signed_at DESC, d.id DESC LIMIT 1), ''),
			p.agreed_on IS NOT NULL, s.ends_on
		FROM reunify_cases r JOIN la_children c ON c.id = r.child_id
			LEFT JOIN reunify_plans p ON p.case_id = r.id
			LEFT JOIN reunify_support s ON s.case_id = r.id
		WHERE c.la_team_id = $1`, team)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	defer rows.Close()
	var out []reunify.CaseFacts
	for rows.Next() {
		var c reunify.CaseFacts
		if err := rows.Scan(&c.Child, &c.OpenedOn, &c.ClosedOn, &c.Risk, &c.Agreed, &c.SupportEndsOn); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, db.dialect.translate(rows.Err())
}
