package web

import (
	"fmt"
	"net/http/httptest"
	"testing"
	"time"
)

// The limit forgets a client once its bucket is full again, so memory
// follows the clients of the last few seconds; when every slot is taken
// by an active client, a newcomer waits rather than the table growing.
func TestRateLimitForgetsIdleClients(t *testing.T) {
	l := &rateLimit{interval: 100 * time.Millisecond, burst: 3, max: 4, full: map[string]time.Time{}}
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	for i := range 4 {
		if _, ok := l.allow(fmt.Sprint("client", i), now); !ok {
			t.Fatalf("client %d refused", i)
		}
	}
	if wait, ok := l.allow("newcomer", now); ok || wait <= 0 {
		t.Errorf("a fifth client with a full table: %v %v", wait, ok)
	}
	if l.size() != 4 {
		t.Errorf("size %d, want 4", l.size())
	}
	later := now.Add(time.Second)
	if _, ok := l.allow("newcomer", later); !ok {
		t.Error("the newcomer is still refused once the others are idle")
	}
	if l.size() != 1 {
		t.Errorf("size %d after the sweep, want 1", l.size())
	}
	// The burst, then the wait for the next token.
	for range 2 {
		l.allow("newcomer", later)
	}
	if wait, ok := l.allow("newcomer", later); ok || wait != 100*time.Millisecond {
		t.Errorf("fourth in a burst of 3: %v %v", wait, ok)
	}
}

// The answer cache never holds more than its size, and an answer served
// from it is byte for byte the answer worked out afresh.
func TestAnswerCacheIsBounded(t *testing.T) {
	c := newAnswerCache(8)
	calls := 0
	for i := range 50 {
		rec := httptest.NewRecorder()
		if err := c.serve(rec, "test", i%20, func() any { calls++; return map[string]int{"n": i % 20} }); err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprintf("{\"n\":%d}\n", i%20); rec.Body.String() != want {
			t.Fatalf("answer %q, want %q", rec.Body, want)
		}
		if c.size() > 8 {
			t.Fatalf("%d answers kept", c.size())
		}
	}
	// The answer just worked out is kept, and served again as it was.
	rec := httptest.NewRecorder()
	c.serve(rec, "test", 9, func() any { t.Error("worked out again"); return nil })
	if rec.Body.String() != "{\"n\":9}\n" {
		t.Errorf("%d calls, body %q", calls, rec.Body)
	}
}
