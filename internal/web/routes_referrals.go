package web

import "haven/internal/access"

// referralRoutes are the URLs for self-referral, agency referral and triage. See routes.go for the rest.
func (s *Server) referralRoutes() []route {
	return []route{
		// Referrals with no account: limited per address, with a honeypot.
		{pattern: "GET /refer", perm: access.PermPublic, handler: s.referSelfForm},
		{pattern: "POST /refer", perm: access.PermPublic, handler: s.referSelf},
		{pattern: "GET /refer/professional", perm: access.PermPublic, handler: s.referProfessionalForm},
		{pattern: "POST /refer/professional", perm: access.PermPublic, handler: s.referProfessional},
		{pattern: "GET /refer/done", perm: access.PermPublic, handler: s.referDone},

		// The professional form for staff, into one of their Practices.
		{pattern: "GET /referrals/new", perm: access.PermCaseEdit, handler: s.referStaffForm},
		{pattern: "POST /referrals/new", perm: access.PermCaseEdit, handler: s.referStaff},

		// Triage: a Practice's lead and co-ordinator; every view is audited.
		{pattern: "GET /triage", perm: access.PermCaseAllocate, handler: s.triageQueue},
		{pattern: "GET /triage/{ref}", perm: access.PermCaseAllocate, handler: s.triageShow},
		{pattern: "POST /triage/{ref}/outcome", perm: access.PermCaseAllocate, handler: s.triageDecide},

		{pattern: "POST /api/v1/self-referrals", perm: access.PermPublic, handler: s.apiSelfReferral},
		{pattern: "GET /api/v1/referrals", perm: access.PermCaseAllocate, handler: s.apiReferrals},
		{pattern: "GET /api/v1/referrals/{ref}", perm: access.PermCaseAllocate, handler: s.apiReferralShow},
	}
}
