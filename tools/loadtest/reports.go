package main

import (
	"context"
	"fmt"
	"time"

	"haven/internal/access"
	"haven/internal/haven"
	"haven/internal/store"
)

// handWritten computes the Practice overview's figures (caseloads, phases,
// triage counts and enrolments nearing their end) in the plainest SQL, as
// the yardstick for the store's report code.
var handWritten = []string{
	`SELECT engagement_weeks, programme_months, caseload_cap FROM practices WHERE id = $1`,
	`SELECT source, status, COUNT(*) FROM referrals WHERE practice_id = $1 GROUP BY source, status`,
	`SELECT m.user_id, COUNT(DISTINCT p.id) FROM memberships m
	   LEFT JOIN people p ON p.practitioner_id = m.user_id AND p.practice_id = $1
	     AND EXISTS (SELECT 1 FROM enrolments e WHERE e.person_id = p.id AND e.phase IN ('engaging', 'programme-started', 'active'))
	 WHERE m.practice_id = $1 AND m.role = 'practitioner' GROUP BY m.user_id`,
	`SELECT phase, COUNT(*) FROM enrolments WHERE practice_id = $1 GROUP BY phase`,
	`SELECT p.ref, e.started_on FROM enrolments e JOIN people p ON p.id = e.person_id
	 WHERE e.practice_id = $1 AND e.phase IN ('programme-started', 'active')`,
}

// reports times each Practice's overview report through the store and the
// same figures by hand-written SQL, on the national dataset.
func (r *report) reports(ctx context.Context, ds *dataset, quick bool) error {
	fmt.Fprintln(r.out, "\nPractice reports: store overview against hand-written SQL, median of 5 per Practice")
	db, err := store.Open(ctx, ds.url)
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := ds.direct.QueryContext(ctx, `SELECT id, slug FROM practices ORDER BY id`)
	if err != nil {
		return err
	}
	type practice struct {
		id   int64
		slug string
	}
	var ps []practice
	for rows.Next() {
		var p practice
		rows.Scan(&p.id, &p.slug)
		ps = append(ps, p)
	}
	rows.Close()
	if quick && len(ps) > 3 {
		ps = ps[:3]
	}
	now := time.Now()
	today := haven.NewDate(now.Year(), now.Month(), now.Day())
	var worst, worstHand time.Duration
	worstRatio := 0.0
	for _, p := range ps {
		var st, hw []time.Duration
		for range 5 {
			start := time.Now()
			if _, err := db.Overview(ctx, store.Tenant{Kind: access.TenantPractice, ID: p.id, Slug: p.slug}, today); err != nil {
				return err
			}
			st = append(st, time.Since(start))
			start = time.Now()
			for _, q := range handWritten {
				rows, err := ds.direct.QueryContext(ctx, q, p.id)
				if err != nil {
					return fmt.Errorf("hand-written SQL: %w", err)
				}
				for rows.Next() {
				}
				rows.Close()
			}
			hw = append(hw, time.Since(start))
		}
		s, h := median(st), median(hw)
		worst, worstHand = max(worst, s), max(worstHand, h)
		worstRatio = max(worstRatio, float64(s)/float64(h))
	}
	r.target("Practice overview report ≤ 200 ms (slowest Practice)", ms(worst), worst <= 200*time.Millisecond)
	r.target("Practice overview ÷ hand-written SQL ≤ 1.5 (worst)", fmt.Sprintf("%.2f (hand-written %s)", worstRatio, ms(worstHand)), worstRatio <= 1.5)
	return nil
}
