package web

import "haven/internal/access"

// evaluationRoutes are the programme outcome pages. See routes.go for the rest.
func (s *Server) evaluationRoutes() []route {
	return []route{
		// Suppressed aggregates only: leads and co-ordinators for their
		// Practice beside every Practice, national analysts for all.
		{pattern: "GET /evaluation", perm: access.PermAggregates, handler: s.evaluation},
		{pattern: "GET /api/v1/evaluation/outcomes", perm: access.PermAggregates, handler: s.apiEvaluationOutcomes},
		{pattern: "GET /evaluation/outcomes.csv", perm: access.PermAggregates, handler: s.outcomesDownload("csv")},
		{pattern: "GET /evaluation/outcomes.xlsx", perm: access.PermAggregates, handler: s.outcomesDownload("xlsx")},
		// The pseudonymised extract (extract.go): leads, for their Practice;
		// the files need the password and code again (S13).
		{pattern: "GET /evaluation/extract", perm: access.PermExtract, handler: s.extractInfo},
		{pattern: "GET /evaluation/extract.csv", perm: access.PermExtract, handler: s.extractDownload("csv"), reauth: true},
		{pattern: "GET /evaluation/extract.xlsx", perm: access.PermExtract, handler: s.extractDownload("xlsx"), reauth: true},
		{pattern: "GET /api/v1/evaluation/extract.csv", perm: access.PermExtract, handler: s.extractDownload("csv")},
		// Recurrence and pre–post change (issue 17 items 5, 6, 10): the same rule, pages and API alike.
		{pattern: "GET /evaluation/recurrence", perm: access.PermAggregates, handler: s.evaluationRecurrence},
		{pattern: "GET /evaluation/change", perm: access.PermAggregates, handler: s.evaluationChange},
		{pattern: "GET /api/v1/evaluation/recurrence", perm: access.PermAggregates, handler: s.apiEvaluationRecurrence},
		{pattern: "GET /api/v1/evaluation/change", perm: access.PermAggregates, handler: s.apiEvaluationChange},
		// The deployment's evaluation settings (items 5 and 7): administrators, who manage the service.
		{pattern: "GET /admin/evaluation", perm: access.PermManageUsers, handler: s.evaluationSettings},
		{pattern: "POST /admin/evaluation/threshold", perm: access.PermManageUsers, handler: s.saveEvalThreshold},
		{pattern: "POST /admin/evaluation/change", perm: access.PermManageUsers, handler: s.saveEvalChange},
	}
}
