// Package document writes the files Haven hands out: PDFs (through
// codeberg.org/go-pdf/fpdf, with an embedded Unicode font), and CSV and XLSX
// exports (through encoding/csv and github.com/xuri/excelize/v2), with every
// cell that a spreadsheet could read as a formula neutralised. Every route
// that produces one of these goes through this package, so the font, the
// metadata and the injection defence are decided once.
package document

import (
	"bytes"
	_ "embed"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"codeberg.org/go-pdf/fpdf"
)

// Liberation Sans 2 has Arial's metrics and the letters of every name Haven
// has met (Polish, Romanian, Vietnamese, ...); see fonts/README.md.
var (
	//go:embed fonts/LiberationSans-Regular.ttf
	sansRegular []byte
	//go:embed fonts/LiberationSans-Bold.ttf
	sansBold []byte
)

const (
	family = "LiberationSans"
	margin = 56.0 // points, about 2 cm
	// footSize is the type size of the foot of each page.
	footSize = 9.0
	leading  = 1.35 // line height as a multiple of the type size
	// pagesAlias stands for the number of pages until the document is
	// closed. Private-use characters are stripped from all text (see clean),
	// so nothing she or her practitioner typed can be mistaken for it.
	pagesAlias = "\ue000nb\ue000"
)

// PDF is an A4 portrait document of headings and paragraphs, with a foot on
// every page saying what the document is and "Page N of M", since a page may
// be read apart from the others.
type PDF struct {
	f *fpdf.Fpdf
}

// Meta is what a PDF says about itself: the title readers and screen readers
// announce, its language, and the lines at the foot of every page.
type Meta struct {
	Title   string
	Subject string
	Author  string
	Lang    string // BCP 47, for example "en-GB"
	Created time.Time
	Foot    []string
}

// NewPDF starts a document.
func NewPDF(m Meta) *PDF {
	f := fpdf.New("P", "pt", "A4", "")
	f.AddUTF8FontFromBytes(family, "", sansRegular)
	f.AddUTF8FontFromBytes(family, "B", sansBold)
	f.SetMargins(margin, margin, margin)
	f.SetCellMargin(0)
	f.SetTitle(clean(m.Title), true)
	f.SetSubject(clean(m.Subject), true)
	f.SetAuthor(clean(m.Author), true)
	f.SetCreator("Haven", true)
	f.SetProducer("Haven", true)
	if m.Lang != "" {
		f.SetLang(m.Lang)
	}
	if !m.Created.IsZero() {
		f.SetCreationDate(m.Created)
		f.SetModificationDate(m.Created)
	}
	// Open on the first page at its full width, one page at a time.
	f.SetDisplayMode("fullwidth", "single")
	f.AliasNbPages(pagesAlias)

	// The foot is wrapped now so that the body can stop a line's space above it.
	_, pageH := f.GetPageSize()
	f.SetFont(family, "", footSize)
	var foot []string
	for _, line := range m.Foot {
		foot = append(foot, f.SplitText(clean(line), textWidth(f))...)
	}
	footTop := pageH - (margin - 20) - footSize*leading*float64(len(foot)+1)
	f.SetAutoPageBreak(true, pageH-footTop+8)
	f.SetFooterFunc(func() {
		f.SetFont(family, "", footSize)
		y := footTop
		for _, line := range append(foot, fmt.Sprintf("Page %d of %s", f.PageNo(), pagesAlias)) {
			f.SetXY(margin, y)
			f.CellFormat(0, footSize*leading, line, "", 0, "L", false, 0, "")
			y += footSize * leading
		}
	})
	f.AddPage()
	return &PDF{f: f}
}

func textWidth(f *fpdf.Fpdf) float64 {
	w, _ := f.GetPageSize()
	left, _, right, _ := f.GetMargins()
	return w - left - right
}

// Title is the document's first heading, also listed in the reader's
// bookmarks.
func (p *PDF) Title(s string) { p.heading(s, 18, 0, 0) }

// Heading starts a section, listed in the reader's bookmarks under the title.
func (p *PDF) Heading(s string) { p.heading(s, 13, 14, 1) }

func (p *PDF) heading(s string, size, gap float64, level int) {
	s = clean(s)
	p.f.SetFont(family, "B", size)
	// A heading is not left alone at the foot of a page: it needs room for
	// itself and a line of the paragraph after it.
	_, pageH := p.f.GetPageSize()
	_, _, _, bottom := p.f.GetMargins()
	lines := len(p.f.SplitText(s, textWidth(p.f)))
	if p.f.GetY()+gap+float64(lines)*size*leading+11*leading > pageH-bottom {
		p.f.AddPage()
	}
	p.gap(gap)
	p.f.Bookmark(s, level, -1)
	p.f.MultiCell(0, size*leading, s, "", "L", false)
}

// Para is a paragraph of body text, after gap points of space. Line breaks
// and tabs in it become spaces: paragraphs are rewrapped to the page.
func (p *PDF) Para(s string, gap float64) {
	p.text(s, 11, gap)
}

func (p *PDF) text(s string, size, gap float64) {
	p.f.SetFont(family, "", size)
	p.gap(gap)
	p.f.MultiCell(0, size*leading, strings.Join(strings.Fields(clean(s)), " "), "", "L", false)
}

// gap leaves space above a block, except at the top of a page.
func (p *PDF) gap(h float64) {
	_, top, _, _ := p.f.GetMargins()
	if p.f.GetY() > top+0.5 {
		p.f.Ln(h)
	}
}

// Bytes closes the document and returns it.
func (p *PDF) Bytes() ([]byte, error) {
	var b bytes.Buffer
	if err := p.f.Output(&b); err != nil {
		return nil, fmt.Errorf("writing PDF: %w", err)
	}
	return b.Bytes(), nil
}

// clean makes text safe to hand to fpdf, whose UTF-8 path reads only valid
// UTF-8 in the Basic Multilingual Plane: invalid bytes and characters beyond
// it become U+FFFD, control characters become spaces, and invisible
// formatting characters (bidirectional overrides among them) and private-use
// characters are dropped, as a letter on paper cannot show them.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		switch {
		case r > 0xFFFF:
			return utf8.RuneError
		case unicode.IsControl(r):
			return ' '
		case r == '\u00AD': // a soft hyphen is a format character that prints
			return r
		case unicode.Is(unicode.Cf, r), unicode.Is(unicode.Co, r), unicode.Is(unicode.Cs, r):
			return -1
		}
		return r
	}, s)
}
