package store_test

import (
	"testing"

	"haven/internal/auth"
	"haven/internal/demo"
	"haven/internal/evaluate"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// The evaluation report over a county-sized slice of the national data set:
// every Practice's enrolments read (one row each), judged, counted and
// suppressed as one table, against the same figures in hand-written SQL (PERFORMANCE.md: the
// national report ≤ 1 s and ≤ 1.5× hand-written SQL). Compare the two
// sub-benchmarks' times in benchstat.
func BenchmarkEvaluationReport(b *testing.B) {
	storetest.ForEachB(b, func(b *testing.B, db *store.DB) {
		ctx := b.Context()
		if _, err := demo.LoadNational(ctx, db, demo.NationalOptions{Scale: countyScale(), Hasher: &auth.Hasher{Memory: 64, Time: 1}}); err != nil {
			b.Fatal(err)
		}
		practices, err := db.ListPractices(ctx, store.Page{Limit: 500})
		if err != nil {
			b.Fatal(err)
		}
		ids, names := make([]int64, len(practices)), make([]string, len(practices))
		for i, p := range practices {
			ids[i], names[i] = p.ID, p.Name
		}
		asOf := demo.NationalAsOf()
		b.Run("report=national", func(b *testing.B) {
			for b.Loop() {
				js, err := db.OutcomeJourneys(ctx, store.OutcomeQuery{Practices: ids})
				if err != nil {
					b.Fatal(err)
				}
				evaluate.BuildOutcomes(evaluate.GroupByPractice(js, ids, names), asOf)
			}
		})
		qs := storetest.OutcomesSQL(db.Dialect())
		b.Run("report=hand-written-sql", func(b *testing.B) {
			for b.Loop() {
				for i, q := range qs {
					rows, err := db.Read().QueryContext(ctx, q, asOf)
					if err != nil {
						b.Fatal(err)
					}
					n := 0
					for rows.Next() {
						n++
					}
					rows.Close()
					if n == 0 && i == 0 {
						b.Fatal("the hand-written SQL found no Practice")
					}
				}
			}
		})
	})
}
