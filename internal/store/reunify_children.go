package store

import (
	"context"
	"database/sql"
	"strings"

	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/reunify"
)

// A looked-after child's record beyond the foundation (reunify.go): the
// children list with each child's current episode, episodes added and ended
// by hand with the rules between them checked in the same transaction, the
// people around the child, and the child's views. Every read a page makes
// is audited through AuditLAChild; every change writes its own audit row.

// Kinds an idempotency key can make on a child's record, after reunify.go's.
const (
	KindLAPerson = "la-person"
	KindLAView   = "la-view"
)

// LAChildRow is one line of the team's children list: the child and the
// open episode, if any (zero otherwise).
type LAChildRow struct {
	Child   reunify.Child
	Current reunify.Episode
}

// SearchLAChildren lists the team's children a page at a time, in the
// order recorded; with a term, only those whose ID or first name contains
// it, ignoring case.
func (db *DB) SearchLAChildren(ctx context.Context, teamID int64, term string, page Page) ([]LAChildRow, error) {
	q := `SELECT c.id, c.la_team_id, c.child_ref, c.first_name, c.born_on, COALESCE(c.worker_id, 0), c.version, c.created_at, c.updated_at,
		COALESCE(e.id, 0), e.starts_on, COALESCE(e.rne, ''), COALESCE(e.legal_status, ''), COALESCE(e.placement, ''), COALESCE(e.provider, ''), COALESCE(e.version, 0)
		FROM la_children c LEFT JOIN la_episodes e ON e.child_id = c.id AND e.ends_on IS NULL
		WHERE c.la_team_id = $1 AND c.id > $2`
	args := []any{teamID, page.After, page.limit()}
	if term = strings.TrimSpace(term); term != "" {
		q += ` AND (LOWER(c.first_name) LIKE CAST($4 AS TEXT) ESCAPE '\' OR LOWER(c.child_ref) LIKE CAST($4 AS TEXT) ESCAPE '\')`
		args = append(args, searchPattern(strings.ToLower(term)))
	}
	rows, err := db.read.QueryContext(ctx, q+` ORDER BY c.id LIMIT $3`, args...)
	return collect(db, rows, err, func(r *sql.Rows) (LAChildRow, error) {
		var row LAChildRow
		c, e := &row.Child, &row.Current
		err := r.Scan(&c.ID, &c.Team, &c.Ref, &c.FirstName, &c.BornOn, &c.Worker, &c.Version, &c.CreatedAt, &c.UpdatedAt,
			&e.ID, &e.StartsOn, &e.RNE, &e.LegalStatus, &e.Placement, &e.Provider, &e.Version)
		if e.ID == 0 {
			row.Current = reunify.Episode{}
		} else {
			e.Child = c.ID
		}
		return row, err
	})
}

// AuditLAChild records that the actor saw a section of a child's record
// ("" for the record itself), or the team's children list (childID 0).
func (db *DB) AuditLAChild(ctx context.Context, ev audit.Event, childID int64, section string) error {
	ev = laChildEvent(ev, audit.View, childID, section)
	if childID == 0 {
		ev.RecordID = ""
	}
	return db.Audit(ctx, ev)
}

// lockLAChild holds the child's row for the rest of the transaction, so
// that two workers adding episodes at once check the rules one after the
// other. A no-op update locks on both databases; SQLite's writes are
// serial already.
func lockLAChild(ctx context.Context, tx *sql.Tx, childID int64) error {
	res, err := tx.ExecContext(ctx, `UPDATE la_children SET updated_at = updated_at WHERE id = $1`, childID)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return haven.ErrNotFound
	}
	return nil
}

func txEpisodes(ctx context.Context, tx *sql.Tx, childID int64) ([]reunify.Episode, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, child_id, starts_on, rne, legal_status, placement, provider, ends_on, rec, place_change, version
		FROM la_episodes WHERE child_id = $1 ORDER BY starts_on, id`, childID)
	if err != nil {
		return nil, err
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
	return out, rows.Err()
}

// AddLAEpisodeChecked records an episode a worker entered by hand, after
// checking it on its own and against the child's other episodes
// (reunify.CheckNewEpisode), read in the same transaction.
func (db *DB) AddLAEpisodeChecked(ctx context.Context, ev audit.Event, e reunify.Episode, by int64, today haven.Date) (reunify.Episode, error) {
	if err := e.Validate(today); err != nil {
		return e, err
	}
	e.Version = 1
	err := db.createTx(ctx, onLAChild(ev.UserID, KindLAEpisode, e.Child), func(tx *sql.Tx) (int64, string, error) {
		if err := lockLAChild(ctx, tx, e.Child); err != nil {
			return 0, "", err
		}
		recorded, err := txEpisodes(ctx, tx, e.Child)
		if err != nil {
			return 0, "", err
		}
		if err := reunify.CheckNewEpisode(recorded, e); err != nil {
			return 0, "", err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO la_episodes (child_id, starts_on, rne, legal_status, placement, provider, ends_on, rec, place_change, version, created_by, at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $11) RETURNING id`,
			e.Child, e.StartsOn, e.RNE, e.LegalStatus, e.Placement, e.Provider, nullDate(e.EndsOn), e.REC, e.PlaceChange, nullID(by), db.now()).Scan(&e.ID); err != nil {
			return 0, "", err
		}
		return e.ID, "", db.appendAudit(ctx, tx, laChildEvent(ev, audit.Create, e.Child, "episodes"))
	})
	return e, err
}

// EndLAEpisode ends a child's open episode on endsOn with reason rec, if it
// is still at version.
func (db *DB) EndLAEpisode(ctx context.Context, ev audit.Event, childID, episodeID, version int64, endsOn haven.Date, rec string, today haven.Date) (reunify.Episode, error) {
	var out reunify.Episode
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		recorded, err := txEpisodes(ctx, tx, childID)
		if err != nil {
			return err
		}
		var e reunify.Episode
		found := false
		for _, x := range recorded {
			if x.ID == episodeID {
				e, found = x, true
			}
		}
		if !found {
			return haven.ErrNotFound
		}
		// What was typed is checked first: a correction needs saying even when someone else saved.
		if out, err = reunify.EndEpisode(e, endsOn, rec, today); err != nil {
			return err
		}
		if e.Version != version {
			return haven.ErrConflict
		}
		res, err := tx.ExecContext(ctx, `UPDATE la_episodes SET ends_on = $1, rec = $2, version = version + 1 WHERE id = $3 AND child_id = $4 AND version = $5`,
			endsOn, rec, episodeID, childID, version)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n != 1 {
			return haven.ErrConflict
		}
		out.Version++
		return db.appendAudit(ctx, tx, laChildEvent(ev, audit.Update, childID, "episodes"))
	})
	return out, err
}

// LAPeople lists the people around a child, parents first, then by name.
func (db *DB) LAPeople(ctx context.Context, childID int64) ([]reunify.Person, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, child_id, name, relationship, parental_responsibility, may_be_told, version
		FROM la_child_people WHERE child_id = $1 ORDER BY parental_responsibility DESC, name, id`, childID)
	return collect(db, rows, err, func(r *sql.Rows) (reunify.Person, error) {
		var p reunify.Person
		err := r.Scan(&p.ID, &p.Child, &p.Name, &p.Relationship, &p.ParentalResponsibility, &p.MayBeTold, &p.Version)
		return p, err
	})
}

// AddLAPerson records someone around the child.
func (db *DB) AddLAPerson(ctx context.Context, ev audit.Event, p reunify.Person) (reunify.Person, error) {
	p.Name = strings.TrimSpace(p.Name)
	if err := p.Validate(); err != nil {
		return p, err
	}
	now := db.now()
	p.Version = 1
	err := db.createTx(ctx, onLAChild(ev.UserID, KindLAPerson, p.Child), func(tx *sql.Tx) (int64, string, error) {
		if err := tx.QueryRowContext(ctx, `INSERT INTO la_child_people (child_id, name, relationship, parental_responsibility, may_be_told, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, 1, $6, $6) RETURNING id`, p.Child, p.Name, p.Relationship, p.ParentalResponsibility, p.MayBeTold, now).Scan(&p.ID); err != nil {
			return 0, "", err
		}
		return p.ID, "", db.appendAudit(ctx, tx, laChildEvent(ev, audit.Create, p.Child, "people"))
	})
	return p, err
}

// UpdateLAPerson changes someone around the child, if the record is still
// at version.
func (db *DB) UpdateLAPerson(ctx context.Context, ev audit.Event, p reunify.Person, version int64) (reunify.Person, error) {
	p.Name = strings.TrimSpace(p.Name)
	if err := p.Validate(); err != nil {
		return p, err
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE la_child_people SET name = $1, relationship = $2, parental_responsibility = $3, may_be_told = $4, version = version + 1, updated_at = $5
			WHERE id = $6 AND child_id = $7 AND version = $8`, p.Name, p.Relationship, p.ParentalResponsibility, p.MayBeTold, db.now(), p.ID, p.Child, version)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n != 1 {
			var exists bool
			if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM la_child_people WHERE id = $1 AND child_id = $2)`, p.ID, p.Child).Scan(&exists); err != nil {
				return err
			}
			if !exists {
				return haven.ErrNotFound
			}
			return haven.ErrConflict
		}
		p.Version = version + 1
		return db.appendAudit(ctx, tx, laChildEvent(ev, audit.Update, p.Child, "people"))
	})
	return p, err
}

// LAChildViews lists the child's views, newest first, with who recorded each.
func (db *DB) LAChildViews(ctx context.Context, childID int64) ([]reunify.View, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT v.id, v.child_id, v.said_on, v.words, COALESCE(v.recorded_by, 0), COALESCE(u.display_name, ''), v.at
		FROM la_child_views v LEFT JOIN users u ON u.id = v.recorded_by WHERE v.child_id = $1 ORDER BY v.said_on DESC, v.id DESC`, childID)
	return collect(db, rows, err, func(r *sql.Rows) (reunify.View, error) {
		var v reunify.View
		err := r.Scan(&v.ID, &v.Child, &v.SaidOn, &v.Words, &v.RecordedBy, &v.ByName, &v.At)
		return v, err
	})
}

// AddLAChildView records the child's view in their own words.
func (db *DB) AddLAChildView(ctx context.Context, ev audit.Event, v reunify.View, today haven.Date) (reunify.View, error) {
	v.Words = strings.TrimSpace(v.Words)
	if err := v.Validate(today); err != nil {
		return v, err
	}
	v.At = db.now()
	err := db.createTx(ctx, onLAChild(ev.UserID, KindLAView, v.Child), func(tx *sql.Tx) (int64, string, error) {
		if err := tx.QueryRowContext(ctx, `INSERT INTO la_child_views (child_id, said_on, words, recorded_by, at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			v.Child, v.SaidOn, v.Words, nullID(v.RecordedBy), v.At).Scan(&v.ID); err != nil {
			return 0, "", err
		}
		return v.ID, "", db.appendAudit(ctx, tx, laChildEvent(ev, audit.Create, v.Child, "views"))
	})
	return v, err
}
