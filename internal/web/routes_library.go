package web

import "haven/internal/access"

// libraryRoutes are the resource library's URLs (issue 21 items 1 to 3):
// public search, resource pages and feed; proposals from any signed-in
// member of staff; review and editing by library editors.
func (s *Server) libraryRoutes() []route {
	return []route{
		{pattern: "GET /library", perm: access.PermPublic, handler: s.libraryIndex},
		{pattern: "GET /library/feed.atom", perm: access.PermPublic, handler: s.libraryFeed},
		{pattern: "GET /library/resources/{id}", perm: access.PermPublic, handler: s.libraryResource},
		{pattern: "GET /library/propose", perm: access.PermSignedIn, handler: s.libraryProposeForm},
		{pattern: "POST /library/propose", perm: access.PermSignedIn, handler: s.libraryPropose, maxBody: maxUploadBody},
		{pattern: "GET /library/resources/{id}/file", perm: access.PermPublic, handler: s.libraryFile},
		{pattern: "GET /library/review", perm: access.PermLibraryEdit, handler: s.libraryReview},
		{pattern: "GET /library/resources/{id}/edit", perm: access.PermLibraryEdit, handler: s.libraryEditForm},
		{pattern: "POST /library/resources/{id}/edit", perm: access.PermLibraryEdit, handler: s.libraryEdit},
		{pattern: "POST /library/resources/{id}/publish", perm: access.PermLibraryEdit, handler: s.libraryPublish},
		{pattern: "POST /library/resources/{id}/feature", perm: access.PermLibraryEdit, handler: s.libraryFeature},
		{pattern: "POST /library/resources/{id}/retire", perm: access.PermLibraryEdit, handler: s.libraryRetire},
	}
}
