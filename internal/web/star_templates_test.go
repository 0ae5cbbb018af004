package web

import (
	"net/http/httptest"
	"strings"
	"testing"

	"haven/internal/haven"
	"haven/internal/measure"
	"haven/internal/programme"
)

// The measures page's Outcomes Star section: readings as a plain table,
// escaped; the import form only with a licence, with each problem listed.
func TestMeasuresPageStarSection(t *testing.T) {
	s := &Server{}
	var err error
	if s.pages, err = parseTemplates(); err != nil {
		t.Fatal(err)
	}
	robin := programme.Person{Ref: "abcdefghijkl", FirstName: "Robin", LastName: "Testcase"}
	readings := []measure.StarReading{{TakenOn: haven.NewDate(2026, 7, 9), Version: "Family Star <Plus>", Scales: []measure.StarScale{{Name: "Where you live", Reading: 7}}, By: "Alex"}}
	for _, tt := range []struct {
		name      string
		star      starSection
		want, not []string
	}{
		{"licensed, with problems", starSection{Licensed: true, Readings: readings, Problems: []string{"Row 3: <Money> must be a whole number from 1 to 10"}},
			[]string{"Family Star &lt;Plus&gt;", "<li>Where you live: 7</li>", `<li>Row 3: &lt;Money&gt; must be a whole number from 1 to 10</li>`, `enctype="multipart/form-data"`, `govuk-file-upload--error`, "haven-table-scroll"},
			[]string{"<svg"}},
		{"not licensed", starSection{Readings: readings},
			[]string{"Family Star &lt;Plus&gt;", "once an administrator records this service's Outcomes Star licence"},
			[]string{`name="starFile"`, "<svg"}},
		{"nothing imported", starSection{Licensed: true}, []string{"No Outcomes Star readings imported.", `name="starFile"`}, []string{"govuk-file-upload--error"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			page := &measuresPage{Layout: Layout{Title: "Measures"}, Person: robin, Star: tt.star}
			if err := s.render(rec, httptest.NewRequest("GET", "/", nil), 200, "measures.html", page); err != nil {
				t.Fatal(err)
			}
			body := rec.Body.String()
			i := strings.Index(body, `id="outcomes-star"`)
			if i < 0 {
				t.Fatal("no Outcomes Star section")
			}
			for _, w := range tt.want {
				if !strings.Contains(body[i:], w) {
					t.Errorf("lacks %q", w)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(body[i:], w) {
					t.Errorf("has %q", w)
				}
			}
		})
	}
}
