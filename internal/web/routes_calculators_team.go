package web

import "haven/internal/access"

// calculatorTeamRoutes are a local authority team's tools beside the public
// calculators (issue 19 item 4): its figures and saved scenarios, saving one
// and deleting one. The calculators themselves are public
// (routes_calculators.go).
func (s *Server) calculatorTeamRoutes() []route {
	return []route{
		{pattern: "GET /la/calculators", perm: access.PermReunifyView, handler: s.laCalculators},
		{pattern: "POST /la/calculators/scenarios", perm: access.PermReunifyEdit, handler: s.laSaveScenario},
		{pattern: "POST /la/calculators/scenarios/{id}/delete", perm: access.PermReunifyEdit, handler: s.laDeleteScenario},
	}
}
