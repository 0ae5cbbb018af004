package web

import "haven/internal/access"

// calculatorAPIRoutes are the calculators' JSON API and downloads (issue 19):
// public, no sign-in, sharing one per-address rate limit.
func (s *Server) calculatorAPIRoutes() []route {
	lim, cache := newCalculatorLimit(), newAnswerCache(1024)
	return []route{
		{pattern: "GET /api/v1/calculators/return-home", perm: access.PermPublic, handler: s.apiReturnHomeCalc(lim, cache)},
		{pattern: "GET /api/v1/calculators/infant-care", perm: access.PermPublic, handler: s.apiInfantCareCalc(lim, cache)},
		{pattern: "GET /calculators/return-home.xlsx", perm: access.PermPublic, handler: s.calculatorDownload(lim, "return-home", "xlsx")},
		{pattern: "GET /calculators/return-home.csv", perm: access.PermPublic, handler: s.calculatorDownload(lim, "return-home", "csv")},
		{pattern: "GET /calculators/infant-care.xlsx", perm: access.PermPublic, handler: s.calculatorDownload(lim, "infant-care", "xlsx")},
		{pattern: "GET /calculators/infant-care.csv", perm: access.PermPublic, handler: s.calculatorDownload(lim, "infant-care", "csv")},
	}
}
