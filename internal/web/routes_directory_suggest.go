package web

import "haven/internal/access"

// directorySuggestRoutes are the public suggestion forms and the editors'
// queue (issue 20 items 2 and 3).
func (s *Server) directorySuggestRoutes() []route {
	return []route{
		{pattern: "GET /directory/suggest", perm: access.PermPublic, handler: s.dirSuggestForm},
		{pattern: "POST /directory/suggest", perm: access.PermPublic, handler: s.dirSuggest},
		{pattern: "GET /directory/suggest/sent", perm: access.PermPublic, handler: s.dirSuggestSent},
		{pattern: "GET /directory/services/{id}/correct", perm: access.PermPublic, handler: s.dirCorrectForm},
		{pattern: "POST /directory/services/{id}/correct", perm: access.PermPublic, handler: s.dirCorrect},

		{pattern: "GET /directory/queue", perm: access.PermDirectoryEdit, handler: s.dirQueue},
		{pattern: "GET /directory/queue/{id}", perm: access.PermDirectoryEdit, handler: s.dirSuggestion},
		{pattern: "POST /directory/queue/{id}/approve", perm: access.PermDirectoryEdit, handler: s.dirApprove},
		{pattern: "POST /directory/queue/{id}/reject", perm: access.PermDirectoryEdit, handler: s.dirReject},
		{pattern: "GET /directory/entries/{id}", perm: access.PermDirectoryEdit, handler: s.dirEntry},
		{pattern: "POST /directory/entries/{id}", perm: access.PermDirectoryEdit, handler: s.dirEntrySave},
		{pattern: "POST /directory/entries/{id}/checked", perm: access.PermDirectoryEdit, handler: s.dirEntryChecked},
	}
}
