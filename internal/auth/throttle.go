package auth

import (
	"sync"
	"time"
)

// Throttle slows online guessing. After Free failures for a key (an email or
// an IP address), each further failure doubles the wait before the next try,
// up to Max. Nothing locks for ever: the wait runs out by itself, and a
// success clears the key. Unknown emails are counted exactly like known ones,
// so the throttle says nothing about which accounts exist.
type Throttle struct {
	Free int           // failures allowed before any wait
	Base time.Duration // the first wait
	Max  time.Duration // the longest wait: a temporary lock

	mu      sync.Mutex
	entries map[string]*throttleEntry
}

type throttleEntry struct {
	failures int
	until    time.Time
	last     time.Time
}

// NewThrottle returns OWASP-style limits: 5 free failures, then 1 s doubling
// to a 15-minute lock (reached after about 15 failures, well under NIST's 100).
func NewThrottle() *Throttle {
	return &Throttle{Free: 5, Base: time.Second, Max: 15 * time.Minute}
}

// maxEntries bounds memory under a flood of made-up emails.
const maxEntries = 100_000

// Wait returns how long key must wait before trying again, or 0.
func (t *Throttle) Wait(key string, now time.Time) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	e := t.entries[key]
	if e == nil || !now.Before(e.until) {
		return 0
	}
	return e.until.Sub(now)
}

// Fail records a failure for key and returns the wait it now has.
func (t *Throttle) Fail(key string, now time.Time) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.entries == nil {
		t.entries = map[string]*throttleEntry{}
	}
	e := t.entries[key]
	if e == nil {
		if len(t.entries) >= maxEntries {
			t.sweep(now)
		}
		e = &throttleEntry{}
		t.entries[key] = e
	}
	// Failures an hour old are forgiven.
	if now.Sub(e.last) > time.Hour {
		e.failures = 0
	}
	e.failures++
	e.last = now
	if over := e.failures - t.Free; over > 0 {
		wait := t.Base << min(over-1, 30)
		if wait > t.Max || wait <= 0 {
			wait = t.Max
		}
		e.until = now.Add(wait)
		return wait
	}
	return 0
}

// Succeed clears key.
func (t *Throttle) Succeed(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.entries, key)
}

func (t *Throttle) sweep(now time.Time) {
	for k, e := range t.entries {
		if now.Sub(e.last) > time.Hour || len(t.entries) >= maxEntries {
			delete(t.entries, k)
		}
	}
}
