package web_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"haven/internal/access"
	"haven/internal/auth"
	"haven/internal/demo"
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
