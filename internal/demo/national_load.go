package demo

import (
	"context"
	"fmt"
	"iter"
	"time"

	"haven/internal/audit"
	"haven/internal/auth"
	"haven/internal/store"
)

// NationalOptions adjusts LoadNational. The zero value loads the full
// national data set with DefaultSeed.
type NationalOptions struct {
	Seed   uint64
	Scale  Scale        // zero means NationalScale
	Hasher *auth.Hasher // nil means OWASP's parameters; tests pass cheaper ones
	// Progress, if set, hears of each table as it is loaded.
	Progress func(table string, rows int64, took time.Duration)
}

// NationalResult says what LoadNational wrote.
type NationalResult struct {
	Plan Plan
	// Hash is SHA-256 over every generated row, table by table in load
	// order: the same for a seed on SQLite and PostgreSQL. The password
	// hash, salted at random, is covered by a fixed marker instead.
	Hash string
	Rows []TableRows // in load order
}

// TableRows is how many rows a table was given.
type TableRows struct {
	Table string
	Rows  int64
}

// LoadNational fills an empty, migrated database with the national data set
// through store.BulkInsert, and records one audit event for the load. A
// failed load leaves a partial database: throw it away and start again.
func LoadNational(ctx context.Context, db *store.DB, o NationalOptions) (NationalResult, error) {
	var res NationalResult
	if has, err := db.HasData(ctx); err != nil {
		return res, err
	} else if has {
		return res, ErrHasData
	}
	if o.Seed == 0 {
		o.Seed = DefaultSeed
	}
	if o.Scale == (Scale{}) {
		o.Scale = NationalScale()
	}
	if o.Hasher == nil {
		o.Hasher = &auth.DefaultHasher
	}
	n, err := buildNational(o.Seed, o.Scale)
	if err != nil {
		return res, err
	}
	// One argon2id hash for every account: hashing 400 passwords would take minutes.
	pw, err := o.Hasher.Hash(n.password)
	if err != nil {
		return res, err
	}
	tables, err := n.tables()
	if err != nil {
		return res, err
	}
	h := newRowHasher(pw)
	for _, t := range tables {
		start := time.Now()
		h.table(t.name, t.columns)
		next, stop := iter.Pull(t.rows)
		rows, err := db.BulkInsert(ctx, t.name, t.columns, func() ([]any, bool, error) {
			row, ok := next()
			if !ok {
				return nil, false, nil
			}
			return row, true, h.row(row)
		})
		stop()
		if err != nil {
			return res, fmt.Errorf("demo: national data: %w", err)
		}
		res.Rows = append(res.Rows, TableRows{t.name, rows})
		if o.Progress != nil {
			o.Progress(t.name, rows, time.Since(start))
		}
	}
	// The bulk load bypasses CreatePractice: give its Practices their
	// directory entries (not part of the data set, so not in its hash).
	if _, err := db.LinkPracticeEntries(ctx); err != nil {
		return res, fmt.Errorf("demo: national data: directory entries: %w", err)
	}
	// The fictional services beside them, in one transaction.
	if o.Scale.Services > 0 {
		start := time.Now()
		orgs, services, err := nationalDirectory(o.Seed, o.Scale.Services-o.Scale.Practices, n.asOf)
		if err == nil {
			err = db.CreateServices(ctx, orgs, services, "national-demo")
		}
		if err != nil {
			return res, fmt.Errorf("demo: national data: directory: %w", err)
		}
		if o.Progress != nil {
			o.Progress("dir_services (fictional)", int64(len(services)), time.Since(start))
		}
	}
	res.Hash, res.Plan = h.hex(), n.plan()
	total := int64(0)
	for _, r := range res.Rows {
		total += r.Rows
	}
	// One event for the whole load, not one per row.
	ev := audit.Event{Role: "cli", RequestID: "demo-national", Action: audit.Create, RecordType: "bulk-load",
		RecordID: fmt.Sprintf("national-demo seed=%d rows=%d", o.Seed, total), Section: "sha256:" + res.Hash}
	if err := db.Audit(ctx, ev); err != nil {
		return res, err
	}
	return res, nil
}

// NationalHash is the content hash LoadNational reports for a seed and
// scale, worked out without a database.
func NationalHash(seed uint64, sc Scale) (string, error) {
	n, err := buildNational(seed, sc)
	if err != nil {
		return "", err
	}
	tables, err := n.tables()
	if err != nil {
		return "", err
	}
	h := newRowHasher("")
	for _, t := range tables {
		h.table(t.name, t.columns)
		for row := range t.rows {
			if err := h.row(row); err != nil {
				return "", err
			}
		}
	}
	return h.hex(), nil
}
