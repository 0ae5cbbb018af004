package store

import (
	"context"
	"database/sql"
	"strings"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/measure"
	"haven/internal/programme"
)

// Needs and schedules (issue 17 items 2 and 3). Her needs are health and
// safety data like her measures: callers must have checked
// programme.Access.Restricted, and the audit section is SectionMeasures.

// Needs returns every point at which her needs were recorded, in programme order.
func (db *DB) Needs(ctx context.Context, personID int64) ([]measure.Needs, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT n.id, n.point, n.assessed_on, n.stable_housing, n.paid_work, n.child_contact, n.version, n.at,
			COALESCE(u.display_name, ''), r.domain, r.status, r.change_since
		FROM need_points n JOIN need_readings r ON r.need_point_id = n.id LEFT JOIN users u ON u.id = n.recorded_by
		WHERE n.person_id = $1 ORDER BY n.id`, personID)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	defer rows.Close()
	byID := map[int64]*measure.Needs{}
	var order []int64
	for rows.Next() {
		var id int64
		var n measure.Needs
		var point, housing, work, contact, domain, status, change string
		if err := rows.Scan(&id, &point, &n.AssessedOn, &housing, &work, &contact, &n.Version, &n.At, &n.By, &domain, &status, &change); err != nil {
			return nil, err
		}
		cur, ok := byID[id]
		if !ok {
			n.Point, n.StableHousing, n.PaidWork, n.ChildContact = measure.Point(point), measure.Fact(housing), measure.Fact(work), measure.Fact(contact)
			cur = &n
			byID[id] = cur
			order = append(order, id)
		}
		for i, d := range measure.NeedDomains {
			if string(d) == domain {
				cur.Readings[i] = measure.NeedReading{Domain: d, Status: measure.NeedStatus(status), Change: measure.Change(change)}
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, db.dialect.translate(err)
	}
	out := make([]measure.Needs, 0, len(order))
	for _, p := range measure.Timepoints {
		for _, id := range order {
			if byID[id].Point == p {
				out = append(out, *byID[id])
			}
		}
	}
	return out, nil
}

// SaveNeeds records her needs at one point, or replaces what was recorded
// there. n.Version is the version the form was filled in from: 0 for a point
// not yet recorded. Someone else's save in between is a conflict. The
// readings are checked against her earlier points inside the transaction,
// so the change rule always sees what is stored.
func (db *DB) SaveNeeds(ctx context.Context, ev audit.Event, personID int64, n measure.Needs, by int64, today haven.Date) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		prev, err := earlierNeeds(ctx, tx, personID, n.Point)
		if err != nil {
			return err
		}
		if err := measure.CheckNeeds(n, prev, today); err != nil {
			return err
		}
		now := db.now()
		var id int64
		action := audit.Update
		if n.Version == 0 {
			action = audit.Create
			err = tx.QueryRowContext(ctx, `INSERT INTO need_points (person_id, point, assessed_on, stable_housing, paid_work, child_contact, version, recorded_by, at)
				VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8) ON CONFLICT (person_id, point) DO NOTHING RETURNING id`,
				personID, string(n.Point), n.AssessedOn, string(n.StableHousing), string(n.PaidWork), string(n.ChildContact), nullID(by), now).Scan(&id)
		} else {
			err = tx.QueryRowContext(ctx, `UPDATE need_points SET assessed_on = $1, stable_housing = $2, paid_work = $3, child_contact = $4,
					version = version + 1, recorded_by = $5, at = $6
				WHERE person_id = $7 AND point = $8 AND version = $9 RETURNING id`,
				n.AssessedOn, string(n.StableHousing), string(n.PaidWork), string(n.ChildContact), nullID(by), now, personID, string(n.Point), n.Version).Scan(&id)
		}
		if err == sql.ErrNoRows {
			// Recorded by someone else first, or changed since the form was opened.
			return haven.Errorf(haven.KindConflict, "Someone else recorded her needs at %s while you were filling this in. Check what they recorded, then make your changes again.", strings.ToLower(n.Point.Label()))
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM need_readings WHERE need_point_id = $1`, id); err != nil {
			return err
		}
		for _, r := range n.Readings {
			if _, err := tx.ExecContext(ctx, `INSERT INTO need_readings (need_point_id, domain, status, change_since) VALUES ($1, $2, $3, $4)`,
				id, string(r.Domain), string(r.Status), string(r.Change)); err != nil {
				return err
			}
		}
		return db.appendAudit(ctx, tx, personEvent(ev, action, personID, SectionMeasures))
	})
}

// earlierNeeds reads her latest reading of each domain before point p.
func earlierNeeds(ctx context.Context, tx *sql.Tx, personID int64, p measure.Point) (measure.PreviousNeeds, error) {
	rows, err := tx.QueryContext(ctx, `SELECT n.point, r.domain, r.status FROM need_points n JOIN need_readings r ON r.need_point_id = n.id WHERE n.person_id = $1`, personID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byPoint := map[measure.Point]*measure.Needs{}
	for rows.Next() {
		var point, domain, status string
		if err := rows.Scan(&point, &domain, &status); err != nil {
			return nil, err
		}
		n := byPoint[measure.Point(point)]
		if n == nil {
			n = &measure.Needs{Point: measure.Point(point)}
			byPoint[n.Point] = n
		}
		for i, d := range measure.NeedDomains {
			if string(d) == domain {
				n.Readings[i] = measure.NeedReading{Domain: d, Status: measure.NeedStatus(status)}
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	stored := make([]measure.Needs, 0, len(byPoint))
	for _, n := range byPoint {
		stored = append(stored, *n)
	}
	return measure.Earlier(stored, p), nil
}

// Schedule returns a Practice's schedule: its own if it has set one, the
// defaults otherwise.
func (db *DB) Schedule(ctx context.Context, practiceID int64) (measure.Schedule, error) {
	var version int64
	err := db.read.QueryRowContext(ctx, `SELECT version FROM practice_schedules WHERE practice_id = $1`, practiceID).Scan(&version)
	if err == sql.ErrNoRows {
		return measure.DefaultSchedule(), nil
	}
	if err != nil {
		return measure.Schedule{}, db.dialect.translate(err)
	}
	s := measure.Schedule{Own: true, Version: version, Slots: map[measure.Slot]bool{}}
	rows, err := db.read.QueryContext(ctx, `SELECT item, point FROM practice_schedule_slots WHERE practice_id = $1`, practiceID)
	if err != nil {
		return s, db.dialect.translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		var item, point string
		if err := rows.Scan(&item, &point); err != nil {
			return s, err
		}
		s.Slots[measure.Slot{Item: measure.ScheduleItem(item), Point: measure.Point(point)}] = true
	}
	return s, db.dialect.translate(rows.Err())
}

// SaveSchedule sets a Practice's own schedule. version is the one the lead
// started from (0 while the Practice follows the defaults). WEMWBS and
// SWEMWBS may be chosen only once their registration is recorded.
func (db *DB) SaveSchedule(ctx context.Context, ev audit.Event, practiceID int64, slots []measure.Slot, version, by int64) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		registered := map[measure.ID]bool{}
		rows, err := tx.QueryContext(ctx, `SELECT instrument FROM measure_registrations`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			registered[measure.ID(id)] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if err := measure.CheckSchedule(slots, func(id measure.ID) bool { return registered[id] }); err != nil {
			return err
		}
		now := db.now()
		var res sql.Result
		if version == 0 {
			res, err = tx.ExecContext(ctx, `INSERT INTO practice_schedules (practice_id, version, updated_by, updated_at) VALUES ($1, 1, $2, $3)
				ON CONFLICT (practice_id) DO NOTHING`, practiceID, nullID(by), now)
		} else {
			res, err = tx.ExecContext(ctx, `UPDATE practice_schedules SET version = version + 1, updated_by = $1, updated_at = $2
				WHERE practice_id = $3 AND version = $4`, nullID(by), now, practiceID, version)
		}
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return haven.Errorf(haven.KindConflict, "Someone else changed this Practice's schedule while you were editing it. Check it, then make your changes again.")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM practice_schedule_slots WHERE practice_id = $1`, practiceID); err != nil {
			return err
		}
		seen := map[measure.Slot]bool{}
		for _, sl := range slots {
			if seen[sl] {
				continue
			}
			seen[sl] = true
			if _, err := tx.ExecContext(ctx, `INSERT INTO practice_schedule_slots (practice_id, item, point) VALUES ($1, $2, $3)`,
				practiceID, string(sl.Item), string(sl.Point)); err != nil {
				return err
			}
		}
		ev.Action, ev.RecordType, ev.RecordID, ev.Section = audit.Update, "practice", itoa(practiceID), "measure-schedule"
		return db.appendAudit(ctx, tx, ev)
	})
}

// scheduleItems is every item a schedule may hold, as a constant VALUES
// table (column1), and defaultSlots the defaults as "item:point" strings:
// the tasks query reads a Practice's own schedule or the defaults in the
// same statement. Constants from the measure package, never input.
var scheduleItems, defaultSlots = func() (string, string) {
	var items, def []string
	for _, item := range measure.ScheduleItems() {
		items = append(items, "('"+string(item)+"')")
		for _, p := range measure.SchedulePoints {
			if measure.DefaultSchedule().Has(item, p) {
				def = append(def, "'"+measure.SlotValue(item, p)+"'")
			}
		}
	}
	return "(VALUES " + strings.Join(items, ", ") + ")", "(" + strings.Join(def, ", ") + ")"
}()

// scheduleTasks adds a task for each scheduled measure or needs reading
// that is current (measure.Span.Current: due or overdue, and not lapsed) and
// not yet recorded at that point in her current enrolment (a reading dated
// on or after her referral). Like the contraception reminders they are for
// her allocated practitioner and the lead only. One statement for every
// woman in ids: the programme start is compared with the last start for
// which each later point has opened ($3–$5), so each enrolment meets only
// its current point's slots before any reading is looked for.
func (db *DB) scheduleTasks(ctx context.Context, actor *access.Actor, ids string, today haven.Date, add func(personID int64, t programme.Task, link string)) error {
	// The inner query settles, once for each enrolment, whose she is and
	// her one current point: exit once she has left, else the last point
	// that has opened by today (baseline while she is engaging). Only then
	// is she met with the items.
	rows, err := db.read.QueryContext(ctx, `SELECT e.person_id, e.engaged_on, e.started_on, e.ended_on, v.column1, e.point
		FROM (SELECT e.person_id, e.practice_id, e.referred_on, e.engaged_on, e.started_on, e.ended_on,
				EXISTS (SELECT 1 FROM practice_schedules ps WHERE ps.practice_id = e.practice_id) AS own,
				CASE WHEN e.phase IN ('completed', 'ended-early', 'follow-on') THEN 'exit'
					WHEN e.started_on IS NULL OR e.started_on > $3 THEN 'baseline'
					WHEN e.started_on > $4 THEN '6-months'
					WHEN e.started_on > $5 THEN '12-months'
					ELSE '18-months' END AS point
			FROM enrolments e JOIN people p ON p.id = e.person_id
			WHERE `+db.dialect.inIDs("e.person_id", "$1")+` AND e.phase IN ('engaging', 'programme-started', 'active', 'completed', 'ended-early', 'follow-on')
				AND ((p.practitioner_id = $2 AND p.practice_id IN (SELECT m.practice_id FROM memberships m WHERE m.user_id = $2 AND m.role = 'practitioner'))
					OR p.practice_id IN (SELECT m.practice_id FROM memberships m WHERE m.user_id = $2 AND m.role = 'practice-lead'))
			) e CROSS JOIN `+scheduleItems+` v
		WHERE (CASE WHEN e.own THEN EXISTS (SELECT 1 FROM practice_schedule_slots s WHERE s.practice_id = e.practice_id AND s.item = v.column1 AND s.point = e.point)
				ELSE v.column1 || ':' || e.point IN `+defaultSlots+` END)
			AND (v.column1 NOT IN ('wemwbs', 'swemwbs') OR EXISTS (SELECT 1 FROM measure_registrations r WHERE r.instrument = v.column1))
			AND NOT EXISTS (SELECT 1 FROM measures m WHERE m.person_id = e.person_id AND m.instrument = v.column1 AND m.point = e.point AND m.taken_on >= e.referred_on)
			AND NOT EXISTS (SELECT 1 FROM need_points n WHERE v.column1 = 'needs' AND n.person_id = e.person_id AND n.point = e.point AND n.assessed_on >= e.referred_on)`,
		ids, actor.User.ID, measure.OpenedBy(6, today), measure.OpenedBy(12, today), measure.OpenedBy(18, today))
	if err != nil {
		return db.dialect.translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		var personID int64
		var sp measure.Span
		var item, point string
		if err := rows.Scan(&personID, &sp.Engaged, &sp.Started, &sp.Ended, &item, &point); err != nil {
			return err
		}
		p := measure.Point(point)
		due, ok := sp.Current(p, today)
		if !ok {
			continue
		}
		it := measure.ScheduleItem(item)
		if it == measure.NeedsItem {
			add(personID, programme.Task{Kind: programme.TaskMeasureDue, Due: due, Text: "Needs at " + strings.ToLower(p.Label()) + " are due: go through them with her"},
				"/measures/needs/"+point)
			continue
		}
		add(personID, programme.Task{Kind: programme.TaskMeasureDue, Due: due, Text: it.Label() + " at " + strings.ToLower(p.Label()) + " is due: complete it with her"},
			"/measures/new/"+item+"?point="+point)
	}
	return db.dialect.translate(rows.Err())
}
