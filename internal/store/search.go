package store

import (
	"context"
	"database/sql"
	"strings"

	"haven/internal/access"
	"haven/internal/programme"
)

// SearchPeople finds people the actor may see whose name contains term, or
// whose reference is term. term comes from programme.SearchTerm. Candidates
// come first, so a search costs the size of her caseload or Practice, not of
// the country. The pattern is CAST so that SQLite does not prepare the
// statement again for every new pattern (it would, for a LIKE optimisation
// that cannot apply to LOWER(...)).
func (db *DB) SearchPeople(ctx context.Context, actor *access.Actor, term string, pg Page) ([]programme.Person, error) {
	ref, referral := searchRefs(term)
	rows, err := db.read.QueryContext(ctx, db.visiblePeople(personColumns, nameMatches), actor.User.ID, db.now(), pg.After, pg.limit(), searchPattern(term), ref, referral)
	return collect(db, rows, err, func(r *sql.Rows) (programme.Person, error) { return scanPerson(r) })
}

// SearchListPeople is SearchPeople with only what a list shows of each.
func (db *DB) SearchListPeople(ctx context.Context, actor *access.Actor, term string, pg Page) ([]programme.Listed, error) {
	ref, referral := searchRefs(term)
	rows, err := db.read.QueryContext(ctx, db.visiblePeople(listedColumns, nameMatches), actor.User.ID, db.now(), pg.After, pg.limit(), searchPattern(term), ref, referral)
	return collect(db, rows, err, scanListed)
}

// nameMatches holds when her name contains pattern $5, her reference is $6,
// or she was referred under the referral reference $7, the one she was told
// to quote.
const nameMatches = `
	AND (LOWER(p.first_name) LIKE CAST($5 AS TEXT) ESCAPE '\' OR LOWER(p.last_name) LIKE CAST($5 AS TEXT) ESCAPE '\'
	     OR LOWER(p.preferred_name) LIKE CAST($5 AS TEXT) ESCAPE '\'
	     OR LOWER(p.first_name || ' ' || p.last_name) LIKE CAST($5 AS TEXT) ESCAPE '\' OR p.ref = CAST($6 AS TEXT)
	     OR EXISTS (SELECT 1 FROM referrals rr WHERE rr.person_id = p.id AND rr.ref = CAST($7 AS TEXT)))`

// searchRefs reads a search term as her Haven reference, however it was
// typed, and as a referral reference; a term that is neither matches no
// reference.
func searchRefs(term string) (ref, referral string) {
	ref, _ = programme.ParseRef(term)
	if r := strings.ToUpper(strings.ReplaceAll(term, " ", "")); programme.ValidReferralRef(r) {
		referral = r
	}
	return ref, referral
}

func searchPattern(term string) string { return "%" + likeEscaper.Replace(term) + "%" }

// likeEscaper makes a search term match itself literally inside LIKE.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
