package demo_test

import (
	"testing"

	"haven/internal/access"
	"haven/internal/demo"
	"haven/internal/store/storetest"
)

// Issue 20 item 3: the demo has a service contact, printed like every other
// demo account, who keeps two entries of one fictional organisation.
func TestDemoServiceContact(t *testing.T) {
	db := storetest.SQLite(t)
	sum, err := demo.Seed(t.Context(), db, cheap)
	if err != nil {
		t.Fatal(err)
	}
	var contact *demo.Account
	for i, a := range sum.Accounts {
		if a.Role == access.RoleServiceContact {
			contact = &sum.Accounts[i]
		}
	}
	if contact == nil || contact.Tenant != "national" {
		t.Fatalf("no national service-contact demo account: %+v", contact)
	}
	kept, err := db.KeptServices(t.Context(), contact.UserID)
	if err != nil || len(kept) != 2 {
		t.Fatalf("the demo contact keeps %d services, %v", len(kept), err)
	}
	if kept[0].OrganisationID != kept[1].OrganisationID || kept[0].PracticeID != 0 {
		t.Errorf("kept %q and %q, of organisations %s and %s", kept[0].Name, kept[1].Name, kept[0].OrganisationID, kept[1].OrganisationID)
	}
}
