package web

import "haven/internal/access"

// contactRoutes are the URLs for her children, care proceedings and contact
// with her children, the "What has changed and why" letter, the contact
// reports and the contact API.
func (s *Server) contactRoutes() []route {
	const base = "/people/{ref}/contact"
	return []route{
		{pattern: "GET " + base, perm: access.PermCaseView, handler: s.contactShow},
		{pattern: "GET " + base + "/children/new", perm: access.PermCaseEdit, handler: s.contactFormShow(s.childForm())},
		{pattern: "POST " + base + "/children", perm: access.PermCaseEdit, handler: s.contactFormSave(s.childForm())},
		{pattern: "GET " + base + "/children/{id}", perm: access.PermCaseEdit, handler: s.contactFormShow(s.childUpdateForm())},
		{pattern: "POST " + base + "/children/{id}", perm: access.PermCaseEdit, handler: s.contactFormSave(s.childUpdateForm())},
		{pattern: "GET " + base + "/proceedings/new", perm: access.PermCaseEdit, handler: s.contactFormShow(s.proceedingsForm())},
		{pattern: "POST " + base + "/proceedings", perm: access.PermCaseEdit, handler: s.contactFormSave(s.proceedingsForm())},
		{pattern: "GET " + base + "/arrangements/new", perm: access.PermCaseEdit, handler: s.contactFormShow(s.arrangementForm())},
		{pattern: "POST " + base + "/arrangements", perm: access.PermCaseEdit, handler: s.contactFormSave(s.arrangementForm())},
		{pattern: "GET " + base + "/arrangements/{id}/review", perm: access.PermCaseEdit, handler: s.contactFormShow(s.reviewForm())},
		{pattern: "POST " + base + "/arrangements/{id}/review", perm: access.PermCaseEdit, handler: s.contactFormSave(s.reviewForm())},
		{pattern: "GET " + base + "/arrangements/{id}/changes/new", perm: access.PermCaseEdit, handler: s.contactFormShow(s.changeForm())},
		{pattern: "POST " + base + "/arrangements/{id}/changes", perm: access.PermCaseEdit, handler: s.contactFormSave(s.changeForm())},
		{pattern: "GET " + base + "/changes/{id}/explanation", perm: access.PermCaseEdit, handler: s.contactFormShow(s.explanationForm())},
		{pattern: "POST " + base + "/changes/{id}/explanation", perm: access.PermCaseEdit, handler: s.contactFormSave(s.explanationForm())},
		{pattern: "GET " + base + "/changes/{id}/withdraw", perm: access.PermCaseEdit, handler: s.contactFormShow(s.withdrawForm())},
		{pattern: "POST " + base + "/changes/{id}/withdraw", perm: access.PermCaseEdit, handler: s.contactFormSave(s.withdrawForm())},
		{pattern: "GET " + base + "/sessions/new", perm: access.PermCaseEdit, handler: s.contactFormShow(s.contactSessionForm())},
		{pattern: "POST " + base + "/sessions", perm: access.PermCaseEdit, handler: s.contactFormSave(s.contactSessionForm())},
		{pattern: "GET " + base + "/sessions/{id}", perm: access.PermCaseEdit, handler: s.contactFormShow(s.contactSessionUpdateForm())},
		{pattern: "POST " + base + "/sessions/{id}", perm: access.PermCaseEdit, handler: s.contactFormSave(s.contactSessionUpdateForm())},
		{pattern: "GET " + base + "/letterbox/new", perm: access.PermCaseEdit, handler: s.contactFormShow(s.letterboxForm())},
		{pattern: "POST " + base + "/letterbox", perm: access.PermCaseEdit, handler: s.contactFormSave(s.letterboxForm())},
		{pattern: "GET " + base + "/letterbox/{id}", perm: access.PermCaseEdit, handler: s.contactFormShow(s.letterboxUpdateForm())},
		{pattern: "POST " + base + "/letterbox/{id}", perm: access.PermCaseEdit, handler: s.contactFormSave(s.letterboxUpdateForm())},

		// "What has changed and why": choose a period, then print it or download a PDF. Producing it is recorded.
		{pattern: "GET " + base + "/letter", perm: access.PermCaseView, handler: s.letterForm},
		{pattern: "POST " + base + "/letter", perm: access.PermCaseView, handler: s.letterMake},
		{pattern: "POST " + base + "/letter.pdf", perm: access.PermCaseView, handler: s.letterMake},

		// Reports: counts only, with small numbers suppressed.
		{pattern: "GET /reports/contact", perm: access.PermPracticeView, handler: s.contactReport},
		{pattern: "GET /reports/contact/organisation", perm: access.PermAggregates, handler: s.contactReportOrganisation},

		// The API: the same rules, audit and version checks as the pages.
		{pattern: "GET /api/v1/people/{ref}/children", perm: access.PermCaseView, handler: s.apiChildren},
		{pattern: "POST /api/v1/people/{ref}/children", perm: access.PermCaseEdit, handler: s.apiCreateChild},
		{pattern: "GET /api/v1/people/{ref}/proceedings", perm: access.PermCaseView, handler: s.apiProceedings},
		{pattern: "POST /api/v1/people/{ref}/proceedings", perm: access.PermCaseEdit, handler: s.apiCreateProceedings},
		{pattern: "GET /api/v1/people/{ref}/arrangements", perm: access.PermCaseView, handler: s.apiArrangements},
		{pattern: "POST /api/v1/people/{ref}/arrangements", perm: access.PermCaseEdit, handler: s.apiCreateArrangement},
		{pattern: "GET /api/v1/people/{ref}/changes", perm: access.PermCaseView, handler: s.apiChanges},
		{pattern: "POST /api/v1/people/{ref}/changes", perm: access.PermCaseEdit, handler: s.apiCreateChange},
		{pattern: "GET /api/v1/people/{ref}/contact-sessions", perm: access.PermCaseView, handler: s.apiContactSessions},
		{pattern: "POST /api/v1/people/{ref}/contact-sessions", perm: access.PermCaseEdit, handler: s.apiCreateContactSession},
		{pattern: "GET /api/v1/people/{ref}/letterbox", perm: access.PermCaseView, handler: s.apiLetterbox},
		{pattern: "POST /api/v1/people/{ref}/letterbox", perm: access.PermCaseEdit, handler: s.apiCreateLetterbox},
		{pattern: "PUT /api/v1/people/{ref}/children/{id}", perm: access.PermCaseEdit, handler: s.apiUpdateChild},
		{pattern: "PUT /api/v1/people/{ref}/arrangements/{id}", perm: access.PermCaseEdit, handler: s.apiReviewArrangement},
		{pattern: "POST /api/v1/people/{ref}/changes/{id}/explanations", perm: access.PermCaseEdit, handler: s.apiExplainChange},
		{pattern: "POST /api/v1/people/{ref}/changes/{id}/withdrawal", perm: access.PermCaseEdit, handler: s.apiWithdrawChange},
		{pattern: "PUT /api/v1/people/{ref}/contact-sessions/{id}", perm: access.PermCaseEdit, handler: s.apiUpdateContactSession},
		{pattern: "PUT /api/v1/people/{ref}/letterbox/{id}", perm: access.PermCaseEdit, handler: s.apiUpdateLetter},
	}
}
