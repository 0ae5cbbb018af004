package web

import (
	"html/template"
	"os"
	"regexp"
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
	space := regexp.MustCompile(`\s+`)
	norm := func(s string) string {
		s = space.ReplaceAllString(s, " ")
		return strings.TrimSpace(strings.NewReplacer("> ", ">", " <", "<").Replace(s))
	}
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
			got := l.top() + content + l.bottom()
			if g, w := norm(got), norm(want.String()); g != w {
				at := 0
				for at < len(g) && at < len(w) && g[at] == w[at] {
					at++
				}
				t.Fatalf("differs at byte %d:\n got …%s\nwant …%s", at, g[max(0, at-80):min(len(g), at+120)], w[max(0, at-80):min(len(w), at+120)])
			}
			if strings.Contains(got, "<script>alert") {
				t.Fatal("a value was written unescaped")
			}
		})
	}
}
