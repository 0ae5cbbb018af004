package store

import (
	"strconv"
	"testing"
)

// The feed's memo keeps what it makes once for the snapshot and the day,
// starts again on a new day, and keeps nothing more once it holds
// dirMemoBytes, so a stream of different queries cannot fill memory.
func TestDirectoryMemoIsBounded(t *testing.T) {
	v := DirView{&dirSnapshot{}}
	builds := 0
	get := func(day, key string, size int) {
		v.Memo(day, key, func() []byte { builds++; return make([]byte, size) })
	}
	get("2026-11-20", "a", 10)
	get("2026-11-20", "a", 10)
	if builds != 1 {
		t.Fatalf("built %d times for one key on one day, want once", builds)
	}
	get("2026-11-21", "a", 10)
	if builds != 2 {
		t.Fatalf("built %d times: a new day must make it afresh", builds)
	}
	const chunk = 1 << 20
	for i := range dirMemoBytes/chunk + 2 {
		get("2026-11-21", "page"+strconv.Itoa(i), chunk)
	}
	if got := v.s.memo.Load().bytes.Load(); got < dirMemoBytes {
		t.Fatalf("memo holds %d bytes after filling", got)
	}
	builds = 0
	get("2026-11-21", "late", 10)
	get("2026-11-21", "late", 10)
	if builds != 2 {
		t.Errorf("a full memo kept a new key (built %d times, want 2: used, not kept)", builds)
	}
	kept := 0
	v.s.memo.Load().m.Range(func(_, b any) bool { kept += len(b.([]byte)); return true })
	if kept > dirMemoBytes {
		t.Errorf("memo keeps %d bytes, more than its cap of %d", kept, dirMemoBytes)
	}
}
