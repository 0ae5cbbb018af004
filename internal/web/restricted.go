package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/programme"
)

// A restricted section is read on her record and changed on a page of its
// own, which shows every earlier version, who wrote it and when.

type restrictedPage struct {
	Layout
	Person   programme.Person
	Section  programme.Section
	Current  programme.RestrictedVersion // Version 0: nothing written yet
	Versions []programme.RestrictedVersion
	Body     string // the form as typed
	Reason   string
	Version  int64 // the version the writer started from
}

func (p *restrictedPage) record() (programme.Person, string, *recordBar) {
	return p.Person, "details", nil
}

// Earlier are the versions before the current one.
func (p *restrictedPage) Earlier() []programme.RestrictedVersion {
	if len(p.Versions) == 0 {
		return nil
	}
	return p.Versions[1:]
}

// Lines splits a version's text for display.
func (p *restrictedPage) Lines(s string) []string { return strings.Split(s, "\n") }

// restrictedFor loads her and the section named in the URL, for those who
// may read her restricted sections; anyone else is refused, as the record
// page refuses them.
func (s *Server) restrictedFor(r *http.Request) (*restrictedPage, error) {
	p, acc, err := s.personFor(r)
	if err != nil {
		return nil, err
	}
	if !acc.Record {
		return nil, refuseRecord(p, acc)
	}
	sec, ok := programme.ParseSection(r.PathValue("section"))
	if !ok {
		return nil, haven.ErrNotFound
	}
	if !acc.Restricted {
		return nil, haven.ErrForbidden
	}
	page := &restrictedPage{Layout: Layout{Title: sec.Title() + ": " + p.Name(), Nav: "people"}, Person: p, Section: sec}
	if page.Versions, err = s.store.RestrictedVersions(r.Context(), p.ID, sec); err != nil {
		return nil, err
	}
	if len(page.Versions) > 0 {
		page.Current = page.Versions[0]
	}
	page.Body, page.Version = page.Current.Body, page.Current.Version
	return page, nil
}

// showRestricted audits the view of the section before the page is sent.
func (s *Server) showRestricted(w http.ResponseWriter, r *http.Request, status int, page *restrictedPage) error {
	if err := s.store.Audit(r.Context(), s.viewEvent(r, page.Person.ID, string(page.Section))); err != nil {
		return err
	}
	return s.render(w, r, status, "restricted-section.html", page)
}

func (s *Server) restrictedShow(w http.ResponseWriter, r *http.Request) error {
	page, err := s.restrictedFor(r)
	if err != nil {
		return err
	}
	return s.showRestricted(w, r, http.StatusOK, page)
}

func (s *Server) restrictedSave(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	page, err := s.restrictedFor(r)
	if err != nil {
		return err
	}
	body, reason := strings.TrimSpace(r.PostFormValue("body")), strings.TrimSpace(r.PostFormValue("reason"))
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	err = s.store.SaveRestricted(r.Context(), s.auditEvent(r, audit.Update), page.Person.ID, page.Section, body, reason, version,
		infoFrom(r.Context()).actor.User.ID)
	if err == nil {
		s.saved(w, r, "/people/"+page.Person.Ref+"#section-"+string(page.Section)+"-card", "section")
		return nil
	}
	// Keep what was typed; on a conflict, show the version now saved above it.
	page.Body, page.Reason, page.Version = body, reason, version
	status := http.StatusUnprocessableEntity
	switch he, _ := errors.AsType[*haven.Error](err); {
	case errors.Is(err, haven.ErrConflict):
		status, page.Version = http.StatusConflict, page.Current.Version
		page.Errors = []FieldError{{"body", "Someone else changed this section while you were editing. Your text is kept below: check the version now saved, then save again"}}
	case he != nil && he.Kind == haven.KindInvalid:
		page.Errors = fieldErrors(he.Fields, "body", "reason")
	default:
		return err
	}
	return s.showRestricted(w, r, status, page)
}
