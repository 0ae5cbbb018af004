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
	like := "%" + likeEscaper.Replace(term) + "%"
	rows, err := db.read.QueryContext(ctx, `SELECT `+personColumns+` FROM people p
		WHERE p.id IN `+candidates+` AND p.id > $3
		  AND (LOWER(p.first_name) LIKE CAST($5 AS TEXT) ESCAPE '\' OR LOWER(p.last_name) LIKE CAST($5 AS TEXT) ESCAPE '\'
		       OR LOWER(p.preferred_name) LIKE CAST($5 AS TEXT) ESCAPE '\'
		       OR LOWER(p.first_name || ' ' || p.last_name) LIKE CAST($5 AS TEXT) ESCAPE '\' OR p.ref = $6)
		  AND `+visibleTo+` ORDER BY p.id LIMIT $4`, actor.User.ID, db.now(), pg.After, pg.limit(), like, term)
	return collect(db, rows, err, func(r *sql.Rows) (programme.Person, error) { return scanPerson(r) })
}

// likeEscaper makes a search term match itself literally inside LIKE.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
