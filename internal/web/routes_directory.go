package web

import "haven/internal/access"

// directoryRoutes are the national directory's URLs (issue 20). The Open
// Referral UK API is public by the profile's rule: no sign-in, no key.
func (s *Server) directoryRoutes() []route {
	return []route{
		{pattern: "GET /openreferral/{$}", perm: access.PermPublic, handler: s.orRoot},
		{pattern: "GET /openreferral/services", perm: access.PermPublic, handler: s.orServices},
		{pattern: "GET /openreferral/services/{id}", perm: access.PermPublic, handler: s.orService},
		{pattern: "GET /openreferral/organizations", perm: access.PermPublic, handler: s.orOrganizations},
		{pattern: "GET /openreferral/organizations/{id}", perm: access.PermPublic, handler: s.orOrganization},
		{pattern: "GET /openreferral/service_at_locations", perm: access.PermPublic, handler: s.orServiceAtLocations},
		{pattern: "GET /openreferral/service_at_locations/{id}", perm: access.PermPublic, handler: s.orServiceAtLocation},
		{pattern: "GET /openreferral/taxonomies", perm: access.PermPublic, handler: s.orTaxonomies},
		{pattern: "GET /openreferral/taxonomy_terms", perm: access.PermPublic, handler: s.orTaxonomyTerms},
	}
}
