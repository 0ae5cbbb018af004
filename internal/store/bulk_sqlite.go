package store

import (
	"context"
	"database/sql"
	"strings"
)

// On SQLite a bulk load is multi-row INSERTs, prepared once per transaction,
// through the single write connection.
const (
	sqliteBulkTxRows   = 20000 // rows per transaction: few fsyncs, bounded WAL
	sqliteBulkStmtRows = 64    // rows per INSERT statement
)

func (sqliteDialect) bulkInsert(ctx context.Context, write *sql.DB, table string, columns []string, next RowSource) (int64, error) {
	per := max(1, min(sqliteBulkStmtRows, 30000/len(columns))) // SQLite allows 32766 parameters
	args := make([]any, 0, per*len(columns))
	var total int64
	for {
		tx, err := write.BeginTx(ctx, nil)
		if err != nil {
			return total, err
		}
		full, err := tx.PrepareContext(ctx, insertSQL(table, columns, per))
		if err != nil {
			tx.Rollback()
			return total, err
		}
		inTx, done := 0, false
		for inTx < sqliteBulkTxRows {
			row, ok, err := next()
			if err != nil {
				tx.Rollback()
				return total, err
			}
			if !ok {
				done = true
				break
			}
			if len(row) != len(columns) {
				tx.Rollback()
				return total, errRowWidth(table, len(row), len(columns))
			}
			args = append(args, row...)
			inTx++
			if len(args) == cap(args) {
				if _, err := full.ExecContext(ctx, args...); err != nil {
					tx.Rollback()
					return total, err
				}
				args = args[:0]
			}
		}
		if len(args) > 0 {
			if _, err := tx.ExecContext(ctx, insertSQL(table, columns, len(args)/len(columns)), args...); err != nil {
				tx.Rollback()
				return total, err
			}
			args = args[:0]
		}
		full.Close()
		if err := tx.Commit(); err != nil {
			return total, err
		}
		total += int64(inTx)
		if done {
			// As on PostgreSQL: the planner learns the table's new size now.
			_, err := write.ExecContext(ctx, `ANALYZE `+table)
			return total, err
		}
	}
}

// insertSQL is INSERT INTO table (columns) VALUES (?, ...), ... for rows
// rows. table and columns have been checked against the allow-list. The
// placeholders are ?, not $n: modernc looks each named parameter up by
// scanning the statement's list of names, which made binding hundreds of
// them the slowest part of a load.
func insertSQL(table string, columns []string, rows int) string {
	one := "(" + strings.Repeat("?, ", len(columns)-1) + "?)"
	return "INSERT INTO " + table + " (" + strings.Join(columns, ", ") + ") VALUES " + strings.Repeat(one+", ", rows-1) + one
}
