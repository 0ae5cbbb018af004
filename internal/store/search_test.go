package store_test

import (
	"slices"
	"testing"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/programme"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

func TestSearchPeopleFindsOnlyWhomTheActorMaySee(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s := seedStaff(t, db)
		add := func(practice int64, by *access.Actor, practitioner int64, first, last, preferred string) programme.Person {
			t.Helper()
			p, err := db.CreatePerson(ctx, audit.Event{}, by, programme.Person{PracticeID: practice, PractitionerID: practitioner,
				FirstName: first, LastName: last, PreferredName: preferred, DateOfBirth: haven.NewDate(1995, 6, 1)})
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		add(s.practiceA, s.leadA, s.pracA.User.ID, "Robin", "Testcase", "Bobbie")
		robina := add(s.practiceA, s.leadA, s.prac2A.User.ID, "Robina", "Sample", "")
		add(s.practiceA, s.leadA, 0, "Per%cent", "Under_score", "")

		names := func(ps []programme.Person) []string {
			var out []string
			for _, p := range ps {
				out = append(out, p.FirstName)
			}
			return out
		}
		for _, tc := range []struct {
			name  string
			actor *access.Actor
			term  string
			want  []string
		}{
			{"lead finds both by first name", s.leadA, "robin", []string{"Robin", "Robina"}},
			{"full name", s.leadA, "robin testcase", []string{"Robin"}},
			{"preferred name", s.leadA, "bobbie", []string{"Robin"}},
			{"last name part", s.leadA, "sampl", []string{"Robina"}},
			{"reference", s.leadA, robina.Ref, []string{"Robina"}},
			{"practitioner sees only her caseload", s.pracA, "robin", []string{"Robin"}},
			{"other Practice sees nobody", s.pracB, "robin", nil},
			{"percent is literal", s.leadA, "r%c", []string{"Per%cent"}},
			{"underscore is literal", s.leadA, "r_s", []string{"Per%cent"}},
			{"percent does not act as a wildcard", s.leadA, "ro%na", nil},
			{"no match", s.leadA, "zz", nil},
		} {
			got, err := db.SearchPeople(ctx, tc.actor, tc.term, store.Page{Limit: 10})
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if g := names(got); !slices.Equal(g, tc.want) {
				t.Errorf("%s: found %v, want %v", tc.name, g, tc.want)
			}
		}
		// Keyset paging carries on after the last row.
		first, err := db.SearchPeople(ctx, s.leadA, "r", store.Page{Limit: 1})
		if err != nil || len(first) != 1 {
			t.Fatalf("first page: %v %v", first, err)
		}
		next, err := db.SearchPeople(ctx, s.leadA, "r", store.Page{After: first[0].ID, Limit: 10})
		if err != nil || len(next) != 2 || slices.ContainsFunc(next, func(p programme.Person) bool { return p.ID == first[0].ID }) {
			t.Errorf("second page: %v %v", names(next), err)
		}
	})
}
