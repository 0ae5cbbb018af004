package web

import "haven/internal/access"

// directoryTabularRoutes are the directory's import (editors) and its
// export as open data (anyone, no sign-in), in HSDS's tabular form.
func (s *Server) directoryTabularRoutes() []route {
	return []route{
		{pattern: "GET /directory/import", perm: access.PermDirectoryEdit, handler: s.dirImportForm},
		{pattern: "POST /directory/import", perm: access.PermDirectoryEdit, handler: s.dirImport, maxBody: dirImportRoute},
		{pattern: "GET /directory/export.zip", perm: access.PermPublic, handler: s.dirExport},
	}
}
