package store

import (
	"context"
	"database/sql"
	"errors"
	"maps"
	"slices"
	"time"

	"haven/internal/audit"
	"haven/internal/contact"
	"haven/internal/haven"
	"haven/internal/programme"
)

// Children and contact. Callers check record-level access (PersonFor)
// before calling any of these; every query is also limited to her person ID,
// so a child, arrangement or change of someone else's is not found. Changes
// and explanations are insert-only (the schema refuses an UPDATE).

const contactSection = "contact"

// The kinds of contact record an idempotency key can make.
const (
	KindChild          = "child"
	KindProceedings    = "proceedings"
	KindArrangement    = "contact-arrangement"
	KindContactChange  = "contact-change"
	KindExplanation    = "contact-explanation"
	KindContactSession = "contact-session"
	KindLetterbox      = "letterbox-exchange"
)

// ContactRecord is everything on her record about her children and contact.
type ContactRecord struct {
	Children     []contact.Child
	Proceedings  []contact.Proceedings
	Arrangements []contact.Arrangement
	Changes      []contact.Change // oldest first by effective date
	Sessions     []contact.ContactSession
	Letterbox    []contact.LetterboxExchange
	Letters      []ContactLetter
}

// ContactLetter is one "What has changed and why" letter produced for her.
type ContactLetter struct {
	From, To haven.Date
	Format   string
	ByName   string
	At       time.Time
}

// Contact loads her children and contact record.
func (db *DB) Contact(ctx context.Context, personID int64) (ContactRecord, error) {
	var r ContactRecord
	var err error
	if r.Children, err = db.Children(ctx, personID); err != nil {
		return r, err
	}
	if r.Proceedings, err = db.ProceedingsFor(ctx, personID); err != nil {
		return r, err
	}
	if r.Arrangements, err = db.Arrangements(ctx, personID); err != nil {
		return r, err
	}
	if r.Changes, err = db.ContactChanges(ctx, personID); err != nil {
		return r, err
	}
	if r.Sessions, err = db.ContactSessions(ctx, personID); err != nil {
		return r, err
	}
	if r.Letterbox, err = db.LetterboxExchanges(ctx, personID); err != nil {
		return r, err
	}
	rows, err := db.read.QueryContext(ctx, `SELECT l.from_on, l.to_on, l.format, COALESCE(u.display_name, ''), l.made_at
		FROM contact_letters l LEFT JOIN users u ON u.id = l.made_by WHERE l.person_id = $1 ORDER BY l.id DESC`, personID)
	r.Letters, err = collect(db, rows, err, func(rs *sql.Rows) (ContactLetter, error) {
		var l ContactLetter
		return l, rs.Scan(&l.From, &l.To, &l.Format, &l.ByName, &l.At)
	})
	return r, err
}

// Children returns her children, oldest first, each with their placement history.
func (db *DB) Children(ctx context.Context, personID int64) ([]contact.Child, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, person_id, name, born_on, birth_year, removed_on, COALESCE(la_code, ''), legal_status, placement,
			version, created_at, updated_at
		FROM children WHERE person_id = $1 ORDER BY birth_year, id`, personID)
	out, err := collect(db, rows, err, func(rs *sql.Rows) (contact.Child, error) {
		var c contact.Child
		var status, placement string
		err := rs.Scan(&c.ID, &c.PersonID, &c.Name, &c.BornOn, &c.BirthYear, &c.RemovedOn, &c.LACode, &status, &placement, &c.Version, &c.CreatedAt, &c.UpdatedAt)
		c.LegalStatus, c.Placement = contact.LegalStatus(status), contact.Placement(placement)
		return c, err
	})
	if err != nil || len(out) == 0 {
		return out, err
	}
	type move struct {
		child int64
		contact.PlacementChange
	}
	rows, err = db.read.QueryContext(ctx, `SELECT m.child_id, m.placement, m.from_on, COALESCE(u.display_name, ''), m.at
		FROM child_placements m JOIN children c ON c.id = m.child_id LEFT JOIN users u ON u.id = m.by_user
		WHERE c.person_id = $1 ORDER BY m.id`, personID)
	moves, err := collect(db, rows, err, func(rs *sql.Rows) (move, error) {
		var m move
		var placement string
		err := rs.Scan(&m.child, &placement, &m.From, &m.ByName, &m.At)
		m.Placement = contact.Placement(placement)
		return m, err
	})
	for _, m := range moves {
		for i := range out {
			if out[i].ID == m.child {
				out[i].Placements = append(out[i].Placements, m.PlacementChange)
			}
		}
	}
	return out, err
}

// CreateChild links a child to her record.
func (db *DB) CreateChild(ctx context.Context, ev audit.Event, c contact.Child, by int64, today haven.Date) (contact.Child, error) {
	if err := c.Validate(today); err != nil {
		return c, err
	}
	now := db.now()
	c.Version, c.CreatedAt, c.UpdatedAt = 1, now, now
	err := db.createTx(ctx, onPerson(ev.UserID, KindChild, c.PersonID), func(tx *sql.Tx) (int64, string, error) {
		if err := tx.QueryRowContext(ctx, `INSERT INTO children (person_id, name, born_on, birth_year, removed_on, la_code, legal_status, placement,
				created_by, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $10) RETURNING id`,
			c.PersonID, c.Name, c.BornOn, c.BirthYear, c.RemovedOn, nullString(c.LACode), string(c.LegalStatus), string(c.Placement),
			nullID(by), now).Scan(&c.ID); err != nil {
			return 0, "", err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO child_placements (child_id, placement, from_on, by_user, at) VALUES ($1, $2, $3, $4, $5)`,
			c.ID, string(c.Placement), c.RemovedOn, nullID(by), now); err != nil {
			return 0, "", err
		}
		return c.ID, "", db.appendAudit(ctx, tx, personEvent(ev, audit.Create, c.PersonID, contactSection))
	})
	return c, err
}

// UpdateChild records a child's new legal status and placement. A new
// placement is added to the child's placement history from the date given.
// version is the child's version the practitioner saw.
func (db *DB) UpdateChild(ctx context.Context, ev audit.Event, c contact.Child, version int64, placementFrom haven.Date, by int64, today haven.Date) error {
	if err := c.Validate(today); err != nil {
		return err
	}
	if err := c.CheckMove(placementFrom, today); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var was string
		if err := tx.QueryRowContext(ctx, `SELECT placement FROM children WHERE id = $1 AND person_id = $2`, c.ID, c.PersonID).Scan(&was); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE children SET legal_status = $1, placement = $2, la_code = $3, removed_on = $4, version = version + 1, updated_at = $5
			WHERE id = $6 AND person_id = $7 AND version = $8`,
			string(c.LegalStatus), string(c.Placement), nullString(c.LACode), c.RemovedOn, db.now(), c.ID, c.PersonID, version)
		if err != nil {
			return err
		}
		if err := checkHerVersioned(ctx, tx, res, "children", c.ID, c.PersonID); err != nil {
			return err
		}
		if was != string(c.Placement) {
			if _, err := tx.ExecContext(ctx, `INSERT INTO child_placements (child_id, placement, from_on, by_user, at) VALUES ($1, $2, $3, $4, $5)`,
				c.ID, string(c.Placement), placementFrom, nullID(by), db.now()); err != nil {
				return err
			}
		}
		return db.appendAudit(ctx, tx, personEvent(ev, audit.Update, c.PersonID, contactSection))
	})
}

// ProceedingsFor returns her care proceedings, oldest first, with the children each concerned.
func (db *DB) ProceedingsFor(ctx context.Context, personID int64) ([]contact.Proceedings, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, person_id, issued_on, court, COALESCE(la_code, ''), final_hearing_on, outcome, is_index, version, created_at
		FROM proceedings WHERE person_id = $1 ORDER BY issued_on, id`, personID)
	out, err := collect(db, rows, err, func(rs *sql.Rows) (contact.Proceedings, error) {
		var p contact.Proceedings
		var outcome string
		err := rs.Scan(&p.ID, &p.PersonID, &p.IssuedOn, &p.Court, &p.LACode, &p.FinalHearingOn, &outcome, &p.Index, &p.Version, &p.CreatedAt)
		p.Outcome = contact.Outcome(outcome)
		return p, err
	})
	if err != nil || len(out) == 0 {
		return out, err
	}
	rows, err = db.read.QueryContext(ctx, `SELECT pc.proceedings_id, pc.child_id FROM proceedings_children pc JOIN proceedings p ON p.id = pc.proceedings_id
		WHERE p.person_id = $1 ORDER BY pc.child_id`, personID)
	links, err := collect(db, rows, err, func(rs *sql.Rows) ([2]int64, error) {
		var l [2]int64
		return l, rs.Scan(&l[0], &l[1])
	})
	for _, l := range links {
		for i := range out {
			if out[i].ID == l[0] {
				out[i].ChildIDs = append(out[i].ChildIDs, l[1])
			}
		}
	}
	return out, err
}

// CreateProceedings records a set of care proceedings. Marking it as the
// index set takes the mark from any other set of hers, in the same transaction.
func (db *DB) CreateProceedings(ctx context.Context, ev audit.Event, p contact.Proceedings, by int64, today haven.Date) (contact.Proceedings, error) {
	children, err := db.Children(ctx, p.PersonID)
	if err != nil {
		return p, err
	}
	if err := p.Validate(today, children); err != nil {
		return p, err
	}
	now := db.now()
	p.Version, p.CreatedAt = 1, now
	err = db.createTx(ctx, onPerson(ev.UserID, KindProceedings, p.PersonID), func(tx *sql.Tx) (int64, string, error) {
		if p.Index {
			if _, err := tx.ExecContext(ctx, `UPDATE proceedings SET is_index = FALSE, version = version + 1, updated_at = $1 WHERE person_id = $2 AND is_index`,
				now, p.PersonID); err != nil {
				return 0, "", err
			}
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO proceedings (person_id, issued_on, court, la_code, final_hearing_on, outcome, is_index,
				created_by, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9) RETURNING id`,
			p.PersonID, p.IssuedOn, p.Court, nullString(p.LACode), p.FinalHearingOn, string(p.Outcome), p.Index, nullID(by), now).Scan(&p.ID); err != nil {
			return 0, "", err
		}
		for _, c := range p.ChildIDs {
			// The child must be hers: the SELECT inserts nothing otherwise.
			res, err := tx.ExecContext(ctx, `INSERT INTO proceedings_children (proceedings_id, child_id)
				SELECT $1, id FROM children WHERE id = $2 AND person_id = $3`, p.ID, c, p.PersonID)
			if err != nil {
				return 0, "", err
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return 0, "", haven.Invalid(map[string]string{"children": "Choose the children the proceedings were about"})
			}
		}
		return p.ID, "", db.appendAudit(ctx, tx, personEvent(ev, audit.Create, p.PersonID, contactSection))
	})
	return p, err
}

const arrangementColumns = `a.id, a.person_id, a.child_id, c.name, a.kind, a.frequency, a.arranged_by, a.basis, a.start_on, a.last_review_on,
	a.next_review_on, a.version, a.created_at`

func scanArrangement(rs interface{ Scan(...any) error }) (contact.Arrangement, error) {
	var a contact.Arrangement
	var kind, by, basis string
	err := rs.Scan(&a.ID, &a.PersonID, &a.ChildID, &a.ChildName, &kind, &a.Frequency, &by, &basis, &a.StartOn, &a.LastReviewOn, &a.NextReviewOn, &a.Version, &a.CreatedAt)
	a.Type, a.ArrangedBy, a.Basis = contact.Type(kind), contact.Arranger(by), contact.Basis(basis)
	return a, err
}

// Arrangements returns her contact arrangements as they were set up; apply
// her changes (contact.Arrangement.At) to see them as they are now.
func (db *DB) Arrangements(ctx context.Context, personID int64) ([]contact.Arrangement, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+arrangementColumns+` FROM contact_arrangements a JOIN children c ON c.id = a.child_id
		WHERE a.person_id = $1 ORDER BY c.birth_year, c.id, a.id`, personID)
	return collect(db, rows, err, func(rs *sql.Rows) (contact.Arrangement, error) { return scanArrangement(rs) })
}

// CreateArrangement records a contact arrangement with one of her children.
func (db *DB) CreateArrangement(ctx context.Context, ev audit.Event, a contact.Arrangement, by int64, today haven.Date) (contact.Arrangement, error) {
	if err := a.Validate(today); err != nil {
		return a, err
	}
	now := db.now()
	a.Version, a.CreatedAt = 1, now
	err := db.createTx(ctx, onPerson(ev.UserID, KindArrangement, a.PersonID), func(tx *sql.Tx) (int64, string, error) {
		err := tx.QueryRowContext(ctx, `INSERT INTO contact_arrangements (person_id, child_id, kind, frequency, arranged_by, basis, start_on,
				last_review_on, next_review_on, created_by, version, created_at, updated_at)
			SELECT $1, c.id, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $11 FROM children c WHERE c.id = $2 AND c.person_id = $1 RETURNING id`,
			a.PersonID, a.ChildID, string(a.Type), a.Frequency, string(a.ArrangedBy), string(a.Basis), a.StartOn,
			a.LastReviewOn, a.NextReviewOn, nullID(by), now).Scan(&a.ID)
		if err == sql.ErrNoRows {
			return 0, "", haven.Invalid(map[string]string{"child": "Choose the child"})
		}
		if err != nil {
			return 0, "", err
		}
		return a.ID, "", db.appendAudit(ctx, tx, personEvent(ev, audit.Create, a.PersonID, contactSection))
	})
	return a, err
}

// ReviewArrangement records a review of an arrangement: its last and next review dates.
func (db *DB) ReviewArrangement(ctx context.Context, ev audit.Event, a contact.Arrangement, version int64, today haven.Date) error {
	if a.LastReviewOn.IsZero() {
		return haven.Invalid(map[string]string{"lastReview": "Enter the date of the review"})
	}
	if err := a.Validate(today); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE contact_arrangements SET last_review_on = $1, next_review_on = $2, version = version + 1, updated_at = $3
			WHERE id = $4 AND person_id = $5 AND version = $6`, a.LastReviewOn, a.NextReviewOn, db.now(), a.ID, a.PersonID, version)
		if err != nil {
			return err
		}
		if err := checkHerVersioned(ctx, tx, res, "contact_arrangements", a.ID, a.PersonID); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, personEvent(ev, audit.Update, a.PersonID, contactSection))
	})
}

// arrangementFor loads one of her arrangements in a transaction.
func arrangementFor(ctx context.Context, q queryer, personID, id int64) (contact.Arrangement, error) {
	return scanArrangement(q.QueryRowContext(ctx, `SELECT `+arrangementColumns+` FROM contact_arrangements a JOIN children c ON c.id = a.child_id
		WHERE a.id = $1 AND a.person_id = $2`, id, personID))
}

// ContactChanges returns every change to her arrangements, by the date each
// took effect, with the explanations recorded after.
func (db *DB) ContactChanges(ctx context.Context, personID int64) ([]contact.Change, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT x.id, x.person_id, x.arrangement_id, c.name, x.aspect, x.from_value, x.to_value, x.effective_on, x.changed_by,
			x.reason_given, x.reason, x.told_how, x.told_on, x.told_by, x.her_view, COALESCE(x.recorded_by, 0), COALESCE(u.display_name, ''), x.recorded_at,
			COALESCE(w.reason, ''), COALESCE(wu.display_name, ''), w.withdrawn_at
		FROM contact_changes x JOIN contact_arrangements a ON a.id = x.arrangement_id JOIN children c ON c.id = a.child_id
		LEFT JOIN users u ON u.id = x.recorded_by
		LEFT JOIN contact_change_withdrawals w ON w.change_id = x.id LEFT JOIN users wu ON wu.id = w.withdrawn_by
		WHERE x.person_id = $1 ORDER BY x.effective_on, x.id`, personID)
	out, err := collect(db, rows, err, func(rs *sql.Rows) (contact.Change, error) {
		var c contact.Change
		var aspect, by, given string
		var withdrawnAt sql.Null[time.Time]
		err := rs.Scan(&c.ID, &c.PersonID, &c.ArrangementID, &c.ChildName, &aspect, &c.From, &c.To, &c.EffectiveOn, &by,
			&given, &c.Reason, &c.ToldHow, &c.ToldOn, &c.ToldBy, &c.HerView, &c.RecordedBy, &c.RecordedName, &c.RecordedAt,
			&c.Withdrawal.Reason, &c.Withdrawal.ByName, &withdrawnAt)
		c.Aspect, c.ChangedBy, c.ReasonGiven = contact.Aspect(aspect), contact.ChangedBy(by), contact.ReasonGiven(given)
		if withdrawnAt.Valid {
			c.Withdrawal.At = withdrawnAt.V.UTC()
		}
		return c, err
	})
	if err != nil || len(out) == 0 {
		return out, err
	}
	rows, err = db.read.QueryContext(ctx, `SELECT e.id, e.change_id, e.reason, e.told_how, e.told_on, e.told_by, e.her_view, COALESCE(u.display_name, ''), e.recorded_at
		FROM contact_explanations e JOIN contact_changes x ON x.id = e.change_id LEFT JOIN users u ON u.id = e.recorded_by
		WHERE x.person_id = $1 ORDER BY e.id`, personID)
	exps, err := collect(db, rows, err, func(rs *sql.Rows) (contact.Explanation, error) {
		var e contact.Explanation
		return e, rs.Scan(&e.ID, &e.ChangeID, &e.Reason, &e.ToldHow, &e.ToldOn, &e.ToldBy, &e.HerView, &e.RecordedName, &e.RecordedAt)
	})
	for _, e := range exps {
		for i := range out {
			if out[i].ID == e.ChangeID {
				out[i].Explanations = append(out[i].Explanations, e)
			}
		}
	}
	return out, err
}

// RecordChange records a change to one of her arrangements. version is the
// arrangement's version the practitioner saw: the change is refused as a
// conflict if someone else changed the arrangement since. The change is a
// new row; nothing already recorded is altered.
func (db *DB) RecordChange(ctx context.Context, ev audit.Event, c contact.Change, version int64, today haven.Date) (contact.Change, error) {
	on, err := db.datedFor(ctx, c.PersonID, c.ArrangementID)
	if err != nil {
		return c, err
	}
	verr := c.Validate(today, on)
	if on.Arrangement.ID == 0 {
		// Not one of hers: another woman's or none at all, answered alike, as
		// a contact session's or a letter's arrangement is (issue 16 item 5).
		fields := map[string]string{}
		if he, ok := errors.AsType[*haven.Error](verr); ok {
			maps.Copy(fields, he.Fields)
		}
		fields["arrangement"] = "Choose the contact arrangement"
		return c, haven.Invalid(fields)
	}
	if verr != nil {
		return c, verr
	}
	now := db.now()
	c.RecordedAt = now
	err = db.createTx(ctx, onPerson(ev.UserID, KindContactChange, c.PersonID), func(tx *sql.Tx) (int64, string, error) {
		res, err := tx.ExecContext(ctx, `UPDATE contact_arrangements SET version = version + 1, updated_at = $1 WHERE id = $2 AND person_id = $3 AND version = $4`,
			now, c.ArrangementID, c.PersonID, version)
		if err != nil {
			return 0, "", err
		}
		if err := checkHerVersioned(ctx, tx, res, "contact_arrangements", c.ArrangementID, c.PersonID); err != nil {
			return 0, "", err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO contact_changes (person_id, arrangement_id, aspect, from_value, to_value, effective_on, changed_by,
				reason_given, reason, told_how, told_on, told_by, her_view, recorded_by, recorded_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
			c.PersonID, c.ArrangementID, string(c.Aspect), c.From, c.To, c.EffectiveOn, string(c.ChangedBy),
			string(c.ReasonGiven), c.Reason, c.ToldHow, c.ToldOn, c.ToldBy, c.HerView, nullID(c.RecordedBy), now).Scan(&c.ID); err != nil {
			return 0, "", err
		}
		return c.ID, "", db.appendAudit(ctx, tx, personEvent(ev, audit.Create, c.PersonID, contactSection))
	})
	return c, err
}

// ExplainChange records that she has now been told why one of her changes
// was made. It clears the "find out why and tell her" task.
func (db *DB) ExplainChange(ctx context.Context, ev audit.Event, personID, changeID int64, e contact.Explanation, by int64, today haven.Date) (contact.Explanation, error) {
	var arrangementID int64
	var effective haven.Date
	err := db.read.QueryRowContext(ctx, `SELECT arrangement_id, effective_on FROM contact_changes WHERE id = $1 AND person_id = $2`, changeID, personID).
		Scan(&arrangementID, &effective)
	if err != nil {
		return e, db.dialect.translate(err)
	}
	on, err := db.datedFor(ctx, personID, arrangementID)
	if err != nil {
		return e, err
	}
	on.EffectiveOn = effective
	if err := e.Validate(today, on); err != nil {
		return e, err
	}
	now := db.now()
	e.ChangeID, e.RecordedAt = changeID, now
	err = db.createTx(ctx, onPerson(ev.UserID, KindExplanation, personID), func(tx *sql.Tx) (int64, string, error) {
		// A withdrawn change needs no explaining: it is not found here.
		err := tx.QueryRowContext(ctx, `INSERT INTO contact_explanations (change_id, reason, told_how, told_on, told_by, her_view, recorded_by, recorded_at)
			SELECT x.id, $3, $4, $5, $6, $7, $8, $9 FROM contact_changes x WHERE x.id = $1 AND x.person_id = $2
				AND NOT EXISTS (SELECT 1 FROM contact_change_withdrawals w WHERE w.change_id = x.id) RETURNING id`,
			changeID, personID, e.Reason, e.ToldHow, e.ToldOn, e.ToldBy, e.HerView, nullID(by), now).Scan(&e.ID)
		if err != nil {
			return 0, "", err
		}
		return e.ID, "", db.appendAudit(ctx, tx, personEvent(ev, audit.Create, personID, contactSection))
	})
	return e, err
}

// datedFor loads what a change's dates are checked against: the
// arrangement and its child. An arrangement not hers gives zero values, and
// the write that follows finds nothing to change.
func (db *DB) datedFor(ctx context.Context, personID, arrangementID int64) (contact.Dated, error) {
	var on contact.Dated
	a, err := arrangementFor(ctx, db.read, personID, arrangementID)
	if err == sql.ErrNoRows {
		return on, nil
	}
	if err != nil {
		return on, db.dialect.translate(err)
	}
	on.Arrangement = a
	err = db.read.QueryRowContext(ctx, `SELECT id, name, born_on, birth_year FROM children WHERE id = $1 AND person_id = $2`, a.ChildID, personID).
		Scan(&on.Child.ID, &on.Child.Name, &on.Child.BornOn, &on.Child.BirthYear)
	if err == sql.ErrNoRows {
		err = nil
	}
	return on, db.dialect.translate(err)
}

// WithdrawChange withdraws one of her changes recorded by mistake. The
// change is kept; the withdrawal is a row of its own, so it drops out of the
// arrangement as it stands, the letter, the reports and her tasks (the task
// to find out why and tell her ends with it). The arrangement's version
// moves on, as the arrangement as it stands has changed. A change already
// withdrawn is a conflict.
func (db *DB) WithdrawChange(ctx context.Context, ev audit.Event, personID, changeID int64, w contact.Withdrawal, by int64) error {
	if err := w.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var arrangementID int64
		var withdrawn bool
		err := tx.QueryRowContext(ctx, `SELECT x.arrangement_id, EXISTS (SELECT 1 FROM contact_change_withdrawals w WHERE w.change_id = x.id)
			FROM contact_changes x WHERE x.id = $1 AND x.person_id = $2`, changeID, personID).Scan(&arrangementID, &withdrawn)
		if err != nil {
			return err
		}
		if withdrawn {
			return haven.Errorf(haven.KindConflict, "This change has already been withdrawn.")
		}
		now := db.now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO contact_change_withdrawals (change_id, reason, withdrawn_by, withdrawn_at) VALUES ($1, $2, $3, $4)`,
			changeID, w.Reason, nullID(by), now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE contact_arrangements SET version = version + 1, updated_at = $1 WHERE id = $2 AND person_id = $3`,
			now, arrangementID, personID); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, personEvent(ev, audit.Update, personID, contactSection+":withdrawal"))
	})
}

const contactSessionColumns = `s.id, s.person_id, s.arrangement_id, c.name, s.planned_on, s.outcome, s.cancelled_by, s.her_words, s.practitioner_view,
	s.support_before, s.support_after, s.version, s.created_at`

// ContactSessions returns her contact sessions, newest first.
func (db *DB) ContactSessions(ctx context.Context, personID int64) ([]contact.ContactSession, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+contactSessionColumns+` FROM contact_sessions s
		JOIN contact_arrangements a ON a.id = s.arrangement_id JOIN children c ON c.id = a.child_id
		WHERE s.person_id = $1 ORDER BY s.planned_on DESC, s.id DESC`, personID)
	return collect(db, rows, err, func(rs *sql.Rows) (contact.ContactSession, error) {
		var s contact.ContactSession
		var outcome, by string
		err := rs.Scan(&s.ID, &s.PersonID, &s.ArrangementID, &s.ChildName, &s.PlannedOn, &outcome, &by, &s.HerWords, &s.PractitionerView,
			&s.SupportBefore, &s.SupportAfter, &s.Version, &s.CreatedAt)
		s.Outcome, s.CancelledBy = contact.SessionOutcome(outcome), contact.Canceller(by)
		return s, err
	})
}

// CreateContactSession records a planned (or past) contact session on one of her arrangements.
func (db *DB) CreateContactSession(ctx context.Context, ev audit.Event, s contact.ContactSession, by int64, today haven.Date) (contact.ContactSession, error) {
	if err := s.Validate(today); err != nil {
		return s, err
	}
	now := db.now()
	s.Version, s.CreatedAt = 1, now
	err := db.createTx(ctx, onPerson(ev.UserID, KindContactSession, s.PersonID), func(tx *sql.Tx) (int64, string, error) {
		err := tx.QueryRowContext(ctx, `INSERT INTO contact_sessions (person_id, arrangement_id, planned_on, outcome, cancelled_by, her_words, practitioner_view,
				support_before, support_after, created_by, version, created_at, updated_at)
			SELECT $1, a.id, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $11 FROM contact_arrangements a WHERE a.id = $2 AND a.person_id = $1 RETURNING id`,
			s.PersonID, s.ArrangementID, s.PlannedOn, string(s.Outcome), string(s.CancelledBy), s.HerWords, s.PractitionerView,
			s.SupportBefore, s.SupportAfter, nullID(by), now).Scan(&s.ID)
		if err == sql.ErrNoRows {
			return 0, "", haven.Invalid(map[string]string{"arrangement": "Choose the contact arrangement"})
		}
		if err != nil {
			return 0, "", err
		}
		return s.ID, "", db.appendAudit(ctx, tx, personEvent(ev, audit.Create, s.PersonID, contactSection))
	})
	return s, err
}

// UpdateContactSession records what happened at a session and how it went.
func (db *DB) UpdateContactSession(ctx context.Context, ev audit.Event, s contact.ContactSession, version int64, today haven.Date) error {
	if err := s.Validate(today); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE contact_sessions SET outcome = $1, cancelled_by = $2, her_words = $3, practitioner_view = $4,
				support_before = $5, support_after = $6, version = version + 1, updated_at = $7
			WHERE id = $8 AND person_id = $9 AND version = $10`,
			string(s.Outcome), string(s.CancelledBy), s.HerWords, s.PractitionerView, s.SupportBefore, s.SupportAfter, db.now(), s.ID, s.PersonID, version)
		if err != nil {
			return err
		}
		if err := checkHerVersioned(ctx, tx, res, "contact_sessions", s.ID, s.PersonID); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, personEvent(ev, audit.Update, s.PersonID, contactSection))
	})
}

const letterboxColumns = `x.id, x.person_id, x.arrangement_id, c.name, x.due_on, x.direction, x.sent_on, x.received_on, x.checked_by, x.status,
	x.status_reason, x.version, x.created_at`

func scanLetterbox(rs interface{ Scan(...any) error }) (contact.LetterboxExchange, error) {
	var x contact.LetterboxExchange
	var dir, status string
	err := rs.Scan(&x.ID, &x.PersonID, &x.ArrangementID, &x.ChildName, &x.DueOn, &dir, &x.SentOn, &x.ReceivedOn, &x.CheckedBy, &status,
		&x.StatusReason, &x.Version, &x.CreatedAt)
	x.Direction, x.Status = contact.Direction(dir), contact.LetterStatus(status)
	return x, err
}

// LetterboxExchanges returns her letterbox exchanges, the latest due first.
func (db *DB) LetterboxExchanges(ctx context.Context, personID int64) ([]contact.LetterboxExchange, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+letterboxColumns+` FROM letterbox_exchanges x
		JOIN contact_arrangements a ON a.id = x.arrangement_id JOIN children c ON c.id = a.child_id
		WHERE x.person_id = $1 ORDER BY x.due_on DESC, x.id DESC`, personID)
	return collect(db, rows, err, func(rs *sql.Rows) (contact.LetterboxExchange, error) { return scanLetterbox(rs) })
}

// CreateLetterboxExchange records a letter due through one of her letterbox
// arrangements. With no due date, it is due a year after the last one (or
// after the arrangement started).
func (db *DB) CreateLetterboxExchange(ctx context.Context, ev audit.Event, x contact.LetterboxExchange, by int64, today haven.Date) (contact.LetterboxExchange, error) {
	now := db.now()
	x.Version, x.CreatedAt = 1, now
	err := db.createTx(ctx, onPerson(ev.UserID, KindLetterbox, x.PersonID), func(tx *sql.Tx) (int64, string, error) {
		a, err := arrangementFor(ctx, tx, x.PersonID, x.ArrangementID)
		if err == sql.ErrNoRows {
			return 0, "", haven.Invalid(map[string]string{"arrangement": "Choose a letterbox arrangement"})
		}
		if err != nil {
			return 0, "", err
		}
		changes, err := changesForArrangement(ctx, tx, a.ID)
		if err != nil {
			return 0, "", err
		}
		if a.At(today, changes).Type != contact.Letterbox {
			return 0, "", haven.Invalid(map[string]string{"arrangement": "Choose a letterbox arrangement"})
		}
		if x.DueOn.IsZero() {
			rows, err := tx.QueryContext(ctx, `SELECT due_on FROM letterbox_exchanges WHERE arrangement_id = $1`, a.ID)
			dues, err := collect(db, rows, err, func(rs *sql.Rows) (contact.LetterboxExchange, error) {
				var e contact.LetterboxExchange
				e.ArrangementID = a.ID
				return e, rs.Scan(&e.DueOn)
			})
			if err != nil {
				return 0, "", err
			}
			x.DueOn = contact.NextLetterDue(a, dues)
		}
		if err := x.Validate(today); err != nil {
			return 0, "", err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO letterbox_exchanges (person_id, arrangement_id, due_on, direction, sent_on, received_on, checked_by,
				status, status_reason, created_by, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $11) RETURNING id`,
			x.PersonID, x.ArrangementID, x.DueOn, string(x.Direction), x.SentOn, x.ReceivedOn, x.CheckedBy, string(x.Status), x.StatusReason,
			nullID(by), now).Scan(&x.ID); err != nil {
			return 0, "", err
		}
		x.ChildName = a.ChildName
		return x.ID, "", db.appendAudit(ctx, tx, personEvent(ev, audit.Create, x.PersonID, contactSection))
	})
	return x, err
}

// UpdateLetterboxExchange records a letter sent, received, checked, returned or withheld.
func (db *DB) UpdateLetterboxExchange(ctx context.Context, ev audit.Event, x contact.LetterboxExchange, version int64, today haven.Date) error {
	if err := x.Validate(today); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE letterbox_exchanges SET sent_on = $1, received_on = $2, checked_by = $3, status = $4, status_reason = $5,
				version = version + 1, updated_at = $6 WHERE id = $7 AND person_id = $8 AND version = $9`,
			x.SentOn, x.ReceivedOn, x.CheckedBy, string(x.Status), x.StatusReason, db.now(), x.ID, x.PersonID, version)
		if err != nil {
			return err
		}
		if err := checkHerVersioned(ctx, tx, res, "letterbox_exchanges", x.ID, x.PersonID); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, personEvent(ev, audit.Update, x.PersonID, contactSection))
	})
}

func changesForArrangement(ctx context.Context, q queryer, id int64) ([]contact.Change, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, arrangement_id, aspect, to_value, effective_on FROM contact_changes x WHERE arrangement_id = $1
		AND NOT EXISTS (SELECT 1 FROM contact_change_withdrawals w WHERE w.change_id = x.id)`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []contact.Change
	for rows.Next() {
		var c contact.Change
		var aspect string
		if err := rows.Scan(&c.ID, &c.ArrangementID, &aspect, &c.To, &c.EffectiveOn); err != nil {
			return nil, err
		}
		c.Aspect = contact.Aspect(aspect)
		out = append(out, c)
	}
	return out, rows.Err()
}

// RecordLetter keeps a record on her file that a "What has changed and why"
// letter was produced, and audits it, before the letter is sent.
func (db *DB) RecordLetter(ctx context.Context, ev audit.Event, personID int64, from, to haven.Date, format string, by int64) error {
	action := audit.Print
	if format == "pdf" {
		action = audit.Export
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO contact_letters (person_id, from_on, to_on, format, made_by, made_at) VALUES ($1, $2, $3, $4, $5, $6)`,
			personID, from, to, format, nullID(by), db.now()); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, personEvent(ev, action, personID, contactSection+":letter"))
	})
}

// ContactReport counts the contact measures over the women in the given
// Practices for [from, to]. Only counts leave the store.
func (db *DB) ContactReport(ctx context.Context, practiceIDs []int64, from, to haven.Date) (contact.Report, error) {
	rs, err := db.ContactReports(ctx, []ReportGroup{{PracticeIDs: practiceIDs}}, from, to)
	if err != nil {
		return contact.Report{}, err
	}
	return rs[0], nil
}

// ReportGroup is a set of Practices counted together: one Practice, an
// organisation, or every Practice.
type ReportGroup struct {
	Name        string
	PracticeIDs []int64
}

// fewPractices is how many Practices are read one by one; more than this
// (an organisation or the nation) are read in one pass over each table.
const fewPractices = 8

// ContactReports counts the measures for each group, reading the records once.
func (db *DB) ContactReports(ctx context.Context, groups []ReportGroup, from, to haven.Date) ([]contact.Report, error) {
	wanted := map[int64]bool{}
	for _, g := range groups {
		for _, id := range g.PracticeIDs {
			wanted[id] = true
		}
	}
	type her struct {
		practice int64
		contact.Woman
	}
	women := map[int64]*her{}
	var order []int64
	woman := func(person, practice int64) *her {
		w, ok := women[person]
		if !ok {
			w = &her{practice: practice}
			women[person] = w
			order = append(order, person)
		}
		return w
	}
	read := func(where string, args ...any) error {
		// where is a constant from this function, never user input.
		rows, err := db.read.QueryContext(ctx, `SELECT p.practice_id, `+arrangementColumns+` FROM contact_arrangements a JOIN children c ON c.id = a.child_id
			JOIN people p ON p.id = a.person_id`+where, args...)
		type arr struct {
			practice int64
			contact.Arrangement
		}
		arrs, err := collect(db, rows, err, func(rs *sql.Rows) (arr, error) {
			var x arr
			var err error
			x.Arrangement, err = scanArrangement(prefixed{rs, &x.practice})
			return x, err
		})
		if err != nil {
			return err
		}
		for _, a := range arrs {
			if wanted[a.practice] {
				w := woman(a.PersonID, a.practice)
				w.Arrangements = append(w.Arrangements, a.Arrangement)
			}
		}
		// Withdrawn changes are read as withdrawn, and BuildReport leaves them out.
		rows, err = db.read.QueryContext(ctx, `SELECT p.practice_id, x.id, x.person_id, x.arrangement_id, x.aspect, x.to_value, x.effective_on, x.reason_given,
				w.withdrawn_at
			FROM contact_changes x JOIN people p ON p.id = x.person_id LEFT JOIN contact_change_withdrawals w ON w.change_id = x.id`+where, args...)
		type change struct {
			practice int64
			contact.Change
		}
		changes, err := collect(db, rows, err, func(rs *sql.Rows) (change, error) {
			var c change
			var aspect, given string
			var withdrawnAt sql.Null[time.Time]
			err := rs.Scan(&c.practice, &c.ID, &c.PersonID, &c.ArrangementID, &aspect, &c.To, &c.EffectiveOn, &given, &withdrawnAt)
			c.Aspect, c.ReasonGiven = contact.Aspect(aspect), contact.ReasonGiven(given)
			if withdrawnAt.Valid {
				c.Withdrawal.At = withdrawnAt.V
			}
			return c, err
		})
		if err != nil {
			return err
		}
		for _, c := range changes {
			if wanted[c.practice] {
				w := woman(c.PersonID, c.practice)
				w.Changes = append(w.Changes, c.Change)
			}
		}
		// Enrolments count where she is now; an exit is completing or ending early.
		rows, err = db.read.QueryContext(ctx, `SELECT p.practice_id, e.person_id, e.started_on, e.ended_on, e.phase FROM enrolments e
			JOIN people p ON p.id = e.person_id`+where, args...)
		type span struct {
			practice, person int64
			started, ended   haven.Date
			phase            string
		}
		spans, err := collect(db, rows, err, func(rs *sql.Rows) (span, error) {
			var s span
			return s, rs.Scan(&s.practice, &s.person, &s.started, &s.ended, &s.phase)
		})
		if err != nil {
			return err
		}
		for _, s := range spans {
			if !wanted[s.practice] || s.started.IsZero() {
				continue
			}
			w := woman(s.person, s.practice)
			w.Starts = append(w.Starts, s.started)
			if !s.ended.IsZero() && slices.Contains([]string{"completed", "ended-early", "follow-on", "closed"}, s.phase) {
				w.Exits = append(w.Exits, s.ended)
			}
		}
		return nil
	}
	if len(wanted) <= fewPractices {
		for id := range wanted {
			if err := read(` WHERE p.practice_id = $1`, id); err != nil {
				return nil, err
			}
		}
	} else if err := read(``); err != nil {
		return nil, err
	}
	slices.Sort(order) // the same order however the rows came
	out := make([]contact.Report, len(groups))
	for i, g := range groups {
		in := map[int64]bool{}
		for _, id := range g.PracticeIDs {
			in[id] = true
		}
		var list []contact.Woman
		for _, id := range order {
			if w := women[id]; in[w.practice] {
				list = append(list, w.Woman)
			}
		}
		out[i] = contact.BuildReport(list, from, to)
	}
	return out, nil
}

// prefixed scans a leading column into p before the columns a scan function expects.
type prefixed struct {
	rs *sql.Rows
	p  any
}

func (x prefixed) Scan(dest ...any) error { return x.rs.Scan(append([]any{x.p}, dest...)...) }

// contactTasks adds the contact reminders for the women in ids (taskPeople):
// changes she was not told the reason for, and letterbox letters due within
// four weeks or overdue.
func (db *DB) contactTasks(ctx context.Context, ids string, today haven.Date, add func(personID int64, t programme.Task, link string)) error {
	rows, err := db.read.QueryContext(ctx, `SELECT x.person_id, x.id, c.name, x.aspect, x.recorded_at
		FROM contact_changes x JOIN contact_arrangements a ON a.id = x.arrangement_id JOIN children c ON c.id = a.child_id
		WHERE `+db.dialect.inIDs("x.person_id", "$1")+` AND x.reason_given <> 'yes' AND NOT EXISTS (SELECT 1 FROM contact_explanations e WHERE e.change_id = x.id)
			AND NOT EXISTS (SELECT 1 FROM contact_change_withdrawals w WHERE w.change_id = x.id)`, ids)
	type change struct {
		personID int64
		c        contact.Change
	}
	changes, err := collect(db, rows, err, func(rs *sql.Rows) (change, error) {
		var r change
		var aspect string
		err := rs.Scan(&r.personID, &r.c.ID, &r.c.ChildName, &aspect, &r.c.RecordedAt)
		r.c.Aspect, r.c.ReasonGiven = contact.Aspect(aspect), contact.ReasonNotKnown
		return r, err
	})
	if err != nil {
		return err
	}
	for _, r := range changes {
		if rem, ok := contact.ExplainReminder(r.c); ok {
			add(r.personID, programme.Task{Kind: programme.TaskKind(rem.Kind), Due: rem.Due, Text: rem.Text}, "/contact#change-"+itoa(r.c.ID))
		}
	}
	rows, err = db.read.QueryContext(ctx, `SELECT `+letterboxColumns+`
		FROM letterbox_exchanges x JOIN contact_arrangements a ON a.id = x.arrangement_id JOIN children c ON c.id = a.child_id
		WHERE `+db.dialect.inIDs("x.person_id", "$1")+` AND x.status = '' AND (x.sent_on IS NULL OR x.received_on IS NULL)
			AND (x.direction = 'from-her' AND x.sent_on IS NULL OR x.direction <> 'from-her' AND x.received_on IS NULL) AND x.due_on <= $2`,
		ids, addDays(today, contact.LetterboxWarnDays))
	letters, err := collect(db, rows, err, func(rs *sql.Rows) (contact.LetterboxExchange, error) { return scanLetterbox(rs) })
	if err != nil {
		return err
	}
	for _, x := range letters {
		if rem, ok := contact.LetterboxReminder(x, today); ok {
			add(x.PersonID, programme.Task{Kind: programme.TaskKind(rem.Kind), Due: rem.Due, Text: rem.Text}, "/contact#letter-"+itoa(x.ID))
		}
	}
	return nil
}

func addDays(d haven.Date, n int) haven.Date {
	t := d.Time().AddDate(0, 0, n)
	return haven.NewDate(t.Year(), t.Month(), t.Day())
}

// UnexplainedChanges counts the changes to her contact she has not been told
// the reason for; withdrawn changes need no explaining.
func (db *DB) UnexplainedChanges(ctx context.Context, personID int64) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM contact_changes x WHERE x.person_id = $1 AND x.reason_given <> 'yes'
		AND NOT EXISTS (SELECT 1 FROM contact_explanations e WHERE e.change_id = x.id)
		AND NOT EXISTS (SELECT 1 FROM contact_change_withdrawals w WHERE w.change_id = x.id)`, personID).Scan(&n)
	return n, db.dialect.translate(err)
}
