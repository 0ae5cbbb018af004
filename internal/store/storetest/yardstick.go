package storetest

import (
	"strconv"
	"strings"
)

// OutcomesSQL is the programme outcome report's figures for every Practice
// in the plainest SQL the dialect allows: the yardstick that `make bench`
// and the load test time the evaluation report against. Each statement
// takes the extract date as $1: the metrics and completion counts, the
// median days in each phase, and the start and exit facts, each for every
// Practice and for all together. The report also suppresses small numbers,
// which plain SQL cannot do briefly.
func OutcomesSQL(dialect string) []string {
	// Each names $1, so that PostgreSQL knows its type where a statement
	// has no use for it.
	named := "$1 IS NOT NULL"
	if dialect == "postgres" {
		named = "CAST($1 AS DATE) IS NOT NULL"
	}
	return []string{outcomeCountsSQL(dialect), phaseMediansSQL(dialect, named), factsSQL(named)}
}

func outcomeCountsSQL(dialect string) string {
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

// phaseMediansSQL is the middle one or two lengths of each phase, for each
// Practice (and all, as Practice 0).
func phaseMediansSQL(dialect, named string) string {
	days := func(a, b string) string {
		if dialect == "postgres" {
			return "(" + b + " - " + a + ")"
		}
		return "CAST(julianday(" + b + ") - julianday(" + a + ") AS INTEGER)"
	}
	return `WITH l AS (
		SELECT practice_id, 0 AS phase, ` + days("referred_on", "engaged_on") + ` AS days FROM enrolments WHERE engaged_on >= referred_on
		UNION ALL SELECT practice_id, 1, ` + days("engaged_on", "started_on") + ` FROM enrolments WHERE started_on >= engaged_on
		UNION ALL SELECT practice_id, 2, ` + days("started_on", "ended_on") + ` FROM enrolments WHERE ended_on >= started_on AND ` + named + `),
	b AS (SELECT practice_id, phase, days FROM l UNION ALL SELECT 0, phase, days FROM l),
	r AS (SELECT practice_id, phase, days, ROW_NUMBER() OVER (PARTITION BY practice_id, phase ORDER BY days) AS rn,
		COUNT(*) OVER (PARTITION BY practice_id, phase) AS n FROM b)
	SELECT practice_id, phase, n, AVG(days) FROM r WHERE rn IN ((n + 1) / 2, n / 2 + 1) GROUP BY practice_id, phase, n`
}

// factsSQL counts, for each Practice's women (and all women, as Practice
// 0), those with a known answer at baseline and exit, and the yeses.
func factsSQL(named string) string {
	var sums []string
	for _, c := range []string{"stable_housing", "paid_work", "child_contact"} {
		both := "s." + c + " IN ('yes', 'no') AND x." + c + " IN ('yes', 'no')"
		sums = append(sums, "SUM(CASE WHEN "+both+" THEN 1 ELSE 0 END)", "SUM(CASE WHEN "+both+" AND s."+c+" = 'yes' THEN 1 ELSE 0 END)",
			"SUM(CASE WHEN "+both+" AND x."+c+" = 'yes' THEN 1 ELSE 0 END)")
	}
	return `WITH w AS (SELECT DISTINCT practice_id, person_id FROM enrolments WHERE ` + named + `),
	b AS (SELECT practice_id, person_id FROM w UNION SELECT 0, person_id FROM w)
	SELECT b.practice_id, ` + strings.Join(sums, ", ") + `
	FROM b JOIN need_points s ON s.person_id = b.person_id AND s.point = 'baseline'
		JOIN need_points x ON x.person_id = b.person_id AND x.point = 'exit'
	GROUP BY b.practice_id`
}
