package document

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"codeberg.org/go-pdf/fpdf"

	"haven/internal/document/doctest"
)

// Names from the families Haven's Practices work with; none of them fits in
// Latin-1, and each printed as "?" with the standard Helvetica fonts.
var names = []string{"Agnieszka Wiśniewska-Łącka Nguyễn", "Ştefan Dumitrescu", "Łucja Żółkiewska", "Đặng Thị Hương", "Zoë O’Brien-Ní Fhaoláin", "Ağca Şükrü"}

// Each name is read back out of the PDF as written: from the content
// streams, through the font's ToUnicode map, as a reader or screen reader
// gets it; in the bookmarks; and in the document's title.
func TestPDFPrintsNamesAsWritten(t *testing.T) {
	for _, name := range names {
		d := NewPDF(Meta{Title: "Letter for " + name, Lang: "en-GB", Created: time.Date(2026, 11, 23, 9, 5, 0, 0, time.UTC), Foot: []string{"Printed for " + name}})
		d.Title("Dear " + name)
		d.Heading(name)
		d.Para("This letter is for "+name+", and nobody else.", 8)
		b, err := d.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		got, err := doctest.ReadPDF(b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		text := got.Text()
		for _, want := range []string{"Dear " + name, "This letter is for " + name + ", and nobody else.", "Printed for " + name, "Page 1 of 1"} {
			if !strings.Contains(text, want) {
				t.Errorf("the PDF lacks %q; it reads:\n%s", want, text)
			}
		}
		if strings.Contains(text, "?") {
			t.Errorf("a letter printed as ?:\n%s", text)
		}
		if got.Title != "Letter for "+name || got.Lang != "en-GB" {
			t.Errorf("title %q, language %q", got.Title, got.Lang)
		}
		if strings.Join(got.Outline, "|") != "Dear "+name+"|"+name {
			t.Errorf("bookmarks %q", got.Outline)
		}
	}
}

// The embedded fonts have a glyph for every letter of those names, so they
// print as letters and not as empty boxes. (Liberation Sans 1, which Debian
// still ships as fonts-liberation, has no Vietnamese letters.)
func TestFontsHaveEveryLetterOfTheNames(t *testing.T) {
	for file, font := range map[string][]byte{"regular": sansRegular, "bold": sansBold} {
		path := filepath.Join(t.TempDir(), file+".ttf")
		if err := os.WriteFile(path, font, 0o600); err != nil {
			t.Fatal(err)
		}
		ttf, err := fpdf.TtfParse(path)
		if err != nil {
			t.Fatal(err)
		}
		if !ttf.Embeddable {
			t.Errorf("%s: the font does not allow embedding", file)
		}
		has := map[rune]bool{}
		for c := range ttf.Chars {
			has[rune(c)] = true
		}
		for _, name := range names {
			for _, r := range name + "‘’“”–—…€£" {
				if !has[r] && !unicode.IsSpace(r) {
					t.Errorf("%s: no glyph for %q in %q", file, r, name)
				}
			}
		}
	}
}

// A long document breaks across pages; every page has the foot and its own
// "Page N of M", and no page ends with a heading.
func TestPDFPagesAndFoot(t *testing.T) {
	d := NewPDF(Meta{Title: "Long", Foot: []string{"Your practitioner: Ash Rowan.", "Printed on 23 November 2026."}})
	d.Title("Long")
	for i := range 30 {
		d.Heading("Section " + string(rune('A'+i%26)))
		d.Para(strings.Repeat("Contact arrangements changed without warning. ", 12), 8)
	}
	b, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	got, err := doctest.ReadPDF(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Pages) < 3 {
		t.Fatalf("%d pages", len(got.Pages))
	}
	for i, lines := range got.Pages {
		n := len(lines)
		if n < 4 {
			t.Fatalf("page %d: %q", i+1, lines)
		}
		if want := []string{"Your practitioner: Ash Rowan.", "Printed on 23 November 2026.", "Page " + strconv.Itoa(i+1) + " of " + strconv.Itoa(len(got.Pages))}; strings.Join(lines[n-3:], "|") != strings.Join(want, "|") {
			t.Errorf("page %d ends %q, want %q", i+1, lines[n-3:], want)
		}
		if strings.HasPrefix(lines[n-4], "Section ") {
			t.Errorf("page %d ends with the heading %q", i+1, lines[n-4])
		}
	}
}

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"plain":                  "plain",
		"Wiśniewska":             "Wiśniewska",
		"a\x00b\x1bc\x07d":       "a b c d",
		"line\nbreak\ttab":       "line break tab",
		"bad \xff byte":          "bad \uFFFD byte",
		"emoji 🙂":                "emoji \uFFFD",
		"\u202Eevil\u202C":       "evil",
		"soft\u00ADhyphen":       "soft\u00ADhyphen",
		"private \ue000nb\ue000": "private nb",
	} {
		if got := clean(in); got != want {
			t.Errorf("clean(%q) = %q, want %q", in, got, want)
		}
	}
}

// Whatever text goes in, the PDF is made, reads back, and says what was
// written (after clean).
func FuzzPDF(f *testing.F) {
	for _, seed := range append(names, "", "(unbalanced \\ parens", "“quoted” – £5 €3 …", "line one\nline two\ttab", strings.Repeat("long ", 400), "\x00\xff\xfe", "日本語", "{nb} \ue000nb\ue000", "🙂") {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d := NewPDF(Meta{Title: s, Subject: s, Author: s, Foot: []string{s}})
		d.Title(s)
		d.Heading(s)
		d.Para(s, 8)
		b, err := d.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		got, err := doctest.ReadPDF(b)
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != clean(s) {
			t.Errorf("title %q, want %q", got.Title, clean(s))
		}
		// The paragraph is rewrapped: its words come back in order.
		words := strings.Fields(clean(s))
		text := strings.Fields(got.Text())
		if strings.Contains(strings.Join(text, " "), strings.Join(words, " ")) {
			return
		}
		// A word longer than a line is broken inside it.
		if strings.Join(words, "") == "" || !strings.Contains(strings.Join(text, ""), strings.Join(words, "")) {
			t.Errorf("the text %q did not come back; read %q", words, text)
		}
	})
}
