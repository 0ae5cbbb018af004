package store_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"haven/internal/directory"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// The commissioners' figures (issue 20 item 5), from services written to and
// read back from each database: seedDirectory's three services and its
// Practice, and a defunct NHS FDAC service in Manchester with national
// funding that works with fathers and couples and offers reproductive
// health support. The defunct one is counted among all services but covers
// nowhere.
func TestDirectoryCoverageFigures(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		f := seedDirectory(t, db)
		if _, err := db.CreateService(ctx, directory.Service{OrganisationID: f.orgB.ID, Funding: directory.FundingNational,
			Entry: directory.Entry{Name: "Derwent FDAC", Description: "Closed.", Status: directory.StatusDefunct, HowToRefer: "No longer.",
				ServiceAreas: []string{"E08000003"}, Terms: []string{dirTerm("Service model", "fdac"), dirTerm("Host", "nhs"),
					dirTerm("Who is supported", "fathers"), dirTerm("Who is supported", "couples"), dirTerm("Reproductive health offer", "offered")}}}, "test"); err != nil {
			t.Fatal(err)
		}
		all, total, err := db.ListServices(ctx, directory.Query{Page: 1, PerPage: directory.MaxPerPage})
		if err != nil || total != 5 {
			t.Fatalf("%d services, %v", total, err)
		}
		type tally = directory.Tally
		tl := func(label string, covering, all int) tally { return tally{Label: label, Covering: covering, All: all} }
		sum := directory.Summarise(all)
		if sum.Services != 5 || sum.Covering != 4 {
			t.Errorf("services %d, covering %d; want 5, 4", sum.Services, sum.Covering)
		}
		want := map[string][]tally{
			"status":  {tl("Active", 3, 3), tl("Temporarily closed", 0, 0), tl("In development", 1, 1), tl("Inactive", 0, 0), tl("Defunct", 0, 1)},
			"funding": {tl("National", 0, 1), tl("Local", 1, 1), tl("Not recorded", 3, 3)},
			// The Practice is a Pause Practice by its entry's term.
			"Service model": {tl("Pause Practice", 2, 2), tl("Family Drug and Alcohol Court", 0, 1), tl("Locally developed service", 0, 0), tl("Not recorded", 2, 2)},
			"Host":          {tl("Local authority", 0, 0), tl("Third sector", 0, 0), tl("NHS", 0, 1), tl("Not recorded", 4, 4)},
			// Derwent is counted under both fathers and couples.
			"Who is supported":          {tl("Mothers", 2, 2), tl("Fathers", 1, 2), tl("Couples", 0, 1), tl("Not recorded", 1, 1)},
			"Reproductive health offer": {tl("Offered", 0, 1), tl("Arranged with another service", 0, 0), tl("Not offered", 0, 0), tl("Not recorded", 4, 4)},
		}
		got := map[string][]tally{"status": sum.ByStatus, "funding": sum.ByFunding}
		for _, tt := range sum.ByTaxonomy {
			got[tt.Taxonomy.Name] = tt.Rows
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("tallies (-want +got):\n%s", d)
		}
		cover := directory.CoverByArea(all)
		wantCover := map[string]directory.AreaCover{"E08000035": {Services: 2, Pause: true}, "E06000014": {Services: 1}, "E06000001": {Services: 1, Pause: true}}
		if d := cmp.Diff(wantCover, cover); d != "" {
			t.Errorf("cover by area (-want +got):\n%s", d)
		}
	})
}
