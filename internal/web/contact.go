package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"haven/internal/audit"
	"haven/internal/contact"
	"haven/internal/haven"
	"haven/internal/programme"
	"haven/internal/store"
)

// Children and contact: her children, care proceedings, contact
// arrangements and every change to them, contact sessions and letterbox
// exchanges. Every view is audited; every form works without JavaScript.

// contactPage is the children and contact section of her record.
type contactPage struct {
	Layout
	Person       programme.Person
	Rec          store.ContactRecord
	Today        haven.Date
	LANames      map[string]string
	Proceedings  []proceedingsView
	Arrangements []arrangementView
	Unexplained  int
}

type proceedingsView struct {
	contact.Proceedings
	Children       []string // each with the child's age at issue
	BeforePrevious bool
}

type arrangementView struct {
	Now      contact.Standing // as it stands today, and the changes to come
	Changes  []contact.Change // every change, withdrawn ones included (struck through)
	NextDue  haven.Date       // the next letterbox letter, for letterbox arrangements
	Sessions int
}

// LetterOverdue reports whether the next letterbox letter's date has passed.
func (v arrangementView) LetterOverdue(today haven.Date) bool {
	return !v.NextDue.IsZero() && v.NextDue.Before(today)
}

// ChildName finds one of her children's names by ID, for the template.
func (p *contactPage) ChildName(id int64) string {
	for _, c := range p.Rec.Children {
		if c.ID == id {
			return c.Name
		}
	}
	return ""
}

func (s *Server) contactRecord(r *http.Request) (programme.Person, store.ContactRecord, error) {
	p, acc, err := s.personFor(r)
	if err == nil && !acc.Record {
		err = refuseRecord(p, acc)
	}
	if err != nil {
		return p, store.ContactRecord{}, err
	}
	rec, err := s.store.Contact(r.Context(), p.ID)
	return p, rec, err
}

func (s *Server) contactShow(w http.ResponseWriter, r *http.Request) error {
	p, rec, err := s.contactRecord(r)
	if err != nil {
		return err
	}
	las, err := s.laCached(r.Context())
	if err != nil {
		return err
	}
	today := s.today()
	page := &contactPage{Layout: Layout{Title: p.Name() + ": children and contact", Nav: "people"}, Person: p, Rec: rec, Today: today, LANames: las.names}
	before := contact.IssuedBeforePreviousFinal(rec.Proceedings)
	for _, pr := range rec.Proceedings {
		v := proceedingsView{Proceedings: pr, BeforePrevious: before[pr.ID]}
		for _, id := range pr.ChildIDs {
			for _, c := range rec.Children {
				if c.ID == id {
					v.Children = append(v.Children, c.Name+" ("+contact.AgeAtIssue(c, pr.IssuedOn).Short()+" when issued)")
				}
			}
		}
		page.Proceedings = append(page.Proceedings, v)
	}
	for _, a := range rec.Arrangements {
		v := arrangementView{Now: contact.AsItStands(a, rec.Changes, today)}
		for _, c := range rec.Changes {
			if c.ArrangementID == a.ID {
				v.Changes = append(v.Changes, c)
			}
		}
		if v.Now.Type == contact.Letterbox {
			v.NextDue = contact.NextLetterDue(a, rec.Letterbox)
		}
		page.Arrangements = append(page.Arrangements, v)
	}
	for _, c := range rec.Changes {
		if c.Unexplained() {
			page.Unexplained++
		}
	}
	if err := s.store.Audit(r.Context(), s.viewEvent(r, p.ID, "contact")); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "contact.html", page)
}

// cField is one question on a contact form, after the GOV.UK components.
type cField struct {
	Kind             string // text, textarea, date, radios, select, checkboxes
	Name, Label      string
	Reveal           string   // for radios: the option whose choice reveals Inside (GOV.UK conditional reveal)
	Inside           []cField // questions shown only for Reveal; without JavaScript they are simply shown
	Back             string   // her contact page, for a question with nothing to choose from
	Hint             string
	Value            string
	Values           []string // for checkboxes
	Day, Month, Year string
	Options          []contact.Choice
	Error            string
	Width            string // for text inputs: 10, 20, 30
	MaxLength        int    // for textareas: the limit, drawn as a character count
}

// Checked reports whether an option is chosen.
func (f cField) Checked(v string) bool {
	if f.Kind == "checkboxes" {
		for _, x := range f.Values {
			if x == v {
				return true
			}
		}
		return false
	}
	return f.Value == v
}

// contactFormPage is every contact form: one template, many questions.
type contactFormPage struct {
	Layout
	Person  programme.Person
	Action  string
	Submit  string
	Warning string
	Intro   []string
	Fields  []cField
	Version int64
	Create  bool // carries an idempotency key
}

// contactCtx is what a form's questions and its save step need.
type contactCtx struct {
	r      *http.Request
	person programme.Person
	rec    store.ContactRecord
	id     int64 // the record named in the URL, if any
	today  haven.Date
}

// contactForm describes one form: its questions, the values it starts with,
// and how a sent form is saved.
type contactForm struct {
	create  bool // a create: the form carries an idempotency key
	title   func(c *contactCtx) (string, error)
	intro   []string
	about   func(c *contactCtx) []string // paragraphs about the record the form is for, after intro
	warning string
	submit  string
	fields  func(c *contactCtx) []cField
	initial func(c *contactCtx) (url.Values, int64, error) // the values shown first, and the record's version
	// save stores the form. It returns the anchor on the contact page to go back to.
	save func(c *contactCtx, v url.Values, version int64, errs map[string]string) (string, error)
}

func (s *Server) contactCtx(r *http.Request) (*contactCtx, error) {
	p, rec, err := s.contactRecord(r)
	if err != nil {
		return nil, err
	}
	c := &contactCtx{r: r, person: p, rec: rec, today: s.today()}
	if r.PathValue("id") != "" {
		if c.id, err = userID(r, "id"); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func (s *Server) contactFormShow(f contactForm) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		c, err := s.contactCtx(r)
		if err != nil {
			return err
		}
		v, version := url.Values{}, int64(0)
		if f.initial != nil {
			if v, version, err = f.initial(c); err != nil {
				return err
			}
		}
		if err := s.store.Audit(r.Context(), s.viewEvent(r, c.person.ID, "contact")); err != nil {
			return err
		}
		return s.renderContactForm(w, r, http.StatusOK, f, c, v, version, nil)
	}
}

func (s *Server) renderContactForm(w http.ResponseWriter, r *http.Request, status int, f contactForm, c *contactCtx, v url.Values, version int64, errs map[string]string) error {
	title, err := f.title(c)
	if err != nil {
		return err
	}
	page := &contactFormPage{Layout: Layout{Title: title, Nav: "people"}, Person: c.person, Submit: f.submit, Intro: f.intro, Version: version, Create: f.create,
		Warning: f.warning, Action: strings.TrimSuffix(r.URL.Path, "/new")} // a form shown at …/new is sent to …
	if f.about != nil {
		page.Intro = append(slices.Clone(page.Intro), f.about(c)...)
	}
	var order []string
	var fill func(fd cField) cField
	fill = func(fd cField) cField {
		switch fd.Kind {
		case "date":
			fd.Day, fd.Month, fd.Year = v.Get(fd.Name+"-day"), v.Get(fd.Name+"-month"), v.Get(fd.Name+"-year")
		case "checkboxes":
			fd.Values = v[fd.Name]
		default:
			fd.Value = v.Get(fd.Name)
		}
		fd.Error = errs[fd.Name]
		fd.Back = "/people/" + c.person.Ref + "/contact"
		order = append(order, fd.Name)
		inside := fd.Inside
		fd.Inside = nil
		for _, in := range inside {
			fd.Inside = append(fd.Inside, fill(in))
		}
		return fd
	}
	for _, fd := range f.fields(c) {
		page.Fields = append(page.Fields, fill(fd))
	}
	page.Errors = fieldErrors(errs, order...)
	if m, ok := errs[""]; ok {
		page.Errors = append([]FieldError{{Field: page.Fields[0].Name, Message: m}}, page.Errors...)
	}
	return s.render(w, r, status, "contact-form.html", page)
}

func (s *Server) contactFormSave(f contactForm) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := parseForm(r); err != nil {
			return err
		}
		c, err := s.contactCtx(r)
		if err != nil {
			return err
		}
		v := r.PostForm
		version, _ := strconv.ParseInt(v.Get("version"), 10, 64)
		errs := map[string]string{}
		anchor, err := f.save(c, v, version, errs)
		he, _ := errors.AsType[*haven.Error](err)
		switch {
		case err == nil && len(errs) == 0:
			s.saved(w, r, "/people/"+c.person.Ref+"/contact#"+anchor, map[bool]string{true: "contact-added", false: "contact"}[f.create])
			return nil
		case err == nil:
		case errors.Is(err, haven.ErrConflict):
			errs[""] = "Someone else changed this record while you were writing. What you typed is kept below: check the record, then save again"
			if c2, err2 := s.contactCtx(r); err2 == nil {
				c = c2
			}
			if f.initial != nil {
				if _, version, err = f.initial(c); err != nil {
					return err
				}
			}
			return s.renderContactForm(w, r, http.StatusConflict, f, c, v, version, errs)
		case he != nil && he.Kind == haven.KindInvalid && len(he.Fields) > 0:
			for k, m := range he.Fields {
				errs[k] = m
			}
		default:
			return err
		}
		return s.renderContactForm(w, r, http.StatusUnprocessableEntity, f, c, v, version, errs)
	}
}

// dateIn reads a GOV.UK date input; a bad date is put in errs.
func dateIn(v url.Values, name, label string, errs map[string]string) haven.Date {
	d, err := haven.ParseDateParts(label, v.Get(name+"-day"), v.Get(name+"-month"), v.Get(name+"-year"))
	if err != nil {
		errs[name] = err.Error()
	}
	return d
}

func dateValues(v url.Values, name string, d haven.Date) {
	day, month, year := d.Parts()
	v.Set(name+"-day", day)
	v.Set(name+"-month", month)
	v.Set(name+"-year", year)
}

func (c *contactCtx) by() int64 { return infoFrom(c.r.Context()).actor.User.ID }

func (c *contactCtx) event(action audit.Action, s *Server) audit.Event {
	return s.auditEvent(c.r, action)
}

func (c *contactCtx) childChoices() []contact.Choice {
	var out []contact.Choice
	for _, ch := range c.rec.Children {
		out = append(out, contact.Choice{Value: itoa(ch.ID), Title: ch.Name + ", born " + ch.Born()})
	}
	return out
}

func (c *contactCtx) arrangementChoices(only contact.Type) []contact.Choice {
	var out []contact.Choice
	for _, a := range c.rec.Arrangements {
		now := a.At(c.today, c.rec.Changes)
		if only != "" && now.Type != only {
			continue
		}
		out = append(out, contact.Choice{Value: itoa(a.ID), Title: a.ChildName + ": " + strings.ToLower(now.Type.Title()) + ", " + now.Frequency})
	}
	return out
}

func (c *contactCtx) arrangement() (contact.Arrangement, bool) {
	for _, a := range c.rec.Arrangements {
		if a.ID == c.id {
			return a, true
		}
	}
	return contact.Arrangement{}, false
}

// dated is what a change to arrangement a, or its explanation, is checked against.
func (c *contactCtx) dated(a contact.Arrangement) contact.Dated {
	on := contact.Dated{Arrangement: a}
	for _, ch := range c.rec.Children {
		if ch.ID == a.ChildID {
			on.Child = ch
		}
	}
	return on
}

// change finds one of her changes by the ID in the URL.
func (c *contactCtx) change() (contact.Change, error) {
	for _, ch := range c.rec.Changes {
		if ch.ID == c.id {
			return ch, nil
		}
	}
	return contact.Change{}, haven.ErrNotFound
}

// arrangementOf finds the arrangement a change was made to.
func (c *contactCtx) arrangementOf(ch contact.Change) contact.Arrangement {
	for _, a := range c.rec.Arrangements {
		if a.ID == ch.ArrangementID {
			return a
		}
	}
	return contact.Arrangement{}
}

// reasonFields are the questions revealed by "Yes" to "Was she given a
// reason?", with their labels.
var reasonFields = []struct{ name, label string }{
	{"reason", "The reason, as she was told it"}, {"toldHow", "How she was told"}, {"toldOn", "Date she was told"}, {"toldBy", "Who told her"},
}

// reasonContradiction moves any message about the questions under "Yes"
// onto "Was she given a reason?" when the answer is "No" or "Not known":
// with JavaScript on, those questions are hidden, so a message beside them
// could not be seen. Answering Yes shows them again.
func reasonContradiction(answer contact.ReasonGiven, errs map[string]string) {
	if answer == contact.ReasonYes || answer == "" || errs["reasonGiven"] != "" {
		return
	}
	var labels []string
	for _, f := range reasonFields {
		if _, ok := errs[f.name]; ok {
			labels = append(labels, f.label)
			delete(errs, f.name)
		}
	}
	what := "the reason, and how, when and by whom she was told,"
	switch len(labels) {
	case 0:
		return
	case 1:
		what = "“" + labels[0] + "”"
	}
	errs["reasonGiven"] = "Leave " + what + " blank when the answer to “Was she given a reason?” is “" + answer.Title() + "”, or answer Yes"
}

func (s *Server) laChoices(r *http.Request) []contact.Choice {
	_, las, err := s.laIndex(r.Context())
	if err != nil {
		return nil
	}
	out := []contact.Choice{{Value: "", Title: "Choose a local authority"}}
	for _, la := range las {
		out = append(out, contact.Choice{Value: la.Code, Title: la.Name})
	}
	return out
}

// made is where a create goes back to: the new record on the contact page.
// A repeat of an earlier create (the same idempotency key) goes where the first went.
func made(prefix string, id int64, err error) (string, error) {
	if d, ok := duplicateOf(err); ok {
		return prefix + itoa(d.ID), nil
	}
	return prefix + itoa(id), err
}

func id64(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}

func fixed(title string) func(*contactCtx) (string, error) {
	return func(*contactCtx) (string, error) { return title, nil }
}

// The forms.

func (s *Server) childForm() contactForm {
	return contactForm{
		create: true,
		title:  fixed("Add a child"),
		intro:  []string{"Children are not clients of the Practice: record only what is needed to support her."},
		submit: "Add the child",
		fields: func(c *contactCtx) []cField {
			return []cField{
				{Kind: "text", Name: "name", Label: "First name or initials", Width: "20"},
				{Kind: "date", Name: "born", Label: "Date of birth", Hint: "For example, 27 3 2021. If only the year is known, leave this blank and give the year below."},
				{Kind: "text", Name: "birthYear", Label: "Year of birth (if the date is not known)", Width: "4"},
				{Kind: "date", Name: "removed", Label: "Date the child was removed (optional)", Hint: "For example, 2 4 2021"},
				{Kind: "select", Name: "la", Label: "Local authority responsible (optional)", Options: s.laChoices(c.r)},
				{Kind: "radios", Name: "legalStatus", Label: "Current legal status", Options: contact.LegalStatuses()},
				{Kind: "radios", Name: "placement", Label: "Where the child lives now", Options: contact.Placements()},
			}
		},
		save: func(c *contactCtx, v url.Values, _ int64, errs map[string]string) (string, error) {
			ch := contact.Child{PersonID: c.person.ID, Name: v.Get("name"), LACode: v.Get("la"),
				LegalStatus: contact.LegalStatus(v.Get("legalStatus")), Placement: contact.Placement(v.Get("placement"))}
			ch.BornOn = dateIn(v, "born", "Date of birth", errs)
			ch.RemovedOn = dateIn(v, "removed", "Date the child was removed", errs)
			if y := strings.TrimSpace(v.Get("birthYear")); y != "" && ch.BornOn.IsZero() {
				n, err := strconv.Atoi(y)
				if err != nil || len(y) != 4 {
					errs["birthYear"] = "Year of birth must be 4 digits, like 2021"
				}
				ch.BirthYear = n
			}
			if err := mergeInvalid(ch.Validate(c.today), errs); err != nil || len(errs) > 0 {
				return "", err
			}
			ch, err := s.store.CreateChild(c.r.Context(), c.event(audit.Create, s), ch, c.by(), c.today)
			return made("child-", ch.ID, err)
		},
	}
}

// mergeInvalid adds a validation error's fields to errs, leaving any date
// error already there (it says more). Other errors are returned.
func mergeInvalid(err error, errs map[string]string) error {
	if err == nil {
		return nil
	}
	he, ok := errors.AsType[*haven.Error](err)
	if !ok || he.Kind != haven.KindInvalid {
		return err
	}
	for k, m := range he.Fields {
		if _, ok := errs[k]; !ok {
			errs[k] = m
		}
	}
	return nil
}

func (s *Server) childUpdateForm() contactForm {
	find := func(c *contactCtx) (contact.Child, error) {
		for _, ch := range c.rec.Children {
			if ch.ID == c.id {
				return ch, nil
			}
		}
		return contact.Child{}, haven.ErrNotFound
	}
	return contactForm{
		title: func(c *contactCtx) (string, error) {
			ch, err := find(c)
			return "Legal status and placement: " + ch.Name, err
		},
		intro:  []string{"A new placement is added to the child's placement history; the old one is kept."},
		submit: "Save",
		fields: func(c *contactCtx) []cField {
			return []cField{
				{Kind: "radios", Name: "legalStatus", Label: "Current legal status", Options: contact.LegalStatuses()},
				{Kind: "radios", Name: "placement", Label: "Where the child lives now", Options: contact.Placements()},
				{Kind: "date", Name: "placementFrom", Label: "If the child moved, the date of the move", Hint: "For example, 1 9 2026"},
			}
		},
		initial: func(c *contactCtx) (url.Values, int64, error) {
			ch, err := find(c)
			return url.Values{"legalStatus": {string(ch.LegalStatus)}, "placement": {string(ch.Placement)}}, ch.Version, err
		},
		save: func(c *contactCtx, v url.Values, version int64, errs map[string]string) (string, error) {
			ch, err := find(c)
			if err != nil {
				return "", err
			}
			ch.LegalStatus, ch.Placement = contact.LegalStatus(v.Get("legalStatus")), contact.Placement(v.Get("placement"))
			from := dateIn(v, "placementFrom", "Date of the move", errs)
			if len(errs) > 0 {
				return "", mergeInvalid(ch.Validate(c.today), errs)
			}
			return "child-" + itoa(ch.ID), s.store.UpdateChild(c.r.Context(), c.event(audit.Update, s), ch, version, from, c.by(), c.today)
		},
	}
}

func (s *Server) proceedingsForm() contactForm {
	return contactForm{
		create: true,
		title:  fixed("Add care proceedings"),
		intro:  []string{"Record each set of care proceedings she was a respondent in. Add the children first."},
		submit: "Add the proceedings",
		fields: func(c *contactCtx) []cField {
			return []cField{
				{Kind: "date", Name: "issued", Label: "Date the proceedings were issued", Hint: "For example, 6 1 2020"},
				{Kind: "text", Name: "court", Label: "Court", Width: "30"},
				{Kind: "select", Name: "la", Label: "Local authority that brought the proceedings (optional)", Options: s.laChoices(c.r)},
				{Kind: "checkboxes", Name: "children", Label: "Children the proceedings were about", Options: c.childChoices()},
				{Kind: "date", Name: "finalHearing", Label: "Date of the final hearing (if known)", Hint: "For example, 1 9 2020"},
				{Kind: "radios", Name: "outcome", Label: "Outcome", Options: append([]contact.Choice{{Value: "", Title: "Not decided yet"}}, contact.Outcomes()...)},
				{Kind: "checkboxes", Name: "index", Label: "Index proceedings", Hint: "The index set is the one recurrence is counted from, usually the first.",
					Options: []contact.Choice{{Value: "yes", Title: "These are the index proceedings"}}},
			}
		},
		save: func(c *contactCtx, v url.Values, _ int64, errs map[string]string) (string, error) {
			p := contact.Proceedings{PersonID: c.person.ID, Court: v.Get("court"), LACode: v.Get("la"), Outcome: contact.Outcome(v.Get("outcome")), Index: v.Get("index") == "yes"}
			p.IssuedOn = dateIn(v, "issued", "Date the proceedings were issued", errs)
			p.FinalHearingOn = dateIn(v, "finalHearing", "Date of the final hearing", errs)
			for _, id := range v["children"] {
				p.ChildIDs = append(p.ChildIDs, id64(id))
			}
			if err := mergeInvalid(p.Validate(c.today, c.rec.Children), errs); err != nil || len(errs) > 0 {
				return "", err
			}
			p, err := s.store.CreateProceedings(c.r.Context(), c.event(audit.Create, s), p, c.by(), c.today)
			return made("proceedings-", p.ID, err)
		},
	}
}

func (s *Server) arrangementForm() contactForm {
	return contactForm{
		create: true,
		title:  fixed("Add a contact arrangement"),
		submit: "Add the arrangement",
		fields: func(c *contactCtx) []cField {
			return []cField{
				{Kind: "radios", Name: "child", Label: "Which child", Options: c.childChoices()},
				{Kind: "radios", Name: "type", Label: "Kind of contact", Options: contact.Types()},
				{Kind: "text", Name: "frequency", Label: "How often", Hint: "For example, once a year, or monthly for 2 hours", Width: "30"},
				{Kind: "radios", Name: "arrangedBy", Label: "Who arranges it", Options: contact.Arrangers()},
				{Kind: "radios", Name: "basis", Label: "Legal basis", Options: contact.Bases()},
				{Kind: "date", Name: "start", Label: "Start date", Hint: "For example, 1 3 2023"},
				{Kind: "date", Name: "lastReview", Label: "Date of the last review (leave blank if it has never been reviewed)"},
				{Kind: "date", Name: "nextReview", Label: "Date of the next review (if one is planned)"},
			}
		},
		save: func(c *contactCtx, v url.Values, _ int64, errs map[string]string) (string, error) {
			a := contact.Arrangement{PersonID: c.person.ID, ChildID: id64(v.Get("child")), Type: contact.Type(v.Get("type")), Frequency: v.Get("frequency"),
				ArrangedBy: contact.Arranger(v.Get("arrangedBy")), Basis: contact.Basis(v.Get("basis"))}
			a.StartOn = dateIn(v, "start", "Start date", errs)
			a.LastReviewOn = dateIn(v, "lastReview", "Date of the last review", errs)
			a.NextReviewOn = dateIn(v, "nextReview", "Date of the next review", errs)
			if err := mergeInvalid(a.Validate(c.today), errs); err != nil || len(errs) > 0 {
				return "", err
			}
			if err := mergeInvalid(a.CheckChild(c.rec.Children), errs); err != nil || len(errs) > 0 {
				return "", err
			}
			a, err := s.store.CreateArrangement(c.r.Context(), c.event(audit.Create, s), a, c.by(), c.today)
			return made("arrangement-", a.ID, err)
		},
	}
}

func (s *Server) reviewForm() contactForm {
	return contactForm{
		title: func(c *contactCtx) (string, error) {
			a, ok := c.arrangement()
			if !ok {
				return "", haven.ErrNotFound
			}
			return "Record a review of contact with " + a.ChildName, nil
		},
		submit: "Save the review",
		fields: func(c *contactCtx) []cField {
			return []cField{
				{Kind: "date", Name: "lastReview", Label: "Date of the review", Hint: "For example, 14 11 2026"},
				{Kind: "date", Name: "nextReview", Label: "Date of the next review (optional)"},
			}
		},
		initial: func(c *contactCtx) (url.Values, int64, error) {
			a, ok := c.arrangement()
			if !ok {
				return nil, 0, haven.ErrNotFound
			}
			return url.Values{}, a.Version, nil
		},
		save: func(c *contactCtx, v url.Values, version int64, errs map[string]string) (string, error) {
			a, ok := c.arrangement()
			if !ok {
				return "", haven.ErrNotFound
			}
			a.LastReviewOn = dateIn(v, "lastReview", "Date of the review", errs)
			a.NextReviewOn = dateIn(v, "nextReview", "Date of the next review", errs)
			if len(errs) > 0 {
				return "", nil
			}
			return "arrangement-" + itoa(a.ID), s.store.ReviewArrangement(c.r.Context(), c.event(audit.Update, s), a, version, c.today)
		},
	}
}

func (s *Server) changeForm() contactForm {
	return contactForm{
		create: true,
		title: func(c *contactCtx) (string, error) {
			a, ok := c.arrangement()
			if !ok {
				return "", haven.ErrNotFound
			}
			return "Record a change to contact with " + a.ChildName, nil
		},
		intro:  []string{"A change is kept as it is recorded and never overwritten. If she was not told why, Haven sets a task to find out and tell her."},
		submit: "Record the change",
		fields: func(c *contactCtx) []cField {
			return []cField{
				{Kind: "radios", Name: "aspect", Label: "What changed", Options: contact.Aspects()},
				{Kind: "select", Name: "newType", Label: "If the kind of contact changed, the new kind", Options: append([]contact.Choice{{Value: "", Title: "Not a change of kind"}}, contact.Types()...)},
				{Kind: "text", Name: "from", Label: "What it was before (optional)", Width: "30"},
				{Kind: "text", Name: "to", Label: "What it is now (optional)", Width: "30"},
				{Kind: "date", Name: "effective", Label: "Date the change took effect", Hint: "For example, 1 10 2026"},
				{Kind: "radios", Name: "changedBy", Label: "Who changed it", Options: contact.Changers()},
				{Kind: "radios", Name: "reasonGiven", Label: "Was she given a reason?", Options: contact.Reasons(), Reveal: string(contact.ReasonYes),
					Inside: []cField{
						{Kind: "textarea", Name: "reason", Label: "The reason, as she was told it"},
						{Kind: "text", Name: "toldHow", Label: "How she was told (optional)", Hint: "For example, letter, phone call, at a meeting", Width: "30"},
						{Kind: "date", Name: "toldOn", Label: "Date she was told (optional)", Hint: "For example, 20 9 2026"},
						{Kind: "text", Name: "toldBy", Label: "Who told her (optional)", Width: "30"},
					}},
				{Kind: "textarea", Name: "herView", Label: "Her view, in her own words (optional)"},
			}
		},
		initial: func(c *contactCtx) (url.Values, int64, error) {
			a, ok := c.arrangement()
			if !ok {
				return nil, 0, haven.ErrNotFound
			}
			return url.Values{}, a.Version, nil
		},
		save: func(c *contactCtx, v url.Values, version int64, errs map[string]string) (string, error) {
			a, ok := c.arrangement()
			if !ok {
				return "", haven.ErrNotFound
			}
			ch := contact.Change{PersonID: c.person.ID, ArrangementID: a.ID, ChildName: a.ChildName, Aspect: contact.Aspect(v.Get("aspect")),
				From: v.Get("from"), To: v.Get("to"), ChangedBy: contact.ChangedBy(v.Get("changedBy")), ReasonGiven: contact.ReasonGiven(v.Get("reasonGiven")),
				Reason: v.Get("reason"), ToldHow: v.Get("toldHow"), ToldBy: v.Get("toldBy"), HerView: v.Get("herView"), RecordedBy: c.by()}
			if ch.Aspect == contact.AspectType {
				ch.From, ch.To = string(a.At(c.today, c.rec.Changes).Type), v.Get("newType")
			}
			ch.EffectiveOn = dateIn(v, "effective", "Date the change took effect", errs)
			ch.ToldOn = dateIn(v, "toldOn", "Date she was told", errs)
			if err := mergeInvalid(ch.Validate(c.today, c.dated(a)), errs); err != nil || len(errs) > 0 {
				if m, ok := errs["to"]; ok && ch.Aspect == contact.AspectType {
					delete(errs, "to")
					errs["newType"] = m
				}
				reasonContradiction(ch.ReasonGiven, errs)
				return "", err
			}
			ch, err := s.store.RecordChange(c.r.Context(), c.event(audit.Create, s), ch, version, c.today)
			return made("change-", ch.ID, err)
		},
	}
}

func (s *Server) explanationForm() contactForm {
	find := func(c *contactCtx) (contact.Change, error) {
		for _, ch := range c.rec.Changes {
			if ch.ID == c.id && !ch.Withdrawn() { // a withdrawn change needs no explaining
				return ch, nil
			}
		}
		return contact.Change{}, haven.ErrNotFound
	}
	return contactForm{
		create: true,
		title: func(c *contactCtx) (string, error) {
			ch, err := find(c)
			return "Record that she was told why contact with " + ch.ChildName + " changed", err
		},
		intro:  []string{"This is added to the change; what was first recorded stays as it was."},
		submit: "Save",
		fields: func(c *contactCtx) []cField {
			return []cField{
				{Kind: "textarea", Name: "reason", Label: "The reason, as she was told it"},
				{Kind: "date", Name: "toldOn", Label: "Date she was told", Hint: "For example, 20 11 2026"},
				{Kind: "text", Name: "toldHow", Label: "How she was told (optional)", Width: "30"},
				{Kind: "text", Name: "toldBy", Label: "Who told her", Width: "30"},
				{Kind: "textarea", Name: "herView", Label: "Her view, in her own words (optional)"},
			}
		},
		initial: func(c *contactCtx) (url.Values, int64, error) {
			_, err := find(c)
			return url.Values{}, 0, err
		},
		save: func(c *contactCtx, v url.Values, _ int64, errs map[string]string) (string, error) {
			ch, err := find(c)
			if err != nil {
				return "", err
			}
			e := contact.Explanation{Reason: v.Get("reason"), ToldHow: v.Get("toldHow"), ToldBy: v.Get("toldBy"), HerView: v.Get("herView")}
			e.ToldOn = dateIn(v, "toldOn", "Date she was told", errs)
			on := c.dated(c.arrangementOf(ch))
			on.EffectiveOn = ch.EffectiveOn
			if err := mergeInvalid(e.Validate(c.today, on), errs); err != nil || len(errs) > 0 {
				return "", err
			}
			_, err = s.store.ExplainChange(c.r.Context(), c.event(audit.Create, s), c.person.ID, ch.ID, e, c.by(), c.today)
			if isDuplicate(err) {
				err = nil
			}
			return "change-" + itoa(ch.ID), err
		},
	}
}

// withdrawForm withdraws a change recorded by mistake. Nothing is deleted:
// the change stays on her record, struck through, with the reason.
func (s *Server) withdrawForm() contactForm {
	find := func(c *contactCtx) (contact.Change, error) {
		ch, err := c.change()
		if err == nil && ch.Withdrawn() {
			err = haven.Errorf(haven.KindConflict, "This change has already been withdrawn.")
		}
		return ch, err
	}
	return contactForm{
		title: func(c *contactCtx) (string, error) {
			ch, err := c.change()
			return "Withdraw a change to contact with " + ch.ChildName, err
		},
		about: func(c *contactCtx) []string {
			ch, _ := c.change()
			what := ch.Aspect.Title() + ", from " + ch.EffectiveOn.Long()
			if ch.From != "" {
				what += ": “" + ch.ValueTitle(ch.From) + "”"
			}
			if ch.To != "" {
				what += " to “" + ch.ValueTitle(ch.To) + "”"
			}
			return []string{"The change: " + what + ". Recorded by " + ch.RecordedName + " on " + ch.RecordedAt.In(london).Format("2 January 2006") + "."}
		},
		intro: []string{"The change stays on her record, struck through, with your reason, your name and the date. " +
			"It is left out of the arrangement as it stands, her letter, the reports and her tasks."},
		warning: "Withdraw a change only if it was recorded by mistake. If contact changed again, record a new change instead.",
		submit:  "Withdraw the change",
		fields: func(c *contactCtx) []cField {
			return []cField{{Kind: "textarea", Name: "reason", Label: "Why are you withdrawing this change?",
				Hint: "For example, it was recorded on the wrong child, or recorded twice"}}
		},
		initial: func(c *contactCtx) (url.Values, int64, error) {
			_, err := find(c)
			return url.Values{}, 0, err
		},
		save: func(c *contactCtx, v url.Values, _ int64, errs map[string]string) (string, error) {
			ch, err := find(c)
			if errors.Is(err, haven.ErrConflict) {
				errs["reason"] = "This change has already been withdrawn"
				return "", nil
			}
			if err != nil {
				return "", err
			}
			w := contact.Withdrawal{Reason: v.Get("reason")}
			if err := mergeInvalid(w.Validate(), errs); err != nil || len(errs) > 0 {
				return "", err
			}
			return "change-" + itoa(ch.ID), s.store.WithdrawChange(c.r.Context(), c.event(audit.Update, s), c.person.ID, ch.ID, w, c.by())
		},
	}
}

func sessionFields(c *contactCtx, withArrangement bool) []cField {
	var fs []cField
	if withArrangement {
		fs = append(fs, cField{Kind: "radios", Name: "arrangement", Label: "Which arrangement", Options: c.arrangementChoices("")})
	}
	return append(fs,
		cField{Kind: "date", Name: "planned", Label: "Date planned", Hint: "For example, 5 12 2026"},
		cField{Kind: "radios", Name: "outcome", Label: "What happened", Hint: "Leave as not recorded yet for contact still to come",
			Options: append([]contact.Choice{{Value: "", Title: "Not recorded yet"}}, contact.SessionOutcomes()...)},
		cField{Kind: "radios", Name: "cancelledBy", Label: "If it was cancelled, who cancelled it", Options: append([]contact.Choice{{Value: "", Title: "It was not cancelled"}}, contact.Cancellers()...)},
		cField{Kind: "textarea", Name: "herWords", Label: "How it went, in her words (optional)", MaxLength: contact.MaxSessionText},
		cField{Kind: "textarea", Name: "practitionerView", Label: "How it went, in your words (optional)", MaxLength: contact.MaxSessionText},
		cField{Kind: "textarea", Name: "supportBefore", Label: "Support given before (optional)", MaxLength: contact.MaxSessionText},
		cField{Kind: "textarea", Name: "supportAfter", Label: "Support given after (optional)", MaxLength: contact.MaxSessionText},
	)
}

func readSession(v url.Values, s *contact.ContactSession, errs map[string]string) {
	s.PlannedOn = dateIn(v, "planned", "Date planned", errs)
	s.Outcome, s.CancelledBy = contact.SessionOutcome(v.Get("outcome")), contact.Canceller(v.Get("cancelledBy"))
	s.HerWords, s.PractitionerView = strings.TrimSpace(v.Get("herWords")), strings.TrimSpace(v.Get("practitionerView"))
	s.SupportBefore, s.SupportAfter = strings.TrimSpace(v.Get("supportBefore")), strings.TrimSpace(v.Get("supportAfter"))
}

func (s *Server) contactSessionForm() contactForm {
	return contactForm{
		create: true,
		title:  fixed("Add a contact session"),
		submit: "Save the contact session",
		fields: func(c *contactCtx) []cField { return sessionFields(c, true) },
		save: func(c *contactCtx, v url.Values, _ int64, errs map[string]string) (string, error) {
			cs := contact.ContactSession{PersonID: c.person.ID, ArrangementID: id64(v.Get("arrangement"))}
			readSession(v, &cs, errs)
			if cs.ArrangementID == 0 {
				errs["arrangement"] = "Choose the contact arrangement"
			}
			if err := mergeInvalid(cs.Validate(c.today), errs); err != nil || len(errs) > 0 {
				return "", err
			}
			cs, err := s.store.CreateContactSession(c.r.Context(), c.event(audit.Create, s), cs, c.by(), c.today)
			return made("session-", cs.ID, err)
		},
	}
}

func (s *Server) contactSessionUpdateForm() contactForm {
	find := func(c *contactCtx) (contact.ContactSession, error) {
		for _, cs := range c.rec.Sessions {
			if cs.ID == c.id {
				return cs, nil
			}
		}
		return contact.ContactSession{}, haven.ErrNotFound
	}
	return contactForm{
		title: func(c *contactCtx) (string, error) {
			cs, err := find(c)
			return "Contact session with " + cs.ChildName, err
		},
		submit: "Save the contact session",
		fields: func(c *contactCtx) []cField { return sessionFields(c, false) },
		initial: func(c *contactCtx) (url.Values, int64, error) {
			cs, err := find(c)
			v := url.Values{"outcome": {string(cs.Outcome)}, "cancelledBy": {string(cs.CancelledBy)}, "herWords": {cs.HerWords},
				"practitionerView": {cs.PractitionerView}, "supportBefore": {cs.SupportBefore}, "supportAfter": {cs.SupportAfter}}
			dateValues(v, "planned", cs.PlannedOn)
			return v, cs.Version, err
		},
		save: func(c *contactCtx, v url.Values, version int64, errs map[string]string) (string, error) {
			cs, err := find(c)
			if err != nil {
				return "", err
			}
			readSession(v, &cs, errs)
			if err := mergeInvalid(cs.Validate(c.today), errs); err != nil || len(errs) > 0 {
				return "", err
			}
			return "session-" + itoa(cs.ID), s.store.UpdateContactSession(c.r.Context(), c.event(audit.Update, s), cs, version, c.today)
		},
	}
}

func letterFields(c *contactCtx, create bool) []cField {
	var fs []cField
	if create {
		fs = append(fs,
			cField{Kind: "radios", Name: "arrangement", Label: "Which letterbox arrangement", Options: c.arrangementChoices(contact.Letterbox)},
			cField{Kind: "radios", Name: "direction", Label: "Which way the letter goes", Options: contact.Directions()},
			cField{Kind: "date", Name: "due", Label: "Date due (optional)", Hint: "Leave blank for a year after the last letter was due"})
	}
	return append(fs,
		cField{Kind: "date", Name: "sent", Label: "Date sent (optional)"},
		cField{Kind: "date", Name: "received", Label: "Date received (optional)"},
		cField{Kind: "text", Name: "checkedBy", Label: "Who checked the letter (optional)", Hint: "For example, the agency's letterbox co-ordinator", Width: "30"},
		cField{Kind: "radios", Name: "status", Label: "Was the letter returned or withheld?",
			Options: append([]contact.Choice{{Value: "", Title: "No, it went through (or is still to come)"}}, contact.LetterStatuses()...)},
		cField{Kind: "textarea", Name: "statusReason", Label: "Why it was returned or withheld (if it was)", MaxLength: contact.MaxStatusReason},
	)
}

func readLetter(v url.Values, x *contact.LetterboxExchange, errs map[string]string) {
	x.SentOn = dateIn(v, "sent", "Date sent", errs)
	x.ReceivedOn = dateIn(v, "received", "Date received", errs)
	x.CheckedBy, x.Status, x.StatusReason = v.Get("checkedBy"), contact.LetterStatus(v.Get("status")), v.Get("statusReason")
}

func (s *Server) letterboxForm() contactForm {
	return contactForm{
		create: true,
		title:  fixed("Add a letterbox exchange"),
		intro:  []string{"Letterbox letters are usually exchanged once a year. Haven reminds you four weeks before each one is due."},
		submit: "Save the letter",
		fields: func(c *contactCtx) []cField { return letterFields(c, true) },
		save: func(c *contactCtx, v url.Values, _ int64, errs map[string]string) (string, error) {
			x := contact.LetterboxExchange{PersonID: c.person.ID, ArrangementID: id64(v.Get("arrangement")), Direction: contact.Direction(v.Get("direction"))}
			x.DueOn = dateIn(v, "due", "Date due", errs)
			readLetter(v, &x, errs)
			if x.ArrangementID == 0 {
				errs["arrangement"] = "Choose a letterbox arrangement"
			}
			if len(errs) > 0 {
				probe := x
				if probe.DueOn.IsZero() {
					probe.DueOn = c.today // the default is worked out on saving
				}
				return "", mergeInvalid(probe.Validate(c.today), errs)
			}
			x, err := s.store.CreateLetterboxExchange(c.r.Context(), c.event(audit.Create, s), x, c.by(), c.today)
			return made("letter-", x.ID, err)
		},
	}
}

func (s *Server) letterboxUpdateForm() contactForm {
	find := func(c *contactCtx) (contact.LetterboxExchange, error) {
		for _, x := range c.rec.Letterbox {
			if x.ID == c.id {
				return x, nil
			}
		}
		return contact.LetterboxExchange{}, haven.ErrNotFound
	}
	return contactForm{
		title: func(c *contactCtx) (string, error) {
			x, err := find(c)
			return "Letterbox letter due " + x.DueOn.Long(), err
		},
		submit: "Save the letter",
		fields: func(c *contactCtx) []cField { return letterFields(c, false) },
		initial: func(c *contactCtx) (url.Values, int64, error) {
			x, err := find(c)
			v := url.Values{"checkedBy": {x.CheckedBy}, "status": {string(x.Status)}, "statusReason": {x.StatusReason}}
			dateValues(v, "sent", x.SentOn)
			dateValues(v, "received", x.ReceivedOn)
			return v, x.Version, err
		},
		save: func(c *contactCtx, v url.Values, version int64, errs map[string]string) (string, error) {
			x, err := find(c)
			if err != nil {
				return "", err
			}
			readLetter(v, &x, errs)
			if err := mergeInvalid(x.Validate(c.today), errs); err != nil || len(errs) > 0 {
				return "", err
			}
			return "letter-" + itoa(x.ID), s.store.UpdateLetterboxExchange(c.r.Context(), c.event(audit.Update, s), x, version, c.today)
		},
	}
}
