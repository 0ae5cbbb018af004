package web

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"

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
	pdf := letterPDF(contact.BuildLetter("Robin", arrs, changes, d(2026, 1, 1), d(2026, 6, 30), d(2026, 11, 23)))

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
	if pages < 2 || !bytes.Contains(pdf, []byte("/Count "+strconv.Itoa(pages))) {
		t.Errorf("%d pages, and the page tree does not count them", pages)
	}
	// Each content stream's /Length is its length.
	for _, s := range regexp.MustCompile(`(?s)<< /Length (\d+) >>\nstream\n(.*?)endstream`).FindAllSubmatch(pdf, -1) {
		if l, _ := strconv.Atoi(string(s[1])); l != len(s[2]) {
			t.Errorf("stream length %d, actual %d", l, len(s[2]))
		}
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
