package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/measure"
	"haven/internal/programme"
	"haven/internal/store"
)

// Her needs at each point (issue 17 item 2) sit on her Outcome measures
// page, with the same rule as the measures: her allocated practitioner and
// the lead (S17). The practitioner judges each change with her; Haven
// compares nothing itself.

// needsSection is the Needs part of her Outcome measures page.
type needsSection struct {
	Ref      string
	Recorded []measure.Needs  // in programme order
	Points   []needsPointLink // every point, to record or change
}

type needsPointLink struct {
	Point    measure.Point
	Recorded bool
}

// Name is the point mid-sentence.
func (l needsPointLink) Name() string { return lowerFirst(l.Point.Label()) }

// Domains are the rows of the section's table.
func (n needsSection) Domains() []measure.NeedDomain { return measure.NeedDomains[:] }

// Facts are the three extra rows.
func (n needsSection) Facts() []measure.FactQuestion { return measure.FactQuestions }

func (s *Server) needsSectionFor(r *http.Request, p programme.Person) (needsSection, error) {
	ns, err := s.store.Needs(r.Context(), p.ID)
	if err != nil {
		return needsSection{}, err
	}
	sec := needsSection{Ref: p.Ref, Recorded: ns}
	for _, pt := range measure.Timepoints {
		l := needsPointLink{Point: pt}
		for _, n := range ns {
			l.Recorded = l.Recorded || n.Point == pt
		}
		sec.Points = append(sec.Points, l)
	}
	return sec, nil
}

// needsFormPage records every domain and the three facts at one point.
type needsFormPage struct {
	Layout
	Person   programme.Person
	Point    measure.Point
	Form     needsForm
	Previous measure.PreviousNeeds
	Conflict *measure.Needs // what someone else saved first, on a 409
}

func (p *needsFormPage) record() (programme.Person, string, *recordBar) {
	return p.Person, "measures", nil
}

// needsForm is the form as typed: every value a string, kept for correction.
type needsForm struct {
	Day, Month, Year string
	Status, Change   map[string]string // by domain
	Facts            map[string]string // by FactQuestion field
	Version          int64
}

// PointName is the point mid-sentence.
func (p *needsFormPage) PointName() string { return lowerFirst(p.Point.Label()) }

// Later reports whether the point comes after baseline, so asks how each domain changed.
func (p *needsFormPage) Later() bool { return p.Point != measure.Baseline }

// needsDomainRow is one domain as the form shows it.
type needsDomainRow struct {
	Domain                  measure.NeedDomain
	Field, ChangeField      string
	Status, Change          string
	Error, ChangeError      string
	Previous                measure.PreviousReading
	HasPrevious, ChangeNeed bool
	Name                    string // the label mid-sentence
	PreviousText            string // "At baseline: need"
	ChangeHint              string
}

// Domains are the form's questions, with what was typed and any error.
func (p *needsFormPage) Domains() []needsDomainRow {
	out := make([]needsDomainRow, 0, len(measure.NeedDomains))
	for _, d := range measure.NeedDomains {
		prev, ok := p.Previous[d]
		row := needsDomainRow{Domain: d, Field: string(d), ChangeField: measure.ChangeField(d),
			Status: p.Form.Status[string(d)], Change: p.Form.Change[string(d)],
			Error: p.ErrorFor(string(d)), ChangeError: p.ErrorFor(measure.ChangeField(d)),
			Previous: prev, HasPrevious: ok, ChangeNeed: ok && prev.Status.Known(), Name: lowerFirst(d.Label())}
		switch {
		case row.ChangeNeed:
			row.PreviousText = "At " + lowerFirst(prev.Point.Label()) + ": " + lowerFirst(prev.Status.Label())
			row.ChangeHint = "Compared with her reading at " + lowerFirst(prev.Point.Label()) + ". Needed unless this reading is not known."
		case ok:
			row.PreviousText = "At " + lowerFirst(prev.Point.Label()) + ": " + lowerFirst(prev.Status.Label())
			row.ChangeHint = "Optional: her last reading was not known."
		default:
			row.ChangeHint = "Optional: there is no earlier reading to compare with."
		}
		out = append(out, row)
	}
	return out
}

// needsFactRow is one of the three facts as the form shows it.
type needsFactRow struct {
	measure.FactQuestion
	Answer, Error string
}

// Facts are the three extra questions.
func (p *needsFormPage) Facts() []needsFactRow {
	out := make([]needsFactRow, 0, len(measure.FactQuestions))
	for _, q := range measure.FactQuestions {
		out = append(out, needsFactRow{FactQuestion: q, Answer: p.Form.Facts[q.Field], Error: p.ErrorFor(q.Field)})
	}
	return out
}

// Statuses, Changes and Answers are the radios' options.
func (p *needsFormPage) Statuses() []measure.NeedStatus { return measure.NeedStatuses }
func (p *needsFormPage) Changes() []measure.Change      { return measure.Changes }
func (p *needsFormPage) Answers() []measure.Fact        { return measure.Facts }

// formFromNeeds fills the form from what is stored.
func formFromNeeds(n measure.Needs) needsForm {
	f := needsForm{Status: map[string]string{}, Change: map[string]string{}, Facts: map[string]string{}, Version: n.Version}
	f.Day, f.Month, f.Year = n.AssessedOn.Parts()
	for _, r := range n.Readings {
		f.Status[string(r.Domain)], f.Change[string(r.Domain)] = string(r.Status), string(r.Change)
	}
	for _, q := range measure.FactQuestions {
		f.Facts[q.Field] = string(n.FactAnswer(q.Field))
	}
	return f
}

// readNeedsForm reads the posted form into a reading for point p. Values
// outside the lists are passed on as typed, for CheckNeeds to refuse by
// field; the date's own problems come back in fields.
func readNeedsForm(v url.Values, p measure.Point) (measure.Needs, needsForm, map[string]string) {
	f := needsForm{Day: v.Get("assessedOn-day"), Month: v.Get("assessedOn-month"), Year: v.Get("assessedOn-year"),
		Status: map[string]string{}, Change: map[string]string{}, Facts: map[string]string{}}
	f.Version, _ = strconv.ParseInt(v.Get("version"), 10, 64)
	fields := map[string]string{}
	n := measure.Needs{Point: p, Version: max(f.Version, 0)}
	on, err := haven.ParseDateParts("Date you went through her needs", f.Day, f.Month, f.Year)
	if err != nil {
		fields["assessedOn"] = err.Error()
	}
	n.AssessedOn = on
	for i, d := range measure.NeedDomains {
		st, ch := v.Get(string(d)), v.Get(measure.ChangeField(d))
		f.Status[string(d)], f.Change[string(d)] = st, ch
		n.Readings[i] = measure.NeedReading{Domain: d, Status: measure.NeedStatus(st), Change: measure.Change(ch)}
	}
	for _, q := range measure.FactQuestions {
		f.Facts[q.Field] = v.Get(q.Field)
	}
	n.StableHousing, n.PaidWork, n.ChildContact = measure.Fact(f.Facts["stableHousing"]), measure.Fact(f.Facts["paidWork"]), measure.Fact(f.Facts["childContact"])
	return n, f, fields
}

// needsFormData finds her and the point, and what is already stored.
func (s *Server) needsFormData(r *http.Request) (*needsFormPage, []measure.Needs, error) {
	p, _, err := s.measurePerson(r)
	if err != nil {
		return nil, nil, err
	}
	point, ok := measure.ParsePoint(r.PathValue("point"))
	if !ok {
		return nil, nil, haven.ErrNotFound
	}
	stored, err := s.store.Needs(r.Context(), p.ID)
	if err != nil {
		return nil, nil, err
	}
	page := &needsFormPage{Layout: Layout{Title: p.Name() + ": needs at " + lowerFirst(point.Label()), Nav: "people"}, Person: p, Point: point,
		Previous: measure.Earlier(stored, point), Form: needsForm{Status: map[string]string{}, Change: map[string]string{}, Facts: map[string]string{}}}
	return page, stored, nil
}

func storedAt(stored []measure.Needs, p measure.Point) (measure.Needs, bool) {
	for _, n := range stored {
		if n.Point == p {
			return n, true
		}
	}
	return measure.Needs{}, false
}

func (s *Server) needsForm(w http.ResponseWriter, r *http.Request) error {
	page, stored, err := s.needsFormData(r)
	if err != nil {
		return err
	}
	if n, ok := storedAt(stored, page.Point); ok {
		page.Form = formFromNeeds(n)
		// The form shows what was recorded: reading it is recorded.
		if err := s.store.Audit(r.Context(), s.viewEvent(r, page.Person.ID, store.SectionMeasures)); err != nil {
			return err
		}
	}
	return s.render(w, r, http.StatusOK, "needs-form.html", page)
}

func (s *Server) saveNeeds(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	page, _, err := s.needsFormData(r)
	if err != nil {
		return err
	}
	n, f, fields := readNeedsForm(r.PostForm, page.Point)
	page.Form = f
	// Every other problem is found alongside the date's.
	if err := measure.CheckNeeds(n, page.Previous, s.today()); err != nil {
		he, ok := errors.AsType[*haven.Error](err)
		if !ok {
			return err
		}
		for k, m := range he.Fields {
			if _, dateWrong := fields[k]; !dateWrong {
				fields[k] = m
			}
		}
	}
	if len(fields) == 0 {
		err := s.store.SaveNeeds(r.Context(), s.auditEvent(r, audit.Update), page.Person.ID, n, infoFrom(r.Context()).actor.User.ID, s.today())
		he, _ := errors.AsType[*haven.Error](err)
		switch {
		case err == nil:
			s.saved(w, r, "/people/"+page.Person.Ref+"/measures#needs", "needs")
			return nil
		case errors.Is(err, haven.ErrConflict):
			// Keep what they typed, show what was saved first, and let them save again over it.
			stored, err := s.store.Needs(r.Context(), page.Person.ID)
			if err != nil {
				return err
			}
			cur, _ := storedAt(stored, page.Point)
			page.Conflict, page.Form.Version = &cur, cur.Version
			page.Previous = measure.Earlier(stored, page.Point)
			page.Errors = []FieldError{{"assessedOn", "Someone else recorded her needs at " + lowerFirst(page.Point.Label()) + " while you were filling this in. Check what they recorded below, then save again"}}
			if err := s.store.Audit(r.Context(), s.viewEvent(r, page.Person.ID, store.SectionMeasures)); err != nil {
				return err
			}
			return s.render(w, r, http.StatusConflict, "needs-form.html", page)
		case he != nil && he.Kind == haven.KindInvalid:
			fields = he.Fields
		default:
			return err
		}
	}
	page.Errors = fieldErrors(fields, measure.NeedFields()...)
	return s.render(w, r, http.StatusUnprocessableEntity, "needs-form.html", page)
}

func lowerFirst(s string) string {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}

// schedulePage shows a Practice's schedule of measures; its lead changes it.
type schedulePage struct {
	Layout
	Practice access.Membership
	Lead     bool // may change it
	Schedule measure.Schedule
	Rows     []scheduleRow
	Points   []measure.Point
}

type scheduleRow struct {
	Item   measure.ScheduleItem
	Field  string
	Usable bool
	Error  string
	Cells  []scheduleCell
}

// Checked are the points the item is due at.
func (r scheduleRow) Checked() []scheduleCell {
	var out []scheduleCell
	for _, c := range r.Cells {
		if c.Checked {
			out = append(out, c)
		}
	}
	return out
}

type scheduleCell struct {
	ID, Value string
	Point     measure.Point
	Checked   bool
}

// scheduleData finds the Practice by slug among the actor's own: a
// Practice she does not run is not found, and only its lead may change it.
func (s *Server) scheduleData(r *http.Request, chosen map[measure.Slot]bool) (*schedulePage, error) {
	slug := r.PathValue("slug")
	var found *access.Membership
	lead := false
	for _, m := range infoFrom(r.Context()).actor.Memberships {
		if m.TenantKind == access.TenantPractice && m.TenantSlug == slug && m.Role.Has(access.PermCaseAllocate) {
			found = &m
			lead = lead || m.Role == access.RolePracticeLead
		}
	}
	if found == nil {
		return nil, haven.ErrNotFound
	}
	sc, err := s.store.Schedule(r.Context(), found.TenantID)
	if err != nil {
		return nil, err
	}
	use, err := s.usable(r)
	if err != nil {
		return nil, err
	}
	if chosen == nil {
		chosen = sc.Slots
	}
	page := &schedulePage{Layout: Layout{Title: "Schedule of outcome measures: " + found.TenantName, Nav: "overview"}, Practice: *found, Lead: lead,
		Schedule: sc, Points: measure.SchedulePoints}
	for _, item := range measure.ScheduleItems() {
		row := scheduleRow{Item: item, Field: measure.ScheduleField(item), Usable: true}
		if in, ok := item.Instrument(); ok {
			row.Usable = use[in.ID]
		}
		for i, p := range measure.SchedulePoints {
			id := row.Field
			if i > 0 {
				id += "-" + string(p)
			}
			row.Cells = append(row.Cells, scheduleCell{ID: id, Value: measure.SlotValue(item, p), Point: p, Checked: chosen[measure.Slot{Item: item, Point: p}]})
		}
		page.Rows = append(page.Rows, row)
	}
	return page, nil
}

func (s *Server) schedule(w http.ResponseWriter, r *http.Request) error {
	page, err := s.scheduleData(r, nil)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "schedule.html", page)
}

func (s *Server) saveSchedule(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	var slots []measure.Slot
	chosen := map[measure.Slot]bool{}
	fields := map[string]string{}
	for _, v := range r.PostForm["slot"] {
		sl, ok := measure.ParseSlot(v)
		if !ok {
			fields["schedule"] = "Choose measures and points from the list"
			continue
		}
		slots, chosen[sl] = append(slots, sl), true
	}
	page, err := s.scheduleData(r, chosen)
	if err != nil {
		return err
	}
	if !page.Lead {
		return haven.ErrForbidden
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if len(fields) == 0 {
		err := s.store.SaveSchedule(r.Context(), s.auditEvent(r, audit.Update), page.Practice.TenantID, slots, version, infoFrom(r.Context()).actor.User.ID)
		he, _ := errors.AsType[*haven.Error](err)
		switch {
		case err == nil:
			s.saved(w, r, "/overview/"+page.Practice.TenantSlug+"/schedule", "schedule")
			return nil
		case errors.Is(err, haven.ErrConflict):
			// Show what is saved now, with their choices kept, to save again over it.
			page.Errors = []FieldError{{"schedule", "Someone else changed this schedule while you were editing it. Check your choices, then save again"}}
			return s.render(w, r, http.StatusConflict, "schedule.html", page)
		case he != nil && he.Kind == haven.KindInvalid:
			fields = he.Fields
		default:
			return err
		}
	}
	order := []string{"schedule"}
	for _, row := range page.Rows {
		order = append(order, row.Field)
	}
	page.Errors = fieldErrors(fields, order...)
	for i := range page.Rows {
		page.Rows[i].Error = page.ErrorFor(page.Rows[i].Field)
	}
	page.Schedule.Version = version
	return s.render(w, r, http.StatusUnprocessableEntity, "schedule.html", page)
}
