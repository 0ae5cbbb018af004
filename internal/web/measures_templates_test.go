package web

import (
	"time"

	"haven/internal/evaluate"
	"haven/internal/haven"
	"haven/internal/measure"
	"haven/internal/programme"
)

// measureTemplateCases are the outcome-measure pages for TestEveryTemplateRenders.
func measureTemplateCases() map[string]struct {
	p    page
	want string
} {
	robin := programme.Person{Ref: "abcdefghijkl", FirstName: "Robin", LastName: "Testcase"}
	phq, _ := measure.Lookup(measure.PHQ9)
	swem, _ := measure.Lookup(measure.SWEMWBS)
	answers := []measure.Answer{measure.A(1), measure.A(1), measure.A(1), measure.A(1), measure.A(1), measure.A(1), measure.A(1), measure.A(1), measure.A(1)}
	res, _ := phq.Score(answers)
	form := measureForm{Point: "exit", Answers: make([]string, 9)}
	form.Answers[8] = "2"
	return map[string]struct {
		p    page
		want string
	}{
		"measures.html": {&measuresPage{Layout: Layout{Title: "Measures"}, Person: robin, Lead: true,
			Measures: []measureListRow{{Record: measure.Record{ID: 4, Instrument: measure.PHQ9, Point: measure.Exit, TakenOn: haven.NewDate(2026, 11, 20), Answers: answers, Result: res}, Name: "PHQ-9"}},
			Offer:    []measureOffer{{Instrument: phq, Usable: true}, {Instrument: swem}}}, `action="/people/abcdefghijkl/measures/response/4"`},
		"measure-form.html": {&measureFormPage{Layout: Layout{Title: "PHQ-9", Errors: []FieldError{{"item3", "Item 3 must be a whole number from 0 to 3"}}}, Person: robin,
			Instrument: phq, Points: measure.Timepoints, Form: form}, `id="item9-2" name="item9" type="radio" value="2" checked`},
		"measure-prompt.html":        {&measurePromptPage{Layout: Layout{Title: "Act"}, Person: robin, ID: 4}, `href="/people/abcdefghijkl/measures#measure-4"`},
		"evaluation.html":            {evaluationTemplatePage(), `<circle cx=`},
		"evaluation-recurrence.html": {recurrenceTemplatePage(), `<path d="M`},
		"evaluation-change.html":     {changeTemplatePage(), "Change in measures"},
		"admin-measures.html": {&registrationsPage{Layout: Layout{Title: "Registrations"}, Rows: []registrationRow{
			{Instrument: swem, Recorded: true, Registration: measure.Registration{Reference: "W-<1>", On: haven.NewDate(2026, time.January, 5), By: "Alex"}}}}, "Reference W-&lt;1&gt;, 5 January 2026"},
		"admin-evaluation.html": {&evalSettingsPage{Layout: Layout{Title: "Evaluation settings"}, Threshold: 10, ThresholdVersion: 2, ThresholdBy: "Alex <A>", Min: 5, Max: 50,
			Form:    evalSettingsForm{Threshold: "10"},
			Changes: []changeSettingRow{{Instrument: phq, Published: measure.Points(5), InUse: measure.Points(6), Set: true, Version: 3, By: "Sam"}}},
			`It is 10 now, set by Alex &lt;A&gt;`},
	}
}

// evaluationTemplatePage has two Practices with their figures, so every
// table and the funnel plot render.
func evaluationTemplatePage() *evaluationPage {
	var groups []evaluate.OutcomeGroup
	for g, n := range []int{30, 15} {
		var js []evaluate.Journey
		for i := range n {
			j := evaluate.Journey{Practice: int64(g + 1), EngagedOn: haven.NewDate(2021, 1, 5), ReferredOn: haven.NewDate(2020, 12, 1),
				EndedOn: haven.NewDate(2022, 7, 5), Ended: evaluate.Completed}
			if i%3 == 0 {
				j.EndedOn, j.Ended, j.ExitCategory = haven.NewDate(2021, 5, 5), evaluate.EndedEarly, programme.ExitLostContact
			}
			js = append(js, j)
		}
		groups = append(groups, evaluate.OutcomeGroup{Key: string(rune('1' + g)), Name: []string{"One <Practice>", "Two"}[g], Journeys: js})
	}
	o := evaluate.BuildOutcomes(groups, haven.NewDate(2026, 12, 1))
	return &evaluationPage{Layout: Layout{Title: "Outcomes"}, Metrics: evaluate.Metrics, Verdicts: evaluate.Verdicts, Phases: evaluate.Phases, Facts: evaluate.Facts, FactsSource: evaluate.FactsSource,
		Rows: o.Rows, Funnel: completionFunnel(o.Rows), AsOf: o.AsOf, Threshold: evaluate.MinThreshold, Intro: "All.", ExitCategories: evaluate.ExitCategories}
}
