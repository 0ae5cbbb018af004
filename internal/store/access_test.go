package store_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"haven/internal/access"
	"haven/internal/haven"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

func seedOrg(t *testing.T, db *store.DB) access.Organisation {
	t.Helper()
	o, err := db.CreateOrganisation(t.Context(), access.Organisation{Slug: "fictional-trust", Name: "Fictional Trust"})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func TestLocalAuthoritiesMatchReferenceList(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		got, err := db.LocalAuthorities(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		want := access.LocalAuthorities()
		if len(want) != 153 {
			t.Fatalf("reference list has %d authorities, want 153", len(want))
		}
		sortByCode := cmpopts.SortSlices(func(a, b access.LocalAuthority) bool { return a.Code < b.Code })
		if diff := cmp.Diff(want, got, sortByCode); diff != "" {
			t.Errorf("local_authorities table differs from the embedded ONS list (-want +got):\n%s", diff)
		}
	})
}

func TestPracticeRoundTripAndVersioning(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		org := seedOrg(t, db)
		p, err := db.CreatePractice(ctx, access.Practice{OrganisationID: org.ID, Slug: "north-vale", Name: "North Vale Practice",
			LocalAuthorities: []string{"E06000001", "E06000002"}})
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.Practice(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(p, got, cmpopts.EquateApproxTime(0)); diff != "" {
			t.Errorf("Practice() differs from what was created (-created +read):\n%s", diff)
		}

		// Two editors start from version 1; the first wins, the second gets a conflict.
		first, second := got, got
		first.Name = "North Vale"
		second.Name = "Vale North"
		updated, err := db.UpdatePractice(ctx, first)
		if err != nil {
			t.Fatalf("first update: %v", err)
		}
		if updated.Version != 2 {
			t.Errorf("version after update = %d, want 2", updated.Version)
		}
		if _, err := db.UpdatePractice(ctx, second); !errors.Is(err, haven.ErrConflict) {
			t.Fatalf("stale update error = %v, want conflict", err)
		}
		now, _ := db.Practice(ctx, p.ID)
		if now.Name != "North Vale" || now.Version != 2 {
			t.Errorf("after stale update: name %q version %d, want the first editor's change at version 2", now.Name, now.Version)
		}

		missing := first
		missing.ID = 999999
		if _, err := db.UpdatePractice(ctx, missing); !errors.Is(err, haven.ErrNotFound) {
			t.Errorf("update of missing practice error = %v, want not found", err)
		}
		if _, err := db.Practice(ctx, 999999); !errors.Is(err, haven.ErrNotFound) {
			t.Errorf("read of missing practice error = %v, want not found", err)
		}
	})
}

func TestDriverErrorsBecomeKinds(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		org := seedOrg(t, db)
		tests := []struct {
			name string
			do   func() error
			want error
		}{
			{"duplicate slug is a conflict", func() error {
				_, err := db.CreateOrganisation(ctx, access.Organisation{Slug: org.Slug, Name: "Another"})
				return err
			}, haven.ErrConflict},
			{"unknown organisation is invalid", func() error {
				_, err := db.CreatePractice(ctx, access.Practice{OrganisationID: 424242, Slug: "orphan", Name: "Orphan", LocalAuthorities: []string{"E06000001"}})
				return err
			}, haven.ErrInvalid},
			{"unknown local authority code is invalid", func() error {
				_, err := db.CreatePractice(ctx, access.Practice{OrganisationID: org.ID, Slug: "nowhere", Name: "Nowhere", LocalAuthorities: []string{"E06999999"}})
				return err
			}, haven.ErrInvalid},
			{"duplicate email ignoring case is a conflict", func() error {
				if _, err := db.CreateUser(ctx, access.User{Email: "sam.example@example.org", DisplayName: "Sam Example"}); err != nil {
					return err
				}
				_, err := db.CreateUser(ctx, access.User{Email: "Sam.Example@EXAMPLE.org", DisplayName: "Sam Again"})
				return err
			}, haven.ErrConflict},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if err := tt.do(); !errors.Is(err, tt.want) {
					t.Errorf("error = %v, want %v", err, tt.want)
				}
			})
		}
		// The failed practice inserts left nothing behind.
		ps, err := db.ListPractices(ctx, store.Page{})
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != 0 {
			t.Errorf("failed inserts left %d practices", len(ps))
		}
	})
}

func TestListUsersPagesInOrder(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		var ids []int64
		for i := range 7 {
			u, err := db.CreateUser(ctx, access.User{Email: "user" + string(rune('a'+i)) + "@example.org", DisplayName: "Test User"})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, u.ID)
		}
		var got []int64
		pg := store.Page{Limit: 3}
		for {
			us, err := db.ListUsers(ctx, pg)
			if err != nil {
				t.Fatal(err)
			}
			if len(us) == 0 {
				break
			}
			if len(us) > 3 {
				t.Fatalf("page of %d, want at most 3", len(us))
			}
			for _, u := range us {
				got = append(got, u.ID)
			}
			pg.After = us[len(us)-1].ID
		}
		if diff := cmp.Diff(ids, got); diff != "" {
			t.Errorf("paged IDs differ (-want +got):\n%s", diff)
		}

		u, _ := db.User(ctx, ids[0])
		stale := u
		u.DisplayName = "Renamed"
		if _, err := db.UpdateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		stale.DisplayName = "Overwrite"
		if _, err := db.UpdateUser(ctx, stale); !errors.Is(err, haven.ErrConflict) {
			t.Errorf("stale user update error = %v, want conflict", err)
		}
	})
}

// A local authority's team is read back with its area's code, which decides
// whose figures its manager reads; a team that does not exist is not found.
func TestLATeamReadBack(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		made, err := db.CreateLATeam(t.Context(), access.LATeam{Slug: "fictional-team", Name: "Fictional Team", LACode: "E08000035"})
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.LATeam(t.Context(), made.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(made, got); diff != "" {
			t.Errorf("LATeam (-made +read):\n%s", diff)
		}
		if _, err := db.LATeam(t.Context(), made.ID+99); !errors.Is(err, haven.ErrNotFound) {
			t.Errorf("a missing team: %v, want not found", err)
		}
	})
}
