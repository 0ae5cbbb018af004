package auth

import (
	"testing"
	"time"
)

// S6: failures slow guessing, reach a temporary lock, and never lock for ever.
func TestS6ThrottleBacksOffAndRecovers(t *testing.T) {
	th := NewThrottle()
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	for i := 1; i <= 5; i++ {
		if w := th.Fail("email:sam@example.org", now); w != 0 {
			t.Fatalf("failure %d waits %v, want none for the first five", i, w)
		}
	}
	if w := th.Fail("email:sam@example.org", now); w != time.Second {
		t.Errorf("sixth failure waits %v, want 1s", w)
	}
	if th.Wait("email:sam@example.org", now) == 0 {
		t.Error("no wait straight after a throttled failure")
	}
	for range 20 {
		th.Fail("email:sam@example.org", now)
	}
	if w := th.Wait("email:sam@example.org", now); w != 15*time.Minute {
		t.Errorf("after 26 failures the wait is %v, want the 15-minute lock", w)
	}
	if w := th.Wait("email:sam@example.org", now.Add(16*time.Minute)); w != 0 {
		t.Errorf("lock still in force after it ran out: %v", w)
	}
	if w := th.Wait("email:other@example.org", now); w != 0 {
		t.Errorf("another key is throttled: %v", w)
	}
	th.Succeed("email:sam@example.org")
	if w := th.Wait("email:sam@example.org", now); w != 0 {
		t.Errorf("success did not clear the key: %v", w)
	}
}
