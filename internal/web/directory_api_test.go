package web_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"haven/internal/access"
	"haven/internal/directory"
	"haven/internal/store/storetest"
	"haven/internal/web"
)

// hsdsSchemas are the HSDS 3.0 and Open Referral UK profile response
// schemas, compiled once from testdata/hsds with their raw.githubusercontent
// addresses mapped to the local copies.
var hsdsSchemas = sync.OnceValues(func() (map[string][]*jsonschema.Schema, error) {
	const (
		hsdsURL = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
		ukURL   = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"
	)
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat() // ids must be UUIDs, dates dates, addresses URIs
	err := filepath.WalkDir("testdata/hsds", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(path, ".json") || strings.HasSuffix(path, ".json.gz")) {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if strings.HasSuffix(path, ".gz") {
			zr, err := gzip.NewReader(bytes.NewReader(b))
			if err != nil {
				return err
			}
			if b, err = io.ReadAll(zr); err != nil {
				return err
			}
			path = strings.TrimSuffix(path, ".gz")
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			return err
		}
		rel := filepath.ToSlash(strings.TrimPrefix(path, "testdata/hsds/"))
		u := hsdsURL + strings.TrimPrefix(rel, "schema/")
		if after, ok := strings.CutPrefix(rel, "uk-profile/schema/"); ok {
			u = ukURL + after
		}
		return c.AddResource(u, doc)
	})
	if err != nil {
		return nil, err
	}
	response := func(base, path string) string {
		esc := strings.NewReplacer("~", "~0", "/", "~1").Replace(path)
		return base + "openapi.json#/paths/" + esc + "/get/responses/200/content/application~1json/schema"
	}
	// Each endpoint's schemas: HSDS's, and the UK profile's where the profile
	// has the endpoint; the profile has no /organizations, so its
	// organisation schemas are used directly (inside HSDS's paged wrapper).
	locs := map[string][]string{}
	for _, p := range []string{"/", "/services", "/services/{id}", "/organizations", "/organizations/{id}", "/service_at_locations", "/taxonomies", "/taxonomy_terms"} {
		locs[p] = append(locs[p], response(hsdsURL, p))
	}
	for _, p := range []string{"/", "/services", "/services/{id}", "/service_at_locations", "/taxonomies", "/taxonomy_terms"} {
		locs[p] = append(locs[p], response(ukURL, p))
	}
	locs["/organizations/{id}"] = append(locs["/organizations/{id}"], ukURL+"compiled/organization.json")
	// A single service at a location: HSDS's and the profile's list item.
	locs["/service_at_locations/{id}"] = []string{hsdsURL + "compiled/service_at_location_list.json", ukURL + "compiled/service_at_location_list.json"}
	out := map[string][]*jsonschema.Schema{}
	for p, ls := range locs {
		for _, l := range ls {
			sch, err := c.Compile(l)
			if err != nil {
				return nil, err
			}
			out[p] = append(out[p], sch)
		}
	}
	ukOrgs, err := c.Compile(ukURL + "compiled/organization_list.json")
	if err != nil {
		return nil, err
	}
	out["/organizations items"] = []*jsonschema.Schema{ukOrgs}
	return out, nil
})

var orIDPath = regexp.MustCompile(`^/openreferral/(services|organizations|service_at_locations)/[^/]+$`)

// validateHSDS checks a 200 response against every schema for its endpoint.
func validateHSDS(t *testing.T, path, body string) {
	t.Helper()
	schemas, err := hsdsSchemas()
	if err != nil {
		t.Fatalf("compiling the HSDS schemas: %v", err)
	}
	endpoint := "/" + strings.TrimPrefix(path, "/openreferral/")
	if m := orIDPath.FindStringSubmatch(path); m != nil {
		endpoint = "/" + m[1] + "/{id}"
	}
	list := schemas[endpoint]
	if len(list) == 0 {
		t.Fatalf("no schema for %s", endpoint)
	}
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(body))
	if err != nil {
		t.Fatalf("%s: not JSON: %v", path, err)
	}
	for _, sch := range list {
		if err := sch.Validate(inst); err != nil {
			t.Errorf("%s does not validate against %s:\n%v", path, sch.Location, err)
		}
	}
	if endpoint == "/organizations" {
		for _, item := range inst.(map[string]any)["contents"].([]any) {
			if err := schemas["/organizations items"][0].Validate(item); err != nil {
				t.Errorf("%s: an organisation does not validate against the UK profile: %v", path, err)
			}
		}
	}
}

// orEnv is a server over a directory of three fictional services:
//   - Aire Valley Service (Aire Trust): located at the LS1 centroid, covers
//     Leeds; Pause Practice model, mothers; made at 09:00;
//   - Bootham Fathers Project (Ouse Council): located at the YO1 centroid,
//     36,272 m from LS1 (TestDistance), covers York; fathers; made at 10:00;
//   - Calder Service (Aire Trust): no location, covers Leeds, in
//     development; mothers; made at 11:00.
type orEnv struct {
	ts                  *httptest.Server
	aire, bootham, cald directory.Service
	orgA, orgB          directory.Organisation
}

func newOREnv(t *testing.T) *orEnv {
	t.Helper()
	db := storetest.SQLite(t)
	ctx := t.Context()
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	db.SetClock(func() time.Time { return at })
	e := &orEnv{}
	var err error
	if e.orgA, err = db.CreateDirOrganisation(ctx, directory.Organisation{Name: "Aire Trust (fictional)", Description: "A fictional charity.", Website: "https://aire.example.org"}); err != nil {
		t.Fatal(err)
	}
	if e.orgB, err = db.CreateDirOrganisation(ctx, directory.Organisation{Name: "Ouse Council (fictional)", Description: "A fictional council."}); err != nil {
		t.Fatal(err)
	}
	term := func(tax, code string) string {
		for _, x := range directory.Taxonomies {
			for _, tm := range x.Terms {
				if x.Name == tax && tm.Code == code {
					return tm.ID
				}
			}
		}
		t.Fatalf("no term %s", code)
		return ""
	}
	mk := func(s directory.Service) directory.Service {
		t.Helper()
		s, err := db.CreateService(ctx, s, "test")
		if err != nil {
			t.Fatal(err)
		}
		at = at.Add(time.Hour)
		return s
	}
	e.aire = mk(directory.Service{OrganisationID: e.orgA.ID, Entry: directory.Entry{Name: "Aire Valley Service", Description: "Support after removal.",
		Status: directory.StatusActive, HowToRefer: "Ring the duty line.", SelfReferral: true, Email: "aire@example.org", Website: "https://aire.example.org/service",
		ServiceAreas: []string{"E08000035"}, Terms: []string{term("Service model", "pause-practice"), term("Who is supported", "mothers")}},
		Funding: directory.FundingLocal, StartDate: time.Date(2019, 4, 1, 0, 0, 0, 0, time.UTC), LastVerified: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
		Locations: []directory.Location{{Name: "Aire office", Address: "1 Fictional Street", City: "Leeds", Postcode: "LS1 1AA", HasPosition: true, Latitude: 53.79736, Longitude: -1.55313}},
		Phones:    []directory.PhoneNumber{{Number: "0113 496 0000"}}, Contacts: []directory.Contact{{Name: "Duty worker", Title: "Practitioner", Email: "duty@example.org"}},
		Schedules: []directory.Schedule{{Freq: "WEEKLY", ByDay: "MO,TU", OpensAt: "09:00", ClosesAt: "17:00"}}})
	e.bootham = mk(directory.Service{OrganisationID: e.orgB.ID, Entry: directory.Entry{Name: "Bootham Fathers Project", Description: "Work with fathers.",
		Status: directory.StatusActive, HowToRefer: "Through children's services.", ServiceAreas: []string{"E06000014"},
		Terms: []string{term("Who is supported", "fathers")}}, Funding: directory.FundingNational,
		Locations: []directory.Location{{Name: "Bootham", Postcode: "YO1 7AA", HasPosition: true, Latitude: 53.95814, Longitude: -1.07188}}})
	e.cald = mk(directory.Service{OrganisationID: e.orgA.ID, Entry: directory.Entry{Name: "Calder Service", Description: "Being set up.",
		Status: directory.StatusInDevelopment, HowToRefer: "Not yet taking referrals.", ServiceAreas: []string{"E08000035"},
		Terms: []string{term("Who is supported", "mothers")}}})
	s, err := web.NewServer(web.Options{Store: db, Now: func() time.Time { return at }, Logger: slog.New(slog.NewJSONHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	e.ts = httptest.NewServer(s)
	t.Cleanup(e.ts.Close)
	return e
}

// get fetches path, checks the CORS header, and validates a 200 against
// the schemas; it returns the status and the decoded body.
func (e *orEnv) get(t *testing.T, path string) (int, map[string]any) {
	t.Helper()
	res, err := http.Get(e.ts.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if got := res.Header.Get("Access-Control-Allow-Origin"); got != "*" {
		t.Errorf("GET %s (%d): Access-Control-Allow-Origin %q, want *", path, res.StatusCode, got)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("GET %s: Content-Type %q", path, ct)
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("GET %s: %d, not a JSON object: %s", path, res.StatusCode, b)
	}
	if res.StatusCode == http.StatusOK {
		validateHSDS(t, strings.SplitN(path, "?", 2)[0], string(b))
	}
	return res.StatusCode, out
}

func contentNames(t *testing.T, body map[string]any) []string {
	t.Helper()
	var out []string
	for _, c := range body["contents"].([]any) {
		out = append(out, c.(map[string]any)["name"].(string))
	}
	return out
}

func TestOpenReferralRoot(t *testing.T) {
	e := newOREnv(t)
	status, body := e.get(t, "/openreferral/")
	if status != 200 || body["version"] != "3.0" || body["profile"] == "" || !strings.HasPrefix(body["openapi_url"].(string), "https://") {
		t.Errorf("root: %d %v", status, body)
	}
}

func TestOpenReferralServicesFiltersAndPaging(t *testing.T) {
	e := newOREnv(t)
	mothers := directory.Taxonomies[2].Terms[0].ID
	all := []string{"Aire Valley Service", "Bootham Fathers Project", "Calder Service"}
	type pg struct {
		total, pages, number, size int
		first, last, empty         bool
	}
	for _, tc := range []struct {
		name, query string
		want        []string
		page        pg
	}{
		{"everything", "", all, pg{3, 1, 1, 3, true, true, false}},
		{"first of two pages", "per_page=2", all[:2], pg{3, 2, 1, 2, true, false, false}},
		{"second of two pages", "per_page=2&page=2", all[2:], pg{3, 2, 2, 1, false, true, false}},
		{"past the end", "per_page=2&page=3", nil, pg{3, 2, 3, 0, false, true, true}},
		{"search", "search=fathers", all[1:2], pg{1, 1, 1, 1, true, true, false}},
		{"search with nothing found", "search=nothing+like+it", nil, pg{0, 0, 1, 0, true, true, true}},
		{"taxonomy term", "taxonomy_term_id=" + mothers, []string{all[0], all[2]}, pg{2, 1, 1, 2, true, true, false}},
		{"organisation", "organization_id=" + e.orgB.ID, all[1:2], pg{1, 1, 1, 1, true, true, false}},
		{"modified on or after 10:00", "modified_after=2026-11-02T10:00:00Z", all[1:], pg{2, 1, 1, 2, true, true, false}},
		{"modified after 10:00:01", "modified_after=2026-11-02T10:00:01Z", all[2:], pg{1, 1, 1, 1, true, true, false}},
		{"modified on or after a date", "modified_after=2026-11-02", all, pg{3, 1, 1, 3, true, true, false}},
		{"postcode alone: Leeds's coverage, located first", "postcode=LS1+4AP", []string{all[0], all[2]}, pg{2, 1, 1, 2, true, true, false}},
		{"postcode district", "postcode=ls1", []string{all[0], all[2]}, pg{2, 1, 1, 2, true, true, false}},
		{"36,000 m from LS1: York is 36,272 m", "postcode=LS1&proximity=36000", []string{all[0], all[2]}, pg{2, 1, 1, 2, true, true, false}},
		{"36,500 m from LS1: nearest first", "postcode=LS1&proximity=36500", []string{all[0], all[1], all[2]}, pg{3, 1, 1, 3, true, true, false}},
		{"York: its own service only", "postcode=YO1+7HH&proximity=1000", all[1:2], pg{1, 1, 1, 1, true, true, false}},
		{"York within 36,500 m: York first", "postcode=YO1&proximity=36500", []string{all[1], all[0]}, pg{2, 1, 1, 2, true, true, false}},
		{"Cardiff: Welsh, no English coverage", "postcode=CF10", nil, pg{0, 0, 1, 0, true, true, true}},
		{"filters combine", "postcode=LS1&proximity=36500&taxonomy_term_id=" + mothers + "&per_page=1&page=2", all[2:], pg{2, 2, 2, 1, false, true, false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := e.get(t, "/openreferral/services?"+tc.query)
			if status != 200 {
				t.Fatalf("status %d: %v", status, body)
			}
			if got := contentNames(t, body); !slices.Equal(got, tc.want) {
				t.Errorf("contents %q, want %q", got, tc.want)
			}
			got := pg{int(body["total_items"].(float64)), int(body["total_pages"].(float64)), int(body["page_number"].(float64)), int(body["size"].(float64)),
				body["first_page"].(bool), body["last_page"].(bool), body["empty"].(bool)}
			if got != tc.page {
				t.Errorf("wrapper %+v, want %+v", got, tc.page)
			}
		})
	}
}

func TestOpenReferralMinimalAndFull(t *testing.T) {
	e := newOREnv(t)
	_, body := e.get(t, "/openreferral/services?minimal=true")
	for _, c := range body["contents"].([]any) {
		var keys []string
		for k := range c.(map[string]any) {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if !slices.Equal(keys, []string{"id", "last_modified", "name", "status"}) {
			t.Errorf("minimal service has %v", keys)
		}
	}
	// UUIDs are case-insensitive: an id in capitals is the same service.
	if status, upper := e.get(t, "/openreferral/services/"+strings.ToUpper(e.aire.ID)); status != 200 || upper["id"] != e.aire.ID {
		t.Errorf("upper-case id: %d %v", status, upper["id"])
	}
	if _, byOrg := e.get(t, "/openreferral/services?organization_id="+strings.ToUpper(e.orgB.ID)); byOrg["total_items"] != 1.0 {
		t.Errorf("upper-case organization_id: %v services", byOrg["total_items"])
	}
	status, s := e.get(t, "/openreferral/services/"+e.aire.ID)
	if status != 200 {
		t.Fatalf("%d", status)
	}
	checks := map[string]any{
		"id": e.aire.ID, "organization_id": e.orgA.ID, "status": "active", "application_process": "Ring the duty line.",
		"assured_date": "2026-03-01", "last_modified": "2026-11-02T09:00:00Z", "haven_self_referral": true, "haven_start_date": "2019-04-01",
		"haven_verification_overdue": false, "url": "https://aire.example.org/service",
	}
	for k, want := range checks {
		if s[k] != want {
			t.Errorf("service %s = %v, want %v", k, s[k], want)
		}
	}
	area := s["service_areas"].([]any)[0].(map[string]any)
	if area["name"] != "Leeds" || area["uri"] != "http://statistics.data.gov.uk/id/statistical-geography/E08000035" {
		t.Errorf("service area %v", area)
	}
	loc := s["service_at_locations"].([]any)[0].(map[string]any)["location"].(map[string]any)
	if loc["latitude"] != 53.79736 || loc["addresses"].([]any)[0].(map[string]any)["postal_code"] != "LS1 1AA" {
		t.Errorf("location %v", loc)
	}
	if n := len(s["attributes"].([]any)); n != 2 {
		t.Errorf("%d attributes, want 2", n)
	}
	if s["organization"].(map[string]any)["name"] != "Aire Trust (fictional)" {
		t.Errorf("organization %v", s["organization"])
	}
	// In development: inactive to HSDS, with Haven's own status beside it.
	_, c := e.get(t, "/openreferral/services/"+e.cald.ID)
	if c["status"] != "inactive" || c["haven_status"] != "in development" || c["haven_verification_overdue"] != true {
		t.Errorf("Calder: status %v, haven_status %v, overdue %v", c["status"], c["haven_status"], c["haven_verification_overdue"])
	}
}

func TestOpenReferralOtherEndpoints(t *testing.T) {
	e := newOREnv(t)
	_, orgs := e.get(t, "/openreferral/organizations")
	if got := contentNames(t, orgs); !slices.Equal(got, []string{"Aire Trust (fictional)", "Ouse Council (fictional)"}) {
		t.Errorf("organizations %q", got)
	}
	_, orgs = e.get(t, "/openreferral/organizations?search=ouse")
	if got := contentNames(t, orgs); !slices.Equal(got, []string{"Ouse Council (fictional)"}) {
		t.Errorf("organizations searched %q", got)
	}
	_, org := e.get(t, "/openreferral/organizations/"+e.orgA.ID)
	var svc []string
	for _, s := range org["services"].([]any) {
		svc = append(svc, s.(map[string]any)["name"].(string))
	}
	if org["name"] != "Aire Trust (fictional)" || !slices.Equal(svc, []string{"Aire Valley Service", "Calder Service"}) {
		t.Errorf("organization %v with services %q", org["name"], svc)
	}
	_, sals := e.get(t, "/openreferral/service_at_locations")
	if sals["total_items"] != 2.0 {
		t.Errorf("%v services at locations, want 2", sals["total_items"])
	}
	_, sals = e.get(t, "/openreferral/service_at_locations?postcode=YO1&proximity=1000")
	if sals["total_items"] != 1.0 {
		t.Fatalf("%v services at locations near YO1, want 1", sals["total_items"])
	}
	id := sals["contents"].([]any)[0].(map[string]any)["id"].(string)
	_, sal := e.get(t, "/openreferral/service_at_locations/"+id)
	if sal["service_id"] != e.bootham.ID || sal["service"].(map[string]any)["name"] != "Bootham Fathers Project" {
		t.Errorf("service at location %v", sal)
	}
	_, tax := e.get(t, "/openreferral/taxonomies")
	if tax["total_items"] != 5.0 {
		t.Errorf("%v taxonomies, want 5", tax["total_items"])
	}
	terms := 0
	for _, x := range directory.Taxonomies {
		terms += len(x.Terms)
	}
	_, tt := e.get(t, "/openreferral/taxonomy_terms?per_page=10&page=2")
	if tt["total_items"] != float64(terms) || tt["size"] != float64(terms-10) || tt["last_page"] != true {
		t.Errorf("taxonomy terms page 2: %v of %v, want %d of %d", tt["size"], tt["total_items"], terms-10, terms)
	}
}

// Bad parameters get a 400 naming the parameter; unknown or malformed ids a
// 404; neither ever a 500, and each carries the CORS header too.
func TestOpenReferralRefusals(t *testing.T) {
	e := newOREnv(t)
	for _, tc := range []struct {
		path   string
		status int
		names  string
	}{
		{"/openreferral/services?page=0", 400, "page"},
		{"/openreferral/services?page=two", 400, "page"},
		{"/openreferral/services?page=1&page=2", 400, "page"},
		{"/openreferral/services?per_page=101", 400, "per_page"},
		{"/openreferral/services?per_page=-1", 400, "per_page"},
		{"/openreferral/services?taxonomy_term_id=pause", 400, "taxonomy_term_id"},
		{"/openreferral/services?organization_id=1", 400, "organization_id"},
		{"/openreferral/services?modified_after=yesterday", 400, "modified_after"},
		{"/openreferral/services?minimal=perhaps", 400, "minimal"},
		{"/openreferral/services?postcode=not+a+postcode", 400, "postcode"},
		{"/openreferral/services?postcode=ZZ9", 400, "postcode"},
		{"/openreferral/services?proximity=1000", 400, "proximity"},
		{"/openreferral/services?postcode=LS1&proximity=far", 400, "proximity"},
		{"/openreferral/services?postcode=LS1&proximity=0", 400, "proximity"},
		{"/openreferral/services?postcode=LS1&proximity=NaN", 400, "proximity"},
		{"/openreferral/services?search=" + strings.Repeat("a", 201), 400, "search"},
		{"/openreferral/services?search=%FF", 400, "search"},
		{"/openreferral/organizations?per_page=1000", 400, "per_page"},
		{"/openreferral/service_at_locations?postcode=QQ1", 400, "postcode"},
		{"/openreferral/taxonomy_terms?page=x", 400, "page"},
		{"/openreferral/services/" + directory.NewID(), 404, ""},
		{"/openreferral/services/not-a-uuid", 404, ""},
		{"/openreferral/organizations/" + directory.NewID(), 404, ""},
		{"/openreferral/organizations/1", 404, ""},
		{"/openreferral/service_at_locations/" + e.aire.ID, 404, ""},
		{"/openreferral/service_at_locations/%27", 404, ""},
		{"/openreferral/nothing-here", 404, ""},
	} {
		status, body := e.get(t, tc.path)
		if status != tc.status {
			t.Errorf("GET %s: %d, want %d (%v)", tc.path, status, tc.status, body)
			continue
		}
		if msg, _ := body["message"].(string); tc.names != "" && !strings.Contains(msg, "The "+tc.names+" parameter") {
			t.Errorf("GET %s: message %q does not name %s", tc.path, msg, tc.names)
		}
	}
	// Read-only: other methods are refused, still with the CORS header.
	res, err := http.Post(e.ts.URL+"/openreferral/services", "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusMethodNotAllowed || res.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("POST: %d, CORS %q", res.StatusCode, res.Header.Get("Access-Control-Allow-Origin"))
	}
}

// The feed needs no sign-in and sets no cookie, whatever the client sends.
func TestOpenReferralIsOpen(t *testing.T) {
	e := newOREnv(t)
	req, _ := http.NewRequest("GET", e.ts.URL+"/openreferral/services", nil)
	req.Header.Set("Authorization", "Bearer not-a-token")
	req.AddCookie(&http.Cookie{Name: "haven_session", Value: "x"})
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 || len(res.Cookies()) != 0 {
		t.Errorf("%d with %d cookies, want 200 and none", res.StatusCode, len(res.Cookies()))
	}
}

// The schemas do reject what HSDS does not allow: without this, a validator
// that compiled to nothing would pass every response above.
func TestHSDSSchemasRejectBadResponses(t *testing.T) {
	schemas, err := hsdsSchemas()
	if err != nil {
		t.Fatal(err)
	}
	good := `{"id":"3f2504e0-4f89-41d3-9a0c-0305e82c3301","name":"A","status":"active","last_modified":"2026-11-02T09:00:00Z"}`
	for _, tc := range []struct{ endpoint, body string }{
		{"/services/{id}", `{"id":"3f2504e0-4f89-41d3-9a0c-0305e82c3301","name":"A"}`},                           // no status
		{"/services/{id}", `{"id":"3f2504e0-4f89-41d3-9a0c-0305e82c3301","name":"A","status":"in development"}`}, // not HSDS's
		{"/services/{id}", `{"id":"1","name":"A","status":"active"}`},                                            // not a UUID
		{"/services/{id}", `{"id":"3f2504e0-4f89-41d3-9a0c-0305e82c3301","name":"A","status":"active","last_modified":"yesterday"}`},
		{"/services", `{"total_items":"1","contents":[` + good + `]}`},
		{"/services", `{"total_items":1,"contents":[{"id":"3f2504e0-4f89-41d3-9a0c-0305e82c3301"}]}`},
		{"/taxonomy_terms", `{"total_items":1,"contents":[{"id":"3f2504e0-4f89-41d3-9a0c-0305e82c3301","name":"x"}]}`}, // no description
	} {
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(tc.body))
		if err != nil {
			t.Fatal(err)
		}
		rejected := false
		for _, sch := range schemas[tc.endpoint] {
			if sch.Validate(inst) != nil {
				rejected = true
			}
		}
		if !rejected {
			t.Errorf("%s accepted %s", tc.endpoint, tc.body)
		}
	}
	inst, _ := jsonschema.UnmarshalJSON(strings.NewReader(good))
	for _, sch := range schemas["/services/{id}"] {
		if err := sch.Validate(inst); err != nil {
			t.Errorf("a good service is refused: %v", err)
		}
	}
}

// Every Open Referral route is public (the profile forbids keys and
// sign-in) and read-only, and is one this file tests; each is fetched here
// signed out, with its schema check.
func TestOpenReferralRouteMatrix(t *testing.T) {
	e := newOREnv(t)
	paths := map[string]string{
		"GET /openreferral/{$}":                       "/openreferral/",
		"GET /openreferral/services":                  "/openreferral/services",
		"GET /openreferral/services/{id}":             "/openreferral/services/" + e.aire.ID,
		"GET /openreferral/organizations":             "/openreferral/organizations",
		"GET /openreferral/organizations/{id}":        "/openreferral/organizations/" + e.orgB.ID,
		"GET /openreferral/service_at_locations":      "/openreferral/service_at_locations",
		"GET /openreferral/service_at_locations/{id}": "/openreferral/service_at_locations/" + e.aire.Locations[0].ServiceAtLocationID,
		"GET /openreferral/taxonomies":                "/openreferral/taxonomies",
		"GET /openreferral/taxonomy_terms":            "/openreferral/taxonomy_terms",
	}
	s, err := web.NewServer(web.Options{Store: storetest.SQLite(t)})
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for pattern, perm := range s.Routes() {
		if !strings.Contains(pattern, "/openreferral/") {
			continue
		}
		seen++
		if perm != access.PermPublic || !strings.HasPrefix(pattern, "GET ") {
			t.Errorf("%s is %s: the feed is public and read-only", pattern, perm)
		}
		path, ok := paths[pattern]
		if !ok {
			t.Errorf("%s is not in this matrix", pattern)
			continue
		}
		if status, body := e.get(t, path); status != 200 {
			t.Errorf("GET %s signed out: %d %v", path, status, body)
		}
	}
	if seen != len(paths) {
		t.Errorf("%d Open Referral routes, want %d", seen, len(paths))
	}
}
