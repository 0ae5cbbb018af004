package web

import "haven/internal/access"

// directoryContactRoutes: directory editors give a service's contact an
// account and take it away; the contact keeps the entries linked to it
// (issue 20 item 3).
func (s *Server) directoryContactRoutes() []route {
	return []route{
		{pattern: "GET /directory/entries/{id}/accounts/new", perm: access.PermDirectoryEdit, handler: s.dirKeeperForm},
		{pattern: "POST /directory/entries/{id}/accounts", perm: access.PermDirectoryEdit, handler: s.dirKeeperCreate, reauth: true},
		{pattern: "POST /directory/entries/{id}/accounts/{user}/remove", perm: access.PermDirectoryEdit, handler: s.dirKeeperRemove},

		{pattern: "GET /directory/my-services", perm: access.PermDirectoryOwn, handler: s.dirMyServices},
		{pattern: "GET /directory/my-services/{id}", perm: access.PermDirectoryOwn, handler: s.dirMyService},
		{pattern: "POST /directory/my-services/{id}", perm: access.PermDirectoryOwn, handler: s.dirMyServiceSave},
		{pattern: "POST /directory/my-services/{id}/checked", perm: access.PermDirectoryOwn, handler: s.dirMyServiceChecked},
	}
}
