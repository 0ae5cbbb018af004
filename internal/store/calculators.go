package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"haven/internal/audit"
	"haven/internal/haven"
)

// Calculator scenarios (issue 19 item 4): a local authority team's named
// inputs to one of the public calculators, kept as the calculator's own
// encoded query. The caller re-parses and re-encodes the query through the
// calculator before saving; the store keeps what it is given and makes sure
// each team sees and deletes only its own.

// KindCalculatorScenario is the idempotency kind of a saved scenario.
const KindCalculatorScenario = "calculator-scenario"

// CalculatorScenario is one saved scenario.
type CalculatorScenario struct {
	ID         int64
	Team       int64
	Calculator string // "return-home" or "infant-care"
	Name       string
	Query      string // the encoded inputs, without the "?"
	SavedBy    int64
	SavedName  string // who saved it, "" if the account is gone
	SavedAt    time.Time
}

// ScenarioNameKey is a name as scenarios are told apart: trimmed, inner
// spaces collapsed, lower case. "Base case" and " base  case" are one name.
func ScenarioNameKey(name string) string {
	return strings.ToLower(strings.Join(strings.Fields(name), " "))
}

// calculatorEvent is ev about a team's scenarios: the record is the scenario,
// or the team's list ("team:N") for a view of it.
func calculatorEvent(ev audit.Event, action audit.Action, recordID, section string) audit.Event {
	ev.Action, ev.RecordType, ev.RecordID, ev.Section = action, "calculator-scenario", recordID, section
	return ev
}

// SaveCalculatorScenario stores a scenario for the team, with its audit row
// in the same transaction. A name the team already uses for that
// calculator is refused with a message for the name field.
func (db *DB) SaveCalculatorScenario(ctx context.Context, ev audit.Event, sc CalculatorScenario) (CalculatorScenario, error) {
	sc.Name = strings.Join(strings.Fields(sc.Name), " ")
	if sc.Name == "" || sc.Team == 0 || sc.Query == "" || (sc.Calculator != "return-home" && sc.Calculator != "infant-care") {
		return sc, haven.Errorf(haven.KindInvalid, "A scenario needs a team, a calculator, a name and its inputs.")
	}
	sc.SavedBy, sc.SavedAt = ev.UserID, db.now()
	target := "la-team:" + itoa(sc.Team) + ":" + sc.Calculator
	err := db.createTx(ctx, claim{user: ev.UserID, kind: KindCalculatorScenario, target: target}, func(tx *sql.Tx) (int64, string, error) {
		if err := tx.QueryRowContext(ctx, `INSERT INTO calculator_scenarios (la_team_id, calculator, name, name_key, query, saved_by, saved_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			sc.Team, sc.Calculator, sc.Name, ScenarioNameKey(sc.Name), sc.Query, nullID(sc.SavedBy), sc.SavedAt).Scan(&sc.ID); err != nil {
			return 0, "", err
		}
		return sc.ID, "", db.appendAudit(ctx, tx, calculatorEvent(ev, audit.Create, itoa(sc.ID), sc.Calculator))
	})
	if uniqueClash(err) {
		return sc, haven.Invalid(map[string]string{"name": "Your team already has a scenario called ‘" + sc.Name + "’ for this calculator: choose another name, or delete that one first"})
	}
	return sc, err
}

// CalculatorScenario is one of the team's scenarios; another team's, or one
// that does not exist, is not found.
func (db *DB) CalculatorScenario(ctx context.Context, team, id int64) (CalculatorScenario, error) {
	row := db.read.QueryRowContext(ctx, `SELECT `+scenarioColumns+` FROM calculator_scenarios s LEFT JOIN users u ON u.id = s.saved_by
		WHERE s.la_team_id = $1 AND s.id = $2`, team, id)
	sc, err := scanScenario(row)
	return sc, db.dialect.translate(err)
}

// CalculatorScenarios are the team's scenarios, newest first: those of one
// calculator, or of both if calculator is "".
func (db *DB) CalculatorScenarios(ctx context.Context, team int64, calculator string) ([]CalculatorScenario, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+scenarioColumns+` FROM calculator_scenarios s LEFT JOIN users u ON u.id = s.saved_by
		WHERE s.la_team_id = $1 AND ($2 = '' OR s.calculator = $2)
		ORDER BY s.saved_at DESC, s.id DESC`, team, calculator)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	defer rows.Close()
	var out []CalculatorScenario
	for rows.Next() {
		sc, err := scanScenario(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, sc)
	}
	return out, db.dialect.translate(rows.Err())
}

// AuditCalculatorScenarios records that the actor saw the team's list of
// scenarios (section "list") or the scenarios of one calculator beside it.
func (db *DB) AuditCalculatorScenarios(ctx context.Context, ev audit.Event, team int64, section string) error {
	return db.Audit(ctx, calculatorEvent(ev, audit.View, "team:"+itoa(team), section))
}

// DeleteCalculatorScenario deletes one of the team's scenarios, with its
// audit row; another team's is not found, and nothing is written.
func (db *DB) DeleteCalculatorScenario(ctx context.Context, ev audit.Event, team, id int64) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM calculator_scenarios WHERE id = $1 AND la_team_id = $2`, id, team)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return haven.ErrNotFound
		}
		return db.appendAudit(ctx, tx, calculatorEvent(ev, audit.Delete, itoa(id), ""))
	})
}

const scenarioColumns = `s.id, s.la_team_id, s.calculator, s.name, s.query, COALESCE(s.saved_by, 0), COALESCE(u.display_name, ''), s.saved_at`

func scanScenario(row interface{ Scan(...any) error }) (CalculatorScenario, error) {
	var sc CalculatorScenario
	err := row.Scan(&sc.ID, &sc.Team, &sc.Calculator, &sc.Name, &sc.Query, &sc.SavedBy, &sc.SavedName, &sc.SavedAt)
	return sc, err
}
