package web

import (
	"errors"
	"net/url"
	"slices"
	"testing"

	"haven/internal/directory"
)

// FuzzOpenReferralQuery: the Open Referral API's query parser, fed any
// query string. It either refuses naming one of the parameters it reads, or
// gives a query the store can run as it stands: a page from 1, 1 to 100 a
// page, UUIDs where ids go, a proximity only with a place, in range. Seeds
// are in testdata/fuzz/FuzzOpenReferralQuery.
func FuzzOpenReferralQuery(f *testing.F) {
	params := []string{"page", "per_page", "search", "taxonomy_term_id", "organization_id", "modified_after", "minimal", "postcode", "proximity"}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return // the server answers a malformed query string before any handler
		}
		q, err := parseORQuery(v)
		if err != nil {
			pe, ok := errors.AsType[*paramError](err)
			if !ok || !slices.Contains(params, pe.param) || pe.message == "" {
				t.Fatalf("%q: refused with %v, which names no parameter", raw, err)
			}
			return
		}
		switch {
		case q.Page < 1 || q.PerPage < 1 || q.PerPage > directory.MaxPerPage:
			t.Fatalf("%q: page %d, per page %d", raw, q.Page, q.PerPage)
		case q.Offset() < 0:
			t.Fatalf("%q: offset %d", raw, q.Offset())
		case q.TermID != "" && !directory.ValidID(q.TermID), q.OrganisationID != "" && !directory.ValidID(q.OrganisationID):
			t.Fatalf("%q: ids %q, %q", raw, q.TermID, q.OrganisationID)
		case q.Proximity != 0 && (q.Near == nil || !(q.Proximity > 0 && q.Proximity <= orMaxProximity)):
			t.Fatalf("%q: proximity %v near %v", raw, q.Proximity, q.Near)
		case q.Near != nil && (q.Near.Latitude < 49 || q.Near.Latitude > 61 || q.Near.Longitude < -9 || q.Near.Longitude > 2):
			t.Fatalf("%q: a place outside Great Britain: %+v", raw, q.Near)
		case len([]rune(q.Search)) > orMaxSearch:
			t.Fatalf("%q: search of %d characters", raw, len([]rune(q.Search)))
		}
		if _, ok := v["postcode"]; ok != (q.Near != nil) {
			t.Fatalf("%q: postcode given %v, place %v", raw, ok, q.Near)
		}
	})
}
