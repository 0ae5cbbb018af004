package demo_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"haven/internal/demo"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

func TestSeedIsDeterministicAndRefusesData(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		first, err := demo.Seed(t.Context(), db, demo.DefaultSeed)
		if err != nil {
			t.Fatal(err)
		}
		if len(first.Practices) != 3 {
			t.Errorf("seeded %d practices, want 3", len(first.Practices))
		}
		las := map[string]bool{}
		for _, p := range first.Practices {
			for _, c := range p.LocalAuthorities {
				las[c] = true
			}
		}
		if len(las) != 3 {
			t.Errorf("practices cover %d local authorities, want 3", len(las))
		}
		if len(first.Staff) == 0 {
			t.Error("no staff seeded")
		}
		for _, u := range first.Staff {
			if got := u.Email[len(u.Email)-len("@demo.haven.invalid"):]; got != "@demo.haven.invalid" {
				t.Errorf("demo email %q is not on the reserved .invalid domain", u.Email)
			}
		}
		if _, err := demo.Seed(t.Context(), db, demo.DefaultSeed); !errors.Is(err, demo.ErrHasData) {
			t.Errorf("second seed error = %v, want ErrHasData", err)
		}

		// The same seed on a fresh database gives the same people.
		again, err := demo.Seed(t.Context(), storetest.SQLite(t), demo.DefaultSeed)
		if err != nil {
			t.Fatal(err)
		}
		names := func(s demo.Summary) (out []string) {
			for _, u := range s.Staff {
				out = append(out, u.DisplayName+" "+u.Email)
			}
			return out
		}
		if diff := cmp.Diff(names(first), names(again)); diff != "" {
			t.Errorf("same seed gave different staff (-first +again):\n%s", diff)
		}
	})
}
