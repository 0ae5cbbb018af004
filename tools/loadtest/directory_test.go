package main

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"haven/internal/access"
)

// The directory phase sends every kind in its mix, near its share, and only
// requests the API answers with 200: ids it was given, real districts, and
// pages that exist.
func TestDirectoryTargets(t *testing.T) {
	w := &directoryWorld{services: []string{"3f2504e0-4f89-41d3-9a0c-0305e82c3301", "6fa459ea-ee8a-3ca4-894e-db77e160355e"},
		terms: []string{"a3bb189e-8bf9-3888-9912-ace4e6543002"}, pages: 20}
	tg := w.targeter(1, "http://haven.test")
	const n = 20000
	kinds := map[string]int{}
	for range n {
		var tt vegeta.Target
		if err := tg(&tt); err != nil {
			t.Fatal(err)
		}
		u, err := url.Parse(tt.URL)
		if err != nil || tt.Method != "GET" || !strings.HasPrefix(u.Path, "/openreferral/") {
			t.Fatalf("%s %s (%v)", tt.Method, tt.URL, err)
		}
		k := directoryKindOf(tt.URL)
		kinds[k]++
		q := u.Query()
		if id, ok := strings.CutPrefix(u.Path, "/openreferral/services/"); ok && !slices.Contains(w.services, id) {
			t.Errorf("%s: not a service it was given", tt.URL)
		}
		if q.Has("taxonomy_term_id") && !slices.Contains(w.terms, q.Get("taxonomy_term_id")) {
			t.Errorf("%s: not a term it was given", tt.URL)
		}
		if q.Has("postcode") {
			if _, ok := access.LookupPostcodeDistrict(q.Get("postcode")); !ok {
				t.Errorf("%s: not a postcode district", tt.URL)
			}
		}
		if q.Has("proximity") && !q.Has("postcode") {
			t.Errorf("%s: proximity with no postcode is a 400", tt.URL)
		}
		if pg, err := strconv.Atoi(q.Get("page")); q.Has("page") && (err != nil || pg < 1 || pg > w.pages) {
			t.Errorf("%s: beyond the last page", tt.URL)
		}
	}
	for _, m := range directoryMix {
		if got := kinds[m.kind] * 100; got < (m.weight-2)*n || got > (m.weight+2)*n {
			t.Errorf("%s: %d of %d requests, want about %d%%", m.kind, kinds[m.kind], n, m.weight)
		}
	}
	if len(kinds) != len(directoryMix) {
		t.Errorf("kinds sent %v, want the mix's %d", kinds, len(directoryMix))
	}
}
