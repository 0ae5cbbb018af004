package web

// planRoutes are the URLs for support plans, partner agencies and tasks. See routes.go for the rest.
func (s *Server) planRoutes() []route {
	return []route{}
}
