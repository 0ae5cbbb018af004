package demo_test

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"haven/internal/access"
	"haven/internal/auth"
	"haven/internal/calculator"
	"haven/internal/demo"
	"haven/internal/evaluate"
	"haven/internal/haven"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// cheap keeps argon2id fast in tests; the parameters travel in the hash.
var cheap = demo.Options{Hasher: &auth.Hasher{Memory: 64, Time: 1}}

func TestSeedIsDeterministicAndRefusesData(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		first, err := demo.Seed(t.Context(), db, cheap)
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
		roles := map[access.Role]bool{}
		for _, a := range first.Accounts {
			roles[a.Role] = true
			if !strings.HasSuffix(a.Email, "@demo.haven.invalid") {
				t.Errorf("demo email %q is not on the reserved .invalid domain", a.Email)
			}
			line := a.Line()
			want := "demo account: role=" + string(a.Role) + " tenant=" + a.Tenant + " email=" + a.Email + " password=" + a.Password + " totp-secret=" + a.TOTPSecret + " api-token=" + a.APIToken
			if line != want || strings.Contains(a.Tenant, " ") || a.TOTPSecret == "" || a.APIToken == "" {
				t.Errorf("demo line %q is not in the agreed form", line)
			}
			acct, err := db.AccountByEmail(t.Context(), a.Email)
			if err != nil {
				t.Fatal(err)
			}
			if ok, _ := auth.CheckPassword(acct.PasswordHash, a.Password); !ok || !acct.MFAEnrolled || acct.TOTPSecret != a.TOTPSecret {
				t.Errorf("demo account %s cannot sign in with its printed details", a.Email)
			}
			if auth.PasswordProblem(a.Password) != "" {
				t.Errorf("demo password %q breaks Haven's own password rules", a.Password)
			}
		}
		for _, r := range access.Roles() {
			if !roles[r] {
				t.Errorf("no demo account for role %s", r)
			}
		}
		if _, err := demo.Seed(t.Context(), db, cheap); !errors.Is(err, demo.ErrHasData) {
			t.Errorf("second seed error = %v, want ErrHasData", err)
		}

		// The same seed on a fresh database gives the same people.
		again, err := demo.Seed(t.Context(), storetest.SQLite(t), cheap)
		if err != nil {
			t.Fatal(err)
		}
		names := func(s demo.Summary) (out []string) {
			for _, a := range s.Accounts {
				out = append(out, a.Line())
			}
			return out
		}
		if diff := cmp.Diff(names(first), names(again)); diff != "" {
			t.Errorf("same seed gave different staff (-first +again):\n%s", diff)
		}
	})
}

// Issue 17: the small demo's recurrence is meaningful. Most women have no
// next proceedings after their index by the demo date, some do; and each
// early exit has a category from the list.
func TestDemoRecurrenceIsAMix(t *testing.T) {
	db := storetest.SQLite(t)
	sum, err := demo.Seed(t.Context(), db, cheap)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, p := range sum.Practices {
		ids = append(ids, p.ID)
	}
	js, err := db.Journeys(t.Context(), ids)
	if err != nil {
		t.Fatal(err)
	}
	events, censored, early := 0, 0, 0
	now := time.Now()
	today := haven.NewDate(now.Year(), now.Month(), now.Day())
	for _, j := range js {
		if o, ok := j.Recurrence(today); ok {
			if o.Event {
				events++
			} else {
				censored++
			}
		}
		if j.Ended == evaluate.EndedEarly {
			early++
			if !j.ExitCategory.Choosable() {
				t.Errorf("an early exit with category %q", j.ExitCategory)
			}
		}
	}
	if events == 0 || censored <= events {
		t.Errorf("%d women with next proceedings, %d without: want some, and most without", events, censored)
	}
	if early == 0 {
		t.Error("no demo woman ended early")
	}
}

// The demo LA team has two saved calculator scenarios, each of which the
// calculator reads back without a problem.
func TestDemoCalculatorScenarios(t *testing.T) {
	db := storetest.SQLite(t)
	sum, err := demo.Seed(t.Context(), db, demo.Options{Hasher: &auth.Hasher{Memory: 64, Time: 1}})
	if err != nil {
		t.Fatal(err)
	}
	scs, err := db.CalculatorScenarios(t.Context(), sum.LATeam.ID, "")
	if err != nil || len(scs) != 2 {
		t.Fatalf("%+v, %v", scs, err)
	}
	for _, sc := range scs {
		q, err := url.ParseQuery(sc.Query)
		if err != nil {
			t.Fatal(err)
		}
		var problems calculator.Problems
		if sc.Calculator == "return-home" {
			_, problems = calculator.ParseReturnHome(q)
		} else {
			var in calculator.InfantCare
			in, problems = calculator.ParseInfantCareAPI(q)
			if !in.Given {
				t.Errorf("%s has no costs", sc.Name)
			}
		}
		if len(problems) > 0 || sc.SavedName == "" {
			t.Errorf("%s: %v, saved by %q", sc.Name, problems, sc.SavedName)
		}
	}
}
