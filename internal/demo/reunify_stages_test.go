package demo_test

import (
	"testing"

	"haven/internal/access"
	"haven/internal/demo"
	"haven/internal/reunify"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// The demo LA team has a case at every point a tester needs to see: two
// awaiting the manager's sign-off, cases part-way through, a child home in
// support, a closed case and an alternative permanence, each taken there
// through the workflow's own rules.
func TestDemoLAStages(t *testing.T) {
	db := storetest.SQLite(t)
	sum, err := demo.Seed(t.Context(), db, cheap)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]reunify.Stage{
		"ST-01": reunify.StageIdentification, "ST-02": reunify.StageChronology, "ST-03": reunify.StageDecision2,
		"ST-04": reunify.StageDecision2, "ST-05": reunify.StageDecision3, "ST-06": reunify.StagePanel,
		"ST-07": reunify.StageSupport, "ST-08": reunify.StageClosed, "ST-09": reunify.StageAlternative,
	}
	rows, err := db.SearchLAChildren(t.Context(), sum.LATeam.ID, "ST-", store.Page{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, row := range rows {
		stage, ok := want[row.Child.Ref]
		if !ok {
			continue
		}
		seen++
		c, found, err := db.CurrentReunification(t.Context(), row.Child.ID)
		if err != nil || !found || c.Stage != stage {
			t.Errorf("%s: case %+v (%v, %v), want stage %s", row.Child.Ref, c, found, err, stage)
		}
	}
	if seen != len(want) {
		t.Fatalf("%d of %d staged children found", seen, len(want))
	}
	var manager int64
	for _, a := range sum.Accounts {
		if a.Role == access.RoleLAManager && a.Tenant == sum.LATeam.Slug {
			manager = a.UserID
		}
	}
	waiting, err := db.AwaitingSignOff(t.Context(), sum.LATeam.ID, manager)
	if err != nil || len(waiting) != 2 {
		t.Errorf("awaiting sign-off: %d, %v; want 2", len(waiting), err)
	}
}
