package web_test

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/auth"
	"haven/internal/demo"
	"haven/internal/haven"
	"haven/internal/reunify"
	"haven/internal/store"
	"haven/internal/store/storetest"
	"haven/internal/web"
)

const header903 = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"

// goodFile: R1 goes home (E4A) and comes back into care a month later; R2
// is in care.
const goodFile = header903 +
	"R1,01/04/2023,S,C2,N1,U1,PR1,01/02/2024,E4A,,LS1 1AA,LS2 2BB,\n" +
	"R1,01/03/2024,S,V2,N1,U1,PR1,,,,LS1 1AA,,\n" +
	"R2,15/05/2024,S,C1,N4,U1,PR1,,,,,,\n"

// badFile has a problem on rows 2, 4 and 5; row 3 is fine.
const badFile = header903 +
	"R1,31/02/2023,S,C2,N1,U1,PR1,,,,,,\n" +
	"R2,15/05/2024,S,C1,N4,U1,PR1,01/06/2024,E4A,,,,\n" +
	"NOBODY,15/05/2024,S,C1,N4,U1,PR1,,,,,,\n" +
	"R2,15/07/2024,S,C1,N4,U1,PR9,,,,,,\n"

// laChildren adds the children the files name to the demo LA team.
func laChildren(t *testing.T, f *fixture) {
	t.Helper()
	for _, ref := range []string{"R1", "R2"} {
		if _, err := f.db.CreateLAChild(t.Context(), audit.Event{}, reunify.Child{Team: f.demo.LATeam.ID, Ref: ref, FirstName: "Alex",
			BornOn: haven.NewDate(2017, 5, 6)}, 0, f.today()); err != nil {
			t.Fatal(err)
		}
	}
}

func (f *fixture) today() haven.Date {
	n := f.clock.Now()
	return haven.NewDate(n.Year(), n.Month(), n.Day())
}

// otherLATeam is a social worker in a second LA team, with an API token.
func otherLATeam(t *testing.T, f *fixture) demo.Account {
	t.Helper()
	ctx := t.Context()
	team, err := f.db.CreateLATeam(ctx, access.LATeam{Slug: "other-la-team", Name: "Other LA team", LACode: "E08000036"})
	if err != nil {
		t.Fatal(err)
	}
	a := demo.Account{Role: access.RoleLASocialWorker, Tenant: team.Slug, Email: "other.la@example.org", Password: "other-la-password-1",
		TOTPSecret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", APIToken: "haven_" + strings.ToLower(rand.Text())}
	h := &auth.Hasher{Memory: 64, Time: 1}
	hash, err := h.Hash(a.Password)
	if err != nil {
		t.Fatal(err)
	}
	u, err := f.db.CreateEnrolledAccount(ctx, audit.Event{}, access.User{Email: a.Email, DisplayName: "Other Worker"},
		[]store.Grant{{Role: a.Role, Tenant: store.Tenant{Kind: access.TenantLocalAuthority, ID: team.ID, Slug: team.Slug}}}, hash, a.TOTPSecret)
	if err != nil {
		t.Fatal(err)
	}
	a.UserID = u.ID
	if _, err := f.db.CreateAPIToken(ctx, audit.Event{}, u.ID, "Test", auth.HashToken(a.APIToken), f.clock.Now().AddDate(0, 0, 30)); err != nil {
		t.Fatal(err)
	}
	return a
}

// upload sends the import form: the file (omitted if nil), the mode and a key.
func uploadEpisodes(t *testing.T, f *fixture, c *http.Client, file []byte, mode, key string) response {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	if key != "-" {
		if key == "" {
			key = rand.Text()
		}
		mw.WriteField(web.IdempotencyField, key)
	}
	if mode != "" {
		mw.WriteField("mode", mode)
	}
	if file != nil {
		fw, _ := mw.CreateFormFile("file", "episodes.csv")
		fw.Write(file)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", f.ts.URL+"/la/imports", &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body bytes.Buffer
	body.ReadFrom(res.Body)
	return response{res.StatusCode, res.Header, body.String()}
}

// apiImport posts a file to the import API.
func apiImport(t *testing.T, f *fixture, token, query, ctype, key string, file string) response {
	t.Helper()
	req, _ := http.NewRequest("POST", f.ts.URL+"/api/v1/la/imports/ssda903"+query, strings.NewReader(file))
	req.Header.Set("Authorization", "Bearer "+token)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if key != "" {
		req.Header.Set(web.IdempotencyHeader, key)
	}
	return tlsDo(t, f, req)
}

func (f *fixture) teamEpisodes(t *testing.T, team int64) int {
	t.Helper()
	eps, err := f.db.LAEpisodesFile(t.Context(), team)
	if err != nil {
		t.Fatal(err)
	}
	return len(eps)
}

func TestLAImportPage(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		laChildren(t, f)
		team := f.demo.LATeam.ID
		// The demo's own children have episodes already.
		base := f.teamEpisodes(t, team)
		c := f.signIn(t, f.account(access.RoleLASocialWorker))

		if res := send(t, c, "GET", f.ts.URL+"/la/imports", nil); res.status != 200 || !strings.Contains(res.body, "never reads or keeps them") {
			t.Fatalf("page: %d", res.status)
		}
		// Bad input: a clear 422 naming the field, nothing written.
		for _, tt := range []struct {
			name       string
			file       []byte
			mode, want string
		}{
			{"no file", nil, "check", "Select an SSDA903 episodes file"},
			{"empty file", []byte{}, "import", "The selected file is empty"},
			{"no mode", []byte(goodFile), "", "Choose whether to check the file or import it"},
			{"bad mode", []byte(goodFile), "delete", "Choose whether to check the file or import it"},
		} {
			res := uploadEpisodes(t, f, c, tt.file, tt.mode, "")
			if res.status != 422 || !strings.Contains(res.body, "govuk-error-summary") || !strings.Contains(res.body, tt.want) {
				t.Errorf("%s: %d, want 422 with %q", tt.name, res.status, tt.want)
			}
		}
		if res := uploadEpisodes(t, f, c, []byte(goodFile), "import", "-"); res.status != 400 {
			t.Errorf("no key: %d", res.status)
		}
		if n := f.teamEpisodes(t, team); n != base {
			t.Fatalf("bad input wrote %d episodes", n)
		}

		// A file with problems: every bad row named, nothing imported.
		res := uploadEpisodes(t, f, c, []byte(badFile), "import", "")
		if res.status != 422 || !strings.Contains(res.body, "3 rows of the file have problems: nothing was imported") ||
			!strings.Contains(res.body, "31/02/2023") || !strings.Contains(res.body, "No child with the ID NOBODY") || !strings.Contains(res.body, "PR9") {
			t.Errorf("bad file: %d\n%s", res.status, res.body)
		}
		if n := f.teamEpisodes(t, team); n != base {
			t.Fatalf("a rejected file wrote %d episodes", n)
		}

		// Check only, then import; then the same file again changes nothing.
		res = uploadEpisodes(t, f, c, []byte(goodFile), "check", "")
		if res.status != 200 || !strings.Contains(res.body, "The file has no problems") || !strings.Contains(res.body, "would add 3") {
			t.Errorf("check: %d", res.status)
		}
		if n := f.teamEpisodes(t, team); n != base {
			t.Fatal("a check wrote")
		}
		key := rand.Text()
		res = uploadEpisodes(t, f, c, []byte(goodFile), "import", key)
		if res.status != 200 || !strings.Contains(res.body, "File imported") || !strings.Contains(res.body, "3 episodes added") {
			t.Fatalf("import: %d\n%s", res.status, res.body)
		}
		// The same form sent twice (a double click) imports once.
		if res := uploadEpisodes(t, f, c, []byte(goodFile), "import", key); res.status != 200 || !strings.Contains(res.body, "This form was already sent") {
			t.Errorf("repeat: %d", res.status)
		}
		res = uploadEpisodes(t, f, c, []byte(goodFile), "import", "")
		if res.status != 200 || !strings.Contains(res.body, "0 episodes added, 0 changed and 3 already recorded") {
			t.Errorf("second import: %d", res.status)
		}
		if n := f.teamEpisodes(t, team); n != base+3 {
			t.Fatalf("%d episodes", n)
		}
		imports, _ := db.LAImports(t.Context(), team, 10)
		if len(imports) != 2 || imports[0].By != f.account(access.RoleLASocialWorker).UserID || imports[0].ByName == "" {
			t.Errorf("imports recorded: %+v, want 2, by the worker", imports)
		}
		// Audited: each import, and each child it changed.
		evs, err := db.SearchAudit(t.Context(), store.AuditFilter{RecordType: "la-import", Page: store.Page{Limit: 50}})
		if err != nil || len(evs) < 2 {
			t.Errorf("%d import audit rows, %v", len(evs), err)
		}

		// The export is the same format, without the postcodes; importing it changes nothing.
		res = send(t, c, "GET", f.ts.URL+"/la/episodes.csv", nil)
		if res.status != 200 || !strings.HasPrefix(res.body, strings.TrimSuffix(header903, "\n")) || strings.Contains(res.body, "LS1") {
			t.Fatalf("export: %d\n%s", res.status, res.body)
		}
		res = uploadEpisodes(t, f, c, []byte(res.body), "import", "")
		if res.status != 200 || !strings.Contains(res.body, fmt.Sprintf("0 episodes added, 0 changed and %d already recorded", base+3)) {
			t.Errorf("round trip: %d", res.status)
		}

		// The dashboard counts the return and its re-entry within 3 months;
		// one return is fewer than 5, so neither is shown.
		res = send(t, c, "GET", f.ts.URL+"/la/dashboard", nil)
		if res.status != 200 || !strings.Contains(res.body, reunify.NationalReEntrySource) || !strings.Contains(res.body, "not shown (fewer than 5)") ||
			!strings.Contains(res.body, "<svg") {
			t.Errorf("dashboard: %d\n%s", res.status, res.body)
		}
		res = send(t, c, "GET", f.ts.URL+"/la/dashboard.csv", nil)
		if res.status != 200 || !strings.Contains(res.body, "Re-entered care,Within 3 months,not shown (fewer than 5)") {
			t.Errorf("dashboard CSV: %d\n%s", res.status, res.body)
		}
	})
}

func TestLAImportAPI(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	laChildren(t, f)
	team := f.demo.LATeam.ID
	base := f.teamEpisodes(t, team)
	token := f.account(access.RoleLAManager).APIToken
	for _, tt := range []struct {
		name, query, ctype string
		status             int
	}{
		{"not CSV", "", "application/json", 415},
		{"no type", "", "", 415},
		{"bad dry-run", "?dry-run=maybe", "text/csv", 400},
	} {
		if res := apiImport(t, f, token, tt.query, tt.ctype, "", goodFile); res.status != tt.status {
			t.Errorf("%s: %d, want %d: %s", tt.name, res.status, tt.status, res.body)
		}
	}
	res := apiImport(t, f, token, "", "text/csv", "", badFile)
	var rejected struct {
		Code   string `json:"code"`
		Result struct {
			Problems []struct {
				Row    int    `json:"row"`
				Column string `json:"column"`
				Reason string `json:"reason"`
			} `json:"problems"`
		} `json:"result"`
	}
	if res.status != 422 || json.Unmarshal([]byte(res.body), &rejected) != nil || rejected.Code != "invalid" || len(rejected.Result.Problems) < 3 {
		t.Fatalf("bad file: %d %s", res.status, res.body)
	}
	if p := rejected.Result.Problems[0]; p.Row != 2 || p.Column != "DECOM" {
		t.Errorf("first problem %+v", p)
	}
	if f.teamEpisodes(t, team) != base {
		t.Fatal("a rejected file wrote")
	}
	res = apiImport(t, f, token, "?dry-run=true", "text/csv; charset=utf-8", "", goodFile)
	if res.status != 200 || !strings.Contains(res.body, `"added":3`) || !strings.Contains(res.body, `"dryRun":true`) || f.teamEpisodes(t, team) != base {
		t.Fatalf("dry run: %d %s", res.status, res.body)
	}
	key := "api-import-key-0123456789"
	res = apiImport(t, f, token, "", "text/csv", key, goodFile)
	if res.status != 201 || !strings.Contains(res.body, `"added":3`) {
		t.Fatalf("import: %d %s", res.status, res.body)
	}
	res = apiImport(t, f, token, "", "text/csv", key, goodFile)
	if res.status != 201 || res.header.Get(web.ReplayedHeader) != "true" {
		t.Errorf("replay: %d %s", res.status, res.body)
	}
	if res := apiImport(t, f, token, "", "text/csv", key, strings.Replace(goodFile, "C1,N4", "C2,N4", 1)); res.status != 409 {
		t.Errorf("another file under the key: %d", res.status)
	}
	res = apiImport(t, f, token, "", "text/csv", "", goodFile)
	if res.status != 201 || !strings.Contains(res.body, `"unchanged":3`) || !strings.Contains(res.body, `"added":0`) {
		t.Errorf("second import: %d %s", res.status, res.body)
	}
	req, _ := http.NewRequest("GET", f.ts.URL+"/api/v1/la/episodes.csv", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	if res := tlsDo(t, f, req); res.status != 200 || strings.Count(res.body, "\n") != base+4 {
		t.Errorf("API export: %d %s", res.status, res.body)
	}
}

// Every route of the import and the dashboard: LA roles only; a Practice's
// staff, national analysts and everyone else signed in get 404, never 403,
// so they learn nothing; another LA team sees only its own team's.
func TestLADataRouteMatrix(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	laChildren(t, f)
	s, err := web.NewServer(web.Options{Store: f.db})
	if err != nil {
		t.Fatal(err)
	}
	gets := []string{"/la/imports", "/la/dashboard", "/la/dashboard.csv", "/la/episodes.csv", "/api/v1/la/episodes.csv"}
	for _, p := range append(gets, "POST /la/imports", "POST /api/v1/la/imports/ssda903") {
		pattern := p
		if !strings.HasPrefix(p, "POST ") {
			pattern = "GET " + p
		}
		if _, ok := s.Routes()[pattern]; !ok {
			t.Errorf("%s is not a route", pattern)
		}
	}
	// Team A has episodes, which no one else sees.
	if res := apiImport(t, f, f.account(access.RoleLASocialWorker).APIToken, "", "text/csv", "", goodFile); res.status != 201 {
		t.Fatalf("import: %d", res.status)
	}
	who := f.who(t)
	other := otherLATeam(t, f)
	who["other LA team"] = other
	la := map[string]bool{"LA social worker": true, "LA manager": true, "other LA team": true}
	for name, a := range who {
		c := f.signIn(t, a)
		for _, p := range gets {
			want := 404
			if la[name] {
				want = 200
			}
			var res response
			if strings.HasPrefix(p, "/api/") {
				req, _ := http.NewRequest("GET", f.ts.URL+p, nil)
				req.Header.Set("Authorization", "Bearer "+a.APIToken)
				res = tlsDo(t, f, req)
			} else {
				res = send(t, c, "GET", f.ts.URL+p, nil)
			}
			if res.status != want {
				t.Errorf("%s GET %s: %d, want %d", name, p, res.status, want)
			}
			if name == "other LA team" && strings.HasSuffix(p, "episodes.csv") && strings.Contains(res.body, "R1") {
				t.Errorf("%s sees team A's episodes in %s", name, p)
			}
		}
		res := uploadEpisodes(t, f, c, []byte(goodFile), "check", "")
		res2 := apiImport(t, f, a.APIToken, "?dry-run=true", "text/csv", "", goodFile)
		switch {
		case name == "other LA team": // its own team has no R1: every row refused
			if res.status != 422 || res2.status != 422 {
				t.Errorf("%s import: page %d, API %d, want 422", name, res.status, res2.status)
			}
		case la[name]:
			if res.status != 200 || res2.status != 200 {
				t.Errorf("%s import: page %d, API %d", name, res.status, res2.status)
			}
		default:
			if res.status != 404 || res2.status != 404 {
				t.Errorf("%s import: page %d, API %d, want 404", name, res.status, res2.status)
			}
		}
	}
	for _, p := range gets {
		want := 303
		if strings.HasPrefix(p, "/api/") {
			want = 401
		}
		if got := send(t, f.browser(), "GET", f.ts.URL+p, nil).status; got != want {
			t.Errorf("anonymous GET %s: %d, want %d", p, got, want)
		}
	}
	if res := apiImport(t, f, "", "", "text/csv", "", goodFile); res.status != 401 {
		t.Errorf("anonymous import: %d", res.status)
	}
}
