package web

import "haven/internal/evaluate"

// extractTemplateCases are the evaluation extract's pages for TestEveryTemplateRenders.
func extractTemplateCases() map[string]struct {
	p    page
	want string
} {
	return map[string]struct {
		p    page
		want string
	}{
		"evaluation-extract.html": {&extractPage{Layout: Layout{Title: "Extract"}, Scope: "Riverside <Practice>",
			Columns: evaluate.BuildExtract(evaluate.ExtractInput{Outcomes: outcomeCodes()}).Columns}, `<code>days_to_next_proceedings</code>`},
	}
}
