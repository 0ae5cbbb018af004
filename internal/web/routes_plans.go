package web

import "haven/internal/access"

// planRoutes are the URLs for support plans, partner agencies and tasks.
func (s *Server) planRoutes() []route {
	return []route{
		{pattern: "GET /people/{ref}/plan", perm: access.PermCaseView, handler: s.plan},
		{pattern: "GET /people/{ref}/plan/print", perm: access.PermCaseView, handler: s.plan},
		{pattern: "POST /people/{ref}/plan/goals", perm: access.PermCaseEdit, handler: s.createGoal},
		{pattern: "POST /people/{ref}/plan/goals/{id}/reviews", perm: access.PermCaseEdit, handler: s.reviewGoal},
	}
}
