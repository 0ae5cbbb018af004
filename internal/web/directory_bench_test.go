package web_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"haven/internal/store"
	"haven/internal/store/storetest"
)

// BenchmarkOpenReferralServices is the Open Referral feed's busiest call
// over the demo directory (50 services and the 3 Practices), signed out, as
// a page of everything and as a search from a postcode; the loadtest figure
// on the national data set is a later item (issue 20).
func BenchmarkOpenReferralServices(b *testing.B) {
	for _, bc := range []struct{ name, path string }{
		{"page", "/openreferral/services?per_page=50"},
		{"postcode", "/openreferral/services?postcode=LS6+2AB&proximity=80000"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			storetest.ForEachB(b, func(b *testing.B, db *store.DB) {
				s, _, _ := benchServer(b, db)
				for b.Loop() {
					rec := httptest.NewRecorder()
					s.ServeHTTP(rec, httptest.NewRequest("GET", bc.path, nil))
					if rec.Code != http.StatusOK {
						b.Fatalf("GET %s: %d", bc.path, rec.Code)
					}
				}
			})
		})
	}
}
