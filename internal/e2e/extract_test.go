package e2e

import "haven/internal/access"

// The evaluation extract's page (issue 17 item 8): its dictionary is a wide
// table, so it is checked at 320 px too.
func init() {
	pages = append(pages,
		pageCase{name: "the evaluation extract for a lead", journey: roleVisit(access.RolePracticeLead, riverside, "/evaluation/extract"), status: 200, want: "days_to_next_proceedings"},
	)
}
