package store

import (
	"context"
	"database/sql"

	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/programme"
	"haven/internal/reunify"
)

// The return-home assessment, the parental agreement and plan, and support
// after the return (issue 18 items 3 to 5). Every function takes the case it
// works on; the caller has found the case through the child in the actor's
// own team (web.laChild), and every write names the case in its WHERE, so a
// case of another child is never touched. Each read and change is audited
// against the child's record.

// Kinds an idempotency key can make in a reunification case.
const (
	KindReunifyGoal    = "reunify-goal"
	KindReunifyReview  = "reunify-review"
	KindReunifyComment = "reunify-comment"
	KindReunifyCheck   = "reunify-check"
)

// PlanParents are the child's parents, for whom the assessment and the
// agreement are written, in the order they were recorded.
func (db *DB) PlanParents(ctx context.Context, childID int64) ([]reunify.Person, error) {
	people, err := db.LAPeople(ctx, childID)
	var out []reunify.Person
	for _, p := range people {
		if p.IsParent() {
			out = append(out, p)
		}
	}
	return out, err
}

// AuditReunifyView records that the actor read a part of a case.
func (db *DB) AuditReunifyView(ctx context.Context, ev audit.Event, c reunify.Case, section string, action audit.Action) error {
	return db.Audit(ctx, laChildEvent(ev, action, c.Child, section))
}

// Assessment is the current version of every section written so far.
func (db *DB) Assessment(ctx context.Context, c reunify.Case) ([]reunify.AssessmentEntry, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT a.section, a.person_id, a.body, a.complete, a.version, COALESCE(a.by_user, 0), COALESCE(u.display_name, ''), a.at
		FROM reunify_assessment a LEFT JOIN users u ON u.id = a.by_user
		WHERE a.case_id = $1 AND a.version = (SELECT MAX(b.version) FROM reunify_assessment b
			WHERE b.case_id = a.case_id AND b.section = a.section AND b.person_id = a.person_id)
		ORDER BY a.section, a.person_id`, c.ID)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	defer rows.Close()
	var out []reunify.AssessmentEntry
	for rows.Next() {
		e := reunify.AssessmentEntry{Case: c.ID}
		if err := rows.Scan(&e.Section, &e.Person, &e.Text, &e.Complete, &e.Version, &e.By, &e.ByName, &e.At); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, db.dialect.translate(rows.Err())
}

// AssessmentVersions lists every saved version of every section, newest
// first within each section.
func (db *DB) AssessmentVersions(ctx context.Context, c reunify.Case) ([]reunify.AssessmentEntry, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT a.section, a.person_id, a.body, a.complete, a.version, COALESCE(a.by_user, 0), COALESCE(u.display_name, ''), a.at
		FROM reunify_assessment a LEFT JOIN users u ON u.id = a.by_user
		WHERE a.case_id = $1 ORDER BY a.section, a.person_id, a.version DESC`, c.ID)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	defer rows.Close()
	var out []reunify.AssessmentEntry
	for rows.Next() {
		e := reunify.AssessmentEntry{Case: c.ID}
		if err := rows.Scan(&e.Section, &e.Person, &e.Text, &e.Complete, &e.Version, &e.By, &e.ByName, &e.At); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, db.dialect.translate(rows.Err())
}

// SaveAssessmentSection saves a new version of a section. version is the
// version the worker started from (0 for a section not yet written); if
// someone has saved since, the save is a conflict and nothing is written.
func (db *DB) SaveAssessmentSection(ctx context.Context, ev audit.Event, c reunify.Case, e reunify.AssessmentEntry, version int64) (reunify.AssessmentEntry, error) {
	e.Case = c.ID
	if err := e.Validate(); err != nil {
		return e, err
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if e.Person != 0 {
			if err := parentOf(ctx, tx, c.Child, e.Person); err != nil {
				return err
			}
		}
		var current int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM reunify_assessment WHERE case_id = $1 AND section = $2 AND person_id = $3`,
			c.ID, e.Section, e.Person).Scan(&current); err != nil {
			return err
		}
		if current != version {
			return haven.ErrConflict
		}
		e.Version = version + 1
		if _, err := tx.ExecContext(ctx, `INSERT INTO reunify_assessment (case_id, section, person_id, body, complete, version, by_user, at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, c.ID, e.Section, e.Person, e.Text, e.Complete, e.Version, nullID(e.By), db.now()); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, laChildEvent(ev, audit.Update, c.Child, "assessment:"+e.Section))
	})
	return e, err
}

// parentOf checks that person is one of the child's parents.
func parentOf(ctx context.Context, tx *sql.Tx, childID, person int64) error {
	var p reunify.Person
	err := tx.QueryRowContext(ctx, `SELECT relationship, parental_responsibility FROM la_child_people WHERE id = $1 AND child_id = $2`,
		person, childID).Scan(&p.Relationship, &p.ParentalResponsibility)
	if err == sql.ErrNoRows || err == nil && !p.IsParent() {
		return haven.Invalid(map[string]string{"person": "Choose one of the child's parents"})
	}
	return err
}

// Plan is the case's agreement; Version 0 if none is written yet.
func (db *DB) Plan(ctx context.Context, c reunify.Case) (reunify.Plan, error) {
	p := reunify.Plan{Case: c.ID}
	var r1, r2, r3 haven.Date
	err := db.read.QueryRowContext(ctx, `SELECT expectations, agreed_on, review_1, review_2, review_3, version FROM reunify_plans WHERE case_id = $1`, c.ID).
		Scan(&p.Expectations, &p.AgreedOn, &r1, &r2, &r3, &p.Version)
	if err == sql.ErrNoRows {
		return p, nil
	}
	for _, d := range []haven.Date{r1, r2, r3} {
		if !d.IsZero() {
			p.ReviewDates = append(p.ReviewDates, d)
		}
	}
	return p, db.dialect.translate(err)
}

// SavePlan writes the agreement. version is the one the worker started from
// (0 for a new plan); a stale version is a conflict.
func (db *DB) SavePlan(ctx context.Context, ev audit.Event, c reunify.Case, p reunify.Plan, version, by int64, today haven.Date) (reunify.Plan, error) {
	p.Case = c.ID
	if err := p.Validate(today); err != nil {
		return p, err
	}
	reviews := make([]any, reunify.MaxReviewDates)
	for i := range reviews {
		reviews[i] = nil
		if i < len(p.ReviewDates) {
			reviews[i] = nullDate(p.ReviewDates[i])
		}
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		now := db.now()
		if version == 0 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO reunify_plans (case_id, expectations, agreed_on, review_1, review_2, review_3, version, by_user, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8)`, c.ID, p.Expectations, nullDate(p.AgreedOn), reviews[0], reviews[1], reviews[2], nullID(by), now); err != nil {
				return err // a plan already written is a unique clash: ErrConflict
			}
		} else {
			res, err := tx.ExecContext(ctx, `UPDATE reunify_plans SET expectations = $1, agreed_on = $2, review_1 = $3, review_2 = $4, review_3 = $5,
				version = version + 1, by_user = $6, updated_at = $7 WHERE case_id = $8 AND version = $9`,
				p.Expectations, nullDate(p.AgreedOn), reviews[0], reviews[1], reviews[2], nullID(by), now, c.ID, version)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil {
				return err
			} else if n != 1 {
				return haven.ErrConflict
			}
		}
		p.Version = version + 1
		return db.appendAudit(ctx, tx, laChildEvent(ev, audit.Update, c.Child, "plan"))
	})
	return p, err
}

// PlanGoals are the plan's goals, in the order they were added.
func (db *DB) PlanGoals(ctx context.Context, c reunify.Case) ([]reunify.Goal, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, case_id, person_id, words, steps, timeframe, support, version FROM reunify_goals WHERE case_id = $1 ORDER BY id`, c.ID)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	defer rows.Close()
	var out []reunify.Goal
	for rows.Next() {
		var g reunify.Goal
		if err := rows.Scan(&g.ID, &g.Case, &g.Person, &g.Words, &g.Steps, &g.Timeframe, &g.Support, &g.Version); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, db.dialect.translate(rows.Err())
}

// AddPlanGoal adds a goal for one of the child's parents.
func (db *DB) AddPlanGoal(ctx context.Context, ev audit.Event, c reunify.Case, g reunify.Goal, by int64) (reunify.Goal, error) {
	g.Case = c.ID
	if err := g.Validate(); err != nil {
		return g, err
	}
	g.Version = 1
	err := db.createTx(ctx, onLAChild(ev.UserID, KindReunifyGoal, c.Child), func(tx *sql.Tx) (int64, string, error) {
		if err := parentOf(ctx, tx, c.Child, g.Person); err != nil {
			return 0, "", err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO reunify_goals (case_id, person_id, words, steps, timeframe, support, version, by_user, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8) RETURNING id`, c.ID, g.Person, g.Words, g.Steps, g.Timeframe, g.Support, nullID(by), db.now()).Scan(&g.ID); err != nil {
			return 0, "", err
		}
		return g.ID, "", db.appendAudit(ctx, tx, laChildEvent(ev, audit.Create, c.Child, "plan:goals"))
	})
	return g, err
}

// PlanReviews are the plan's reviews with their ratings, oldest first.
func (db *DB) PlanReviews(ctx context.Context, c reunify.Case) ([]reunify.Review, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT r.id, r.held_on, r.note, COALESCE(r.by_user, 0), COALESCE(x.goal_id, 0), COALESCE(x.rating, '')
		FROM reunify_reviews r LEFT JOIN reunify_ratings x ON x.review_id = r.id
		WHERE r.case_id = $1 ORDER BY r.held_on, r.id`, c.ID)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	defer rows.Close()
	var out []reunify.Review
	for rows.Next() {
		var r reunify.Review
		var goal int64
		var rating string
		if err := rows.Scan(&r.ID, &r.HeldOn, &r.Note, &r.By, &goal, &rating); err != nil {
			return nil, err
		}
		if n := len(out); n == 0 || out[n-1].ID != r.ID {
			r.Case, r.Ratings = c.ID, map[int64]reunify.Rating{}
			out = append(out, r)
		}
		if goal != 0 {
			out[len(out)-1].Ratings[goal] = reunify.Rating(rating)
		}
	}
	return out, db.dialect.translate(rows.Err())
}

// AddPlanReview records a review rating every goal of the plan, all in one
// transaction: a review is never half written.
func (db *DB) AddPlanReview(ctx context.Context, ev audit.Event, c reunify.Case, r reunify.Review, today haven.Date) (reunify.Review, error) {
	r.Case = c.ID
	goals, err := db.PlanGoals(ctx, c)
	if err != nil {
		return r, err
	}
	if err := r.Validate(goals, today); err != nil {
		return r, err
	}
	err = db.createTx(ctx, onLAChild(ev.UserID, KindReunifyReview, c.Child), func(tx *sql.Tx) (int64, string, error) {
		if err := tx.QueryRowContext(ctx, `INSERT INTO reunify_reviews (case_id, held_on, note, by_user, at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			c.ID, r.HeldOn, r.Note, nullID(r.By), db.now()).Scan(&r.ID); err != nil {
			return 0, "", err
		}
		for _, g := range goals {
			if _, err := tx.ExecContext(ctx, `INSERT INTO reunify_ratings (review_id, goal_id, rating)
				SELECT $1, id, $2 FROM reunify_goals WHERE id = $3 AND case_id = $4`, r.ID, string(r.Ratings[g.ID]), g.ID, c.ID); err != nil {
				return 0, "", err
			}
		}
		return r.ID, "", db.appendAudit(ctx, tx, laChildEvent(ev, audit.Create, c.Child, "plan:reviews"))
	})
	if uniqueClash(err) {
		return r, haven.Invalid(map[string]string{"heldOn": "The plan already has a review on this date"})
	}
	return r, err
}

// PlanComments are the parents' own words about the plan, oldest first.
func (db *DB) PlanComments(ctx context.Context, c reunify.Case) ([]reunify.Comment, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, person_id, said_on, words, COALESCE(by_user, 0) FROM reunify_comments WHERE case_id = $1 ORDER BY said_on, id`, c.ID)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	defer rows.Close()
	var out []reunify.Comment
	for rows.Next() {
		cm := reunify.Comment{Case: c.ID}
		if err := rows.Scan(&cm.ID, &cm.Person, &cm.SaidOn, &cm.Words, &cm.By); err != nil {
			return nil, err
		}
		out = append(out, cm)
	}
	return out, db.dialect.translate(rows.Err())
}

// AddPlanComment records what a parent said about the plan.
func (db *DB) AddPlanComment(ctx context.Context, ev audit.Event, c reunify.Case, cm reunify.Comment, today haven.Date) (reunify.Comment, error) {
	cm.Case = c.ID
	if err := cm.Validate(today); err != nil {
		return cm, err
	}
	err := db.createTx(ctx, onLAChild(ev.UserID, KindReunifyComment, c.Child), func(tx *sql.Tx) (int64, string, error) {
		if err := parentOf(ctx, tx, c.Child, cm.Person); err != nil {
			return 0, "", err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO reunify_comments (case_id, person_id, said_on, words, by_user, at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			c.ID, cm.Person, cm.SaidOn, cm.Words, nullID(cm.By), db.now()).Scan(&cm.ID); err != nil {
			return 0, "", err
		}
		return cm.ID, "", db.appendAudit(ctx, tx, laChildEvent(ev, audit.Create, c.Child, "plan:comments"))
	})
	return cm, err
}

// Support is the case's support package after the return; Version 0 if none.
func (db *DB) Support(ctx context.Context, c reunify.Case) (reunify.Support, error) {
	s := reunify.Support{Case: c.ID}
	err := db.read.QueryRowContext(ctx, `SELECT package, ends_on, version FROM reunify_support WHERE case_id = $1`, c.ID).Scan(&s.Package, &s.EndsOn, &s.Version)
	if err == sql.ErrNoRows {
		return s, nil
	}
	return s, db.dialect.translate(err)
}

// SaveSupport writes the support package. version is the one the worker
// started from (0 for a new package); a stale version is a conflict.
func (db *DB) SaveSupport(ctx context.Context, ev audit.Event, c reunify.Case, s reunify.Support, version, by int64) (reunify.Support, error) {
	s.Case = c.ID
	if err := s.Validate(); err != nil {
		return s, err
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		now := db.now()
		if version == 0 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO reunify_support (case_id, package, ends_on, version, by_user, updated_at) VALUES ($1, $2, $3, 1, $4, $5)`,
				c.ID, s.Package, s.EndsOn, nullID(by), now); err != nil {
				return err
			}
		} else {
			res, err := tx.ExecContext(ctx, `UPDATE reunify_support SET package = $1, ends_on = $2, version = version + 1, by_user = $3, updated_at = $4
				WHERE case_id = $5 AND version = $6`, s.Package, s.EndsOn, nullID(by), now, c.ID, version)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil {
				return err
			} else if n != 1 {
				return haven.ErrConflict
			}
		}
		s.Version = version + 1
		return db.appendAudit(ctx, tx, laChildEvent(ev, audit.Update, c.Child, "support"))
	})
	return s, err
}

// OutcomeChecks are the checks recorded after the return, by month.
func (db *DB) OutcomeChecks(ctx context.Context, c reunify.Case) ([]reunify.OutcomeCheck, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, month, checked_on, outcome, note, COALESCE(by_user, 0) FROM reunify_checks WHERE case_id = $1 ORDER BY month`, c.ID)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	defer rows.Close()
	var out []reunify.OutcomeCheck
	for rows.Next() {
		k := reunify.OutcomeCheck{Case: c.ID}
		if err := rows.Scan(&k.ID, &k.Month, &k.CheckedOn, &k.Outcome, &k.Note, &k.By); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, db.dialect.translate(rows.Err())
}

// RecordOutcomeCheck records the check at 3, 6 or 12 months after a return
// on returned. Each is recorded once.
func (db *DB) RecordOutcomeCheck(ctx context.Context, ev audit.Event, c reunify.Case, k reunify.OutcomeCheck, returned, today haven.Date) (reunify.OutcomeCheck, error) {
	k.Case = c.ID
	if err := k.Validate(returned, today); err != nil {
		return k, err
	}
	err := db.createTx(ctx, onLAChild(ev.UserID, KindReunifyCheck, c.Child), func(tx *sql.Tx) (int64, string, error) {
		if err := tx.QueryRowContext(ctx, `INSERT INTO reunify_checks (case_id, month, checked_on, outcome, note, by_user, at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			c.ID, k.Month, k.CheckedOn, k.Outcome, k.Note, nullID(k.By), db.now()).Scan(&k.ID); err != nil {
			return 0, "", err
		}
		return k.ID, "", db.appendAudit(ctx, tx, laChildEvent(ev, audit.Create, c.Child, "support:checks"))
	})
	if uniqueClash(err) {
		return k, haven.Invalid(map[string]string{"month": "This check is already recorded"})
	}
	return k, err
}

// TaskOutcomeCheck is the reminder that an outcome check after a return is due.
const TaskOutcomeCheck programme.TaskKind = "reunify-outcome-check"

// ReunifyTasks are the outcome checks due for the children of an LA team:
// for a social worker, the children allocated to them (or, with no worker
// allocated, whose case they opened); for a team manager, every child in the
// team. Cases closed are left out.
func (db *DB) ReunifyTasks(ctx context.Context, teamID, userID int64, manager bool, today haven.Date) ([]programme.Task, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT ch.id, ch.child_ref, ch.first_name, ch.born_on, rc.id, rc.opened_on
		FROM la_children ch JOIN reunify_cases rc ON rc.child_id = ch.id AND rc.closed_on IS NULL
		WHERE ch.la_team_id = $1 AND ($3 OR ch.worker_id = $2 OR (ch.worker_id IS NULL AND rc.worker_id = $2))
		ORDER BY ch.id`, teamID, userID, manager)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	type open struct {
		child reunify.Child
		c     reunify.Case
	}
	var cases []open
	for rows.Next() {
		var o open
		if err := rows.Scan(&o.child.ID, &o.child.Ref, &o.child.FirstName, &o.child.BornOn, &o.c.ID, &o.c.OpenedOn); err != nil {
			rows.Close()
			return nil, err
		}
		o.c.Child = o.child.ID
		cases = append(cases, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, db.dialect.translate(err)
	}
	var tasks []programme.Task
	for _, o := range cases {
		eps, err := db.LAEpisodes(ctx, o.child.ID)
		if err != nil {
			return nil, err
		}
		returned := reunify.ReturnedOn(eps, o.c.OpenedOn)
		if returned.IsZero() {
			continue
		}
		checks, err := db.OutcomeChecks(ctx, o.c)
		if err != nil {
			return nil, err
		}
		done := map[int]bool{}
		for _, k := range checks {
			done[k.Month] = true
		}
		for _, due := range reunify.ChecksDue(returned, done, today) {
			tasks = append(tasks, programme.Task{Kind: TaskOutcomeCheck, PersonRef: o.child.Ref, PersonName: o.child.FirstName, PersonDOB: o.child.BornOn, Due: due.Due,
				Text: "Check how " + o.child.FirstName + " is doing " + itoa(int64(due.Month)) + " months after going home",
				Link: "/la/children/" + itoa(o.child.ID) + "/reunification/support#check-" + itoa(int64(due.Month))})
		}
	}
	programme.SortTasks(tasks)
	return tasks, nil
}
