package web_test

import (
	"bytes"
	"crypto/rand"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/auth"
	"haven/internal/directory"
	"haven/internal/store"
	"haven/internal/store/storetest"
	"haven/internal/web"
)

func init() {
	for _, format := range []string{"csv", "xlsx"} {
		pattern := "GET /directory/coverage." + format
		exportCases[pattern] = coverageExport(format)
		// The coverage carries authority names and counts, never a word
		// anyone typed: a service named with the formula must not appear.
		exportsWithoutText[pattern] = true
	}
}

// coverageSession makes an account holding role in the national tenant,
// with a signed-in session, and returns the session's cookie.
func coverageSession(t *testing.T, db *store.DB, role access.Role) string {
	t.Helper()
	ctx := t.Context()
	sfx := strings.ToLower(rand.Text()[:10])
	u, err := db.CreateAccount(ctx, audit.Event{}, access.User{Email: "coverage-" + sfx + "@example.org", DisplayName: "Coverage Reader"},
		[]store.Grant{{Role: role, Tenant: store.Tenant{Kind: access.TenantNational, Slug: store.NationalSlug}}})
	if err != nil {
		t.Fatal(err)
	}
	session := rand.Text()
	if _, err := db.CreateSession(ctx, access.Session{UserID: u.ID, MFAPassed: true}, auth.HashToken(session)); err != nil {
		t.Fatal(err)
	}
	return "__Host-haven_session=" + session
}

func coverageGet(t *testing.T, ts *httptest.Server, cookie, path string) response {
	t.Helper()
	req, _ := http.NewRequest("GET", ts.URL+path, nil)
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	return do(t, req)
}

// coverageExport gives a service the planted formula in every text field it
// has and downloads the coverage as a national analyst.
func coverageExport(format string) exportCase {
	return func(t *testing.T, db *store.DB) []byte {
		ctx := t.Context()
		org, err := db.CreateDirOrganisation(ctx, directory.Organisation{Name: plantedFormula})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateService(ctx, directory.Service{OrganisationID: org.ID, Entry: directory.Entry{Name: plantedFormula, Description: plantedFormula,
			Status: directory.StatusActive, HowToRefer: plantedFormula, Eligibility: plantedFormula, ServiceAreas: []string{"E08000035"}}}, plantedFormula); err != nil {
			t.Fatal(err)
		}
		s, err := web.NewServer(web.Options{Store: db})
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(s)
		defer ts.Close()
		res := coverageGet(t, ts, coverageSession(t, db, access.RoleNationalAnalyst), "/directory/coverage."+format)
		if res.status != 200 {
			t.Fatalf("download: %d\n%s", res.status, res.body)
		}
		return []byte(res.body)
	}
}

// coverageEnv is a directory of three fictional services:
//   - Aire: Leeds, active, a Pause Practice working with mothers, local funding;
//   - Bootham: York, temporarily closed, third sector, fathers and couples,
//     reproductive health offered;
//   - Irwell: Manchester, defunct, NHS, fathers, national funding.
//
// So 151 of England's 153 upper-tier authorities have no service:
// Manchester's only service has closed.
func coverageEnv(t *testing.T) (*store.DB, *httptest.Server) {
	t.Helper()
	db := storetest.SQLite(t)
	ctx := t.Context()
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	db.SetClock(func() time.Time { return at })
	org, err := db.CreateDirOrganisation(ctx, directory.Organisation{Name: "Aire Trust (fictional)"})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []directory.Service{
		{Funding: directory.FundingLocal, Entry: directory.Entry{Name: "Aire Valley Service", Status: directory.StatusActive, ServiceAreas: []string{"E08000035"},
			Terms: []string{dirTerm(t, "Service model", "pause-practice"), dirTerm(t, "Who is supported", "mothers")}}},
		{Entry: directory.Entry{Name: "Bootham Project", Status: directory.StatusTempClosed, ServiceAreas: []string{"E06000014"},
			Terms: []string{dirTerm(t, "Host", "third-sector"), dirTerm(t, "Who is supported", "fathers"), dirTerm(t, "Who is supported", "couples"),
				dirTerm(t, "Reproductive health offer", "offered")}}},
		{Funding: directory.FundingNational, Entry: directory.Entry{Name: "Irwell Service", Status: directory.StatusDefunct, ServiceAreas: []string{"E08000003"},
			Terms: []string{dirTerm(t, "Host", "nhs"), dirTerm(t, "Who is supported", "fathers")}}},
	} {
		s.OrganisationID, s.Description, s.HowToRefer = org.ID, "A fictional service.", "Ring."
		if _, err := db.CreateService(ctx, s, "test"); err != nil {
			t.Fatal(err)
		}
	}
	s, err := web.NewServer(web.Options{Store: db, Now: func() time.Time { return at }})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return db, ts
}

// The coverage page and its downloads, for a national analyst and a
// directory editor, against the known services; each view and download is
// in the audit trail.
func TestDirectoryCoverage(t *testing.T) {
	db, ts := coverageEnv(t)
	analyst := coverageSession(t, db, access.RoleNationalAnalyst)
	editor := coverageSession(t, db, access.RoleDirectoryEditor)

	for who, cookie := range map[string]string{"analyst": analyst, "editor": editor} {
		res := coverageGet(t, ts, cookie, "/directory/coverage")
		if res.status != 200 {
			t.Fatalf("%s: %d\n%s", who, res.status, res.body)
		}
		body := strings.Join(strings.Fields(res.body), " ")
		for _, want := range []string{
			"active, temporarily closed or in development", // what counts, said on the page
			`<dd class="govuk-summary-list__value">151 of 153</dd>`,
			`<dd class="govuk-summary-list__value">3, of which 2 count towards coverage</dd>`,
			`<td class="govuk-table__cell">Manchester</td> <td class="govuk-table__cell">E08000003</td> <td class="govuk-table__cell">North West</td>`,
			// Fathers: Bootham (temporarily closed, so covering) and Irwell (defunct).
			`<th scope="row" class="govuk-table__header">Fathers</th> <td class="govuk-table__cell govuk-table__cell--numeric">1</td> <td class="govuk-table__cell govuk-table__cell--numeric">2</td>`,
			`<th scope="row" class="govuk-table__header">Defunct</th> <td class="govuk-table__cell">No</td> <td class="govuk-table__cell govuk-table__cell--numeric">1</td>`,
			`<th scope="row" class="govuk-table__header">National</th> <td class="govuk-table__cell govuk-table__cell--numeric">0</td> <td class="govuk-table__cell govuk-table__cell--numeric">1</td>`,
			`href="/directory/coverage.csv"`, `href="/directory/coverage.xlsx"`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("%s: the page lacks %s", who, want)
			}
		}
		for _, not := range []string{`<td class="govuk-table__cell">Leeds</td>`, `<td class="govuk-table__cell">York</td>`} {
			if strings.Contains(body, not) {
				t.Errorf("%s: a covered authority is listed as having no service: %s", who, not)
			}
		}
	}

	// The CSV: one section per table, the same figures.
	res := coverageGet(t, ts, analyst, "/directory/coverage.csv")
	if res.status != 200 || !strings.HasPrefix(res.header.Get("Content-Type"), "text/csv") || !strings.Contains(res.header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("csv: %d %v", res.status, res.header)
	}
	records, err := csv.NewReader(strings.NewReader(res.body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	sections := map[string][]string{}
	var name string
	for i, r := range records {
		switch {
		case strings.Join(r, "") == "":
			name = ""
		case name == "" && (i == 0 || strings.Join(records[i-1], "") == ""):
			name = r[0]
		default:
			sections[name] = append(sections[name], strings.Join(strings.Fields(strings.Join(r, "|")), " "))
		}
	}
	for _, tt := range []struct {
		section string
		rows    int // header included
		want    string
	}{
		{"Summary", 7, "Authorities with no service|151|"},
		{"Authorities with no service", 152, "Manchester|E08000003|North West"},
		{"By status", 6, "Temporarily closed|Yes|1"},
		{"By funding", 4, "Not recorded|1|1"},
		{"By service model", 5, "Pause Practice|1|1"},
		{"By host", 5, "NHS|0|1"},
		{"By who is supported", 5, "Couples|1|1"},
		{"By reproductive health offer", 5, "Offered|1|1"},
	} {
		rows := sections[tt.section]
		if len(rows) != tt.rows || !containsPrefix(rows, tt.want) {
			t.Errorf("csv section %q: %d rows, want %d, with %q: %q", tt.section, len(rows), tt.rows, tt.want, rows)
		}
	}
	if len(sections) != 8 {
		t.Errorf("csv sections: %d, want 8", len(sections))
	}

	// The XLSX: the same tables, a sheet each, opened as a spreadsheet opens it.
	res = coverageGet(t, ts, editor, "/directory/coverage.xlsx")
	if res.status != 200 {
		t.Fatalf("xlsx: %d", res.status)
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(res.body)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	wantSheets := []string{"Summary", "Authorities with no service", "By status", "By funding", "By service model", "By host", "By who is supported", "By reproductive health offer"}
	if got := f.GetSheetList(); fmt.Sprint(got) != fmt.Sprint(wantSheets) {
		t.Errorf("sheets %q, want %q", got, wantSheets)
	}
	for _, tt := range []struct{ sheet, cell, want string }{
		{"Summary", "A3", "Authorities with no service"}, {"Summary", "B3", "151"}, {"Summary", "B2", "153"},
		{"Authorities with no service", "A1", "Local authority"},
		{"By who is supported", "A3", "Fathers"}, {"By who is supported", "B3", "1"}, {"By who is supported", "C3", "2"},
		{"By status", "A6", "Defunct"}, {"By status", "B6", "No"}, {"By status", "C6", "1"},
	} {
		if got, err := f.GetCellValue(tt.sheet, tt.cell); err != nil || got != tt.want {
			t.Errorf("%s!%s = %q (%v), want %q", tt.sheet, tt.cell, got, err, tt.want)
		}
	}
	if typ, _ := f.GetCellType("Summary", "B3"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("Summary!B3 is text, want a number")
	}
	rows, _ := f.GetRows("Authorities with no service")
	if len(rows) != 152 {
		t.Errorf("%d rows of authorities with no service, want 151 and a header", len(rows)-1)
	}

	// Two views, two downloads: each in the audit trail.
	for action, want := range map[audit.Action]int{audit.View: 2, audit.Export: 2} {
		evs, err := db.SearchAudit(t.Context(), store.AuditFilter{RecordType: "directory-coverage", Action: string(action), Page: store.Page{Limit: 10}})
		if err != nil || len(evs) != want {
			t.Errorf("%s audit rows: %d, %v; want %d", action, len(evs), err, want)
		}
	}
}

func containsPrefix(rows []string, prefix string) bool {
	for _, r := range rows {
		if strings.HasPrefix(r, prefix) {
			return true
		}
	}
	return false
}

// Only national analysts and directory editors see the coverage: every
// other role is refused as other national pages refuse it, and the public
// is sent to sign in; nothing refused writes a view or export row.
func TestDirectoryCoverageRouteMatrix(t *testing.T) {
	e := newAuthEnv(t, storetest.SQLite(t))
	paths := []string{"/directory/coverage", "/directory/coverage.csv", "/directory/coverage.xlsx"}
	allowed := []access.Role{access.RoleNationalAnalyst, access.RoleDirectoryEditor}
	for _, role := range access.Roles() {
		c := e.signIn(t, e.account(role))
		for _, p := range paths {
			res := send(t, c, "GET", e.ts.URL+p, nil)
			want := http.StatusForbidden
			if containsRole(allowed, role) {
				want = http.StatusOK
			}
			if res.status != want {
				t.Errorf("%s: GET %s answered %d, want %d", role, p, res.status, want)
			}
		}
	}
	public := e.browser()
	for _, p := range paths {
		if res := send(t, public, "GET", e.ts.URL+p, nil); res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/sign-in") {
			t.Errorf("signed out: GET %s answered %d to %q", p, res.status, res.header.Get("Location"))
		}
	}
	for action, want := range map[audit.Action]int{audit.View: 2, audit.Export: 4} {
		evs, err := e.db.SearchAudit(t.Context(), store.AuditFilter{RecordType: "directory-coverage", Action: string(action), Page: store.Page{Limit: 50}})
		if err != nil || len(evs) != want {
			t.Errorf("%s audit rows: %d, %v; want %d (the allowed roles' only)", action, len(evs), err, want)
		}
	}
}
