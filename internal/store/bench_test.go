package store_test

import (
	"fmt"
	"testing"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// Store benchmarks, run by `make bench` on both databases.

func BenchmarkInsertUser(b *testing.B) {
	storetest.ForEachB(b, func(b *testing.B, db *store.DB) {
		i := 0
		for b.Loop() {
			i++
			if _, err := db.CreateUser(b.Context(), access.User{Email: fmt.Sprintf("bench%d@example.org", i), DisplayName: "Bench User"}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func seedUsers(b *testing.B, db *store.DB, n int) []int64 {
	b.Helper()
	ids := make([]int64, 0, n)
	for i := range n {
		u, err := db.CreateUser(b.Context(), access.User{Email: fmt.Sprintf("seed%d@example.org", i), DisplayName: "Seed User"})
		if err != nil {
			b.Fatal(err)
		}
		ids = append(ids, u.ID)
	}
	return ids
}

func BenchmarkPointRead(b *testing.B) {
	storetest.ForEachB(b, func(b *testing.B, db *store.DB) {
		ids := seedUsers(b, db, 1000)
		i := 0
		for b.Loop() {
			if _, err := db.User(b.Context(), ids[i%len(ids)]); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

func BenchmarkPagedList(b *testing.B) {
	storetest.ForEachB(b, func(b *testing.B, db *store.DB) {
		ids := seedUsers(b, db, 1000)
		i := 0
		for b.Loop() {
			after := ids[(i*50)%900]
			us, err := db.ListUsers(b.Context(), store.Page{After: after, Limit: 50})
			if err != nil || len(us) != 50 {
				b.Fatalf("page: %d rows, %v", len(us), err)
			}
			i++
		}
	})
}

// BenchmarkAuditParallel is many simultaneous audited views: group commit
// lets them share one fsync per batch rather than paying one each.
func BenchmarkAuditParallel(b *testing.B) {
	storetest.ForEachB(b, func(b *testing.B, db *store.DB) {
		b.SetParallelism(16)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := db.Audit(b.Context(), audit.Event{Role: "practitioner", Action: audit.View, RecordType: "person", RecordID: "1"}); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}
