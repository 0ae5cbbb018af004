package web_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/auth"
	"haven/internal/demo"
	"haven/internal/haven"
	"haven/internal/programme"
	"haven/internal/store"
	"haven/internal/store/storetest"
	"haven/internal/web"
)

// benchServer is Haven over the demo data with a signed-in practitioner's
// cookie, served in-process so the benchmark measures Haven, not the network.
func benchServer(b *testing.B, db *store.DB) (*web.Server, *http.Cookie, demo.Summary) {
	b.Helper()
	sum, err := demo.Seed(b.Context(), db, demo.Options{Hasher: &auth.Hasher{Memory: 64, Time: 1}})
	if err != nil {
		b.Fatal(err)
	}
	var prac demo.Account
	for _, a := range sum.Accounts {
		if a.Role == access.RolePractitioner && a.Tenant == "demo-riverside" {
			prac = a
		}
	}
	token := auth.NewToken()
	if _, err := db.CreateSession(b.Context(), access.Session{UserID: prac.UserID, MFAPassed: true}, auth.HashToken(token)); err != nil {
		b.Fatal(err)
	}
	s, err := web.NewServer(web.Options{Store: db})
	if err != nil {
		b.Fatal(err)
	}
	return s, &http.Cookie{Name: "__Host-haven_session", Value: token}, sum
}

func benchGet(b *testing.B, s *web.Server, c *http.Cookie, path string) {
	b.Helper()
	for b.Loop() {
		req := httptest.NewRequest("GET", path, nil)
		req.AddCookie(c)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s: %d", path, rec.Code)
		}
	}
}

// BenchmarkCaseloadPage is a practitioner's list of the women they work with.
func BenchmarkCaseloadPage(b *testing.B) {
	storetest.ForEachB(b, func(b *testing.B, db *store.DB) {
		s, c, _ := benchServer(b, db)
		benchGet(b, s, c, "/people")
	})
}

// BenchmarkTasksPage is a practitioner's dashboard of what is due.
func BenchmarkTasksPage(b *testing.B) {
	storetest.ForEachB(b, func(b *testing.B, db *store.DB) {
		s, c, _ := benchServer(b, db)
		benchGet(b, s, c, "/tasks")
	})
}

// BenchmarkPersonWith200Sessions is a woman's sessions page once her record
// holds 200 sessions: the page a practitioner opens before a visit.
func BenchmarkPersonWith200Sessions(b *testing.B) {
	storetest.ForEachB(b, func(b *testing.B, db *store.DB) {
		s, c, sum := benchServer(b, db)
		var prac demo.Account
		for _, a := range sum.Accounts {
			if a.Role == access.RolePractitioner && a.Tenant == "demo-riverside" {
				prac = a
			}
		}
		actor, err := db.Actor(b.Context(), prac.UserID)
		if err != nil {
			b.Fatal(err)
		}
		people, err := db.PeopleFor(b.Context(), actor, store.Page{})
		if err != nil || len(people) == 0 {
			b.Fatalf("no people for the practitioner: %v", err)
		}
		p := people[0]
		today := haven.NewDate(2026, 11, 23)
		for i := range 200 {
			sess := programme.Session{PersonID: p.ID, On: haven.NewDate(2025, time.Month(1+i%12), 1+i%28), Type: programme.SessionHomeVisit, Minutes: 60,
				InitiatedBy: programme.InitiatedByPractitioner, Note: fmt.Sprintf("Fictional note %d: she talked about her week and her plans.", i), CreatedBy: prac.UserID}
			if _, err := db.RecordSession(b.Context(), audit.Event{}, sess, today, false); err != nil {
				b.Fatal(err)
			}
		}
		b.Run("page=person", func(b *testing.B) { benchGet(b, s, c, "/people/"+p.Ref) })
		b.Run("page=sessions", func(b *testing.B) { benchGet(b, s, c, "/people/"+p.Ref+"/sessions") })
		b.Run("page=chronology", func(b *testing.B) { benchGet(b, s, c, "/people/"+p.Ref+"/chronology") })
	})
}
