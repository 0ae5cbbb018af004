package web

import (
	"net/http"
	"strings"

	"haven/internal/audit"
	"haven/internal/contact"
	"haven/internal/document"
	"haven/internal/haven"
	"haven/internal/programme"
)

// letterPage chooses the period for the "What has changed and why" letter,
// and then shows the letter for printing.
type letterPage struct {
	Layout
	Person   programme.Person
	From, To dateField
	Letter   *contact.Letter
	Printed  printMark
}

func (s *Server) letterPageFor(p programme.Person, from, to haven.Date) *letterPage {
	fd, fm, fy := from.Parts()
	td, tm, ty := to.Parts()
	return &letterPage{Layout: Layout{Title: "What has changed and why: " + p.Name(), Nav: "people"}, Person: p,
		From: dateField{Name: "from", Label: "From", Hint: "For example, 1 1 2026", Day: fd, Month: fm, Year: fy},
		To:   dateField{Name: "to", Label: "To", Hint: "For example, 31 12 2026", Day: td, Month: tm, Year: ty}}
}

func (s *Server) letterForm(w http.ResponseWriter, r *http.Request) error {
	p, _, err := s.contactRecord(r)
	if err != nil {
		return err
	}
	if err := s.store.Audit(r.Context(), s.viewEvent(r, p.ID, "contact")); err != nil {
		return err
	}
	today := s.today()
	t := today.Time().AddDate(-1, 0, 1)
	return s.render(w, r, http.StatusOK, "letter.html", s.letterPageFor(p, haven.NewDate(t.Year(), t.Month(), t.Day()), today))
}

// letterMake produces the letter for the period sent, as a page to print or
// as a PDF, and records that it was produced before sending it.
func (s *Server) letterMake(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	p, rec, err := s.contactRecord(r)
	if err != nil {
		return err
	}
	v := r.PostForm
	errs := map[string]string{}
	from := dateIn(v, "from", "The start of the period", errs)
	to := dateIn(v, "to", "The end of the period", errs)
	today := s.today()
	switch {
	case errs["from"] == "" && from.IsZero():
		errs["from"] = "Enter the start of the period"
	case errs["to"] == "" && to.IsZero():
		errs["to"] = "Enter the end of the period"
	case errs["to"] == "" && to.Before(from):
		errs["to"] = "The end of the period must be on or after the start"
	}
	if len(errs) > 0 {
		page := s.letterPageFor(p, haven.Date{}, haven.Date{})
		page.From.Day, page.From.Month, page.From.Year = v.Get("from-day"), v.Get("from-month"), v.Get("from-year")
		page.To.Day, page.To.Month, page.To.Year = v.Get("to-day"), v.Get("to-month"), v.Get("to-year")
		page.From.Error, page.To.Error = errs["from"], errs["to"]
		page.Errors = fieldErrors(errs, "from", "to")
		return s.render(w, r, http.StatusUnprocessableEntity, "letter.html", page)
	}
	letter := contact.BuildLetter(p.Name(), rec.Arrangements, rec.Changes, from, to, today)
	actor := infoFrom(r.Context()).actor
	pdf := strings.HasSuffix(r.URL.Path, ".pdf")
	format, action := "html", audit.Print
	if pdf {
		format, action = "pdf", audit.Export
	}
	mark, err := s.printMarkFor(r, p)
	if err != nil {
		return err
	}
	var body []byte
	if pdf {
		// Made before the letter is recorded, so a failure records nothing.
		if body, err = letterPDF(letter, mark); err != nil {
			return err
		}
	}
	if err := s.store.RecordLetter(r.Context(), s.auditEvent(r, action), p.ID, from, to, format, actor.User.ID); err != nil {
		return err
	}
	if pdf {
		document.Send(w, body, document.PDFType, "what-has-changed-and-why.pdf")
		return nil
	}
	page := s.letterPageFor(p, from, to)
	page.Letter, page.Printed = &letter, mark
	return s.render(w, r, http.StatusOK, "letter-print.html", page)
}
