package web

import "haven/internal/access"

// sessionRoutes are the URLs for sessions, case notes and the chronology. See routes.go for the rest.
// Each names a person, so a refusal is 404 (or 403 with break-glass, refusal.go); the handlers insist on her whole record.
func (s *Server) sessionRoutes() []route {
	return []route{
		{pattern: "GET /people/{ref}/sessions", perm: access.PermCaseView, handler: s.sessionList},
		// The form asks for edit, not view: nobody should type a note they cannot save.
		{pattern: "GET /people/{ref}/sessions/new", perm: access.PermCaseEdit, handler: s.sessionNewForm},
		{pattern: "POST /people/{ref}/sessions", perm: access.PermCaseEdit, handler: s.sessionCreate},
		{pattern: "POST /people/{ref}/sessions/draft", perm: access.PermCaseEdit, handler: s.sessionDraftSave},
		{pattern: "POST /people/{ref}/sessions/draft/discard", perm: access.PermCaseEdit, handler: s.sessionDraftDiscard},
		{pattern: "GET /people/{ref}/sessions/{id}", perm: access.PermCaseView, handler: s.sessionShow},
		{pattern: "POST /people/{ref}/sessions/{id}/corrections", perm: access.PermCaseEdit, handler: s.sessionCorrect},
		{pattern: "GET /people/{ref}/chronology", perm: access.PermCaseView, handler: s.chronology},

		{pattern: "GET /api/v1/people/{ref}/sessions", perm: access.PermCaseView, handler: s.apiSessions},
		{pattern: "POST /api/v1/people/{ref}/sessions", perm: access.PermCaseEdit, handler: s.apiSessionCreate},
		{pattern: "GET /api/v1/people/{ref}/sessions/{id}", perm: access.PermCaseView, handler: s.apiSessionShow},
	}
}
