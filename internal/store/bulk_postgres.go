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

// On PostgreSQL a bulk load is one COPY, through pgx's native connection.
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
		src := &copySource{next: next, table: table, width: len(columns)}
		// COPY gives identity columns the values it is given, as OVERRIDING SYSTEM VALUE would.
		n, err = c.Conn().CopyFrom(ctx, pgx.Identifier{table}, columns, src)
		if src.err != nil {
			return src.err // the source's own error, not PostgreSQL's report of it
		}
		return err
	})
	if err != nil || !slices.Contains(columns, "id") {
		return n, err
	}
	// The identity sequence did not see the explicit IDs: move it past them.
	_, err = conn.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence($1, 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM `+table+`), false)`, table)
	return n, err
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
