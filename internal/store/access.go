package store

import (
	"context"
	"database/sql"
	"strings"

	"haven/internal/access"
)

// CreateOrganisation stores a new organisation and returns it with its ID.
func (db *DB) CreateOrganisation(ctx context.Context, o access.Organisation) (access.Organisation, error) {
	if err := o.Validate(); err != nil {
		return o, err
	}
	now := db.now()
	o.CreatedAt, o.UpdatedAt, o.Version = now, now, 1
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx,
			`INSERT INTO organisations (slug, name, version, created_at, updated_at)
			 VALUES ($1, $2, 1, $3, $3) RETURNING id`, o.Slug, o.Name, now).Scan(&o.ID)
	})
	return o, err
}

// ListOrganisations returns every organisation by name.
func (db *DB) ListOrganisations(ctx context.Context) ([]access.Organisation, error) {
	rows, err := db.read.QueryContext(ctx,
		`SELECT id, slug, name, version, created_at, updated_at FROM organisations ORDER BY name, id`)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	defer rows.Close()
	var out []access.Organisation
	for rows.Next() {
		var o access.Organisation
		if err := rows.Scan(&o.ID, &o.Slug, &o.Name, &o.Version, &o.CreatedAt, &o.UpdatedAt); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, db.dialect.translate(rows.Err())
}

// LocalAuthorities returns the reference list of upper-tier authorities by name.
func (db *DB) LocalAuthorities(ctx context.Context) ([]access.LocalAuthority, error) {
	rows, err := db.read.QueryContext(ctx,
		`SELECT code, name, kind, region_code, region_name FROM local_authorities ORDER BY name`)
	return collect(db, rows, err, func(r *sql.Rows) (access.LocalAuthority, error) {
		var la access.LocalAuthority
		err := r.Scan(&la.Code, &la.Name, &la.Kind, &la.RegionCode, &la.RegionName)
		return la, err
	})
}

// CreatePractice stores a Practice and the local authorities it serves.
func (db *DB) CreatePractice(ctx context.Context, p access.Practice) (access.Practice, error) {
	if err := p.Validate(); err != nil {
		return p, err
	}
	now := db.now()
	p.CreatedAt, p.UpdatedAt, p.Version = now, now, 1
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx,
			`INSERT INTO practices (organisation_id, slug, name, version, created_at, updated_at)
			 VALUES ($1, $2, $3, 1, $4, $4) RETURNING id`, p.OrganisationID, p.Slug, p.Name, now).Scan(&p.ID)
		if err != nil {
			return err
		}
		if err := setPracticeLAs(ctx, tx, p.ID, p.LocalAuthorities); err != nil {
			return err
		}
		return linkPracticeService(ctx, tx, p, now)
	})
	db.dirChanged() // its directory entry
	return p, err
}

func setPracticeLAs(ctx context.Context, tx *sql.Tx, id int64, codes []string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM practice_local_authorities WHERE practice_id = $1`, id); err != nil {
		return err
	}
	for _, c := range codes {
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO practice_local_authorities (practice_id, la_code) VALUES ($1, $2)`, id, c); err != nil {
			return err
		}
	}
	return nil
}

// UpdatePractice changes a Practice's name and areas. p.Version must be the
// version the editor started from; a stale version is a conflict.
func (db *DB) UpdatePractice(ctx context.Context, p access.Practice) (access.Practice, error) {
	if err := p.Validate(); err != nil {
		return p, err
	}
	now := db.now()
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx,
			`UPDATE practices SET name = $1, slug = $2, version = version + 1, updated_at = $3
			 WHERE id = $4 AND version = $5`, p.Name, p.Slug, now, p.ID, p.Version)
		if err != nil {
			return err
		}
		if err := checkVersioned(ctx, tx, res, "practices", p.ID); err != nil {
			return err
		}
		// Its directory entry shows the new name and areas: the feed's sync
		// (modified_after) must see it as changed.
		if _, err := tx.ExecContext(ctx, `UPDATE dir_services SET last_modified = $1 WHERE practice_id = $2`, now, p.ID); err != nil {
			return err
		}
		return setPracticeLAs(ctx, tx, p.ID, p.LocalAuthorities)
	})
	db.dirChanged() // its directory entry's name and areas
	if err != nil {
		return p, err
	}
	p.Version++
	p.UpdatedAt = now
	return p, nil
}

const practiceColumns = `p.id, p.organisation_id, p.slug, p.name, p.version, p.created_at, p.updated_at,
	COALESCE((SELECT string_agg(la_code, ',' ORDER BY la_code) FROM practice_local_authorities WHERE practice_id = p.id), '')`

func scanPractice(row interface{ Scan(...any) error }) (access.Practice, error) {
	var p access.Practice
	var las string
	err := row.Scan(&p.ID, &p.OrganisationID, &p.Slug, &p.Name, &p.Version, &p.CreatedAt, &p.UpdatedAt, &las)
	if las != "" {
		p.LocalAuthorities = strings.Split(las, ",")
	}
	return p, err
}

// Practice returns one Practice by ID.
func (db *DB) Practice(ctx context.Context, id int64) (access.Practice, error) {
	p, err := scanPractice(db.read.QueryRowContext(ctx, `SELECT `+practiceColumns+` FROM practices p WHERE p.id = $1`, id))
	return p, db.dialect.translate(err)
}

// PracticeBySlug returns one Practice by its short name.
func (db *DB) PracticeBySlug(ctx context.Context, slug string) (access.Practice, error) {
	p, err := scanPractice(db.read.QueryRowContext(ctx, `SELECT `+practiceColumns+` FROM practices p WHERE p.slug = $1`, slug))
	return p, db.dialect.translate(err)
}

// ListPractices returns a page of Practices in ID order.
func (db *DB) ListPractices(ctx context.Context, pg Page) ([]access.Practice, error) {
	rows, err := db.read.QueryContext(ctx,
		`SELECT `+practiceColumns+` FROM practices p WHERE p.id > $1 ORDER BY p.id LIMIT $2`, pg.After, pg.limit())
	return collect(db, rows, err, func(r *sql.Rows) (access.Practice, error) { return scanPractice(r) })
}

// CreateUser stores a user account. Emails are unique regardless of case.
func (db *DB) CreateUser(ctx context.Context, u access.User) (access.User, error) {
	u.Email = access.NormaliseEmail(u.Email)
	if err := u.Validate(); err != nil {
		return u, err
	}
	now := db.now()
	u.CreatedAt, u.UpdatedAt, u.Version = now, now, 1
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx,
			`INSERT INTO users (email, display_name, version, created_at, updated_at)
			 VALUES ($1, $2, 1, $3, $3) RETURNING id`, u.Email, u.DisplayName, now).Scan(&u.ID)
	})
	return u, err
}

// User returns one user by ID.
func (db *DB) User(ctx context.Context, id int64) (access.User, error) {
	var u access.User
	err := db.read.QueryRowContext(ctx,
		`SELECT id, email, display_name, version, created_at, updated_at FROM users WHERE id = $1`, id).
		Scan(&u.ID, &u.Email, &u.DisplayName, &u.Version, &u.CreatedAt, &u.UpdatedAt)
	return u, db.dialect.translate(err)
}

// ListUsers returns a page of users in ID order.
func (db *DB) ListUsers(ctx context.Context, pg Page) ([]access.User, error) {
	rows, err := db.read.QueryContext(ctx,
		`SELECT id, email, display_name, version, created_at, updated_at FROM users
		 WHERE id > $1 ORDER BY id LIMIT $2`, pg.After, pg.limit())
	return collect(db, rows, err, scanUser)
}

// UpdateUser changes a user's name and email, checking the version.
func (db *DB) UpdateUser(ctx context.Context, u access.User) (access.User, error) {
	u.Email = access.NormaliseEmail(u.Email)
	if err := u.Validate(); err != nil {
		return u, err
	}
	now := db.now()
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx,
			`UPDATE users SET email = $1, display_name = $2, version = version + 1, updated_at = $3
			 WHERE id = $4 AND version = $5`, u.Email, u.DisplayName, now, u.ID, u.Version)
		if err != nil {
			return err
		}
		return checkVersioned(ctx, tx, res, "users", u.ID)
	})
	if err != nil {
		return u, err
	}
	u.Version++
	u.UpdatedAt = now
	return u, nil
}

// StaffCount returns how many people hold a role in each Practice, by Practice ID.
func (db *DB) StaffCount(ctx context.Context) (map[int64]int, error) {
	rows, err := db.read.QueryContext(ctx,
		`SELECT practice_id, COUNT(DISTINCT user_id) FROM memberships WHERE practice_id IS NOT NULL GROUP BY practice_id`)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, db.dialect.translate(rows.Err())
}

// HasData reports whether any organisation or user exists, so that demo data
// is never mixed into a database in use.
func (db *DB) HasData(ctx context.Context) (bool, error) {
	var has bool
	err := db.read.QueryRowContext(ctx,
		`SELECT EXISTS (SELECT 1 FROM organisations) OR EXISTS (SELECT 1 FROM users)`).Scan(&has)
	return has, db.dialect.translate(err)
}

func scanUser(r *sql.Rows) (access.User, error) {
	var u access.User
	err := r.Scan(&u.ID, &u.Email, &u.DisplayName, &u.Version, &u.CreatedAt, &u.UpdatedAt)
	return u, err
}
