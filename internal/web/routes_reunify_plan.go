package web

import "haven/internal/access"

// reunifyPlanRoutes are the return-home assessment, the parental agreement
// and plan (printed and as a PDF), support after the return with its outcome
// checks, and the team's tasks (issue 18 items 3 to 5). Every child route
// names the child, so anyone outside the child's LA team is told 404.
func (s *Server) reunifyPlanRoutes() []route {
	const base = "/la/children/{child}/reunification"
	return []route{
		{pattern: "GET " + base + "/assessment", perm: access.PermReunifyView, handler: s.reunifyAssessment},
		{pattern: "POST " + base + "/assessment", perm: access.PermReunifyEdit, handler: s.saveAssessment},

		{pattern: "GET " + base + "/plan", perm: access.PermReunifyView, handler: s.reunifyPlan},
		{pattern: "GET " + base + "/plan/print", perm: access.PermReunifyView, handler: s.reunifyPlan},
		{pattern: "GET " + base + "/plan.pdf", perm: access.PermReunifyView, handler: s.reunifyPlanPDF},
		{pattern: "POST " + base + "/plan", perm: access.PermReunifyEdit, handler: s.saveReunifyPlan},
		{pattern: "POST " + base + "/plan/goals", perm: access.PermReunifyEdit, handler: s.addReunifyGoal},
		{pattern: "POST " + base + "/plan/reviews", perm: access.PermReunifyEdit, handler: s.addReunifyReview},
		{pattern: "POST " + base + "/plan/comments", perm: access.PermReunifyEdit, handler: s.addReunifyComment},

		{pattern: "GET " + base + "/support", perm: access.PermReunifyView, handler: s.reunifySupport},
		{pattern: "POST " + base + "/support", perm: access.PermReunifyEdit, handler: s.saveReunifySupport},
		{pattern: "POST " + base + "/support/checks", perm: access.PermReunifyEdit, handler: s.recordOutcomeCheck},

		// The outcome checks due for the team's children.
		{pattern: "GET /la/tasks", perm: access.PermReunifyView, handler: s.laTasks},
	}
}

// The plan's creates take an idempotency key, so a form sent twice makes one
// goal, review, comment or check. They join the list here, beside their
// routes, rather than in idempotency.go's literal.
func init() {
	for _, p := range []string{
		"POST /la/children/{child}/reunification/plan/goals",
		"POST /la/children/{child}/reunification/plan/reviews",
		"POST /la/children/{child}/reunification/plan/comments",
		"POST /la/children/{child}/reunification/support/checks",
	} {
		idempotentRoutes[p] = true
	}
}
