package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"haven/internal/store/storetest"
	"haven/internal/web"
)

// FuzzCalculatorPages sends any query to the two calculator pages: the
// answer is the page with its results (200) or an error summary whose every
// link reaches its field (422), never a 5xx; and nothing is stored, as the
// calculators store nothing.
func FuzzCalculatorPages(f *testing.F) {
	for _, s := range []struct {
		route uint8
		query string
	}{
		{0, ""}, {0, "supportBy=need&highShare=60"}, {0, "children=-1&support=%C2%A37%2C857&years=26&discount=3.5%25"},
		{0, "supportBy=sometimes&baseline=1e3"}, {0, "children=%ff%00&withSupport=99.999"}, {0, "years=&years=4&%zz"},
		{1, ""}, {1, "careCost=40000&programmeCost=300000"}, {1, "careCost=&programmeCost=1"}, {1, "careCost=1,000,00&avoided=14.4.4"},
	} {
		f.Add(s.route, s.query)
	}
	// No demo data: the calculators read nothing from the database.
	s, err := web.NewServer(web.Options{Store: storetest.SQLite(f)})
	if err != nil {
		f.Fatal(err)
	}
	ts := httptest.NewServer(s)
	f.Cleanup(ts.Close)
	f.Fuzz(func(t *testing.T, route uint8, query string) {
		path := []string{"/calculators/return-home", "/calculators/infant-care"}[int(route)%2]
		req, err := http.NewRequest(http.MethodGet, ts.URL+path+"?"+query, nil)
		if err != nil {
			t.Skip() // not a URL a browser could send
		}
		res, err := ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusUnprocessableEntity && res.StatusCode != http.StatusBadRequest {
			t.Fatalf("%s?%s: status %d", path, query, res.StatusCode)
		}
		checkPage(t, path+"?"+query, fuzzResponse{res.StatusCode, res.Header, body}, 0, 0)
		if res.StatusCode == http.StatusOK && strings.Contains(string(body), "govuk-error-summary") {
			t.Fatalf("%s?%s: 200 with an error summary", path, query)
		}
	})
}
