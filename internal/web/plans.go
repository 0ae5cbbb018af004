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

// planPage is her support plan: goals in her own words, by domain.
type planPage struct {
	Layout
	Person     programme.Person
	Access     programme.Access
	Goals      []programme.Goal
	Domains    []programme.Domain
	Progresses []programme.Progress
	Form       goalForm
	Review     reviewForm
	Print      bool
	Printed    printMark // on the printed copy only
}

type goalForm struct {
	Domain, Words, Steps, Day, Month, Year string
}

type reviewForm struct {
	GoalID                           int64
	Day, Month, Year, Note, Progress string
}

// GoalsIn returns the goals in one domain, for the template.
func (p *planPage) GoalsIn(d programme.Domain) []programme.Goal {
	var out []programme.Goal
	for _, g := range p.Goals {
		if g.Domain == d {
			out = append(out, g)
		}
	}
	return out
}

// VisibleDomains are the domains this reader may see.
func (p *planPage) VisibleDomains() []programme.Domain {
	var out []programme.Domain
	for _, d := range programme.Domains {
		if !d.Restricted() || p.Access.Restricted {
			out = append(out, d)
		}
	}
	return out
}

func (s *Server) planData(r *http.Request) (*planPage, error) {
	p, acc, err := s.personFor(r)
	if err != nil {
		return nil, err
	}
	if !acc.Record {
		return nil, refuseRecord(p, acc)
	}
	goals, err := s.store.Goals(r.Context(), p.ID, acc.Restricted)
	if err != nil {
		return nil, err
	}
	return &planPage{Layout: Layout{Title: p.Name() + "'s support plan", Nav: "people"}, Person: p, Access: acc, Goals: goals,
		Domains: programme.Domains, Progresses: programme.Progresses}, nil
}

func (s *Server) plan(w http.ResponseWriter, r *http.Request) error {
	page, err := s.planData(r)
	if err != nil {
		return err
	}
	page.Print = r.URL.Path != "" && strings.HasSuffix(r.URL.Path, "/print")
	action, section := audit.View, "plan"
	if page.Print {
		action, section = audit.Print, "plan"
		if page.Printed, err = s.printMarkFor(r, page.Person); err != nil {
			return err
		}
	}
	e := s.auditEvent(r, action)
	e.RecordType, e.RecordID, e.Section = "person", itoa(page.Person.ID), section
	if err := s.store.Audit(r.Context(), e); err != nil {
		return err
	}
	name := "plan.html"
	if page.Print {
		name = "plan-print.html"
	}
	return s.render(w, r, http.StatusOK, name, page)
}

func (s *Server) createGoal(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	page, err := s.planData(r)
	if err != nil {
		return err
	}
	f := goalForm{Domain: r.PostFormValue("domain"), Words: strings.TrimSpace(r.PostFormValue("words")), Steps: strings.TrimSpace(r.PostFormValue("steps")),
		Day: r.PostFormValue("target-day"), Month: r.PostFormValue("target-month"), Year: r.PostFormValue("target-year")}
	g := programme.Goal{PersonID: page.Person.ID, Domain: programme.Domain(f.Domain), Words: f.Words, Steps: f.Steps, Progress: programme.NotStarted}
	fields := map[string]string{}
	if g.Domain.Restricted() && !page.Access.Restricted {
		return haven.ErrForbidden
	}
	target, derr := haven.ParseDateParts("Target date", f.Day, f.Month, f.Year)
	if derr != nil {
		fields["target"] = derr.Error()
	}
	g.TargetOn = target
	if he, ok := errors.AsType[*haven.Error](g.Validate(s.today())); ok {
		for k, v := range he.Fields {
			fields[k] = v
		}
	}
	if len(fields) == 0 {
		if _, err := s.store.CreateGoal(r.Context(), s.auditEvent(r, audit.Create), g, infoFrom(r.Context()).actor.User.ID, s.today()); err != nil && !isDuplicate(err) {
			return err
		}
		s.saved(w, r, "/people/"+page.Person.Ref+"/plan", "goal")
		return nil
	}
	page.Form = f
	page.Errors = fieldErrors(fields, "domain", "words", "steps", "target")
	return s.render(w, r, http.StatusUnprocessableEntity, "plan.html", page)
}

func (s *Server) reviewGoal(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	page, err := s.planData(r)
	if err != nil {
		return err
	}
	id, err := userID(r, "id")
	if err != nil {
		return err
	}
	var goal *programme.Goal
	for i := range page.Goals {
		if page.Goals[i].ID == id {
			goal = &page.Goals[i]
		}
	}
	if goal == nil {
		return haven.ErrNotFound // includes restricted goals the reader cannot see
	}
	prefix := "review-" + itoa(id) + "-" // the form's date fields are named per goal
	f := reviewForm{GoalID: id, Day: r.PostFormValue(prefix + "on-day"), Month: r.PostFormValue(prefix + "on-month"), Year: r.PostFormValue(prefix + "on-year"),
		Note: strings.TrimSpace(r.PostFormValue("note")), Progress: r.PostFormValue("progress")}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	fields := map[string]string{}
	on, derr := haven.ParseDateParts("Date of the review", f.Day, f.Month, f.Year)
	if derr != nil {
		fields["on"] = derr.Error()
	}
	if len(fields) == 0 {
		rev := programme.Review{On: on, Note: f.Note, Progress: programme.Progress(f.Progress), By: infoFrom(r.Context()).actor.User.ID}
		err := s.store.ReviewGoal(r.Context(), s.auditEvent(r, audit.Update), *goal, rev, version, s.today())
		he, _ := errors.AsType[*haven.Error](err)
		switch {
		case err == nil || isDuplicate(err):
			s.saved(w, r, "/people/"+page.Person.Ref+"/plan#goal-"+itoa(id), "review")
			return nil
		case errors.Is(err, haven.ErrConflict):
			fields["note"] = "Someone else reviewed this goal while you were writing. Your review is kept below: check the goal, then save again"
		case he != nil && he.Kind == haven.KindInvalid:
			fields = he.Fields
		default:
			return err
		}
	}
	page.Review = f
	page.Errors = fieldErrors(fields, "on", "note", "progress")
	for i := range page.Errors {
		page.Errors[i].Field = "review-" + itoa(id) + "-" + page.Errors[i].Field
	}
	status := http.StatusUnprocessableEntity
	if strings.HasPrefix(fields["note"], "Someone else") {
		status = http.StatusConflict
	}
	return s.render(w, r, status, "plan.html", page)
}
