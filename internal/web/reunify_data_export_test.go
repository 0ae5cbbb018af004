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
	"haven/internal/haven"
	"haven/internal/reunify"
	"haven/internal/store"
	"haven/internal/web"
)

// The LA team's downloads carry no free text: the episodes file holds codes,
// dates and the child's ID, which is letters, digits and hyphens only, so
// the planted formula cannot be stored in it; a child ID beginning with a
// hyphen (a formula sign) comes out with the quote in front. The dashboard's
// download is counts.
func init() {
	for _, p := range []string{"GET /la/episodes.csv", "GET /api/v1/la/episodes.csv", "GET /la/dashboard.csv"} {
		exportCases[p] = laExport(strings.TrimPrefix(p, "GET "))
		exportsWithoutText[p] = true
	}
}

func laExport(path string) exportCase {
	return func(t *testing.T, db *store.DB) []byte {
		ctx := t.Context()
		sfx := strings.ToLower(rand.Text()[:10])
		team, err := db.CreateLATeam(ctx, access.LATeam{Slug: "la-" + sfx, Name: "Export case team", LACode: "E08000035"})
		if err != nil {
			t.Fatal(err)
		}
		today := haven.NewDate(2026, 12, 7)
		if _, err := db.CreateLAChild(ctx, audit.Event{}, reunify.Child{Team: team.ID, Ref: plantedFormula, FirstName: plantedFormula, BornOn: haven.NewDate(2018, 1, 1)}, 0, today); err == nil {
			t.Fatal("a formula was accepted as a child's ID")
		}
		c, err := db.CreateLAChild(ctx, audit.Event{}, reunify.Child{Team: team.ID, Ref: "-" + sfx[:6], FirstName: plantedFormula, BornOn: haven.NewDate(2018, 1, 1)}, 0, today)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.AddLAEpisode(ctx, audit.Event{}, reunify.Episode{Child: c.ID, StartsOn: haven.NewDate(2024, 1, 1), RNE: "S", LegalStatus: "C2", Placement: "U1"}, 0, today); err != nil {
			t.Fatal(err)
		}
		u, err := db.CreateAccount(ctx, audit.Event{}, access.User{Email: "la-" + sfx + "@example.org", DisplayName: "Export Worker"},
			[]store.Grant{{Role: access.RoleLAManager, Tenant: store.Tenant{Kind: access.TenantLocalAuthority, ID: team.ID, Slug: team.Slug}}})
		if err != nil {
			t.Fatal(err)
		}
		s, err := web.NewServer(web.Options{Store: db})
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(s)
		defer ts.Close()
		req, _ := http.NewRequest("GET", ts.URL+path, nil)
		if strings.HasPrefix(path, "/api/") {
			token := "haven_" + strings.ToLower(rand.Text())
			if _, err := db.CreateAPIToken(ctx, audit.Event{}, u.ID, "Export case", auth.HashToken(token), today.Time().AddDate(0, 0, 30)); err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer "+token)
		} else {
			session := rand.Text()
			if _, err := db.CreateSession(ctx, access.Session{UserID: u.ID, MFAPassed: true}, auth.HashToken(session)); err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Cookie", "__Host-haven_session="+session)
		}
		res := do(t, req)
		if res.status != 200 {
			t.Fatalf("download: %d\n%s", res.status, res.body)
		}
		if strings.HasSuffix(path, "episodes.csv") && !strings.Contains(res.body, "'-"+sfx[:6]) {
			t.Errorf("the child ID with a formula sign is not neutralised:\n%s", res.body)
		}
		return []byte(res.body)
	}
}
