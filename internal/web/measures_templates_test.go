package web

import (
	"time"

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
		"measure-prompt.html": {&measurePromptPage{Layout: Layout{Title: "Act"}, Person: robin, ID: 4}, `href="/people/abcdefghijkl/measures#measure-4"`},
		"admin-measures.html": {&registrationsPage{Layout: Layout{Title: "Registrations"}, Rows: []registrationRow{
			{Instrument: swem, Recorded: true, Registration: measure.Registration{Reference: "W-<1>", On: haven.NewDate(2026, time.January, 5), By: "Alex"}}}}, "Reference W-&lt;1&gt;, 5 January 2026"},
	}
}
