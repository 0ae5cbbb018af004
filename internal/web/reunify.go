package web

import (
	"net/http"
	"strconv"

	"haven/internal/access"
	"haven/internal/haven"
	"haven/internal/reunify"
)

// laTeam is the local authority team whose children the actor works with.
// Anyone else, a Practice's staff, a national analyst, is told nothing: not
// found, never forbidden, so no one outside the team learns a child exists.
func laTeam(r *http.Request) (access.Membership, error) {
	actor := infoFrom(r.Context()).actor
	if actor == nil {
		return access.Membership{}, haven.ErrNotFound
	}
	for _, m := range actor.Memberships {
		if m.TenantKind == access.TenantLocalAuthority && m.Role.Has(access.PermReunifyView) {
			return m, nil
		}
	}
	return access.Membership{}, haven.ErrNotFound
}

// laChild is the child named by the path's {child}, in the actor's own team:
// another team's child, or a malformed ID, is not found.
func (s *Server) laChild(r *http.Request) (reunify.Child, access.Membership, error) {
	team, err := laTeam(r)
	if err != nil {
		return reunify.Child{}, team, err
	}
	id, err := strconv.ParseInt(r.PathValue("child"), 10, 64)
	if err != nil || id <= 0 {
		return reunify.Child{}, team, haven.ErrNotFound
	}
	c, err := s.store.LAChild(r.Context(), team.TenantID, id)
	return c, team, err
}
