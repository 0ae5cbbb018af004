package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"haven/internal/access"
	"haven/internal/directory"
	"haven/internal/haven"
)

// The national directory (issue 20): organisations, services and their
// parts after HSDS 3.0. A Haven Practice's entry is a link row
// (dir_services.practice_id): its name and areas are read from the Practice
// itself, so the Practice settings stay the one place they are kept.

// CreateDirOrganisation stores a directory organisation; an empty ID gets a new UUID.
func (db *DB) CreateDirOrganisation(ctx context.Context, o directory.Organisation) (directory.Organisation, error) {
	if o.ID == "" {
		o.ID = directory.NewID()
	}
	o.LastModified = db.now()
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO dir_organisations (id, haven_organisation_id, name, description, email, website, last_modified)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, o.ID, nullID(o.HavenOrganisationID), o.Name, o.Description, o.Email, o.Website, o.LastModified)
		return err
	})
	db.dirChanged()
	return o, err
}

const dirOrgColumns = `d.id, COALESCE(o.name, d.name), d.description, d.email, d.website, COALESCE(d.haven_organisation_id, 0), d.last_modified`

func scanDirOrg(r interface{ Scan(...any) error }) (directory.Organisation, error) {
	var o directory.Organisation
	err := r.Scan(&o.ID, &o.Name, &o.Description, &o.Email, &o.Website, &o.HavenOrganisationID, &o.LastModified)
	return o, err
}

// DirOrganisation returns one directory organisation.
func (db *DB) DirOrganisation(ctx context.Context, id string) (directory.Organisation, error) {
	snap, err := db.directory(ctx)
	if err != nil {
		return directory.Organisation{}, err
	}
	i, ok := snap.orgByID[id]
	if !ok {
		return directory.Organisation{}, haven.ErrNotFound
	}
	return snap.orgs[i], nil
}

// ListDirOrganisations returns a page of organisations by name, with the
// number matching; only Search, ModifiedAfter and paging apply.
func (db *DB) ListDirOrganisations(ctx context.Context, q directory.Query) ([]directory.Organisation, int, error) {
	snap, err := db.directory(ctx)
	if err != nil {
		return nil, 0, err
	}
	search, after := strings.ToLower(strings.TrimSpace(q.Search)), modifiedAfter(q)
	var all []directory.Organisation
	for _, o := range snap.orgs {
		if (search == "" || strings.Contains(strings.ToLower(o.Name), search) || strings.Contains(strings.ToLower(o.Description), search)) && o.LastModified.After(after) {
			all = append(all, o)
		}
	}
	from, to := min(q.Offset(), len(all)), min(q.Offset()+q.PerPage, len(all))
	return slices.Clone(all[from:to]), len(all), nil
}

func modifiedAfter(q directory.Query) time.Time {
	if q.ModifiedAfter.IsZero() {
		return time.Unix(0, 0).UTC()
	}
	return q.ModifiedAfter.UTC()
}

// CreateService stores a new service with its locations, areas, terms,
// contacts, phones and schedules, and its first field history (by names
// who made it). An empty ID gets a new UUID; so do its parts.
func (db *DB) CreateService(ctx context.Context, s directory.Service, by string) (directory.Service, error) {
	err := db.inTx(ctx, func(tx *sql.Tx) error { return createServiceTx(ctx, tx, &s, by, "create", db.now()) })
	db.dirChanged()
	if err != nil {
		return s, db.dialect.translate(err)
	}
	return s, nil
}

// CreateServices stores directory organisations and services (with their
// parts and first field history) in one transaction, all or nothing: a bulk
// load of a thousand entries, where a transaction each would wait on a
// thousand commits. A service keeps its LastModified if it has one (a load
// of entries made earlier); empty ids get new UUIDs.
func (db *DB) CreateServices(ctx context.Context, orgs []directory.Organisation, services []directory.Service, by string) error {
	now := db.now()
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		for _, o := range orgs {
			if o.LastModified.IsZero() {
				o.LastModified = now
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO dir_organisations (id, haven_organisation_id, name, description, email, website, last_modified)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`, orNew(o.ID), nullID(o.HavenOrganisationID), o.Name, o.Description, o.Email, o.Website, o.LastModified); err != nil {
				return err
			}
		}
		for i := range services {
			s := services[i]
			if s.ID == "" {
				s.ID = directory.NewID()
			}
			if s.LastModified.IsZero() {
				s.LastModified = now
			}
			if err := createServiceTx(ctx, tx, &s, by, "create", s.LastModified); err != nil {
				return err
			}
		}
		return nil
	})
	db.dirChanged()
	return db.dialect.translate(err)
}

// createServiceTx is CreateService inside a transaction, recording its
// history under action ("create", or "import").
func createServiceTx(ctx context.Context, tx *sql.Tx, s *directory.Service, by, action string, now time.Time) error {
	if s.ID == "" {
		s.ID = directory.NewID()
	}
	s.LastModified, s.Version = now, 1
	if _, err := tx.ExecContext(ctx, `INSERT INTO dir_services (id, organisation_id, practice_id, name, description, status, url, email,
			application_process, self_referral, eligibility_description, funding, start_date, last_verified, last_modified, version)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 1)`,
		s.ID, s.OrganisationID, nullID(s.PracticeID), s.Name, s.Description, string(s.Status), s.Website, s.Email,
		s.HowToRefer, s.SelfReferral, s.Eligibility, string(s.Funding), dateOf(s.StartDate), dateOf(s.LastVerified), now); err != nil {
		return err
	}
	if err := insertServiceParts(ctx, tx, s); err != nil {
		return err
	}
	if err := setServiceLists(ctx, tx, *s); err != nil {
		return err
	}
	return writeHistory(ctx, tx, s.ID, action, directory.Changes(directory.Entry{}, s.Entry), by, now)
}

// insertServiceParts stores a service's locations, contacts, phones and
// schedules; an empty ID gets a new UUID.
func insertServiceParts(ctx context.Context, tx *sql.Tx, s *directory.Service) error {
	for i := range s.Locations {
		l := &s.Locations[i]
		if l.ID == "" {
			l.ID = directory.NewID()
		}
		var lat, lon sql.NullFloat64
		if l.HasPosition {
			lat, lon = sql.NullFloat64{Float64: l.Latitude, Valid: true}, sql.NullFloat64{Float64: l.Longitude, Valid: true}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO dir_locations (id, organisation_id, name, address_1, city, postcode, latitude, longitude)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, l.ID, s.OrganisationID, l.Name, l.Address, l.City, l.Postcode, lat, lon); err != nil {
			return err
		}
		if l.ServiceAtLocationID == "" {
			l.ServiceAtLocationID = directory.NewID()
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO dir_service_at_locations (id, service_id, location_id) VALUES ($1, $2, $3)`,
			l.ServiceAtLocationID, s.ID, l.ID); err != nil {
			return err
		}
	}
	for i := range s.Contacts {
		c := &s.Contacts[i]
		c.ID = orNew(c.ID)
		if _, err := tx.ExecContext(ctx, `INSERT INTO dir_contacts (id, service_id, name, title, email) VALUES ($1, $2, $3, $4, $5)`,
			c.ID, s.ID, c.Name, c.Title, c.Email); err != nil {
			return err
		}
	}
	for i := range s.Phones {
		p := &s.Phones[i]
		p.ID = orNew(p.ID)
		if _, err := tx.ExecContext(ctx, `INSERT INTO dir_phones (id, service_id, number, description) VALUES ($1, $2, $3, $4)`,
			p.ID, s.ID, p.Number, p.Description); err != nil {
			return err
		}
	}
	for i := range s.Schedules {
		sc := &s.Schedules[i]
		sc.ID = orNew(sc.ID)
		if _, err := tx.ExecContext(ctx, `INSERT INTO dir_schedules (id, service_id, freq, byday, opens_at, closes_at, description)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, sc.ID, s.ID, sc.Freq, sc.ByDay, sc.OpensAt, sc.ClosesAt, sc.Description); err != nil {
			return err
		}
	}
	return nil
}

func orNew(id string) string {
	if id == "" {
		return directory.NewID()
	}
	return id
}

func dateOf(t time.Time) haven.Date {
	if t.IsZero() {
		return haven.Date{}
	}
	return haven.NewDate(t.Year(), t.Month(), t.Day())
}

// setServiceLists replaces a service's areas and terms. A Practice's areas
// are its own (practice_local_authorities), so none are kept here for it.
func setServiceLists(ctx context.Context, tx *sql.Tx, s directory.Service) error {
	for _, q := range []string{`DELETE FROM dir_service_areas WHERE service_id = $1`, `DELETE FROM dir_service_terms WHERE service_id = $1`} {
		if _, err := tx.ExecContext(ctx, q, s.ID); err != nil {
			return err
		}
	}
	if s.PracticeID == 0 {
		for _, code := range s.ServiceAreas {
			if _, err := tx.ExecContext(ctx, `INSERT INTO dir_service_areas (id, service_id, la_code) VALUES ($1, $2, $3)`,
				directory.NewID(), s.ID, code); err != nil {
				return err
			}
		}
	}
	for _, term := range s.Terms {
		if _, err := tx.ExecContext(ctx, `INSERT INTO dir_service_terms (service_id, term_id) VALUES ($1, $2)`, s.ID, term); err != nil {
			return err
		}
	}
	return nil
}

func writeHistory(ctx context.Context, tx *sql.Tx, id, action string, changes []directory.Change, by string, at time.Time) error {
	for _, c := range changes {
		if _, err := tx.ExecContext(ctx, `INSERT INTO dir_metadata (id, resource_id, resource_type, last_action_date, last_action_type,
				field_name, previous_value, replacement_value, updated_by) VALUES ($1, $2, 'service', $3, $4, $5, $6, $7, $8)`,
			directory.NewID(), id, at, action, c.Field, c.Previous, c.Replacement, by); err != nil {
			return err
		}
	}
	return nil
}

// UpdateService changes a service's entry (the fields directory.Entry has,
// with funding, dates and its areas and terms), writing a field-history row
// for each field that changed. s.Version must be the version the editor
// started from. A Practice's name and areas are changed in its settings,
// not here.
func (db *DB) UpdateService(ctx context.Context, s directory.Service, by string) (directory.Service, error) {
	return db.updateService(ctx, s, by, nil)
}

// updateService is UpdateService; first, when not nil, runs in its
// transaction before the change (a service contact's link check and audit row).
func (db *DB) updateService(ctx context.Context, s directory.Service, by string, first func(tx *sql.Tx) error) (directory.Service, error) {
	now := db.now()
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if first != nil {
			if err := first(tx); err != nil {
				return err
			}
		}
		_, err := db.updateServiceTx(ctx, tx, &s, by, "update", now, false)
		return err
	})
	db.dirChanged()
	if err != nil {
		return s, db.dialect.translate(err)
	}
	s.Version++
	s.LastModified = now
	return s, nil
}

// updateServiceTx is UpdateService inside a transaction. An import
// (parts) replaces the service's locations, contacts, phones and schedules
// with s's and moves it to s's organisation, with no version to check: the
// package is the newer word. It reports whether anything changed.
func (db *DB) updateServiceTx(ctx context.Context, tx *sql.Tx, s *directory.Service, by, action string, now time.Time, parts bool) (bool, error) {
	before, err := db.loadServices(ctx, tx, []string{s.ID})
	if err != nil {
		return false, err
	}
	if len(before) == 0 {
		return false, haven.ErrNotFound
	}
	old := before[0]
	if !parts && old.Version != s.Version {
		return false, haven.ErrConflict
	}
	if !parts || old.PracticeID != 0 {
		s.OrganisationID = old.OrganisationID
	}
	s.PracticeID = old.PracticeID
	if s.PracticeID != 0 {
		s.Name, s.ServiceAreas = old.Name, old.ServiceAreas
	}
	if !parts {
		// Phones and the location's postcode are edited with their own records.
		s.Phone, s.Postcode = old.Phone, old.Postcode
	} else if sameService(old, *s) {
		return false, nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE dir_services SET name = $1, description = $2, status = $3, url = $4, email = $5,
			application_process = $6, self_referral = $7, eligibility_description = $8, funding = $9, start_date = $10,
			last_verified = $11, last_modified = $12, version = version + 1, organisation_id = $14 WHERE id = $13`,
		s.Name, s.Description, string(s.Status), s.Website, s.Email, s.HowToRefer, s.SelfReferral, s.Eligibility,
		string(s.Funding), dateOf(s.StartDate), dateOf(s.LastVerified), now, s.ID, s.OrganisationID); err != nil {
		return false, err
	}
	if parts {
		if err := replaceServiceParts(ctx, tx, s); err != nil {
			return false, err
		}
	}
	if err := setServiceLists(ctx, tx, *s); err != nil {
		return false, err
	}
	changes := directory.Changes(old.Entry, s.Entry)
	pair := func(field, a, b string) {
		if a != b {
			changes = append(changes, directory.Change{Field: field, Previous: a, Replacement: b})
		}
	}
	pair("funding", string(old.Funding), string(s.Funding))
	pair("start_date", dateOf(old.StartDate).String(), dateOf(s.StartDate).String())
	pair("last_verified", dateOf(old.LastVerified).String(), dateOf(s.LastVerified).String())
	if parts {
		pair("organization_id", old.OrganisationID, s.OrganisationID)
	}
	return true, writeHistory(ctx, tx, s.ID, action, changes, by, now)
}

// ServiceHistory is a service's field history, oldest first.
func (db *DB) ServiceHistory(ctx context.Context, id string) ([]DirMetadata, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, resource_id, resource_type, last_action_date, last_action_type, field_name,
		previous_value, replacement_value, updated_by FROM dir_metadata WHERE resource_id = $1 ORDER BY last_action_date, field_name, id`, id)
	return collect(db, rows, err, func(r *sql.Rows) (DirMetadata, error) {
		var m DirMetadata
		err := r.Scan(&m.ID, &m.ResourceID, &m.ResourceType, &m.At, &m.Action, &m.Field, &m.Previous, &m.Replacement, &m.By)
		return m, err
	})
}

// DirMetadata is one row of field history (HSDS metadata).
type DirMetadata struct {
	ID, ResourceID, ResourceType string
	At                           time.Time
	Action, Field                string
	Previous, Replacement, By    string
}

// Service returns one directory service with its parts.
func (db *DB) Service(ctx context.Context, id string) (directory.Service, error) {
	if !directory.ValidID(id) {
		return directory.Service{}, haven.ErrNotFound
	}
	snap, err := db.directory(ctx)
	if err != nil {
		return directory.Service{}, err
	}
	i, ok := snap.byID[id]
	if !ok {
		return directory.Service{}, haven.ErrNotFound
	}
	return snap.service(i), nil
}

type dirQueryer interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

// loadServices reads the services with the given ids, in that order, with
// one statement per table however many.
func (db *DB) loadServices(ctx context.Context, q dirQueryer, ids []string) ([]directory.Service, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	js, _ := json.Marshal(ids)
	param := string(js)
	byID := map[string]*directory.Service{}
	rows, err := q.QueryContext(ctx, `SELECT s.id, s.organisation_id, COALESCE(s.practice_id, 0), COALESCE(p.name, s.name), s.description, s.status,
			s.url, s.email, s.application_process, s.self_referral, s.eligibility_description, s.funding, s.start_date, s.last_verified,
			s.last_modified, s.version
		FROM dir_services s LEFT JOIN practices p ON p.id = s.practice_id WHERE `+db.dialect.inTexts("s.id", "$1"), param)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var s directory.Service
		var status, funding string
		var start, verified haven.Date
		if err := rows.Scan(&s.ID, &s.OrganisationID, &s.PracticeID, &s.Name, &s.Description, &status, &s.Website, &s.Email,
			&s.HowToRefer, &s.SelfReferral, &s.Eligibility, &funding, &start, &verified, &s.LastModified, &s.Version); err != nil {
			rows.Close()
			return nil, err
		}
		s.Status, s.Funding = directory.Status(status), directory.Funding(funding)
		s.StartDate, s.LastVerified = start.Time(), verified.Time()
		byID[s.ID] = &s
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	each := func(query string, scan func(r *sql.Rows) error) error {
		rows, err := q.QueryContext(ctx, query, param)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	}
	var sid string
	steps := []struct {
		query string
		scan  func(r *sql.Rows) error
	}{
		{`SELECT a.service_id, a.la_code FROM dir_service_areas a WHERE ` + db.dialect.inTexts("a.service_id", "$1") + `
			UNION ALL SELECT s.id, pl.la_code FROM dir_services s JOIN practice_local_authorities pl ON pl.practice_id = s.practice_id
			WHERE ` + db.dialect.inTexts("s.id", "$1") + ` ORDER BY 1, 2`, func(r *sql.Rows) error {
			var code string
			if err := r.Scan(&sid, &code); err != nil {
				return err
			}
			byID[sid].ServiceAreas = append(byID[sid].ServiceAreas, code)
			return nil
		}},
		{`SELECT service_id, term_id FROM dir_service_terms WHERE ` + db.dialect.inTexts("service_id", "$1") + ` ORDER BY service_id, term_id`, func(r *sql.Rows) error {
			var term string
			if err := r.Scan(&sid, &term); err != nil {
				return err
			}
			byID[sid].Terms = append(byID[sid].Terms, term)
			return nil
		}},
		{`SELECT x.service_id, x.id, l.id, l.name, l.address_1, l.city, l.postcode, l.latitude, l.longitude
			FROM dir_service_at_locations x JOIN dir_locations l ON l.id = x.location_id WHERE ` + db.dialect.inTexts("x.service_id", "$1") + ` ORDER BY x.service_id, x.id`, func(r *sql.Rows) error {
			var l directory.Location
			var lat, lon sql.NullFloat64
			if err := r.Scan(&sid, &l.ServiceAtLocationID, &l.ID, &l.Name, &l.Address, &l.City, &l.Postcode, &lat, &lon); err != nil {
				return err
			}
			l.HasPosition, l.Latitude, l.Longitude = lat.Valid && lon.Valid, lat.Float64, lon.Float64
			s := byID[sid]
			s.Locations = append(s.Locations, l)
			if s.Postcode == "" {
				s.Postcode = l.Postcode
			}
			return nil
		}},
		{`SELECT service_id, id, name, title, email FROM dir_contacts WHERE ` + db.dialect.inTexts("service_id", "$1") + ` ORDER BY service_id, id`, func(r *sql.Rows) error {
			var c directory.Contact
			if err := r.Scan(&sid, &c.ID, &c.Name, &c.Title, &c.Email); err != nil {
				return err
			}
			byID[sid].Contacts = append(byID[sid].Contacts, c)
			return nil
		}},
		{`SELECT service_id, id, number, description FROM dir_phones WHERE ` + db.dialect.inTexts("service_id", "$1") + ` ORDER BY service_id, id`, func(r *sql.Rows) error {
			var p directory.PhoneNumber
			if err := r.Scan(&sid, &p.ID, &p.Number, &p.Description); err != nil {
				return err
			}
			s := byID[sid]
			s.Phones = append(s.Phones, p)
			if s.Phone == "" {
				s.Phone = p.Number
			}
			return nil
		}},
		{`SELECT service_id, id, freq, byday, opens_at, closes_at, description FROM dir_schedules WHERE ` + db.dialect.inTexts("service_id", "$1") + ` ORDER BY service_id, id`, func(r *sql.Rows) error {
			var sc directory.Schedule
			if err := r.Scan(&sid, &sc.ID, &sc.Freq, &sc.ByDay, &sc.OpensAt, &sc.ClosesAt, &sc.Description); err != nil {
				return err
			}
			byID[sid].Schedules = append(byID[sid].Schedules, sc)
			return nil
		}},
	}
	for _, st := range steps {
		if err := each(st.query, st.scan); err != nil {
			return nil, err
		}
	}
	out := make([]directory.Service, 0, len(ids))
	for _, id := range ids {
		if s, ok := byID[id]; ok {
			out = append(out, *s)
		}
	}
	return out, nil
}

// dirMatch is one service a query matched, with how far its nearest
// location is from the place searched from (+Inf if not known).
type dirMatch struct {
	id, name string
	distance float64
}

// matchServices is every service q's filters match, in the feed's order:
// by name, or nearest first when q searches from a place.
//
// The place rule: a service matches a place if one of its service areas is
// the authority holding the postcode district, or (when q.Proximity > 0) one
// of its locations lies within q.Proximity metres of the district's
// centroid. Nearest first is by its nearest location; a service matched by
// its area alone with no location known comes after those with one, by name.
func (db *DB) matchServices(ctx context.Context, q directory.Query) (*dirSnapshot, []dirMatch, error) {
	snap, err := db.directory(ctx)
	if err != nil {
		return nil, nil, err
	}
	return snap, snap.match(q), nil
}

// ListServices returns q's page of services and how many match in all.
func (db *DB) ListServices(ctx context.Context, q directory.Query) ([]directory.Service, int, error) {
	snap, ms, err := db.matchServices(ctx, q)
	if err != nil {
		return nil, 0, err
	}
	ids := pageIDs(ms, q)
	out := make([]directory.Service, len(ids))
	for i, id := range ids {
		out[i] = snap.service(snap.byID[id])
	}
	return out, len(ms), nil
}

func pageIDs(ms []dirMatch, q directory.Query) []string {
	var ids []string
	for i := q.Offset(); i < len(ms) && i < q.Offset()+q.PerPage; i++ {
		ids = append(ids, ms[i].id)
	}
	return ids
}

// ServiceAtLocation is one service at one of its locations.
type ServiceAtLocation struct {
	ID       string
	Service  directory.Service
	Location directory.Location
}

// ListServiceAtLocations returns q's page of service-at-location pairs, in
// the order of their services (ListServices), and how many in all.
func (db *DB) ListServiceAtLocations(ctx context.Context, q directory.Query) ([]ServiceAtLocation, int, error) {
	snap, ms, err := db.matchServices(ctx, q)
	if err != nil {
		return nil, 0, err
	}
	// Each service's locations come in id order (loadServices), as the pairs do.
	type pair struct {
		service int
		loc     directory.Location
	}
	var pairs []pair
	for _, m := range ms {
		i := snap.byID[m.id]
		for _, l := range snap.services[i].Locations {
			pairs = append(pairs, pair{i, l})
		}
	}
	var out []ServiceAtLocation
	for i := q.Offset(); i < len(pairs) && i < q.Offset()+q.PerPage; i++ {
		p := pairs[i]
		out = append(out, ServiceAtLocation{ID: p.loc.ServiceAtLocationID, Service: snap.service(p.service), Location: p.loc})
	}
	return out, len(pairs), nil
}

// ServiceAtLocationByID returns one service-at-location pair.
func (db *DB) ServiceAtLocationByID(ctx context.Context, id string) (ServiceAtLocation, error) {
	if !directory.ValidID(id) {
		return ServiceAtLocation{}, haven.ErrNotFound
	}
	snap, err := db.directory(ctx)
	if err != nil {
		return ServiceAtLocation{}, err
	}
	i, ok := snap.salByID[id]
	if !ok {
		return ServiceAtLocation{}, haven.ErrNotFound
	}
	s := snap.service(i)
	for _, l := range s.Locations {
		if l.ServiceAtLocationID == id {
			return ServiceAtLocation{ID: id, Service: s, Location: l}, nil
		}
	}
	return ServiceAtLocation{}, haven.ErrNotFound
}

// linkPracticeService gives a new Practice its directory entry (and its
// organisation one, the first time), in the Practice's own transaction. A
// Haven Practice follows the Pause model, so its entry starts with that term.
func linkPracticeService(ctx context.Context, tx *sql.Tx, p access.Practice, now time.Time) error {
	var orgID string
	err := tx.QueryRowContext(ctx, `SELECT id FROM dir_organisations WHERE haven_organisation_id = $1`, p.OrganisationID).Scan(&orgID)
	if err == sql.ErrNoRows {
		orgID = directory.NewID()
		_, err = tx.ExecContext(ctx, `INSERT INTO dir_organisations (id, haven_organisation_id, name, description, last_modified)
			SELECT $1, id, name, 'An organisation that runs Haven Practices.', $2 FROM organisations WHERE id = $3`, orgID, now, p.OrganisationID)
	}
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO dir_services (id, organisation_id, practice_id, name, description, status, application_process, last_modified)
		VALUES ($1, $2, $3, $4, $5, 'active', $6, $7)`, directory.NewID(), orgID, p.ID, p.Name,
		"A Practice using Haven, working with women who have had children removed through care proceedings.",
		"Refer through the Practice's page on Haven (Find a Practice).", now)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO dir_service_terms (service_id, term_id) SELECT id, $1 FROM dir_services WHERE practice_id = $2`,
		directory.PausePracticeTerm, p.ID)
	return err
}

// LinkPracticeEntries gives every Practice with no directory entry its
// entry: Practices loaded in bulk (the national data set, a restore of an
// older backup) bypass CreatePractice. It returns how many it linked.
func (db *DB) LinkPracticeEntries(ctx context.Context) (int, error) {
	n := 0
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, organisation_id, name FROM practices p
			WHERE NOT EXISTS (SELECT 1 FROM dir_services s WHERE s.practice_id = p.id) ORDER BY id`)
		if err != nil {
			return err
		}
		var ps []access.Practice
		for rows.Next() {
			var p access.Practice
			if err := rows.Scan(&p.ID, &p.OrganisationID, &p.Name); err != nil {
				rows.Close()
				return err
			}
			ps = append(ps, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		now := db.now()
		for _, p := range ps {
			if err := linkPracticeService(ctx, tx, p, now); err != nil {
				return err
			}
		}
		n = len(ps)
		return nil
	})
	db.dirChanged()
	return n, db.dialect.translate(err)
}

// DirOrganisationsByID returns the given organisations that exist, by id.
func (db *DB) DirOrganisationsByID(ctx context.Context, ids []string) (map[string]directory.Organisation, error) {
	snap, err := db.directory(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]directory.Organisation, len(ids))
	for _, id := range ids {
		if i, ok := snap.orgByID[id]; ok {
			out[id] = snap.orgs[i]
		}
	}
	return out, nil
}
