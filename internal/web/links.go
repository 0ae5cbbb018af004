package web

import (
	"net/http"

	"haven/internal/access"
)

// mayFollow reports whether the actor's roles let them follow a link: it asks
// the route that would answer for its permission, the test authorise makes,
// so a page offers only links that will not answer 403. Record-level rules
// (404 for a record out of reach) are the handlers', as ever.
func (s *Server) mayFollow(actor *access.Actor, method, href string) bool {
	req, err := http.NewRequest(method, href, nil)
	if err != nil {
		return false
	}
	_, pattern := s.mux.Handler(req)
	for _, rt := range s.routes {
		if rt.pattern != pattern {
			continue
		}
		if rt.perm == access.PermSignInStep {
			return actor != nil
		}
		return actor.Can(rt.perm)
	}
	return false
}
