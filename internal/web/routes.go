package web

import (
	"net/http"

	"haven/internal/access"
)

// route is one entry in Haven's URL surface. Every route names the permission
// it needs; a test fails if one does not.
type route struct {
	pattern string
	perm    access.Permission
	handler handlerFunc
	// maxBody overrides the 1 MiB body limit; only upload and import routes may.
	maxBody int64
	// reauth asks for the password and a fresh code if the session last gave
	// them more than five minutes ago (S13).
	reauth bool
}

// routeList is every URL Haven answers. Read it top to bottom to see the service;
// each capability's routes sit in their own routes_*.go file after these.
func (s *Server) routeList() []route {
	routes := []route{
		// Service health, for load balancers and monitoring.
		{pattern: "GET /healthz", perm: access.PermPublic, handler: s.healthz},
		{pattern: "GET /readyz", perm: access.PermPublic, handler: s.readyz},
		{pattern: "GET /static/", perm: access.PermPublic, handler: s.staticFile},

		// Public pages.
		{pattern: "GET /{$}", perm: access.PermPublic, handler: s.home},
		{pattern: "GET /practices", perm: access.PermPublic, handler: s.practiceList},
		{pattern: "GET /practices/{slug}", perm: access.PermPublic, handler: s.practiceShow},
		{pattern: "GET /find-a-practice", perm: access.PermPublic, handler: s.findPracticeForm},
		{pattern: "POST /find-a-practice", perm: access.PermPublic, handler: s.findPractice},
		{pattern: "GET /accessibility", perm: access.PermPublic, handler: s.info("accessibility.html", "Accessibility statement")},
		{pattern: "GET /privacy", perm: access.PermPublic, handler: s.info("privacy.html", "Privacy notice")},
		{pattern: "GET /cookies", perm: access.PermPublic, handler: s.info("cookies.html", "Cookies")},

		// Signing in: password, then the second factor; enrolment from a one-time link.
		{pattern: "GET /sign-in", perm: access.PermPublic, handler: s.signInForm},
		{pattern: "POST /sign-in", perm: access.PermPublic, handler: s.signIn},
		{pattern: "GET /sign-in/code", perm: access.PermSignInStep, handler: s.codeForm},
		{pattern: "POST /sign-in/code", perm: access.PermSignInStep, handler: s.checkCode},
		{pattern: "GET /sign-in/recovery", perm: access.PermSignInStep, handler: s.codeForm},
		{pattern: "POST /sign-in/recovery", perm: access.PermSignInStep, handler: s.checkCode},
		{pattern: "GET /account/mfa/setup", perm: access.PermSignInStep, handler: s.mfaSetupForm},
		{pattern: "POST /account/mfa/setup", perm: access.PermSignInStep, handler: s.mfaSetup},
		{pattern: "GET /account/mfa/qr.png", perm: access.PermSignInStep, handler: s.mfaQR},
		{pattern: "GET /enrol/{token}", perm: access.PermPublic, handler: s.enrolLink},
		{pattern: "GET /enrol", perm: access.PermPublic, handler: s.enrolForm},
		{pattern: "POST /enrol", perm: access.PermPublic, handler: s.enrol},
		{pattern: "POST /sign-out", perm: access.PermSignInStep, handler: s.signOut},
		{pattern: "GET /signed-out", perm: access.PermPublic, handler: s.info("signed-out.html", "You have signed out")},

		// Your account, and your home after signing in.
		{pattern: "GET /home", perm: access.PermSignedIn, handler: s.signedInHome},
		{pattern: "GET /account", perm: access.PermSignedIn, handler: s.account},
		{pattern: "POST /account/sign-out-everywhere", perm: access.PermSignedIn, handler: s.signOutEverywhere},
		{pattern: "GET /account/password", perm: access.PermSignedIn, handler: s.passwordForm, reauth: true},
		{pattern: "POST /account/password", perm: access.PermSignedIn, handler: s.changePassword, reauth: true},
		{pattern: "POST /account/mfa/reset", perm: access.PermSignedIn, handler: s.resetOwnMFA, reauth: true},
		{pattern: "POST /session/keepalive", perm: access.PermSignedIn, handler: s.keepAlive},
		{pattern: "GET /account/tokens", perm: access.PermOwnTokens, handler: s.tokens},
		{pattern: "POST /account/tokens", perm: access.PermOwnTokens, handler: s.createToken},
		{pattern: "POST /account/tokens/{id}/revoke", perm: access.PermOwnTokens, handler: s.revokeToken},

		{pattern: "GET /reauth", perm: access.PermSignedIn, handler: s.reauthForm},
		{pattern: "POST /reauth", perm: access.PermSignedIn, handler: s.reauth},

		// People: every view is audited; record-level rules are in the queries.
		{pattern: "GET /people", perm: access.PermCaseView, handler: s.peopleList},
		{pattern: "POST /people/search", perm: access.PermCaseView, handler: s.peopleSearch},
		{pattern: "GET /people/new", perm: access.PermCaseAllocate, handler: s.personNewForm},
		{pattern: "POST /people", perm: access.PermCaseAllocate, handler: s.personCreate},
		{pattern: "GET /people/{ref}", perm: access.PermCaseView, handler: s.personShow},
		{pattern: "GET /people/{ref}/edit", perm: access.PermCaseEdit, handler: s.personEditForm},
		{pattern: "POST /people/{ref}", perm: access.PermCaseEdit, handler: s.personUpdate},
		{pattern: "GET /people/{ref}/restricted/{section}", perm: access.PermRestrictedView, handler: s.restrictedShow},
		{pattern: "POST /people/{ref}/restricted/{section}", perm: access.PermRestrictedView, handler: s.restrictedSave},
		{pattern: "POST /people/{ref}/break-glass", perm: access.PermBreakGlass, handler: s.breakGlass},
		{pattern: "POST /people/{ref}/allocation", perm: access.PermCaseAllocate, handler: s.allocate},
		{pattern: "POST /people/{ref}/people-around", perm: access.PermCaseEdit, handler: s.addPersonAround},
		{pattern: "POST /people/{ref}/enrolments", perm: access.PermCaseEdit, handler: s.startEnrolment},
		{pattern: "POST /people/{ref}/enrolments/{id}/phase", perm: access.PermCaseEdit, handler: s.movePhase},
		{pattern: "GET /people/{ref}/access-log", perm: access.PermRecordAccessLog, handler: s.accessLog},

		// Administration: accounts and the audit trail, never case content.
		{pattern: "GET /admin/users", perm: access.PermManageUsers, handler: s.adminUsers},
		{pattern: "GET /admin/users/new", perm: access.PermManageUsers, handler: s.adminInviteForm},
		{pattern: "POST /admin/users", perm: access.PermManageUsers, handler: s.adminInvite, reauth: true},
		{pattern: "GET /admin/users/{id}", perm: access.PermManageUsers, handler: s.adminUser},
		{pattern: "POST /admin/users/{id}/roles", perm: access.PermManageUsers, handler: s.adminAddRole, reauth: true},
		{pattern: "POST /admin/users/{id}/roles/remove", perm: access.PermManageUsers, handler: s.adminRemoveRole, reauth: true},
		{pattern: "POST /admin/users/{id}/disable", perm: access.PermManageUsers, handler: s.adminDisable(true)},
		{pattern: "POST /admin/users/{id}/enable", perm: access.PermManageUsers, handler: s.adminDisable(false), reauth: true},
		{pattern: "POST /admin/users/{id}/reset-mfa", perm: access.PermManageUsers, handler: s.adminResetMFA, reauth: true},
		{pattern: "POST /admin/users/{id}/unlock", perm: access.PermManageUsers, handler: s.adminUnlock},
		{pattern: "POST /admin/users/{id}/sessions/{sid}/end", perm: access.PermManageUsers, handler: s.adminEndSession},
		{pattern: "GET /admin/audit", perm: access.PermAuditSearch, handler: s.adminAudit},
		{pattern: "POST /admin/audit", perm: access.PermAuditSearch, handler: s.adminAuditFind},

		// JSON API: bearer tokens, same rules and audit as the pages.
		{pattern: "GET /api/v1/me", perm: access.PermSignedIn, handler: s.apiMe},
		{pattern: "GET /api/v1/people", perm: access.PermCaseView, handler: s.apiPeople},
		{pattern: "POST /api/v1/people/search", perm: access.PermCaseView, handler: s.apiPeopleSearch},
		{pattern: "GET /api/v1/people/{ref}", perm: access.PermCaseView, handler: s.apiPersonShow},
	}
	routes = append(routes, s.referralRoutes()...)
	routes = append(routes, s.sessionRoutes()...)
	routes = append(routes, s.planRoutes()...)
	routes = append(routes, s.contactRoutes()...)
	routes = append(routes, s.measureRoutes()...)
	routes = append(routes, s.evaluationRoutes()...)
	routes = append(routes, s.needRoutes()...)
	routes = append(routes, s.reunifyWorkflowRoutes()...)
	routes = append(routes, s.reunifyDataRoutes()...)
	routes = append(routes, s.reunifyRoutes()...)
	routes = append(routes, s.reunifyPlanRoutes()...)
	routes = append(routes, s.calculatorTeamRoutes()...)
	routes = append(routes, s.calculatorRoutes()...)
	routes = append(routes, s.directoryRoutes()...)
	routes = append(routes, s.directoryPageRoutes()...)
	routes = append(routes, s.directorySuggestRoutes()...)
	routes = append(routes, s.directoryTabularRoutes()...)
	routes = append(routes, s.directoryCoverageRoutes()...)
	routes = append(routes, s.directoryContactRoutes()...)
	routes = append(routes, s.calculatorAPIRoutes()...)
	routes = append(routes, s.forumRoutes()...)
	routes = append(routes, s.eventsRoutes()...)
	routes = append(routes, s.mailingRoutes()...)
	routes = append(routes, s.libraryRoutes()...)
	return routes
}

// Routes returns each registered pattern with its permission, for tests and docs.
func (s *Server) Routes() map[string]access.Permission {
	out := make(map[string]access.Permission, len(s.routes))
	for _, rt := range s.routes {
		out[rt.pattern] = rt.perm
	}
	return out
}

var _ http.Handler = (*Server)(nil)
