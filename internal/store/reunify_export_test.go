package store

import "database/sql"

// Write is the write pool, for a benchmark that must undo what it timed.
func (db *DB) Write() *sql.DB { return db.write }
