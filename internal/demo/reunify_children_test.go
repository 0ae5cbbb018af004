package demo_test

import (
	"testing"

	"haven/internal/demo"
	"haven/internal/reunify"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// The demo LA team has looked-after children whose histories show what the
// reunification pages are for: looked after under C2 or V2 in foster care,
// a return home that held (E4A), one that broke down (E4B, then S again),
// and a child placed with parents (P1).
func TestDemoLAChildren(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		sum, err := demo.Seed(t.Context(), db, cheap)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := db.SearchLAChildren(t.Context(), sum.LATeam.ID, "", store.Page{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) < 8 {
			t.Fatalf("%d demo LA children, want at least 8", len(rows))
		}
		var fostered, returned, reentered, withParents, people, views int
		for _, row := range rows {
			eps, err := db.LAEpisodes(t.Context(), row.Child.ID)
			if err != nil {
				t.Fatal(err)
			}
			for i, e := range eps {
				// Every history keeps the rules a worker's entries are held to.
				if err := reunify.CheckNewEpisode(eps[:i], e); err != nil {
					t.Errorf("%s episode %d: %v", row.Child.Ref, i, err)
				}
				switch {
				case e.Open() && (e.LegalStatus == "C2" || e.LegalStatus == "V2") && e.Placement[0] == 'U':
					fostered++
				case e.Open() && e.Placement == "P1":
					withParents++
				case e.REC == "E4A" && i == len(eps)-1:
					returned++
				case e.REC == "E4B" && i+1 < len(eps) && eps[i+1].RNE == "S":
					reentered++
				}
			}
			ps, _ := db.LAPeople(t.Context(), row.Child.ID)
			vs, _ := db.LAChildViews(t.Context(), row.Child.ID)
			people, views = people+len(ps), views+len(vs)
		}
		if fostered < 3 || returned < 1 || reentered < 1 || withParents < 1 || people < 8 || views < 8 {
			t.Errorf("fostered %d, returned home %d, re-entered %d, with parents %d, people %d, views %d", fostered, returned, reentered, withParents, people, views)
		}
	})
}
