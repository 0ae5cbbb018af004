package store

import "context"

// Exec runs raw SQL, for tests that play the part of someone with direct
// database access.
func (db *DB) Exec(ctx context.Context, query string, args ...any) error {
	_, err := db.write.ExecContext(ctx, query, args...)
	return db.dialect.translate(err)
}
