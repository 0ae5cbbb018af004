package store_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

func addAccount(t *testing.T, db *store.DB, email string) {
	t.Helper()
	if _, err := db.CreateAccount(t.Context(), audit.Event{Role: "admin"}, access.User{Email: email, DisplayName: "Synthetic Person"}, nil); err != nil {
		t.Fatal(err)
	}
}

// integrity runs SQLite's own check on a file.
func integrity(t *testing.T, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var got string
	if err := db.QueryRowContext(t.Context(), `PRAGMA integrity_check`).Scan(&got); err != nil {
		return err.Error()
	}
	return got
}

// leftovers lists temporary files a backup or restore left in dir.
func leftovers(t *testing.T, dir string) []string {
	t.Helper()
	names, _ := filepath.Glob(filepath.Join(dir, ".*tmp-*"))
	return names
}

func TestBackupWhileWriting(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		dir := t.TempDir()
		target := filepath.Join(dir, "haven-backup.db")
		if db.Dialect() == "postgres" {
			err := db.Backup(ctx, target)
			if !errors.Is(err, store.ErrPostgresBackup) || !strings.Contains(err.Error(), "pg_dump") {
				t.Fatalf("backup on PostgreSQL: got %v, want the pointer to pg_dump", err)
			}
			if _, err := os.Stat(target); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("backup on PostgreSQL wrote %s", target)
			}
			return
		}
		for i := range 20 {
			addAccount(t, db, fmt.Sprintf("before.%d@example.org", i))
		}
		// Writers and audit rows keep going while the backup runs.
		stop := make(chan struct{})
		var wg sync.WaitGroup
		var written atomic.Int64
		for w := range 4 {
			wg.Go(func() {
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					if _, err := db.CreateAccount(context.Background(), audit.Event{Role: "admin"}, access.User{Email: fmt.Sprintf("during.%d.%d@example.org", w, i), DisplayName: "Synthetic Person"}, nil); err != nil {
						t.Errorf("write during backup: %v", err)
						return
					}
					if err := db.Audit(context.Background(), audit.Event{Action: audit.View, RecordType: "person", RecordID: fmt.Sprint(i), RequestID: "r"}); err != nil {
						t.Errorf("audit during backup: %v", err)
						return
					}
					written.Add(1)
				}
			})
		}
		for written.Load() < 10 {
			time.Sleep(time.Millisecond)
		}
		err := db.Backup(ctx, target)
		close(stop)
		wg.Wait()
		if err != nil {
			t.Fatal(err)
		}
		if written.Load() < 20 {
			t.Logf("only %d writes ran alongside the backup", written.Load())
		}
		if got := integrity(t, target); got != "ok" {
			t.Fatalf("integrity of the backup: %s", got)
		}
		if st, err := os.Stat(target); err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("backup file mode: %v %v", st.Mode(), err)
		}
		if l := leftovers(t, dir); len(l) > 0 {
			t.Fatalf("temporary files left: %v", l)
		}
		copy, err := store.Open(ctx, "sqlite:"+target)
		if err != nil {
			t.Fatal(err)
		}
		defer copy.Close()
		for i := range 20 {
			if _, err := copy.AccountByEmail(ctx, fmt.Sprintf("before.%d@example.org", i)); err != nil {
				t.Errorf("account committed before the backup is missing from it: %v", err)
			}
		}
		if v, err := copy.VerifyAudit(ctx); err != nil || len(v.Problems) > 0 {
			t.Errorf("audit chain in the backup: %v %v", v.Problems, err)
		}
	})
}

func TestBackupRefusals(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := t.Context()
	dir := t.TempDir()
	existing := filepath.Join(dir, "old.db")
	os.WriteFile(existing, []byte("an older backup"), 0o600)
	tests := []struct {
		name, path, want string
	}{
		{"folder missing", filepath.Join(dir, "no-such-folder", "b.db"), "does not exist"},
		{"file exists", existing, "already exists"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := db.Backup(ctx, tt.path)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error saying %q", err, tt.want)
			}
			if l := leftovers(t, filepath.Dir(tt.path)); len(l) > 0 {
				t.Fatalf("temporary files left: %v", l)
			}
		})
	}
	if b, _ := os.ReadFile(existing); string(b) != "an older backup" {
		t.Fatal("an existing file was overwritten")
	}
}

// A backup cut short leaves neither the file asked for nor a temporary one.
func TestBackupInterruptedLeavesNothing(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := t.Context()
	if err := db.Exec(ctx, `CREATE TABLE filler (b BLOB)`); err != nil {
		t.Fatal(err)
	}
	for range 8 {
		if err := db.Exec(ctx, `INSERT INTO filler SELECT zeroblob(1048576) FROM (SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4)`); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	target := filepath.Join(dir, "b.db")
	cctx, cancel := context.WithCancel(ctx)
	go func() { // cancel as soon as the copy has started
		for len(leftovers(t, dir)) == 0 && cctx.Err() == nil {
			time.Sleep(50 * time.Microsecond)
		}
		cancel()
	}()
	err := db.Backup(cctx, target)
	cancel()
	if err == nil {
		t.Fatal("the backup finished before it could be interrupted: make the database larger")
	}
	if _, err := os.Stat(target); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("an interrupted backup left %s", target)
	}
	if l := leftovers(t, dir); len(l) > 0 {
		t.Fatalf("temporary files left: %v", l)
	}
}

func digest(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

func TestRestore(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	live := filepath.Join(dir, "haven.db")
	url := "sqlite:" + live
	db, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	addAccount(t, db, "kept@example.org")
	backup := filepath.Join(dir, "backup.db")
	if err := db.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	addAccount(t, db, "after.backup@example.org")

	// While Haven has the database open, restore refuses.
	if _, err := store.Restore(ctx, backup, url); err == nil || !strings.Contains(err.Error(), "stop Haven") {
		t.Fatalf("restore over a database in use: got %v", err)
	}
	db.Close()

	// Sources that must be refused, each leaving the live database as it was.
	notHaven := filepath.Join(dir, "other.db")
	if o, err := sql.Open("sqlite", notHaven); err == nil {
		o.Exec(`CREATE TABLE recipes (name TEXT)`)
		o.Close()
	}
	newer := filepath.Join(dir, "newer.db")
	if err := os.WriteFile(newer, must(os.ReadFile(backup)), 0o600); err != nil {
		t.Fatal(err)
	}
	if o, err := sql.Open("sqlite", newer); err == nil {
		o.Exec(`INSERT INTO schema_migrations (version, applied_at) VALUES ('9999', '2030-01-01')`)
		o.Close()
	}
	corrupt := filepath.Join(dir, "corrupt.db")
	whole := must(os.ReadFile(backup))
	os.WriteFile(corrupt, whole[:len(whole)/2], 0o600)
	garbage := filepath.Join(dir, "garbage.db")
	os.WriteFile(garbage, bytes.Repeat([]byte("not a database "), 400), 0o600)
	inUse := filepath.Join(dir, "in-use.db")
	os.WriteFile(inUse, whole, 0o600)
	os.WriteFile(inUse+"-wal", []byte("frames"), 0o600)

	before := digest(t, live)
	refusals := []struct {
		name, from, to, want string
	}{
		{"cut short", corrupt, url, "cannot be restored"},
		{"not SQLite", garbage, url, "not a readable SQLite database"},
		{"not Haven", notHaven, url, "not a Haven database"},
		{"newer Haven", newer, url, "newer Haven"},
		{"missing", filepath.Join(dir, "nope.db"), url, "does not exist"},
		{"live database with a WAL", inUse, url, "not a backup"},
		{"onto itself", live, url, "the database itself"},
		{"target folder missing", backup, "sqlite:" + filepath.Join(dir, "gone", "haven.db"), "does not exist"},
		{"PostgreSQL", backup, "postgres://haven@localhost/haven", "pg_restore"},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			_, err := store.Restore(ctx, tt.from, tt.to)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error saying %q", err, tt.want)
			}
			if digest(t, live) != before {
				t.Fatal("a refused restore changed the database")
			}
			if l := leftovers(t, dir); len(l) > 0 {
				t.Fatalf("temporary files left: %v", l)
			}
		})
	}

	res, err := store.Restore(ctx, backup, url)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Replaced || len(res.Pending) != 0 || res.Schema == "" {
		t.Errorf("result %+v", res)
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(live + suffix); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s left beside the restored database", suffix)
		}
	}
	db, err = store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.AccountByEmail(ctx, "kept@example.org"); err != nil {
		t.Errorf("account from the backup: %v", err)
	}
	if _, err := db.AccountByEmail(ctx, "after.backup@example.org"); err == nil {
		t.Error("an account made after the backup survived the restore")
	}
	if st, err := db.Status(ctx); err != nil || len(st.Pending) != 0 {
		t.Errorf("schema after restore: %+v %v", st, err)
	}
	// Restoring into a new place works too.
	fresh := filepath.Join(dir, "fresh", "haven.db")
	os.Mkdir(filepath.Dir(fresh), 0o700)
	if res, err := store.Restore(ctx, backup, "sqlite:"+fresh); err != nil || res.Replaced {
		t.Fatalf("restore to a new file: %+v %v", res, err)
	}
	if got := integrity(t, fresh); got != "ok" {
		t.Fatal(got)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// While a restore holds the database, Haven will not open it: a server
// started part-way through a restore would write to the file the restore is
// about to replace, and lose those writes.
func TestNoOpeningDuringARestore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "haven.db")
	release, err := store.LockForRestore(path)
	if err != nil {
		t.Fatal(err)
	}
	if db, err := store.Open(t.Context(), "sqlite:"+path); err == nil || !strings.Contains(err.Error(), "being restored") {
		if db != nil {
			db.Close()
		}
		t.Fatalf("open during a restore: got %v, want a refusal", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the refused open left a database file behind: %v", err)
	}
	release()
	db, err := store.Open(t.Context(), "sqlite:"+path)
	if err != nil {
		t.Fatalf("open after the restore: %v", err)
	}
	defer db.Close()
	if _, err := store.LockForRestore(path); err == nil {
		t.Error("a restore could start while Haven had the database open")
	}
}
