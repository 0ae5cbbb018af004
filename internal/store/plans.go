package store

import (
	"context"
	"database/sql"

	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/programme"
)

// Goals returns her support plan, goals by domain then age, with reviews.
// Goals in a restricted domain come back only when restricted is true.
func (db *DB) Goals(ctx context.Context, personID int64, restricted bool) ([]programme.Goal, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, person_id, domain, words, steps, target_on, progress, version, created_at, updated_at
		FROM goals WHERE person_id = $1 AND ($2 OR domain <> 'sexual-health') ORDER BY id`, personID, restricted)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	var out []programme.Goal
	idx := map[int64]int{}
	for rows.Next() {
		var g programme.Goal
		var domain, progress string
		if err := rows.Scan(&g.ID, &g.PersonID, &domain, &g.Words, &g.Steps, &g.TargetOn, &progress, &g.Version, &g.CreatedAt, &g.UpdatedAt); err != nil {
			rows.Close()
			return nil, err
		}
		g.Domain, g.Progress = programme.Domain(domain), programme.Progress(progress)
		idx[g.ID] = len(out)
		out = append(out, g)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, db.dialect.translate(err)
	}
	revs, err := db.read.QueryContext(ctx, `SELECT r.goal_id, r.on_date, r.note, r.progress, COALESCE(r.by_user, 0), COALESCE(u.display_name, ''), r.at
		FROM goal_reviews r JOIN goals g ON g.id = r.goal_id LEFT JOIN users u ON u.id = r.by_user
		WHERE g.person_id = $1 ORDER BY r.id`, personID)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	defer revs.Close()
	for revs.Next() {
		var id int64
		var r programme.Review
		var progress string
		if err := revs.Scan(&id, &r.On, &r.Note, &progress, &r.By, &r.ByName, &r.At); err != nil {
			return nil, err
		}
		r.Progress = programme.Progress(progress)
		if i, ok := idx[id]; ok {
			out[i].Reviews = append(out[i].Reviews, r)
		}
	}
	return out, db.dialect.translate(revs.Err())
}

func goalSection(d programme.Domain) string {
	if d.Restricted() {
		return "plan:" + string(d)
	}
	return "plan"
}

// CreateGoal adds a goal to her plan; its target date is checked against today.
func (db *DB) CreateGoal(ctx context.Context, ev audit.Event, g programme.Goal, by int64, today haven.Date) (programme.Goal, error) {
	if err := g.Validate(today); err != nil {
		return g, err
	}
	now := db.now()
	g.Version, g.CreatedAt, g.UpdatedAt = 1, now, now
	err := db.createTx(ctx, onPerson(ev.UserID, KindGoal, g.PersonID), func(tx *sql.Tx) (int64, string, error) {
		if err := tx.QueryRowContext(ctx, `INSERT INTO goals (person_id, domain, words, steps, target_on, progress, created_by, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8) RETURNING id`,
			g.PersonID, string(g.Domain), g.Words, g.Steps, g.TargetOn, string(g.Progress), nullID(by), now).Scan(&g.ID); err != nil {
			return 0, "", err
		}
		return g.ID, "", db.appendAudit(ctx, tx, personEvent(ev, audit.Create, g.PersonID, goalSection(g.Domain)))
	})
	return g, err
}

// ReviewGoal records a review and the goal's progress after it. version is
// the goal's version the practitioner saw; a stale version is a conflict.
func (db *DB) ReviewGoal(ctx context.Context, ev audit.Event, g programme.Goal, r programme.Review, version int64, today haven.Date) error {
	if err := r.Validate(today); err != nil {
		return err
	}
	// A repeat names the goal, which is where the form goes back to.
	return db.createTx(ctx, claim{user: ev.UserID, kind: KindGoalReview, target: "goal:" + itoa(g.ID)}, func(tx *sql.Tx) (int64, string, error) {
		res, err := tx.ExecContext(ctx, `UPDATE goals SET progress = $1, version = version + 1, updated_at = $2 WHERE id = $3 AND person_id = $4 AND version = $5`,
			string(r.Progress), db.now(), g.ID, g.PersonID, version)
		if err != nil {
			return 0, "", err
		}
		if err := checkHerVersioned(ctx, tx, res, "goals", g.ID, g.PersonID); err != nil {
			return 0, "", err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO goal_reviews (goal_id, on_date, note, progress, by_user, at) VALUES ($1, $2, $3, $4, $5, $6)`,
			g.ID, r.On, r.Note, string(r.Progress), nullID(r.By), db.now()); err != nil {
			return 0, "", err
		}
		return g.ID, "", db.appendAudit(ctx, tx, personEvent(ev, audit.Update, g.PersonID, goalSection(g.Domain)))
	})
}
