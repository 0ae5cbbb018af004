package web_test

import (
	"crypto/rand"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/auth"
	"haven/internal/store"
	"haven/internal/web"
)

func init() {
	exportCases["GET /evaluation/outcomes.csv"] = outcomesExport("csv")
	exportCases["GET /evaluation/outcomes.xlsx"] = outcomesExport("xlsx")
}

// outcomesExport names a Practice with the planted formula, since the
// outcomes download carries every Practice's name, and downloads it as a
// national analyst with a fresh session.
func outcomesExport(format string) exportCase {
	return func(t *testing.T, db *store.DB) []byte {
		ctx := t.Context()
		sfx := strings.ToLower(rand.Text()[:10])
		org, err := db.CreateOrganisation(ctx, access.Organisation{Slug: "org-" + sfx, Name: "Outcomes case organisation"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreatePractice(ctx, access.Practice{OrganisationID: org.ID, Slug: "outcomes-" + sfx, Name: plantedFormula, LocalAuthorities: []string{"E08000035"}}); err != nil {
			t.Fatal(err)
		}
		u, err := db.CreateAccount(ctx, audit.Event{}, access.User{Email: "analyst-" + sfx + "@example.org", DisplayName: "Outcomes Analyst"},
			[]store.Grant{{Role: access.RoleNationalAnalyst, Tenant: store.Tenant{Kind: access.TenantNational, Slug: store.NationalSlug}}})
		if err != nil {
			t.Fatal(err)
		}
		session := rand.Text()
		if _, err := db.CreateSession(ctx, access.Session{UserID: u.ID, MFAPassed: true}, auth.HashToken(session)); err != nil {
			t.Fatal(err)
		}
		s, err := web.NewServer(web.Options{Store: db})
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(s)
		defer ts.Close()
		req, _ := http.NewRequest("GET", ts.URL+"/evaluation/outcomes."+format, nil)
		req.Header.Set("Cookie", "__Host-haven_session="+session)
		res := do(t, req)
		if res.status != 200 {
			t.Fatalf("download: %d\n%s", res.status, res.body)
		}
		return []byte(res.body)
	}
}
