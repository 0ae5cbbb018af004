package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/measure"
)

// The names of the evaluation's settings (migration 0029).
const (
	SettingThreshold    = "suppression-threshold"
	settingChangePrefix = "meaningful-change:"
)

// SettingChange is the name of an instrument's meaningful-change setting.
func SettingChange(id measure.ID) string { return settingChangePrefix + string(id) }

// EvaluationSetting is one setting as stored: its value, the version a
// change must name, and who last set it.
type EvaluationSetting struct {
	Value   int
	Version int64
	By      string
	At      time.Time
}

// EvaluationSettings returns every evaluation setting recorded, by name.
// A setting never recorded is absent: its version is 0.
func (db *DB) EvaluationSettings(ctx context.Context) (map[string]EvaluationSetting, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT s.name, s.value, s.version, COALESCE(u.display_name, ''), s.updated_at
		FROM evaluation_settings s LEFT JOIN users u ON u.id = s.updated_by`)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	defer rows.Close()
	out := map[string]EvaluationSetting{}
	for rows.Next() {
		var name string
		var s EvaluationSetting
		if err := rows.Scan(&name, &s.Value, &s.Version, &s.By, &s.At); err != nil {
			return nil, err
		}
		out[name] = s
	}
	return out, db.dialect.translate(rows.Err())
}

// ChangeSettings is the meaningful change set for each instrument, in
// hundredths of a point, from the settings.
func ChangeSettings(all map[string]EvaluationSetting) map[measure.ID]measure.Hundredths {
	out := map[measure.ID]measure.Hundredths{}
	for name, s := range all {
		if id, ok := strings.CutPrefix(name, settingChangePrefix); ok {
			out[measure.ID(id)] = measure.Hundredths(s.Value)
		}
	}
	return out
}

// SaveEvaluationSetting sets a setting, naming the version it replaces (0
// when it was never set); another version is a conflict and nothing is
// written. The caller has checked the value.
func (db *DB) SaveEvaluationSetting(ctx context.Context, ev audit.Event, name string, value int, version int64, by int64) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		now := db.now()
		var res sql.Result
		var err error
		if version == 0 {
			res, err = tx.ExecContext(ctx, `INSERT INTO evaluation_settings (name, value, version, updated_by, updated_at) VALUES ($1, $2, 1, $3, $4)
				ON CONFLICT (name) DO NOTHING`, name, value, by, now)
		} else {
			res, err = tx.ExecContext(ctx, `UPDATE evaluation_settings SET value = $1, version = version + 1, updated_by = $2, updated_at = $3
				WHERE name = $4 AND version = $5`, value, by, now, name, version)
		}
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n != 1 {
			return haven.ErrConflict
		}
		ev.Action, ev.RecordType, ev.RecordID = audit.Update, "evaluation-setting", name
		return db.appendAudit(ctx, tx, ev)
	})
}

// ClearEvaluationSetting goes back to the default (for a meaningful change,
// the published value), naming the version it removes.
func (db *DB) ClearEvaluationSetting(ctx context.Context, ev audit.Event, name string, version int64) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM evaluation_settings WHERE name = $1 AND version = $2`, name, version)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n != 1 {
			return haven.ErrConflict
		}
		ev.Action, ev.RecordType, ev.RecordID = audit.Delete, "evaluation-setting", name
		return db.appendAudit(ctx, tx, ev)
	})
}
