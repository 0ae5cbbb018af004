package store_test

import (
	"errors"
	"testing"

	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// Saved calculator scenarios: saved, listed newest first by calculator,
// names unique per team and calculator whatever their case and spacing,
// every save and delete audited, and one team never sees, reads or deletes
// another's.
func TestCalculatorScenarios(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		a, b := twoLATeams(t, db)
		ev := audit.Event{}
		save := func(team int64, calc, name, q string) (store.CalculatorScenario, error) {
			return db.SaveCalculatorScenario(ctx, ev, store.CalculatorScenario{Team: team, Calculator: calc, Name: name, Query: q})
		}
		first, err := save(a.ID, "return-home", "  Base   case ", "children=100&years=3")
		if err != nil || first.ID == 0 || first.Name != "Base case" || first.SavedAt.IsZero() {
			t.Fatalf("save: %+v, %v", first, err)
		}
		second, err := save(a.ID, "infant-care", "Base case", "careCost=60000&programmeCost=500000")
		if err != nil {
			t.Fatalf("the same name for the other calculator: %v", err)
		}
		if _, err := save(b.ID, "return-home", "Base case", "children=7"); err != nil {
			t.Fatalf("the same name in another team: %v", err)
		}
		_, err = save(a.ID, "return-home", "BASE CASE", "children=5")
		if he, ok := errors.AsType[*haven.Error](err); !ok || he.Fields["name"] == "" {
			t.Errorf("a name taken: %v", err)
		}
		for _, bad := range []store.CalculatorScenario{
			{Team: a.ID, Calculator: "payroll", Name: "x", Query: "a=1"},
			{Team: a.ID, Calculator: "return-home", Name: "   ", Query: "a=1"},
			{Team: a.ID, Calculator: "return-home", Name: "x", Query: ""},
		} {
			if _, err := db.SaveCalculatorScenario(ctx, ev, bad); haven.KindOf(err) != haven.KindInvalid {
				t.Errorf("%+v saved: %v", bad, err)
			}
		}

		list := func(team int64, calc string) []store.CalculatorScenario {
			t.Helper()
			got, err := db.CalculatorScenarios(ctx, team, calc)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		if got := list(a.ID, ""); len(got) != 2 || got[0].ID != second.ID || got[1].ID != first.ID {
			t.Errorf("team A, both calculators: %+v", got)
		}
		if got := list(a.ID, "return-home"); len(got) != 1 || got[0].Query != "children=100&years=3" || got[0].Team != a.ID {
			t.Errorf("team A, return home: %+v", got)
		}
		if got := list(b.ID, ""); len(got) != 1 || got[0].Query != "children=7" {
			t.Errorf("team B sees %+v", got)
		}

		// Another team's scenario is not found, to read or to delete.
		if _, err := db.CalculatorScenario(ctx, b.ID, first.ID); !errors.Is(err, haven.ErrNotFound) {
			t.Errorf("team B reads team A's scenario: %v", err)
		}
		if err := db.DeleteCalculatorScenario(ctx, ev, b.ID, first.ID); !errors.Is(err, haven.ErrNotFound) {
			t.Errorf("team B deletes team A's scenario: %v", err)
		}
		if got, err := db.CalculatorScenario(ctx, a.ID, first.ID); err != nil || got.Name != "Base case" {
			t.Errorf("team A reads its own: %+v, %v", got, err)
		}
		if err := db.DeleteCalculatorScenario(ctx, ev, a.ID, first.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteCalculatorScenario(ctx, ev, a.ID, first.ID); !errors.Is(err, haven.ErrNotFound) {
			t.Errorf("deleted twice: %v", err)
		}
		if got := list(a.ID, ""); len(got) != 1 || got[0].ID != second.ID {
			t.Errorf("after the delete: %+v", got)
		}
		// The name is free again once its scenario is deleted.
		if _, err := save(a.ID, "return-home", "Base case", "children=1"); err != nil {
			t.Errorf("the name again: %v", err)
		}

		if err := db.AuditCalculatorScenarios(ctx, ev, a.ID, "list"); err != nil {
			t.Fatal(err)
		}
		evs, err := db.SearchAudit(ctx, store.AuditFilter{RecordType: "calculator-scenario", Page: store.Page{Limit: 50}})
		if err != nil {
			t.Fatal(err)
		}
		count := map[audit.Action]int{}
		for _, e := range evs {
			count[e.Action]++
		}
		// Four saves (one per team's first, the other calculator, the name
		// again), one delete, one view of the list; refusals write nothing.
		if count[audit.Create] != 4 || count[audit.Delete] != 1 || count[audit.View] != 1 {
			t.Errorf("audit rows %v", count)
		}
	})
}

func TestScenarioNameKey(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"Base case", "base case"},
		{"  BASE \t case ", "base case"},
		{"Leeds 2025–26", "leeds 2025–26"},
	} {
		if got := store.ScenarioNameKey(tt.in); got != tt.want {
			t.Errorf("ScenarioNameKey(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
