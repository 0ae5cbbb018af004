package store

import (
	"context"
	"database/sql"
	"sync"
)

// readPool is the read pool with a cache of prepared statements. SQLite
// spends a quarter of a page's time parsing SQL when every query is
// prepared afresh; the store's queries are a fixed set of constants, so each
// is parsed once per connection instead.
type readPool struct {
	*sql.DB
	cache bool

	mu    sync.RWMutex
	stmts map[string]*sql.Stmt
}

// maxStatements bounds the cache in case a query is ever built with
// variable text: beyond it, queries are simply prepared each time.
const maxStatements = 1024

func newReadPool(db *sql.DB, cache bool) *readPool {
	return &readPool{DB: db, cache: cache, stmts: map[string]*sql.Stmt{}}
}

func (p *readPool) prepared(ctx context.Context, query string) *sql.Stmt {
	if !p.cache {
		return nil
	}
	p.mu.RLock()
	st := p.stmts[query]
	p.mu.RUnlock()
	if st != nil {
		return st
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if st := p.stmts[query]; st != nil {
		return st
	}
	if len(p.stmts) >= maxStatements {
		return nil
	}
	st, err := p.DB.PrepareContext(context.WithoutCancel(ctx), query)
	if err != nil {
		return nil // the plain call below reports the error
	}
	p.stmts[query] = st
	return st
}

// On SQLite, a read that has started runs to the end even if its request is
// cancelled: with a context that can end, database/sql and the driver each
// start a goroutine per query to watch it, and on a page of ten reads those
// cost more than letting a read of a millisecond or two finish. A read asked
// for after the request has ended is still refused.
func (p *readPool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := p.prepared(ctx, query); st != nil {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		return st.QueryContext(context.WithoutCancel(ctx), args...)
	}
	return p.DB.QueryContext(ctx, query, args...)
}

func (p *readPool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := p.prepared(ctx, query); st != nil {
		if ctx.Err() == nil {
			ctx = context.WithoutCancel(ctx)
		}
		return st.QueryRowContext(ctx, args...)
	}
	return p.DB.QueryRowContext(ctx, query, args...)
}

// Close closes the cached statements, then the pool.
func (p *readPool) Close() error {
	p.mu.Lock()
	for q, st := range p.stmts {
		st.Close()
		delete(p.stmts, q)
	}
	p.mu.Unlock()
	return p.DB.Close()
}
