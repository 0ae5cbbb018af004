package web

import "haven/internal/access"

// planRoutes are the URLs for support plans, partner agencies and tasks.
func (s *Server) planRoutes() []route {
	return []route{
		{pattern: "GET /people/{ref}/plan", perm: access.PermCaseView, handler: s.plan},
		{pattern: "GET /people/{ref}/plan/print", perm: access.PermCaseView, handler: s.plan},
		{pattern: "POST /people/{ref}/plan/goals", perm: access.PermCaseEdit, handler: s.createGoal},
		{pattern: "POST /people/{ref}/plan/goals/{id}/reviews", perm: access.PermCaseEdit, handler: s.reviewGoal},

		// The restricted reproductive-health section: reminders and aggregates only.
		{pattern: "GET /people/{ref}/reproductive-health", perm: access.PermRestrictedView, handler: s.reproductive},
		{pattern: "POST /people/{ref}/reproductive-health/contraception", perm: access.PermRestrictedView, handler: s.saveContraception},
		{pattern: "POST /people/{ref}/reproductive-health/pregnancies", perm: access.PermRestrictedView, handler: s.addPregnancy},

		// Moving to another Practice: the receiving lead accepts.
		{pattern: "POST /people/{ref}/transfer", perm: access.PermCaseAllocate, handler: s.requestTransfer},
		{pattern: "POST /transfers/{id}", perm: access.PermCaseAllocate, handler: s.decideTransfer},

		// What is due, and the lead's view of the Practice.
		{pattern: "GET /tasks", perm: access.PermCaseView, handler: s.tasks},
		{pattern: "GET /overview", perm: access.PermCaseAllocate, handler: s.overview},

		// The programme through the API: the same rules, audit and version checks as the pages.
		{pattern: "GET /api/v1/people/{ref}/enrolments", perm: access.PermCaseView, handler: s.apiEnrolments},
		{pattern: "POST /api/v1/people/{ref}/enrolments", perm: access.PermCaseEdit, handler: s.apiStartEnrolment},
		{pattern: "POST /api/v1/people/{ref}/enrolments/{id}/phase", perm: access.PermCaseEdit, handler: s.apiMovePhase},
		{pattern: "GET /api/v1/people/{ref}/goals", perm: access.PermCaseView, handler: s.apiGoals},
		{pattern: "POST /api/v1/people/{ref}/goals", perm: access.PermCaseEdit, handler: s.apiCreateGoal},
		{pattern: "GET /api/v1/tasks", perm: access.PermCaseView, handler: s.apiTasks},

		// Partner agencies and closed-loop referrals out.
		{pattern: "GET /agencies", perm: access.PermPracticeView, handler: s.agencies},
		{pattern: "POST /agencies", perm: access.PermCaseAllocate, handler: s.createAgency},
		{pattern: "GET /people/{ref}/referrals-out", perm: access.PermCaseView, handler: s.referralsOut},
		{pattern: "POST /people/{ref}/referrals-out", perm: access.PermCaseEdit, handler: s.sendReferralOut},
		{pattern: "POST /people/{ref}/referrals-out/{id}", perm: access.PermCaseEdit, handler: s.advanceReferralOut},
	}
}
