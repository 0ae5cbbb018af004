package web_test

import (
	"bytes"
	"crypto/rand"
	"encoding/csv"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/auth"
	"haven/internal/contact"
	"haven/internal/evaluate"
	"haven/internal/haven"
	"haven/internal/programme"
	"haven/internal/store"
	"haven/internal/store/storetest"
	"haven/internal/web"
)

// exportsWithoutText are exports that carry nothing anyone typed: their case
// plants the formula in every text field of a record and checks that it does
// not come out at all, so TestEveryExportRouteNeutralisesAPlantedFormula does
// not look for it neutralised.
var exportsWithoutText = map[string]bool{}

func init() {
	for _, route := range []struct{ pattern, path string }{
		{"GET /evaluation/extract.csv", "/evaluation/extract.csv"},
		{"GET /evaluation/extract.xlsx", "/evaluation/extract.xlsx"},
		{"GET /api/v1/evaluation/extract.csv", "/api/v1/evaluation/extract.csv"},
	} {
		exportCases[route.pattern] = extractExportCase(route.path)
		exportsWithoutText[route.pattern] = true
	}
}

// extractExportCase makes a Practice with a lead and a woman whose every text
// field holds the planted formula, and downloads the extract as the lead,
// freshly signed in (the API with her token).
func extractExportCase(path string) exportCase {
	return func(t *testing.T, db *store.DB) []byte {
		ctx := t.Context()
		sfx := strings.ToLower(rand.Text()[:10])
		org, err := db.CreateOrganisation(ctx, access.Organisation{Slug: "org-" + sfx, Name: "Extract case organisation"})
		if err != nil {
			t.Fatal(err)
		}
		pr, err := db.CreatePractice(ctx, access.Practice{OrganisationID: org.ID, Slug: "extract-" + sfx, Name: "Extract case Practice", LocalAuthorities: []string{"E08000035"}})
		if err != nil {
			t.Fatal(err)
		}
		u, err := db.CreateAccount(ctx, audit.Event{}, access.User{Email: "lead-" + sfx + "@example.org", DisplayName: "Extract Lead"},
			[]store.Grant{{Role: access.RolePracticeLead, Tenant: store.Tenant{Kind: access.TenantPractice, ID: pr.ID, Slug: pr.Slug}}})
		if err != nil {
			t.Fatal(err)
		}
		lead, err := db.Actor(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		p, err := db.CreatePerson(ctx, audit.Event{}, lead, programme.Person{PracticeID: pr.ID, FirstName: plantedFormula, LastName: plantedFormula,
			CommunicationNeeds: plantedFormula, DateOfBirth: haven.NewDate(1995, 3, 4)})
		if err != nil {
			t.Fatal(err)
		}
		today := haven.NewDate(time.Now().Year(), time.Now().Month(), time.Now().Day())
		e, err := db.StartEnrolment(ctx, audit.Event{}, p, today.AddMonths(-3))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.MoveEnrolment(ctx, audit.Event{}, e, programme.PhaseEngaging, today.AddMonths(-2), plantedFormula, "", u.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.AddPregnancy(ctx, audit.Event{}, p.ID, programme.Pregnancy{KnownOn: today.AddMonths(-1), Outcome: plantedFormula}, u.ID, today); err != nil {
			t.Fatal(err)
		}
		session, token := rand.Text(), "haven_"+strings.ToLower(rand.Text())
		if _, err := db.CreateSession(ctx, access.Session{UserID: u.ID, MFAPassed: true}, auth.HashToken(session)); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateAPIToken(ctx, audit.Event{}, u.ID, "Extract", auth.HashToken(token), time.Now().Add(time.Hour)); err != nil {
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
			req.Header.Set("Authorization", "Bearer "+token)
		} else {
			req.Header.Set("Cookie", "__Host-haven_session="+session)
		}
		res := do(t, req)
		if res.status != 200 {
			t.Fatalf("GET %s: %d\n%s", path, res.status, res.body)
		}
		if strings.Contains(res.body, "HYPERLINK") {
			t.Errorf("text typed into her record is in the extract")
		}
		return []byte(res.body)
	}
}

// extractSentinels are planted in a woman's record: nothing of them may
// appear in the extract.
var extractSentinels = []string{"Zelphinora", "Quillbeck-Sentinel", "ZZ9 9QZ", "SENTINEL-NOTE-7731", "SENTINEL-END-REASON-4410",
	"SENTINEL-PREGNANCY-OUTCOME-0912", "SENTINEL-COURT-5520", "SENTINEL-CHILD-3310", "SENTINEL-NEEDS-6620", "SENTINEL-PHASE-REASON-1187"}

// plantExtractSentinels gives the fixture's woman a full record of sentinels:
// name, date of birth, postcode, notes, end reason, outcome text and more.
func plantExtractSentinels(t *testing.T, f *fixture) programme.Person {
	t.Helper()
	ctx := t.Context()
	f.freshPerson(t)
	p := f.person
	p.FirstName, p.LastName, p.DateOfBirth = "Zelphinora", "Quillbeck-Sentinel", haven.NewDate(1991, 7, 19)
	p.CareExperienced = programme.AnswerYes
	p.CommunicationNeeds = "SENTINEL-NEEDS-6620"
	p.Contact.Address = programme.ContactDetail{Value: "12 Quill Road, Lowtown ZZ9 9QZ", Safe: programme.AnswerYes}
	p, err := f.db.UpdatePerson(ctx, audit.Event{}, p)
	if err != nil {
		t.Fatal(err)
	}
	by := f.riverLead.UserID
	e, err := f.db.StartEnrolment(ctx, audit.Event{}, p, haven.NewDate(2023, 1, 16))
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct {
		to     programme.Phase
		on     haven.Date
		reason string
	}{{programme.PhaseEngaging, haven.NewDate(2023, 2, 6), "SENTINEL-PHASE-REASON-1187"}, {programme.PhaseStarted, haven.NewDate(2023, 5, 2), ""},
		{programme.PhaseEnded, haven.NewDate(2023, 9, 29), "SENTINEL-END-REASON-4410"}} {
		if e, err = f.db.MoveEnrolment(ctx, audit.Event{}, e, step.to, step.on, step.reason, programme.ExitOther, by); err != nil {
			t.Fatalf("to %s: %v", step.to, err)
		}
	}
	if err := f.db.AddPregnancy(ctx, audit.Event{}, p.ID, programme.Pregnancy{KnownOn: haven.NewDate(2023, 6, 1), Outcome: "SENTINEL-PREGNANCY-OUTCOME-0912"}, by, fixtureToday); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.RecordSession(ctx, audit.Event{}, programme.Session{PersonID: p.ID, On: haven.NewDate(2023, 3, 2), Type: programme.SessionPhone,
		Minutes: 15, InitiatedBy: programme.InitiatedByHer, Note: "SENTINEL-NOTE-7731", CreatedBy: f.allocated.UserID}, fixtureToday, false); err != nil {
		t.Fatal(err)
	}
	child, err := f.db.CreateChild(ctx, audit.Event{}, contact.Child{PersonID: p.ID, Name: "SENTINEL-CHILD-3310", BirthYear: 2019, LegalStatus: "care-order", Placement: "foster-care"}, by, fixtureToday)
	if err != nil {
		t.Fatal(err)
	}
	for _, pr := range []contact.Proceedings{
		{PersonID: p.ID, IssuedOn: haven.NewDate(2019, 6, 3), Court: "SENTINEL-COURT-5520", ChildIDs: []int64{child.ID}, Index: true, Outcome: "placement-order", FinalHearingOn: haven.NewDate(2019, 12, 2)},
		{PersonID: p.ID, IssuedOn: haven.NewDate(2024, 9, 2), Court: "SENTINEL-COURT-5520", ChildIDs: []int64{child.ID}},
	} {
		if _, err := f.db.CreateProceedings(ctx, audit.Event{}, pr, by, fixtureToday); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

// extractRecords reads a downloaded extract, CSV or XLSX, as rows of text;
// for XLSX every sheet's rows, the data sheet first.
func extractRecords(t *testing.T, body []byte) (data [][]string, dictionary [][]string) {
	t.Helper()
	if !bytes.HasPrefix(body, []byte("PK")) {
		rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return rows, nil
	}
	x, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if got := x.GetSheetList(); !slices.Equal(got, []string{"Extract", "Data dictionary"}) {
		t.Fatalf("sheets %v", got)
	}
	if data, err = x.GetRows("Extract", excelize.Options{RawCellValue: true}); err != nil {
		t.Fatal(err)
	}
	if dictionary, err = x.GetRows("Data dictionary", excelize.Options{RawCellValue: true}); err != nil {
		t.Fatal(err)
	}
	return data, dictionary
}

// column is the index of a named column in the header.
func column(t *testing.T, header []string, name string) int {
	t.Helper()
	i := slices.Index(header, name)
	if i < 0 {
		t.Fatalf("no column %q in %v", name, header)
	}
	return i
}

// Issue 17 item 8 (S13, S28, S31, S35): the extract holds no name, date of birth,
// postcode, reference or free text; dates are months; the key is the HMAC
// of the deployment's secret and stays the same; every download is audited
// with its scope and row count; a lead gets her Practice, and a national
// analyst, who sees only suppressed aggregates (item 7), gets nothing.
func TestEvaluationExtract(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		p := plantExtractSentinels(t, f)
		secret, err := db.ExtractSecret(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		key := evaluate.Pseudonym(secret, p.ID)
		lead := f.signIn(t, f.riverLead)
		forbidden := append(slices.Clone(extractSentinels), p.Ref, f.sentinel, "1991-07-19", "19/07/1991", "19 July 1991", "2023-01-16", "2023-09-29", "1991-07")
		var keys []string
		for _, format := range []string{"csv", "xlsx"} {
			res := send(t, lead, "GET", f.ts.URL+"/evaluation/extract."+format, nil)
			if res.status != 200 {
				t.Fatalf("%s: %d\n%s", format, res.status, f.logs.String())
			}
			if cd := res.header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") {
				t.Errorf("%s: Content-Disposition %q", format, cd)
			}
			data, dict := extractRecords(t, []byte(res.body))
			header := data[0]
			for _, row := range append(data, dict...) {
				for _, cell := range row {
					for _, s := range forbidden {
						if s != "" && strings.Contains(cell, s) {
							t.Errorf("%s: the extract holds %q", format, s)
						}
					}
				}
			}
			var mine []string
			practice := column(t, header, "practice")
			for _, row := range data[1:] {
				if row[practice] != "demo-riverside" {
					t.Errorf("%s: Riverside's lead gets a row of %q", format, row[practice])
				}
				if row[column(t, header, "person_key")] == key {
					mine = row
				}
			}
			if mine == nil {
				t.Fatalf("%s: no row keyed %s for the planted woman", format, key)
			}
			keys = append(keys, mine[0])
			for name, want := range map[string]string{"referred_month": "2023-01", "engaged_month": "2023-02", "programme_started_month": "2023-05",
				"ended_month": "2023-09", "ending": "ended-early", "age_band_at_engagement": "30-34", "age_band_at_first_proceedings": "25+",
				"care_experienced": "yes", "metric1": "not-met", "metric2": "not-met", "pregnancies_during_programme": "1",
				"index_proceedings_month": "2019-06", "index_outcome": "placement-order", "next_proceedings": "yes", "days_to_next_proceedings": "1918"} {
				if got := mine[column(t, header, name)]; got != want {
					t.Errorf("%s %s: %q, want %q", format, name, got, want)
				}
			}
			if format == "xlsx" && (len(dict) != len(header)+1 || dict[0][0] != "Column" || dict[1][0] != "person_key") {
				t.Errorf("the dictionary sheet has %d rows for %d columns", len(dict), len(header))
			}
			// The audit row names the scope and the row count, never the content.
			evs, err := db.SearchAudit(t.Context(), store.AuditFilter{Action: string(audit.Export), RecordType: "evaluation-extract", UserID: f.riverLead.UserID})
			if err != nil {
				t.Fatal(err)
			}
			if len(evs) == 0 || evs[0].RecordID != "demo-riverside" || evs[0].Section != format+", "+strconv.Itoa(len(data)-1)+" rows" {
				t.Errorf("%s audit: %+v", format, evs)
			}
		}
		if keys[0] != keys[1] {
			t.Error("the key changed between two extracts")
		}

		// Item 7: a national analyst sees only suppressed aggregates, so never
		// the row-level extract, and nothing is audited as exported.
		analyst := f.signIn(t, f.account(access.RoleNationalAnalyst))
		if res := send(t, analyst, "GET", f.ts.URL+"/evaluation/extract.csv", nil); res.status != 403 && res.status != 404 {
			t.Errorf("analyst: %d, want refused", res.status)
		}
		evs, _ := db.SearchAudit(t.Context(), store.AuditFilter{Action: string(audit.Export), RecordType: "evaluation-extract", UserID: f.account(access.RoleNationalAnalyst).UserID})
		if len(evs) != 0 {
			t.Errorf("analyst audit: %+v", evs)
		}
		if strings.Contains(f.logs.String(), "Zelphinora") || strings.Contains(f.logs.String(), key) {
			t.Error("the log holds her name or key")
		}
		// S35: each download is one structured security log line.
		if n := strings.Count(f.logs.String(), `"event":"export","record_type":"evaluation-extract"`); n != 2 {
			t.Errorf("%d export log lines for 2 downloads\n%s", n, f.logs.String())
		}
	})
}

// S13: a session that last gave its password more than five minutes ago is
// sent to confirm it is the owner before any file is made; nothing is audited
// as exported until she has.
func TestS13ExtractNeedsRecentAuthentication(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		a := f.riverLead
		c := f.signIn(t, a)
		f.clock.Add(6 * time.Minute)
		for _, format := range []string{"csv", "xlsx"} {
			res := send(t, c, "GET", f.ts.URL+"/evaluation/extract."+format, nil)
			if res.status != 303 || res.header.Get("Location") != "/reauth?next=%2Fevaluation%2Fextract."+format {
				t.Fatalf("stale %s: %d to %q, want the re-authentication page", format, res.status, res.header.Get("Location"))
			}
		}
		if evs, _ := db.SearchAudit(t.Context(), store.AuditFilter{Action: string(audit.Export), RecordType: "evaluation-extract"}); len(evs) != 0 {
			t.Fatalf("exported before re-authentication: %+v", evs)
		}
		// The page itself shows nothing of anyone: it needs no re-authentication.
		if res := send(t, c, "GET", f.ts.URL+"/evaluation/extract", nil); res.status != 200 || !strings.Contains(res.body, "person_key") {
			t.Errorf("the page: %d", res.status)
		}
		res := send(t, c, "POST", f.ts.URL+"/reauth", url.Values{"password": {a.Password}, "code": {f.clock.code(a.TOTPSecret)}, "next": {"/evaluation/extract.csv"}})
		if res.status != 303 || res.header.Get("Location") != "/evaluation/extract.csv" {
			t.Fatalf("re-authentication: %d to %q", res.status, res.header.Get("Location"))
		}
		if res := send(t, c, "GET", f.ts.URL+"/evaluation/extract.csv", nil); res.status != 200 || !strings.HasPrefix(res.body, "person_key,") {
			t.Errorf("after re-authentication: %d", res.status)
		}
	})
}

// The API's extract: a token alone is not enough; its owner must have
// confirmed who she is in a browser in the last five minutes. The same
// audit row is written.
func TestS13ExtractAPINeedsRecentAuthentication(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		get := func(token string) response {
			req, _ := http.NewRequest("GET", f.ts.URL+"/api/v1/evaluation/extract.csv", nil)
			req.Header.Set("Authorization", "Bearer "+token)
			return tlsDo(t, f, req)
		}
		lead := f.riverLead
		if res := get(lead.APIToken); res.status != 403 || !strings.Contains(res.body, "Confirm it is you") {
			t.Fatalf("a token whose owner has not signed in: %d %s", res.status, res.body)
		}
		f.signIn(t, lead)
		res := get(lead.APIToken)
		if res.status != 200 || !strings.HasPrefix(res.body, "person_key,") || !strings.HasPrefix(res.header.Get("Content-Type"), "text/csv") {
			t.Fatalf("a token whose owner just signed in: %d %s", res.status, res.body)
		}
		evs, _ := db.SearchAudit(t.Context(), store.AuditFilter{Action: string(audit.Export), RecordType: "evaluation-extract", UserID: lead.UserID})
		if len(evs) != 1 || evs[0].RecordID != "demo-riverside" || !strings.HasPrefix(evs[0].Section, "csv, ") {
			t.Errorf("API audit: %+v", evs)
		}
		f.clock.Add(6 * time.Minute)
		if res := get(lead.APIToken); res.status != 403 {
			t.Errorf("six minutes later: %d, want 403", res.status)
		}
		if res := get("haven_not-a-token"); res.status != 401 {
			t.Errorf("no valid token: %d, want 401", res.status)
		}
	})
}

// S15: the extract's routes, for every kind of user. Leads (their Practice)
// only; everyone else, national analysts included (item 7), 403; nobody
// signed in is sent to sign in (401 through the API).
func TestS15ExtractRouteMatrix(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		allowed := map[string]bool{"riverside lead": true, "hillcrest lead": true}
		paths := []string{"/evaluation/extract", "/evaluation/extract.csv", "/evaluation/extract.xlsx", "/api/v1/evaluation/extract.csv"}
		s, _ := web.NewServer(web.Options{Store: db})
		for pattern, perm := range s.Routes() {
			if strings.Contains(pattern, "/evaluation/extract") {
				if perm != access.PermExtract || !slices.Contains(paths, strings.TrimPrefix(pattern, "GET ")) {
					t.Errorf("%s (%s) is not in this matrix", pattern, perm)
				}
			}
		}
		for name, a := range f.who(t) {
			c := f.signIn(t, a)
			for _, path := range paths {
				var res response
				if strings.HasPrefix(path, "/api/") {
					req, _ := http.NewRequest("GET", f.ts.URL+path, nil)
					req.Header.Set("Authorization", "Bearer "+a.APIToken)
					res = tlsDo(t, f, req)
				} else {
					res = send(t, c, "GET", f.ts.URL+path, nil)
				}
				want := 403
				if allowed[name] {
					want = 200
				}
				if res.status != want {
					t.Errorf("%s GET %s: %d, want %d", name, path, res.status, want)
				}
			}
		}
		for _, path := range paths {
			res := send(t, f.browser(), "GET", f.ts.URL+path, nil)
			want := 303
			if strings.HasPrefix(path, "/api/") {
				want = 401
			}
			if res.status != want {
				t.Errorf("anonymous GET %s: %d, want %d", path, res.status, want)
			}
		}
	})
}
