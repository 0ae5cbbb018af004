package web

import (
	"haven/internal/contact"
	"haven/internal/document"
)

// letterPDF lays the letter out as a PDF: the same words as the printed page,
// in Liberation Sans so that every name prints as written. The foot of every
// page carries the print mark and "Page N of M", as a page may be read on its
// own.
func letterPDF(l contact.Letter, mark printMark) ([]byte, error) {
	d := document.NewPDF(document.Meta{
		Title:   l.Title() + ": " + l.Name,
		Subject: "Her contact with her children, and what changed between " + l.From.Long() + " and " + l.To.Long(),
		Author:  mark.Practice,
		Lang:    "en-GB",
		Created: mark.At,
		Foot:    mark.Lines(),
	})
	d.Title(l.Title())
	d.Para("For "+l.Name+". Made on "+l.Made.Long()+".", 6)
	for _, sec := range l.Sections {
		if sec.Heading != "" {
			d.Heading(sec.Heading)
		}
		for _, p := range sec.Paras {
			d.Para(p, 8)
		}
	}
	return d.Bytes()
}
