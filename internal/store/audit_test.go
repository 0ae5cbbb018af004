package store_test

import (
	"errors"
	"fmt"
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
