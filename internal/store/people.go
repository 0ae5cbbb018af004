package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"strings"
	"time"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/programme"
)

// Record-level access is decided in the query from live memberships, so a
// role taken away applies on the very next request (S19).

const personColumns = `p.id, p.ref, p.practice_id, COALESCE(p.practitioner_id, 0), p.first_name, p.last_name, p.preferred_name,
	p.pronouns, p.date_of_birth, COALESCE(p.la_code, ''), p.care_experienced, p.address_confidential, p.communication_needs,
	p.safe_channels, p.safe_times, p.no_voicemail, p.via_professional,
	p.phone, p.phone_safe, p.other_phone, p.other_phone_safe, p.email, p.email_safe, p.address, p.address_safe,
	p.version, p.created_at, p.updated_at`

func scanPerson(row interface{ Scan(...any) error }, extra ...any) (programme.Person, error) {
	var p programme.Person
	var channels string
	dest := append([]any{&p.ID, &p.Ref, &p.PracticeID, &p.PractitionerID, &p.FirstName, &p.LastName, &p.PreferredName,
		&p.Pronouns, &p.DateOfBirth, &p.LACode, &p.CareExperienced, &p.AddressConfidential, &p.CommunicationNeeds,
		&channels, &p.SafeContact.Times, &p.SafeContact.NoVoicemail, &p.SafeContact.ViaProfessional,
		&p.Contact.Phone.Value, &p.Contact.Phone.Safe, &p.Contact.OtherPhone.Value, &p.Contact.OtherPhone.Safe,
		&p.Contact.Email.Value, &p.Contact.Email.Safe, &p.Contact.Address.Value, &p.Contact.Address.Safe,
		&p.Version, &p.CreatedAt, &p.UpdatedAt}, extra...)
	err := row.Scan(dest...)
	if channels != "" {
		p.SafeContact.Channels = strings.Split(channels, ",")
	}
	return p, err
}

// relationColumns reads how user $2 relates to person p, at time $3.
const relationColumns = `
	EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = $2 AND m.practice_id = p.practice_id AND m.role = 'practice-lead'),
	EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = $2 AND m.practice_id = p.practice_id AND m.role = 'practice-coordinator'),
	EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = $2 AND m.practice_id = p.practice_id AND m.role = 'practitioner'),
	COALESCE(p.practitioner_id, 0) = $2,
	EXISTS (SELECT 1 FROM person_shares s WHERE s.person_id = p.id AND s.user_id = $2),
	EXISTS (SELECT 1 FROM break_glass b WHERE b.person_id = p.id AND b.user_id = $2 AND b.expires_at > $3
	        AND EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = $2 AND m.practice_id = p.practice_id))`

// PersonFor returns the person with this reference as the actor may see her.
// A person the actor has no relation to is not found, whatever Practice she
// is in (S16). Someone who may only break the glass gets her reference and
// Practice, nothing more.
func (db *DB) PersonFor(ctx context.Context, actor *access.Actor, ref string) (programme.Person, programme.Access, error) {
	var rel programme.Relation
	p, err := scanPerson(db.read.QueryRowContext(ctx, `SELECT `+personColumns+`,`+relationColumns+` FROM people p WHERE p.ref = $1`,
		ref, actor.User.ID, db.now()),
		&rel.Lead, &rel.Coordinator, &rel.Practitioner, &rel.Allocated, &rel.Shared, &rel.BreakGlass)
	if err != nil {
		return programme.Person{}, programme.Access{}, db.dialect.translate(err)
	}
	acc := programme.Decide(rel)
	if !acc.Record {
		if !acc.BreakGlass {
			return programme.Person{}, acc, haven.ErrNotFound
		}
		p = programme.Person{ID: p.ID, Ref: p.Ref, PracticeID: p.PracticeID}
	}
	return p, acc, nil
}

// visibleTo is the list filter: the same rules as programme.Decide's Record.
const visibleTo = `(
	p.practice_id IN (SELECT m.practice_id FROM memberships m WHERE m.user_id = $1 AND m.role IN ('practice-lead', 'practice-coordinator'))
	OR (p.practice_id IN (SELECT m.practice_id FROM memberships m WHERE m.user_id = $1 AND m.role = 'practitioner')
	    AND (p.practitioner_id = $1 OR EXISTS (SELECT 1 FROM person_shares s WHERE s.person_id = p.id AND s.user_id = $1)))
	OR EXISTS (SELECT 1 FROM break_glass b WHERE b.person_id = p.id AND b.user_id = $1 AND b.expires_at > $2
	           AND p.practice_id IN (SELECT m.practice_id FROM memberships m WHERE m.user_id = $1)))`

// candidates is a superset of the people user $1 may see, found through
// indexes: lists start from it rather than from every person in the country,
// and visibleTo then decides exactly.
const candidates = `(SELECT c.id FROM people c JOIN memberships m ON m.practice_id = c.practice_id
		WHERE m.user_id = $1 AND m.role IN ('practice-lead', 'practice-coordinator')
	UNION SELECT c.id FROM people c WHERE c.practitioner_id = $1
	UNION SELECT s.person_id FROM person_shares s WHERE s.user_id = $1
	UNION SELECT b.person_id FROM break_glass b WHERE b.user_id = $1)`

// visiblePeople selects columns from a page of the people user $1 may see at
// time $2, after ID $3, at most $4, and where filter holds.
func (db *DB) visiblePeople(columns, filter string) string {
	return `SELECT ` + columns + ` FROM people p WHERE ` + db.dialect.inSubquery("p.id", candidates) + ` AND p.id > $3` + filter +
		` AND ` + visibleTo + ` ORDER BY p.id LIMIT $4`
}

// listedColumns are what lists show. Reading only these, not the dates and
// free text of every row, more than halved the caseload list's cost.
const listedColumns = `p.id, p.ref, p.practice_id, COALESCE(p.practitioner_id, 0), p.first_name, p.last_name, p.preferred_name, COALESCE(p.la_code, ''),
	p.date_of_birth`

func scanListed(r *sql.Rows) (programme.Listed, error) {
	var p programme.Listed
	err := r.Scan(&p.ID, &p.Ref, &p.PracticeID, &p.PractitionerID, &p.FirstName, &p.LastName, &p.PreferredName, &p.LACode, &p.DateOfBirth)
	return p, err
}

// PeopleFor returns a page of the people the actor may see, by ID, in full.
func (db *DB) PeopleFor(ctx context.Context, actor *access.Actor, pg Page) ([]programme.Person, error) {
	rows, err := db.read.QueryContext(ctx, db.visiblePeople(personColumns, ""), actor.User.ID, db.now(), pg.After, pg.limit())
	return collect(db, rows, err, func(r *sql.Rows) (programme.Person, error) { return scanPerson(r) })
}

// ListPeopleFor is PeopleFor with only what a list shows of each.
func (db *DB) ListPeopleFor(ctx context.Context, actor *access.Actor, pg Page) ([]programme.Listed, error) {
	rows, err := db.read.QueryContext(ctx, db.visiblePeople(listedColumns, ""), actor.User.ID, db.now(), pg.After, pg.limit())
	return collect(db, rows, err, scanListed)
}

func newRef() string { return strings.ToLower(rand.Text()[:12]) }

// personEvent fills in the audit row for a change to a person.
func personEvent(ev audit.Event, action audit.Action, id int64, section string) audit.Event {
	ev.Action, ev.RecordType, ev.RecordID, ev.Section = action, "person", itoa(id), section
	return ev
}

// CreatePerson stores a new person in a Practice where the actor may allocate.
func (db *DB) CreatePerson(ctx context.Context, ev audit.Event, actor *access.Actor, p programme.Person) (programme.Person, error) {
	if !actor.CanIn(access.PermCaseAllocate, access.TenantPractice, p.PracticeID) {
		return p, haven.Invalid(map[string]string{"practice": "Choose a Practice you work in"})
	}
	if err := p.Validate(db.now()); err != nil {
		return p, err
	}
	now := db.now()
	p.Ref, p.Version, p.CreatedAt, p.UpdatedAt = newRef(), 1, now, now
	err := db.createTx(ctx, claim{user: ev.UserID, kind: KindPerson}, func(tx *sql.Tx) (int64, string, error) {
		if err := checkPractitioner(ctx, tx, p.PracticeID, p.PractitionerID); err != nil {
			return 0, "", err
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO people (ref, practice_id, practitioner_id, first_name, last_name, preferred_name, pronouns,
				date_of_birth, la_code, care_experienced, address_confidential, communication_needs,
				safe_channels, safe_times, no_voicemail, via_professional,
				phone, phone_safe, other_phone, other_phone_safe, email, email_safe, address, address_safe, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
				$17, $18, $19, $20, $21, $22, $23, $24, 1, $25, $25) RETURNING id`,
			p.Ref, p.PracticeID, nullID(p.PractitionerID), p.FirstName, p.LastName, p.PreferredName, p.Pronouns,
			p.DateOfBirth, nullString(p.LACode), p.CareExperienced, p.AddressConfidential, p.CommunicationNeeds,
			strings.Join(p.SafeContact.Channels, ","), p.SafeContact.Times, p.SafeContact.NoVoicemail, p.SafeContact.ViaProfessional,
			p.Contact.Phone.Value, p.Contact.Phone.Safe, p.Contact.OtherPhone.Value, p.Contact.OtherPhone.Safe,
			p.Contact.Email.Value, p.Contact.Email.Safe, p.Contact.Address.Value, p.Contact.Address.Safe, now).Scan(&p.ID)
		if err != nil {
			return 0, "", err
		}
		return p.ID, p.Ref, db.appendAudit(ctx, tx, personEvent(ev, audit.Create, p.ID, "details"))
	})
	return p, err
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// checkPractitioner refuses to allocate someone who is not a practitioner in the Practice.
func checkPractitioner(ctx context.Context, tx *sql.Tx, practiceID, userID int64) error {
	if userID == 0 {
		return nil
	}
	var ok bool
	err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM memberships WHERE user_id = $1 AND practice_id = $2 AND role = 'practitioner')`,
		userID, practiceID).Scan(&ok)
	if err != nil {
		return err
	}
	if !ok {
		return haven.Invalid(map[string]string{"practitioner": "Choose a practitioner in this Practice"})
	}
	return nil
}

// UpdatePerson saves her details. p.Version is the version the editor
// started from; a stale version is a conflict and changes nothing.
func (db *DB) UpdatePerson(ctx context.Context, ev audit.Event, p programme.Person) (programme.Person, error) {
	if err := p.Validate(db.now()); err != nil {
		return p, err
	}
	now := db.now()
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if err := updatePerson(ctx, tx, p, now); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, personEvent(ev, audit.Update, p.ID, "details"))
	})
	if err != nil {
		return p, err
	}
	p.Version++
	p.UpdatedAt = now
	return p, nil
}

// updatePerson writes her details under the version the editor started from.
func updatePerson(ctx context.Context, tx *sql.Tx, p programme.Person, now time.Time) error {
	res, err := tx.ExecContext(ctx, `UPDATE people SET first_name = $1, last_name = $2, preferred_name = $3, pronouns = $4,
				date_of_birth = $5, la_code = $6, care_experienced = $7, address_confidential = $8, communication_needs = $9,
				safe_channels = $10, safe_times = $11, no_voicemail = $12, via_professional = $13,
				phone = $14, phone_safe = $15, other_phone = $16, other_phone_safe = $17, email = $18, email_safe = $19,
				address = $20, address_safe = $21, version = version + 1, updated_at = $22
			WHERE id = $23 AND version = $24`,
		p.FirstName, p.LastName, p.PreferredName, p.Pronouns, p.DateOfBirth, nullString(p.LACode), p.CareExperienced,
		p.AddressConfidential, p.CommunicationNeeds, strings.Join(p.SafeContact.Channels, ","), p.SafeContact.Times,
		p.SafeContact.NoVoicemail, p.SafeContact.ViaProfessional,
		p.Contact.Phone.Value, p.Contact.Phone.Safe, p.Contact.OtherPhone.Value, p.Contact.OtherPhone.Safe,
		p.Contact.Email.Value, p.Contact.Email.Safe, p.Contact.Address.Value, p.Contact.Address.Safe, now, p.ID, p.Version)
	if err != nil {
		return err
	}
	return checkVersioned(ctx, tx, res, "people", p.ID)
}

// Allocate gives her a dedicated practitioner, or hands her over to another.
func (db *DB) Allocate(ctx context.Context, ev audit.Event, p programme.Person, practitionerID int64) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if err := checkPractitioner(ctx, tx, p.PracticeID, practitionerID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE people SET practitioner_id = $1, version = version + 1, updated_at = $2 WHERE id = $3 AND version = $4`,
			nullID(practitionerID), db.now(), p.ID, p.Version)
		if err != nil {
			return err
		}
		if err := checkVersioned(ctx, tx, res, "people", p.ID); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, personEvent(ev, audit.Update, p.ID, "allocation"))
	})
}

// Share lets a practitioner in her Practice see her record, without the restricted sections.
func (db *DB) Share(ctx context.Context, ev audit.Event, p programme.Person, userID, by int64) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if err := checkPractitioner(ctx, tx, p.PracticeID, userID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO person_shares (person_id, user_id, shared_by, created_at) VALUES ($1, $2, $3, $4)`,
			p.ID, userID, by, db.now()); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, personEvent(ev, audit.Update, p.ID, "sharing"))
	})
}

// Practitioners lists the practitioners in a Practice, for allocation and
// for their names in lists: each user's ID and display name only. (The caseload
// and every record page ask, so it reads nothing else.) The CAST stops SQLite
// preparing the statement again whenever the Practice differs from last time,
// which it would to consult its statistics for the new value.
func (db *DB) Practitioners(ctx context.Context, practiceID int64) ([]access.User, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT u.id, u.display_name
		FROM users u JOIN memberships m ON m.user_id = u.id
		WHERE m.practice_id = CAST($1 AS BIGINT) AND m.role = 'practitioner' AND NOT u.disabled ORDER BY u.display_name, u.id`, practiceID)
	return collect(db, rows, err, func(r *sql.Rows) (access.User, error) {
		var u access.User
		return u, r.Scan(&u.ID, &u.DisplayName)
	})
}

// RestrictedNotes returns her restricted sections. Callers must have checked
// programme.Access.Restricted first.
func (db *DB) RestrictedNotes(ctx context.Context, personID int64) (map[programme.Section]programme.RestrictedNote, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT section, body, version, updated_by, updated_at FROM restricted_sections WHERE person_id = $1`, personID)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	defer rows.Close()
	out := map[programme.Section]programme.RestrictedNote{}
	for rows.Next() {
		var n programme.RestrictedNote
		var section string
		if err := rows.Scan(&section, &n.Body, &n.Version, &n.UpdatedBy, &n.UpdatedAt); err != nil {
			return nil, err
		}
		n.Section = programme.Section(section)
		out[n.Section] = n
	}
	return out, db.dialect.translate(rows.Err())
}

// SaveRestricted writes a new version of a restricted section, keeping
// every earlier one. version is the version the writer started from (0 for
// a new section); a stale version is a conflict and changes nothing. An empty
// body clears the section and needs a reason (programme.CheckRestricted).
func (db *DB) SaveRestricted(ctx context.Context, ev audit.Event, personID int64, section programme.Section, body, reason string, version, by int64) error {
	body, reason = strings.TrimSpace(body), strings.TrimSpace(reason)
	if err := programme.CheckRestricted(section, body, reason, version); err != nil {
		return err
	}
	if body != "" {
		reason = ""
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		now := db.now()
		var res sql.Result
		var err error
		if version == 0 {
			res, err = tx.ExecContext(ctx, `INSERT INTO restricted_sections (person_id, section, body, version, updated_by, updated_at)
				VALUES ($1, $2, $3, 1, $4, $5) ON CONFLICT (person_id, section) DO NOTHING`, personID, string(section), body, by, now)
		} else {
			res, err = tx.ExecContext(ctx, `UPDATE restricted_sections SET body = $1, version = version + 1, updated_by = $2, updated_at = $3
				WHERE person_id = $4 AND section = $5 AND version = $6`, body, by, now, personID, string(section), version)
		}
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return haven.ErrConflict
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO restricted_section_versions (person_id, section, version, body, reason, updated_by, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, personID, string(section), version+1, body, reason, by, now); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, personEvent(ev, audit.Update, personID, string(section)))
	})
}

// RestrictedVersions returns every version of one restricted section, newest
// first. Callers must have checked programme.Access.Restricted first.
func (db *DB) RestrictedVersions(ctx context.Context, personID int64, section programme.Section) ([]programme.RestrictedVersion, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT v.version, v.body, v.reason, COALESCE(u.display_name, ''), v.updated_at
		FROM restricted_section_versions v LEFT JOIN users u ON u.id = v.updated_by
		WHERE v.person_id = $1 AND v.section = $2 ORDER BY v.version DESC`, personID, string(section))
	return collect(db, rows, err, func(r *sql.Rows) (programme.RestrictedVersion, error) {
		var v programme.RestrictedVersion
		return v, r.Scan(&v.Version, &v.Body, &v.Reason, &v.ByName, &v.At)
	})
}

// BreakGlass records a typed reason and grants time-limited access to her whole record.
func (db *DB) BreakGlass(ctx context.Context, ev audit.Event, personID, userID int64, reason string) (time.Time, error) {
	if err := programme.CheckBreakGlassReason(reason); err != nil {
		return time.Time{}, err
	}
	now := db.now()
	until := now.Add(programme.BreakGlassFor)
	err := db.createTx(ctx, onPerson(userID, KindBreakGlass, personID), func(tx *sql.Tx) (int64, string, error) {
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO break_glass (person_id, user_id, reason, created_at, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			personID, userID, strings.TrimSpace(reason), now, until).Scan(&id); err != nil {
			return 0, "", err
		}
		return id, "", db.appendAudit(ctx, tx, personEvent(ev, audit.BreakGlass, personID, "all"))
	})
	return until, err
}

// BreakGlassUse is one use of break-glass on a record, for the lead.
type BreakGlassUse struct {
	UserID    int64
	UserName  string
	Reason    string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// BreakGlassUses lists every break-glass on a person, newest first.
func (db *DB) BreakGlassUses(ctx context.Context, personID int64) ([]BreakGlassUse, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT b.user_id, u.display_name, b.reason, b.created_at, b.expires_at
		FROM break_glass b JOIN users u ON u.id = b.user_id WHERE b.person_id = $1 ORDER BY b.id DESC`, personID)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	defer rows.Close()
	var out []BreakGlassUse
	for rows.Next() {
		var b BreakGlassUse
		if err := rows.Scan(&b.UserID, &b.UserName, &b.Reason, &b.CreatedAt, &b.ExpiresAt); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, db.dialect.translate(rows.Err())
}

// AccessEntry is one line of "who has seen this record".
type AccessEntry struct {
	audit.Event
	UserName string
}

// AccessLog lists who viewed or changed a person's record, newest first
// (S32), narrowed by f's user, action and dates; its record is this person's.
func (db *DB) AccessLog(ctx context.Context, personID int64, f AuditFilter) ([]AccessEntry, error) {
	f.RecordType, f.RecordID = "person", itoa(personID)
	return db.auditEntries(ctx, f, true)
}

// PeopleAround lists the people in her life that are recorded.
func (db *DB) PeopleAround(ctx context.Context, personID int64) ([]programme.PersonAround, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, name, relationship, notes FROM people_around WHERE person_id = $1 ORDER BY id`, personID)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	defer rows.Close()
	var out []programme.PersonAround
	for rows.Next() {
		var a programme.PersonAround
		if err := rows.Scan(&a.ID, &a.Name, &a.Relationship, &a.Notes); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, db.dialect.translate(rows.Err())
}

// AddPersonAround records someone in her life.
func (db *DB) AddPersonAround(ctx context.Context, ev audit.Event, personID int64, a programme.PersonAround) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return db.createTx(ctx, onPerson(ev.UserID, KindPersonAround, personID), func(tx *sql.Tx) (int64, string, error) {
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO people_around (person_id, name, relationship, notes, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			personID, a.Name, a.Relationship, a.Notes, db.now()).Scan(&id); err != nil {
			return 0, "", err
		}
		return id, "", db.appendAudit(ctx, tx, personEvent(ev, audit.Create, personID, "people-around"))
	})
}

// RecordBar is what the bar across every page of her record shows besides
// her details: the phase of her open enrolment ("" if none), her
// practitioner's name, and whether the actor may read her restricted sections.
func (db *DB) RecordBar(ctx context.Context, actor *access.Actor, personID int64) (phase programme.Phase, practitioner string, restricted bool, err error) {
	var rel programme.Relation
	var ph string
	err = db.read.QueryRowContext(ctx, `SELECT COALESCE((SELECT e.phase FROM enrolments e WHERE e.person_id = p.id AND e.phase <> 'closed' ORDER BY e.id DESC LIMIT 1), ''),
			COALESCE((SELECT u.display_name FROM users u WHERE u.id = p.practitioner_id), ''),`+relationColumns+`
		FROM people p WHERE p.id = $1`, personID, actor.User.ID, db.now()).
		Scan(&ph, &practitioner, &rel.Lead, &rel.Coordinator, &rel.Practitioner, &rel.Allocated, &rel.Shared, &rel.BreakGlass)
	return programme.Phase(ph), practitioner, programme.Decide(rel).Restricted, db.dialect.translate(err)
}
