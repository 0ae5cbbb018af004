package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/reunify"
)

// The framework's workflow (issue 18 item 2): decisions and risk
// classifications with their sign-off, moves between stages, the return
// home and alternative permanence. Every change is checked against the
// case's version, bumped in the same transaction, and audited on the child.

// Kinds an idempotency key can make on a case.
const (
	KindReunifyDecision = "reunify-decision"
	KindReunifySignOff  = "reunify-sign-off"
)

// errCaseChanged is a stale case version.
var errCaseChanged = haven.Errorf(haven.KindConflict, "Someone else changed this case while you were working on it. Check the case as it is now, then try again.")

const caseColumns = `id, child_id, route, stage, opened_on, closed_on, outcome, outcome_reason, COALESCE(worker_id, 0), version, created_at, updated_at`

func scanCase(row interface{ Scan(...any) error }) (reunify.Case, error) {
	var c reunify.Case
	var stage string
	err := row.Scan(&c.ID, &c.Child, &c.Route, &stage, &c.OpenedOn, &c.ClosedOn, &c.Outcome, &c.OutcomeReason, &c.Worker, &c.Version, &c.CreatedAt, &c.UpdatedAt)
	c.Stage = reunify.Stage(stage)
	return c, err
}

// CurrentReunification is the child's open case, or else the newest one;
// found is false if the child has never had one.
func (db *DB) CurrentReunification(ctx context.Context, childID int64) (c reunify.Case, found bool, err error) {
	c, err = scanCase(db.read.QueryRowContext(ctx, `SELECT `+caseColumns+` FROM reunify_cases WHERE child_id = $1
		ORDER BY CASE WHEN closed_on IS NULL THEN 0 ELSE 1 END, opened_on DESC, id DESC LIMIT 1`, childID))
	if errors.Is(err, sql.ErrNoRows) {
		return c, false, nil
	}
	return c, err == nil, db.dialect.translate(err)
}

const decisionColumns = `d.id, d.case_id, d.kind, d.stage, d.answer, d.level, d.level_label, d.decided_on, d.rationale, d.status,
	d.proposed_by, d.proposed_at, COALESCE(d.signed_by, 0), d.signed_at, d.decline_reason, d.version,
	COALESCE(pu.display_name, ''), COALESCE(su.display_name, '')`

const decisionFrom = ` FROM reunify_decisions d LEFT JOIN users pu ON pu.id = d.proposed_by LEFT JOIN users su ON su.id = d.signed_by`

func scanDecision(row interface{ Scan(...any) error }, extra ...any) (reunify.Decision, error) {
	var d reunify.Decision
	var kind, stage string
	var signedAt sql.NullTime
	err := row.Scan(append([]any{&d.ID, &d.Case, &kind, &stage, &d.Answer, &d.Level, &d.Label, &d.DecidedOn, &d.Rationale, &d.Status,
		&d.ProposedBy, &d.ProposedAt, &d.SignedBy, &signedAt, &d.Reason, &d.Version, &d.ProposerName, &d.SignerName}, extra...)...)
	d.Kind, d.Stage, d.SignedAt = reunify.DecisionKind(kind), reunify.Stage(stage), signedAt.Time
	return d, err
}

// ReunifyDecisions lists a case's decisions and classifications, oldest first.
func (db *DB) ReunifyDecisions(ctx context.Context, caseID int64) ([]reunify.Decision, error) {
	return decisionsOf(ctx, db.read, caseID)
}

func decisionsOf(ctx context.Context, q queryer, caseID int64) ([]reunify.Decision, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+decisionColumns+decisionFrom+` WHERE d.case_id = $1 ORDER BY d.proposed_at, d.id`, caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []reunify.Decision
	for rows.Next() {
		d, err := scanDecision(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// ReunifyStageEvents is a case's history of stages, oldest first.
func (db *DB) ReunifyStageEvents(ctx context.Context, caseID int64) ([]reunify.StageEvent, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, case_id, from_stage, to_stage, on_date, rec, reason, COALESCE(by_user, 0)
		FROM reunify_stage_events WHERE case_id = $1 ORDER BY at, id`, caseID)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	defer rows.Close()
	var out []reunify.StageEvent
	for rows.Next() {
		var e reunify.StageEvent
		var from, to string
		if err := rows.Scan(&e.ID, &e.Case, &from, &to, &e.On, &e.REC, &e.Reason, &e.By); err != nil {
			return nil, err
		}
		e.From, e.To = reunify.Stage(from), reunify.Stage(to)
		out = append(out, e)
	}
	return out, db.dialect.translate(rows.Err())
}

// caseWrite runs fn on case caseID as it stands at version: the version is
// bumped first (which also holds the row until the transaction ends), so a
// stale version changes nothing. fn sees the case and its decisions; the
// change is audited on the child in section.
func (db *DB) caseWrite(ctx context.Context, ev audit.Event, c claim, caseID, version int64, section string,
	fn func(tx *sql.Tx, cs reunify.Case, ds []reunify.Decision) (int64, error)) error {
	return db.createTx(ctx, c, func(tx *sql.Tx) (int64, string, error) {
		res, err := tx.ExecContext(ctx, `UPDATE reunify_cases SET version = version + 1, updated_at = $1 WHERE id = $2 AND version = $3`, db.now(), caseID, version)
		if err != nil {
			return 0, "", err
		}
		if n, err := res.RowsAffected(); err != nil {
			return 0, "", err
		} else if n == 0 {
			return 0, "", errCaseChanged
		}
		cs, err := scanCase(tx.QueryRowContext(ctx, `SELECT `+caseColumns+` FROM reunify_cases WHERE id = $1`, caseID))
		if err != nil {
			return 0, "", err
		}
		ds, err := decisionsOf(ctx, tx, caseID)
		if err != nil {
			return 0, "", err
		}
		id, err := fn(tx, cs, ds)
		if err != nil {
			return 0, "", err
		}
		return id, "", db.appendAudit(ctx, tx, laChildEvent(ev, audit.Update, cs.Child, section))
	})
}

// ProposeDecision records a worker's proposal of a decision or risk
// classification on the case, at its version, for a manager to sign off.
func (db *DB) ProposeDecision(ctx context.Context, ev audit.Event, caseID, version int64, d reunify.Decision, scale reunify.RiskScale, by int64, today haven.Date) (reunify.Decision, error) {
	err := db.caseWrite(ctx, ev, claim{user: ev.UserID, kind: KindReunifyDecision, target: "reunify-case:" + itoa(caseID)}, caseID, version, "reunification decisions",
		func(tx *sql.Tx, cs reunify.Case, ds []reunify.Decision) (int64, error) {
			var err error
			if d, err = reunify.Propose(cs, d, ds, scale, today); err != nil {
				return 0, err
			}
			d.Case, d.ProposedBy, d.ProposedAt, d.Version = caseID, by, db.now(), 1
			err = tx.QueryRowContext(ctx, `INSERT INTO reunify_decisions (case_id, kind, stage, answer, level, level_label, decided_on, rationale, status, proposed_by, proposed_at, version)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1) RETURNING id`,
				caseID, string(d.Kind), string(d.Stage), d.Answer, d.Level, d.Label, d.DecidedOn, d.Rationale, d.Status, by, d.ProposedAt).Scan(&d.ID)
			return d.ID, err
		})
	return d, err
}

// SignOffDecision signs off a proposal, or with decline sends it back to
// the worker with the reason. by must be a team manager (manager) who did
// not propose it: anything else is refused and nothing is written.
func (db *DB) SignOffDecision(ctx context.Context, ev audit.Event, caseID, version, decisionID, by int64, manager, decline bool, reason string) (reunify.Decision, error) {
	var d reunify.Decision
	err := db.caseWrite(ctx, ev, claim{user: ev.UserID, kind: KindReunifySignOff, target: "reunify-decision:" + itoa(decisionID)}, caseID, version, "reunification decisions",
		func(tx *sql.Tx, cs reunify.Case, ds []reunify.Decision) (int64, error) {
			found := false
			for _, x := range ds {
				if x.ID == decisionID {
					d, found = x, true
				}
			}
			if !found {
				return 0, haven.ErrNotFound
			}
			status := reunify.SignedOff
			if decline {
				var err error
				if reason, err = reunify.Decline(cs, d, by, manager, reason); err != nil {
					return 0, err
				}
				status = reunify.Declined
			} else if err := reunify.SignOff(cs, d, by, manager); err != nil {
				return 0, err
			}
			now := db.now()
			res, err := tx.ExecContext(ctx, `UPDATE reunify_decisions SET status = $1, signed_by = $2, signed_at = $3, decline_reason = $4, version = version + 1
				WHERE id = $5 AND case_id = $6 AND status = 'proposed'`, status, by, now, reason, decisionID, caseID)
			if err != nil {
				return 0, err
			}
			if n, err := res.RowsAffected(); err != nil || n != 1 {
				return 0, errors.Join(err, errCaseChanged)
			}
			d.Status, d.SignedBy, d.SignedAt, d.Reason, d.Version = status, by, now, reason, d.Version+1
			return d.ID, nil
		})
	return d, err
}

// event records a step in the case's history.
func (db *DB) stageEvent(ctx context.Context, tx *sql.Tx, e reunify.StageEvent) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO reunify_stage_events (case_id, from_stage, to_stage, on_date, rec, reason, by_user, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, e.Case, string(e.From), string(e.To), e.On, e.REC, e.Reason, nullID(e.By), db.now())
	return err
}

// MoveReunification moves the case on to the stage to, once every decision
// its stage makes is signed off. Moving to closed closes it today.
func (db *DB) MoveReunification(ctx context.Context, ev audit.Event, caseID, version int64, to reunify.Stage, by int64, today haven.Date) error {
	return db.caseWrite(ctx, ev, claim{user: ev.UserID}, caseID, version, "reunification",
		func(tx *sql.Tx, cs reunify.Case, ds []reunify.Decision) (int64, error) {
			if err := reunify.Move(cs, to, ds); err != nil {
				return 0, err
			}
			var closed any
			if to == reunify.StageClosed {
				closed = today
			}
			if _, err := tx.ExecContext(ctx, `UPDATE reunify_cases SET stage = $1, closed_on = $2 WHERE id = $3`, string(to), closed, caseID); err != nil {
				return 0, err
			}
			return caseID, db.stageEvent(ctx, tx, reunify.StageEvent{Case: caseID, From: cs.Stage, To: to, On: today, By: by})
		})
}

// RecordReturnHome records the child's return home: in the same
// transaction it ends the child's open episode on that date with REC E4A or
// E4B, and the case moves on to support after the return.
func (db *DB) RecordReturnHome(ctx context.Context, ev audit.Event, caseID, version int64, ret reunify.ReturnHome, by int64, today haven.Date) error {
	return db.caseWrite(ctx, ev, claim{user: ev.UserID}, caseID, version, "reunification",
		func(tx *sql.Tx, cs reunify.Case, ds []reunify.Decision) (int64, error) {
			var open reunify.Episode
			err := tx.QueryRowContext(ctx, `SELECT id, starts_on FROM la_episodes WHERE child_id = $1 AND ends_on IS NULL ORDER BY starts_on DESC, id DESC LIMIT 1`, cs.Child).
				Scan(&open.ID, &open.StartsOn)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return 0, err
			}
			if err := reunify.RecordReturn(cs, ret, open, err == nil, today); err != nil {
				return 0, err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE la_episodes SET ends_on = $1, rec = $2, version = version + 1 WHERE id = $3`, ret.On, ret.REC, open.ID); err != nil {
				return 0, err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE reunify_cases SET stage = $1, outcome = 'returned' WHERE id = $2`, string(reunify.StageSupport), caseID); err != nil {
				return 0, err
			}
			if err := db.appendAudit(ctx, tx, laChildEvent(ev, audit.Update, cs.Child, "episodes")); err != nil {
				return 0, err
			}
			return caseID, db.stageEvent(ctx, tx, reunify.StageEvent{Case: caseID, From: cs.Stage, To: reunify.StageSupport, On: ret.On, REC: ret.REC, By: by})
		})
}

// ChooseAlternative ends the case in alternative permanence, with the
// reason, after a signed-off decision not to return home.
func (db *DB) ChooseAlternative(ctx context.Context, ev audit.Event, caseID, version int64, reason string, on haven.Date, by int64, today haven.Date) error {
	return db.caseWrite(ctx, ev, claim{user: ev.UserID}, caseID, version, "reunification",
		func(tx *sql.Tx, cs reunify.Case, ds []reunify.Decision) (int64, error) {
			reason, err := reunify.Alternative(cs, ds, reason, on, today)
			if err != nil {
				return 0, err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE reunify_cases SET stage = $1, outcome = 'alternative-permanence', outcome_reason = $2, closed_on = $3 WHERE id = $4`,
				string(reunify.StageAlternative), reason, on, caseID); err != nil {
				return 0, err
			}
			return caseID, db.stageEvent(ctx, tx, reunify.StageEvent{Case: caseID, From: cs.Stage, To: reunify.StageAlternative, On: on, Reason: reason, By: by})
		})
}

// AwaitingSignOff is a proposal awaiting a manager, with its child.
type AwaitingSignOff struct {
	reunify.Decision
	ChildID   int64
	ChildRef  string
	FirstName string
}

// AwaitingSignOff lists the team's proposals awaiting sign-off that the
// manager by did not propose (another manager must sign those), oldest first.
func (db *DB) AwaitingSignOff(ctx context.Context, teamID, by int64) ([]AwaitingSignOff, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+decisionColumns+`, ch.id, ch.child_ref, ch.first_name`+decisionFrom+`
		JOIN reunify_cases c ON c.id = d.case_id JOIN la_children ch ON ch.id = c.child_id
		WHERE ch.la_team_id = $1 AND d.status = 'proposed' AND d.proposed_by <> $2 AND c.closed_on IS NULL
		ORDER BY d.proposed_at, d.id LIMIT 500`, teamID, by)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	defer rows.Close()
	var out []AwaitingSignOff
	for rows.Next() {
		var a AwaitingSignOff
		if a.Decision, err = scanDecision(rows, &a.ChildID, &a.ChildRef, &a.FirstName); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, db.dialect.translate(rows.Err())
}

// RiskScale is the team's scale of risk: its own, or the default.
func (db *DB) RiskScale(ctx context.Context, teamID int64) (reunify.RiskScale, error) {
	s := reunify.RiskScale{Team: teamID}
	var labels string
	err := db.read.QueryRowContext(ctx, `SELECT labels, version FROM la_risk_scales WHERE la_team_id = $1`, teamID).Scan(&labels, &s.Version)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		s.Labels = append([]string(nil), reunify.DefaultRiskScale...)
		return s, nil
	case err != nil:
		return s, db.dialect.translate(err)
	}
	s.Labels = strings.Split(labels, "\n")
	return s, nil
}

// SaveRiskScale changes the team's scale. s.Version is the version the
// change was made from (0 for the default); a stale one changes nothing.
// Classifications already made keep the label they were made with.
func (db *DB) SaveRiskScale(ctx context.Context, ev audit.Event, s reunify.RiskScale, by int64) (reunify.RiskScale, error) {
	for i := range s.Labels {
		s.Labels[i] = strings.TrimSpace(s.Labels[i])
	}
	if err := s.Validate(); err != nil {
		return s, err
	}
	now := db.now()
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var res sql.Result
		var err error
		if s.Version == 0 {
			res, err = tx.ExecContext(ctx, `INSERT INTO la_risk_scales (la_team_id, labels, version, updated_by, updated_at) VALUES ($1, $2, 1, $3, $4)
				ON CONFLICT (la_team_id) DO NOTHING`, s.Team, strings.Join(s.Labels, "\n"), nullID(by), now)
		} else {
			res, err = tx.ExecContext(ctx, `UPDATE la_risk_scales SET labels = $1, version = version + 1, updated_by = $2, updated_at = $3
				WHERE la_team_id = $4 AND version = $5`, strings.Join(s.Labels, "\n"), nullID(by), now, s.Team, s.Version)
		}
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return haven.Errorf(haven.KindConflict, "Someone else changed the risk scale while you were editing it. Check it as it is now, then save again.")
		}
		ev.Action, ev.RecordType, ev.RecordID, ev.Section = audit.Update, "la-team", itoa(s.Team), "risk scale"
		return db.appendAudit(ctx, tx, ev)
	})
	if err == nil {
		s.Version++
	}
	return s, err
}
