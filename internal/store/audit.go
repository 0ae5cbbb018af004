package store

import (
	"context"
	"database/sql"
	"errors"
	"runtime"
	"strings"
	"time"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/haven"
)

// appendAudit adds e to the chain inside tx, so a change and its audit row
// commit together or not at all.
func (db *DB) appendAudit(ctx context.Context, tx *sql.Tx, e audit.Event) error {
	return db.appendAudits(ctx, tx, []audit.Event{e})
}

// appendAudits chains events onto the end of the trail in order. The last
// hash is kept in audit_tail's single row: reading it (FOR UPDATE on
// PostgreSQL; SQLite's writer holds the whole database) serialises appends,
// so two transactions never chain to the same row, and writing it back
// commits with the new rows. Reading the tail from audit_events itself was
// at the mercy of the planner: on PostgreSQL a plan made while the table was
// small scanned all of it on every append as it grew.
func (db *DB) appendAudits(ctx context.Context, tx *sql.Tx, events []audit.Event) error {
	st := db.auditStatements(ctx, tx)
	defer func() {
		for _, s := range st {
			s.Close()
		}
	}()
	q := db.auditSQL()
	var prev string
	if err := st[auditTail].QueryRowContext(ctx, q[auditTail]).Scan(&prev); err != nil {
		return err
	}
	for _, e := range events {
		if e.At.IsZero() {
			e.At = db.now()
		}
		e.PrevHash = prev
		e.Hash = e.ComputeHash(prev)
		if _, err := st[auditInsert].ExecContext(ctx, q[auditInsert], e.At, nullID(e.UserID), e.Role, e.Tenant, e.RecordType, e.RecordID, e.Section,
			string(e.Action), e.RequestID, e.IP, e.PrevHash, e.Hash); err != nil {
			return err
		}
		prev = e.Hash
	}
	_, err := st[auditSetTail].ExecContext(ctx, q[auditSetTail], prev)
	return err
}

// The chain's three statements, by index into auditSQL.
const (
	auditTail = iota
	auditInsert
	auditSetTail
)

func (db *DB) auditSQL() [3]string {
	return [3]string{
		`SELECT hash FROM audit_tail` + db.dialect.lockRow(),
		`INSERT INTO audit_events (at, user_id, role, tenant, record_type, record_id, section, action, request_id, ip, prev_hash, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		`UPDATE audit_tail SET hash = $1`,
	}
}

// auditStatement runs one of the chain's statements in a transaction.
type auditStatement interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	Close() error
}

// auditStatements are the chain's statements for tx. On SQLite they are the
// ones prepareAudits parsed once and every transaction reuses: a busy server
// commits a batch of audit rows every few milliseconds, and parsing them each
// time was a fifth of the batch's cost. Otherwise they are tx itself: pgx
// keeps its own statement cache per connection, and preparing here would
// parse, plan and deallocate each one on every commit (more round trips).
// Closing what is returned leaves the cached ones open.
func (db *DB) auditStatements(ctx context.Context, tx *sql.Tx) [3]auditStatement {
	db.auditStmts.Lock()
	cached := db.auditStmts.stmts
	db.auditStmts.Unlock()
	var out [3]auditStatement
	for i := range out {
		if cached[i] != nil {
			out[i] = txStmt{tx.StmtContext(ctx, cached[i])}
		} else {
			out[i] = plainTx{tx}
		}
	}
	return out
}

// txStmt runs a prepared statement; the query text is already in it.
type txStmt struct{ *sql.Stmt }

func (s txStmt) QueryRowContext(ctx context.Context, _ string, args ...any) *sql.Row {
	return s.Stmt.QueryRowContext(ctx, args...)
}

func (s txStmt) ExecContext(ctx context.Context, _ string, args ...any) (sql.Result, error) {
	return s.Stmt.ExecContext(ctx, args...)
}

// plainTx runs the query text in the transaction.
type plainTx struct{ *sql.Tx }

func (plainTx) Close() error { return nil }

// prepareAudits parses the audit statements once on SQLite's write
// connection. It must run outside any transaction: there is one write
// connection, and a transaction holds it. A failure (no audit table yet,
// before migrating) leaves each transaction to parse its own.
func (db *DB) prepareAudits() {
	if !db.read.cache {
		return
	}
	db.auditStmts.Lock()
	done := db.auditStmts.stmts[0] != nil
	db.auditStmts.Unlock()
	if done {
		return
	}
	// Not under the lock: preparing waits for the write connection, and a
	// transaction holding it may be waiting for the lock in auditStatements.
	var stmts [3]*sql.Stmt
	for i, q := range db.auditSQL() {
		st, err := db.write.Prepare(q)
		if err != nil {
			for _, p := range stmts[:i] {
				p.Close()
			}
			return
		}
		stmts[i] = st
	}
	db.auditStmts.Lock()
	db.auditStmts.stmts = stmts
	db.auditStmts.Unlock()
}

// Audit records one event; it is durable when Audit returns. Concurrent
// callers share a transaction (group commit): while one batch commits, the
// next queues, so a busy server pays one fsync per batch rather than one per
// view, and every view still has its row before any data leaves Haven.
func (db *DB) Audit(ctx context.Context, e audit.Event) error {
	if e.At.IsZero() {
		e.At = db.now()
	}
	req := auditRequest{event: e, done: make(chan error, 1)}
	select {
	case db.audits.queue <- req:
	case <-db.audits.stop:
		return errClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	// Once queued the row will be written; wait for it whatever the caller's
	// context says, so "returned" always means "durable or failed".
	select {
	case err := <-req.done:
		return err
	case <-db.audits.stopped:
		select {
		case err := <-req.done:
			return err
		default:
			return errClosed // queued after the writer had finished
		}
	}
}

var errClosed = errors.Join(haven.ErrUnavailable, errors.New("store: closed"))

// maxAuditBatch bounds one group commit, so a burst cannot hold the writer long.
const maxAuditBatch = 512

type auditRequest struct {
	event audit.Event
	done  chan error
}

type auditQueue struct {
	queue   chan auditRequest
	stop    chan struct{}
	stopped chan struct{}
}

func newAuditQueue() auditQueue {
	return auditQueue{queue: make(chan auditRequest, maxAuditBatch), stop: make(chan struct{}), stopped: make(chan struct{})}
}

// commitAudits is the one goroutine that writes queued audit rows.
func (db *DB) commitAudits() {
	defer close(db.audits.stopped)
	batch := make([]auditRequest, 0, maxAuditBatch)
	for {
		select {
		case req := <-db.audits.queue:
			batch = append(batch[:0], req)
		case <-db.audits.stop:
			db.drainAudits(batch)
			return
		}
		db.prepareAudits()
		// Let the requests already running reach their own Audit call first:
		// on a busy core this turns one commit (and one fsync) per view into
		// one per handful of views, and on an idle one it costs nothing.
		runtime.Gosched()
		db.writeAudits(db.fillAudits(batch))
	}
}

// fillAudits adds whatever else is already queued to batch, without waiting.
func (db *DB) fillAudits(batch []auditRequest) []auditRequest {
	for len(batch) < maxAuditBatch {
		select {
		case req := <-db.audits.queue:
			batch = append(batch, req)
		default:
			return batch
		}
	}
	return batch
}

// writeAudits commits a batch in one transaction. If the batch fails, each
// event is retried alone so that one bad event cannot fail the others.
func (db *DB) writeAudits(batch []auditRequest) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	events := make([]audit.Event, len(batch))
	for i, r := range batch {
		events[i] = r.event
	}
	err := db.inAuditTx(ctx, func(tx *sql.Tx) error { return db.appendAudits(ctx, tx, events) })
	if err == nil || len(batch) == 1 {
		for _, r := range batch {
			r.done <- err
		}
		return
	}
	for _, r := range batch {
		r.done <- db.inAuditTx(ctx, func(tx *sql.Tx) error { return db.appendAudit(ctx, tx, r.event) })
	}
}

// drainAudits writes whatever is still queued when the store closes.
func (db *DB) drainAudits(batch []auditRequest) {
	for {
		batch = db.fillAudits(batch[:0])
		if len(batch) == 0 {
			return
		}
		db.writeAudits(batch)
	}
}

// inAuditTx is the transaction audit rows are written in.
func (db *DB) inAuditTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return db.inTx(ctx, fn)
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

const auditColumns = `id, at, COALESCE(user_id, 0), role, tenant, record_type, record_id, section, action, request_id, ip, prev_hash, hash`

func scanAudit(row interface{ Scan(...any) error }) (audit.Event, error) {
	var e audit.Event
	var action string
	err := row.Scan(&e.ID, &e.At, &e.UserID, &e.Role, &e.Tenant, &e.RecordType, &e.RecordID, &e.Section, &action, &e.RequestID, &e.IP, &e.PrevHash, &e.Hash)
	e.Action = audit.Action(action)
	return e, err
}

// EachAuditEvent calls fn for every event in chain order, for verification.
func (db *DB) EachAuditEvent(ctx context.Context, fn func(audit.Event) error) error {
	rows, err := db.read.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_events ORDER BY id`)
	if err != nil {
		return db.dialect.translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return err
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return db.dialect.translate(rows.Err())
}

// VerifyAudit walks the whole chain and returns what it found.
func (db *DB) VerifyAudit(ctx context.Context) (*audit.Verifier, error) {
	v := audit.NewVerifier()
	err := db.EachAuditEvent(ctx, func(e audit.Event) error { v.Add(e); return nil })
	return v, err
}

// AuditFilter narrows an audit search. Empty fields match everything.
type AuditFilter struct {
	UserID     int64
	RecordType string
	RecordID   string
	Action     string
	From       time.Time // events at or after this time
	To         time.Time // events before this time
	Page
}

// where is the filter as SQL over audit_events a, with its arguments from
// $1: the keyset cursor first, as both searches page newest first by ID.
// With record set, the record is matched outright, so a record's log walks
// its own index entries (audit_events_record) and not the whole trail.
func (f AuditFilter) where(record bool) (string, []any) {
	before := f.After
	if before == 0 {
		before = 1<<62 - 1
	}
	// A zero time is "no bound": a far date keeps one SQL text for every
	// filter, which SQLite and pgx then parse and plan once.
	from, to := f.From, f.To
	if from.IsZero() {
		from = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if to.IsZero() {
		to = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	match := `($3 = '' OR a.record_type = $3) AND ($4 = '' OR a.record_id = $4)`
	if record {
		match = `a.record_type = $3 AND a.record_id = $4`
	}
	return `a.id < $1
		  AND ($2 = 0 OR a.user_id = $2)
		  AND ` + match + `
		  AND ($5 = '' OR a.action = $5)
		  AND a.at >= $6 AND a.at < $7`, []any{before, f.UserID, f.RecordType, f.RecordID, f.Action, from.UTC(), to.UTC()}
}

// SearchAudit returns events matching f, newest first, keyset-paged by ID.
func (db *DB) SearchAudit(ctx context.Context, f AuditFilter) ([]audit.Event, error) {
	where, args := f.where(false)
	rows, err := db.read.QueryContext(ctx, `SELECT `+auditColumnsOf("a")+` FROM audit_events a
		WHERE `+where+` ORDER BY a.id DESC LIMIT $8`, append(args, f.limit())...)
	return collect(db, rows, err, func(r *sql.Rows) (audit.Event, error) { return scanAudit(r) })
}

// AuditEntries is SearchAudit with the name of each event's user, for the
// administrator's audit search.
func (db *DB) AuditEntries(ctx context.Context, f AuditFilter) ([]AccessEntry, error) {
	return db.auditEntries(ctx, f, false)
}

func (db *DB) auditEntries(ctx context.Context, f AuditFilter, record bool) ([]AccessEntry, error) {
	where, args := f.where(record)
	rows, err := db.read.QueryContext(ctx, `SELECT `+auditColumnsOf("a")+`, COALESCE(u.display_name, '')
		FROM audit_events a LEFT JOIN users u ON u.id = a.user_id
		WHERE `+where+` ORDER BY a.id DESC LIMIT $8`, append(args, f.limit())...)
	return collect(db, rows, err, scanAccessEntry)
}

func auditColumnsOf(table string) string {
	return strings.ReplaceAll("t.id, t.at, COALESCE(t.user_id, 0), t.role, t.tenant, t.record_type, t.record_id, t.section, t.action, t.request_id, t.ip, t.prev_hash, t.hash", "t.", table+".")
}

func scanAccessEntry(r *sql.Rows) (AccessEntry, error) {
	var e AccessEntry
	var action string
	err := r.Scan(&e.ID, &e.At, &e.UserID, &e.Role, &e.Tenant, &e.RecordType, &e.RecordID, &e.Section, &action, &e.RequestID, &e.IP, &e.PrevHash, &e.Hash, &e.UserName)
	e.Action = audit.Action(action)
	return e, err
}

// AuditUser is someone who appears in an audit trail, for a filter's choices.
type AuditUser struct {
	ID   int64
	Name string
}

// AccessLogUsers lists everyone who has viewed or changed a person's record,
// by name, for the filter on "who has seen this record".
func (db *DB) AccessLogUsers(ctx context.Context, personID int64) ([]AuditUser, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT u.id, u.display_name FROM users u
		WHERE u.id IN (SELECT a.user_id FROM audit_events a WHERE a.record_type = 'person' AND a.record_id = $1)
		ORDER BY u.display_name, u.id`, itoa(personID))
	return collect(db, rows, err, func(r *sql.Rows) (AuditUser, error) {
		var u AuditUser
		err := r.Scan(&u.ID, &u.Name)
		return u, err
	})
}

// FindUsers finds the accounts whose name or email contains term, ignoring
// case, for the administrator's audit search: at most limit, by name.
func (db *DB) FindUsers(ctx context.Context, term string, limit int) ([]access.User, error) {
	pattern := searchPattern(strings.ToLower(strings.TrimSpace(term)))
	rows, err := db.read.QueryContext(ctx, `SELECT id, email, display_name, version, created_at, updated_at FROM users
		WHERE LOWER(display_name) LIKE CAST($1 AS TEXT) ESCAPE '\' OR LOWER(email) LIKE CAST($1 AS TEXT) ESCAPE '\'
		ORDER BY display_name, id LIMIT $2`, pattern, Page{Limit: limit}.limit())
	return collect(db, rows, err, func(r *sql.Rows) (access.User, error) {
		var u access.User
		err := r.Scan(&u.ID, &u.Email, &u.DisplayName, &u.Version, &u.CreatedAt, &u.UpdatedAt)
		return u, err
	})
}
