package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"haven/internal/audit"
	"haven/internal/document"
	"haven/internal/haven"
	"haven/internal/reunify"
)

// reunifyPlanPage is the parental agreement and plan: what is expected, the
// goals for each parent, the reviews with their red, amber and green
// ratings, and the parents' own words. The printed copy is the same page in
// plain English for the parents to keep.
type reunifyPlanPage struct {
	Layout
	R        *reunifyCtx
	Plan     reunify.Plan
	Goals    []reunify.Goal
	Progress reunify.Progress
	Chart    *ragChart
	Comments []reunify.Comment
	Ratings  []reunify.Rating

	PlanForm    reunifyPlanForm
	GoalForm    reunifyGoalForm
	ReviewForm  reunifyReviewForm
	CommentForm reunifyCommentForm

	Print   bool
	Printed laPrintMark // on the printed copy only
}

type reunifyPlanForm struct {
	Expectations string
	Agreed       [3]string
	Reviews      [reunify.MaxReviewDates][3]string
}

type reunifyGoalForm struct {
	Person                           string
	Words, Steps, Timeframe, Support string
}

type reunifyReviewForm struct {
	HeldOn  [3]string
	Note    string
	Ratings map[int64]reunify.Rating
}

type reunifyCommentForm struct {
	Person string
	SaidOn [3]string
	Words  string
}

// SubNav is the plan page's sub-navigation.
func (p *reunifyPlanPage) SubNav() reunifySubNav { return reunifySubNav{p.R, "plan"} }

// GoalsFor are one parent's goals.
func (p *reunifyPlanPage) GoalsFor(person int64) []reunify.Goal {
	var out []reunify.Goal
	for _, g := range p.Goals {
		if g.Person == person {
			out = append(out, g)
		}
	}
	return out
}

// GoalNumber is the goal's number in the plan, as the chart labels it.
func (p *reunifyPlanPage) GoalNumber(id int64) int {
	for i, g := range p.Goals {
		if g.ID == id {
			return i + 1
		}
	}
	return 0
}

// RatingFor is what the review form shows as chosen for a goal.
func (p *reunifyPlanPage) RatingFor(id int64) reunify.Rating { return p.ReviewForm.Ratings[id] }

// ReviewDateField is the nth planned review date's form field (1-based).
func (p *reunifyPlanPage) ReviewDateField(n int) dateField {
	v := p.PlanForm.Reviews[n-1]
	name := "review" + strconv.Itoa(n)
	return dateField{name, "Review date " + strconv.Itoa(n) + " (optional)", "For example, 1 3 2027", v[0], v[1], v[2], p.ErrorFor(name)}
}

// ReviewNumbers are 1 to MaxReviewDates, for the template.
func (p *reunifyPlanPage) ReviewNumbers() []int {
	out := make([]int, reunify.MaxReviewDates)
	for i := range out {
		out[i] = i + 1
	}
	return out
}

func (s *Server) reunifyPlanData(r *http.Request) (*reunifyPlanPage, error) {
	x, err := s.planCase(r)
	if err != nil {
		return nil, err
	}
	p := &reunifyPlanPage{Layout: Layout{Title: "Reunification plan and parental agreement", Nav: "la"}, R: x, Ratings: reunify.Ratings}
	ctx := r.Context()
	if p.Plan, err = s.store.Plan(ctx, x.Case); err != nil {
		return nil, err
	}
	if p.Goals, err = s.store.PlanGoals(ctx, x.Case); err != nil {
		return nil, err
	}
	reviews, err := s.store.PlanReviews(ctx, x.Case)
	if err != nil {
		return nil, err
	}
	if p.Comments, err = s.store.PlanComments(ctx, x.Case); err != nil {
		return nil, err
	}
	p.Progress = reunify.ProgressOf(p.Goals, reviews)
	p.Chart = newRAGChart(p.Progress)
	p.PlanForm.Expectations = p.Plan.Expectations
	p.PlanForm.Agreed = dateParts(p.Plan.AgreedOn)
	for i, d := range p.Plan.ReviewDates {
		p.PlanForm.Reviews[i] = dateParts(d)
	}
	return p, nil
}

func dateParts(d haven.Date) [3]string {
	if d.IsZero() {
		return [3]string{}
	}
	day, month, year := d.Parts()
	return [3]string{day, month, year}
}

// formDate reads a date's three fields, named name-day, name-month and name-year.
func formDate(v url.Values, name string) [3]string {
	return [3]string{v.Get(name + "-day"), v.Get(name + "-month"), v.Get(name + "-year")}
}

func (s *Server) reunifyPlan(w http.ResponseWriter, r *http.Request) error {
	p, err := s.reunifyPlanData(r)
	if err != nil {
		return err
	}
	p.Print = strings.HasSuffix(r.URL.Path, "/print")
	action, name := audit.View, "reunify_plan.html"
	if p.Print {
		action, name = audit.Print, "reunify_plan-print.html"
		p.Title = "Our plan for " + p.R.Child.FirstName + " to come home"
		if p.Printed, err = s.laPrintMarkFor(r, p.R); err != nil {
			return err
		}
	}
	if err := s.reunifyAudit(r, p.R, "plan", action); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, name, p)
}

// reunifyPlanPDF is the printed copy as a PDF, in the same words.
func (s *Server) reunifyPlanPDF(w http.ResponseWriter, r *http.Request) error {
	p, err := s.reunifyPlanData(r)
	if err != nil {
		return err
	}
	mark, err := s.laPrintMarkFor(r, p.R)
	if err != nil {
		return err
	}
	// Made before the download is recorded, so a failure records nothing.
	body, err := reunifyPlanPDF(p, mark)
	if err != nil {
		return err
	}
	if err := s.reunifyAudit(r, p.R, "plan", audit.Export); err != nil {
		return err
	}
	document.Send(w, body, document.PDFType, "reunification-plan.pdf")
	return nil
}

func (s *Server) saveReunifyPlan(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	p, err := s.reunifyPlanData(r)
	if err != nil {
		return err
	}
	f := reunifyPlanForm{Expectations: strings.TrimSpace(r.PostFormValue("expectations")), Agreed: formDate(r.PostForm, "agreedOn")}
	fields := map[string]string{}
	plan := reunify.Plan{Expectations: f.Expectations}
	if plan.AgreedOn, err = haven.ParseDateParts("Date agreed", f.Agreed[0], f.Agreed[1], f.Agreed[2]); err != nil {
		fields["agreedOn"] = err.Error()
	}
	for i := range f.Reviews {
		n := strconv.Itoa(i + 1)
		f.Reviews[i] = formDate(r.PostForm, "review"+n)
		d, err := haven.ParseDateParts("Review date "+n, f.Reviews[i][0], f.Reviews[i][1], f.Reviews[i][2])
		if err != nil {
			fields["review"+n] = err.Error()
		} else if !d.IsZero() {
			plan.ReviewDates = append(plan.ReviewDates, d)
		}
	}
	if he, ok := errors.AsType[*haven.Error](plan.Validate(s.today())); ok {
		for k, v := range he.Fields {
			if fields[k] == "" {
				fields[k] = v
			}
		}
	}
	status := http.StatusUnprocessableEntity
	if len(fields) == 0 {
		_, err := s.store.SavePlan(r.Context(), s.auditEvent(r, audit.Update), p.R.Case, plan, formVersion(r), infoFrom(r.Context()).actor.User.ID, s.today())
		switch {
		case err == nil:
			s.saved(w, r, p.R.Base()+"/plan", "")
			return nil
		case errors.Is(err, haven.ErrConflict):
			status, fields["expectations"] = http.StatusConflict, "Someone else changed the agreement while you were writing. Your words are kept below: check the agreement, then save again"
		default:
			return err
		}
	}
	p.PlanForm = f
	p.Errors = fieldErrors(fields, "expectations", "agreedOn", "review1", "review2", "review3")
	return s.render(w, r, status, "reunify_plan.html", p)
}

func (s *Server) addReunifyGoal(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	p, err := s.reunifyPlanData(r)
	if err != nil {
		return err
	}
	f := reunifyGoalForm{Person: r.PostFormValue("person"), Words: strings.TrimSpace(r.PostFormValue("words")), Steps: strings.TrimSpace(r.PostFormValue("steps")),
		Timeframe: strings.TrimSpace(r.PostFormValue("goal-timeframe")), Support: strings.TrimSpace(r.PostFormValue("support"))}
	g := reunify.Goal{Person: formID(r, "person"), Words: f.Words, Steps: f.Steps, Timeframe: f.Timeframe, Support: f.Support}
	_, err = s.store.AddPlanGoal(r.Context(), s.auditEvent(r, audit.Create), p.R.Case, g, infoFrom(r.Context()).actor.User.ID)
	he, _ := errors.AsType[*haven.Error](err)
	switch {
	case err == nil || isDuplicate(err):
		s.saved(w, r, p.R.Base()+"/plan#goals", "")
		return nil
	case he != nil && he.Kind == haven.KindInvalid:
		p.GoalForm = f
		p.Errors = fieldErrors(he.Fields, "person", "words", "steps", "timeframe", "support")
		for i := range p.Errors {
			p.Errors[i].Field = "goal-" + p.Errors[i].Field
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "reunify_plan.html", p)
	}
	return err
}

// parseReviewRatings reads a review's ratings: a field rating-{goal} for each
// goal of the plan, red, amber or green. A rating for a goal not in the plan
// is refused; a goal left unrated is for Review.Validate to name.
func parseReviewRatings(v url.Values, goals []reunify.Goal) (map[int64]reunify.Rating, map[string]string) {
	ratings := map[int64]reunify.Rating{}
	fields := map[string]string{}
	for key, vals := range v {
		idText, ok := strings.CutPrefix(key, "rating-")
		if !ok {
			continue
		}
		id, err := strconv.ParseInt(idText, 10, 64)
		if err != nil || id <= 0 || !planHasGoal(goals, id) {
			fields["ratings"] = "Rate only the goals of this plan"
			continue
		}
		if len(vals) != 1 {
			fields[key] = "Choose one rating"
			continue
		}
		rating, ok := reunify.ParseRating(vals[0])
		if !ok {
			fields[key] = "Choose red, amber or green"
			continue
		}
		ratings[id] = rating
	}
	return ratings, fields
}

func planHasGoal(goals []reunify.Goal, id int64) bool {
	for _, g := range goals {
		if g.ID == id {
			return true
		}
	}
	return false
}

func (s *Server) addReunifyReview(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	p, err := s.reunifyPlanData(r)
	if err != nil {
		return err
	}
	f := reunifyReviewForm{HeldOn: formDate(r.PostForm, "review-heldOn"), Note: strings.TrimSpace(r.PostFormValue("note"))}
	ratings, fields := parseReviewRatings(r.PostForm, p.Goals)
	f.Ratings = ratings
	rev := reunify.Review{Ratings: ratings, Note: f.Note, By: infoFrom(r.Context()).actor.User.ID}
	if rev.HeldOn, err = haven.ParseDateParts("Date of the review", f.HeldOn[0], f.HeldOn[1], f.HeldOn[2]); err != nil {
		fields["heldOn"] = err.Error()
	}
	if he, ok := errors.AsType[*haven.Error](rev.Validate(p.Goals, s.today())); ok {
		for k, v := range he.Fields {
			if fields[k] == "" {
				fields[k] = v
			}
		}
	}
	if len(fields) == 0 {
		_, err := s.store.AddPlanReview(r.Context(), s.auditEvent(r, audit.Create), p.R.Case, rev, s.today())
		he, _ := errors.AsType[*haven.Error](err)
		switch {
		case err == nil || isDuplicate(err):
			s.saved(w, r, p.R.Base()+"/plan#progress", "")
			return nil
		case he != nil && he.Kind == haven.KindInvalid:
			fields = he.Fields
		default:
			return err
		}
	}
	p.ReviewForm = f
	order := []string{"heldOn", "ratings"}
	for _, g := range p.Goals {
		order = append(order, "rating-"+itoa(g.ID))
	}
	p.Errors = fieldErrors(fields, append(order, "note")...)
	for i := range p.Errors {
		switch p.Errors[i].Field {
		case "heldOn", "note":
			p.Errors[i].Field = "review-" + p.Errors[i].Field
		case "ratings":
			p.Errors[i].Field = "review-heldOn"
		}
	}
	return s.render(w, r, http.StatusUnprocessableEntity, "reunify_plan.html", p)
}

func (s *Server) addReunifyComment(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	p, err := s.reunifyPlanData(r)
	if err != nil {
		return err
	}
	f := reunifyCommentForm{Person: r.PostFormValue("person"), SaidOn: formDate(r.PostForm, "comment-saidOn"), Words: strings.TrimSpace(r.PostFormValue("words"))}
	c := reunify.Comment{Person: formID(r, "person"), Words: f.Words, By: infoFrom(r.Context()).actor.User.ID}
	fields := map[string]string{}
	if c.SaidOn, err = haven.ParseDateParts("Date said", f.SaidOn[0], f.SaidOn[1], f.SaidOn[2]); err != nil {
		fields["saidOn"] = err.Error()
	}
	if len(fields) == 0 {
		_, err := s.store.AddPlanComment(r.Context(), s.auditEvent(r, audit.Create), p.R.Case, c, s.today())
		he, _ := errors.AsType[*haven.Error](err)
		switch {
		case err == nil || isDuplicate(err):
			s.saved(w, r, p.R.Base()+"/plan#comments", "")
			return nil
		case he != nil && he.Kind == haven.KindInvalid:
			fields = he.Fields
		default:
			return err
		}
	}
	p.CommentForm = f
	p.Errors = fieldErrors(fields, "person", "saidOn", "words")
	for i := range p.Errors {
		p.Errors[i].Field = "comment-" + p.Errors[i].Field
	}
	return s.render(w, r, http.StatusUnprocessableEntity, "reunify_plan.html", p)
}

// laPrintMark is what the agreement on paper says about itself: when it was
// printed and by whom, and whom the family can ask.
type laPrintMark struct {
	At     time.Time
	By     string
	Worker string // the child's social worker; "" if none is allocated
	Team   string
}

func (s *Server) laPrintMarkFor(r *http.Request, x *reunifyCtx) (laPrintMark, error) {
	m := laPrintMark{At: s.now(), By: infoFrom(r.Context()).actor.User.DisplayName, Team: x.Team.TenantName}
	worker := x.Child.Worker
	if worker == 0 {
		worker = x.Case.Worker
	}
	if worker != 0 {
		u, err := s.store.User(r.Context(), worker)
		if err != nil {
			return m, err
		}
		m.Worker = u.DisplayName
	}
	return m, nil
}

// Lines are the mark as sentences, for the foot of each PDF page.
func (m laPrintMark) Lines() []string {
	worker := "Your social worker: " + m.Worker + "."
	if m.Worker == "" {
		worker = "Your social worker: not allocated yet."
	}
	return []string{worker + " " + m.Team + ".", "Printed on " + m.At.In(london).Format("2 January 2006 at 3:04pm") + " by " + m.By + "."}
}
