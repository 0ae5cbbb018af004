package web

import "haven/internal/access"

// directoryCoverageRoutes are the commissioners' coverage of the directory
// (issue 20 item 5): national analysts and directory editors.
func (s *Server) directoryCoverageRoutes() []route {
	return []route{
		{pattern: "GET /directory/coverage", perm: access.PermDirectoryCoverage, handler: s.directoryCoverage},
		{pattern: "GET /directory/coverage.csv", perm: access.PermDirectoryCoverage, handler: s.coverageDownload("csv")},
		{pattern: "GET /directory/coverage.xlsx", perm: access.PermDirectoryCoverage, handler: s.coverageDownload("xlsx")},
	}
}
