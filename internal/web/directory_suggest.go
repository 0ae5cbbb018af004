package web

import (
	"errors"
	"net/http"
	"net/mail"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/directory"
	"haven/internal/haven"
	"haven/internal/store"
)

// "Suggest a service" and "Suggest a correction" (issue 20 item 2): public
// forms, no sign-in, into a moderation queue that directory editors work
// (directory_queue.go). Nothing sent here is published until an editor
// approves it.

// dirSuggestKey shares the referral throttle (the same generous limit, per
// client address) under its own key, so suggestions and referrals do not
// use up each other's allowance.
func dirSuggestKey(r *http.Request) string { return "dir-suggest:" + clientIP(r) }

// suggestFields is the service form's order, for its error summary.
var suggestFields = []string{"organisation", "name", "description", "status", "email", "website", "phone", "how-to-refer",
	"self-referral", "eligibility", "postcode", "areas", "terms", "contact-email"}

// suggestForm is the "Suggest a service" form as typed.
type suggestForm struct {
	Organisation string
	directory.Entry
	SelfReferralSet bool
	ContactEmail    string
}

// Ticked says whether a taxonomy term was chosen.
func (f suggestForm) Ticked(id string) bool { return slices.Contains(f.Terms, id) }

// Covers says whether an authority was chosen.
func (f suggestForm) Covers(code string) bool { return slices.Contains(f.ServiceAreas, code) }

// parseSuggestForm reads the service form from posted values; it never
// fails: what is missing or wrong is found by check.
func parseSuggestForm(v url.Values) suggestForm {
	f := suggestForm{Organisation: strings.TrimSpace(v.Get("organisation")), ContactEmail: strings.TrimSpace(v.Get("contact-email"))}
	f.Entry = parseEntryFields(v)
	sr := v.Get("self-referral")
	f.SelfReferralSet = sr == "yes" || sr == "no"
	return f
}

// parseEntryFields reads directory.Entry's fields as the forms name them.
func parseEntryFields(v url.Values) directory.Entry {
	e := directory.Entry{
		Name: strings.TrimSpace(v.Get("name")), Description: strings.TrimSpace(v.Get("description")),
		Status: directory.Status(v.Get("status")), Email: strings.TrimSpace(v.Get("email")), Website: strings.TrimSpace(v.Get("website")),
		Phone: strings.TrimSpace(v.Get("phone")), HowToRefer: strings.TrimSpace(v.Get("how-to-refer")),
		SelfReferral: v.Get("self-referral") == "yes", Eligibility: strings.TrimSpace(v.Get("eligibility")),
		Postcode: strings.ToUpper(strings.TrimSpace(v.Get("postcode"))),
	}
	for _, a := range v["areas"] {
		if a != "" && !slices.Contains(e.ServiceAreas, a) {
			e.ServiceAreas = append(e.ServiceAreas, a)
		}
	}
	for _, t := range v["terms"] {
		if t != "" && !slices.Contains(e.Terms, t) {
			e.Terms = append(e.Terms, t)
		}
	}
	return e
}

// dirPlainText checks one free-text field the way Entry.Check does: required
// or not, a length limit, and no < or >, so nothing typed can become markup.
func dirPlainText(fields map[string]string, field, label, v string, required bool, max int) {
	switch {
	case v == "" && required:
		fields[field] = "Enter " + label
	case utf8.RuneCountInString(v) > max:
		fields[field] = strings.ToUpper(label[:1]) + label[1:] + " must be " + strconv.Itoa(max) + " characters or fewer"
	case strings.ContainsAny(v, "<>"):
		fields[field] = strings.ToUpper(label[:1]) + label[1:] + " must not contain < or >"
	}
}

func checkContactEmail(fields map[string]string, v string) {
	if v == "" {
		return
	}
	if a, err := mail.ParseAddress(v); err != nil || a.Address != v || a.Name != "" || len(v) > 254 {
		fields["contact-email"] = "Enter your email address in the correct format, like name@example.org"
	}
}

// checkPostcode accepts a postcode or postcode district as written: letters,
// digits and one space, 2 to 8 characters. The directory's search places it.
func checkPostcode(fields map[string]string, v string) {
	if v == "" {
		return
	}
	ok := len(v) >= 2 && len(v) <= 8 && strings.Count(v, " ") <= 1
	for _, r := range v {
		ok = ok && (r == ' ' || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9'))
	}
	if !ok {
		fields["postcode"] = "Enter a postcode, like LS1 4AP"
	}
}

// entryProblems is Entry.Check's problems by field, the first for each.
func entryProblems(e directory.Entry, known func(string) bool) map[string]string {
	fields := map[string]string{}
	for _, p := range e.Check(known) {
		if _, ok := fields[p.Field]; !ok {
			fields[p.Field] = p.Message
		}
	}
	checkPostcode(fields, e.Postcode)
	return fields
}

// check is every problem with the form, by field.
func (f suggestForm) check(known func(string) bool) map[string]string {
	fields := entryProblems(f.Entry, known)
	dirPlainText(fields, "organisation", "who runs the service", f.Organisation, true, 200)
	if !f.SelfReferralSet {
		fields["self-referral"] = "Say whether parents can refer themselves"
	}
	checkContactEmail(fields, f.ContactEmail)
	return fields
}

// dirFormPage is the "Suggest a service" page and the editors' entry form.
type dirFormPage struct {
	Layout
	Form        suggestForm
	Authorities []access.LocalAuthority
	Statuses    []directory.Status
	Taxonomies  []directory.Taxonomy
	Busy        string // the rate limit's message, with a 429
	// AskContact offers the phone and postcode: a new service's, which the
	// store keeps as their own records once approved.
	AskContact bool
}

func (s *Server) newDirFormPage(r *http.Request, title string, f suggestForm) (*dirFormPage, error) {
	_, las, err := s.laIndex(r.Context())
	if err != nil {
		return nil, err
	}
	return &dirFormPage{Layout: Layout{Title: title, Nav: "directory"}, Form: f, Authorities: las,
		Statuses: directory.Statuses, Taxonomies: directory.Taxonomies}, nil
}

// knownArea says whether code is one of the authorities Haven knows.
func (s *Server) knownArea(r *http.Request) (func(string) bool, error) {
	idx, _, err := s.laIndex(r.Context())
	if err != nil {
		return nil, err
	}
	return func(code string) bool { _, ok := idx[code]; return ok }, nil
}

func (s *Server) dirSuggestForm(w http.ResponseWriter, r *http.Request) error {
	p, err := s.newDirFormPage(r, "Suggest a service", suggestForm{Entry: directory.Entry{Status: directory.StatusActive}})
	if err != nil {
		return err
	}
	p.AskContact = true
	return s.render(w, r, http.StatusOK, "directory-suggest.html", p)
}

// dirBusy answers a 429 when this address has sent many suggestions lately.
func (s *Server) dirBusy(w http.ResponseWriter, r *http.Request) (string, bool) {
	wait := s.referralLimit().Wait(dirSuggestKey(r), s.now())
	if wait <= 0 {
		return "", false
	}
	w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
	return "Several suggestions have been sent from this device or network in a short time. Wait " + referralWaitText(wait) +
		", then send the form again. What you typed is kept below.", true
}

func (s *Server) dirSuggest(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := parseSuggestForm(r.PostForm)
	p, err := s.newDirFormPage(r, "Suggest a service", f)
	if err != nil {
		return err
	}
	p.AskContact = true
	if msg, busy := s.dirBusy(w, r); busy {
		p.Busy = msg
		return s.render(w, r, http.StatusTooManyRequests, "directory-suggest.html", p)
	}
	known, err := s.knownArea(r)
	if err != nil {
		return err
	}
	if fields := f.check(known); len(fields) > 0 {
		p.Errors = fieldErrors(fields, suggestFields...)
		return s.render(w, r, http.StatusUnprocessableEntity, "directory-suggest.html", p)
	}
	s.referralLimit().Fail(dirSuggestKey(r), s.now())
	// A repeat of a sent form (same idempotency key) is where the first went.
	if _, err := s.store.CreateSuggestion(r.Context(), s.auditEvent(r, audit.Create), store.Suggestion{Kind: store.SuggestService,
		Organisation: f.Organisation, Entry: f.Entry, ContactEmail: f.ContactEmail}); err != nil && !isDuplicate(err) {
		return err
	}
	http.Redirect(w, r, "/directory/suggest/sent", http.StatusSeeOther)
	return nil
}

// dirSentPage thanks whoever sent a suggestion.
type dirSentPage struct{ Layout }

func (s *Server) dirSuggestSent(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "directory-suggest-sent.html", &dirSentPage{Layout{Title: "Suggestion sent", Nav: "directory"}})
}

// correctFields is the correction form's order.
var correctFields = []string{"what-is-wrong", "change", "contact-email"}

// correctForm is the "Suggest a correction" form as typed.
type correctForm struct{ WhatIsWrong, Change, ContactEmail string }

func parseCorrectForm(v url.Values) correctForm {
	return correctForm{WhatIsWrong: strings.TrimSpace(v.Get("what-is-wrong")), Change: strings.TrimSpace(v.Get("change")),
		ContactEmail: strings.TrimSpace(v.Get("contact-email"))}
}

func (f correctForm) check() map[string]string {
	fields := map[string]string{}
	dirPlainText(fields, "what-is-wrong", "what is wrong", f.WhatIsWrong, true, 2000)
	dirPlainText(fields, "change", "what it should say", f.Change, true, 2000)
	checkContactEmail(fields, f.ContactEmail)
	return fields
}

// dirCorrectPage is the "Suggest a correction" form for one service.
type dirCorrectPage struct {
	Layout
	Service directory.Service
	Form    correctForm
	Busy    string
}

// publicService is a service the public may correct; an unknown or
// malformed id is a 404.
func (s *Server) publicService(r *http.Request) (directory.Service, error) {
	svc, err := s.store.Service(r.Context(), r.PathValue("id"))
	if errors.Is(err, haven.ErrNotFound) {
		return svc, &statusError{http.StatusNotFound, ""}
	}
	return svc, err
}

func (s *Server) dirCorrectForm(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.publicService(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "directory-correct.html", &dirCorrectPage{Layout: Layout{Title: "Suggest a correction", Nav: "directory"}, Service: svc})
}

func (s *Server) dirCorrect(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.publicService(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	p := &dirCorrectPage{Layout: Layout{Title: "Suggest a correction", Nav: "directory"}, Service: svc, Form: parseCorrectForm(r.PostForm)}
	if msg, busy := s.dirBusy(w, r); busy {
		p.Busy = msg
		return s.render(w, r, http.StatusTooManyRequests, "directory-correct.html", p)
	}
	if fields := p.Form.check(); len(fields) > 0 {
		p.Errors = fieldErrors(fields, correctFields...)
		return s.render(w, r, http.StatusUnprocessableEntity, "directory-correct.html", p)
	}
	s.referralLimit().Fail(dirSuggestKey(r), s.now())
	if _, err := s.store.CreateSuggestion(r.Context(), s.auditEvent(r, audit.Create), store.Suggestion{Kind: store.SuggestCorrection,
		ServiceID: svc.ID, WhatIsWrong: p.Form.WhatIsWrong, Change: p.Form.Change, ContactEmail: p.Form.ContactEmail}); err != nil && !isDuplicate(err) {
		return err
	}
	http.Redirect(w, r, "/directory/suggest/sent", http.StatusSeeOther)
	return nil
}
