package web

import (
	"time"

	"haven/internal/contact"
	"haven/internal/evaluate"
	"haven/internal/haven"
	"haven/internal/programme"
	"haven/internal/store"
)

// contactTemplateCases are the contact pages for TestEveryTemplateRenders.
func contactTemplateCases() map[string]struct {
	p    page
	want string
} {
	robin := programme.Person{Ref: "abcdefghijkl", FirstName: "Robin", LastName: "Testcase"}
	d := haven.NewDate
	change := contact.Change{ID: 5, ArrangementID: 2, ChildName: "Jay", Aspect: contact.AspectType, From: "supervised", To: "letterbox",
		EffectiveOn: d(2026, 9, 1), ChangedBy: "local-authority", ReasonGiven: contact.ReasonNo, HerView: "le<eds", RecordedName: "Kit Kestrel",
		RecordedAt: time.Date(2026, 9, 2, 10, 0, 0, 0, time.UTC)}
	withdrawn := change
	withdrawn.ID, withdrawn.Withdrawal = 6, contact.Withdrawal{Reason: "Recorded twice", ByName: "Kit Kestrel", At: time.Date(2026, 9, 3, 10, 0, 0, 0, time.UTC)}
	arr := contact.Arrangement{ID: 2, ChildName: "Jay", Type: contact.Letterbox, Frequency: "Once a year", ArrangedBy: "adoption-agency", Basis: "adoption-contact-plan", StartOn: d(2023, 3, 1)}
	letter := contact.BuildLetter("Robin", []contact.Arrangement{arr}, []contact.Change{change}, d(2026, 1, 1), d(2026, 11, 23), d(2026, 11, 23))
	return map[string]struct {
		p    page
		want string
	}{
		"contact.html": {&contactPage{Layout: Layout{Title: "Contact"}, Person: robin, Today: d(2026, 11, 23), LANames: map[string]string{"E08000035": "Leeds"},
			Rec: store.ContactRecord{Children: []contact.Child{{ID: 1, Name: "Jay", BornOn: d(2022, 5, 1), LACode: "E08000035", LegalStatus: "adopted", Placement: "adoptive-family"}},
				Letterbox: []contact.LetterboxExchange{{ID: 3, ChildName: "Jay", DueOn: d(2026, 12, 1), Direction: "from-her"}}},
			Proceedings:  []proceedingsView{{Proceedings: contact.Proceedings{ID: 1, IssuedOn: d(2022, 5, 2), Court: "Leeds", Index: true}, Children: []string{"Jay (newborn when issued)"}, BeforePrevious: true}},
			Arrangements: []arrangementView{{Now: contact.Standing{Arrangement: arr, Pending: []contact.Change{withdrawn}}, Changes: []contact.Change{change, withdrawn}, NextDue: d(2020, 3, 1)}}, Unexplained: 1},
			"Letterbox never reviewed"},
		"contact-form.html": {&contactFormPage{Layout: Layout{Title: "Record a change", Errors: []FieldError{{"reasonGiven", "Answer whether she was given a reason for the change"}}},
			Person: robin, Action: "/people/abcdefghijkl/contact/arrangements/2/changes", Submit: "Record the change", Version: 3,
			Fields: []cField{{Kind: "radios", Name: "reasonGiven", Label: "Was she given a reason?", Options: contact.Reasons(), Error: "Answer whether she was given a reason for the change",
				Reveal: "yes", Inside: []cField{{Kind: "textarea", Name: "reason", Label: "The reason, as she was told it"}, {Kind: "date", Name: "toldOn", Label: "Date she was told"}}},
				{Kind: "checkboxes", Name: "children", Label: "Children", Options: []contact.Choice{{Value: "1", Title: "Jay"}}, Values: []string{"1"}},
				{Kind: "text", Name: "from", Label: "Before", Value: "le<eds"}, {Kind: "date", Name: "effective", Label: "Date", Day: "31"},
				{Kind: "select", Name: "la", Label: "LA", Options: []contact.Choice{{Value: "E08000035", Title: "Leeds"}}, Value: "E08000035"}}},
			`id="children" name="children" type="checkbox" value="1" checked`},
		"letter.html": {&letterPage{Layout: Layout{Title: "Letter"}, Person: robin, From: dateField{Name: "from", Label: "From", Day: "1"}, To: dateField{Name: "to", Label: "To"}},
			"Download it as a PDF"},
		"letter-print.html": {&letterPage{Layout: Layout{Title: "Letter"}, Person: robin, Letter: &letter,
			Printed: printMark{At: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC), By: "Kit Kestrel", Practice: "Riverside Practice (demo)", PracticePage: "https://haven.example.org/practices/demo-riverside"}},
			"You were not given a reason"},
		"report-contact.html": {&reportPage{Layout: Layout{Title: "Report"}, Source: contact.BenchmarkSource, Changed: contact.BenchmarkChanged, NoReason: contact.BenchmarkNoReason,
			Groups: []reportGroup{{Name: "Riverside", Women: figure{Value: 12}, Rows: []measureRow{{Name: "Women whose arrangements changed",
				Num: figure{Value: 3, Why: evaluate.Small}, Den: figure{Value: 12}, National: "83%"}}}}}, "Number: not shown (fewer than 5)"},
	}
}
