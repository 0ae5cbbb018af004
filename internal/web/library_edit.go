package web

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/filestore"
	"haven/internal/haven"
	"haven/internal/library"
	"haven/internal/store"
)

// Contributions and editing (issue 21 item 3): any signed-in member of
// staff proposes a resource, which stays proposed and never public; library
// editors review the queue, publish, feature, edit (each edit a new
// version) and retire. Every change writes its audit row in the store's
// transaction; editors' views of the queue and the edit page write one too.

// libraryForm is the resource form as typed.
type libraryForm struct {
	library.Content
	Day, Month, Year string
	What             string
	Version          int
}

func formOf(c library.Content) libraryForm {
	f := libraryForm{Content: c}
	if !c.Date.IsZero() {
		f.Day, f.Month, f.Year = strconv.Itoa(c.Date.Day()), strconv.Itoa(int(c.Date.Month())), strconv.Itoa(c.Date.Year())
	}
	return f
}

// parseLibraryForm reads the form and checks it; problems are keyed by
// field name with messages naming fields as their labels do.
func parseLibraryForm(v url.Values, file library.File) (libraryForm, map[string]string) {
	f := libraryForm{Content: library.Content{Title: strings.TrimSpace(v.Get("title")), Summary: strings.TrimSpace(v.Get("summary")),
		Type: v.Get("type"), Author: strings.TrimSpace(v.Get("author")), Organisation: strings.TrimSpace(v.Get("organisation")),
		Licence: v.Get("licence"), CoProduced: v.Get("co-produced") == "yes", Link: strings.TrimSpace(v.Get("link")), File: file},
		Day: strings.TrimSpace(v.Get("date-day")), Month: strings.TrimSpace(v.Get("date-month")), Year: strings.TrimSpace(v.Get("date-year")),
		What: strings.TrimSpace(v.Get("what"))}
	f.Topics = slices.Compact(slices.Sorted(slices.Values(v["topics"])))
	f.Audiences = slices.Compact(slices.Sorted(slices.Values(v["audiences"])))
	f.Version, _ = strconv.Atoi(v.Get("version"))
	var dateErr string
	if f.Day+f.Month+f.Year != "" {
		d, errD := strconv.Atoi(f.Day)
		m, errM := strconv.Atoi(f.Month)
		y, errY := strconv.Atoi(f.Year)
		t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
		switch {
		case errD != nil || errM != nil || errY != nil || t.Day() != d || int(t.Month()) != m:
			dateErr = "Date must be a real date, like 27 3 2026"
		case y < 1900 || t.After(time.Now().AddDate(1, 0, 0)):
			dateErr = "Date must be after 1900 and not more than a year from now"
		default:
			f.Date = t
		}
	}
	problems := library.Check(f.Content)
	if dateErr != "" {
		problems["date"] = dateErr
	}
	if utf8.RuneCountInString(f.What) > library.MaxWhat {
		problems["what"] = "What changed must be " + strconv.Itoa(library.MaxWhat) + " characters or fewer"
	} else if !library.PlainText(f.What) {
		problems["what"] = "What changed must be plain text, without <, > or control characters"
	}
	return f, problems
}

// libFormErrors are a form's problems in form order, each linked to its
// first input (a fieldset's first checkbox or radio).
func libFormErrors(problems map[string]string) []FieldError {
	errs := fieldErrors(problems, library.FieldOrder...)
	for i, e := range errs {
		switch e.Field {
		case "type":
			errs[i].Field = "type-" + library.Types[0].Code
		case "topics":
			errs[i].Field = "topics-" + library.Topics[0].Code
		case "audiences":
			errs[i].Field = "audiences-" + library.Audiences[0].Code
		case "licence":
			errs[i].Field = "licence-" + library.Licences[0].Code
		case "date":
			errs[i].Field = "date-day"
		}
	}
	return errs
}

// libraryFormPage is the propose form and the edit page.
type libraryFormPage struct {
	Layout
	Form     libraryForm
	Problems map[string]string
	// The edit page's own parts.
	Resource    *library.Resource
	Versions    []library.Version
	Replacement string
	RetireError string
}

// Problem is the message for one field, or "".
func (p *libraryFormPage) Problem(field string) string { return p.Problems[field] }

func newLibraryFormPage(title string, f libraryForm) *libraryFormPage {
	return &libraryFormPage{Layout: Layout{Title: title, Nav: "library"}, Form: f, Problems: map[string]string{}}
}

func (s *Server) libraryProposeForm(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "library-propose.html", newLibraryFormPage("Propose a resource", libraryForm{}))
}

func (s *Server) libraryPropose(w http.ResponseWriter, r *http.Request) error {
	// The form is multipart when it can carry a file; an old page's plain form still works.
	var up *uploadedFile
	var fileProblem *FieldError
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		var err error
		if up, fileProblem, err = readOptionalUpload(r, "file"); err != nil {
			return err
		}
	} else if err := parseForm(r); err != nil {
		return err
	}
	var file library.File
	if up != nil {
		name := up.Name
		if name == "" {
			name = "resource"
		}
		file = library.File{Key: "pending", Name: name + up.Type.Ext, Type: up.Type.ContentType, Size: int64(len(up.Data))}
	}
	f, problems := parseLibraryForm(r.PostForm, file)
	switch {
	case fileProblem != nil:
		problems["file"] = fileProblem.Message
	case up != nil && f.Link != "":
		problems["link"] = "Give a link or a file, not both"
	case up != nil && s.uploads == nil:
		problems["file"] = "Files cannot be uploaded to this Haven: give a link instead"
	}
	if len(problems) > 0 {
		f.File = library.File{} // the file is not kept: it is chosen again
		p := newLibraryFormPage("Propose a resource", f)
		p.Problems, p.Errors = problems, libFormErrors(problems)
		return s.render(w, r, http.StatusUnprocessableEntity, "library-propose.html", p)
	}
	if up != nil {
		f.File.Key = filestore.NewKey()
		if err := s.uploads.Put(r.Context(), f.File.Key, bytes.NewReader(up.Data), f.File.Size, f.File.Type); err != nil {
			return err
		}
	}
	actor := infoFrom(r.Context()).actor
	if _, err := s.store.CreateResource(r.Context(), s.auditEvent(r, audit.Create),
		library.Resource{Status: library.StatusProposed, Content: f.Content}, actor.User.ID); err != nil && !isDuplicate(err) {
		return err
	}
	s.saved(w, r, "/library", "lib-proposed")
	return nil
}

// libraryFile sends a resource's uploaded file as a download: a published
// one to anyone, a proposed or retired one to library editors only.
func (s *Server) libraryFile(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return haven.ErrNotFound
	}
	res, err := s.store.Resource(r.Context(), id)
	if err != nil {
		return err
	}
	a := infoFrom(r.Context()).actor
	editor := a != nil && a.Can(access.PermLibraryEdit)
	if res.File.Key == "" || s.uploads == nil || (res.Status != library.StatusPublished && !editor) {
		return haven.ErrNotFound
	}
	ev := s.auditEvent(r, audit.Export)
	ev.RecordType, ev.RecordID, ev.Section = "library-resource", strconv.FormatInt(id, 10), "file"
	if err := s.store.Audit(r.Context(), ev); err != nil {
		return err
	}
	return s.serveAttachment(w, r, s.uploads, res.File.Key, res.File.Name, res.File.Type)
}

// libraryReviewPage is the editors' queue of proposed resources.
type libraryReviewPage struct {
	Layout
	Proposed []library.Resource
}

// TypeName names a resource type.
func (libraryReviewPage) TypeName(code string) string { return library.NameOf(library.Types, code) }

func (s *Server) libraryReview(w http.ResponseWriter, r *http.Request) error {
	rs, err := s.store.ProposedResources(r.Context())
	if err != nil {
		return err
	}
	ev := s.auditEvent(r, audit.View)
	ev.RecordType = "library-review"
	if err := s.store.Audit(r.Context(), ev); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "library-review.html", &libraryReviewPage{Layout: Layout{Title: "Resources to review", Nav: "library"}, Proposed: rs})
}

// editPage is a resource's edit page for an editor, with form f.
func (s *Server) editPage(r *http.Request, res library.Resource, f libraryForm) (*libraryFormPage, error) {
	p := newLibraryFormPage("Edit “"+res.Title+"”", f)
	p.Resource = &res
	var err error
	p.Versions, err = s.store.ResourceVersions(r.Context(), res.ID)
	return p, err
}

func (s *Server) editedResource(r *http.Request) (library.Resource, error) {
	id, err := resourceID(r)
	if err != nil {
		return library.Resource{}, err
	}
	return s.store.Resource(r.Context(), id)
}

func (s *Server) libraryEditForm(w http.ResponseWriter, r *http.Request) error {
	res, err := s.editedResource(r)
	if err != nil {
		return err
	}
	f := formOf(res.Content)
	f.Version = res.Version
	p, err := s.editPage(r, res, f)
	if err != nil {
		return err
	}
	ev := s.auditEvent(r, audit.View)
	ev.RecordType, ev.RecordID = store.KindLibraryResource, strconv.FormatInt(res.ID, 10)
	if err := s.store.Audit(r.Context(), ev); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "library-edit.html", p)
}

func (s *Server) libraryEdit(w http.ResponseWriter, r *http.Request) error {
	res, err := s.editedResource(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	f, problems := parseLibraryForm(r.PostForm, res.File) // the form does not carry an uploaded file
	if f.Version != res.Version && len(problems) == 0 {
		problems["title"] = "Someone else changed this resource while you were editing it. Check the version history below, then make your change again"
	}
	if len(problems) > 0 {
		p, err := s.editPage(r, res, f)
		if err != nil {
			return err
		}
		p.Problems, p.Errors = problems, libFormErrors(problems)
		status := http.StatusUnprocessableEntity
		if f.Version != res.Version {
			status = http.StatusConflict
		}
		return s.render(w, r, status, "library-edit.html", p)
	}
	what := f.What
	if what == "" {
		changed := library.Changes(res.Content, f.Content)
		if len(changed) == 0 {
			s.saved(w, r, resourcePath(res.ID), "lib-unchanged")
			return nil
		}
		what = "Changed: " + strings.ToLower(strings.Join(changed, ", "))
	}
	if err := s.store.EditResource(r.Context(), s.auditEvent(r, audit.Update), res.ID, f.Version, f.Content, what,
		infoFrom(r.Context()).actor.User.ID); err != nil {
		return err
	}
	s.saved(w, r, resourcePath(res.ID)+"/edit", "lib-edited")
	return nil
}

func resourcePath(id int64) string { return "/library/resources/" + strconv.FormatInt(id, 10) }

// libraryStatusChange answers a publish, feature or retire button: a
// change no longer possible (published twice, say) is a conflict.
func (s *Server) libraryStatusChange(w http.ResponseWriter, r *http.Request, change func(library.Resource) error, flash string) error {
	res, err := s.editedResource(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	if err := change(res); err != nil {
		return err
	}
	s.saved(w, r, resourcePath(res.ID)+"/edit", flash)
	return nil
}

func (s *Server) libraryPublish(w http.ResponseWriter, r *http.Request) error {
	return s.libraryStatusChange(w, r, func(res library.Resource) error {
		return s.store.PublishResource(r.Context(), s.auditEvent(r, audit.Update), res.ID)
	}, "lib-published")
}

func (s *Server) libraryFeature(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	on := r.PostForm.Get("featured") == "yes"
	flash := "lib-unfeatured"
	if on {
		flash = "lib-featured"
	}
	return s.libraryStatusChange(w, r, func(res library.Resource) error {
		return s.store.FeatureResource(r.Context(), s.auditEvent(r, audit.Update), res.ID, on)
	}, flash)
}

// replacementID reads the replacement field: a resource's number or its
// page's address; "" is none.
func replacementID(v string) (int64, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, true
	}
	if u, err := url.Parse(v); err == nil && strings.HasPrefix(u.Path, "/library/resources/") {
		v = strings.TrimSuffix(strings.TrimPrefix(u.Path, "/library/resources/"), "/")
	}
	id, err := strconv.ParseInt(v, 10, 64)
	return id, err == nil && id > 0
}

func (s *Server) libraryRetire(w http.ResponseWriter, r *http.Request) error {
	res, err := s.editedResource(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	typed := r.PostForm.Get("replacement")
	rep, ok := replacementID(typed)
	msg := ""
	switch {
	case !ok || utf8.RuneCountInString(typed) > library.MaxLink:
		msg = "Enter the replacement as a resource's number, like 42, or its address in the library"
	case rep == res.ID:
		msg = "Replaced by must be a different resource"
	case res.Status != library.StatusPublished:
		msg = "Only a published resource can be retired"
	default:
		err := s.store.RetireResource(r.Context(), s.auditEvent(r, audit.Update), res.ID, rep)
		switch {
		case errors.Is(err, haven.ErrInvalid):
			msg = "Replaced by must be a published resource in the library"
		case err != nil:
			return err
		default:
			s.saved(w, r, resourcePath(res.ID)+"/edit", "lib-retired")
			return nil
		}
	}
	f := formOf(res.Content)
	f.Version = res.Version
	p, err := s.editPage(r, res, f)
	if err != nil {
		return err
	}
	p.Replacement, p.RetireError = typed, msg
	p.Errors = []FieldError{{"replacement", msg}}
	return s.render(w, r, http.StatusUnprocessableEntity, "library-edit.html", p)
}

// libChoiceSet is a fieldset of radios or checkboxes for the form.
type libChoiceSet struct {
	Name, Legend, Error string
	Class, Type         string // "radios" and "radio", or "checkboxes" and "checkbox"
	Options             []libOption
}

// Choices is the fieldset for one of the form's lists.
func (p *libraryFormPage) Choices(name string) libChoiceSet {
	c := libChoiceSet{Name: name, Legend: library.Labels[name], Error: p.Problems[name], Class: "checkboxes", Type: "checkbox"}
	var opts []library.Option
	var chosen []string
	switch name {
	case "type":
		opts, chosen, c.Class, c.Type = library.Types, []string{p.Form.Type}, "radios", "radio"
	case "topics":
		opts, chosen = library.Topics, p.Form.Topics
	case "audiences":
		opts, chosen = library.Audiences, p.Form.Audiences
	case "licence":
		opts, chosen, c.Class, c.Type = library.Licences, []string{p.Form.Licence}, "radios", "radio"
	}
	for _, o := range opts {
		c.Options = append(c.Options, libOption{Code: o.Code, Name: o.Name, Checked: slices.Contains(chosen, o.Code)})
	}
	return c
}
