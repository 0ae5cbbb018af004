package store

import "context"

// CountRows counts a table's rows, for tests that check a create made exactly one.
func (db *DB) CountRows(ctx context.Context, table string) (int, error) {
	var n int
	// table is always a constant in the tests, never input.
	err := db.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+table).Scan(&n)
	return n, db.dialect.translate(err)
}
