package web

import "haven/internal/access"

// reunifyDataRoutes are the LA team's SSDA903 import and export and its
// dashboard (issue 18 items 6 and 7). They name no record, so a missing
// permission would be 403; but nobody outside an LA team may learn that
// these pages exist, so the route asks only for a signed-in user and the
// handler answers 404 to anyone who is not in an LA team (laTeam), and 403
// to an LA role that may not import.
func (s *Server) reunifyDataRoutes() []route {
	return []route{
		{pattern: "GET /la/imports", perm: access.PermSignedIn, handler: s.laImports},
		{pattern: "POST /la/imports", perm: access.PermSignedIn, handler: s.laImportsPost, maxBody: maxImportBody},
		{pattern: "POST /api/v1/la/imports/ssda903", perm: access.PermSignedIn, handler: s.apiImportSSDA903, maxBody: maxImportBody},
		{pattern: "GET /la/episodes.csv", perm: access.PermSignedIn, handler: s.laEpisodesCSV},
		{pattern: "GET /api/v1/la/episodes.csv", perm: access.PermSignedIn, handler: s.laEpisodesCSV},
		{pattern: "GET /la/dashboard", perm: access.PermSignedIn, handler: s.laDashboard},
		{pattern: "GET /la/dashboard.csv", perm: access.PermSignedIn, handler: s.laDashboardCSV},
	}
}
