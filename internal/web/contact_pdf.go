package web

import (
	"bytes"
	"fmt"
	"strings"

	"haven/internal/contact"
)

// A minimal PDF 1.4 writer for text-only letters: A4 pages, the standard
// Helvetica fonts (which every PDF reader has, so nothing is embedded), and
// paragraphs wrapped by the fonts' published widths. It is enough for a
// plain letter and needs no dependency.

const (
	pdfPageW, pdfPageH = 595.0, 842.0 // A4 in points
	pdfMargin          = 56.0
)

// helveticaWidths are the Adobe Helvetica AFM widths of ' ' to '~', in 1/1000 em.
var helveticaWidths = [95]int{
	278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space to /
	556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0 to ?
	1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @ to O
	667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P to _
	333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // ` to o
	556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // p to ~
}

// winAnsi maps the characters Haven's letters use beyond ASCII to the fonts' encoding.
var winAnsi = map[rune]byte{'‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '–': 0x96, '—': 0x97, '…': 0x85, '€': 0x80}

func pdfEncode(s string) []byte {
	var out []byte
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			out = append(out, ' ') // paragraphs are rewrapped to the page
		case r >= 0x20 && r < 0x7f:
			out = append(out, byte(r))
		case r >= 0xa0 && r <= 0xff:
			out = append(out, byte(r))
		default:
			if b, ok := winAnsi[r]; ok {
				out = append(out, b)
			} else {
				out = append(out, '?')
			}
		}
	}
	return out
}

func textWidth(b []byte, size float64, bold bool) float64 {
	w := 0
	for _, c := range b {
		if c >= 0x20 && c < 0x7f {
			w += helveticaWidths[c-0x20]
		} else {
			w += 556
		}
	}
	f := size / 1000
	if bold {
		f *= 1.08 // Helvetica-Bold is a little wider; wrap with room to spare
	}
	return float64(w) * f
}

// wrap breaks encoded text into lines no wider than width.
func wrap(b []byte, size, width float64, bold bool) [][]byte {
	var lines [][]byte
	var line []byte
	for _, word := range bytes.Fields(b) {
		try := word
		if len(line) > 0 {
			try = append(append(append([]byte{}, line...), ' '), word...)
		}
		if len(line) > 0 && textWidth(try, size, bold) > width {
			lines = append(lines, line)
			line = append([]byte{}, word...)
			continue
		}
		line = try
	}
	if len(line) > 0 {
		lines = append(lines, line)
	}
	return lines
}

type pdfLine struct {
	text []byte
	size float64
	bold bool
	gap  float64 // space above
}

// pdfFootSize is the type size of the foot of each page, and pdfFootY the
// baseline of its last line, "Page N of M".
const pdfFootSize, pdfFootY = 9.0, pdfMargin - 20

// letterPDF lays the letter out and writes the PDF. The foot of every page
// carries the print mark and "Page N of M", as a page may be read on its own.
func letterPDF(l contact.Letter, mark printMark) []byte {
	var foot [][]byte
	for _, s := range mark.Lines() {
		foot = append(foot, wrap(pdfEncode(s), pdfFootSize, pdfPageW-2*pdfMargin, false)...)
	}
	// The letter stops a line's space above the foot.
	floor := pdfFootY + pdfFootSize*1.35*float64(len(foot)+1) + 8

	var lines []pdfLine
	add := func(s string, size float64, bold bool, gap float64) {
		for i, t := range wrap(pdfEncode(s), size, pdfPageW-2*pdfMargin, bold) {
			g := 0.0
			if i == 0 {
				g = gap
			}
			lines = append(lines, pdfLine{t, size, bold, g})
		}
	}
	add(l.Title(), 18, true, 0)
	add("For "+l.Name+". Made on "+l.Made.Long()+".", 11, false, 6)
	for _, sec := range l.Sections {
		if sec.Heading != "" {
			add(sec.Heading, 13, true, 14)
		}
		for _, p := range sec.Paras {
			add(p, 11, false, 8)
		}
	}
	// Paginate.
	var pages [][]pdfLine
	var cur []pdfLine
	y := pdfPageH - pdfMargin
	for _, ln := range lines {
		h := ln.size*1.35 + ln.gap
		if y-h < floor && len(cur) > 0 {
			pages = append(pages, cur)
			cur, y = nil, pdfPageH-pdfMargin
			ln.gap = 0
			h = ln.size * 1.35
		}
		y -= h
		cur = append(cur, ln)
	}
	pages = append(pages, cur)

	var objs [][]byte // object n is objs[n-1]
	objs = append(objs, nil, nil,
		[]byte("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"),
		[]byte("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"))
	var kids []string
	for i, pg := range pages {
		var c bytes.Buffer
		y := pdfPageH - pdfMargin
		for _, ln := range pg {
			y -= ln.size*1.35 + ln.gap
			font := "F1"
			if ln.bold {
				font = "F2"
			}
			fmt.Fprintf(&c, "BT /%s %.0f Tf 1 0 0 1 %.2f %.2f Tm (%s) Tj ET\n", font, ln.size, pdfMargin, y, pdfEscape(ln.text))
		}
		for j, t := range foot {
			fmt.Fprintf(&c, "BT /F1 %.0f Tf 1 0 0 1 %.2f %.2f Tm (%s) Tj ET\n", pdfFootSize, pdfMargin, pdfFootY+pdfFootSize*1.35*float64(len(foot)-j), pdfEscape(t))
		}
		fmt.Fprintf(&c, "BT /F1 %.0f Tf 1 0 0 1 %.2f %.2f Tm (Page %d of %d) Tj ET\n", pdfFootSize, pdfMargin, pdfFootY, i+1, len(pages))
		content := fmt.Appendf(nil, "<< /Length %d >>\nstream\n%sendstream", c.Len(), c.Bytes())
		objs = append(objs, content)
		contentN := len(objs)
		objs = append(objs, fmt.Appendf(nil, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.0f %.0f] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>",
			pdfPageW, pdfPageH, contentN))
		kids = append(kids, fmt.Sprintf("%d 0 R", len(objs)))
	}
	objs[0] = []byte("<< /Type /Catalog /Pages 2 0 R >>")
	objs[1] = fmt.Appendf(nil, "<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(pages))

	var out bytes.Buffer
	out.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = out.Len()
		fmt.Fprintf(&out, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&out, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&out, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return out.Bytes()
}

func pdfEscape(b []byte) []byte {
	var out []byte
	for _, c := range b {
		if c == '(' || c == ')' || c == '\\' {
			out = append(out, '\\')
		}
		out = append(out, c)
	}
	return out
}
