package web

import (
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
	"haven/internal/haven"
	"haven/internal/programme"
)

// Sessions and case notes, their corrections, server-side drafts, and the
// chronology. Every route names a person and answers 404 unless the actor
// may see her record; every view is audited before the page is sent.

// sessionForm is the new-session form as typed, kept on error and in drafts.
type sessionForm struct {
	Day, Month, Year           string
	Type, Minutes, InitiatedBy string
	Note, PracticalHelp        string
	FundAmount, FundCategory   string
	Agencies                   string
}

// sessionFieldOrder is the form's order, for the error summary.
var sessionFieldOrder = []string{"on", "type", "minutes", "initiatedBy", "note", "practicalHelp", "fundAmount", "fundCategory", "agencies"}

func readSessionForm(v url.Values) sessionForm {
	g := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	return sessionForm{Day: g("on-day"), Month: g("on-month"), Year: g("on-year"), Type: g("type"), Minutes: g("minutes"),
		InitiatedBy: g("initiatedBy"), Note: g("note"), PracticalHelp: g("practicalHelp"), FundAmount: g("fundAmount"),
		FundCategory: g("fundCategory"), Agencies: g("agencies")}
}

// values is the form as a draft keeps it: only the form's own fields.
func (f sessionForm) values() url.Values {
	v := url.Values{}
	for k, x := range map[string]string{"on-day": f.Day, "on-month": f.Month, "on-year": f.Year, "type": f.Type, "minutes": f.Minutes,
		"initiatedBy": f.InitiatedBy, "note": f.Note, "practicalHelp": f.PracticalHelp, "fundAmount": f.FundAmount,
		"fundCategory": f.FundCategory, "agencies": f.Agencies} {
		if x != "" {
			v.Set(k, x)
		}
	}
	return v
}

// session turns the form into a Session and lists every problem at once.
func (f sessionForm) session(today haven.Date) (programme.Session, map[string]string) {
	fields := map[string]string{}
	s := programme.Session{Type: programme.SessionType(f.Type), InitiatedBy: programme.Initiator(f.InitiatedBy),
		Note: f.Note, PracticalHelp: f.PracticalHelp, Agencies: f.Agencies, FundCategory: programme.FundCategory(f.FundCategory)}
	on, err := haven.ParseDateParts("Date of the session", f.Day, f.Month, f.Year)
	if err != nil {
		fields["on"] = err.Error()
	}
	s.On = on
	switch n, err := strconv.Atoi(f.Minutes); {
	case f.Minutes == "":
		fields["minutes"] = "Enter how long the session lasted, in minutes"
	case err != nil:
		fields["minutes"] = "How long the session lasted must be a whole number of minutes, like 45"
	default:
		s.Minutes = n
	}
	switch {
	case f.FundAmount != "":
		pence, err := programme.ParseSpend(f.FundAmount)
		if err != nil {
			fields["fundAmount"] = haven.MessageOf(err)
		}
		s.FundPence = pence
		if f.FundCategory == "" {
			fields["fundCategory"] = "Select what the money was spent on"
		}
	case f.FundCategory != "":
		fields["fundAmount"] = "Enter the amount spent, or choose ‘No money spent’"
	}
	if he, ok := errors.AsType[*haven.Error](s.Validate(today)); ok {
		for k, v := range he.Fields {
			if _, dup := fields[k]; !dup {
				fields[k] = v
			}
		}
	}
	return s, fields
}

// sessionChoice is one radio, checkbox or select choice.
type sessionChoice struct{ Value, Text string }

func sessionTypeOptions() []sessionChoice {
	var out []sessionChoice
	for _, t := range programme.SessionTypes {
		out = append(out, sessionChoice{string(t), t.Title()})
	}
	return out
}

func initiatorOptions() []sessionChoice {
	var out []sessionChoice
	for _, i := range programme.Initiators {
		out = append(out, sessionChoice{string(i), i.Title()})
	}
	return out
}

func fundOptions() []sessionChoice {
	var out []sessionChoice
	for _, c := range programme.FundCategories {
		out = append(out, sessionChoice{string(c), c.Title()})
	}
	return out
}

// sessionDraftTime is when a draft was saved, as people say it.
func sessionDraftTime(t time.Time) string { return t.In(london).Format("3:04pm on 2 January 2006") }

// sessionPerson loads the person in the URL and insists on her whole record;
// anyone else is refused as refuseRecord says.
func (s *Server) sessionPerson(r *http.Request) (programme.Person, error) {
	p, acc, err := s.personFor(r)
	if err != nil {
		return p, err
	}
	if !acc.Record {
		return programme.Person{}, refuseRecord(p, acc)
	}
	return p, nil
}

// sessionFor loads the session named in the URL, which must be hers.
func (s *Server) sessionFor(r *http.Request, p programme.Person) (programme.Session, error) {
	id, err := userID(r, "id")
	if err != nil {
		return programme.Session{}, err
	}
	return s.store.SupportSession(r.Context(), p.ID, id)
}

// noteText splits a note into paragraphs of lines, so templates keep the
// line breaks people typed without any HTML of their own.
type noteText struct{}

// noteLimits are the session form's length limits, for the character counts.
type noteLimits struct{}

func (noteLimits) MaxNote() int     { return programme.MaxNoteLen }
func (noteLimits) MaxHelp() int     { return programme.MaxHelpLen }
func (noteLimits) MaxAgencies() int { return programme.MaxAgenciesLen }
func (noteLimits) MaxReason() int   { return programme.MaxReasonLen }

// Paras is the text's paragraphs (split at blank lines), each a list of lines.
func (noteText) Paras(s string) [][]string {
	var out [][]string
	for _, para := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if strings.TrimSpace(para) == "" {
			continue
		}
		out = append(out, strings.Split(strings.Trim(para, "\n"), "\n"))
	}
	return out
}

type sessionsPage struct {
	Layout
	Person   programme.Person
	Sessions []programme.Session
	Draft    string // when the actor's draft for her was saved, or ""
	CanEdit  bool
}

// TotalSpend is the flexible fund spent on her across these sessions, or "".
func (p *sessionsPage) TotalSpend() string {
	var total int64
	spent := false
	for _, s := range p.Sessions {
		if s.HasSpend() {
			total, spent = total+s.FundPence, true
		}
	}
	if !spent {
		return ""
	}
	return programme.FormatPence(total)
}

func (s *Server) sessionList(w http.ResponseWriter, r *http.Request) error {
	p, err := s.sessionPerson(r)
	if err != nil {
		return err
	}
	list, err := s.store.SupportSessions(r.Context(), p.ID)
	if err != nil {
		return err
	}
	actor := infoFrom(r.Context()).actor
	page := &sessionsPage{Layout: Layout{Title: "Sessions with " + p.Name(), Nav: "people"}, Person: p, Sessions: list, CanEdit: actor.Can(access.PermCaseEdit)}
	if d, err := s.store.DraftFor(r.Context(), actor.User.ID, p.ID); err == nil {
		page.Draft = sessionDraftTime(d.UpdatedAt)
	} else if !errors.Is(err, haven.ErrNotFound) {
		return err
	}
	if err := s.store.Audit(r.Context(), s.viewEvent(r, p.ID, "sessions")); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "sessions.html", page)
}

type sessionFormPage struct {
	Layout
	noteLimits
	Person     programme.Person
	Form       sessionForm
	Saved      string // "Draft saved at …", after saving without JavaScript
	Draft      string // when the draft filled in below was saved
	Types      []sessionChoice
	Initiators []sessionChoice
	Categories []sessionChoice
	// ConfirmDate asks whether an unusual date is right (SessionDateQuestion).
	ConfirmDate bool
}

func (s *Server) newSessionPage(p programme.Person, f sessionForm) *sessionFormPage {
	return &sessionFormPage{Layout: Layout{Title: "Record a session with " + p.Name(), Nav: "people"}, Person: p, Form: f,
		Types: sessionTypeOptions(), Initiators: initiatorOptions(), Categories: fundOptions()}
}

func (s *Server) sessionNewForm(w http.ResponseWriter, r *http.Request) error {
	p, err := s.sessionPerson(r)
	if err != nil {
		return err
	}
	page := s.newSessionPage(p, sessionForm{})
	d, err := s.store.DraftFor(r.Context(), infoFrom(r.Context()).actor.User.ID, p.ID)
	switch {
	case err == nil:
		if v, perr := url.ParseQuery(d.Body); perr == nil {
			page.Form = readSessionForm(v)
		}
		page.Draft = sessionDraftTime(d.UpdatedAt)
		if r.URL.Query().Get("draft") == "saved" {
			page.Saved = "Draft saved at " + page.Draft
		}
	case !errors.Is(err, haven.ErrNotFound):
		return err
	}
	return s.render(w, r, http.StatusOK, "session-form.html", page)
}

func (s *Server) sessionCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	p, err := s.sessionPerson(r)
	if err != nil {
		return err
	}
	actor := infoFrom(r.Context()).actor
	f := readSessionForm(r.PostForm)
	if r.PostFormValue("action") == "draft" {
		if _, err := s.saveDraft(r, p, f); err != nil {
			return err
		}
		http.Redirect(w, r, "/people/"+p.Ref+"/sessions/new?draft=saved", http.StatusSeeOther)
		return nil
	}
	sess, fields := f.session(s.today())
	question := programme.SessionDateQuestion(sess.On, s.today())
	if _, bad := fields["on"]; !bad && question != "" && r.PostFormValue("on-confirmed") != "yes" {
		fields["on"] = question
	}
	if len(fields) == 0 {
		sess.PersonID, sess.CreatedBy = p.ID, actor.User.ID
		created, err := s.store.RecordSession(r.Context(), s.auditEvent(r, audit.Create), sess, s.today(), true)
		if d, ok := duplicateOf(err); ok {
			created.ID, err = d.ID, nil // sent twice: go where the first went
		}
		if he, ok := errors.AsType[*haven.Error](err); ok && he.Kind == haven.KindInvalid {
			fields = he.Fields
		} else if err != nil {
			return err
		} else {
			s.saved(w, r, "/people/"+p.Ref+"/sessions/"+itoa(created.ID), "session")
			return nil
		}
	}
	page := s.newSessionPage(p, f)
	page.Errors = fieldErrors(fields, sessionFieldOrder...)
	page.ConfirmDate = question != "" && fields["on"] == question
	return s.render(w, r, http.StatusUnprocessableEntity, "session-form.html", page)
}

// sessionDraftSave is where autosave.mjs sends the form. It answers JSON
// for the script's status message; nothing is audited, since only the
// author can ever read a draft back.
func (s *Server) sessionDraftSave(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	p, err := s.sessionPerson(r)
	if err != nil {
		return err
	}
	at, err := s.saveDraft(r, p, readSessionForm(r.PostForm))
	if err != nil {
		return err
	}
	status := "Draft saved at " + at.In(london).Format("3:04pm")
	if at.IsZero() {
		status = "The form is empty, so there is no draft"
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": status})
	return nil
}

// saveDraft keeps the actor's draft for her, or removes it when the form is
// empty. It returns when the draft was saved, or zero if there is none.
func (s *Server) saveDraft(r *http.Request, p programme.Person, f sessionForm) (time.Time, error) {
	author := infoFrom(r.Context()).actor.User.ID
	body := f.values().Encode()
	if body == "" {
		return time.Time{}, s.store.DeleteDraft(r.Context(), author, p.ID)
	}
	return s.store.SaveDraft(r.Context(), author, p.ID, body)
}

func (s *Server) sessionDraftDiscard(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	p, err := s.sessionPerson(r)
	if err != nil {
		return err
	}
	if err := s.store.DeleteDraft(r.Context(), infoFrom(r.Context()).actor.User.ID, p.ID); err != nil {
		return err
	}
	http.Redirect(w, r, "/people/"+p.Ref+"/sessions/new", http.StatusSeeOther)
	return nil
}

// correctionForm is the correction form as typed.
type correctionForm struct{ Note, Reason, Version string }

type sessionPage struct {
	Layout
	noteText
	noteLimits
	Person   programme.Person
	Session  programme.Session
	Form     correctionForm
	CanEdit  bool
	Conflict bool // the correction was stale: the form shows what they typed
}

func (s *Server) sessionPageFor(r *http.Request, p programme.Person, sess programme.Session) *sessionPage {
	return &sessionPage{Layout: Layout{Title: sess.Type.Title() + " on " + sess.On.Long(), Nav: "people"}, Person: p, Session: sess,
		Form:    correctionForm{Note: sess.CurrentNote(), Version: itoa(sess.Version)},
		CanEdit: infoFrom(r.Context()).actor.Can(access.PermCaseEdit)}
}

func (s *Server) sessionShow(w http.ResponseWriter, r *http.Request) error {
	p, err := s.sessionPerson(r)
	if err != nil {
		return err
	}
	sess, err := s.sessionFor(r, p)
	if err != nil {
		return err
	}
	if err := s.store.Audit(r.Context(), s.viewEvent(r, p.ID, "session")); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "session.html", s.sessionPageFor(r, p, sess))
}

func (s *Server) sessionCorrect(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	p, err := s.sessionPerson(r)
	if err != nil {
		return err
	}
	sess, err := s.sessionFor(r, p)
	if err != nil {
		return err
	}
	typed := correctionForm{Note: strings.TrimSpace(r.PostFormValue("note")), Reason: strings.TrimSpace(r.PostFormValue("reason")), Version: r.PostFormValue("version")}
	version, _ := strconv.ParseInt(typed.Version, 10, 64)
	if version == sess.Version && typed.Note == sess.CurrentNote() {
		err = haven.Invalid(map[string]string{"note": "Change the note to correct it, or leave this page without saving"})
	} else {
		err = s.store.CorrectSession(r.Context(), s.auditEvent(r, audit.Update), p.ID, sess.ID, version, typed.Note, typed.Reason, infoFrom(r.Context()).actor.User.ID)
	}
	if err == nil || isDuplicate(err) {
		s.saved(w, r, "/people/"+p.Ref+"/sessions/"+itoa(sess.ID), "correction")
		return nil
	}
	if errors.Is(err, haven.ErrConflict) {
		// It may have changed since it was loaded above: show it as it is now.
		if sess, err = s.sessionFor(r, p); err != nil {
			return err
		}
		err = haven.ErrConflict
	}
	page := s.sessionPageFor(r, p, sess)
	page.Form = typed
	switch he, _ := errors.AsType[*haven.Error](err); {
	case errors.Is(err, haven.ErrConflict):
		// Keep what they typed, show the note as it is now, and let them save over the new version.
		page.Conflict = true
		page.Form.Version = itoa(sess.Version)
		page.Errors = []FieldError{{"note", "Someone else corrected this note while you were working. Your text is kept below: check the current note, then save your correction again"}}
		return s.render(w, r, http.StatusConflict, "session.html", page)
	case he != nil && he.Kind == haven.KindInvalid:
		page.Errors = fieldErrors(he.Fields, "note", "reason")
		return s.render(w, r, http.StatusUnprocessableEntity, "session.html", page)
	default:
		return err
	}
}

// The chronology: every dated fact on her record, newest first. It is built
// from the records themselves, never from the audit trail.

// chronoKinds are the chronology's filters: fixed words, safe in a URL.
var chronoKinds = []sessionChoice{
	{"session", "Sessions"},
	{"correction", "Corrections to case notes"},
	{"programme", "Programme phases"},
	{"referral", "Referrals in and out"},
	{"contact", "Contact with her children"},
	{"plan", "Support plan"},
	{"record", "Her record"},
}

type chronoItem struct {
	Kind    string
	Title   string
	By      string
	Date    haven.Date
	At      time.Time // orders items on the same day
	Summary string    // shortened, for the timeline
	Text    string    // in full, for printing
	Lines   []string
	Href    string
	Link    string // the link's words; "View the session" if empty
}

// LinkText is what the item's link says.
func (c chronoItem) LinkText() string { return or(c.Link, "View the session") }

type chronoFilter struct {
	sessionChoice
	Checked bool
}

type chronologyPage struct {
	Layout
	noteText
	Person    programme.Person
	Items     []chronoItem
	Filters   []chronoFilter
	PrintHref string
	BackHref  string
	Showing   string // what the filter shows, in words
	PrintedBy string
	PrintedAt time.Time
}

// summaryLen is how much of a note the timeline shows before "View the session".
const summaryLen = 300

// chronoSummary shortens a note for the timeline; the session page and the print have it whole.
func chronoSummary(s string) string {
	if utf8.RuneCountInString(s) <= summaryLen {
		return s
	}
	return strings.TrimSpace(string([]rune(s)[:summaryLen])) + "…"
}

// chronoDate is the day something happened, in the UK.
func chronoDate(t time.Time) haven.Date {
	l := t.In(london)
	return haven.NewDate(l.Year(), l.Month(), l.Day())
}

// chronologyItems gathers every event on her record.
func (s *Server) chronologyItems(r *http.Request, p programme.Person) ([]chronoItem, error) {
	ctx := r.Context()
	sessions, err := s.store.SupportSessions(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	enrolments, err := s.store.Enrolments(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	name := func(id int64) (string, error) {
		if id == 0 {
			return "", nil
		}
		if n, ok := names[id]; ok {
			return n, nil
		}
		u, err := s.store.User(ctx, id)
		if errors.Is(err, haven.ErrNotFound) {
			return "", nil
		}
		names[id] = u.DisplayName
		return u.DisplayName, err
	}
	var items []chronoItem
	base := "/people/" + p.Ref + "/sessions/"
	for _, ss := range sessions {
		it := chronoItem{Kind: "session", Title: ss.Type.Title() + ", " + countOf(ss.Minutes, "minute"), By: ss.CreatedByName,
			Date: ss.On, At: ss.CreatedAt, Summary: chronoSummary(ss.CurrentNote()), Text: ss.CurrentNote(), Href: base + itoa(ss.ID)}
		if by := ss.InitiatedBy.StartedBy(); by != "" {
			it.Lines = append(it.Lines, by)
		}
		if ss.HasSpend() {
			it.Lines = append(it.Lines, "Flexible fund: "+ss.Spend()+" on "+strings.ToLower(ss.FundCategory.Title()))
		}
		if ss.PracticalHelp != "" {
			it.Lines = append(it.Lines, "Practical help: "+ss.PracticalHelp)
		}
		if ss.Agencies != "" {
			it.Lines = append(it.Lines, "Partner agencies: "+ss.Agencies)
		}
		if len(ss.Corrections) > 0 {
			it.Lines = append(it.Lines, "This note has been corrected")
		}
		items = append(items, it)
		for _, c := range ss.Corrections {
			text := "The note of the " + strings.ToLower(ss.Type.Title()) + " on " + ss.On.Long() + " was corrected. Reason: " + c.Reason
			items = append(items, chronoItem{Kind: "correction", Title: "Case note corrected", By: c.ByName, Date: chronoDate(c.At), At: c.At,
				Summary: text, Text: text, Href: base + itoa(ss.ID)})
		}
	}
	for _, e := range enrolments {
		const referred = "A new enrolment began with her referral"
		items = append(items, chronoItem{Kind: "programme", Title: "Referred to the programme", Date: e.ReferredOn, At: e.CreatedAt, Summary: referred, Text: referred})
		for _, pe := range e.PhaseEvents {
			by, err := name(pe.By)
			if err != nil {
				return nil, err
			}
			text := "From " + strings.ToLower(pe.From.Title()) + " to " + strings.ToLower(pe.To.Title()) + "."
			if pe.Reason != "" {
				text += " Reason: " + pe.Reason
			}
			items = append(items, chronoItem{Kind: "programme", Title: "Phase changed to " + pe.To.Title(), By: by, Date: pe.On, At: pe.At, Summary: text, Text: text})
		}
	}
	items = append(items, chronoItem{Kind: "record", Title: "Record created", Date: chronoDate(p.CreatedAt), At: p.CreatedAt,
		Summary: "Her record was opened in Haven", Text: "Her record was opened in Haven"})
	more, err := s.recordEvents(r, p)
	if err != nil {
		return nil, err
	}
	items = append(items, more...)
	slices.SortStableFunc(items, func(a, b chronoItem) int {
		if c := b.Date.Time().Compare(a.Date.Time()); c != 0 {
			return c
		}
		return b.At.Compare(a.At)
	})
	return items, nil
}

// countOf writes "1 minute" or "60 minutes".
func countOf(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return strconv.Itoa(n) + " " + unit + "s"
}

func (s *Server) chronology(w http.ResponseWriter, r *http.Request) error {
	p, err := s.sessionPerson(r)
	if err != nil {
		return err
	}
	items, err := s.chronologyItems(r, p)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	want := map[string]bool{}
	for _, k := range q["type"] {
		want[k] = true
	}
	page := &chronologyPage{Layout: Layout{Title: "Chronology for " + p.Name(), Nav: "people"}, Person: p}
	chosen := url.Values{}
	for _, k := range chronoKinds {
		if want[k.Value] {
			chosen.Add("type", k.Value)
		}
	}
	all := len(chosen) == 0 // nothing ticked shows everything
	var showing []string
	for _, k := range chronoKinds {
		page.Filters = append(page.Filters, chronoFilter{sessionChoice: k, Checked: all || want[k.Value]})
		if want[k.Value] {
			showing = append(showing, strings.ToLower(k.Text[:1])+k.Text[1:])
		}
	}
	page.Showing = "every event"
	if !all {
		page.Showing = strings.Join(showing, ", ")
	}
	for _, it := range items {
		if all || want[it.Kind] {
			page.Items = append(page.Items, it)
		}
	}
	base := "/people/" + p.Ref + "/chronology"
	page.BackHref = base
	if len(chosen) > 0 {
		page.BackHref += "?" + chosen.Encode()
	}
	chosen.Set("print", "1")
	page.PrintHref = base + "?" + chosen.Encode()

	if q.Get("print") == "1" {
		page.Title = "Chronology for " + p.Name() + " (for printing)"
		page.PrintedBy, page.PrintedAt = infoFrom(r.Context()).actor.User.DisplayName, s.now()
		e := s.viewEvent(r, p.ID, "chronology")
		e.Action = audit.Print
		if err := s.store.Audit(r.Context(), e); err != nil {
			return err
		}
		return s.render(w, r, http.StatusOK, "chronology-print.html", page)
	}
	if err := s.store.Audit(r.Context(), s.viewEvent(r, p.ID, "chronology")); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "chronology.html", page)
}

// The JSON API for sessions: the same rules and audit as the pages.

type apiCorrection struct {
	Note   string    `json:"note"`
	Reason string    `json:"reason"`
	By     int64     `json:"by"`
	At     time.Time `json:"at"`
}

type apiSession struct {
	ID            int64           `json:"id"`
	Date          haven.Date      `json:"date"`
	Type          string          `json:"type"`
	Minutes       int             `json:"minutes"`
	InitiatedBy   string          `json:"initiatedBy"`
	Note          string          `json:"note"`                   // as it stands after corrections
	OriginalNote  string          `json:"originalNote,omitempty"` // only when corrected
	PracticalHelp string          `json:"practicalHelp,omitempty"`
	FundPence     *int64          `json:"fundPence,omitempty"`
	FundCategory  string          `json:"fundCategory,omitempty"`
	Agencies      string          `json:"agencies,omitempty"`
	Version       int64           `json:"version"`
	CreatedBy     int64           `json:"createdBy"`
	CreatedAt     time.Time       `json:"createdAt"`
	Corrections   []apiCorrection `json:"corrections"`
}

func toAPISession(s programme.Session) apiSession {
	out := apiSession{ID: s.ID, Date: s.On, Type: string(s.Type), Minutes: s.Minutes, InitiatedBy: string(s.InitiatedBy), Note: s.CurrentNote(),
		PracticalHelp: s.PracticalHelp, Agencies: s.Agencies, Version: s.Version, CreatedBy: s.CreatedBy, CreatedAt: s.CreatedAt, Corrections: []apiCorrection{}}
	if s.HasSpend() {
		pence := s.FundPence
		out.FundPence, out.FundCategory = &pence, string(s.FundCategory)
	}
	if len(s.Corrections) > 0 {
		out.OriginalNote = s.Note
	}
	for _, c := range s.Corrections {
		out.Corrections = append(out.Corrections, apiCorrection{c.Note, c.Reason, c.By, c.At})
	}
	return out
}

type apiSessionsPage struct {
	Sessions []apiSession `json:"sessions"`
}

func (s *Server) apiSessions(w http.ResponseWriter, r *http.Request) error {
	p, err := s.sessionPerson(r)
	if err != nil {
		return err
	}
	list, err := s.store.SupportSessions(r.Context(), p.ID)
	if err != nil {
		return err
	}
	if err := s.store.Audit(r.Context(), s.viewEvent(r, p.ID, "sessions")); err != nil {
		return err
	}
	out := apiSessionsPage{Sessions: []apiSession{}}
	for _, ss := range list {
		out.Sessions = append(out.Sessions, toAPISession(ss))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiSessionShow(w http.ResponseWriter, r *http.Request) error {
	p, err := s.sessionPerson(r)
	if err != nil {
		return err
	}
	sess, err := s.sessionFor(r, p)
	if err != nil {
		return err
	}
	if err := s.store.Audit(r.Context(), s.viewEvent(r, p.ID, "session")); err != nil {
		return err
	}
	w.Header().Set("ETag", `"`+itoa(sess.Version)+`"`)
	writeJSON(w, http.StatusOK, toAPISession(sess))
	return nil
}

// apiSessionInput is the body of POST /api/v1/people/{ref}/sessions.
// Money is whole pence, so no amount ever passes through a float.
type apiSessionInput struct {
	Date          apiDate `json:"date"`
	Type          string  `json:"type"`
	Minutes       int     `json:"minutes"`
	InitiatedBy   string  `json:"initiatedBy"`
	Note          string  `json:"note"`
	PracticalHelp string  `json:"practicalHelp"`
	FundPence     *int64  `json:"fundPence"`
	FundCategory  string  `json:"fundCategory"`
	Agencies      string  `json:"agencies"`
}

// addAPIFields adds the domain's field errors under the API's names.
func addAPIFields(fields, from map[string]string) {
	for k, v := range from {
		switch k {
		case "on":
			k = "date"
		case "fundAmount":
			k = "fundPence"
		}
		if _, dup := fields[k]; !dup {
			fields[k] = v
		}
	}
}

func (s *Server) apiSessionCreate(w http.ResponseWriter, r *http.Request) error {
	p, err := s.sessionPerson(r)
	if err != nil {
		return err
	}
	var in apiSessionInput
	fields := map[string]string{}
	if err := decodeJSON(r, &in); err != nil {
		he, ok := errors.AsType[*haven.Error](err)
		if !ok || he.Kind != haven.KindInvalid {
			return err
		}
		fields = he.Fields // a date it could not read: listed with every other problem below
	}
	on := in.Date.Date
	sess := programme.Session{PersonID: p.ID, On: on, Type: programme.SessionType(in.Type), Minutes: in.Minutes, InitiatedBy: programme.Initiator(in.InitiatedBy),
		Note: in.Note, PracticalHelp: in.PracticalHelp, FundCategory: programme.FundCategory(in.FundCategory), Agencies: in.Agencies,
		CreatedBy: infoFrom(r.Context()).actor.User.ID}
	if in.FundPence != nil {
		sess.FundPence = *in.FundPence
		if in.FundCategory == "" {
			fields["fundCategory"] = "Give fundCategory with fundPence"
		}
	} else if in.FundCategory != "" {
		fields["fundPence"] = "Give fundPence with fundCategory"
	}
	if len(fields) > 0 {
		// Report the domain's checks too, so one reply lists every problem.
		if he, ok := errors.AsType[*haven.Error](sess.Validate(s.today())); ok {
			addAPIFields(fields, he.Fields)
		}
		return haven.Invalid(fields)
	}
	created, err := s.store.RecordSession(r.Context(), s.auditEvent(r, audit.Create), sess, s.today(), false)
	if d, ok := duplicateOf(err); ok {
		// Sent again with the same Idempotency-Key: answer as the first time.
		if created, err = s.store.SupportSession(r.Context(), p.ID, d.ID); err != nil {
			return err
		}
		replayed(w)
	}
	if he, ok := errors.AsType[*haven.Error](err); ok && he.Kind == haven.KindInvalid {
		addAPIFields(fields, he.Fields)
		return haven.Invalid(fields)
	}
	if err != nil {
		return err
	}
	created.CreatedByName = infoFrom(r.Context()).actor.User.DisplayName
	w.Header().Set("Location", "/api/v1/people/"+p.Ref+"/sessions/"+itoa(created.ID))
	writeJSON(w, http.StatusCreated, toAPISession(created))
	return nil
}
