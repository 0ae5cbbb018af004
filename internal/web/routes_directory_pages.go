package web

import "haven/internal/access"

// directoryPageRoutes are the public directory's pages (issue 20 item 2):
// search, one service, and the map. No sign-in: anyone may find help.
func (s *Server) directoryPageRoutes() []route {
	return []route{
		{pattern: "GET /directory", perm: access.PermPublic, handler: s.directorySearch},
		{pattern: "POST /directory", perm: access.PermPublic, handler: s.directorySearchForm},
		{pattern: "GET /directory/services/{id}", perm: access.PermPublic, handler: s.directoryService},
		{pattern: "GET /directory/map", perm: access.PermPublic, handler: s.directoryMap},
	}
}
