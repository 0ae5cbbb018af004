package web_test

import (
	"net/http/httptest"
	"sync"
	"testing"

	"haven/internal/access"
	"haven/internal/store"
	"haven/internal/web"
)

func init() {
	exportCases["GET /evaluation/outcomes.csv"] = outcomesExport("csv")
	exportCases["GET /evaluation/outcomes.xlsx"] = outcomesExport("xlsx")
}

// exportEnvs keeps one seeded demo for each database the export cases share.
var exportEnvs sync.Map // *store.DB → *authEnv

// exportEnv is a server over db's demo, seeded on first use, with a server of
// its own for each test.
func exportEnv(t *testing.T, db *store.DB) *authEnv {
	t.Helper()
	if v, ok := exportEnvs.Load(db); ok {
		e := *v.(*authEnv)
		s, err := web.NewServer(web.Options{Store: db, Now: e.clock.Now, HTTPS: true})
		if err != nil {
			t.Fatal(err)
		}
		e.ts = httptest.NewTLSServer(s)
		t.Cleanup(e.ts.Close)
		return &e
	}
	e := newAuthEnv(t, db)
	exportEnvs.Store(db, e)
	return e
}

// outcomesExport names a Practice with the planted formula: the outcomes
// download carries every Practice's name.
func outcomesExport(format string) exportCase {
	return func(t *testing.T, db *store.DB) []byte {
		e := exportEnv(t, db)
		if _, err := db.PracticeBySlug(t.Context(), "planted-formula"); err != nil {
			if _, err := db.CreatePractice(t.Context(), access.Practice{OrganisationID: e.demo.Organisation.ID, Slug: "planted-formula", Name: plantedFormula,
				LocalAuthorities: []string{"E08000035"}}); err != nil {
				t.Fatal(err)
			}
		}
		res := send(t, e.signIn(t, e.account(access.RoleNationalAnalyst)), "GET", e.ts.URL+"/evaluation/outcomes."+format, nil)
		if res.status != 200 {
			t.Fatalf("download: %d\n%s", res.status, res.body)
		}
		return []byte(res.body)
	}
}
