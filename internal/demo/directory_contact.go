package demo

import (
	"fmt"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/directory"
	"haven/internal/store"
)

// directoryContact gives one fictional organisation's contact a demo
// account that keeps two of its services' entries (issue 20 item 3): the
// first organisation, by service name, that runs two services.
func (s *seeder) directoryContact() error {
	if err := s.account(access.RoleServiceContact, store.Tenant{Kind: access.TenantNational, Slug: store.NationalSlug}); err != nil {
		return err
	}
	a := s.sum.Accounts[len(s.sum.Accounts)-1]
	ss, _, err := s.db.ListServices(s.ctx, directory.Query{Page: 1, PerPage: directory.MaxPerPage})
	if err != nil {
		return err
	}
	byOrg := map[string][]directory.Service{}
	for _, sv := range ss {
		if sv.PracticeID != 0 {
			continue
		}
		byOrg[sv.OrganisationID] = append(byOrg[sv.OrganisationID], sv)
		if two := byOrg[sv.OrganisationID]; len(two) == 2 {
			for _, kept := range two {
				if _, err := s.db.LinkServiceContact(s.ctx, audit.Event{RequestID: "demo-seed"}, kept.ID, access.User{Email: a.Email, DisplayName: "demo"}); err != nil {
					return fmt.Errorf("demo service contact: %w", err)
				}
			}
			return nil
		}
	}
	return fmt.Errorf("demo service contact: no organisation runs two services")
}
