package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"

	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/reunify"
)

// Kinds an idempotency key can make in a local authority team's records.
const (
	KindLAChild   = "la-child"
	KindLAEpisode = "la-episode"
	KindReunify   = "reunify-case"
)

// laChildEvent is ev about a looked-after child's record. Every read and
// change of it is audited, like hers.
func laChildEvent(ev audit.Event, action audit.Action, childID int64, section string) audit.Event {
	ev.Action, ev.RecordType, ev.RecordID, ev.Section = action, "la-child", itoa(childID), section
	return ev
}

// onLAChild is an idempotency claim on a child's record.
func onLAChild(user int64, kind string, childID int64) claim {
	return claim{user: user, kind: kind, target: "la-child:" + strconv.FormatInt(childID, 10)}
}

// CreateLAChild stores a looked-after child in a team's records.
func (db *DB) CreateLAChild(ctx context.Context, ev audit.Event, c reunify.Child, by int64, today haven.Date) (reunify.Child, error) {
	if err := c.Validate(today); err != nil {
		return c, err
	}
	now := db.now()
	c.Version, c.CreatedAt, c.UpdatedAt = 1, now, now
	err := db.createTx(ctx, claim{user: ev.UserID, kind: KindLAChild}, func(tx *sql.Tx) (int64, string, error) {
		if err := tx.QueryRowContext(ctx, `INSERT INTO la_children (la_team_id, child_ref, first_name, born_on, worker_id, version, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $7) RETURNING id`,
			c.Team, c.Ref, c.FirstName, c.BornOn, nullID(c.Worker), nullID(by), now).Scan(&c.ID); err != nil {
			return 0, "", err
		}
		return c.ID, "", db.appendAudit(ctx, tx, laChildEvent(ev, audit.Create, c.ID, ""))
	})
	if uniqueClash(err) {
		return c, haven.Invalid(map[string]string{"ref": "A child with this ID is already in your team's records"})
	}
	return c, err
}

const laChildColumns = `id, la_team_id, child_ref, first_name, born_on, COALESCE(worker_id, 0), version, created_at, updated_at`

func scanLAChild(row interface{ Scan(...any) error }) (reunify.Child, error) {
	var c reunify.Child
	err := row.Scan(&c.ID, &c.Team, &c.Ref, &c.FirstName, &c.BornOn, &c.Worker, &c.Version, &c.CreatedAt, &c.UpdatedAt)
	return c, err
}

// LAChild returns a child in the team's records. A child of another team is
// not found: the team is the tenant.
func (db *DB) LAChild(ctx context.Context, teamID, childID int64) (reunify.Child, error) {
	c, err := scanLAChild(db.read.QueryRowContext(ctx, `SELECT `+laChildColumns+` FROM la_children WHERE id = $1 AND la_team_id = $2`, childID, teamID))
	return c, db.dialect.translate(err)
}

// LAChildren lists the team's children in the order they were recorded, a
// page at a time.
func (db *DB) LAChildren(ctx context.Context, teamID int64, page Page) ([]reunify.Child, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+laChildColumns+` FROM la_children WHERE la_team_id = $1 AND id > $2
		ORDER BY id LIMIT $3`, teamID, page.After, page.limit())
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	defer rows.Close()
	var out []reunify.Child
	for rows.Next() {
		c, err := scanLAChild(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, db.dialect.translate(rows.Err())
}

// LAEpisodes lists a child's episodes, oldest first.
func (db *DB) LAEpisodes(ctx context.Context, childID int64) ([]reunify.Episode, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, child_id, starts_on, rne, legal_status, placement, provider, ends_on, rec, place_change, version
		FROM la_episodes WHERE child_id = $1 ORDER BY starts_on, id`, childID)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	defer rows.Close()
	var out []reunify.Episode
	for rows.Next() {
		var e reunify.Episode
		if err := rows.Scan(&e.ID, &e.Child, &e.StartsOn, &e.RNE, &e.LegalStatus, &e.Placement, &e.Provider, &e.EndsOn, &e.REC, &e.PlaceChange, &e.Version); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, db.dialect.translate(rows.Err())
}

// AddLAEpisode records one episode for a child. The rules between a child's
// episodes (no overlap, one open episode) are the caller's to check with
// the episodes it has read; the database holds one episode a day.
func (db *DB) AddLAEpisode(ctx context.Context, ev audit.Event, e reunify.Episode, by int64, today haven.Date) (reunify.Episode, error) {
	if err := e.Validate(today); err != nil {
		return e, err
	}
	e.Version = 1
	err := db.createTx(ctx, onLAChild(ev.UserID, KindLAEpisode, e.Child), func(tx *sql.Tx) (int64, string, error) {
		if err := tx.QueryRowContext(ctx, `INSERT INTO la_episodes (child_id, starts_on, rne, legal_status, placement, provider, ends_on, rec, place_change, version, created_by, at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $11) RETURNING id`,
			e.Child, e.StartsOn, e.RNE, e.LegalStatus, e.Placement, e.Provider, nullDate(e.EndsOn), e.REC, e.PlaceChange, nullID(by), db.now()).Scan(&e.ID); err != nil {
			return 0, "", err
		}
		return e.ID, "", db.appendAudit(ctx, tx, laChildEvent(ev, audit.Create, e.Child, "episodes"))
	})
	if uniqueClash(err) {
		return e, haven.Invalid(map[string]string{"startsOn": "The child already has an episode starting on this date"})
	}
	return e, err
}

// OpenReunification opens a case for a child who has none open.
func (db *DB) OpenReunification(ctx context.Context, ev audit.Event, c reunify.Case, today haven.Date) (reunify.Case, error) {
	if err := c.Validate(today); err != nil {
		return c, err
	}
	now := db.now()
	c.Stage, c.Version, c.CreatedAt, c.UpdatedAt = reunify.StageIdentification, 1, now, now
	err := db.createTx(ctx, onLAChild(ev.UserID, KindReunify, c.Child), func(tx *sql.Tx) (int64, string, error) {
		if err := tx.QueryRowContext(ctx, `INSERT INTO reunify_cases (child_id, route, stage, opened_on, worker_id, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, 1, $6, $6) RETURNING id`,
			c.Child, c.Route, string(c.Stage), c.OpenedOn, nullID(c.Worker), now).Scan(&c.ID); err != nil {
			return 0, "", err
		}
		return c.ID, "", db.appendAudit(ctx, tx, laChildEvent(ev, audit.Create, c.Child, "reunification"))
	})
	if uniqueClash(err) {
		return c, haven.Invalid(map[string]string{"route": "This child already has an open reunification case"})
	}
	return c, err
}

// ReunificationCases lists a child's cases, newest first.
func (db *DB) ReunificationCases(ctx context.Context, childID int64) ([]reunify.Case, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, child_id, route, stage, opened_on, closed_on, outcome, outcome_reason, COALESCE(worker_id, 0), version, created_at, updated_at
		FROM reunify_cases WHERE child_id = $1 ORDER BY opened_on DESC, id DESC`, childID)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	defer rows.Close()
	var out []reunify.Case
	for rows.Next() {
		var c reunify.Case
		var stage string
		if err := rows.Scan(&c.ID, &c.Child, &c.Route, &stage, &c.OpenedOn, &c.ClosedOn, &c.Outcome, &c.OutcomeReason, &c.Worker, &c.Version, &c.CreatedAt, &c.UpdatedAt); err != nil {
			return nil, err
		}
		c.Stage = reunify.Stage(stage)
		out = append(out, c)
	}
	return out, db.dialect.translate(rows.Err())
}

// uniqueClash reports whether err is a unique index refusing a second row,
// not an idempotency key's conflict.
func uniqueClash(err error) bool {
	var e *haven.Error
	return errors.As(err, &e) && e == haven.ErrConflict
}

// nullDate stores the zero date as NULL.
func nullDate(d haven.Date) any {
	if d.IsZero() {
		return nil
	}
	return d
}
