package web

// referralRoutes are the URLs for self-referral, agency referral and triage. See routes.go for the rest.
func (s *Server) referralRoutes() []route {
	return []route{}
}
