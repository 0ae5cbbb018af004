package web

import (
	"maps"

	"haven/internal/access"
)

// reunifyRoutes are the local authority team's looked-after children: the
// list, each child's record with episodes, the people around the child and
// the child's views, and the API (issue 18 item 1). The reunification case
// pages and the rest are in routes_reunify_*.go.
//
// Practice staff, national analysts and another team's workers are told
// nothing: every route answers them 404, never 403. A route that names a
// child gets that from the permission check; the routes that name none are
// open to any signed-in user and find the actor's LA team first (laTeam),
// which is not found for anyone without one.
func (s *Server) reunifyRoutes() []route {
	const child = "/la/children/{child}"
	return []route{
		{pattern: "GET /la/children", perm: access.PermSignedIn, handler: s.laChildrenList},
		{pattern: "POST /la/children/search", perm: access.PermSignedIn, handler: s.laChildrenSearch},
		{pattern: "GET /la/children/new", perm: access.PermSignedIn, handler: s.laFormShow(s.laChildForm())},
		{pattern: "POST /la/children", perm: access.PermSignedIn, handler: s.laFormSave(s.laChildForm())},
		{pattern: "GET " + child, perm: access.PermReunifyView, handler: s.laChildShow},
		{pattern: "GET " + child + "/episodes/new", perm: access.PermReunifyEdit, handler: s.laFormShow(s.laEpisodeForm())},
		{pattern: "POST " + child + "/episodes", perm: access.PermReunifyEdit, handler: s.laFormSave(s.laEpisodeForm())},
		{pattern: "GET " + child + "/episodes/{id}/end", perm: access.PermReunifyEdit, handler: s.laFormShow(s.laEndEpisodeForm())},
		{pattern: "POST " + child + "/episodes/{id}/end", perm: access.PermReunifyEdit, handler: s.laFormSave(s.laEndEpisodeForm())},
		{pattern: "GET " + child + "/people/new", perm: access.PermReunifyEdit, handler: s.laFormShow(s.laPersonForm())},
		{pattern: "POST " + child + "/people", perm: access.PermReunifyEdit, handler: s.laFormSave(s.laPersonForm())},
		{pattern: "GET " + child + "/people/{id}", perm: access.PermReunifyEdit, handler: s.laFormShow(s.laPersonUpdateForm())},
		{pattern: "POST " + child + "/people/{id}", perm: access.PermReunifyEdit, handler: s.laFormSave(s.laPersonUpdateForm())},
		{pattern: "GET " + child + "/views/new", perm: access.PermReunifyEdit, handler: s.laFormShow(s.laViewForm())},
		{pattern: "POST " + child + "/views", perm: access.PermReunifyEdit, handler: s.laFormSave(s.laViewForm())},

		// The API: bearer tokens, the same rules, audit and idempotency keys as the pages.
		{pattern: "GET /api/v1/la/children", perm: access.PermSignedIn, handler: s.apiLAChildren},
		{pattern: "POST /api/v1/la/children", perm: access.PermSignedIn, handler: s.apiCreateLAChild},
		{pattern: "GET /api/v1" + child, perm: access.PermReunifyView, handler: s.apiLAChild},
		{pattern: "GET /api/v1" + child + "/episodes", perm: access.PermReunifyView, handler: s.apiLAEpisodes},
		{pattern: "POST /api/v1" + child + "/episodes", perm: access.PermReunifyEdit, handler: s.apiCreateLAEpisode},
	}
}

// The creates among them, each with an idempotency key (idempotency.go),
// and the success messages their saves leave (flash.go). Kept here, beside
// the routes, so that each part of the issue adds its own.
func init() {
	maps.Copy(idempotentRoutes, map[string]bool{
		"POST /la/children":                         true,
		"POST /la/children/{child}/episodes":        true,
		"POST /la/children/{child}/people":          true,
		"POST /la/children/{child}/views":           true,
		"POST /api/v1/la/children":                  true,
		"POST /api/v1/la/children/{child}/episodes": true,
	})
	maps.Copy(savedMessages, map[string]string{
		"la-child":         "Child added",
		"la-episode":       "Episode added",
		"la-episode-ended": "Episode ended",
		"la-person":        "Person saved",
		"la-person-added":  "Person added",
		"la-view":          "The child's views are recorded",
	})
}
