package directory

import (
	"slices"
	"testing"
)

// What covers an area, and what commissioners count, by one rule: open or
// about to open; a Haven Practice is a Pause Practice even untagged.
func TestCoverage(t *testing.T) {
	if got := CoveringStatuses(); !slices.Equal(got, []Status{StatusActive, StatusTempClosed, StatusInDevelopment}) {
		t.Errorf("covering statuses %v", got)
	}
	ss := []Service{
		{PracticeID: 7, Entry: Entry{Status: StatusActive, ServiceAreas: []string{"E06000001"}}},                                // untagged Practice
		{Entry: Entry{Status: StatusInactive, ServiceAreas: []string{"E06000002"}, Terms: []string{PausePracticeTerm}}},         // not covering
		{Entry: Entry{Status: StatusInDevelopment, ServiceAreas: []string{"E06000001", "E06000003"}}, Funding: FundingNational}, // covering, untagged
	}
	cover := CoverByArea(ss)
	if len(cover) != 2 || cover["E06000001"] != (AreaCover{Services: 2, Pause: true}) || cover["E06000003"] != (AreaCover{Services: 1}) {
		t.Errorf("cover %+v", cover)
	}
	sum := Summarise(ss)
	model := sum.ByTaxonomy[0]
	if model.Taxonomy.Name != "Service model" || model.Rows[0] != (Tally{"Pause Practice", 1, 2}) || model.Rows[3] != (Tally{NotRecorded, 1, 1}) {
		t.Errorf("model %+v", model)
	}
	if sum.ByFunding[0] != (Tally{"National", 1, 1}) || sum.ByFunding[2] != (Tally{NotRecorded, 1, 2}) {
		t.Errorf("funding %+v", sum.ByFunding)
	}
	if ss[0].Terms != nil {
		t.Errorf("counting changed the Practice's terms: %v", ss[0].Terms)
	}
}
