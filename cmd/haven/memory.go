package main

import "runtime/debug"

// Haven's live heap is small (tens of MiB) and most of what a request
// allocates dies with it, so collecting at 4× the live heap, not Go's
// default 2×, spends far less CPU on garbage collection. The soft memory
// limit makes the collector work harder before the heap could push the
// process past the national budget of 300 MiB resident. GOGC and
// GOMEMLIMIT in the environment still win, as Go documents.
const (
	gcPercent   = 400
	memoryLimit = 224 << 20
)

func tuneMemory(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
}
