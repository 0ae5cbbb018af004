package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/measure"
	"haven/internal/programme"
	"haven/internal/store"
)

// Outcome measures are health data: like the restricted sections, they are
// for her allocated practitioner and the lead (S17). Nothing here scores her
// risk; a flag only tells the practitioner what to do now.

// measuresPage lists her measures and offers the ones that may be used.
type measuresPage struct {
	Layout
	Person   programme.Person
	Lead     bool
	Measures []measureListRow
	Offer    []measureOffer
	Response measureResponseForm
	Needs    needsSection // needs.go
	Star     starSection  // star.go
}

type measureListRow struct {
	measure.Record
	Name string
}

type measureOffer struct {
	*measure.Instrument
	Usable bool
}

type measureResponseForm struct {
	ID   int64
	Note string
}

// measureFormPage is one instrument's form.
type measureFormPage struct {
	Layout
	Person     programme.Person
	Instrument *measure.Instrument
	Points     []measure.Point
	Form       measureForm
}

type measureForm struct {
	Point, Day, Month, Year string
	Answers                 []string // one per item, "" when left blank
}

// measureQuestion is one item as the form shows it.
type measureQuestion struct {
	measure.Item
	Name, Answer, Error string
}

// Questions are the instrument's items with what was typed and any error.
func (p *measureFormPage) Questions() []measureQuestion {
	out := make([]measureQuestion, len(p.Instrument.Items))
	for i, it := range p.Instrument.Items {
		name := "item" + strconv.Itoa(i+1)
		out[i] = measureQuestion{Item: it, Name: name, Answer: p.Form.Answers[i], Error: p.ErrorFor(name)}
	}
	return out
}

// measurePromptPage is the safeguarding prompt shown at once when a measure
// raises a flag.
type measurePromptPage struct {
	Layout
	Person programme.Person
	ID     int64
}

func (p *measuresPage) record() (programme.Person, string, *recordBar) {
	return p.Person, "measures", nil
}
func (p *measureFormPage) record() (programme.Person, string, *recordBar) {
	return p.Person, "measures", nil
}

// measurePerson finds her, for someone who may read her health data.
func (s *Server) measurePerson(r *http.Request) (programme.Person, programme.Access, error) {
	p, acc, err := s.personFor(r)
	if err != nil {
		return p, acc, err
	}
	if !acc.Record {
		return p, acc, refuseRecord(p, acc)
	}
	if !acc.Restricted {
		return p, acc, haven.ErrForbidden
	}
	return p, acc, nil
}

// usable reports which instruments the deployment may use.
func (s *Server) usable(r *http.Request) (map[measure.ID]bool, error) {
	out := map[measure.ID]bool{}
	for _, in := range measure.All() {
		ok, err := s.measureEnabled(r.Context(), in)
		if err != nil {
			return nil, err
		}
		out[in.ID] = ok
	}
	return out, nil
}

func (s *Server) measuresData(r *http.Request) (*measuresPage, error) {
	p, acc, err := s.measurePerson(r)
	if err != nil {
		return nil, err
	}
	recs, err := s.store.Measures(r.Context(), p.ID)
	if err != nil {
		return nil, err
	}
	use, err := s.usable(r)
	if err != nil {
		return nil, err
	}
	page := &measuresPage{Layout: Layout{Title: p.Name() + ": outcome measures", Nav: "people"}, Person: p, Lead: acc.Lead}
	for i := len(recs) - 1; i >= 0; i-- { // newest first
		in, _ := measure.Lookup(recs[i].Instrument)
		page.Measures = append(page.Measures, measureListRow{Record: recs[i], Name: in.Name})
	}
	for _, in := range measure.All() {
		page.Offer = append(page.Offer, measureOffer{Instrument: in, Usable: use[in.ID]})
	}
	if page.Needs, err = s.needsSectionFor(r, p); err != nil {
		return nil, err
	}
	if page.Star, err = s.starSectionFor(r, p.ID); err != nil {
		return nil, err
	}
	return page, nil
}

func (s *Server) measures(w http.ResponseWriter, r *http.Request) error {
	page, err := s.measuresData(r)
	if err != nil {
		return err
	}
	if err := s.store.Audit(r.Context(), s.viewEvent(r, page.Person.ID, store.SectionMeasures)); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "measures.html", page)
}

// instrumentFor reads the instrument from the path; one switched off is a 404.
func (s *Server) instrumentFor(r *http.Request) (*measure.Instrument, error) {
	in, ok := measure.Lookup(measure.ID(r.PathValue("instrument")))
	if !ok {
		return nil, haven.ErrNotFound
	}
	use, err := s.usable(r)
	if err != nil {
		return nil, err
	}
	if !use[in.ID] {
		return nil, haven.ErrNotFound
	}
	return in, nil
}

func (s *Server) measureFormData(r *http.Request) (*measureFormPage, error) {
	p, _, err := s.measurePerson(r)
	if err != nil {
		return nil, err
	}
	in, err := s.instrumentFor(r)
	if err != nil {
		return nil, err
	}
	page := &measureFormPage{Layout: Layout{Title: p.Name() + ": " + in.Name, Nav: "people"}, Person: p, Instrument: in, Points: measure.Timepoints,
		Form: measureForm{Answers: make([]string, len(in.Items))}}
	// A task links here with the point that is due (needs.go, scheduleTasks).
	if pt, ok := measure.ParsePoint(r.URL.Query().Get("point")); ok {
		page.Form.Point = string(pt)
	}
	return page, nil
}

func (s *Server) measureForm(w http.ResponseWriter, r *http.Request) error {
	page, err := s.measureFormData(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "measure-form.html", page)
}

func (s *Server) addMeasure(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	page, err := s.measureFormData(r)
	if err != nil {
		return err
	}
	in := page.Instrument
	v := r.PostFormValue
	f := measureForm{Point: v("point"), Day: v("takenOn-day"), Month: v("takenOn-month"), Year: v("takenOn-year"), Answers: make([]string, len(in.Items))}
	fields := map[string]string{}
	answers := make([]measure.Answer, len(in.Items))
	for i := range in.Items {
		key := "item" + strconv.Itoa(i+1)
		f.Answers[i] = v(key)
		if f.Answers[i] == "" {
			continue // left blank: scored by the instrument's rule for missing items
		}
		n, err := strconv.Atoi(f.Answers[i])
		if err != nil || n < in.Min || n > in.Max {
			fields[key] = in.RangeError(i + 1).Message
			continue
		}
		answers[i] = measure.A(n)
	}
	if _, ok := measure.ParsePoint(f.Point); !ok {
		fields["point"] = "Choose when in her programme this was taken"
	}
	on, derr := haven.ParseDateParts("Date she completed it", f.Day, f.Month, f.Year)
	if derr != nil {
		fields["takenOn"] = derr.Error()
	}
	var id int64
	if len(fields) == 0 {
		rec, err := measure.NewRecord(in.ID, measure.Point(f.Point), on, answers, s.today())
		if he, ok := errors.AsType[*haven.Error](err); ok {
			fields = he.Fields
		} else if err != nil {
			return err
		}
		if len(fields) == 0 {
			id, err = s.store.AddMeasure(r.Context(), s.auditEvent(r, audit.Create), page.Person.ID, rec, infoFrom(r.Context()).actor.User.ID)
			if d, ok := errors.AsType[*store.Duplicate](err); ok {
				id, err = d.ID, nil
			}
			if err != nil {
				return err
			}
			if len(rec.Result.Flags) > 0 {
				http.Redirect(w, r, "/people/"+page.Person.Ref+"/measures/prompt/"+strconv.FormatInt(id, 10), http.StatusSeeOther) // #nosec G710 -- Haven's own path: a constant prefix, her stored reference and the new measure's number
				return nil
			}
			s.saved(w, r, "/people/"+page.Person.Ref+"/measures", "measure")
			return nil
		}
	}
	page.Form = f
	order := []string{"point", "takenOn"}
	for i := range in.Items {
		order = append(order, "item"+strconv.Itoa(i+1))
	}
	page.Errors = fieldErrors(fields, order...)
	return s.render(w, r, http.StatusUnprocessableEntity, "measure-form.html", page)
}

// measurePrompt is the interruption card: what to do now about a flag.
func (s *Server) measurePrompt(w http.ResponseWriter, r *http.Request) error {
	p, _, err := s.measurePerson(r)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return haven.ErrNotFound
	}
	recs, err := s.store.Measures(r.Context(), p.ID)
	if err != nil {
		return err
	}
	for _, rec := range recs {
		if rec.ID == id && len(rec.Result.Flags) > 0 {
			if err := s.store.Audit(r.Context(), s.viewEvent(r, p.ID, store.SectionMeasures)); err != nil {
				return err
			}
			return s.render(w, r, http.StatusOK, "measure-prompt.html", &measurePromptPage{Layout: Layout{Title: "Act on her answer now", Nav: "people"}, Person: p, ID: id})
		}
	}
	return haven.ErrNotFound
}

// respondToMeasure is the lead's record of what was done about a flag.
func (s *Server) respondToMeasure(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	page, err := s.measuresData(r)
	if err != nil {
		return err
	}
	if !page.Lead {
		return haven.ErrForbidden
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return haven.ErrNotFound
	}
	note := strings.TrimSpace(r.PostFormValue("note"))
	fields := map[string]string{}
	switch n := utf8.RuneCountInString(note); {
	case n == 0:
		fields["note"] = "Enter what was done about her answer"
	case n > 2000:
		fields["note"] = "What was done must be 2,000 characters or fewer"
	}
	if len(fields) == 0 {
		err := s.store.RespondToMeasure(r.Context(), s.auditEvent(r, audit.Update), page.Person.ID, id, note, infoFrom(r.Context()).actor.User.ID)
		switch {
		case err == nil:
			s.saved(w, r, "/people/"+page.Person.Ref+"/measures", "measureResponse")
			return nil
		case errors.Is(err, haven.ErrConflict):
			fields["note"] = "Someone already recorded what was done about this answer"
		default:
			return err
		}
	}
	page.Response = measureResponseForm{ID: id, Note: note}
	page.Errors = fieldErrors(fields, "note")
	return s.render(w, r, http.StatusUnprocessableEntity, "measures.html", page)
}

// registrationsPage is where an administrator records the deployment's
// registration to use the measures whose owners require one.
type registrationsPage struct {
	Layout
	Rows []registrationRow
	Form registrationForm
	// The Outcomes Star licence (star.go).
	Star     measure.Registration
	Licensed bool
	Licence  starLicenceForm
}

type registrationRow struct {
	*measure.Instrument
	Registration measure.Registration
	Recorded     bool
}

type registrationForm struct {
	Instrument, Reference, Day, Month, Year string
}

func (s *Server) registrationsData(r *http.Request) (*registrationsPage, error) {
	regs, err := s.store.Registrations(r.Context())
	if err != nil {
		return nil, err
	}
	page := &registrationsPage{Layout: Layout{Title: "Measures that need registering", Nav: "admin"}}
	if page.Star, page.Licensed, err = s.store.StarLicence(r.Context()); err != nil {
		return nil, err
	}
	for _, in := range measure.All() {
		if in.Registered {
			reg, ok := regs[in.ID]
			page.Rows = append(page.Rows, registrationRow{Instrument: in, Registration: reg, Recorded: ok})
		}
	}
	return page, nil
}

func (s *Server) registrations(w http.ResponseWriter, r *http.Request) error {
	page, err := s.registrationsData(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin-measures.html", page)
}

func (s *Server) saveRegistration(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	page, err := s.registrationsData(r)
	if err != nil {
		return err
	}
	v := r.PostFormValue
	f := registrationForm{Instrument: v("instrument"), Reference: strings.TrimSpace(v("reference")), Day: v("registeredOn-day"), Month: v("registeredOn-month"), Year: v("registeredOn-year")}
	fields := map[string]string{}
	on, derr := haven.ParseDateParts("Date of the registration", f.Day, f.Month, f.Year)
	switch {
	case derr != nil:
		fields["registeredOn"] = derr.Error()
	case !on.IsZero() && s.today().Before(on):
		fields["registeredOn"] = "The date of the registration must be today or in the past"
	}
	if len(fields) == 0 {
		err := s.store.SaveRegistration(r.Context(), s.auditEvent(r, audit.Update), measure.ID(f.Instrument), measure.Registration{Reference: f.Reference, On: on}, infoFrom(r.Context()).actor.User.ID)
		he, _ := errors.AsType[*haven.Error](err)
		switch {
		case err == nil:
			s.saved(w, r, "/admin/measures", "registration")
			return nil
		case he != nil && he.Kind == haven.KindInvalid:
			fields = he.Fields
		default:
			return err
		}
	}
	page.Form = f
	page.Errors = fieldErrors(fields, "instrument", "reference", "registeredOn")
	return s.render(w, r, http.StatusUnprocessableEntity, "admin-measures.html", page)
}
