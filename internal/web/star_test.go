package web_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"haven/internal/access"
	"haven/internal/demo"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// upload posts a file as the import form does.
func upload(t *testing.T, c *http.Client, u, field, name, content string) response {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	if name != "" {
		fw, err := mw.CreateFormFile(field, name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(fw, content)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", u, &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return response{res.StatusCode, res.Header, string(body)}
}

const starFile = "date,version,Physical health,Where you live,Money\n2026-01-12,Family Star Plus,3,5,2\n2026-07-09,Family Star Plus,6,7,4\n"

// Issue 17 item 1: Outcomes Star readings may be imported only once an
// administrator records the licence; before, the form is absent and the
// route refuses (403). A bad file is refused row by row and nothing is
// stored; a good one is stored whole, audited, and listed as a plain table.
func TestOutcomesStarImport(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		prac := f.signIn(t, f.allocated)
		base := f.ts.URL + "/people/" + f.person.Ref + "/measures"
		stored := func() int {
			rs, err := db.StarReadings(t.Context(), f.person.ID)
			if err != nil {
				t.Fatal(err)
			}
			return len(rs)
		}
		page := send(t, prac, "GET", base, nil)
		if page.status != 200 || strings.Contains(page.body, `action="/people/`+f.person.Ref+`/measures/star"`) || !strings.Contains(page.body, "once an administrator records this service's Outcomes Star licence") {
			t.Errorf("without a licence the import form is offered: %d", page.status)
		}
		if res := upload(t, prac, base+"/star", "starFile", "star.csv", starFile); res.status != 403 {
			t.Errorf("import without a licence: %d, want 403", res.status)
		}
		if stored() != 0 {
			t.Fatal("a reading was stored without a licence")
		}

		admin := f.signIn(t, f.account(access.RoleAdmin))
		licence := func(ref, d string) response {
			return send(t, admin, "POST", f.ts.URL+"/admin/measures/star-licence", url.Values{"licence": {ref}, "licensedOn-day": {d}, "licensedOn-month": {"11"}, "licensedOn-year": {"2026"}})
		}
		if res := licence("", "1"); res.status != 422 || !strings.Contains(res.body, "Enter the licence reference Triangle gave you") {
			t.Errorf("licence with no reference: %d", res.status)
		}
		if res := licence("STAR-1", "31"); res.status != 422 || !strings.Contains(res.body, "Date of the licence must be a real date") {
			t.Errorf("licence with an impossible date: %d", res.status)
		}
		if res := licence("STAR-2026-77", "2"); res.status != 303 {
			t.Fatalf("licence: %d", res.status)
		}
		if res := send(t, admin, "GET", f.ts.URL+"/admin/measures", nil); !strings.Contains(res.body, "Licence STAR-2026-77") {
			t.Error("the licence is not shown")
		}
		if es, err := db.AuditEntries(t.Context(), store.AuditFilter{RecordType: "measure-licence", Page: store.Page{Limit: 5}}); err != nil || len(es) != 1 {
			t.Errorf("licence audit rows: %d %v", len(es), err)
		}

		page = send(t, prac, "GET", base, nil)
		if !strings.Contains(page.body, `enctype="multipart/form-data"`) || !strings.Contains(page.body, `name="starFile"`) {
			t.Fatal("with a licence there is no import form")
		}
		for _, tt := range []struct{ name, file, want string }{
			{"", "", "Choose a CSV file of her Outcomes Star readings"},
			{"star.csv", "date,version,Money\n2026-01-12,Family Star Plus,3\n2026-02-30,Family Star Plus,11\n", "Row 3: Date must be a real date written YYYY-MM-DD"},
			{"star.csv", "date,version,Money\n2026-01-12,Family Star Plus,3\n2026-02-01,Family Star Plus,11\n", "Row 3: Money must be a whole number from 1 to 10"},
			{"star.csv", "when,version,Money\n", "Row 1: The header must be date, version"},
		} {
			res := upload(t, prac, base+"/star", "starFile", tt.name, tt.file)
			if res.status != 422 || !strings.Contains(res.body, tt.want) || !strings.Contains(res.body, `href="#starFile"`) {
				t.Errorf("%q: %d, want 422 with %q", tt.file, res.status, tt.want)
			}
		}
		if stored() != 0 {
			t.Fatal("a refused file stored readings (all or nothing)")
		}
		if res := upload(t, prac, base+"/star", "starFile", "star.csv", starFile); res.status != 303 {
			t.Fatalf("import: %d\n%s", res.status, res.body)
		}
		if n := stored(); n != 2 {
			t.Errorf("%d readings stored, want 2", n)
		}
		if es, err := db.AuditEntries(t.Context(), store.AuditFilter{RecordType: "person", RecordID: itoa(f.person.ID), Action: "create", Page: store.Page{Limit: 50}}); err != nil ||
			!containsSection(es, store.SectionStar) {
			t.Errorf("no audit row for the import: %v", err)
		}
		page = send(t, prac, "GET", base, nil)
		if !strings.Contains(page.body, "Family Star Plus") || !strings.Contains(page.body, "Where you live: 7") || !strings.Contains(page.body, "9 July 2026") {
			t.Error("the readings are not listed")
		}
		if i := strings.Index(page.body, `id="outcomes-star"`); i < 0 || strings.Contains(page.body[i:], "<svg") {
			t.Error("the Star readings are drawn")
		}
		// Nobody else may import for her.
		for who, a := range map[string]demo.Account{"co-ordinator": f.riverCoord, "other practitioner": f.otherPrac, "other Practice's lead": f.otherLead} {
			if res := upload(t, f.signIn(t, a), base+"/star", "starFile", "star.csv", starFile); res.status != 403 && res.status != 404 {
				t.Errorf("%s imported: %d", who, res.status)
			}
		}
		if n := stored(); n != 2 {
			t.Errorf("%d readings stored, want 2", n)
		}
	})
}

func containsSection(es []store.AccessEntry, section string) bool {
	for _, e := range es {
		if e.Section == section {
			return true
		}
	}
	return false
}
