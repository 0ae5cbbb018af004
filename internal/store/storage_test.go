package store_test

import (
	"bytes"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/store"
)

// logSink collects the store's log lines, which any goroutine may write.
type logSink struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *logSink) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *logSink) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

func (s *logSink) count(event string) int { return strings.Count(s.String(), "event="+event) }

// openCapped migrates a fresh SQLite database with a filler table that
// another connection can later empty, then reopens it with the writer capped
// at its size plus headroom pages.
func openCapped(t *testing.T, headroom int64) (*store.DB, *sql.DB, *logSink) {
	t.Helper()
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "haven.db")
	db, err := store.Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := db.Exec(ctx, `CREATE TABLE filler (id INTEGER PRIMARY KEY, b BLOB NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	other, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	var pages int64
	if err := other.QueryRowContext(ctx, `PRAGMA page_count`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	db, err = store.Open(ctx, fmt.Sprintf("sqlite:%s?max_page_count=%d", path, pages+headroom))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	log := &logSink{}
	db.SetLogger(slog.New(slog.NewTextHandler(log, nil)))
	db.SetStorageRetry(time.Nanosecond)
	return db, other, log
}

// fill writes 64 KiB rows until the database is full.
func fill(t *testing.T, db *store.DB) error {
	t.Helper()
	for range 1000 {
		if err := db.ExecInTx(t.Context(), `INSERT INTO filler (b) VALUES (zeroblob(65536))`); err != nil {
			return err
		}
	}
	t.Fatal("the database never filled up")
	return nil
}

func TestStorageFullKeepsReadingAndRecovers(t *testing.T) {
	ctx := t.Context()
	db, other, log := openCapped(t, 1200) // about 4.7 MiB of room
	ev := audit.Event{Role: "admin", RequestID: "req"}
	kit, err := db.CreateAccount(ctx, ev, access.User{Email: "kit.before@example.org", DisplayName: "Kit Before"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	sess, err := db.CreateSession(ctx, access.Session{UserID: kit.ID, MFAPassed: true}, "hash-before")
	if err != nil {
		t.Fatal(err)
	}

	err = fill(t, db)
	if !errors.Is(err, store.ErrStorageFull) || !errors.Is(err, haven.ErrUnavailable) {
		t.Fatalf("filling up: got %v, want storage full of kind unavailable", err)
	}
	if !db.StorageFull() || log.count("storage_full") != 1 {
		t.Fatalf("StorageFull() = %v, storage_full logged %d times; log:\n%s", db.StorageFull(), log.count("storage_full"), log)
	}

	// Changes to records are refused and leave nothing behind.
	refused := []struct {
		name string
		do   func() error
	}{
		{"new account", func() error {
			_, err := db.CreateAccount(ctx, ev, access.User{Email: "sam.during@example.org", DisplayName: "Sam During"}, nil)
			return err
		}},
		{"small insert", func() error { return db.ExecInTx(ctx, `INSERT INTO filler (b) VALUES (x'00')`) }},
		{"delete", func() error { return db.ExecInTx(ctx, `DELETE FROM filler WHERE id = 1`) }},
		{"insert into users", func() error {
			return db.ExecInTx(ctx, `INSERT INTO users (email, display_name, version, created_at, updated_at) VALUES ('a@example.org', 'A', 1, '2026-01-01', '2026-01-01')`)
		}},
	}
	for _, tt := range refused {
		if err := tt.do(); !errors.Is(err, store.ErrStorageFull) {
			t.Errorf("%s while full: got %v, want storage full", tt.name, err)
		}
	}
	if _, err := db.AccountByEmail(ctx, "sam.during@example.org"); !errors.Is(err, haven.ErrNotFound) {
		t.Errorf("refused account exists: %v", err)
	}
	var n int
	if err := other.QueryRowContext(ctx, `SELECT COUNT(*) FROM filler WHERE id = 1`).Scan(&n); err != nil || n != 1 {
		t.Errorf("refused delete removed the row: n=%d err=%v", n, err)
	}

	// Reading goes on: audit rows, signing in and sessions still work.
	for i := range 200 {
		if err := db.Audit(ctx, audit.Event{UserID: kit.ID, Action: audit.View, RecordType: "person", RecordID: fmt.Sprint(i), RequestID: "r"}); err != nil {
			t.Fatalf("audit row %d while full: %v", i, err)
		}
	}
	if got, err := db.SearchAudit(ctx, store.AuditFilter{RecordType: "person", RecordID: "199"}); err != nil || len(got) != 1 {
		t.Fatalf("reading the audit trail while full: %d rows, %v", len(got), err)
	}
	if _, err := db.CreateSession(ctx, access.Session{UserID: kit.ID, MFAPassed: true}, "hash-during"); err != nil {
		t.Errorf("signing in while full: %v", err)
	}
	if err := db.TouchSession(ctx, sess.ID); err != nil {
		t.Errorf("touching a session while full: %v", err)
	}
	if _, err := db.UseTOTPStep(ctx, kit.ID, 42); err != nil {
		t.Errorf("claiming a TOTP step while full: %v", err)
	}
	if _, err := db.Account(ctx, kit.ID); err != nil {
		t.Errorf("reading an account while full: %v", err)
	}

	// Still full: the retry finds no room and changes stay refused.
	if err := db.ExecInTx(ctx, `INSERT INTO filler (b) VALUES (x'00')`); !errors.Is(err, store.ErrStorageFull) {
		t.Fatalf("before space is freed: got %v", err)
	}

	// Someone frees space from outside Haven; the next write finds it without a restart.
	if _, err := other.ExecContext(ctx, `DELETE FROM filler`); err != nil {
		t.Fatal(err)
	}
	sam, err := db.CreateAccount(ctx, ev, access.User{Email: "sam.after@example.org", DisplayName: "Sam After"}, nil)
	if err != nil {
		t.Fatalf("after space was freed: %v", err)
	}
	if db.StorageFull() || log.count("storage_recovered") != 1 || log.count("storage_full") != 1 {
		t.Fatalf("after recovery: StorageFull() = %v; log:\n%s", db.StorageFull(), log)
	}
	if _, err := db.AccountByEmail(ctx, sam.Email); err != nil {
		t.Fatal(err)
	}
	if v, err := db.VerifyAudit(ctx); err != nil || len(v.Problems) != 0 {
		t.Fatalf("audit chain after storage full: %v %+v", err, v)
	}
}

// A reserve taken while full is put back at the next start if there is room.
func TestStorageFullReserveComesBack(t *testing.T) {
	ctx := t.Context()
	db, other, _ := openCapped(t, 600)
	if err := fill(t, db); !errors.Is(err, store.ErrStorageFull) {
		t.Fatal(err)
	}
	var n int
	if err := other.QueryRowContext(ctx, `SELECT COUNT(*) FROM storage_reserve`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("reserve rows while full = %d (%v), want 0", n, err)
	}
	if _, err := other.ExecContext(ctx, `DELETE FROM filler`); err != nil {
		t.Fatal(err)
	}
	if err := db.ExecInTx(ctx, `INSERT INTO filler (b) VALUES (x'00')`); err != nil {
		t.Fatalf("after space was freed: %v", err)
	}
	if err := other.QueryRowContext(ctx, `SELECT COUNT(*), SUM(length(filler)) FROM storage_reserve`).Scan(&n, new(int)); err != nil || n != 16 {
		t.Fatalf("reserve rows after recovery = %d (%v), want 16", n, err)
	}
}

func TestStorageFullTranslation(t *testing.T) {
	tests := []struct {
		name      string
		translate func(error) error
		err       error
		full      bool
	}{
		{"postgres disk_full", store.TranslatePostgres, &pgconn.PgError{Code: "53100"}, true},
		{"postgres out of memory", store.TranslatePostgres, &pgconn.PgError{Code: "53200"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.translate(tt.err)
			if !errors.Is(err, haven.ErrUnavailable) {
				t.Errorf("got %v, want unavailable", err)
			}
			if errors.Is(err, store.ErrStorageFull) != tt.full {
				t.Errorf("storage full = %v, want %v", errors.Is(err, store.ErrStorageFull), tt.full)
			}
		})
	}
}
