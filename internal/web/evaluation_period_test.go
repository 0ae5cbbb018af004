package web

import (
	"testing"

	"haven/internal/haven"
)

// The filter's cohort and dates become one span of dates for the database;
// a cohort that misses the dates counts nobody.
func TestEvalFilterPeriod(t *testing.T) {
	d := haven.NewDate
	for _, tc := range []struct {
		name     string
		f        evalFilter
		from, to haven.Date
		ok       bool
	}{
		{"open", evalFilter{}, haven.Date{}, haven.Date{}, true},
		{"dates", evalFilter{From: d(2023, 3, 1), To: d(2024, 2, 29)}, d(2023, 3, 1), d(2024, 2, 29), true},
		{"from only", evalFilter{From: d(2023, 3, 1)}, d(2023, 3, 1), haven.Date{}, true},
		{"cohort", evalFilter{Cohort: 2024}, d(2024, 1, 1), d(2024, 12, 31), true},
		{"cohort inside dates", evalFilter{Cohort: 2024, From: d(2023, 6, 1), To: d(2025, 6, 1)}, d(2024, 1, 1), d(2024, 12, 31), true},
		{"cohort cut by dates", evalFilter{Cohort: 2024, From: d(2024, 4, 1), To: d(2024, 9, 30)}, d(2024, 4, 1), d(2024, 9, 30), true},
		{"cohort cut at one end", evalFilter{Cohort: 2024, To: d(2024, 1, 1)}, d(2024, 1, 1), d(2024, 1, 1), true},
		{"cohort after the dates", evalFilter{Cohort: 2025, To: d(2024, 12, 31)}, d(2025, 1, 1), d(2024, 12, 31), false},
		{"cohort before the dates", evalFilter{Cohort: 2022, From: d(2023, 1, 1)}, d(2023, 1, 1), d(2022, 12, 31), false},
	} {
		from, to, ok := tc.f.period()
		if from != tc.from || to != tc.to || ok != tc.ok {
			t.Errorf("%s: period() = %s, %s, %v; want %s, %s, %v", tc.name, from, to, ok, tc.from, tc.to, tc.ok)
		}
	}
}
