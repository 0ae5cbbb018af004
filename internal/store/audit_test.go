package store_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

func appendEvents(t *testing.T, db *store.DB, n int) {
	t.Helper()
	for i := range n {
		if err := db.Audit(t.Context(), audit.Event{UserID: 0, Role: "practitioner", Action: audit.View, RecordType: "person", RecordID: fmt.Sprint(100 + i), RequestID: "r"}); err != nil {
			t.Fatal(err)
		}
	}
}

// S33: the application cannot change or remove audit rows.
func TestS33AuditIsAppendOnly(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		appendEvents(t, db, 3)
		for _, q := range []string{
			`UPDATE audit_events SET record_id = '999' WHERE id = 2`,
			`DELETE FROM audit_events WHERE id = 2`,
		} {
			if err := db.Exec(t.Context(), q); !errors.Is(err, haven.ErrForbidden) {
				t.Errorf("%s: error %v, want it refused", q, err)
			}
		}
		v, err := db.VerifyAudit(t.Context())
		if err != nil || v.Checked != 3 || len(v.Problems) != 0 {
			t.Errorf("after refused tampering: checked %d, problems %v, err %v", v.Checked, v.Problems, err)
		}
	})
}

// S33: someone who gets round the triggers is still found out by the chain.
func TestS33VerifyFindsARowEditedInTheDatabase(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		appendEvents(t, db, 5)
		var off, on string
		if db.Dialect() == "sqlite" {
			off, on = `DROP TRIGGER audit_events_no_update`, `SELECT 1`
		} else {
			off, on = `ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update`, `ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update`
		}
		for _, q := range []string{off, `UPDATE audit_events SET record_id = '999' WHERE id = (SELECT MIN(id) + 2 FROM audit_events)`, on} {
			if err := db.Exec(t.Context(), q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		v, err := db.VerifyAudit(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		evs, _ := db.SearchAudit(t.Context(), store.AuditFilter{RecordID: "999"})
		if len(v.Problems) != 1 || len(evs) != 1 || v.Problems[0].ID != evs[0].ID {
			t.Errorf("problems %v, want exactly the edited row %v", v.Problems, evs)
		}
	})
}

// Group commit: many concurrent views each get exactly one row, the chain
// stays whole, and a closed store refuses rather than drops.
func TestAuditGroupCommitUnderConcurrency(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		const workers, each = 16, 25
		exactlyOnce(t, auditConcurrently(t, []*store.DB{db}, workers, each, "g"), workers*each)
	})
}

// auditConcurrently has workers goroutines for each store audit each views
// at once, checks that the chain is whole, and counts the rows per record.
func auditConcurrently(t *testing.T, dbs []*store.DB, workers, each int, requestID string) map[string]int {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, len(dbs)*workers*each)
	for s, db := range dbs {
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range each {
					errs <- db.Audit(t.Context(), audit.Event{Role: "practitioner", Action: audit.View, RecordType: "person",
						RecordID: fmt.Sprintf("%d-%d-%d", s, w, i), RequestID: requestID})
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	v, err := dbs[0].VerifyAudit(t.Context())
	if err != nil || len(v.Problems) != 0 {
		t.Fatalf("chain problems %v, err %v", v.Problems, err)
	}
	seen := map[string]int{}
	err = dbs[len(dbs)-1].EachAuditEvent(t.Context(), func(e audit.Event) error {
		if e.RequestID == requestID {
			seen[e.RecordID]++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return seen
}

func exactlyOnce(t *testing.T, seen map[string]int, want int) {
	t.Helper()
	if len(seen) != want {
		t.Errorf("%d distinct rows, want %d", len(seen), want)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("record %s audited %d times", id, n)
		}
	}
}

func TestAuditAfterCloseIsRefused(t *testing.T) {
	db := storetest.SQLite(t)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	err := db.Audit(t.Context(), audit.Event{Role: "practitioner", Action: audit.View, RecordType: "person", RecordID: "1"})
	if !errors.Is(err, haven.ErrUnavailable) {
		t.Errorf("audit after close: %v, want unavailable", err)
	}
}

// Two Haven servers on one database append to one chain: each append locks
// the chain's tail row, so neither ever chains to a row the other has
// already chained to. Without the lock PostgreSQL forks the chain.
func TestAuditChainHoldsAcrossTwoServers(t *testing.T) {
	storetest.ForEachEmpty(t, func(t *testing.T, url string) {
		var dbs [2]*store.DB
		for i := range dbs {
			db, err := store.Open(t.Context(), url)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			if _, err := db.Migrate(t.Context()); err != nil {
				t.Fatal(err)
			}
			dbs[i] = db
		}
		const workers, each = 8, 25
		exactlyOnce(t, auditConcurrently(t, dbs[:], workers, each, "two"), 2*workers*each)
	})
}
