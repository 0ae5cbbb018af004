package store

import (
	"context"
	"database/sql"
	"reflect"
	"time"

	"haven/internal/audit"
	"haven/internal/directory"
	"haven/internal/haven"
)

// Import of the HSDS tabular form (issue 20 item 6): all or nothing. A
// package with any rejected row writes nothing; one that is clean creates
// or updates its organisations and services by id in one transaction, with
// field history recorded as action "import" by the editor, and its audit row.

// DirImportResult counts what an import wrote.
type DirImportResult struct {
	OrganisationsCreated, OrganisationsUpdated int
	ServicesCreated, ServicesUpdated           int
	// Unchanged services were in the package exactly as Haven has them.
	ServicesUnchanged int
}

// ImportDirectory writes a read package. ev is the editor's audit event;
// by names the editor in the field history.
func (db *DB) ImportDirectory(ctx context.Context, ev audit.Event, imp *directory.Import, by string) (DirImportResult, error) {
	var res DirImportResult
	if imp == nil || len(imp.Report.Rejected) > 0 {
		return res, haven.ErrInvalid
	}
	now := db.now()
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		for _, o := range imp.Organisations {
			created, changed, err := upsertDirOrganisation(ctx, tx, o, by, now)
			if err != nil {
				return err
			}
			switch {
			case created:
				res.OrganisationsCreated++
			case changed:
				res.OrganisationsUpdated++
			}
		}
		for _, s := range imp.Services {
			var exists int
			err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM dir_services WHERE id = $1`, s.ID).Scan(&exists)
			if err != nil {
				return err
			}
			if exists == 0 {
				if err := createServiceTx(ctx, tx, &s, by, "import", now); err != nil {
					return err
				}
				res.ServicesCreated++
				continue
			}
			changed, err := db.updateServiceTx(ctx, tx, &s, by, "import", now, true)
			if err != nil {
				return err
			}
			if changed {
				res.ServicesUpdated++
			} else {
				res.ServicesUnchanged++
			}
		}
		ev.Action, ev.RecordType = audit.Update, "dir-import"
		return db.appendAudit(ctx, tx, ev)
	})
	db.dirChanged()
	if err != nil {
		return DirImportResult{}, db.dialect.translate(err)
	}
	return res, nil
}

// upsertDirOrganisation creates or updates one organisation, with its
// field history. An organisation that runs Haven Practices keeps the Haven
// organisation's name (read through the link), so only its other fields
// change.
func upsertDirOrganisation(ctx context.Context, tx *sql.Tx, o directory.Organisation, by string, now time.Time) (created, changed bool, err error) {
	var old directory.Organisation
	var havenOrg int64
	err = tx.QueryRowContext(ctx, `SELECT name, description, email, website, COALESCE(haven_organisation_id, 0) FROM dir_organisations WHERE id = $1`, o.ID).
		Scan(&old.Name, &old.Description, &old.Email, &old.Website, &havenOrg)
	if err == sql.ErrNoRows {
		if _, err := tx.ExecContext(ctx, `INSERT INTO dir_organisations (id, name, description, email, website, last_modified)
			VALUES ($1, $2, $3, $4, $5, $6)`, o.ID, o.Name, o.Description, o.Email, o.Website, now); err != nil {
			return false, false, err
		}
		return true, false, writeHistoryOf(ctx, tx, "organization", o.ID, "import", orgChanges(directory.Organisation{}, o), by, now)
	}
	if err != nil {
		return false, false, err
	}
	if havenOrg != 0 {
		o.Name = old.Name
	}
	changes := orgChanges(old, o)
	if len(changes) == 0 {
		return false, false, nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE dir_organisations SET name = $1, description = $2, email = $3, website = $4, last_modified = $5
		WHERE id = $6`, o.Name, o.Description, o.Email, o.Website, now, o.ID); err != nil {
		return false, false, err
	}
	return false, true, writeHistoryOf(ctx, tx, "organization", o.ID, "import", changes, by, now)
}

func orgChanges(before, after directory.Organisation) []directory.Change {
	var out []directory.Change
	for _, f := range []struct{ field, a, b string }{
		{"name", before.Name, after.Name}, {"description", before.Description, after.Description},
		{"email", before.Email, after.Email}, {"website", before.Website, after.Website},
	} {
		if f.a != f.b {
			out = append(out, directory.Change{Field: f.field, Previous: f.a, Replacement: f.b})
		}
	}
	return out
}

// sameService says an imported service is what Haven has already, so that
// importing a package twice changes nothing the second time.
func sameService(old, s directory.Service) bool {
	norm := func(v directory.Service) directory.Service {
		v.LastModified, v.Version = time.Time{}, 0
		for _, sl := range []*[]string{&v.ServiceAreas, &v.Terms} {
			if len(*sl) == 0 {
				*sl = nil
			}
		}
		if len(v.Locations) == 0 {
			v.Locations = nil
		}
		if len(v.Contacts) == 0 {
			v.Contacts = nil
		}
		if len(v.Phones) == 0 {
			v.Phones = nil
		}
		if len(v.Schedules) == 0 {
			v.Schedules = nil
		}
		return v
	}
	return reflect.DeepEqual(norm(old), norm(s))
}

// replaceServiceParts swaps a service's locations, contacts, phones and
// schedules for s's. A location no other service uses goes with it.
func replaceServiceParts(ctx context.Context, tx *sql.Tx, s *directory.Service) error {
	rows, err := tx.QueryContext(ctx, `SELECT location_id FROM dir_service_at_locations WHERE service_id = $1`, s.ID)
	if err != nil {
		return err
	}
	var locs []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		locs = append(locs, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, q := range []string{`DELETE FROM dir_service_at_locations WHERE service_id = $1`, `DELETE FROM dir_contacts WHERE service_id = $1`,
		`DELETE FROM dir_phones WHERE service_id = $1`, `DELETE FROM dir_schedules WHERE service_id = $1`} {
		if _, err := tx.ExecContext(ctx, q, s.ID); err != nil {
			return err
		}
	}
	for _, id := range locs {
		if _, err := tx.ExecContext(ctx, `DELETE FROM dir_locations WHERE id = $1
			AND NOT EXISTS (SELECT 1 FROM dir_service_at_locations WHERE location_id = $1)`, id); err != nil {
			return err
		}
	}
	return insertServiceParts(ctx, tx, s)
}

// writeHistoryOf is writeHistory for any HSDS resource type.
func writeHistoryOf(ctx context.Context, tx *sql.Tx, resourceType, id, action string, changes []directory.Change, by string, at time.Time) error {
	for _, c := range changes {
		if _, err := tx.ExecContext(ctx, `INSERT INTO dir_metadata (id, resource_id, resource_type, last_action_date, last_action_type,
				field_name, previous_value, replacement_value, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			directory.NewID(), id, resourceType, at, action, c.Field, c.Previous, c.Replacement, by); err != nil {
			return err
		}
	}
	return nil
}

// DirOrganisationExists says whether the directory has an organisation
// with this id: an imported service may belong to one.
func (db *DB) DirOrganisationExists(ctx context.Context, id string) (bool, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM dir_organisations WHERE id = $1`, id).Scan(&n)
	return n > 0, db.dialect.translate(err)
}
