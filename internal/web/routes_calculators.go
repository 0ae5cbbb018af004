package web

import "haven/internal/access"

// calculatorRoutes are the public cost calculators (issue 19): no sign-in,
// every input in the query, so a scenario is an address. See routes.go.
func (s *Server) calculatorRoutes() []route {
	return []route{
		{pattern: "GET /calculators", perm: access.PermPublic, handler: s.calculatorIndex},
		{pattern: "GET /calculators/return-home", perm: access.PermPublic, handler: s.returnHome},
		{pattern: "GET /calculators/infant-care", perm: access.PermPublic, handler: s.infantCare},
	}
}
