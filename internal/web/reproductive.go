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

// reproPage is the restricted reproductive-health section: her method, its
// review date, the service involved, and pregnancy events.
type reproPage struct {
	Layout
	Person        programme.Person
	Contraception programme.Contraception
	HasMethod     bool
	Pregnancies   []programme.Pregnancy
	Methods       []programme.Method
	Form          reproForm
	Pregnancy     reproForm
}

type reproForm struct {
	Method, StartDay, StartMonth, StartYear, ReviewDay, ReviewMonth, ReviewYear, Service string
	Day, Month, Year, Outcome                                                            string
}

func (s *Server) reproData(r *http.Request) (*reproPage, error) {
	p, acc, err := s.personFor(r)
	if err != nil {
		return nil, err
	}
	if !acc.Record {
		return nil, refuseRecord(p, acc)
	}
	if !acc.Restricted {
		return nil, haven.ErrForbidden
	}
	c, has, err := s.store.Contraception(r.Context(), p.ID)
	if err != nil {
		return nil, err
	}
	pregs, err := s.store.Pregnancies(r.Context(), p.ID)
	if err != nil {
		return nil, err
	}
	page := &reproPage{Layout: Layout{Title: p.Name() + ": reproductive and sexual health", Nav: "people"}, Person: p, Contraception: c, HasMethod: has, Pregnancies: pregs, Methods: programme.Methods}
	sd, sm, sy := c.StartedOn.Parts()
	rd, rm, ry := c.ReviewOn.Parts()
	page.Form = reproForm{Method: string(c.Method), StartDay: sd, StartMonth: sm, StartYear: sy, ReviewDay: rd, ReviewMonth: rm, ReviewYear: ry, Service: c.Service}
	return page, nil
}

func (s *Server) reproductive(w http.ResponseWriter, r *http.Request) error {
	page, err := s.reproData(r)
	if err != nil {
		return err
	}
	if err := s.store.Audit(r.Context(), s.viewEvent(r, page.Person.ID, string(programme.SectionReproductiveHealth))); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "reproductive.html", page)
}

func (s *Server) saveContraception(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	page, err := s.reproData(r)
	if err != nil {
		return err
	}
	v := r.PostFormValue
	f := reproForm{Method: v("method"), StartDay: v("startedOn-day"), StartMonth: v("startedOn-month"), StartYear: v("startedOn-year"),
		ReviewDay: v("reviewOn-day"), ReviewMonth: v("reviewOn-month"), ReviewYear: v("reviewOn-year"), Service: strings.TrimSpace(v("service"))}
	fields := map[string]string{}
	start, err1 := haven.ParseDateParts("Start date", f.StartDay, f.StartMonth, f.StartYear)
	if err1 != nil {
		fields["startedOn"] = err1.Error()
	} else if !start.IsZero() {
		if he, ok := errors.AsType[*haven.Error](programme.Happened("startedOn", "Start date", start, s.today())); ok {
			fields["startedOn"] = he.Fields["startedOn"]
		}
	}
	review, err2 := haven.ParseDateParts("Review or expiry date", f.ReviewDay, f.ReviewMonth, f.ReviewYear)
	if err2 != nil {
		fields["reviewOn"] = err2.Error()
	}
	version, _ := strconv.ParseInt(v("version"), 10, 64)
	c := programme.Contraception{Method: programme.Method(f.Method), StartedOn: start, ReviewOn: review, Service: f.Service}
	if he, ok := errors.AsType[*haven.Error](c.Validate()); ok {
		for k, m := range he.Fields {
			if _, dup := fields[k]; !dup {
				fields[k] = m
			}
		}
	}
	if len(fields) == 0 {
		err := s.store.SaveContraception(r.Context(), s.auditEvent(r, audit.Update), page.Person.ID, c, version, infoFrom(r.Context()).actor.User.ID)
		switch {
		case err == nil || isDuplicate(err):
			s.saved(w, r, "/people/"+page.Person.Ref+"/reproductive-health", "contraception")
			return nil
		case errors.Is(err, haven.ErrConflict):
			fields["method"] = "Someone else changed this section while you were editing. What you entered is kept: check it, then save again"
		default:
			return err
		}
	}
	page.Form = f
	page.Errors = fieldErrors(fields, "method", "startedOn", "reviewOn", "service")
	status := http.StatusUnprocessableEntity
	if strings.HasPrefix(fields["method"], "Someone else") {
		status = http.StatusConflict
	}
	return s.render(w, r, status, "reproductive.html", page)
}

func (s *Server) addPregnancy(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	page, err := s.reproData(r)
	if err != nil {
		return err
	}
	f := reproForm{Day: r.PostFormValue("knownOn-day"), Month: r.PostFormValue("knownOn-month"), Year: r.PostFormValue("knownOn-year"), Outcome: strings.TrimSpace(r.PostFormValue("outcome"))}
	fields := map[string]string{}
	on, derr := haven.ParseDateParts("Date the pregnancy became known", f.Day, f.Month, f.Year)
	if derr != nil {
		fields["knownOn"] = derr.Error()
	}
	if len(fields) == 0 {
		err := s.store.AddPregnancy(r.Context(), s.auditEvent(r, audit.Create), page.Person.ID, programme.Pregnancy{KnownOn: on, Outcome: f.Outcome}, infoFrom(r.Context()).actor.User.ID, s.today())
		he, _ := errors.AsType[*haven.Error](err)
		switch {
		case err == nil || isDuplicate(err):
			s.saved(w, r, "/people/"+page.Person.Ref+"/reproductive-health", "pregnancy")
			return nil
		case he != nil && he.Kind == haven.KindInvalid:
			fields = he.Fields
		default:
			return err
		}
	}
	page.Pregnancy = f
	page.Errors = fieldErrors(fields, "knownOn", "outcome")
	return s.render(w, r, http.StatusUnprocessableEntity, "reproductive.html", page)
}
