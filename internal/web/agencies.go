package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/programme"
	"haven/internal/store"
)

// agenciesPage is the directory of partner agencies for the actor's Practices.
type agenciesPage struct {
	Layout
	Practices []practiceAgencies
	CanAdd    bool
	Kinds     []string
	Form      programme.Agency
}

type practiceAgencies struct {
	Practice store.Tenant
	Agencies []programme.Agency
}

func (s *Server) agenciesData(r *http.Request) (*agenciesPage, error) {
	actor := infoFrom(r.Context()).actor
	p := &agenciesPage{Layout: Layout{Title: "Partner agencies", Nav: "agencies"}, Kinds: programme.AgencyKinds}
	for _, m := range actor.Memberships {
		if m.TenantKind != access.TenantPractice || !m.Role.Has(access.PermPracticeView) {
			continue
		}
		as, err := s.store.Agencies(r.Context(), m.TenantID)
		if err != nil {
			return nil, err
		}
		p.Practices = append(p.Practices, practiceAgencies{Practice: store.Tenant{Kind: m.TenantKind, ID: m.TenantID, Slug: m.TenantSlug, Name: m.TenantName}, Agencies: as})
		p.CanAdd = p.CanAdd || m.Role.Has(access.PermCaseAllocate)
	}
	return p, nil
}

func (s *Server) agencies(w http.ResponseWriter, r *http.Request) error {
	p, err := s.agenciesData(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "agencies.html", p)
}

func (s *Server) createAgency(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	p, err := s.agenciesData(r)
	if err != nil {
		return err
	}
	practice, _ := strconv.ParseInt(r.PostFormValue("practice"), 10, 64)
	a := programme.Agency{PracticeID: practice, Name: strings.TrimSpace(r.PostFormValue("name")), Kind: r.PostFormValue("kind"),
		Contact: strings.TrimSpace(r.PostFormValue("contact")), Agreement: strings.TrimSpace(r.PostFormValue("agreement"))}
	fields := map[string]string{}
	if !infoFrom(r.Context()).actor.CanIn(access.PermCaseAllocate, access.TenantPractice, practice) {
		fields["practice"] = "Choose a Practice you manage"
	}
	if he, ok := errors.AsType[*haven.Error](a.Validate()); ok {
		for k, v := range he.Fields {
			fields[k] = v
		}
	}
	if len(fields) == 0 {
		if _, err := s.store.CreateAgency(r.Context(), s.auditEvent(r, audit.Create), a); err != nil && !isDuplicate(err) {
			return err
		}
		s.saved(w, r, "/agencies", "agency")
		return nil
	}
	p.Form = a
	p.Errors = fieldErrors(fields, "practice", "name", "kind", "contact", "agreement")
	return s.render(w, r, http.StatusUnprocessableEntity, "agencies.html", p)
}

// referralsOutPage is her referrals to partner agencies, closing the loop.
type referralsOutPage struct {
	Layout
	Person    programme.Person
	Referrals []programme.ReferralOut
	Agencies  []programme.Agency
	Today     haven.Date
	Send      sendForm
	MoveID    int64
	Move      sendForm
}

type sendForm struct {
	Agency, Reason, Day, Month, Year, Status, Outcome string
}

func (s *Server) referralsOutData(r *http.Request) (*referralsOutPage, error) {
	p, acc, err := s.personFor(r)
	if err != nil {
		return nil, err
	}
	if !acc.Record {
		return nil, refuseRecord(p, acc)
	}
	refs, err := s.store.ReferralsOut(r.Context(), p.ID)
	if err != nil {
		return nil, err
	}
	as, err := s.store.Agencies(r.Context(), p.PracticeID)
	if err != nil {
		return nil, err
	}
	return &referralsOutPage{Layout: Layout{Title: p.Name() + "'s referrals to partner agencies", Nav: "people"}, Person: p, Referrals: refs, Agencies: as, Today: s.today()}, nil
}

func (s *Server) referralsOut(w http.ResponseWriter, r *http.Request) error {
	page, err := s.referralsOutData(r)
	if err != nil {
		return err
	}
	if err := s.store.Audit(r.Context(), s.viewEvent(r, page.Person.ID, "referrals-out")); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "referrals-out.html", page)
}

func (s *Server) sendReferralOut(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	page, err := s.referralsOutData(r)
	if err != nil {
		return err
	}
	f := sendForm{Agency: r.PostFormValue("agency"), Reason: strings.TrimSpace(r.PostFormValue("reason")), Day: r.PostFormValue("sentOn-day"), Month: r.PostFormValue("sentOn-month"), Year: r.PostFormValue("sentOn-year")}
	fields := map[string]string{}
	on, derr := haven.ParseDateParts("Date sent", f.Day, f.Month, f.Year)
	if derr != nil {
		fields["sentOn"] = derr.Error()
	} else if s.today().Before(on) {
		fields["sentOn"] = "Date sent must be today or in the past"
	}
	agency, _ := strconv.ParseInt(f.Agency, 10, 64)
	out := programme.ReferralOut{Reason: f.Reason, SentOn: on}
	if he, ok := errors.AsType[*haven.Error](out.Validate()); ok {
		for k, m := range he.Fields {
			if _, dup := fields[k]; !dup {
				fields[k] = m
			}
		}
	}
	if len(fields) == 0 {
		_, err := s.store.SendReferralOut(r.Context(), s.auditEvent(r, audit.Create), page.Person, agency, f.Reason, on)
		he, _ := errors.AsType[*haven.Error](err)
		switch {
		case err == nil || isDuplicate(err):
			s.saved(w, r, "/people/"+page.Person.Ref+"/referrals-out", "referral-out")
			return nil
		case he != nil && he.Kind == haven.KindInvalid:
			fields = he.Fields
		default:
			return err
		}
	}
	page.Send = f
	page.Errors = fieldErrors(fields, "agency", "reason", "sentOn")
	return s.render(w, r, http.StatusUnprocessableEntity, "referrals-out.html", page)
}

func (s *Server) advanceReferralOut(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	page, err := s.referralsOutData(r)
	if err != nil {
		return err
	}
	id, err := userID(r, "id")
	if err != nil {
		return err
	}
	var ref *programme.ReferralOut
	for i := range page.Referrals {
		if page.Referrals[i].ID == id {
			ref = &page.Referrals[i]
		}
	}
	if ref == nil {
		return haven.ErrNotFound
	}
	prefix := "move-" + itoa(id) + "-" // the form's date fields are named per referral
	f := sendForm{Status: r.PostFormValue("status"), Outcome: strings.TrimSpace(r.PostFormValue("outcome")), Day: r.PostFormValue(prefix + "on-day"), Month: r.PostFormValue(prefix + "on-month"), Year: r.PostFormValue(prefix + "on-year")}
	fields := map[string]string{}
	on, derr := haven.ParseDateParts("Date of this step", f.Day, f.Month, f.Year)
	if derr == nil {
		derr = programme.Happened("on", "Date of this step", on, s.today())
	}
	if he, ok := errors.AsType[*haven.Error](derr); ok && he.Fields != nil {
		fields["on"] = he.Fields["on"]
	} else if derr != nil {
		fields["on"] = derr.Error()
	}
	ref.Version, _ = strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if len(fields) == 0 {
		err := s.store.AdvanceReferralOut(r.Context(), s.auditEvent(r, audit.Update), *ref, programme.OutStatus(f.Status), on, f.Outcome)
		he, _ := errors.AsType[*haven.Error](err)
		switch {
		case err == nil:
			s.saved(w, r, "/people/"+page.Person.Ref+"/referrals-out", "referral-out-moved")
			return nil
		case errors.Is(err, haven.ErrConflict):
			fields["status"] = "Someone else updated this referral while you were working. Check it below, then try again"
		case he != nil && he.Kind == haven.KindInvalid:
			fields = he.Fields
		default:
			return err
		}
	}
	page.MoveID, page.Move = id, f
	page.Errors = fieldErrors(fields, "status", "on", "outcome")
	for i := range page.Errors {
		page.Errors[i].Field = "move-" + itoa(id) + "-" + page.Errors[i].Field
	}
	status := http.StatusUnprocessableEntity
	if strings.HasPrefix(fields["status"], "Someone else") {
		status = http.StatusConflict
	}
	return s.render(w, r, status, "referrals-out.html", page)
}
