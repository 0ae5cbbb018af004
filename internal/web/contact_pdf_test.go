package web

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"haven/internal/contact"
	"haven/internal/document/doctest"
	"haven/internal/haven"
)

// readLetterPDF reads a letter PDF back as a reader would, failing the test if
// it is not well formed.
func readLetterPDF(t *testing.T, pdf []byte) doctest.PDF {
	t.Helper()
	got, err := doctest.ReadPDF(pdf)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func mustLetterPDF(t testing.TB, l contact.Letter, mark printMark) []byte {
	t.Helper()
	b, err := letterPDF(l, mark)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The letter PDF is well formed, runs to as many pages as it needs, and
// reads back with the letter's own words, punctuation and all, in order.
func TestLetterPDFStructure(t *testing.T) {
	d := haven.NewDate
	var changes []contact.Change
	for i := range 40 { // enough to need more than one page
		changes = append(changes, contact.Change{ID: int64(i + 1), ArrangementID: 1, ChildName: "Jay", Aspect: "venue", To: "Family centre (room " + strconv.Itoa(i) + ")",
			EffectiveOn: d(2026, 3, 1), ChangedBy: "court", ReasonGiven: contact.ReasonYes, Reason: "The old centre closed (for repairs) \\ costs £40–50"})
	}
	arrs := []contact.Arrangement{{ID: 1, ChildName: "Jay", Type: contact.Supervised, Frequency: "Monthly", ArrangedBy: "local-authority", Basis: "care-plan", StartOn: d(2024, 1, 1)}}
	letter := contact.BuildLetter("Robin", arrs, changes, d(2026, 1, 1), d(2026, 6, 30), d(2026, 11, 23))
	got := readLetterPDF(t, mustLetterPDF(t, letter, testMark))
	if len(got.Pages) < 2 {
		t.Errorf("%d pages; forty changes need more than one", len(got.Pages))
	}
	if got.Pages[0][0] != "What has changed and why" {
		t.Errorf("the letter starts %q", got.Pages[0][0])
	}
	// The body, without the foot of each page, which falls inside any
	// paragraph that runs over a page.
	var body []string
	for _, lines := range got.Pages {
		for _, l := range lines {
			if strings.HasPrefix(l, "Your practitioner:") {
				break
			}
			body = append(body, l)
		}
	}
	text := strings.Join(strings.Fields(strings.Join(body, " ")), " ")
	for _, want := range []string{"Dear Robin,", "(for repairs) \\ costs £40–50", "to “Family centre (room 39)”"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF lacks %q", want)
		}
	}
	// Every paragraph of the letter is there, in order.
	rest := text
	for _, sec := range letter.Sections {
		for _, p := range append([]string{sec.Heading}, sec.Paras...) {
			p = strings.Join(strings.Fields(p), " ")
			i := strings.Index(rest, p)
			if i < 0 {
				t.Fatalf("the PDF lacks, or has out of order, %q", p)
			}
			rest = rest[i+len(p):]
		}
	}
	// A reader names the document, in English, and lists its sections.
	if got.Title != "What has changed and why: Robin" || got.Lang != "en-GB" {
		t.Errorf("title %q, language %q", got.Title, got.Lang)
	}
	if len(got.Outline) < 3 || got.Outline[0] != "What has changed and why" {
		t.Errorf("bookmarks %q", got.Outline)
	}
}

// The letter for a woman whose name is not in Latin-1 prints her name as
// written, in the greeting, the heading and the document title: with the
// standard Helvetica fonts it printed "Agnieszka Wi?niewska-??cka Nguy?n".
func TestLetterPDFPrintsHerNameAsWritten(t *testing.T) {
	d := haven.NewDate
	const name = "Agnieszka Wiśniewska-Łącka Nguyễn"
	arrs := []contact.Arrangement{{ID: 1, ChildName: "Łucja", Type: contact.Letterbox, Frequency: "Twice a year", StartOn: d(2024, 1, 1)}}
	mark := testMark
	mark.Practitioner = "Ştefan Dumitrescu"
	got := readLetterPDF(t, mustLetterPDF(t, contact.BuildLetter(name, arrs, nil, d(2026, 1, 1), d(2026, 6, 30), d(2026, 11, 23)), mark))
	text := got.Text()
	for _, want := range []string{"For " + name + ". Made on 23 November 2026.", "Dear " + name + ",", "Łucja", "Your practitioner: Ştefan Dumitrescu."} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q; it reads:\n%s", want, text)
		}
	}
	if strings.Contains(text, "?") {
		t.Errorf("a character printed as ?:\n%s", text)
	}
	if got.Title != "What has changed and why: "+name {
		t.Errorf("title %q", got.Title)
	}
}

// Whatever she or her practitioner typed, the letter is a well-formed PDF
// that reads back.
func FuzzLetterPDF(f *testing.F) {
	for _, seed := range []string{"", "plain words", "(unbalanced \\ parens", "“quoted” – £5 €3 …", "line one\nline two\ttab", strings.Repeat("long ", 400), "\x00\xff\xfe", "日本語", "Wiśniewska-Łącka Nguyễn", "{nb}"} {
		f.Add(seed, seed)
	}
	f.Fuzz(func(t *testing.T, reason, view string) {
		d := haven.NewDate
		changes := []contact.Change{{ID: 1, ArrangementID: 1, ChildName: view, Aspect: "other", To: reason, EffectiveOn: d(2026, 3, 1), ChangedBy: "court",
			ReasonGiven: contact.ReasonYes, Reason: reason, HerView: view}}
		arrs := []contact.Arrangement{{ID: 1, ChildName: view, Type: contact.Letterbox, Frequency: reason, StartOn: d(2024, 1, 1)}}
		pdf := mustLetterPDF(t, contact.BuildLetter(reason, arrs, changes, d(2026, 1, 1), d(2026, 6, 30), d(2026, 11, 23)),
			printMark{At: testMark.At, By: view, Practitioner: reason, Practice: view, PracticePage: testMark.PracticePage})
		readLetterPDF(t, pdf)
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
			pages := readLetterPDF(t, mustLetterPDF(t, contact.BuildLetter("Robin", arrs, changes, d(2026, 1, 1), d(2026, 6, 30), d(2026, 11, 23)), tc.mark)).Pages
			if tc.changes > 0 && len(pages) < 3 {
				t.Fatalf("%d pages; %d changes need three or more", len(pages), tc.changes)
			}
			for i, lines := range pages {
				text := strings.Join(lines, "\n")
				if last := lines[len(lines)-1]; last != fmt.Sprintf("Page %d of %d", i+1, len(pages)) {
					t.Errorf("page %d ends %q, want %q", i+1, last, fmt.Sprintf("Page %d of %d", i+1, len(pages)))
				}
				// The wrapped foot is joined back into its sentences.
				foot := strings.Join(strings.Fields(text), " ")
				for _, w := range tc.want {
					if !strings.Contains(foot, w) {
						t.Errorf("page %d lacks %q; it reads:\n%s", i+1, w, text)
					}
				}
			}
		})
	}
}
