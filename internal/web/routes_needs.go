package web

import "haven/internal/access"

// needRoutes are the URLs for her needs at each point and each Practice's
// schedule of measures (issue 17 items 2 and 3). See routes.go for the rest.
func (s *Server) needRoutes() []route {
	return []route{
		// Her needs are health and safety data, like her measures: the allocated practitioner and the lead (S17).
		{pattern: "GET /people/{ref}/measures/needs/{point}", perm: access.PermRestrictedView, handler: s.needsForm},
		{pattern: "POST /people/{ref}/measures/needs/{point}", perm: access.PermRestrictedView, handler: s.saveNeeds},
		// A Practice's schedule: those who run it read it (leads and co-ordinators,
		// as the overview); only its lead changes it (checked in the handler).
		{pattern: "GET /overview/{slug}/schedule", perm: access.PermCaseAllocate, handler: s.schedule},
		{pattern: "POST /overview/{slug}/schedule", perm: access.PermCaseAllocate, handler: s.saveSchedule},
	}
}
