package store

import (
	"context"
	"strconv"
	"strings"

	"haven/internal/access"
	"haven/internal/haven"
	"haven/internal/programme"
)

// taskPerson is a woman whose reminders the actor sees.
type taskPerson struct {
	ref, name string
	dob       haven.Date
}

// taskPeople finds, once, the open cases whose reminders the actor sees, as
// a JSON array of IDs for inIDs: each kind of reminder is then looked up
// by her ID through its own index, rather than each query working out the
// actor's scope again.
func (db *DB) taskPeople(ctx context.Context, actor *access.Actor) (map[int64]taskPerson, string, error) {
	// A practitioner's own women, or for a lead or co-ordinator, everyone in
	// their Practice: each half through its own index. Her memberships are an
	// uncorrelated list, worked out once, not once for each woman.
	rows, err := db.read.QueryContext(ctx, `SELECT p.id, p.ref, p.first_name, p.last_name, p.preferred_name, p.date_of_birth FROM people p
		WHERE p.practitioner_id = $1 AND p.practice_id IN (SELECT m.practice_id FROM memberships m WHERE m.user_id = $1 AND m.role = 'practitioner') AND `+db.dialect.openCase()+`
		UNION
		SELECT p.id, p.ref, p.first_name, p.last_name, p.preferred_name, p.date_of_birth FROM memberships m JOIN people p ON p.practice_id = m.practice_id
		WHERE m.user_id = $1 AND m.role IN ('practice-lead', 'practice-coordinator') AND `+db.dialect.openCase()+`
		ORDER BY 1`, actor.User.ID)
	if err != nil {
		return nil, "", db.dialect.translate(err)
	}
	defer rows.Close()
	people := map[int64]taskPerson{}
	ids := []byte("[")
	for rows.Next() {
		var id int64
		var p programme.Person
		if err := rows.Scan(&id, &p.Ref, &p.FirstName, &p.LastName, &p.PreferredName, &p.DateOfBirth); err != nil {
			return nil, "", err
		}
		people[id] = taskPerson{p.Ref, p.Name(), p.DateOfBirth}
		if len(ids) > 1 {
			ids = append(ids, ',')
		}
		ids = strconv.AppendInt(ids, id, 10)
	}
	return people, string(append(ids, ']')), db.dialect.translate(rows.Err())
}

// TasksFor works out what is due and overdue for the actor (SECURITY: the
// same record-level scope as the people list; no restricted content).
func (db *DB) TasksFor(ctx context.Context, actor *access.Actor, today haven.Date) ([]programme.Task, error) {
	people, ids, err := db.taskPeople(ctx, actor)
	if err != nil {
		return nil, err
	}
	var tasks []programme.Task
	add := func(personID int64, t programme.Task, link string) {
		t.PersonRef, t.PersonName, t.PersonDOB, t.Link = people[personID].ref, people[personID].name, people[personID].dob, "/people/"+people[personID].ref+link
		tasks = append(tasks, t)
	}

	rows, err := db.read.QueryContext(ctx, `SELECT e.person_id, e.phase, e.engaged_on, e.started_on, pr.engagement_weeks, pr.programme_months, pr.caseload_cap
		FROM enrolments e JOIN practices pr ON pr.id = e.practice_id
		WHERE `+db.dialect.inIDs("e.person_id", "$1")+` AND e.phase IN ('engaging', 'programme-started', 'active')`, ids)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	for rows.Next() {
		var id int64
		var phase string
		var e programme.Enrolment
		var s programme.Settings
		if err := rows.Scan(&id, &phase, &e.EngagedOn, &e.StartedOn, &s.EngagementWeeks, &s.ProgrammeMonths, &s.CaseloadCap); err != nil {
			rows.Close()
			return nil, err
		}
		e.Phase = programme.Phase(phase)
		if t, ok := programme.EnrolmentTask(e, s, today); ok {
			add(id, t, "#programme")
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, db.dialect.translate(err)
	}

	// Goals not yet achieved, with their latest review; restricted goals are left out.
	rows, err = db.read.QueryContext(ctx, `SELECT g.person_id, g.id, g.domain, g.progress, g.target_on, g.created_at, g.reviewed_on
		FROM goals g
		WHERE `+db.dialect.inIDs("g.person_id", "$1")+` AND g.progress IN ('not-started', 'in-progress') AND g.domain <> 'sexual-health'`, ids)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	for rows.Next() {
		var id int64
		var domain, progress string
		var g programme.Goal
		var reviewed haven.Date
		if err := rows.Scan(&id, &g.ID, &domain, &progress, &g.TargetOn, &g.CreatedAt, &reviewed); err != nil {
			rows.Close()
			return nil, err
		}
		g.Domain, g.Progress = programme.Domain(domain), programme.Progress(progress)
		if t, ok := programme.GoalTask(g, reviewed, today); ok {
			add(id, t, "/plan#goal-"+itoa(g.ID))
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, db.dialect.translate(err)
	}

	rows, err = db.read.QueryContext(ctx, `SELECT r.person_id, r.id, r.status, r.changed_on, a.name
		FROM referrals_out r JOIN agencies a ON a.id = r.agency_id
		WHERE `+db.dialect.inIDs("r.person_id", "$1")+` AND r.status IN ('sent', 'accepted', 'first-appointment')`, ids)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var status, agency string
		var ro programme.ReferralOut
		if err := rows.Scan(&id, &ro.ID, &status, &ro.ChangedOn, &agency); err != nil {
			return nil, err
		}
		ro.Status = programme.OutStatus(status)
		if ro.Stalled(today) {
			add(id, programme.Task{Kind: programme.TaskReferralStall, Text: "Chase the referral to " + agency + ": no news since " + ro.ChangedOn.Long(),
				Due: haven.NewDate(ro.ChangedOn.Time().Year(), ro.ChangedOn.Time().Month(), ro.ChangedOn.Time().Day()+14)}, "/referrals-out#referral-"+itoa(ro.ID))
		}
	}
	if err := rows.Err(); err != nil {
		return nil, db.dialect.translate(err)
	}
	// Contraception reviews are restricted: only for her allocated practitioner and the lead.
	crows, err := db.read.QueryContext(ctx, `SELECT p.id, c.method, c.review_on
		FROM contraception c JOIN people p ON p.id = c.person_id
		WHERE `+db.dialect.inIDs("c.person_id", "$1")+` AND c.review_on IS NOT NULL AND (
			(p.practitioner_id = $2 AND EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = $2 AND m.practice_id = p.practice_id AND m.role = 'practitioner'))
			OR EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = $2 AND m.practice_id = p.practice_id AND m.role = 'practice-lead'))`, ids, actor.User.ID)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	defer crows.Close()
	for crows.Next() {
		var id int64
		var method string
		var c programme.Contraception
		if err := crows.Scan(&id, &method, &c.ReviewOn); err != nil {
			return nil, err
		}
		c.Method = programme.Method(method)
		if t, ok := programme.ContraceptionTask(c, today); ok {
			add(id, t, "/reproductive-health")
		}
	}
	if err := crows.Err(); err != nil {
		return nil, db.dialect.translate(err)
	}
	// Referrals in that nobody has answered yet, for those who triage.
	queue, err := db.TriageQueue(ctx, actor)
	if err != nil {
		return nil, err
	}
	for _, r := range queue {
		if r.Status != programme.ReferralNew {
			continue
		}
		due := r.ReceivedAt.AddDate(0, 0, programme.AnswerReferralWithinDays)
		tasks = append(tasks, programme.Task{Kind: programme.TaskTriage, PersonRef: r.Ref,
			PersonName: programme.Person{FirstName: r.FirstName, LastName: r.LastName}.Name(),
			Due:        haven.NewDate(due.Year(), due.Month(), due.Day()),
			Text:       "Referral waiting for an answer (" + strings.ToLower(r.Source.Title()) + ")", Link: "/triage/" + r.Ref})
	}
	if err := db.contactTasks(ctx, ids, today, add); err != nil {
		return nil, err
	}
	if err := db.measureTasks(ctx, actor, ids, add); err != nil {
		return nil, err
	}
	if err := db.scheduleTasks(ctx, actor, ids, today, add); err != nil {
		return nil, err
	}
	programme.SortTasks(tasks)
	return tasks, nil
}

// ReferralCount is how many referrals came from one source and ended one way.
type ReferralCount struct {
	Source programme.ReferralSource
	Status programme.ReferralStatus
	Count  int
}

// ReferralCounts counts a Practice's referrals by source and outcome.
func (db *DB) ReferralCounts(ctx context.Context, practiceID int64) ([]ReferralCount, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT source, status, COUNT(*) FROM referrals WHERE practice_id = $1 GROUP BY source, status ORDER BY source, status`, practiceID)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	defer rows.Close()
	var out []ReferralCount
	for rows.Next() {
		var c ReferralCount
		var source, status string
		if err := rows.Scan(&source, &status, &c.Count); err != nil {
			return nil, err
		}
		c.Source, c.Status = programme.ReferralSource(source), programme.ReferralStatus(status)
		out = append(out, c)
	}
	return out, db.dialect.translate(rows.Err())
}

// PracticeOverview is what a lead or co-ordinator sees of their Practice.
type PracticeOverview struct {
	Practice  Tenant
	Settings  programme.Settings
	Caseloads []Caseload
	Phases    map[programme.Phase]int
	Nearing   []NearingEnd
	Referrals []ReferralCount
}

// Caseload is one practitioner's number of women in working phases.
type Caseload struct {
	UserID int64
	Name   string
	Women  int
}

// NearingEnd is an enrolment whose programme ends within the warning window.
type NearingEnd struct {
	Ref, Name string
	Born, Due haven.Date
}

// Identity tells her apart from another woman of the same name.
func (n NearingEnd) Identity() string { return programme.Identity(n.Born, n.Ref) }

// Overview gathers a Practice's caseloads, phases and enrolments nearing their end.
func (db *DB) Overview(ctx context.Context, t Tenant, today haven.Date) (PracticeOverview, error) {
	o := PracticeOverview{Practice: t, Phases: map[programme.Phase]int{}}
	var err error
	if o.Settings, err = db.PracticeSettings(ctx, t.ID); err != nil {
		return o, err
	}
	if o.Referrals, err = db.ReferralCounts(ctx, t.ID); err != nil {
		return o, err
	}
	// One join and a GROUP BY rather than a count per practitioner: on
	// PostgreSQL each correlated count was a trip through the planner's loop.
	rows, err := db.read.QueryContext(ctx, `SELECT u.id, u.display_name, COUNT(DISTINCT p.id)
		FROM memberships m JOIN users u ON u.id = m.user_id
		LEFT JOIN people p ON p.practitioner_id = u.id AND p.practice_id = $1
			AND EXISTS (SELECT 1 FROM enrolments e WHERE e.person_id = p.id AND e.phase IN ('engaging', 'programme-started', 'active'))
		WHERE m.practice_id = $1 AND m.role = 'practitioner' AND NOT u.disabled
		GROUP BY u.id, u.display_name ORDER BY u.display_name`, t.ID)
	if err != nil {
		return o, db.dialect.translate(err)
	}
	for rows.Next() {
		var c Caseload
		if err := rows.Scan(&c.UserID, &c.Name, &c.Women); err != nil {
			rows.Close()
			return o, err
		}
		o.Caseloads = append(o.Caseloads, c)
	}
	rows.Close()
	rows, err = db.read.QueryContext(ctx, `SELECT e.phase, COUNT(*) FROM enrolments e WHERE e.practice_id = $1 GROUP BY e.phase`, t.ID)
	if err != nil {
		return o, db.dialect.translate(err)
	}
	for rows.Next() {
		var phase string
		var n int
		if err := rows.Scan(&phase, &n); err != nil {
			rows.Close()
			return o, err
		}
		o.Phases[programme.Phase(phase)] = n
	}
	rows.Close()
	rows, err = db.read.QueryContext(ctx, `SELECT p.ref, p.first_name, p.last_name, p.preferred_name, p.date_of_birth, e.phase, e.started_on
		FROM enrolments e JOIN people p ON p.id = e.person_id WHERE e.practice_id = $1 AND e.phase IN ('programme-started', 'active')`, t.ID)
	if err != nil {
		return o, db.dialect.translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		var ref, first, last, preferred, phase string
		var born haven.Date
		var e programme.Enrolment
		if err := rows.Scan(&ref, &first, &last, &preferred, &born, &phase, &e.StartedOn); err != nil {
			return o, err
		}
		e.Phase = programme.Phase(phase)
		if c, ok := e.ClockAt(today, o.Settings); ok && c.Remaining <= programme.ProgrammeWarn {
			o.Nearing = append(o.Nearing, NearingEnd{Ref: ref, Name: programme.Person{FirstName: first, LastName: last, PreferredName: preferred}.Name(), Born: born, Due: c.Due})
		}
	}
	return o, db.dialect.translate(rows.Err())
}
