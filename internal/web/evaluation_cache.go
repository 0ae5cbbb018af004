package web

import (
	"fmt"
	"sync"
	"time"

	"haven/internal/evaluate"
)

// evalCache keeps each filter's national outcome table for a few minutes: a
// Practice's dashboard must build the whole national table (so suppression
// holds across Practices), which costs about half a second nationally, and a
// lead's dashboard should not. It holds counts only, never anyone's record,
// and a page built from it says when its figures were worked out.
type evalCache struct {
	ttl     time.Duration
	mu      sync.Mutex
	entries map[string]*evalEntry
}

type evalEntry struct {
	done chan struct{} // closed once o and err are set
	at   time.Time
	o    evaluate.Outcomes
	err  error
}

// evalCacheSize bounds the filters kept: each is one table of counts.
const evalCacheSize = 64

func newEvalCache(ttl time.Duration) *evalCache {
	return &evalCache{ttl: ttl, entries: map[string]*evalEntry{}}
}

// get is the table for key, built by build if none is fresh. Requests that
// arrive while it is being built wait for that one build.
func (c *evalCache) get(key string, now time.Time, build func() (evaluate.Outcomes, error)) (evaluate.Outcomes, time.Time, error) {
	if c == nil || c.ttl <= 0 {
		o, err := build()
		return o, now, err
	}
	c.mu.Lock()
	e, ok := c.entries[key]
	if ok {
		select {
		case <-e.done:
			if now.Sub(e.at) >= c.ttl || now.Before(e.at) {
				ok = false
			}
		default: // being built: wait for it
		}
	}
	if !ok {
		c.evict(now)
		e = &evalEntry{done: make(chan struct{}), at: now}
		c.entries[key] = e
		c.mu.Unlock()
		e.o, e.err = build()
		if e.err != nil {
			c.mu.Lock()
			if c.entries[key] == e {
				delete(c.entries, key) // never keep a failure
			}
			c.mu.Unlock()
		}
		close(e.done)
		return e.o, e.at, e.err
	}
	c.mu.Unlock()
	<-e.done
	return e.o, e.at, e.err
}

// evict drops stale tables, then the oldest, to keep within evalCacheSize.
// The caller holds mu.
func (c *evalCache) evict(now time.Time) {
	for k, e := range c.entries {
		select {
		case <-e.done:
			if now.Sub(e.at) >= c.ttl {
				delete(c.entries, k)
			}
		default:
		}
	}
	for len(c.entries) >= evalCacheSize {
		var oldest string
		for k, e := range c.entries {
			if oldest == "" || e.at.Before(c.entries[oldest].at) {
				oldest = k
			}
		}
		delete(c.entries, oldest)
	}
}

// evalCacheKey names a table: the Practices in it, the period, the day it is
// judged on and the suppression threshold.
func evalCacheKey(ids []int64, f evalFilter, asOf fmt.Stringer, set evaluate.Settings) string {
	return fmt.Sprintf("%v|%d|%v|%v|%v|%d", ids, f.Cohort, f.From, f.To, asOf, set.Threshold)
}
