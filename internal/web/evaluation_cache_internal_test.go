package web

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"haven/internal/evaluate"
)

func TestEvalCacheKeepsATableForItsTime(t *testing.T) {
	start := time.Date(2026, 12, 7, 19, 0, 0, 0, time.UTC)
	var builds atomic.Int32
	build := func() (evaluate.Outcomes, error) {
		n := builds.Add(1)
		return evaluate.Outcomes{Rows: []evaluate.OutcomeRow{{Key: "build", Name: string(rune('0' + n))}}}, nil
	}
	steps := []struct {
		name   string
		key    string
		at     time.Duration
		builds int32
		from   time.Duration // when the table returned was worked out
	}{
		{"first view builds", "a", 0, 1, 0},
		{"within five minutes is kept", "a", 4*time.Minute + 59*time.Second, 1, 0},
		{"another filter builds its own", "b", time.Minute, 2, time.Minute},
		{"at five minutes it is built again", "a", 5 * time.Minute, 3, 5 * time.Minute},
		{"a clock set back builds again", "a", 4 * time.Minute, 4, 4 * time.Minute},
	}
	c := newEvalCache(5 * time.Minute)
	for _, s := range steps {
		o, at, err := c.get(s.key, start.Add(s.at), build)
		if err != nil || builds.Load() != s.builds || !at.Equal(start.Add(s.from)) || len(o.Rows) != 1 {
			t.Errorf("%s: builds %d (want %d), worked out at %v (want %v), err %v", s.name, builds.Load(), s.builds, at, start.Add(s.from), err)
		}
	}
}

func TestEvalCacheOff(t *testing.T) {
	var builds int
	c := newEvalCache(0)
	now := time.Now()
	for range 3 {
		c.get("a", now, func() (evaluate.Outcomes, error) { builds++; return evaluate.Outcomes{}, nil })
	}
	if builds != 3 {
		t.Errorf("with no cache time, %d builds for 3 views", builds)
	}
}

func TestEvalCacheKeepsNoFailure(t *testing.T) {
	c := newEvalCache(time.Minute)
	now := time.Now()
	fail := errors.New("database gone")
	if _, _, err := c.get("a", now, func() (evaluate.Outcomes, error) { return evaluate.Outcomes{}, fail }); !errors.Is(err, fail) {
		t.Fatalf("err %v", err)
	}
	built := false
	if _, _, err := c.get("a", now, func() (evaluate.Outcomes, error) { built = true; return evaluate.Outcomes{}, nil }); err != nil || !built {
		t.Errorf("a failure was kept: err %v, built %v", err, built)
	}
}

// Views that arrive while the table is being built wait for that build
// rather than each reading the whole country again.
func TestEvalCacheBuildsOnceForViewsAtOnce(t *testing.T) {
	c := newEvalCache(time.Minute)
	now := time.Now()
	var builds atomic.Int32
	release := make(chan struct{})
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			c.get("a", now, func() (evaluate.Outcomes, error) {
				builds.Add(1)
				<-release
				return evaluate.Outcomes{}, nil
			})
		})
	}
	time.Sleep(50 * time.Millisecond)
	close(release)
	wg.Wait()
	if builds.Load() != 1 {
		t.Errorf("%d builds for 8 views at once", builds.Load())
	}
}

func TestEvalCacheStaysBounded(t *testing.T) {
	c := newEvalCache(time.Hour)
	now := time.Now()
	for i := range 3 * evalCacheSize {
		c.get(time.Duration(i).String(), now.Add(time.Duration(i)), func() (evaluate.Outcomes, error) { return evaluate.Outcomes{}, nil })
	}
	if len(c.entries) > evalCacheSize {
		t.Errorf("%d tables kept, at most %d", len(c.entries), evalCacheSize)
	}
	if _, ok := c.entries[time.Duration(3*evalCacheSize-1).String()]; !ok {
		t.Error("the newest table was evicted")
	}
}
