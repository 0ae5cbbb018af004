// Package demo generates Haven's synthetic demo data. Everything it makes is
// fictional and deterministic from a seed: the same seed gives the same data.
package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"

	"haven/internal/access"
	"haven/internal/store"
)

// DefaultSeed is what `haven serve --demo` uses.
const DefaultSeed = 20261122

// ErrHasData means the database already holds data, which demo data must never join.
var ErrHasData = errors.New("demo: the database already holds data; demo data is only seeded into an empty database")

// Summary says what was seeded.
type Summary struct {
	Organisation access.Organisation
	Practices    []access.Practice
	Staff        []access.User
}

// Fictional names, chosen to read as made up. Emails use the reserved .invalid
// domain so that no message can ever reach a real person.
var (
	firstNames = []string{"Ada", "Bryn", "Cass", "Dara", "Eden", "Fenn", "Gale", "Hollis", "Ivo", "Jude", "Kit", "Lark", "Merle", "Nell", "Orla", "Pip", "Quinn", "Roz", "Sol", "Tamsin"}
	lastNames  = []string{"Ashdown", "Brackenridge", "Cinderford", "Dunmere", "Elderwick", "Fallowfield", "Greymoor", "Hartwell", "Ivybridge", "Juniper", "Kestrel", "Larkspur", "Marchbank", "Nettlefold", "Oakhaven", "Pennyroyal", "Quillfeather", "Rookwood", "Sorrel", "Thistlewood"}
	jobTitles  = []string{"Practitioner", "Practitioner", "Practitioner", "Practice lead", "Practice co-ordinator"}
)

// practices are three fictional Practices, each in a real local authority area.
var practices = []struct{ slug, name, la string }{
	{"demo-riverside", "Riverside Practice (demo)", "E08000035"}, // Leeds
	{"demo-hillcrest", "Hillcrest Practice (demo)", "E10000016"}, // Kent
	{"demo-harbour", "Harbour Practice (demo)", "E06000044"},     // Portsmouth
}

// Seed fills an empty database with the demo organisation, its Practices and staff.
func Seed(ctx context.Context, db *store.DB, seed uint64) (Summary, error) {
	var sum Summary
	has, err := db.HasData(ctx)
	if err != nil {
		return sum, err
	}
	if has {
		return sum, ErrHasData
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	org, err := db.CreateOrganisation(ctx, access.Organisation{Slug: "demo-family-futures", Name: "Family Futures Trust (demo)"})
	if err != nil {
		return sum, fmt.Errorf("demo organisation: %w", err)
	}
	sum.Organisation = org
	used := map[string]bool{}
	for _, pd := range practices {
		p, err := db.CreatePractice(ctx, access.Practice{OrganisationID: org.ID, Slug: pd.slug, Name: pd.name, LocalAuthorities: []string{pd.la}})
		if err != nil {
			return sum, fmt.Errorf("demo practice: %w", err)
		}
		sum.Practices = append(sum.Practices, p)
		for _, title := range jobTitles {
			u := access.User{DisplayName: uniqueName(rng, used)}
			u.Email = strings.ToLower(strings.ReplaceAll(u.DisplayName, " ", ".")) + "@demo.haven.invalid"
			if u, err = db.CreateUser(ctx, u); err != nil {
				return sum, fmt.Errorf("demo user: %w", err)
			}
			if err := db.AddStaff(ctx, p.ID, u.ID, title); err != nil {
				return sum, fmt.Errorf("demo staff: %w", err)
			}
			sum.Staff = append(sum.Staff, u)
		}
	}
	return sum, nil
}

func uniqueName(rng *rand.Rand, used map[string]bool) string {
	for {
		n := firstNames[rng.IntN(len(firstNames))] + " " + lastNames[rng.IntN(len(lastNames))]
		if !used[n] {
			used[n] = true
			return n
		}
	}
}
