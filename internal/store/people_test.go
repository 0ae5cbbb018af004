package store_test

import (
	"errors"
	"testing"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/programme"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// staff makes accounts with the given roles in two Practices.
type staffSet struct {
	practiceA, practiceB                       int64
	leadA, coordA, pracA, prac2A, pracB, admin *access.Actor
}

func seedStaff(t *testing.T, db *store.DB) staffSet {
	t.Helper()
	ctx := t.Context()
	org := seedOrg(t, db)
	a, err := db.CreatePractice(ctx, access.Practice{OrganisationID: org.ID, Slug: "practice-a", Name: "A", LocalAuthorities: []string{"E08000035"}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := db.CreatePractice(ctx, access.Practice{OrganisationID: org.ID, Slug: "practice-b", Name: "B", LocalAuthorities: []string{"E10000016"}})
	if err != nil {
		t.Fatal(err)
	}
	mk := func(email string, role access.Role, tenant store.Tenant) *access.Actor {
		u, err := db.CreateAccount(ctx, audit.Event{}, access.User{Email: email, DisplayName: email}, []store.Grant{{Role: role, Tenant: tenant}})
		if err != nil {
			t.Fatal(err)
		}
		actor, err := db.Actor(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		return actor
	}
	ta := store.Tenant{Kind: access.TenantPractice, ID: a.ID, Slug: a.Slug}
	tb := store.Tenant{Kind: access.TenantPractice, ID: b.ID, Slug: b.Slug}
	return staffSet{practiceA: a.ID, practiceB: b.ID,
		leadA:  mk("lead.a@example.org", access.RolePracticeLead, ta),
		coordA: mk("coord.a@example.org", access.RolePracticeCoordinator, ta),
		pracA:  mk("prac.a@example.org", access.RolePractitioner, ta),
		prac2A: mk("prac2.a@example.org", access.RolePractitioner, ta),
		pracB:  mk("prac.b@example.org", access.RolePractitioner, tb),
		admin:  mk("admin@example.org", access.RoleAdmin, store.Tenant{Kind: access.TenantOrganisation, ID: org.ID, Slug: org.Slug}),
	}
}

func TestS16S17PersonVisibility(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s := seedStaff(t, db)
		p, err := db.CreatePerson(ctx, audit.Event{}, s.leadA, programme.Person{PracticeID: s.practiceA, PractitionerID: s.pracA.User.ID,
			FirstName: "Robin", LastName: "Testcase", DateOfBirth: haven.NewDate(1995, 6, 1)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreatePerson(ctx, audit.Event{}, s.pracA, programme.Person{PracticeID: s.practiceA, FirstName: "X", LastName: "Y"}); !errors.Is(err, haven.ErrInvalid) {
			t.Errorf("a practitioner created a person: %v", err)
		}
		if _, err := db.CreatePerson(ctx, audit.Event{}, s.leadA, programme.Person{PracticeID: s.practiceA, PractitionerID: s.pracB.User.ID, FirstName: "X", LastName: "Y"}); !errors.Is(err, haven.ErrInvalid) {
			t.Errorf("allocated to a practitioner in another Practice: %v", err)
		}
		tests := []struct {
			name       string
			actor      *access.Actor
			record     bool
			restricted bool
			found      bool
		}{
			{"lead", s.leadA, true, true, true},
			{"co-ordinator", s.coordA, true, false, true},
			{"allocated practitioner", s.pracA, true, true, true},
			{"other practitioner in the Practice", s.prac2A, false, false, true}, // may break the glass
			{"practitioner in another Practice", s.pracB, false, false, false},
			{"administrator", s.admin, false, false, false},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, acc, err := db.PersonFor(ctx, tt.actor, p.Ref)
				if !tt.found {
					if !errors.Is(err, haven.ErrNotFound) {
						t.Errorf("error = %v, want not found", err)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if acc.Record != tt.record || acc.Restricted != tt.restricted {
					t.Errorf("access = %+v", acc)
				}
				if !acc.Record && got.FirstName != "" {
					t.Error("someone who may only break the glass was given her details")
				}
				if got := listed(t, db, tt.actor, p.Ref); got != tt.record {
					t.Errorf("listed = %v, want %v", got, tt.record)
				}
			})
		}

		// Sharing shows the record but not the restricted sections.
		if err := db.Share(ctx, audit.Event{}, p, s.prac2A.User.ID, s.leadA.User.ID); err != nil {
			t.Fatal(err)
		}
		if _, acc, _ := db.PersonFor(ctx, s.prac2A, p.Ref); !acc.Record || acc.Restricted {
			t.Errorf("shared practitioner: %+v", acc)
		}
		if !listed(t, db, s.prac2A, p.Ref) {
			t.Error("the lists leave her out for the practitioner she is shared with")
		}
		// Break-glass opens everything, for a while, and is listed for the lead.
		if _, err := db.BreakGlass(ctx, audit.Event{UserID: s.coordA.User.ID}, p.ID, s.coordA.User.ID, "short"); !errors.Is(err, haven.ErrInvalid) {
			t.Errorf("break-glass with a too-short reason: %v", err)
		}
		if _, err := db.BreakGlass(ctx, audit.Event{UserID: s.coordA.User.ID}, p.ID, s.coordA.User.ID, "Safeguarding call out of hours"); err != nil {
			t.Fatal(err)
		}
		if _, acc, _ := db.PersonFor(ctx, s.coordA, p.Ref); !acc.Restricted {
			t.Errorf("after break-glass: %+v", acc)
		}
		uses, _ := db.BreakGlassUses(ctx, p.ID)
		if len(uses) != 1 || uses[0].Reason != "Safeguarding call out of hours" {
			t.Errorf("break-glass uses: %+v", uses)
		}
		// S19: a role taken away applies at once.
		if err := db.RemoveMembership(ctx, audit.Event{}, s.pracA.User.ID, store.Grant{Role: access.RolePractitioner, Tenant: store.Tenant{Kind: access.TenantPractice, ID: s.practiceA, Slug: "practice-a"}}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.PersonFor(ctx, s.pracA, p.Ref); !errors.Is(err, haven.ErrNotFound) {
			t.Errorf("after losing the role: %v, want not found", err)
		}
		if listed(t, db, s.pracA, p.Ref) {
			t.Error("the lists still show her after her practitioner lost the role")
		}
	})
}

// listed reports whether the people lists and searches show Robin Testcase,
// whose reference is ref, to actor. The full and the list-only queries must
// agree, since they share one visibility rule.
func listed(t *testing.T, db *store.DB, actor *access.Actor, ref string) bool {
	t.Helper()
	ctx := t.Context()
	full, err := db.PeopleFor(ctx, actor, store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	list, err := db.ListPeopleFor(ctx, actor, store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	found, err := db.SearchPeople(ctx, actor, "robin", store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	foundList, err := db.SearchListPeople(ctx, actor, "testcase", store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	var shown [4]bool
	for _, p := range full {
		shown[0] = shown[0] || p.Ref == ref
	}
	for _, p := range list {
		shown[1] = shown[1] || p.Ref == ref && p.Name() == "Robin Testcase"
	}
	for _, p := range found {
		shown[2] = shown[2] || p.Ref == ref
	}
	for _, p := range foundList {
		shown[3] = shown[3] || p.Ref == ref
	}
	if shown[1] != shown[0] || shown[2] != shown[0] || shown[3] != shown[0] {
		t.Fatalf("people, list, search and list search disagree: %v", shown)
	}
	return shown[0]
}
