package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// On PostgreSQL a bulk load is one COPY in one transaction, through pgx's
// native connection.
//
// Checking foreign keys row by row was most of the time a large load took
// (a million sessions: 60 of 75 seconds), so a load into an empty table
// drops the table's foreign keys and adds them back, with the same names
// and definitions, in the same transaction. Adding them back checks every
// row at once; a row that breaks one fails the whole load, and a failed load
// rolls back to the schema it started with. The table is locked meanwhile,
// which is why only empty tables get this.
func (postgresDialect) bulkInsert(ctx context.Context, write *sql.DB, table string, columns []string, next RowSource) (int64, error) {
	conn, err := write.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	var n int64
	err = conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("store: unexpected PostgreSQL driver connection %T", dc)
		}
		tx, err := c.Conn().Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx)
		fks, err := setAsideForeignKeys(ctx, tx, table)
		if err != nil {
			return err
		}
		src := &copySource{next: next, table: table, width: len(columns)}
		// COPY gives identity columns the values it is given, as OVERRIDING SYSTEM VALUE would.
		n, err = tx.CopyFrom(ctx, pgx.Identifier{table}, columns, src)
		if src.err != nil {
			return src.err // the source's own error, not PostgreSQL's report of it
		}
		if err != nil {
			return err
		}
		for _, fk := range fks {
			if _, err := tx.Exec(ctx, `ALTER TABLE `+table+` ADD CONSTRAINT `+pgx.Identifier{fk.name}.Sanitize()+` `+fk.def); err != nil {
				return err
			}
		}
		if slices.Contains(columns, "id") {
			// The identity sequence did not see the explicit IDs: move it past them.
			if _, err := tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence($1, 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM `+table+`), false)`, table); err != nil {
				return err
			}
		}
		// Planners should not wait for autovacuum to learn the table has grown.
		if _, err := tx.Exec(ctx, `ANALYZE `+table); err != nil {
			return err
		}
		return tx.Commit(ctx)
	})
	return n, err
}

type foreignKey struct{ name, def string }

// setAsideForeignKeys drops an empty table's foreign keys and returns them,
// to be added back after the load. A table with rows keeps its keys.
func setAsideForeignKeys(ctx context.Context, tx pgx.Tx, table string) ([]foreignKey, error) {
	var empty bool
	if err := tx.QueryRow(ctx, `SELECT NOT EXISTS (SELECT 1 FROM `+table+`)`).Scan(&empty); err != nil || !empty {
		return nil, err
	}
	rows, err := tx.Query(ctx, `SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
		WHERE conrelid = $1::regclass AND contype = 'f' ORDER BY conname`, table)
	if err != nil {
		return nil, err
	}
	fks, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (foreignKey, error) {
		var fk foreignKey
		err := r.Scan(&fk.name, &fk.def)
		return fk, err
	})
	if err != nil {
		return nil, err
	}
	for _, fk := range fks {
		if _, err := tx.Exec(ctx, `ALTER TABLE `+table+` DROP CONSTRAINT `+pgx.Identifier{fk.name}.Sanitize()); err != nil {
			return nil, err
		}
	}
	return fks, nil
}

// copySource adapts a RowSource to pgx.CopyFromSource.
type copySource struct {
	next  RowSource
	table string
	width int
	row   []any
	vals  []any
	err   error
}

func (s *copySource) Next() bool {
	row, ok, err := s.next()
	if err == nil && ok && len(row) != s.width {
		err = errRowWidth(s.table, len(row), s.width)
	}
	if err != nil {
		s.err = err
		return false
	}
	s.row = row
	return ok
}

// Values resolves driver.Valuers (haven.Date) to what pgx encodes natively.
func (s *copySource) Values() ([]any, error) {
	s.vals = append(s.vals[:0], s.row...)
	for i, v := range s.vals {
		if dv, ok := v.(driver.Valuer); ok {
			var err error
			if s.vals[i], err = dv.Value(); err != nil {
				return nil, err
			}
		}
	}
	return s.vals, nil
}

func (s *copySource) Err() error { return s.err }
