package storetest

import (
	"strconv"
	"strings"
)

// OutcomesSQL is the programme outcome metrics and completion counts for
// every Practice in the plainest SQL the dialect allows: the yardstick that
// `make bench` and the load test time the evaluation report against. It
// takes the extract date as $1. The report also works out medians and
// suppresses small numbers, which plain SQL cannot do briefly, so this is a
// lower bound.
func OutcomesSQL(dialect string) string {
	add := func(col string, months int) string {
		if dialect == "postgres" {
			return "(" + col + " + INTERVAL '" + strconv.Itoa(months) + " months')::date"
		}
		return "date(" + col + ", '+" + strconv.Itoa(months) + " months')"
	}
	notMet1 := `(EXISTS (SELECT 1 FROM pregnancies g WHERE g.person_id = e.person_id AND g.known_on >= e.engaged_on AND g.known_on <= ` + add("e.engaged_on", 18) + ` AND g.known_on <= $1)
		OR (e.ended_on IS NOT NULL AND e.ended_on < ` + add("e.engaged_on", 12) + ` AND e.ended_on <= $1))`
	notMet2 := `EXISTS (SELECT 1 FROM proceedings c WHERE c.person_id = e.person_id AND c.issued_on > e.engaged_on AND c.issued_on <= ` + add("e.engaged_on", 36) + ` AND c.issued_on <= $1)`
	q := `SELECT e.practice_id,
		SUM(CASE WHEN e.engaged_on IS NULL THEN 1 ELSE 0 END),
		SUM(CASE WHEN e.engaged_on IS NOT NULL AND NOT1 THEN 1 ELSE 0 END),
		SUM(CASE WHEN e.engaged_on IS NOT NULL AND NOT NOT1 AND ` + add("e.engaged_on", 18) + ` > $1 THEN 1 ELSE 0 END),
		SUM(CASE WHEN e.engaged_on IS NOT NULL AND NOT2 THEN 1 ELSE 0 END),
		SUM(CASE WHEN e.engaged_on IS NOT NULL AND NOT NOT2 AND ` + add("e.engaged_on", 36) + ` > $1 THEN 1 ELSE 0 END),
		SUM(CASE WHEN e.phase IN ('completed', 'follow-on') THEN 1 ELSE 0 END),
		SUM(CASE WHEN e.phase = 'ended-early' THEN 1 ELSE 0 END),
		COUNT(*)
	FROM enrolments e GROUP BY e.practice_id`
	return strings.NewReplacer("NOT1", notMet1, "NOT2", notMet2).Replace(q)
}
