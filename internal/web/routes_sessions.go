package web

// sessionRoutes are the URLs for sessions, case notes and the chronology. See routes.go for the rest.
func (s *Server) sessionRoutes() []route {
	return []route{}
}
