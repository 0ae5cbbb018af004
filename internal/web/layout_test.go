package web

import (
	"html/template"
	"os"
	"strings"
	"testing"
)

// The frame written in Go must say what the layout template said around the
// same content (testdata/layout.tmpl is the template it replaced).
func TestLayoutMatchesTheTemplateItReplaced(t *testing.T) {
	reference, err := os.ReadFile("testdata/layout.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	const content = `<p class="govuk-body">The page itself</p>`
	tmpl := template.Must(template.Must(template.New("").Funcs(funcs).Parse(string(reference))).Parse(`{{define "content"}}` + content + `{{end}}`))
	hostile := `<script>alert("x")</script> & 'quoted'`
	for _, l := range []*Layout{
		{Title: "Haven"},
		{Title: hostile},
		{Title: "Sign in", InSignIn: true},
		{Title: "People", SignedIn: true, CanCases: true, Nav: "people", UserName: hostile},
		{Title: "Her record", SignedIn: true, Errors: []FieldError{{"aroundName", hostile}, {"on-day", "Enter a date"}}},
	} {
		t.Run(l.Title, func(t *testing.T) {
			var want strings.Builder
			if err := tmpl.ExecuteTemplate(&want, "layout", l); err != nil {
				t.Fatal(err)
			}
			sameMarkup(t, l.top()+content+l.bottom(), want.String())
		})
	}
}
