package web

import (
	"net/http/httptest"
	"strings"
	"testing"

	"haven/internal/access"
	"haven/internal/haven"
	"haven/internal/measure"
	"haven/internal/programme"
)

// needsTemplateCases are the needs and schedule pages for TestEveryTemplateRenders.
func needsTemplateCases() map[string]struct {
	p    page
	want string
} {
	robin := programme.Person{Ref: "abcdefghijkl", FirstName: "Robin", LastName: "Testcase"}
	form := needsForm{Day: "1", Month: "2", Year: "2027", Version: 3,
		Status: map[string]string{"housing": "need"}, Change: map[string]string{"housing": "worse"}, Facts: map[string]string{"paidWork": "no"}}
	sc := measure.DefaultSchedule()
	rows := []scheduleRow{{Item: measure.ScheduleItem(measure.PHQ9), Field: "slot-phq9", Usable: true,
		Cells: []scheduleCell{{ID: "slot-phq9", Value: "phq9:baseline", Point: measure.Baseline, Checked: true}}},
		{Item: measure.ScheduleItem(measure.WEMWBS), Field: "slot-wemwbs", Error: "WEMWBS cannot be scheduled until an administrator records this service's registration with Warwick"}}
	return map[string]struct {
		p    page
		want string
	}{
		"needs-form.html": {&needsFormPage{Layout: Layout{Title: "Needs", Errors: []FieldError{{"housing-change", "Choose whether housing has improved"}}},
			Person: robin, Point: measure.Month6, Form: form,
			Previous: measure.PreviousNeeds{measure.NeedHousing: {Point: measure.Baseline, Status: measure.NoNeed}}},
			`id="housing-change-2" name="housing-change" type="radio" value="worse" checked`},
		"schedule.html": {&schedulePage{Layout: Layout{Title: "Schedule"}, Practice: access.Membership{TenantSlug: "demo-riverside", TenantName: "Riverside"},
			Lead: true, Schedule: sc, Rows: rows, Points: measure.SchedulePoints}, `id="slot-phq9" name="slot" type="checkbox" value="phq9:baseline" checked`},
	}
}

// The Needs section on her Outcome measures page, the form at baseline (no
// change questions) and the schedule as a co-ordinator reads it.
func TestNeedsPagesRender(t *testing.T) {
	s := &Server{}
	var err error
	if s.pages, err = parseTemplates(); err != nil {
		t.Fatal(err)
	}
	robin := programme.Person{Ref: "abcdefghijkl", FirstName: "Robin", LastName: "Testcase"}
	six := measure.Needs{Point: measure.Month6, AssessedOn: haven.NewDate(2027, 2, 1), StableHousing: measure.Yes, PaidWork: measure.No, ChildContact: measure.FactNotKnown}
	for i, d := range measure.NeedDomains {
		six.Readings[i] = measure.NeedReading{Domain: d, Status: measure.NoNeed, Change: measure.Improved}
	}
	tests := []struct {
		name       string
		p          page
		want, lack []string
	}{
		{"measures.html", &measuresPage{Layout: Layout{Title: "Measures"}, Person: robin,
			Needs: needsSection{Ref: robin.Ref, Recorded: []measure.Needs{six}, Points: []needsPointLink{{Point: measure.Baseline}, {Point: measure.Month6, Recorded: true}}}},
			[]string{`<h2 class="govuk-heading-m" id="needs">Needs</h2>`, "6 months<br><span class=\"govuk-body-s\">1 February 2027", "No need<br><span class=\"govuk-body-s\">Improved",
				`href="/people/abcdefghijkl/measures/needs/baseline">Record her needs at baseline`, `href="/people/abcdefghijkl/measures/needs/6-months">Change her needs at 6 months`,
				"Is she in paid work?</th>\n    <td class=\"govuk-table__cell\">No</td>"}, nil},
		{"needs-form.html", &needsFormPage{Layout: Layout{Title: "Needs"}, Person: robin, Point: measure.Baseline, Form: needsForm{}},
			[]string{"Her needs at baseline", `name="substance-use" type="radio" value="need"`, `name="childContact"`}, []string{"-change", "How has"}},
		{"schedule.html", &schedulePage{Layout: Layout{Title: "Schedule"}, Practice: access.Membership{TenantSlug: "demo-riverside", TenantName: "Riverside"},
			Schedule: measure.Schedule{Own: true}, Rows: []scheduleRow{{Item: measure.NeedsItem, Cells: []scheduleCell{{Point: measure.Baseline, Checked: true}, {Point: measure.Month6}, {Point: measure.Exit, Checked: true}}},
				{Item: measure.ScheduleItem(measure.GAD7)}}},
			[]string{"Baseline, Exit", "Not scheduled", "Only the practice lead can change"}, []string{"<form", "Save schedule"}},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		if err := s.render(rec, httptest.NewRequest("GET", "/", nil), 200, tt.name, tt.p); err != nil {
			t.Fatal(err)
		}
		body := rec.Body.String()
		for _, w := range tt.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s lacks %q", tt.name, w)
			}
		}
		for _, w := range tt.lack {
			if strings.Contains(body, w) {
				t.Errorf("%s has %q", tt.name, w)
			}
		}
	}
}
