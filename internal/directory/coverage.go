package directory

import "slices"

// Coverage (issue 20 items 2 and 5): which authorities a service covers, as
// the public map draws it and as commissioners count it. One rule for both,
// so the map and the commissioners' tables never disagree.

// Covers says whether a service with this status counts towards its areas'
// coverage: open or about to be (active, temporarily closed, in
// development). Inactive and defunct services cover nobody.
func (s Status) Covers() bool {
	return s == StatusActive || s == StatusTempClosed || s == StatusInDevelopment
}

// CoveringStatuses are the statuses that count, in the form's order.
func CoveringStatuses() []Status {
	var out []Status
	for _, s := range Statuses {
		if s.Covers() {
			out = append(out, s)
		}
	}
	return out
}

// IsPause says a service is a Pause Practice: a Haven Practice, or tagged
// with the model.
func (s Service) IsPause() bool {
	return s.PracticeID != 0 || slices.Contains(s.Terms, PausePracticeTerm)
}

// AreaCover is what covers one upper-tier authority.
type AreaCover struct {
	Services int  // covering services that list it among their areas
	Pause    bool // one of them is a Pause Practice
}

// CoverByArea is each authority's cover by ONS code, from every covering
// service among ss. An authority no covering service lists is absent.
func CoverByArea(ss []Service) map[string]AreaCover {
	out := map[string]AreaCover{}
	for _, s := range ss {
		if !s.Status.Covers() {
			continue
		}
		for _, code := range s.ServiceAreas {
			c := out[code]
			c.Services++
			c.Pause = c.Pause || s.IsPause()
			out[code] = c
		}
	}
	return out
}

// Tally is one line of a commissioners' table: how many services have
// something, among the covering services and among all of them.
type Tally struct {
	Label         string
	Covering, All int
}

// NotRecorded labels the services a table's taxonomy says nothing about.
const NotRecorded = "Not recorded"

// Summary is the directory counted for commissioners. Services are not
// people, so nothing is suppressed.
type Summary struct {
	Services, Covering int // every service, and those whose status covers
	ByStatus           []Tally
	ByFunding          []Tally
	// ByTaxonomy has one table for each taxonomy in SummaryTaxonomies, in
	// that order: its terms, then NotRecorded. A service may carry more than
	// one term of a taxonomy that allows many, so those rows may add up to
	// more than the services.
	ByTaxonomy []TaxonomyTally
}

// TaxonomyTally is one taxonomy's table.
type TaxonomyTally struct {
	Taxonomy Taxonomy
	Rows     []Tally
}

// SummaryTaxonomies are the taxonomy codes commissioners count by (issue 20
// item 5): model, host, who is supported (are fathers offered support) and
// the reproductive-health offer.
var SummaryTaxonomies = []string{"model", "host", "who-is-supported", "reproductive-health"}

// TaxonomyByCode finds a taxonomy by its code, the last part of its name.
func TaxonomyByCode(code string) (Taxonomy, bool) {
	id := uuid5(namespace + code)
	i := slices.IndexFunc(Taxonomies, func(t Taxonomy) bool { return t.ID == id })
	if i < 0 {
		return Taxonomy{}, false
	}
	return Taxonomies[i], true
}

// termsOf are a service's terms as commissioners count them: a Haven
// Practice is a Pause Practice even if its entry was never tagged.
func termsOf(s Service) []string {
	if s.PracticeID != 0 && !slices.Contains(s.Terms, PausePracticeTerm) {
		return append(slices.Clone(s.Terms), PausePracticeTerm)
	}
	return s.Terms
}

// Summarise counts ss by status, funding and each of SummaryTaxonomies.
func Summarise(ss []Service) Summary {
	var sum Summary
	count := func(t *Tally, s Service) {
		t.All++
		if s.Status.Covers() {
			t.Covering++
		}
	}
	for _, st := range Statuses {
		sum.ByStatus = append(sum.ByStatus, Tally{Label: st.Label()})
	}
	sum.ByFunding = []Tally{{Label: "National"}, {Label: "Local"}, {Label: NotRecorded}}
	for _, code := range SummaryTaxonomies {
		tax, _ := TaxonomyByCode(code)
		tt := TaxonomyTally{Taxonomy: tax}
		for _, term := range tax.Terms {
			tt.Rows = append(tt.Rows, Tally{Label: term.Name})
		}
		tt.Rows = append(tt.Rows, Tally{Label: NotRecorded})
		sum.ByTaxonomy = append(sum.ByTaxonomy, tt)
	}
	for _, s := range ss {
		sum.Services++
		if s.Status.Covers() {
			sum.Covering++
		}
		if i := slices.Index(Statuses, s.Status); i >= 0 {
			count(&sum.ByStatus[i], s)
		}
		switch s.Funding {
		case FundingNational:
			count(&sum.ByFunding[0], s)
		case FundingLocal:
			count(&sum.ByFunding[1], s)
		default:
			count(&sum.ByFunding[2], s)
		}
		terms := termsOf(s)
		for k := range sum.ByTaxonomy {
			tt := &sum.ByTaxonomy[k]
			tagged := false
			for i, term := range tt.Taxonomy.Terms {
				if slices.Contains(terms, term.ID) {
					count(&tt.Rows[i], s)
					tagged = true
				}
			}
			if !tagged {
				count(&tt.Rows[len(tt.Rows)-1], s)
			}
		}
	}
	return sum
}
