package web

import "haven/internal/access"

// measureRoutes are the URLs for validated outcome measures. See routes.go for the rest.
func (s *Server) measureRoutes() []route {
	return []route{
		// Scores answers for an integration and stores nothing. Staff who record
		// measures (case:edit: practitioners, co-ordinators and leads) may use it;
		// nobody else needs a clinical score worked out.
		{pattern: "POST /api/v1/measures/score", perm: access.PermCaseEdit, handler: s.apiMeasureScore(s.measureEnabled)},
	}
}
