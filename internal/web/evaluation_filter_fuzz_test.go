package web

import (
	"net/url"
	"testing"

	"haven/internal/haven"
)

// FuzzEvalFilter: the evaluation API's query parser (issue 17 item 10).
// Whatever the query, it never panics, names only its own parameters in
// its errors, and a filter it accepts is in range and reads back the same
// from its own query.
func FuzzEvalFilter(f *testing.F) {
	for _, s := range []string{"", "practice=12", "cohort=2023", "from=2024-01-01&to=2024-12-31", "cohort=abc", "practice=-1", "practice=01",
		"from=2024-02-30", "to=2024-01-01&from=2025-01-01", "cohort=2023&cohort=2024", "practice=9223372036854775808", "from=%zz", "cohort=%E2%80%AE2023"} {
		f.Add(s)
	}
	today := haven.NewDate(2026, 11, 23)
	params := map[string]bool{"practice": true, "cohort": true, "from": true, "to": true}
	f.Fuzz(func(t *testing.T, raw string) {
		q, _ := url.ParseQuery(raw)
		filter, errs := parseEvalFilter(q, today)
		for k, msg := range errs {
			if !params[k] || msg == "" {
				t.Fatalf("error for %q: %q", k, msg)
			}
		}
		if filter.Practice < 0 || filter.Cohort != 0 && (filter.Cohort < firstCohort || filter.Cohort > 2026) {
			t.Fatalf("accepted out of range: %+v", filter)
		}
		if !filter.From.IsZero() && !filter.To.IsZero() && filter.To.Before(filter.From) {
			t.Fatalf("to before from accepted: %+v", filter)
		}
		if len(errs) == 0 {
			again, errs2 := parseEvalFilter(filter.Query(), today)
			if len(errs2) != 0 || again != filter {
				t.Fatalf("%q: %+v reads back as %+v, %v", raw, filter, again, errs2)
			}
		}
		// The page's parser takes the same practice and cohort, and never panics.
		pf, perrs, _ := parseEvalPage(q, today)
		if (errs["practice"] == "") != (perrs["practice"] == "") || (errs["cohort"] == "") != (perrs["cohort"] == "") {
			t.Fatalf("%q: the page and the API disagree: %v / %v", raw, errs, perrs)
		}
		if perrs["practice"] == "" && pf.Practice != filter.Practice {
			t.Fatalf("%q: practice %d on the page, %d on the API", raw, pf.Practice, filter.Practice)
		}
	})
}
