package web

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"haven/internal/contact"
	"haven/internal/haven"
)

// The letter PDF is well formed: every cross-reference points at its
// object, the trailer points at the table, the pages are counted, and the
// text is there to read, in the fonts' encoding.
func TestLetterPDFStructure(t *testing.T) {
	d := haven.NewDate
	var changes []contact.Change
	for i := range 40 { // enough to need more than one page
		changes = append(changes, contact.Change{ID: int64(i + 1), ArrangementID: 1, ChildName: "Jay", Aspect: "venue", To: "Family centre (room " + strconv.Itoa(i) + ")",
			EffectiveOn: d(2026, 3, 1), ChangedBy: "court", ReasonGiven: contact.ReasonYes, Reason: "The old centre closed (for repairs) \\ costs £40–50"})
	}
	arrs := []contact.Arrangement{{ID: 1, ChildName: "Jay", Type: contact.Supervised, Frequency: "Monthly", ArrangedBy: "local-authority", Basis: "care-plan", StartOn: d(2024, 1, 1)}}
	pdf := letterPDF(contact.BuildLetter("Robin", arrs, changes, d(2026, 1, 1), d(2026, 6, 30), d(2026, 11, 23)), testMark)

	pages := checkPDF(t, pdf)
	if pages < 2 {
		t.Errorf("%d pages; forty changes need more than one", pages)
	}
	text := string(pdf)
	for _, want := range []string{"(What has changed and why) Tj", "Dear Robin,", `\(for repairs\) \\ costs ` + "\xa340\x9650", "to \x93Family centre"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF lacks %q", want)
		}
	}
	if !strings.Contains(text, "Page 1 of "+strconv.Itoa(pages)) {
		t.Error("no page numbers")
	}
}

func TestWrapKeepsLinesInsideTheMargins(t *testing.T) {
	long := pdfEncode(strings.Repeat("contact arrangements changed without warning ", 20))
	width := pdfPageW - 2*pdfMargin
	lines := wrap(long, 11, width, false)
	if len(lines) < 5 {
		t.Fatalf("%d lines", len(lines))
	}
	var joined [][]byte
	for _, l := range lines {
		if textWidth(l, 11, false) > width {
			t.Errorf("line too wide: %q", l)
		}
		joined = append(joined, l)
	}
	if got := string(bytes.Join(joined, []byte(" "))); got != strings.TrimSpace(string(long)) {
		t.Error("wrapping lost or changed words")
	}
}

// checkPDF fails unless pdf is well formed, and returns its number of pages.
func checkPDF(t *testing.T, pdf []byte) int {
	t.Helper()
	if !bytes.HasPrefix(pdf, []byte("%PDF-1.4\n")) || !bytes.HasSuffix(pdf, []byte("%%EOF\n")) {
		t.Fatal("no PDF header or end marker")
	}
	m := regexp.MustCompile(`startxref\n(\d+)\n%%EOF\n$`).FindSubmatch(pdf)
	if m == nil {
		t.Fatal("no startxref")
	}
	xref, _ := strconv.Atoi(string(m[1]))
	if !bytes.HasPrefix(pdf[xref:], []byte("xref\n0 ")) {
		t.Fatalf("startxref %d does not point at the xref table", xref)
	}
	head := regexp.MustCompile(`^xref\n0 (\d+)\n`).FindSubmatch(pdf[xref:])
	n, _ := strconv.Atoi(string(head[1]))
	entries := regexp.MustCompile(`(\d{10}) 00000 n \n`).FindAllSubmatch(pdf[xref:], -1)
	if len(entries) != n-1 {
		t.Fatalf("%d xref entries, want %d", len(entries), n-1)
	}
	for i, e := range entries {
		off, _ := strconv.Atoi(string(e[1]))
		if want := strconv.Itoa(i+1) + " 0 obj\n"; !bytes.HasPrefix(pdf[off:], []byte(want)) {
			t.Errorf("xref entry %d points at %q", i+1, pdf[off:off+10])
		}
	}
	if !bytes.Contains(pdf, []byte("/Size "+strconv.Itoa(n)+" /Root 1 0 R")) {
		t.Error("trailer size or root is wrong")
	}
	pages := bytes.Count(pdf, []byte("/Type /Page /Parent"))
	if pages < 1 || !bytes.Contains(pdf, []byte("/Count "+strconv.Itoa(pages))) {
		t.Errorf("%d pages, and the page tree does not count them", pages)
	}
	// Each content stream is as long as its /Length says, and each line in
	// it shows one string whose parentheses and backslashes are escaped.
	for _, loc := range regexp.MustCompile(`<< /Length (\d+) >>\nstream\n`).FindAllSubmatchIndex(pdf, -1) {
		l, _ := strconv.Atoi(string(pdf[loc[2]:loc[3]]))
		body := pdf[loc[1]:]
		if len(body) < l || !bytes.HasPrefix(body[l:], []byte("endstream")) {
			t.Fatalf("a stream is not %d bytes long", l)
		}
		for _, line := range bytes.Split(bytes.TrimSuffix(body[:l], []byte("\n")), []byte("\n")) {
			open := bytes.IndexByte(line, '(')
			if !bytes.HasPrefix(line, []byte("BT /F")) || open < 0 {
				t.Fatalf("unexpected content line %q", line)
			}
			i := open + 1
			for ; i < len(line) && line[i] != ')'; i++ {
				if line[i] == '\\' {
					i++
				} else if line[i] == '(' || line[i] < 0x20 {
					t.Fatalf("unescaped %q in %q", line[i], line)
				}
			}
			if string(line[min(i, len(line)):]) != ") Tj ET" {
				t.Fatalf("string not closed where it should be: %q", line)
			}
		}
	}
	return pages
}

// Whatever she or her practitioner typed, the letter is a well-formed PDF.
func FuzzLetterPDF(f *testing.F) {
	for _, seed := range []string{"", "plain words", "(unbalanced \\ parens", "“quoted” – £5 €3 …", "line one\nline two\ttab", strings.Repeat("long ", 400), "\x00\xff\xfe", "日本語"} {
		f.Add(seed, seed)
	}
	f.Fuzz(func(t *testing.T, reason, view string) {
		d := haven.NewDate
		changes := []contact.Change{{ID: 1, ArrangementID: 1, ChildName: view, Aspect: "other", To: reason, EffectiveOn: d(2026, 3, 1), ChangedBy: "court",
			ReasonGiven: contact.ReasonYes, Reason: reason, HerView: view}}
		arrs := []contact.Arrangement{{ID: 1, ChildName: view, Type: contact.Letterbox, Frequency: reason, StartOn: d(2024, 1, 1)}}
		pdf := letterPDF(contact.BuildLetter(reason, arrs, changes, d(2026, 1, 1), d(2026, 6, 30), d(2026, 11, 23)),
			printMark{At: testMark.At, By: view, Practitioner: reason, Practice: view, PracticePage: testMark.PracticePage})
		checkPDF(t, pdf)
	})
}

var testMark = printMark{At: time.Date(2026, 11, 23, 9, 5, 0, 0, time.UTC), By: "Kit Kestrel", Practitioner: "Ash Rowan",
	Practice: "Riverside Practice (demo)", PracticePage: "https://haven.example.org/practices/demo-riverside"}

// Every page of the letter, read back page by page through the page tree,
// ends with whom to contact, when and by whom it was printed, and its own
// "Page N of M", since a page may be read apart from the others.
func TestLetterPDFFootOnEveryPage(t *testing.T) {
	d := haven.NewDate
	arrs := []contact.Arrangement{{ID: 1, ChildName: "Jay", Type: contact.Supervised, Frequency: "Monthly", ArrangedBy: "local-authority", Basis: "care-plan", StartOn: d(2024, 1, 1)}}
	for _, tc := range []struct {
		name    string
		changes int
		mark    printMark
		want    []string
	}{
		{"one page", 0, testMark, []string{"Your practitioner: Ash Rowan. Riverside Practice (demo): https://haven.example.org/practices/demo-riverside",
			"Printed on 23 November 2026 at 9:05am by Kit Kestrel."}},
		{"three pages or more", 70, testMark, []string{"Your practitioner: Ash Rowan.", "Printed on 23 November 2026 at 9:05am by Kit Kestrel."}},
		{"no practitioner yet", 0, printMark{At: testMark.At, By: "Kit Kestrel", Practice: "Hillcrest Practice (demo)", PracticePage: "https://haven.example.org/practices/demo-hillcrest"},
			[]string{"Your practitioner: not allocated yet. Hillcrest Practice (demo): https://haven.example.org/practices/demo-hillcrest"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var changes []contact.Change
			for i := range tc.changes {
				changes = append(changes, contact.Change{ID: int64(i + 1), ArrangementID: 1, ChildName: "Jay", Aspect: "venue", To: "Family centre " + strconv.Itoa(i),
					EffectiveOn: d(2026, 3, 1), ChangedBy: "court", ReasonGiven: contact.ReasonYes, Reason: "The old centre closed for repairs and will not open again this year"})
			}
			pdf := letterPDF(contact.BuildLetter("Robin", arrs, changes, d(2026, 1, 1), d(2026, 6, 30), d(2026, 11, 23)), tc.mark)
			pages := pdfPageTexts(t, pdf)
			if tc.changes > 0 && len(pages) < 3 {
				t.Fatalf("%d pages; %d changes need three or more", len(pages), tc.changes)
			}
			for i, lines := range pages {
				text := strings.Join(lines, "\n")
				if last := lines[len(lines)-1]; last != fmt.Sprintf("Page %d of %d", i+1, len(pages)) {
					t.Errorf("page %d ends %q, want %q", i+1, last, fmt.Sprintf("Page %d of %d", i+1, len(pages)))
				}
				for _, w := range tc.want {
					if !strings.Contains(text, w) {
						t.Errorf("page %d lacks %q; it reads:\n%s", i+1, w, text)
					}
				}
			}
		})
	}
}

// pdfPageTexts reads the text of each page back out of a PDF that letterPDF
// wrote, in page order: the catalog names the page tree, the tree lists the
// pages, and each page names its content stream. Each string shown becomes
// a line, unescaped and decoded from the fonts' encoding.
func pdfPageTexts(t *testing.T, pdf []byte) [][]string {
	t.Helper()
	object := func(n string) []byte {
		t.Helper()
		i := bytes.Index(pdf, []byte("\n"+n+" 0 obj\n"))
		if i < 0 {
			t.Fatalf("no object %s", n)
		}
		body := pdf[i+len(n)+8:]
		return body[:bytes.Index(body, []byte("\nendobj\n"))]
	}
	ref := func(in []byte, key string) string {
		t.Helper()
		m := regexp.MustCompile(`/` + key + ` (\d+) 0 R`).FindSubmatch(in)
		if m == nil {
			t.Fatalf("no /%s in %q", key, in)
		}
		return string(m[1])
	}
	trailer := pdf[bytes.LastIndex(pdf, []byte("trailer\n")):]
	tree := object(ref(object(ref(trailer, "Root")), "Pages"))
	kids := regexp.MustCompile(`/Kids \[([^\]]*)\]`).FindSubmatch(tree)
	if kids == nil {
		t.Fatalf("page tree without kids: %q", tree)
	}
	decode := map[byte]rune{}
	for r, b := range winAnsi {
		decode[b] = r
	}
	shown := regexp.MustCompile(`\(((?:\\.|[^\\)])*)\) Tj`)
	var pages [][]string
	for _, kid := range regexp.MustCompile(`(\d+) 0 R`).FindAllSubmatch(kids[1], -1) {
		stream := object(ref(object(string(kid[1])), "Contents"))
		var lines []string
		for _, m := range shown.FindAllSubmatch(stream, -1) {
			var b strings.Builder
			for i := 0; i < len(m[1]); i++ {
				c := m[1][i]
				if c == '\\' {
					i++
					c = m[1][i]
				}
				if r, ok := decode[c]; ok {
					b.WriteRune(r)
				} else {
					b.WriteRune(rune(c)) // ASCII and Latin-1 are the same in WinAnsi
				}
			}
			lines = append(lines, b.String())
		}
		if len(lines) == 0 {
			t.Fatalf("page %d shows no text", len(pages)+1)
		}
		pages = append(pages, lines)
	}
	return pages
}
