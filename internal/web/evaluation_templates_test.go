package web

import (
	"net/http/httptest"
	"strings"
	"testing"

	"haven/internal/access"
	"haven/internal/evaluate"
	"haven/internal/haven"
	"haven/internal/measure"
)

// recurrenceTemplatePage has every Practice together with enough women
// for the chart, an empty Practice, and the filter's choices.
func recurrenceTemplatePage() *recurrencePage {
	asOf := haven.NewDate(2026, 12, 1)
	var js []evaluate.Journey
	for i := range 1000 {
		index := asOf.Time().AddDate(0, 0, -300*(i%12)-30)
		j := evaluate.Journey{Person: int64(i), Practice: 1, BornOn: haven.NewDate(index.Year()-17-i%12, 1, 1), CareExperienced: []string{"yes", "no", "unknown"}[i%3],
			Proceedings: []evaluate.Proceedings{{IssuedOn: haven.NewDate(index.Year(), index.Month(), index.Day()), Index: true, Outcome: []string{"placement-order", "care-order", ""}[i%3]}}}
		if i%4 == 0 {
			n := index.AddDate(0, 0, 100+20*(i%60))
			if !asOf.Time().Before(n) {
				j.Proceedings = append(j.Proceedings, evaluate.Proceedings{IssuedOn: haven.NewDate(n.Year(), n.Month(), n.Day())})
			}
		}
		js = append(js, j)
	}
	// Practice Two has nobody: "too few to estimate", never a crash.
	rep := evaluate.BuildRecurrence([]evaluate.OutcomeGroup{{Key: "1", Name: "One <Practice>", Journeys: js}, {Key: "2", Name: "Two"}}, asOf, evaluate.Settings{})
	pooled := rep.Rows[len(rep.Rows)-1]
	return &recurrencePage{Layout: Layout{Title: "Recurrence"}, AsOf: asOf, Intro: "All.", Practices: rep.Rows[:2], Pooled: &pooled,
		Splits: evaluate.Splits, Benchmarks: evaluate.Benchmarks, Chart: newRecurrenceChart(pooled.All, "Every Practice together"), Threshold: evaluate.MinThreshold,
		Form: evalForm{Practices: []access.Practice{{ID: 1, Name: "One <Practice>"}}, Practice: 1, Cohort: formField{Name: "cohort", Label: "Cohort"},
			From: dateField{Name: "from", Label: "From"}, To: dateField{Name: "to", Label: "To"}}, APIPath: "/api/v1/evaluation/recurrence"}
}

// changeTemplatePage has a Practice with a PHQ-9 change shown and a small one hidden.
func changeTemplatePage() *changePage {
	var women [][]evaluate.Reading
	phq := func(total int) measure.Result {
		as := make([]measure.Answer, 9)
		for i := range as {
			as[i] = measure.A(min(3, total))
			total -= as[i].Value
		}
		r, _ := measure.Score(measure.PHQ9, as)
		return r
	}
	for i := range 14 {
		women = append(women, []evaluate.Reading{{Person: int64(i), Point: measure.Baseline, TakenOn: haven.NewDate(2024, 1, 1), Result: phq(15)},
			{Person: int64(i), Point: measure.Exit, TakenOn: haven.NewDate(2025, 1, 1), Result: phq(5 + i%7)}})
	}
	rep := evaluate.BuildChanges([]evaluate.ChangeGroup{{Key: "1", Name: "One <Practice>", Women: women[:10]}, {Key: "2", Name: "Two", Women: women[10:12]}, {Key: "3", Name: "Three", Women: women[12:]}}, evaluate.ChangeMeasures(), evaluate.Settings{})
	return &changePage{Layout: Layout{Title: "Change"}, AsOf: haven.NewDate(2026, 12, 1), Intro: "All.", Measures: evaluate.ChangeMeasures(), Rows: rep.Rows,
		EffectName: evaluate.EffectSizeName, Threshold: evaluate.MinThreshold, APIPath: "/api/v1/evaluation/change",
		Form: evalForm{Cohort: formField{Name: "cohort", Label: "Cohort"}, From: dateField{Name: "from", Label: "From"}, To: dateField{Name: "to", Label: "To"}}}
}

// The recurrence and change pages in their other states: a filter with
// errors (the summary, no figures), no Practices, a stratum of one woman.
func TestEvaluationReportTemplates(t *testing.T) {
	s := &Server{}
	var err error
	if s.pages, err = parseTemplates(); err != nil {
		t.Fatal(err)
	}
	withErrors := recurrenceTemplatePage()
	withErrors.Errors = []FieldError{{"cohort", "The cohort must be a year from 2000 to 2026, like 2023"}}
	withErrors.Form.Cohort.Error = withErrors.Errors[0].Message
	changeErrors := changeTemplatePage()
	changeErrors.Errors = withErrors.Errors
	empty := &recurrencePage{Layout: Layout{Title: "Recurrence"}, Empty: "There are no Practices to report on for your role.",
		Form: evalForm{Cohort: formField{Name: "cohort"}, From: dateField{Name: "from"}, To: dateField{Name: "to"}}}
	noChart := recurrenceTemplatePage()
	noChart.Chart = nil
	tests := []struct {
		name, template string
		p              page
		want, not      []string
	}{
		{"recurrence", "evaluation-recurrence.html", recurrenceTemplatePage(),
			[]string{`<svg class="haven-chart"`, `role="img"`, "1 in 4 by 7 years", "Broadhurst", "One &lt;Practice&gt;", TooFewText(), "Age at first proceedings, every Practice together", `<option value="1" selected>`}, nil},
		{"recurrence with errors", "evaluation-recurrence.html", withErrors, []string{"govuk-error-summary", "The cohort must be a year"}, []string{"<svg", "Every Practice together</h2>"}},
		{"recurrence for nobody", "evaluation-recurrence.html", empty, []string{"There are no Practices to report on"}, []string{"<table"}},
		{"recurrence without a chart", "evaluation-recurrence.html", noChart, []string{"too few readings shown to draw a chart"}, []string{"<svg"}},
		{"change", "evaluation-change.html", changeTemplatePage(), []string{"PHQ-9 total", "Cohen", "None are published in Haven", "not shown (fewer than 5)", "No meaningful-change threshold is published"}, nil},
		{"change with errors", "evaluation-change.html", changeErrors, []string{"govuk-error-summary"}, []string{"PHQ-9 total"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			if err := s.render(rec, httptest.NewRequest("GET", "/", nil), 200, tt.template, tt.p); err != nil {
				t.Fatal(err)
			}
			body := rec.Body.String()
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("lacks %q", w)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(body, w) {
					t.Errorf("has %q", w)
				}
			}
		})
	}
}

// TooFewText is what a curve of one woman or none says.
func TooFewText() string { return evaluate.TooFew }
