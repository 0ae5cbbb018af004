package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
)

// Bulk loading is for imports and the national demo data set: many rows, with
// explicit IDs, in few transactions. It writes no audit row per row; the
// caller records one event for the whole load (see Audit).
//
// Table and column names are spliced into SQL, so they come only from this
// allow-list, never from input.
var bulkTables = map[string][]string{
	"organisations":              {"id", "slug", "name", "version", "created_at", "updated_at"},
	"practices":                  {"id", "organisation_id", "slug", "name", "version", "created_at", "updated_at", "engagement_weeks", "programme_months", "caseload_cap"},
	"practice_local_authorities": {"practice_id", "la_code"},
	"users": {"id", "email", "display_name", "version", "created_at", "updated_at",
		"password_hash", "totp_secret", "totp_last_step", "mfa_enrolled", "disabled", "failed_logins", "locked_until"},
	"memberships": {"id", "user_id", "role", "organisation_id", "practice_id", "la_team_id", "created_at"},
	"people": {"id", "ref", "practice_id", "practitioner_id", "first_name", "last_name", "preferred_name", "pronouns",
		"date_of_birth", "la_code", "care_experienced", "address_confidential", "communication_needs",
		"safe_channels", "safe_times", "no_voicemail", "via_professional",
		"phone", "phone_safe", "other_phone", "other_phone_safe", "email", "email_safe", "address", "address_safe", "version", "created_at", "updated_at"},
	"enrolments":   {"id", "person_id", "practice_id", "phase", "referred_on", "engaged_on", "started_on", "ended_on", "end_reason", "exit_category", "version", "created_at", "updated_at"},
	"phase_events": {"id", "enrolment_id", "from_phase", "to_phase", "on_date", "reason", "by_user", "at"},
	"referrals": {"id", "ref", "practice_id", "source", "status", "received_at", "first_name", "last_name", "date_of_birth",
		"phone", "email", "la_code", "postcode_district", "safe_channels", "no_voicemail", "safe_times", "via_professional",
		"via_name", "via_contact", "children_removed", "care_experienced", "children_in_care", "consent",
		"referrer_name", "referrer_organisation", "referrer_role", "referrer_contact", "proceedings", "situation", "risks",
		"entered_by", "outcome_reason", "referred_on_to", "outcome_by", "outcome_at", "person_id", "version", "created_at", "updated_at",
		"communication_needs"},
	"support_sessions": {"id", "person_id", "on_date", "kind", "minutes", "initiated_by", "note", "practical_help",
		"fund_pence", "fund_category", "agencies", "version", "created_by", "created_at"},
	"goals":         {"id", "person_id", "domain", "words", "steps", "target_on", "progress", "created_by", "version", "created_at", "updated_at"},
	"goal_reviews":  {"id", "goal_id", "on_date", "note", "progress", "by_user", "at"},
	"agencies":      {"id", "practice_id", "name", "kind", "contact", "agreement", "version", "created_at", "updated_at"},
	"referrals_out": {"id", "person_id", "agency_id", "status", "reason", "outcome", "sent_on", "changed_on", "version", "created_at", "updated_at"},
	"contraception": {"person_id", "method", "started_on", "review_on", "service", "version", "updated_by", "updated_at"},
	// Children and contact (migration 0014).
	"children": {"id", "person_id", "name", "born_on", "birth_year", "removed_on", "la_code", "legal_status", "placement",
		"created_by", "version", "created_at", "updated_at"},
	"child_placements": {"id", "child_id", "placement", "from_on", "by_user", "at"},
	"proceedings": {"id", "person_id", "issued_on", "court", "la_code", "final_hearing_on", "outcome", "is_index",
		"created_by", "version", "created_at", "updated_at"},
	"proceedings_children": {"proceedings_id", "child_id"},
	"contact_arrangements": {"id", "person_id", "child_id", "kind", "frequency", "arranged_by", "basis", "start_on",
		"last_review_on", "next_review_on", "created_by", "version", "created_at", "updated_at"},
	"contact_changes": {"id", "person_id", "arrangement_id", "aspect", "from_value", "to_value", "effective_on", "changed_by",
		"reason_given", "reason", "told_how", "told_on", "told_by", "her_view", "recorded_by", "recorded_at"},
	"contact_explanations": {"id", "change_id", "reason", "told_how", "told_on", "told_by", "her_view", "recorded_by", "recorded_at"},
	"contact_sessions": {"id", "person_id", "arrangement_id", "planned_on", "outcome", "cancelled_by", "her_words", "practitioner_view",
		"support_before", "support_after", "created_by", "version", "created_at", "updated_at"},
	"letterbox_exchanges": {"id", "person_id", "arrangement_id", "due_on", "direction", "sent_on", "received_on", "checked_by",
		"status", "status_reason", "created_by", "version", "created_at", "updated_at"},
	// Pregnancies and outcome measures (migrations 0010 and 0026), for the national data set.
	"pregnancies": {"id", "person_id", "known_on", "outcome", "recorded_by", "at"},
	"measures": {"id", "person_id", "instrument", "point", "taken_on", "answers", "valid", "total", "metric", "band", "flags",
		"recorded_by", "at", "response_note", "response_by", "response_at"},
	// Need domains and facts (migration 0027).
	"need_points":   {"id", "person_id", "point", "assessed_on", "stable_housing", "paid_work", "child_contact", "version", "recorded_by", "at"},
	"need_readings": {"need_point_id", "domain", "status", "change_since"},
	// A local authority's looked-after children, episodes and cases (migrations 0030 and 0034), for the LA dashboard's benchmark.
	"la_children": {"id", "la_team_id", "child_ref", "first_name", "born_on", "worker_id", "version", "created_by", "created_at", "updated_at"},
	"la_episodes": {"id", "child_id", "starts_on", "rne", "legal_status", "placement", "provider", "ends_on", "rec", "place_change",
		"cin", "urn", "version", "created_by", "at"},
	"reunify_cases": {"id", "child_id", "route", "stage", "opened_on", "closed_on", "outcome", "outcome_reason", "worker_id", "version", "created_at", "updated_at"},
}

// BulkTables lists the tables BulkInsert accepts, in name order.
func BulkTables() []string {
	out := make([]string, 0, len(bulkTables))
	for t := range bulkTables {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}

// RowSource gives BulkInsert one row at a time: the values in the order of
// the columns, and false when there are no more. BulkInsert copies the values,
// so the source may reuse its slice.
type RowSource func() (row []any, ok bool, err error)

// bulkInserter is the dialect's fast path: SQLite batches multi-row INSERTs
// through the write connection; PostgreSQL uses COPY.
type bulkInserter interface {
	bulkInsert(ctx context.Context, write *sql.DB, table string, columns []string, next RowSource) (int64, error)
}

// BulkInsert adds every row from next to table and returns how many it added.
// Rows give their own IDs, so a loader can know them without asking the
// database; afterwards new rows get IDs after the largest. On SQLite the
// rows commit in batches of a few thousand, so an error can leave earlier
// batches behind: bulk loads go into an empty database, which is thrown away
// when a load fails. Values are what the other store functions write:
// time.Time in UTC, haven.Date, bool, int64, string and nil.
func (db *DB) BulkInsert(ctx context.Context, table string, columns []string, next RowSource) (int64, error) {
	if err := checkBulk(table, columns); err != nil {
		return 0, err
	}
	bi, ok := db.dialect.(bulkInserter)
	if !ok {
		return 0, fmt.Errorf("store: %s cannot bulk insert", db.dialect.name())
	}
	n, err := bi.bulkInsert(ctx, db.write, table, columns, next)
	if err != nil {
		return n, fmt.Errorf("bulk insert into %s: %w", table, db.dialect.translate(err))
	}
	return n, nil
}

func checkBulk(table string, columns []string) error {
	allowed, ok := bulkTables[table]
	if !ok {
		return fmt.Errorf("store: bulk insert into %q is not allowed", table)
	}
	if len(columns) == 0 {
		return fmt.Errorf("store: bulk insert into %s names no columns", table)
	}
	seen := map[string]bool{}
	for _, c := range columns {
		if !slices.Contains(allowed, c) {
			return fmt.Errorf("store: bulk insert into %s: column %q is not allowed", table, c)
		}
		if seen[c] {
			return fmt.Errorf("store: bulk insert into %s: column %q named twice", table, c)
		}
		seen[c] = true
	}
	return nil
}

// BulkRows is how many rows a table holds, for reports after a bulk load.
func (db *DB) BulkRows(ctx context.Context, table string) (int64, error) {
	if _, ok := bulkTables[table]; !ok && table != "audit_events" {
		return 0, fmt.Errorf("store: counting %q is not allowed", table)
	}
	var n int64
	// table is from the allow-list above.
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table).Scan(&n)
	return n, db.dialect.translate(err)
}

func errRowWidth(table string, got, want int) error {
	return fmt.Errorf("store: bulk insert into %s: a row has %d values for %d columns", table, got, want)
}
