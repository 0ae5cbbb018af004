package web

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"haven/internal/library"
)

// libraryTemplateCases are TestEveryTemplateRenders' cases for the library;
// typed text must come back escaped.
func libraryTemplateCases() map[string]struct {
	p    page
	want string
} {
	c := library.Content{Title: "Grief le<eds guide", Summary: "About grief.", Type: "guide", Topics: []string{"grief-loss"}, Audiences: []string{"parents"},
		Author: "A. Writer", Date: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), Licence: "cc-by-4", CoProduced: true, Link: "https://example.org/g"}
	res := library.Resource{ID: 7, Content: c, Status: library.StatusPublished, Version: 2, Featured: true}
	retired := res
	retired.Status, retired.ReplacedBy = library.StatusRetired, 8
	rep := library.Resource{ID: 8, Content: c}
	vs := []library.Version{{Number: 2, What: "Changed le<eds", ChangedAt: time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)}, {Number: 1, What: "Added"}}
	form := newLibraryFormPage("Propose a resource", formOf(c))
	form.Problems = map[string]string{"title": "Enter the title", "topics": "Choose at least one topic"}
	form.Errors = libFormErrors(form.Problems)
	edit := newLibraryFormPage("Edit", formOf(c))
	edit.Resource, edit.Versions, edit.Replacement, edit.RetireError = &res, vs, "le<eds", "Enter the replacement"
	f := library.Filter{Text: "grief", Topics: []string{"grief-loss"}, Page: 2, PerPage: 20}
	index := &libraryPage{Layout: Layout{Title: "Resource library"}, Query: "le<eds", Total: 45, Searching: true,
		Facets:   []libFacet{{Legend: "Topic", Param: "topic", Options: []libOption{{Code: "grief-loss", Name: "Grief and loss", Count: 3, Checked: true}}}},
		Selected: []libTagGroup{{Heading: "Topic", Tags: []libTag{{Name: "Grief and loss", Href: "/library?q=grief"}}}},
		Hits:     []libHit{{Resource: res, Type: "Guide", Snippet: highlight("le<eds " + library.MarkStart + "grief" + library.MarkEnd)}},
		Paging:   libPages(f, 45), Featured: []library.Resource{res}}
	return map[string]struct {
		p    page
		want string
	}{
		"library-index.html":    {index, "le&lt;eds <mark>grief</mark>"},
		"library-resource.html": {&libraryResourcePage{Layout: Layout{Title: c.Title}, Resource: retired, Type: "Guide", Licence: "CC BY 4.0", Replacement: &rep, Versions: vs, CanEdit: true}, "It has been replaced by"},
		"library-propose.html":  {form, `href="#topics-reproductive-health"`},
		"library-review.html":   {&libraryReviewPage{Layout: Layout{Title: "Resources to review"}, Proposed: []library.Resource{res}}, "/library/resources/7/edit"},
		"library-edit.html":     {edit, "Stop featuring"},
	}
}

// Highlighting escapes stored text first: only the store's sentinels
// become <mark>, and unbalanced ones are dropped.
func TestHighlight(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
		{"a " + library.MarkStart + "grief" + library.MarkEnd + " b", "a <mark>grief</mark> b"},
		{library.MarkStart + "<b>" + library.MarkEnd, "<mark>&lt;b&gt;</mark>"},
		{"cut " + library.MarkStart + "off", "cut off"},
		{`"quoted" & 'single'`, "&#34;quoted&#34; &amp; &#39;single&#39;"},
	}
	for _, tt := range tests {
		if got := string(highlight(tt.in)); got != tt.want {
			t.Errorf("highlight(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// The search address keeps only known filter values; anything else names
// the field it came from.
func TestLibraryFilter(t *testing.T) {
	tests := []struct {
		query  string
		fields []string
		page   int
	}{
		{"q=grief&topic=grief-loss&type=tool&audience=parents&page=2", nil, 2},
		{"topic=cooking", []string{"topic-reproductive-health"}, 1},
		{"type=novel&audience=aliens", []string{"type-guide", "audience-practitioners"}, 1},
		{"page=0", []string{"q"}, 1},
		{"page=abc", []string{"q"}, 1},
		{"q=" + strings.Repeat("a", 201), []string{"q"}, 1},
	}
	for _, tt := range tests {
		v, _ := url.ParseQuery(tt.query)
		f, errs := libraryFilter(v)
		var got []string
		for _, e := range errs {
			got = append(got, e.Field)
		}
		if strings.Join(got, ",") != strings.Join(tt.fields, ",") || f.Page != tt.page {
			t.Errorf("%s: fields %v page %d, want %v page %d", tt.query, got, f.Page, tt.fields, tt.page)
		}
	}
}

// The resource form reads every field and names each problem as its label.
func TestParseLibraryForm(t *testing.T) {
	ok := "title=T&summary=S&type=guide&topics=housing&topics=housing&audiences=parents&author=A&date-day=1&date-month=2&date-year=2026&licence=ogl-3&link=https%3A%2F%2Fexample.org%2F&co-produced=yes"
	tests := []struct {
		name, form string
		fields     []string
	}{
		{"valid", ok, nil},
		{"nothing", "", []string{"audiences", "author", "date", "licence", "link", "summary", "title", "topics", "type"}},
		{"not a date", strings.Replace(ok, "date-day=1", "date-day=31", 1), []string{"date"}},
		{"markup", strings.Replace(ok, "title=T", "title=%3Cb%3E", 1), []string{"title"}},
		{"running link", strings.Replace(ok, "link=https%3A%2F%2Fexample.org%2F", "link=javascript%3Aalert(1)", 1), []string{"link"}},
		{"what changed with markup", ok + "&what=%3Ci%3E", []string{"what"}},
	}
	for _, tt := range tests {
		v, _ := url.ParseQuery(tt.form)
		f, problems := parseLibraryForm(v, library.File{})
		var got []string
		for _, k := range library.FieldOrder {
			if _, ok := problems[k]; ok {
				got = append(got, k)
			}
		}
		want := map[string]bool{}
		for _, k := range tt.fields {
			want[k] = true
		}
		if len(got) != len(want) {
			t.Errorf("%s: problems %v, want %v", tt.name, problems, tt.fields)
			continue
		}
		for _, k := range got {
			if !want[k] {
				t.Errorf("%s: problems %v, want %v", tt.name, problems, tt.fields)
			}
		}
		if tt.name == "valid" && (len(f.Topics) != 1 || !f.CoProduced || f.Date.Day() != 1) {
			t.Errorf("valid form read as %+v", f)
		}
	}
}

// Whatever arrives in the form, parsing never panics and a form it accepts
// passes the domain's own check.
func FuzzLibraryForm(f *testing.F) {
	for _, s := range []string{"", "title=T&summary=S&type=guide&topics=housing&audiences=parents&author=A&date-day=1&date-month=2&date-year=2026&licence=ogl-3&link=https%3A%2F%2Fexample.org%2F",
		"date-day=99&date-month=-1&date-year=1e9", "link=javascript:alert(1)", "title=%00%ff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := url.ParseQuery(s)
		if err != nil {
			return
		}
		form, problems := parseLibraryForm(v, library.File{})
		if len(problems) == 0 && len(library.Check(form.Content)) != 0 {
			t.Fatalf("accepted %q that Check refuses", s)
		}
	})
}
