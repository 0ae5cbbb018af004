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
				list, err := db.PeopleFor(ctx, tt.actor, store.Page{})
				if err != nil {
					t.Fatal(err)
				}
				if (len(list) == 1) != tt.record {
					t.Errorf("list has %d people, want visible=%v", len(list), tt.record)
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
	})
}

func TestPersonEditsAreVersioned(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s := seedStaff(t, db)
		p, err := db.CreatePerson(ctx, audit.Event{}, s.leadA, programme.Person{PracticeID: s.practiceA, FirstName: "Robin", LastName: "Testcase"})
		if err != nil {
			t.Fatal(err)
		}
		a, b := p, p
		a.PreferredName, b.PreferredName = "Rob", "Bin"
		if _, err := db.UpdatePerson(ctx, audit.Event{}, a); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UpdatePerson(ctx, audit.Event{}, b); !errors.Is(err, haven.ErrConflict) {
			t.Errorf("stale edit: %v, want conflict", err)
		}
		got, _, _ := db.PersonFor(ctx, s.leadA, p.Ref)
		if got.PreferredName != "Rob" || got.Version != 2 {
			t.Errorf("after the stale edit: %q v%d", got.PreferredName, got.Version)
		}
		if err := db.SaveRestricted(ctx, audit.Event{}, p.ID, programme.SectionCriminalRecords, "first", 0, s.leadA.User.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveRestricted(ctx, audit.Event{}, p.ID, programme.SectionCriminalRecords, "second", 0, s.leadA.User.ID); !errors.Is(err, haven.ErrConflict) {
			t.Errorf("second 'new' restricted section: %v, want conflict", err)
		}
		if err := db.SaveRestricted(ctx, audit.Event{}, p.ID, programme.SectionCriminalRecords, "edited", 1, s.leadA.User.ID); err != nil {
			t.Fatal(err)
		}
		notes, _ := db.RestrictedNotes(ctx, p.ID)
		if n := notes[programme.SectionCriminalRecords]; n.Body != "edited" || n.Version != 2 {
			t.Errorf("restricted note: %+v", n)
		}
		// Every change above is in the audit trail.
		log, _ := db.AccessLog(ctx, p.ID, store.Page{})
		if len(log) != 4 {
			t.Errorf("%d audit rows for the person, want 4 (create, update, two restricted saves)", len(log))
		}
	})
}
