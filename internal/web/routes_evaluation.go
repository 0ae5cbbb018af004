package web

import "haven/internal/access"

// evaluationRoutes are the programme outcome pages. See routes.go for the rest.
func (s *Server) evaluationRoutes() []route {
	return []route{
		// Suppressed aggregates only: leads and co-ordinators for their
		// Practice beside every Practice, national analysts for all.
		{pattern: "GET /evaluation", perm: access.PermAggregates, handler: s.evaluation},
		// Recurrence and pre–post change (issue 17 items 5, 6, 10): the same rule, pages and API alike.
		{pattern: "GET /evaluation/recurrence", perm: access.PermAggregates, handler: s.evaluationRecurrence},
		{pattern: "GET /evaluation/change", perm: access.PermAggregates, handler: s.evaluationChange},
		{pattern: "GET /api/v1/evaluation/recurrence", perm: access.PermAggregates, handler: s.apiEvaluationRecurrence},
		{pattern: "GET /api/v1/evaluation/change", perm: access.PermAggregates, handler: s.apiEvaluationChange},
	}
}
