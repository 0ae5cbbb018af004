package storetest

import (
	"strings"
	"testing"
)

// The CI guard must name a store test that reached only one database.
func TestOneSidedRunsAreReported(t *testing.T) {
	runs := map[string]map[string]bool{
		"TestBoth":       {"sqlite": true, "postgres": true},
		"TestOnlySQLite": {"sqlite": true},
		"TestOnlyPG":     {"postgres": true},
	}
	got := oneSided(runs)
	if len(got) != 2 || !strings.Contains(got[0], "TestOnlyPG") || !strings.Contains(got[1], "TestOnlySQLite") {
		t.Errorf("oneSided = %q, want the two one-sided tests", got)
	}
	if got := oneSided(map[string]map[string]bool{"TestBoth": {"sqlite": true, "postgres": true}}); len(got) != 0 {
		t.Errorf("oneSided reported %q for a test that ran on both", got)
	}
}
