package library

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func valid() Content {
	return Content{Title: "Talking about contraception after a removal", Summary: "A short guide.", Type: "guide",
		Topics: []string{"reproductive-health"}, Audiences: []string{"practitioners"}, Author: "A. Writer",
		Date: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), Licence: "cc-by-4", Link: "https://www.example.org/guide"}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Content)
		want   map[string]string
	}{
		{"valid", func(*Content) {}, map[string]string{}},
		{"uploaded file in place of a link", func(c *Content) { c.Link, c.File.Key = "", "k1" }, map[string]string{}},
		{"nothing", func(c *Content) { *c = Content{} }, map[string]string{
			"title": "Enter the title", "summary": "Enter the summary", "author": "Enter the author", "type": "Choose the type",
			"topics": "Choose at least one topic", "audiences": "Choose at least one audience", "date": "Enter the date",
			"licence": "Choose the licence", "link": "Enter the link"}},
		{"markup in title", func(c *Content) { c.Title = "<script>alert(1)</script>" }, map[string]string{"title": "Title must be plain text, without <, > or control characters"}},
		{"highlight sentinel in summary", func(c *Content) { c.Summary = "a" + MarkStart + "b" }, map[string]string{"summary": "Summary must be plain text, without <, > or control characters"}},
		{"long title", func(c *Content) { c.Title = strings.Repeat("a", MaxTitle+1) }, map[string]string{"title": "Title must be 200 characters or fewer"}},
		{"javascript link", func(c *Content) { c.Link = "javascript:alert(1)" }, map[string]string{"link": "Enter the link as a web address starting https://, like https://www.example.org/guide"}},
		{"data link", func(c *Content) { c.Link = "data:text/html,<b>x</b>" }, map[string]string{"link": "Enter the link as a web address starting https://, like https://www.example.org/guide"}},
		{"link with credentials", func(c *Content) { c.Link = "https://user:pw@example.org/" }, map[string]string{"link": "Enter the link as a web address starting https://, like https://www.example.org/guide"}},
		{"relative link", func(c *Content) { c.Link = "/guide" }, map[string]string{"link": "Enter the link as a web address starting https://, like https://www.example.org/guide"}},
		{"unknown type, topic, audience, licence", func(c *Content) {
			c.Type, c.Topics, c.Audiences, c.Licence = "novel", []string{"cooking"}, []string{"aliens"}, "wtfpl"
		}, map[string]string{"type": "Choose the type", "topics": "Choose topics from the list", "audiences": "Choose audiences from the list", "licence": "Choose the licence"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := valid()
			tt.change(&c)
			got := Check(c)
			if !maps.Equal(got, tt.want) {
				t.Errorf("Check = %v, want %v", got, tt.want)
			}
			for f := range got {
				if _, ok := Labels[f]; !ok || !slices.Contains(FieldOrder, f) {
					t.Errorf("field %q has no label or place in the order", f)
				}
			}
		})
	}
}

func TestParseQuery(t *testing.T) {
	tests := []struct{ in, match, text string }{
		{"", "", ""},
		{"   ", "", ""},
		{"parenting", `"parenting"`, "parenting"},
		{`"grief and loss"`, `"grief and loss"`, `"grief and loss"`},
		{`Grief "AND loss" housing`, `"grief" "and loss" "housing"`, `grief "and loss" housing`},
		{`unclosed "quote here`, `"unclosed" "quote here"`, `unclosed "quote here"`},
		{`a OR b NOT c* -d +e (f) ^g NEAR(h i) col:j`, `"a" "or" "b" "not" "c" "d" "e" "f" "g" "near"`, ""},
		{`''' """ *** ::`, "", ""},
		{"Mère café naïve", `"mère" "café" "naïve"`, "mère café naïve"},
		{"parent's", `"parent" "s"`, "parent s"},
		{"\xff\xfe bad", `"bad"`, "bad"},
	}
	for _, tt := range tests {
		q := ParseQuery(tt.in)
		if got := q.Match(); got != tt.match {
			t.Errorf("ParseQuery(%q).Match() = %q, want %q", tt.in, got, tt.match)
		}
		if tt.text != "" && q.String() != tt.text {
			t.Errorf("ParseQuery(%q).String() = %q, want %q", tt.in, q.String(), tt.text)
		}
		if q.Empty() != (tt.match == "") {
			t.Errorf("ParseQuery(%q).Empty() = %v", tt.in, q.Empty())
		}
	}
	long := ParseQuery(strings.Repeat("word ", 100))
	if len(long.Terms) != MaxTerms {
		t.Errorf("%d terms kept, want %d", len(long.Terms), MaxTerms)
	}
}

// Whatever is typed, the canonical text is quoted words and spaces only,
// and reading it again gives the same query.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"", "parenting", `"grief and loss"`, `a OR b*`, `"`, `"" "`, "naïve café", "\x00\xff", `NEAR(a b, 2)`, `col:"x"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := ParseQuery(s)
		m := q.Match()
		if !utf8.ValidString(m) {
			t.Fatalf("invalid UTF-8 %q", m)
		}
		inQuote := false
		for _, r := range m {
			switch {
			case r == '"':
				inQuote = !inQuote
			case r == ' ':
			case !isWordRune(r):
				t.Fatalf("%q gave %q: stray %q", s, m, r)
			}
		}
		if inQuote {
			t.Fatalf("%q gave unbalanced %q", s, m)
		}
		// Quotes added back may push a long query past MaxQuery, which cuts it.
		if again := ParseQuery(q.String()).Match(); utf8.RuneCountInString(q.String()) <= MaxQuery && again != m {
			t.Fatalf("%q: %q read back as %q", s, m, again)
		}
		if len(q.Terms) > MaxTerms {
			t.Fatalf("%d terms", len(q.Terms))
		}
	})
}
