package store_test

import (
	"fmt"
	"testing"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/auth"
	"haven/internal/demo"
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

// benchDemo is the demo data set with one practitioner signed in.
func benchDemo(b *testing.B, db *store.DB) (*access.Actor, []int64) {
	b.Helper()
	sum, err := demo.Seed(b.Context(), db, demo.Options{Hasher: &auth.Hasher{Memory: 64, Time: 1}})
	if err != nil {
		b.Fatal(err)
	}
	var actor *access.Actor
	var practices []int64
	for _, a := range sum.Accounts {
		if a.Role == access.RolePractitioner && actor == nil {
			if actor, err = db.Actor(b.Context(), a.UserID); err != nil {
				b.Fatal(err)
			}
		}
	}
	for _, p := range sum.Practices {
		practices = append(practices, p.ID)
	}
	return actor, practices
}

// BenchmarkSearchPeople searches for a different term each time, as people
// do. SQLite once prepared the statement again for every new term.
func BenchmarkSearchPeople(b *testing.B) {
	storetest.ForEachB(b, func(b *testing.B, db *store.DB) {
		actor, _ := benchDemo(b, db)
		terms := []string{"ab", "ch", "el", "ja", "mo", "ra"}
		i := 0
		for b.Loop() {
			if _, err := db.SearchPeople(b.Context(), actor, terms[i%len(terms)], store.Page{}); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

// BenchmarkPractitioners lists each Practice's practitioners in turn, as
// the caseload and record pages of different users do.
func BenchmarkPractitioners(b *testing.B) {
	storetest.ForEachB(b, func(b *testing.B, db *store.DB) {
		_, practices := benchDemo(b, db)
		i := 0
		for b.Loop() {
			if _, err := db.Practitioners(b.Context(), practices[i%len(practices)]); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}
