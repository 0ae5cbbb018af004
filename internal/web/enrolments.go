package web

import (
	"errors"
	"net/http"
	"strconv"

	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/programme"
)

// enrolmentView is an enrolment with its clock for the person page.
type enrolmentView struct {
	programme.Enrolment
	Clock    programme.Clock
	HasClock bool
}

// enrolmentForm is what was typed into the phase form, kept on error.
type enrolmentForm struct {
	To, Day, Month, Year, Reason string
	Exit                         string // the early-exit category
}

// confirmPhasePage asks before a phase change that ends her programme.
type confirmPhasePage struct {
	Layout
	Person    programme.Person
	Enrolment programme.Enrolment
	To        programme.Phase
	On        haven.Date
	Form      enrolmentForm
}

// Question is what the page asks.
func (p *confirmPhasePage) Question() string {
	switch p.To {
	case programme.PhaseCompleted:
		return "Record that " + p.Person.Name() + " has completed the programme?"
	case programme.PhaseEnded:
		return "End " + p.Person.Name() + "’s programme early?"
	}
	return "Close " + p.Person.Name() + "’s case?"
}

func (p *confirmPhasePage) record() (programme.Person, string, *recordBar) {
	return p.Person, "details", nil
}

func (s *Server) today() haven.Date {
	t := s.now().In(london)
	return haven.NewDate(t.Year(), t.Month(), t.Day())
}

// addEnrolments fills in the programme part of the person page.
func (s *Server) addEnrolments(r *http.Request, page *personPage) error {
	es, err := s.store.Enrolments(r.Context(), page.Person.ID)
	if err != nil {
		return err
	}
	settings, err := s.store.PracticeSettings(r.Context(), page.Person.PracticeID)
	if err != nil {
		return err
	}
	page.Settings = settings
	for _, e := range es {
		v := enrolmentView{Enrolment: e}
		v.Clock, v.HasClock = e.ClockAt(s.today(), settings)
		page.Enrolments = append(page.Enrolments, v)
	}
	if page.Person.PractitionerID != 0 {
		if page.Caseload, err = s.store.Caseload(r.Context(), page.Person.PractitionerID); err != nil {
			return err
		}
	}
	return nil
}

func (s *Server) startEnrolment(w http.ResponseWriter, r *http.Request) error {
	p, acc, err := s.recordForm(r)
	if err != nil {
		return err
	}
	on, derr := haven.ParseDateParts("Referral date", r.PostFormValue("referredOn-day"), r.PostFormValue("referredOn-month"), r.PostFormValue("referredOn-year"))
	if derr == nil && on.IsZero() {
		derr = haven.Errorf(haven.KindInvalid, "Enter the referral date")
	}
	if derr == nil && s.today().Before(on) {
		derr = haven.Errorf(haven.KindInvalid, "Referral date must be today or in the past")
	}
	if derr == nil {
		_, err = s.store.StartEnrolment(r.Context(), s.auditEvent(r, audit.Create), p, on)
		if err == nil || isDuplicate(err) {
			s.saved(w, r, "/people/"+p.Ref+"#programme", "enrolment")
			return nil
		}
		if !errors.Is(err, haven.ErrConflict) {
			return err
		}
		derr = haven.Errorf(haven.KindConflict, "%s", haven.MessageOf(err))
	}
	page, err := s.personPageData(r, p, acc)
	if err != nil {
		return err
	}
	page.Errors = []FieldError{{"referredOn", derr.Error()}}
	if page.OpenEnrolment() != nil { // the start form is not shown while one is open
		page.Errors[0].Field = "programme"
	}
	page.Referral = enrolmentForm{Day: r.PostFormValue("referredOn-day"), Month: r.PostFormValue("referredOn-month"), Year: r.PostFormValue("referredOn-year")}
	return s.render(w, r, http.StatusUnprocessableEntity, "person.html", page)
}

func (s *Server) movePhase(w http.ResponseWriter, r *http.Request) error {
	p, acc, err := s.recordForm(r)
	if err != nil {
		return err
	}
	id, err := userID(r, "id")
	if err != nil {
		return err
	}
	es, err := s.store.Enrolments(r.Context(), p.ID)
	if err != nil {
		return err
	}
	var e *programme.Enrolment
	for i := range es {
		if es[i].ID == id {
			e = &es[i]
		}
	}
	if e == nil {
		return haven.ErrNotFound
	}
	f := enrolmentForm{To: r.PostFormValue("to"), Day: r.PostFormValue("on-day"), Month: r.PostFormValue("on-month"), Year: r.PostFormValue("on-year"), Reason: r.PostFormValue("reason"), Exit: r.PostFormValue("exitCategory")}
	fields := map[string]string{}
	on, derr := haven.ParseDateParts("Date of the change", f.Day, f.Month, f.Year)
	if derr != nil {
		fields["on"] = derr.Error()
	} else if s.today().Before(on) {
		fields["on"] = "Date of the change must be today or in the past"
	}
	current := e.Version
	e.Version, _ = strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	to := programme.Phase(f.To)
	if len(fields) == 0 && to.Ends() && e.Version == current && r.PostFormValue("confirm") != "yes" {
		// Checked as it would be saved, then confirmed before it is.
		probe := *e
		if _, err := probe.Move(to, on, f.Reason, programme.ExitCategory(f.Exit), 0); err == nil {
			return s.render(w, r, http.StatusOK, "confirm-phase.html", &confirmPhasePage{Layout: Layout{Title: "Confirm: " + to.Title(), Nav: "people"},
				Person: p, Enrolment: *e, To: to, On: on, Form: f})
		}
	}
	if len(fields) == 0 {
		_, err = s.store.MoveEnrolment(r.Context(), s.auditEvent(r, audit.Update), *e, programme.Phase(f.To), on, f.Reason, programme.ExitCategory(f.Exit), infoFrom(r.Context()).actor.User.ID)
		switch he, _ := errors.AsType[*haven.Error](err); {
		case err == nil:
			s.saved(w, r, "/people/"+p.Ref+"#programme", "phase")
			return nil
		case errors.Is(err, haven.ErrConflict):
			fields["to"] = "Someone else changed this enrolment while you were working. Check its phase below, then try again"
		case he != nil && he.Kind == haven.KindInvalid:
			fields = he.Fields
		default:
			return err
		}
	}
	page, err := s.personPageData(r, p, acc)
	if err != nil {
		return err
	}
	page.Errors = fieldErrors(fields, "to", "on", "exitCategory", "reason")
	if _, ok := fields["phase"]; ok {
		page.Errors = append([]FieldError{{"to", fields["phase"]}}, page.Errors...)
	}
	page.PhaseForm = f
	status := http.StatusUnprocessableEntity
	if _, conflict := fields["to"]; conflict && len(fields) == 1 {
		status = http.StatusConflict
	}
	return s.render(w, r, status, "person.html", page)
}

// Exit is the early-exit category chosen, for the confirmation.
func (p *confirmPhasePage) Exit() programme.ExitCategory { return programme.ExitCategory(p.Form.Exit) }
