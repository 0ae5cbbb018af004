package web

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"haven/internal/audit"
	"haven/internal/directory"
	"haven/internal/haven"
	"haven/internal/store"
)

// The directory editors' queue (issue 20 item 3): suggestions and
// corrections from the public to approve or reject, and entries nobody has
// verified for 12 months. Every view and change here writes an audit row.

// dirQueuePage is the moderation queue.
type dirQueuePage struct {
	Layout
	Suggestions []store.Suggestion
	Stale       []directory.Service
}

// staleServices are the directory's entries not verified for StaleAfter
// months, oldest verification first; read a page at a time, as the feed is.
func (s *Server) staleServices(r *http.Request) ([]directory.Service, error) {
	today := s.now()
	var out []directory.Service
	for page := 1; ; page++ {
		ss, total, err := s.store.ListServices(r.Context(), directory.Query{Page: page, PerPage: directory.MaxPerPage})
		if err != nil {
			return nil, err
		}
		for _, sv := range ss {
			if directory.Stale(sv.LastVerified, today) {
				out = append(out, sv)
			}
		}
		if page*directory.MaxPerPage >= total || len(ss) == 0 {
			break
		}
	}
	return out, nil
}

func (s *Server) dirQueue(w http.ResponseWriter, r *http.Request) error {
	sgs, err := s.store.PendingSuggestions(r.Context())
	if err != nil {
		return err
	}
	stale, err := s.staleServices(r)
	if err != nil {
		return err
	}
	ev := s.auditEvent(r, audit.View)
	ev.RecordType = "dir-suggestions"
	if err := s.store.Audit(r.Context(), ev); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "directory-queue.html", &dirQueuePage{Layout: Layout{Title: "Directory queue", Nav: "directory-queue"},
		Suggestions: sgs, Stale: stale})
}

// dirSuggestionPage is one suggestion for an editor: a new service to
// approve or reject, or a correction beside the service's current entry
// with the form to change it.
type dirSuggestionPage struct {
	Layout
	Suggestion store.Suggestion
	Service    directory.Service // a correction's service
	Edit       *dirFormPage      // a correction's edit form, from the current entry
	Reason     string
}

// AreaNames names a suggestion's authorities.
func (p *dirSuggestionPage) AreaNames() []string {
	return p.Edit.areaNames(p.Suggestion.Entry.ServiceAreas)
}

func (p *dirFormPage) areaNames(codes []string) []string {
	var out []string
	for _, c := range codes {
		name := c
		for _, la := range p.Authorities {
			if la.Code == c {
				name = la.Name
			}
		}
		out = append(out, name)
	}
	return out
}

func (s *Server) suggestionPage(r *http.Request) (*dirSuggestionPage, error) {
	sg, err := s.store.SuggestionByID(r.Context(), r.PathValue("id"))
	if errors.Is(err, haven.ErrNotFound) {
		return nil, &statusError{http.StatusNotFound, ""}
	}
	if err != nil {
		return nil, err
	}
	p := &dirSuggestionPage{Layout: Layout{Title: "Suggested service", Nav: "directory-queue"}, Suggestion: sg}
	f := suggestForm{Entry: sg.Entry, SelfReferralSet: true}
	if sg.Kind == store.SuggestCorrection {
		p.Title = "Suggested correction"
		if p.Service, err = s.store.Service(r.Context(), sg.ServiceID); err != nil {
			return nil, err
		}
		f = suggestForm{Entry: p.Service.Entry, SelfReferralSet: true}
	}
	if p.Edit, err = s.newDirFormPage(r, p.Title, f); err != nil {
		return nil, err
	}
	return p, nil
}

func (s *Server) dirSuggestion(w http.ResponseWriter, r *http.Request) error {
	p, err := s.suggestionPage(r)
	if err != nil {
		return err
	}
	ev := s.auditEvent(r, audit.View)
	ev.RecordType, ev.RecordID = "dir-suggestion", p.Suggestion.ID
	if err := s.store.Audit(r.Context(), ev); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "directory-suggestion.html", p)
}

// editorName is who made a change, for the field history: the editor's
// Haven user id, never a name (the feed does not publish it).
func editorName(r *http.Request) string {
	if a := infoFrom(r.Context()).actor; a != nil {
		return "haven-user:" + strconv.FormatInt(a.User.ID, 10)
	}
	return "haven"
}

func (s *Server) dirApprove(w http.ResponseWriter, r *http.Request) error {
	p, err := s.suggestionPage(r)
	if err != nil {
		return err
	}
	if p.Suggestion.Kind != store.SuggestService {
		return &statusError{http.StatusNotFound, ""}
	}
	// The entry was checked when it was sent; check again, as the list of
	// authorities or terms may have changed since.
	known, err := s.knownArea(r)
	if err != nil {
		return err
	}
	if fields := entryProblems(p.Suggestion.Entry, known); len(fields) > 0 {
		p.Errors = fieldErrors(fields, suggestFields...)
		return s.render(w, r, http.StatusUnprocessableEntity, "directory-suggestion.html", p)
	}
	if _, err := s.store.ApproveSuggestion(r.Context(), s.auditEvent(r, audit.Update), p.Suggestion.ID, editorName(r)); err != nil {
		return err
	}
	s.saved(w, r, "/directory/queue", "dir-approved")
	return nil
}

func (s *Server) dirReject(w http.ResponseWriter, r *http.Request) error {
	p, err := s.suggestionPage(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	p.Reason = r.PostFormValue("reason")
	fields := map[string]string{}
	dirPlainText(fields, "reason", "why it is rejected", p.Reason, true, 500)
	if len(fields) > 0 {
		p.Errors = fieldErrors(fields, "reason")
		return s.render(w, r, http.StatusUnprocessableEntity, "directory-suggestion.html", p)
	}
	ev := s.auditEvent(r, audit.Update)
	if p.Suggestion.Kind == store.SuggestCorrection {
		err = s.store.CloseCorrection(r.Context(), ev, p.Suggestion.ID, false, p.Reason)
	} else {
		err = s.store.RejectSuggestion(r.Context(), ev, p.Suggestion.ID, p.Reason)
	}
	if err != nil {
		return err
	}
	s.saved(w, r, "/directory/queue", "dir-rejected")
	return nil
}

// dirEntryPage is an editor's page for one entry: its values, the form
// to change them, and "Mark as checked today".
type dirEntryPage struct {
	*dirFormPage
	Service    directory.Service
	Stale      bool
	Correction string // the correction this edit answers, if any
	History    []store.DirMetadata
	Keepers    []store.ServiceKeeper // the accounts that keep it (directory_contact.go)
}

func (s *Server) editorService(r *http.Request) (directory.Service, error) {
	svc, err := s.store.Service(r.Context(), r.PathValue("id"))
	if errors.Is(err, haven.ErrNotFound) {
		return svc, &statusError{http.StatusNotFound, ""}
	}
	return svc, err
}

func (s *Server) dirEntry(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.editorService(r)
	if err != nil {
		return err
	}
	f, err := s.newDirFormPage(r, "Edit "+svc.Name, suggestForm{Entry: svc.Entry, SelfReferralSet: true})
	if err != nil {
		return err
	}
	f.Nav = "directory-queue"
	hist, err := s.store.ServiceHistory(r.Context(), svc.ID)
	if err != nil {
		return err
	}
	ev := s.auditEvent(r, audit.View)
	ev.RecordType, ev.RecordID = "dir-service", svc.ID
	if err := s.store.Audit(r.Context(), ev); err != nil {
		return err
	}
	p := &dirEntryPage{dirFormPage: f, Service: svc, Stale: directory.Stale(svc.LastVerified, s.now()), History: hist}
	if err := s.withKeepers(r, p); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "directory-entry.html", p)
}

// dirEntrySave changes an entry (UpdateService keeps its field history);
// sent from a correction's page, it also closes the correction.
func (s *Server) dirEntrySave(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.editorService(r)
	if err != nil {
		return err
	}
	e, fields, version, err := s.parseEntryEdit(r, svc)
	if err != nil {
		return err
	}
	f, err := s.newDirFormPage(r, "Edit "+svc.Name, suggestForm{Entry: e, SelfReferralSet: true})
	if err != nil {
		return err
	}
	f.Nav = "directory-queue"
	p := &dirEntryPage{dirFormPage: f, Service: svc, Stale: directory.Stale(svc.LastVerified, s.now()), Correction: r.PostFormValue("correction")}
	if len(fields) > 0 {
		if err := s.withKeepers(r, p); err != nil {
			return err
		}
		p.Errors = fieldErrors(fields, suggestFields...)
		return s.render(w, r, http.StatusUnprocessableEntity, "directory-entry.html", p)
	}
	svc.Entry, svc.Version = e, version
	if _, err := s.store.UpdateService(r.Context(), svc, editorName(r)); err != nil {
		return err
	}
	ev := s.auditEvent(r, audit.Update)
	ev.RecordType, ev.RecordID = "dir-service", svc.ID
	if err := s.store.Audit(r.Context(), ev); err != nil {
		return err
	}
	if p.Correction != "" {
		if err := s.store.CloseCorrection(r.Context(), s.auditEvent(r, audit.Update), p.Correction, true, ""); err != nil && !errors.Is(err, haven.ErrConflict) {
			return err
		}
		s.saved(w, r, "/directory/queue", "dir-updated")
		return nil
	}
	s.saved(w, r, "/directory/entries/"+svc.ID, "dir-updated")
	return nil
}

// parseEntryEdit reads an entry's edit form, the editors' or a service
// contact's: the entry as changed, its problems by field, and the version
// the change started from.
func (s *Server) parseEntryEdit(r *http.Request, svc directory.Service) (directory.Entry, map[string]string, int64, error) {
	if err := parseForm(r); err != nil {
		return directory.Entry{}, nil, 0, err
	}
	e := parseEntryFields(r.PostForm)
	// UpdateService keeps these from the stored entry: checked as they are.
	e.Phone, e.Postcode = svc.Phone, svc.Postcode
	if svc.PracticeID != 0 {
		e.Name, e.ServiceAreas = svc.Name, svc.ServiceAreas
	}
	known, err := s.knownArea(r)
	if err != nil {
		return e, nil, 0, err
	}
	fields := entryProblems(e, known)
	if sr := r.PostFormValue("self-referral"); sr != "yes" && sr != "no" {
		fields["self-referral"] = "Say whether parents can refer themselves"
	}
	version, verr := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if verr != nil {
		return e, nil, 0, badRequest("This form is missing its version. Reload the page and make your change again.")
	}
	return e, fields, version, nil
}

// dirEntryChecked marks an entry as verified today: a field-history row
// like any other change.
func (s *Server) dirEntryChecked(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.editorService(r)
	if err != nil {
		return err
	}
	now := s.now().In(london)
	svc.LastVerified = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	if _, err := s.store.UpdateService(r.Context(), svc, editorName(r)); err != nil {
		return err
	}
	ev := s.auditEvent(r, audit.Update)
	ev.RecordType, ev.RecordID = "dir-service", svc.ID
	if err := s.store.Audit(r.Context(), ev); err != nil {
		return err
	}
	s.saved(w, r, "/directory/entries/"+svc.ID, "dir-checked")
	return nil
}
