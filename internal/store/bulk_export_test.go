package store

import "context"

// PlannedRows is how many rows the query planner believes table holds, from
// its statistics (0 when it has none).
func (db *DB) PlannedRows(ctx context.Context, table string) (int64, error) {
	q := `SELECT COALESCE(MAX(CAST(substr(stat, 1, instr(stat || ' ', ' ') - 1) AS INTEGER)), 0) FROM sqlite_stat1 WHERE tbl = $1`
	if db.dialect.name() == "postgres" {
		q = `SELECT COALESCE(MAX(reltuples), 0)::bigint FROM pg_class WHERE relname = $1`
	}
	var n int64
	err := db.read.QueryRowContext(ctx, q, table).Scan(&n)
	return n, db.dialect.translate(err)
}
