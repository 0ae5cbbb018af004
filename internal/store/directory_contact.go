package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/directory"
	"haven/internal/haven"
)

// Service contacts keep their own entries (issue 20 item 3). A directory
// editor gives a service's contact an account holding the service-contact
// role and links it to the service (dir_service_keepers); the contact may
// then change that entry and no other. Every query here checks the link.

// KindServiceKeeper is the idempotency kind of linking a contact's account.
const KindServiceKeeper = "dir-service-keeper"

// ServiceKeeper is an account that keeps a service's entry.
type ServiceKeeper struct {
	UserID      int64
	Name, Email string
	Disabled    bool
	// Enrolled says the account has set its password and second factor.
	Enrolled  bool
	ServiceID string
	LinkedAt  time.Time
	// New says the link made the account too (LinkServiceContact).
	New bool
}

// LinkServiceContact gives the contact u an account with the
// service-contact role (or finds the one they have) and links it to the
// service, in one transaction with its audit rows. An address that
// belongs to an account without that role is refused: an editor may not
// give other accounts a role, only a system administrator may.
func (db *DB) LinkServiceContact(ctx context.Context, ev audit.Event, serviceID string, u access.User) (ServiceKeeper, error) {
	u.Email = access.NormaliseEmail(u.Email)
	if err := u.Validate(); err != nil {
		return ServiceKeeper{}, err
	}
	if !directory.ValidID(serviceID) {
		return ServiceKeeper{}, haven.ErrNotFound
	}
	k := ServiceKeeper{Name: u.DisplayName, Email: u.Email, ServiceID: serviceID}
	now := db.now()
	err := db.createTx(ctx, claim{user: ev.UserID, kind: KindServiceKeeper, target: serviceID + ":" + fingerprint(u.Email)}, func(tx *sql.Tx) (int64, string, error) {
		var exists bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM dir_services WHERE id = $1)`, serviceID).Scan(&exists); err != nil {
			return 0, "", err
		}
		if !exists {
			return 0, "", haven.ErrNotFound
		}
		err := tx.QueryRowContext(ctx, `SELECT id, display_name, mfa_enrolled, disabled FROM users WHERE email = $1`, u.Email).
			Scan(&k.UserID, &k.Name, &k.Enrolled, &k.Disabled)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			if err := tx.QueryRowContext(ctx, `INSERT INTO users (email, display_name, version, created_at, updated_at)
				VALUES ($1, $2, 1, $3, $3) RETURNING id`, u.Email, u.DisplayName, now).Scan(&k.UserID); err != nil {
				return 0, "", err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO memberships (user_id, role, created_at) VALUES ($1, $2, $3)`,
				k.UserID, string(access.RoleServiceContact), now); err != nil {
				return 0, "", err
			}
			created := ev
			created.Action, created.RecordType, created.RecordID = audit.AccountCreated, "user", itoa(k.UserID)
			if err := db.appendAudit(ctx, tx, created); err != nil {
				return 0, "", err
			}
			k.New = true
		case err != nil:
			return 0, "", err
		default:
			var contact bool
			if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM memberships WHERE user_id = $1 AND role = $2)`,
				k.UserID, string(access.RoleServiceContact)).Scan(&contact); err != nil {
				return 0, "", err
			}
			if !contact {
				return 0, "", haven.Invalid(map[string]string{"contact-email": "There is already a Haven account with that email address that is not a service contact's. " +
					"Ask a system administrator to give it the Directory service contact role, or use another address"})
			}
		}
		var linked bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM dir_service_keepers WHERE user_id = $1 AND service_id = $2)`,
			k.UserID, serviceID).Scan(&linked); err != nil {
			return 0, "", err
		}
		if linked {
			return 0, "", haven.Invalid(map[string]string{"contact-email": "The account with that email address can already keep this entry"})
		}
		k.LinkedAt = now
		if _, err := tx.ExecContext(ctx, `INSERT INTO dir_service_keepers (user_id, service_id, linked_by, linked_at) VALUES ($1, $2, $3, $4)`,
			k.UserID, serviceID, nullID(ev.UserID), now); err != nil {
			return 0, "", err
		}
		ev.Action, ev.RecordType, ev.RecordID, ev.Section = audit.Create, "dir-service-keeper", serviceID, "user:"+itoa(k.UserID)
		return k.UserID, "", db.appendAudit(ctx, tx, ev)
	})
	if err != nil {
		return ServiceKeeper{}, err
	}
	return k, nil
}

// UnlinkServiceContact takes away an account's link to a service. The
// account and its role stay (a system administrator disables accounts);
// with no service linked, it can change nothing.
func (db *DB) UnlinkServiceContact(ctx context.Context, ev audit.Event, serviceID string, userID int64) error {
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM dir_service_keepers WHERE user_id = $1 AND service_id = $2`, userID, serviceID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return haven.ErrNotFound
		}
		ev.Action, ev.RecordType, ev.RecordID, ev.Section = audit.Delete, "dir-service-keeper", serviceID, "user:"+itoa(userID)
		return db.appendAudit(ctx, tx, ev)
	})
	return db.dialect.translate(err)
}

// ServiceKeepers are the accounts that keep a service's entry, by name.
func (db *DB) ServiceKeepers(ctx context.Context, serviceID string) ([]ServiceKeeper, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT u.id, u.display_name, u.email, u.disabled, u.mfa_enrolled, k.service_id, k.linked_at
		FROM dir_service_keepers k JOIN users u ON u.id = k.user_id WHERE k.service_id = $1 ORDER BY u.display_name, u.id`, serviceID)
	return collect(db, rows, err, func(r *sql.Rows) (ServiceKeeper, error) {
		var k ServiceKeeper
		err := r.Scan(&k.UserID, &k.Name, &k.Email, &k.Disabled, &k.Enrolled, &k.ServiceID, &k.LinkedAt)
		return k, err
	})
}

// KeptServices are the services linked to a contact's account, by name.
func (db *DB) KeptServices(ctx context.Context, userID int64) ([]directory.Service, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT s.id FROM dir_service_keepers k JOIN dir_services s ON s.id = k.service_id
		LEFT JOIN practices p ON p.id = s.practice_id WHERE k.user_id = $1 ORDER BY COALESCE(p.name, s.name), s.id`, userID)
	ids, err := collect(db, rows, err, func(r *sql.Rows) (string, error) {
		var id string
		return id, r.Scan(&id)
	})
	if err != nil {
		return nil, err
	}
	out, err := db.loadServices(ctx, db.read, ids)
	return out, db.dialect.translate(err)
}

// KeptService is one service linked to a contact's account; any other
// service, or one that does not exist, is not found.
func (db *DB) KeptService(ctx context.Context, userID int64, serviceID string) (directory.Service, error) {
	if !directory.ValidID(serviceID) {
		return directory.Service{}, haven.ErrNotFound
	}
	var linked bool
	if err := db.read.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM dir_service_keepers WHERE user_id = $1 AND service_id = $2)`,
		userID, serviceID).Scan(&linked); err != nil {
		return directory.Service{}, db.dialect.translate(err)
	}
	if !linked {
		return directory.Service{}, haven.ErrNotFound
	}
	return db.Service(ctx, serviceID)
}

// UpdateKeptService is UpdateService for a service's contact: the link is
// checked, and the audit row written, in the change's own transaction, so
// a link removed a moment before refuses the change.
func (db *DB) UpdateKeptService(ctx context.Context, ev audit.Event, userID int64, s directory.Service, by string) (directory.Service, error) {
	return db.updateService(ctx, s, by, func(tx *sql.Tx) error {
		var linked bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM dir_service_keepers WHERE user_id = $1 AND service_id = $2)`,
			userID, s.ID).Scan(&linked); err != nil {
			return err
		}
		if !linked {
			return haven.ErrNotFound
		}
		ev.Action, ev.RecordType, ev.RecordID = audit.Update, "dir-service", s.ID
		return db.appendAudit(ctx, tx, ev)
	})
}
