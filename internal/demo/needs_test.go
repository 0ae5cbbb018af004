package demo

import (
	"testing"

	"haven/internal/measure"
)

// The national data set's needs are forms a practitioner could save (each
// passes measure.CheckNeeds against the one before), and between baseline
// and exit more women are in stable housing, in paid work and seeing their
// children, as the 2020 evaluation found.
func TestNationalNeedsShape(t *testing.T) {
	scales := map[string]Scale{"small": SmallScale()}
	if !testing.Short() {
		scales["national"] = NationalScale()
	}
	for name, sc := range scales {
		t.Run(name, func(t *testing.T) {
			o := outcomesOf(t, sc)
			var both, startYes, exitYes [3]int
			forms := 0
			for _, w := range o.n.women {
				prev := measure.PreviousNeeds{}
				var start, exit *measure.Needs
				for _, f := range o.n.needsOf(w) {
					forms++
					if err := measure.CheckNeeds(f, prev, o.n.asOf); err != nil {
						t.Fatalf("woman %d at %s: %v", w.id, f.Point, err)
					}
					for i, r := range f.Readings { // as measure.Earlier: her latest reading, known or not
						prev[measure.NeedDomains[i]] = measure.PreviousReading{Point: f.Point, Status: r.Status}
					}
					switch f.Point {
					case measure.Baseline:
						start = &f
					case measure.Exit:
						exit = &f
					}
				}
				if start == nil || exit == nil {
					continue
				}
				for k, pair := range [][2]measure.Fact{{start.StableHousing, exit.StableHousing}, {start.PaidWork, exit.PaidWork}, {start.ChildContact, exit.ChildContact}} {
					if pair[0] == measure.FactNotKnown || pair[1] == measure.FactNotKnown {
						continue
					}
					both[k]++
					if pair[0] == measure.Yes {
						startYes[k]++
					}
					if pair[1] == measure.Yes {
						exitYes[k]++
					}
				}
			}
			if forms == 0 {
				t.Fatal("no needs forms")
			}
			for k, name := range []string{"stable housing", "paid work", "contact"} {
				if both[k] < 20 || exitYes[k] <= startYes[k] {
					t.Errorf("%s: %d of %d at baseline, %d at exit; want a rise over at least 20 women", name, startYes[k], both[k], exitYes[k])
				}
			}
		})
	}
}
