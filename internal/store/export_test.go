package store

import (
	"context"
	"database/sql"

	"haven/internal/haven"
)

// Exec runs raw SQL, for tests that play the part of someone with direct
// database access.
func (db *DB) Exec(ctx context.Context, query string, args ...any) error {
	_, err := db.write.ExecContext(ctx, query, args...)
	return db.dialect.translate(err)
}

// AuditCount counts the audit rows for one record ID.
func (db *DB) AuditCount(ctx context.Context, recordID string) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_events WHERE record_id = $1`, recordID).Scan(&n)
	return n, db.dialect.translate(err)
}

// MigrateTo applies migrations up to and including version, to test upgrades.
func (db *DB) MigrateTo(ctx context.Context, version string) ([]string, error) {
	return db.migrate(ctx, version)
}

// LockForRestore takes the lock a restore holds on the database at path.
func LockForRestore(path string) (release func(), err error) {
	f, err := lockDatabase(path, true)
	if err != nil {
		return nil, err
	}
	return func() { f.Close() }, nil
}

// GoalReviewedOn reads goals.reviewed_on, which only the database writes,
// for the goal with these words.
func (db *DB) GoalReviewedOn(ctx context.Context, words string) (haven.Date, error) {
	var d haven.Date
	err := db.read.QueryRowContext(ctx, `SELECT reviewed_on FROM goals WHERE words = $1`, words).Scan(&d)
	return d, db.dialect.translate(err)
}

// LogEveryCheckpoint makes the background checkpointer log each checkpoint as
// slow, so a test can see that it logs at all.
func (db *DB) LogEveryCheckpoint() { db.logCheckpointsOver.Store(0) }

// PersonContactRow reads what migration 0023 repairs of one person, by name.
func (db *DB) PersonContactRow(ctx context.Context, first string) (care, phone, phoneSafe, email, emailSafe, channels, times string, noVoicemail bool, err error) {
	err = db.read.QueryRowContext(ctx, `SELECT care_experienced, phone, phone_safe, email, email_safe, safe_channels, safe_times, no_voicemail
		FROM people WHERE first_name = $1`, first).Scan(&care, &phone, &phoneSafe, &email, &emailSafe, &channels, &times, &noVoicemail)
	return care, phone, phoneSafe, email, emailSafe, channels, times, noVoicemail, db.dialect.translate(err)
}

// Read is the pool reads go through, for benchmarks' hand-written SQL.
func (db *DB) Read() *sql.DB { return db.read.DB }

// OutcomeJourneysSQL is OutcomeJourneys's statement, for its query plan.
func OutcomeJourneysSQL(db *DB) string { return db.outcomeJourneysSQL() }
