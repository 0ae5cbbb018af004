package store_test

import (
	"testing"

	"haven/internal/access"
	"haven/internal/auth"
	"haven/internal/demo"
	"haven/internal/haven"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// Benchmarks on a county-sized slice of the national data set: a practitioner's
// lists must cost the size of her caseload, not of the database. Before lists
// started from the people she may see, the tasks page scanned every open goal
// in the country (docs/PERFORMANCE.md).

func countyScale() demo.Scale {
	return demo.Scale{Organisations: 3, Practices: 10, LocalAuthorities: 15, PractitionersPerPractice: 8,
		Women: 5000, Enrolments: 6000, Sessions: 60_000, Goals: 25_000, HeavyPerPractice: 1, TriagePerPractice: 5}
}

func BenchmarkPractitionerAtScale(b *testing.B) {
	storetest.ForEachB(b, func(b *testing.B, db *store.DB) {
		ctx := b.Context()
		res, err := demo.LoadNational(ctx, db, demo.NationalOptions{Scale: countyScale(), Hasher: &auth.Hasher{Memory: 64, Time: 1}})
		if err != nil {
			b.Fatal(err)
		}
		prac := res.Plan.Practitioners()[0]
		lead := res.Plan.Staff[0]
		for _, s := range res.Plan.Staff {
			if s.Role == access.RolePracticeLead {
				lead = s
				break
			}
		}
		actor, err := db.Actor(ctx, prac.UserID)
		if err != nil {
			b.Fatal(err)
		}
		today := demo.NationalAsOf()
		b.Run("list=caseload", func(b *testing.B) {
			for b.Loop() {
				if _, err := db.ListPeopleFor(ctx, actor, store.Page{Limit: 50}); err != nil {
					b.Fatal(err)
				}
			}
		})
		// Her women were loaded last, so have the highest IDs: on PostgreSQL,
		// the list's generic plan once walked every person before them.
		practitioners := res.Plan.Practitioners()
		lastActor, err := db.Actor(ctx, practitioners[len(practitioners)-1].UserID)
		if err != nil {
			b.Fatal(err)
		}
		b.Run("list=caseload-last", func(b *testing.B) {
			for b.Loop() {
				if _, err := db.ListPeopleFor(ctx, lastActor, store.Page{Limit: 50}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("list=tasks", func(b *testing.B) {
			for b.Loop() {
				if _, err := db.TasksFor(ctx, actor, today); err != nil {
					b.Fatal(err)
				}
			}
		})
		leadActor, err := db.Actor(ctx, lead.UserID)
		if err != nil {
			b.Fatal(err)
		}
		b.Run("list=tasks-lead", func(b *testing.B) {
			for b.Loop() {
				if _, err := db.TasksFor(ctx, leadActor, today); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("list=search", func(b *testing.B) {
			for b.Loop() {
				if _, err := db.SearchListPeople(ctx, actor, "ja", store.Page{Limit: 50}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("report=overview", func(b *testing.B) {
			t := store.Tenant{Kind: access.TenantPractice, ID: lead.PracticeID, Slug: lead.Practice}
			for b.Loop() {
				if _, err := db.Overview(ctx, t, haven.Date(today)); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}
