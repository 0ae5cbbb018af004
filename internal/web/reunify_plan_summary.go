package web

import (
	"net/http"

	"haven/internal/haven"
	"haven/internal/reunify"
)

// reunifyPlanSummary is what the case page shows of the assessment, the
// agreement and life after the return, with links to each: the case page
// renders it with {{template "reunify-plan-summary" .PlanSummary}}.
type reunifyPlanSummary struct {
	Base      string
	Child     string
	Done      reunify.Completeness
	Plan      reunify.Plan
	Goals     int
	Reviews   int
	Returned  haven.Date
	Support   reunify.Support
	TooShort  bool
	ReEntry   *reunify.ReEntry
	ChecksDue []reunify.DueCheck
}

// reunifyPlanSummaryFor gathers the summary for the child's case. The
// caller has found the child in the actor's team and audits the view.
func (s *Server) reunifyPlanSummaryFor(r *http.Request, child reunify.Child, c reunify.Case) (reunifyPlanSummary, error) {
	ctx := r.Context()
	x := reunifyPlanSummary{Base: "/la/children/" + itoa(child.ID) + "/reunification", Child: child.FirstName}
	parents, err := s.store.PlanParents(ctx, child.ID)
	if err != nil {
		return x, err
	}
	entries, err := s.store.Assessment(ctx, c)
	if err != nil {
		return x, err
	}
	var ids []int64
	for _, p := range parents {
		ids = append(ids, p.ID)
	}
	x.Done = reunify.AssessmentCompleteness(ids, entries)
	if x.Plan, err = s.store.Plan(ctx, c); err != nil {
		return x, err
	}
	goals, err := s.store.PlanGoals(ctx, c)
	if err != nil {
		return x, err
	}
	reviews, err := s.store.PlanReviews(ctx, c)
	if err != nil {
		return x, err
	}
	x.Goals, x.Reviews = len(goals), len(reviews)
	eps, err := s.store.LAEpisodes(ctx, child.ID)
	if err != nil {
		return x, err
	}
	x.Returned = reunify.ReturnedOn(eps, c.OpenedOn)
	if re, ok := reunify.ReEntryAfter(eps, x.Returned); ok {
		x.ReEntry = &re
	}
	if x.Support, err = s.store.Support(ctx, c); err != nil {
		return x, err
	}
	x.TooShort = reunify.SupportTooShort(x.Returned, x.Support.EndsOn)
	checks, err := s.store.OutcomeChecks(ctx, c)
	if err != nil {
		return x, err
	}
	done := map[int]bool{}
	for _, k := range checks {
		done[k.Month] = true
	}
	x.ChecksDue = reunify.ChecksDue(x.Returned, done, s.today())
	return x, nil
}
