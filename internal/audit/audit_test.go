package audit

import (
	"testing"
	"time"
)

func chain(n int) []Event {
	var out []Event
	prev := Genesis
	for i := 1; i <= n; i++ {
		e := Event{ID: int64(i), At: time.Date(2026, 11, 22, 9, 0, i, 0, time.UTC), UserID: 7, Role: "practitioner", Action: View, RecordType: "person", RecordID: "42"}
		e.PrevHash = prev
		e.Hash = e.ComputeHash(prev)
		prev = e.Hash
		out = append(out, e)
	}
	return out
}

func verify(events []Event) []Problem {
	v := NewVerifier()
	for _, e := range events {
		v.Add(e)
	}
	return v.Problems
}

// S33: the verifier names the row that was edited, removed or inserted.
func TestS33VerifierFindsTampering(t *testing.T) {
	if p := verify(chain(5)); len(p) != 0 {
		t.Fatalf("intact chain reported %v", p)
	}
	edited := chain(5)
	edited[2].RecordID = "43"
	if p := verify(edited); len(p) != 1 || p[0].ID != 3 {
		t.Errorf("edited row: problems %v, want row 3", p)
	}
	removed := append(chain(5)[:2], chain(5)[3:]...)
	if p := verify(removed); len(p) != 1 || p[0].ID != 4 {
		t.Errorf("removed row: problems %v, want row 4", p)
	}
	inserted := chain(5)
	fake := Event{ID: 99, At: time.Now(), Action: Delete, PrevHash: inserted[1].Hash}
	fake.Hash = fake.ComputeHash(fake.PrevHash)
	inserted = append(inserted[:2], append([]Event{fake}, inserted[2:]...)...)
	if p := verify(inserted); len(p) != 1 || p[0].ID != 3 {
		t.Errorf("inserted row: problems %v, want the row after it, 3", p)
	}
}

func TestHashIsUnambiguous(t *testing.T) {
	a := Event{Role: "ab", Tenant: "c", Action: View}
	b := Event{Role: "a", Tenant: "bc", Action: View}
	if a.ComputeHash(Genesis) == b.ComputeHash(Genesis) {
		t.Error("moving a character between fields left the hash unchanged")
	}
}
