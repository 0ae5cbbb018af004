package web

import "haven/internal/access"

// reunifyWorkflowRoutes are the URLs of the framework's workflow (issue 18
// item 2 and the decisions part of item 8). Every one names an LA child or
// the team, so anyone outside the team gets 404 (laTeam, laChild); within
// it, signing off and the risk scale are a team manager's, checked in the
// handlers (403). See routes.go for the rest.
func (s *Server) reunifyWorkflowRoutes() []route {
	return []route{
		{pattern: "GET /la/children/{child}/reunification", perm: access.PermReunifyView, handler: s.reunifyCase},
		{pattern: "POST /la/children/{child}/reunification", perm: access.PermReunifyEdit, handler: s.openCase},
		{pattern: "GET /la/children/{child}/reunification/decisions/new", perm: access.PermReunifyEdit, handler: s.decisionForm},
		{pattern: "POST /la/children/{child}/reunification/decisions", perm: access.PermReunifyEdit, handler: s.proposeDecision},
		{pattern: "GET /la/children/{child}/reunification/decisions/{id}", perm: access.PermReunifyView, handler: s.decisionPage},
		// Sign-off asks for the password and a fresh code after five minutes (S13).
		{pattern: "POST /la/children/{child}/reunification/decisions/{id}/sign-off", perm: access.PermReunifyEdit, handler: s.signOff(false), reauth: true},
		{pattern: "POST /la/children/{child}/reunification/decisions/{id}/decline", perm: access.PermReunifyEdit, handler: s.signOff(true)},
		{pattern: "POST /la/children/{child}/reunification/stage", perm: access.PermReunifyEdit, handler: s.moveCase},
		{pattern: "POST /la/children/{child}/reunification/return", perm: access.PermReunifyEdit, handler: s.recordReturn},
		{pattern: "POST /la/children/{child}/reunification/alternative", perm: access.PermReunifyEdit, handler: s.chooseAlternative},
		{pattern: "GET /la/sign-off", perm: access.PermReunifyView, handler: s.signOffList},
		{pattern: "GET /la/risk-scale", perm: access.PermReunifyView, handler: s.riskScale},
		{pattern: "POST /la/risk-scale", perm: access.PermReunifyEdit, handler: s.saveRiskScale},

		{pattern: "GET /api/v1/la/children/{child}/reunification", perm: access.PermReunifyView, handler: s.apiReunifyCase},
		{pattern: "POST /api/v1/la/children/{child}/reunification/decisions", perm: access.PermReunifyEdit, handler: s.apiProposeDecision},
		{pattern: "POST /api/v1/la/children/{child}/reunification/decisions/{id}/sign-off", perm: access.PermReunifyEdit, handler: s.apiSignOff},
	}
}
