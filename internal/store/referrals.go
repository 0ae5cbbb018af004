package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/programme"
)

// Referrals are seen only by those who may allocate in the referral's
// Practice: its lead and co-ordinator. Anyone else gets not found, so nobody
// learns whether a referral exists in another Practice.

const referralColumns = `r.id, r.ref, COALESCE(r.practice_id, 0), COALESCE(pr.name, ''), r.source, r.status, r.received_at,
	r.first_name, r.last_name, r.date_of_birth, r.phone, r.email, COALESCE(r.la_code, ''), r.postcode_district,
	r.safe_channels, r.no_voicemail, r.safe_times, r.via_professional, r.via_name, r.via_contact,
	r.children_removed, r.care_experienced, r.children_in_care, r.consent,
	r.referrer_name, r.referrer_organisation, r.referrer_role, r.referrer_contact, r.proceedings, r.situation, r.risks,
	r.communication_needs, COALESCE(r.entered_by, 0), r.outcome_reason, r.referred_on_to, COALESCE(r.outcome_by, 0), COALESCE(u.display_name, ''), r.outcome_at,
	COALESCE(r.person_id, 0), COALESCE(p.ref, ''), r.version, r.created_at, r.updated_at`

const referralFrom = ` FROM referrals r
	LEFT JOIN practices pr ON pr.id = r.practice_id
	LEFT JOIN users u ON u.id = r.outcome_by
	LEFT JOIN people p ON p.id = r.person_id`

func scanReferral(row interface{ Scan(...any) error }) (programme.Referral, error) {
	var r programme.Referral
	var source, status, channels, removed, care, inCare, consent string
	var outcomeAt sql.NullTime
	err := row.Scan(&r.ID, &r.Ref, &r.PracticeID, &r.PracticeName, &source, &status, &r.ReceivedAt,
		&r.FirstName, &r.LastName, &r.DateOfBirth, &r.Phone, &r.Email, &r.LACode, &r.PostcodeDistrict,
		&channels, &r.Contact.NoVoicemail, &r.Contact.SafeTimes, &r.Contact.ViaProfessional, &r.Contact.ViaName, &r.Contact.ViaContact,
		&removed, &care, &inCare, &consent,
		&r.Referrer.Name, &r.Referrer.Organisation, &r.Referrer.Role, &r.Referrer.Contact, &r.Proceedings, &r.Situation, &r.Risks,
		&r.CommunicationNeeds, &r.EnteredBy, &r.OutcomeReason, &r.ReferredOnTo, &r.OutcomeBy, &r.OutcomeByName, &outcomeAt,
		&r.PersonID, &r.PersonRef, &r.Version, &r.CreatedAt, &r.UpdatedAt)
	r.Source, r.Status, r.ChildrenRemoved = programme.ReferralSource(source), programme.ReferralStatus(status), programme.ChildrenRemoved(removed)
	r.CareExperienced, r.ChildrenInCare, r.Consent = programme.Answer(care), programme.Answer(inCare), programme.Consent(consent)
	if channels != "" {
		for _, c := range strings.Split(channels, ",") {
			r.Contact.Channels = append(r.Contact.Channels, programme.ContactChannel(c))
		}
	}
	if outcomeAt.Valid {
		r.OutcomeAt = outcomeAt.Time
	}
	return r, err
}

// referralEvent fills in the audit row for something done to a referral.
func referralEvent(ev audit.Event, action audit.Action, id int64, section string) audit.Event {
	ev.Action, ev.RecordType, ev.RecordID, ev.Section = action, "referral", itoa(id), section
	return ev
}

// PracticeCovering returns the Practice that takes referrals from an
// authority's area, or 0 if none does yet. Where two Practices share an
// area, the older one takes the referral.
func (db *DB) PracticeCovering(ctx context.Context, laCode string) (int64, error) {
	return practiceCovering(ctx, db.read, laCode)
}

func practiceCovering(ctx context.Context, q queryer, laCode string) (int64, error) {
	if laCode == "" {
		return 0, nil
	}
	var id int64
	err := q.QueryRowContext(ctx, `SELECT practice_id FROM practice_local_authorities WHERE la_code = $1 ORDER BY practice_id LIMIT 1`, laCode).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// CreateReferral stores a referral. With no actor it came from the public
// forms or API, and goes to the Practice covering her area (or to none yet);
// a member of staff names the Practice, which must be one they work in.
// ReceivedAt may be set for referrals received earlier; otherwise it is now.
func (db *DB) CreateReferral(ctx context.Context, ev audit.Event, actor *access.Actor, r programme.Referral) (programme.Referral, error) {
	r.Prepare()
	now := db.now()
	if err := r.Validate(now); err != nil {
		return r, err
	}
	if actor != nil {
		if !actor.CanIn(access.PermCaseEdit, access.TenantPractice, r.PracticeID) {
			return r, haven.Invalid(map[string]string{"practice": "Choose a Practice you work in"})
		}
		r.EnteredBy = actor.User.ID
	}
	if r.ReceivedAt.IsZero() || r.ReceivedAt.After(now) {
		r.ReceivedAt = now
	}
	r.ReceivedAt = r.ReceivedAt.UTC().Truncate(time.Microsecond)
	r.Status, r.Version, r.CreatedAt, r.UpdatedAt = programme.ReferralNew, 1, now, now
	channels := make([]string, len(r.Contact.Channels))
	for i, c := range r.Contact.Channels {
		channels[i] = string(c)
	}
	c := claim{user: ev.UserID, kind: KindReferral}
	if actor == nil {
		// Anyone may send a public key, so a repeat must also be about the same woman.
		c.target = fingerprint(string(r.Source), r.FirstName, r.LastName, r.DateOfBirth.String(), r.Phone, r.Email)
	}
	err := db.createTx(ctx, c, func(tx *sql.Tx) (int64, string, error) {
		if actor == nil {
			id, err := practiceCovering(ctx, tx, r.LACode)
			if err != nil {
				return 0, "", err
			}
			r.PracticeID = id
		}
		// A repeated reference is vanishingly unlikely; try another if it happens.
		for range 3 {
			r.Ref = programme.NewReferralRef()
			err := tx.QueryRowContext(ctx, `INSERT INTO referrals (ref, practice_id, source, status, received_at, first_name, last_name,
					date_of_birth, phone, email, la_code, postcode_district, safe_channels, no_voicemail, safe_times,
					via_professional, via_name, via_contact, children_removed, care_experienced, children_in_care, consent,
					referrer_name, referrer_organisation, referrer_role, referrer_contact, proceedings, situation, risks,
					entered_by, communication_needs, version, created_at, updated_at)
				VALUES ($1, $2, $3, 'new', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21,
					$22, $23, $24, $25, $26, $27, $28, $29, $31, 1, $30, $30)
				ON CONFLICT (ref) DO NOTHING RETURNING id`,
				r.Ref, nullID(r.PracticeID), string(r.Source), r.ReceivedAt, r.FirstName, r.LastName,
				r.DateOfBirth, r.Phone, r.Email, nullString(r.LACode), r.PostcodeDistrict, strings.Join(channels, ","), r.Contact.NoVoicemail, r.Contact.SafeTimes,
				r.Contact.ViaProfessional, r.Contact.ViaName, r.Contact.ViaContact, string(r.ChildrenRemoved), string(r.CareExperienced), string(r.ChildrenInCare), string(r.Consent),
				r.Referrer.Name, r.Referrer.Organisation, r.Referrer.Role, r.Referrer.Contact, r.Proceedings, r.Situation, r.Risks,
				nullID(r.EnteredBy), now, r.CommunicationNeeds).Scan(&r.ID)
			if errors.Is(err, sql.ErrNoRows) {
				continue
			}
			if err != nil {
				return 0, "", err
			}
			return r.ID, r.Ref, db.appendAudit(ctx, tx, referralEvent(ev, audit.Create, r.ID, "details"))
		}
		return 0, "", errors.New("store: no free referral reference after three tries")
	})
	return r, err
}

// ReferralFor returns the referral with this reference if the actor may
// triage in its Practice. An unassigned referral, or one in a Practice where
// they may not, is not found.
func (db *DB) ReferralFor(ctx context.Context, actor *access.Actor, ref string) (programme.Referral, error) {
	r, err := scanReferral(db.read.QueryRowContext(ctx, `SELECT `+referralColumns+referralFrom+` WHERE r.ref = $1`, ref))
	if err != nil {
		return programme.Referral{}, db.dialect.translate(err)
	}
	if r.PracticeID == 0 || !actor.CanIn(access.PermCaseAllocate, access.TenantPractice, r.PracticeID) {
		return programme.Referral{}, haven.ErrNotFound
	}
	return r, nil
}

// maxQueue bounds the triage queue; a Practice with more waiting has bigger problems.
const maxQueue = 500

// TriageQueue lists the referrals waiting for a decision in every Practice
// where the actor may triage, oldest first. An accepted referral whose record
// was not made stays in the queue until it is.
func (db *DB) TriageQueue(ctx context.Context, actor *access.Actor) ([]programme.Referral, error) {
	return db.referralsWhere(ctx, actor, `(r.status IN ('new', 'waiting-list') OR (r.status = 'accepted' AND r.person_id IS NULL))`)
}

// ReferralsForPerson lists the referrals that became this person's record,
// for those who may triage in her Practice.
func (db *DB) ReferralsForPerson(ctx context.Context, actor *access.Actor, personID int64) ([]programme.Referral, error) {
	return db.referralsWhere(ctx, actor, `r.person_id = $1`, personID)
}

// referralsWhere lists referrals matching cond (whose arguments are args) in
// the Practices where the actor may triage.
func (db *DB) referralsWhere(ctx context.Context, actor *access.Actor, cond string, args ...any) ([]programme.Referral, error) {
	ids := actor.PracticeIDs(access.PermCaseAllocate)
	if len(ids) == 0 {
		return nil, nil
	}
	marks := make([]string, len(ids))
	for i, id := range ids {
		args = append(args, id)
		marks[i] = "$" + itoa(int64(len(args)))
	}
	args = append(args, maxQueue)
	rows, err := db.read.QueryContext(ctx, `SELECT `+referralColumns+referralFrom+`
		WHERE `+cond+` AND r.practice_id IN (`+strings.Join(marks, ", ")+`)
		ORDER BY r.received_at, r.id LIMIT $`+itoa(int64(len(args))), args...)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	defer rows.Close()
	var out []programme.Referral
	for rows.Next() {
		r, err := scanReferral(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, db.dialect.translate(rows.Err())
}

// DecideReferral records a triage outcome other than acceptance: the waiting
// list, declined or referred on. r.Version is the version the decision was
// made from; a stale version is a conflict and changes nothing.
func (db *DB) DecideReferral(ctx context.Context, ev audit.Event, actor *access.Actor, r programme.Referral, o programme.Outcome) (programme.Referral, error) {
	if !actor.CanIn(access.PermCaseAllocate, access.TenantPractice, r.PracticeID) {
		return r, haven.ErrNotFound
	}
	if o.Status == programme.ReferralAccepted {
		return r, haven.Invalid(map[string]string{"outcome": "Accept a referral with AcceptReferral"})
	}
	if err := r.CheckOutcome(o); err != nil {
		return r, err
	}
	now := db.now()
	reason, to := "", ""
	switch o.Status {
	case programme.ReferralDeclined:
		reason = strings.TrimSpace(o.Reason)
	case programme.ReferralReferredOn:
		to = strings.TrimSpace(o.To)
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE referrals SET status = $1, outcome_reason = $2, referred_on_to = $3, outcome_by = $4,
				outcome_at = $5, version = version + 1, updated_at = $5
			WHERE id = $6 AND version = $7 AND status IN ('new', 'waiting-list')`,
			string(o.Status), reason, to, actor.User.ID, now, r.ID, r.Version)
		if err != nil {
			return err
		}
		if err := checkVersioned(ctx, tx, res, "referrals", r.ID); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, referralEvent(ev, audit.Update, r.ID, "outcome"))
	})
	if err != nil {
		return r, err
	}
	r.Status, r.OutcomeReason, r.ReferredOnTo, r.OutcomeBy, r.OutcomeAt = o.Status, reason, to, actor.User.ID, now
	r.Version++
	r.UpdatedAt = now
	return r, nil
}

// AcceptReferral accepts a referral: she becomes a person in the Practice,
// with an enrolment referred on referredOn, and the referral links to her
// record. The referral is claimed first, under its version, so two people
// accepting at once make one record, not two. Each step is audited with its
// change. If a later step fails, the referral stays accepted without a record
// and stays in the queue, where accepting it again finishes the job.
func (db *DB) AcceptReferral(ctx context.Context, ev audit.Event, actor *access.Actor, r programme.Referral, practitionerID int64, referredOn haven.Date) (programme.Person, error) {
	if !actor.CanIn(access.PermCaseAllocate, access.TenantPractice, r.PracticeID) {
		return programme.Person{}, haven.ErrNotFound
	}
	if err := r.CheckOutcome(programme.Outcome{Status: programme.ReferralAccepted}); err != nil {
		return programme.Person{}, err
	}
	p := r.NewPerson()
	p.PractitionerID = practitionerID
	if err := p.Validate(db.now()); err != nil {
		return p, err
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if err := checkPractitioner(ctx, tx, r.PracticeID, practitionerID); err != nil {
			return err
		}
		now := db.now()
		res, err := tx.ExecContext(ctx, `UPDATE referrals SET status = 'accepted', outcome_by = $1, outcome_at = $2,
				outcome_reason = '', referred_on_to = '', version = version + 1, updated_at = $2
			WHERE id = $3 AND version = $4 AND person_id IS NULL AND status IN ('new', 'waiting-list', 'accepted')`,
			actor.User.ID, now, r.ID, r.Version)
		if err != nil {
			return err
		}
		if err := checkVersioned(ctx, tx, res, "referrals", r.ID); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, referralEvent(ev, audit.Update, r.ID, "outcome"))
	})
	if err != nil {
		return p, err
	}
	created, err := db.CreatePerson(ctx, ev, actor, p)
	if err != nil {
		return p, err
	}
	// Linked before the enrolment, so that a retry never makes a second record.
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE referrals SET person_id = $1, version = version + 1, updated_at = $2 WHERE id = $3 AND person_id IS NULL`,
			created.ID, db.now(), r.ID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return errors.Join(haven.ErrConflict, err)
		}
		if err := db.addReferrer(ctx, tx, ev, r, created.ID); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, referralEvent(ev, audit.Update, r.ID, "person"))
	})
	if err != nil {
		return created, err
	}
	if _, err := db.StartEnrolment(ctx, ev, created, referredOn); err != nil {
		return created, err
	}
	return created, nil
}

// addReferrer keeps the professional who referred her among the people
// around her, so her record says who to go back to.
func (db *DB) addReferrer(ctx context.Context, tx *sql.Tx, ev audit.Event, r programme.Referral, personID int64) error {
	a, ok := r.ReferrerAround()
	if !ok {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO people_around (person_id, name, relationship, notes, created_at) VALUES ($1, $2, $3, $4, $5)`,
		personID, a.Name, a.Relationship, a.Notes, db.now()); err != nil {
		return err
	}
	return db.appendAudit(ctx, tx, personEvent(ev, audit.Create, personID, "people-around"))
}

// LinkReferral accepts a re-referral of a woman the Practice already knows
// onto her record, in one transaction: the referral links to her, her record
// takes what the referral newly says of her (programme.Referral.MergeInto),
// and her referrer joins the people around her. If she has no open
// enrolment, one starts on referredOn. personRef must be a record in the
// referral's Practice that the actor may see.
func (db *DB) LinkReferral(ctx context.Context, ev audit.Event, actor *access.Actor, r programme.Referral, personRef string, referredOn haven.Date) (programme.Person, error) {
	if !actor.CanIn(access.PermCaseAllocate, access.TenantPractice, r.PracticeID) {
		return programme.Person{}, haven.ErrNotFound
	}
	if err := r.CheckOutcome(programme.Outcome{Status: programme.ReferralAccepted}); err != nil {
		return programme.Person{}, err
	}
	notHer := haven.Invalid(map[string]string{"match": "Choose which of the possible matches she is"})
	if len(personRef) != 12 {
		return programme.Person{}, notHer
	}
	p, acc, err := db.PersonFor(ctx, actor, personRef)
	if errors.Is(err, haven.ErrNotFound) || (err == nil && (!acc.Record || p.PracticeID != r.PracticeID)) {
		return programme.Person{}, notHer
	}
	if err != nil {
		return programme.Person{}, err
	}
	merged := r.MergeInto(p)
	if err := merged.Validate(db.now()); err != nil {
		return p, err
	}
	now := db.now()
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE referrals SET status = 'accepted', outcome_by = $1, outcome_at = $2, person_id = $3,
				outcome_reason = '', referred_on_to = '', version = version + 1, updated_at = $2
			WHERE id = $4 AND version = $5 AND person_id IS NULL AND status IN ('new', 'waiting-list', 'accepted')`,
			actor.User.ID, now, p.ID, r.ID, r.Version)
		if err != nil {
			return err
		}
		if err := checkVersioned(ctx, tx, res, "referrals", r.ID); err != nil {
			return err
		}
		if err := db.appendAudit(ctx, tx, referralEvent(ev, audit.Update, r.ID, "outcome,person")); err != nil {
			return err
		}
		if err := updatePerson(ctx, tx, merged, now); err != nil {
			return err
		}
		if err := db.appendAudit(ctx, tx, personEvent(ev, audit.Update, p.ID, "details")); err != nil {
			return err
		}
		return db.addReferrer(ctx, tx, ev, r, p.ID)
	})
	if err != nil {
		return p, err
	}
	merged.Version++
	es, err := db.Enrolments(ctx, p.ID)
	if err != nil {
		return merged, err
	}
	for _, e := range es {
		if e.Phase.Open() {
			return merged, nil // she is still with the Practice: the referral joins her record
		}
	}
	_, err = db.StartEnrolment(ctx, ev, merged, referredOn)
	return merged, err
}
