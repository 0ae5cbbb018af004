package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/reunify"
)

// supportPage is life after the return: the support package and its planned
// end, the outcome checks at 3, 6 and 12 months, and any re-entry.
type supportPage struct {
	Layout
	R        *reunifyCtx
	Support  reunify.Support
	Checks   []reunify.OutcomeCheck
	Outcomes []reunify.Choice
	Evidence string
	Today    haven.Date

	Form      supportForm
	CheckForm checkForm
}

type supportForm struct {
	Package string
	EndsOn  [3]string
}

type checkForm struct {
	Month     int
	CheckedOn [3]string
	Outcome   string
	Note      string
}

// SubNav is the support page's sub-navigation.
func (p *supportPage) SubNav() reunifySubNav { return reunifySubNav{p.R, "support"} }

// TooShort reports whether the support saved ends less than 6 months after
// the return (DOMAIN.md §5.3).
func (p *supportPage) TooShort() bool { return reunify.SupportTooShort(p.R.Returned, p.Support.EndsOn) }

// SixMonthsOn is the earliest end the evidence backs.
func (p *supportPage) SixMonthsOn() haven.Date {
	return p.R.Returned.AddMonths(reunify.MinSupportMonths)
}

// checkRow is one of the 3, 6 and 12 month checks: its date, and what was
// found if it has been done.
type checkRow struct {
	Month   int
	Due     haven.Date
	Done    *reunify.OutcomeCheck
	Overdue bool
}

// OutcomeTitle is what the check found, in words.
func (c checkRow) OutcomeTitle() string {
	if c.Done == nil {
		return ""
	}
	return reunify.TitleOf(reunify.CheckOutcomes, c.Done.Outcome)
}

// CheckRows are the three checks in order.
func (p *supportPage) CheckRows() []checkRow {
	var out []checkRow
	for _, m := range reunify.CheckMonths {
		row := checkRow{Month: m}
		if !p.R.Returned.IsZero() {
			row.Due = p.R.Returned.AddMonths(m)
		}
		for i := range p.Checks {
			if p.Checks[i].Month == m {
				row.Done = &p.Checks[i]
			}
		}
		row.Overdue = row.Done == nil && !row.Due.IsZero() && row.Due.Before(p.Today)
		out = append(out, row)
	}
	return out
}

// CheckFormFor is what the check form for month m shows.
func (p *supportPage) CheckFormFor(m int) checkForm {
	if p.CheckForm.Month == m {
		return p.CheckForm
	}
	return checkForm{Month: m}
}

// CheckDateField is month m's date field.
func (p *supportPage) CheckDateField(m int) dateField {
	f := p.CheckFormFor(m)
	name := "check-" + strconv.Itoa(m) + "-checkedOn"
	return dateField{name, "Date of the check", "For example, 3 8 2026", f.CheckedOn[0], f.CheckedOn[1], f.CheckedOn[2], p.ErrorFor(name)}
}

func (s *Server) supportData(r *http.Request) (*supportPage, error) {
	x, err := s.planCase(r)
	if err != nil {
		return nil, err
	}
	p := &supportPage{Layout: Layout{Title: "Support after the return home", Nav: "la"}, R: x, Outcomes: reunify.CheckOutcomes,
		Evidence: reunify.SupportEvidence, Today: s.today()}
	if p.Support, err = s.store.Support(r.Context(), x.Case); err != nil {
		return nil, err
	}
	if p.Checks, err = s.store.OutcomeChecks(r.Context(), x.Case); err != nil {
		return nil, err
	}
	p.Form = supportForm{Package: p.Support.Package, EndsOn: dateParts(p.Support.EndsOn)}
	return p, nil
}

func (s *Server) reunifySupport(w http.ResponseWriter, r *http.Request) error {
	p, err := s.supportData(r)
	if err != nil {
		return err
	}
	if err := s.reunifyAudit(r, p.R, "support", audit.View); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "reunify_support.html", p)
}

func (s *Server) saveReunifySupport(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	p, err := s.supportData(r)
	if err != nil {
		return err
	}
	f := supportForm{Package: strings.TrimSpace(r.PostFormValue("package")), EndsOn: formDate(r.PostForm, "endsOn")}
	sup := reunify.Support{Package: f.Package}
	fields := map[string]string{}
	if sup.EndsOn, err = haven.ParseDateParts("Planned end of support", f.EndsOn[0], f.EndsOn[1], f.EndsOn[2]); err != nil {
		fields["endsOn"] = err.Error()
	}
	if he, ok := errors.AsType[*haven.Error](sup.Validate()); ok {
		for k, v := range he.Fields {
			if fields[k] == "" {
				fields[k] = v
			}
		}
	}
	status := http.StatusUnprocessableEntity
	if len(fields) == 0 {
		_, err := s.store.SaveSupport(r.Context(), s.auditEvent(r, audit.Update), p.R.Case, sup, formVersion(r), infoFrom(r.Context()).actor.User.ID)
		switch {
		case err == nil:
			s.saved(w, r, p.R.Base()+"/support", "")
			return nil
		case errors.Is(err, haven.ErrConflict):
			status, fields["package"] = http.StatusConflict, "Someone else changed the support package while you were writing. Your words are kept below: check it, then save again"
		default:
			return err
		}
	}
	p.Form = f
	p.Errors = fieldErrors(fields, "package", "endsOn")
	return s.render(w, r, status, "reunify_support.html", p)
}

func (s *Server) recordOutcomeCheck(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	p, err := s.supportData(r)
	if err != nil {
		return err
	}
	month, err := strconv.Atoi(r.PostFormValue("month"))
	if err != nil || (month != 3 && month != 6 && month != 12) {
		return haven.ErrNotFound // the forms send only these
	}
	prefix := "check-" + strconv.Itoa(month) + "-"
	f := checkForm{Month: month, CheckedOn: formDate(r.PostForm, prefix+"checkedOn"), Outcome: r.PostFormValue("outcome"), Note: strings.TrimSpace(r.PostFormValue("note"))}
	k := reunify.OutcomeCheck{Month: month, Outcome: f.Outcome, Note: f.Note, By: infoFrom(r.Context()).actor.User.ID}
	fields := map[string]string{}
	if k.CheckedOn, err = haven.ParseDateParts("Date of the check", f.CheckedOn[0], f.CheckedOn[1], f.CheckedOn[2]); err != nil {
		fields["checkedOn"] = err.Error()
	}
	if len(fields) == 0 {
		_, err := s.store.RecordOutcomeCheck(r.Context(), s.auditEvent(r, audit.Create), p.R.Case, k, p.R.Returned, s.today())
		he, _ := errors.AsType[*haven.Error](err)
		switch {
		case err == nil || isDuplicate(err):
			s.saved(w, r, p.R.Base()+"/support#check-"+strconv.Itoa(month), "")
			return nil
		case he != nil && he.Kind == haven.KindInvalid:
			fields = he.Fields
		default:
			return err
		}
	}
	if fields["month"] != "" {
		fields["checkedOn"] = fields["month"]
	}
	p.CheckForm = f
	p.Errors = fieldErrors(fields, "checkedOn", "outcome", "note")
	for i := range p.Errors {
		p.Errors[i].Field = prefix + p.Errors[i].Field
	}
	return s.render(w, r, http.StatusUnprocessableEntity, "reunify_support.html", p)
}

// laTasks is the LA team's tasks: the outcome checks due after children's
// returns home, for the child's worker, or for a manager the whole team's.
func (s *Server) laTasks(w http.ResponseWriter, r *http.Request) error {
	team, err := laTeam(r)
	if err != nil {
		return err
	}
	actor := infoFrom(r.Context()).actor
	today := s.today()
	ts, err := s.store.ReunifyTasks(r.Context(), team.TenantID, actor.User.ID, team.Role == access.RoleLAManager, today)
	if err != nil {
		return err
	}
	// The list names children, so reading it is recorded like any list of records.
	e := s.auditEvent(r, audit.View)
	e.RecordType, e.Section = "la-child", "tasks"
	if err := s.store.Audit(r.Context(), e); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "reunify_support_tasks.html", &tasksPage{Layout: Layout{Title: "Tasks", Nav: "la-tasks"}, Tasks: ts, Today: today})
}
