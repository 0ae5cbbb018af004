package web

import "haven/internal/access"

// measureRoutes are the URLs for validated outcome measures. See routes.go for the rest.
func (s *Server) measureRoutes() []route {
	return []route{
		// Scores answers for an integration and stores nothing. Staff who record
		// measures (case:edit: practitioners, co-ordinators and leads) may use it;
		// nobody else needs a clinical score worked out.
		{pattern: "POST /api/v1/measures/score", perm: access.PermCaseEdit, handler: s.apiMeasureScore(s.measureEnabled)},
		// Her measures are health data: the allocated practitioner and the lead (S17).
		{pattern: "GET /api/v1/people/{ref}/measures", perm: access.PermRestrictedView, handler: s.apiMeasures},
		{pattern: "POST /api/v1/people/{ref}/measures", perm: access.PermRestrictedView, handler: s.apiAddMeasure},
		{pattern: "GET /people/{ref}/measures", perm: access.PermRestrictedView, handler: s.measures},
		{pattern: "GET /people/{ref}/measures/new/{instrument}", perm: access.PermRestrictedView, handler: s.measureForm},
		{pattern: "POST /people/{ref}/measures/new/{instrument}", perm: access.PermRestrictedView, handler: s.addMeasure},
		{pattern: "GET /people/{ref}/measures/prompt/{id}", perm: access.PermRestrictedView, handler: s.measurePrompt},
		{pattern: "POST /people/{ref}/measures/response/{id}", perm: access.PermRestrictedView, handler: s.respondToMeasure},
		// The deployment's registrations: administrators, who manage the service.
		{pattern: "GET /admin/measures", perm: access.PermManageUsers, handler: s.registrations},
		{pattern: "POST /admin/measures", perm: access.PermManageUsers, handler: s.saveRegistration},
		// The Outcomes Star (star.go): its licence, then her readings imported, by the same people as her measures.
		{pattern: "POST /admin/measures/star-licence", perm: access.PermManageUsers, handler: s.saveStarLicence},
		{pattern: "POST /people/{ref}/measures/star", perm: access.PermRestrictedView, handler: s.importStar},
	}
}
