package web

import (
	"time"

	"haven/internal/evaluate"
	"haven/internal/haven"
	"haven/internal/reunify"
	"haven/internal/store"
)

// reunifyDataTemplateCases render the import and dashboard pages in their
// states: a report of problems, a clean check, and a dashboard with figures.
func reunifyDataTemplateCases() map[string]struct {
	p    page
	want string
} {
	rejected := store.ImportResult{Problems: reunify.Problems{{Row: 3, Column: "DECOM", Value: "<31/02/2024>", Why: "Enter the date"}}}
	rs := []reunify.Return{}
	for i := range 12 {
		r := reunify.Return{Child: int64(i), On: haven.NewDate(2023, 6, 1), REC: "E4A"}
		if i < 5 {
			r.ReEntry = haven.NewDate(2023, 7, 1)
		}
		rs = append(rs, r)
	}
	d := reunify.BuildDashboard(rs, nil, haven.NewDate(2026, 3, 31), evaluate.Settings{})
	dash := &laDashboardPage{Layout: Layout{Title: "Returns home"}, Dashboard: d, Source: reunify.NationalReEntrySource}
	dash.YearChart = barsOf("years", "Returns", "desc", []bar{{Label: "2023 to 2024", Value: "12"}}, []float64{12}, 12)
	return map[string]struct {
		p    page
		want string
	}{
		"reunify-imports.html": {&importsPage{Layout: Layout{Title: "Import"}, Result: &rejected, Rejected: "1 row of the file has a problem: nothing was imported",
			Problems: problemsOf(rejected.Problems), Columns: reunify.EpisodeColumns,
			Previous: []store.ImportResult{{ID: 1, At: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC), SHA256: "abcdef0123456789abcdef", Rows: 1200, ByName: "Sam <Worker>"}}},
			"Sam &lt;Worker&gt;"},
		"reunify-dashboard.html": {dash, "42%"}, // 5 of 12 back within 3 months
	}
}
