package web_test

import (
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"haven/internal/access"
	"haven/internal/directory"
	"haven/internal/store/storetest"
	"haven/internal/web"
)

// dirPagesEnv is a server over a small fictional directory:
//   - Aire Valley Service: Leeds, located at LS1's centroid, Pause Practice
//     model, mothers, checked in March 2026;
//   - Bootham Fathers Project: York, located at YO1's centroid, fathers,
//     third sector, checked in October 2024 (over 12 months before "now");
//   - Calder Service: Leeds, no location, in development, mothers;
//   - Irwell Service: Manchester, defunct (so Manchester counts as uncovered).
type dirPagesEnv struct {
	ts                          *httptest.Server
	aire, bootham, cald, irwell directory.Service
}

func dirTerm(t *testing.T, tax, code string) string {
	t.Helper()
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

func newDirPagesEnv(t *testing.T) (*dirPagesEnv, []directory.Service) {
	t.Helper()
	db := storetest.SQLite(t)
	ctx := t.Context()
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	db.SetClock(func() time.Time { return at })
	org, err := db.CreateDirOrganisation(ctx, directory.Organisation{Name: "Aire Trust (fictional)", Description: "A fictional charity."})
	if err != nil {
		t.Fatal(err)
	}
	mk := func(s directory.Service) directory.Service {
		t.Helper()
		s.OrganisationID = org.ID
		s, err := db.CreateService(ctx, s, "test")
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	e := &dirPagesEnv{}
	e.aire = mk(directory.Service{Entry: directory.Entry{Name: "Aire Valley Service", Description: "Support after removal.",
		Status: directory.StatusActive, HowToRefer: "Ring the duty line.", SelfReferral: true, ServiceAreas: []string{"E08000035"},
		Terms: []string{dirTerm(t, "Service model", "pause-practice"), dirTerm(t, "Who is supported", "mothers")}},
		LastVerified: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), Phones: []directory.PhoneNumber{{Number: "0113 496 0000"}},
		Locations: []directory.Location{{Name: "Aire office", Postcode: "LS1 1AA", HasPosition: true, Latitude: 53.79736, Longitude: -1.55313}}})
	e.bootham = mk(directory.Service{Entry: directory.Entry{Name: "Bootham Fathers Project", Description: "Work with fathers.",
		Status: directory.StatusActive, HowToRefer: "Through children's services.", ServiceAreas: []string{"E06000014"},
		Terms: []string{dirTerm(t, "Who is supported", "fathers"), dirTerm(t, "Host", "third-sector")}},
		LastVerified: time.Date(2024, 10, 15, 0, 0, 0, 0, time.UTC),
		Locations:    []directory.Location{{Name: "Bootham", Postcode: "YO1 7AA", HasPosition: true, Latitude: 53.95814, Longitude: -1.07188}}})
	e.cald = mk(directory.Service{Entry: directory.Entry{Name: "Calder Service", Description: "Being set up.",
		Status: directory.StatusInDevelopment, HowToRefer: "Not yet taking referrals.", ServiceAreas: []string{"E08000035"},
		Terms: []string{dirTerm(t, "Who is supported", "mothers")}}, LastVerified: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)})
	e.irwell = mk(directory.Service{Entry: directory.Entry{Name: "Irwell Service", Description: "Closed in 2025.",
		Status: directory.StatusDefunct, HowToRefer: "No longer taking referrals.", ServiceAreas: []string{"E08000003"}},
		LastVerified: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)})
	s, err := web.NewServer(web.Options{Store: db, Now: func() time.Time { return at }, Logger: slog.New(slog.NewJSONHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	e.ts = httptest.NewServer(s)
	t.Cleanup(e.ts.Close)
	all, _, err := db.ListServices(ctx, directory.Query{Page: 1, PerPage: directory.MaxPerPage})
	if err != nil {
		t.Fatal(err)
	}
	return e, all
}

func (e *dirPagesEnv) page(t *testing.T, path string) (int, string) {
	t.Helper()
	res, err := http.Get(e.ts.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

var resultTitle = regexp.MustCompile(`<h3 class="govuk-summary-card__title"><a class="govuk-link" href="/directory/services/[^"]+">([^<]+)</a>`)

func resultNames(body string) []string {
	var out []string
	for _, m := range resultTitle.FindAllStringSubmatch(body, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

func TestDirectorySearch(t *testing.T) {
	e, _ := newDirPagesEnv(t)
	mothers, fathers := dirTerm(t, "Who is supported", "mothers"), dirTerm(t, "Who is supported", "fathers")
	pause, third := dirTerm(t, "Service model", "pause-practice"), dirTerm(t, "Host", "third-sector")
	for _, tc := range []struct {
		name, query string
		want        []string
		contains    []string
	}{
		{"the form alone", "", nil, []string{"Find a service", "fictional", `href="/directory/map"`}},
		{"a local authority by name", "place=Leeds", []string{"Aire Valley Service", "Calder Service"}, []string{"2 services for Leeds"}},
		{"a local authority by code, as the map links", "place=E06000014", []string{"Bootham Fathers Project"}, []string{"1 service for York"}},
		{"a postcode district: nearest first, with distance", "place=ls1", []string{"Aire Valley Service", "Calder Service"}, []string{"Nearest first", "miles"}},
		{"a full postcode", "place=YO1+7HH", []string{"Bootham Fathers Project"}, []string{"for YO1", "miles"}},
		{"a filter alone", "term=" + fathers, []string{"Bootham Fathers Project"}, nil},
		{"either of one taxonomy's terms", "term=" + fathers + "&term=" + mothers, []string{"Aire Valley Service", "Bootham Fathers Project", "Calder Service"}, nil},
		{"every taxonomy chosen from", "term=" + mothers + "&term=" + pause, []string{"Aire Valley Service"}, nil},
		{"place and filter", "place=Leeds&term=" + third, nil, []string{"No services found for Leeds"}},
		{"the filter is shown checked", "place=Leeds&term=" + pause, []string{"Aire Valley Service"}, []string{`value="` + pause + `" checked`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := e.page(t, "/directory?"+tc.query)
			if status != http.StatusOK {
				t.Fatalf("status %d", status)
			}
			if got := resultNames(body); !slices.Equal(got, tc.want) {
				t.Errorf("results %q, want %q", got, tc.want)
			}
			for _, c := range tc.contains {
				if !strings.Contains(body, c) {
					t.Errorf("page lacks %q", c)
				}
			}
		})
	}
}

// Distances: LS1's centroid to the Aire office is under a mile; York is
// 36,272 m (22.5 miles) from LS1 (TestDistance).
func TestDirectorySearchDistances(t *testing.T) {
	e, _ := newDirPagesEnv(t)
	_, body := e.page(t, "/directory?place=YO1")
	if !strings.Contains(body, "miles") || strings.Contains(body, "Aire Valley") {
		t.Errorf("York search: %s", resultNames(body))
	}
	_, body = e.page(t, "/directory?place=LS1")
	i := strings.Index(body, "Aire Valley Service")
	if i < 0 || !regexp.MustCompile(`>(Less than 0\.1|0\.\d) miles<`).MatchString(body[i:]) {
		t.Errorf("Aire's distance from LS1 is not under a mile")
	}
}

func TestDirectorySearchRefusals(t *testing.T) {
	e, _ := newDirPagesEnv(t)
	for _, tc := range []struct{ name, query, message string }{
		{"unknown postcode district", "place=ZZ9+9ZZ", "Enter a real postcode"},
		{"Welsh postcode", "place=CF10+1AA", "Enter a postcode in England"},
		{"unknown place", "place=Atlantis", "Enter the name of a local authority in England"},
		{"too long", "place=" + strings.Repeat("a", 101), "100 characters or fewer"},
		{"unknown term", "term=not-a-term", "Choose filters from the lists given"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := e.page(t, "/directory?"+tc.query)
			if status != http.StatusUnprocessableEntity {
				t.Errorf("status %d, want 422", status)
			}
			if !strings.Contains(body, "govuk-error-summary") || !strings.Contains(body, tc.message) {
				t.Errorf("no error summary saying %q", tc.message)
			}
		})
	}
}

func TestDirectoryServicePage(t *testing.T) {
	e, _ := newDirPagesEnv(t)
	for _, tc := range []struct {
		name, id    string
		status      int
		contains    []string
		notContains []string
	}{
		{"checked recently", e.aire.ID, 200, []string{"Aire Valley Service", "Ring the duty line.", "You can refer yourself.", "0113 496 0000", "Leeds",
			"Pause Practice", "1 March 2026", "fictional", "/directory/services/" + e.aire.ID + "/correct"}, []string{"has not been checked", "govuk-warning-text"}},
		{"not checked for 12 months", e.bootham.ID, 200, []string{"This entry has not been checked since 15 October 2024", "You cannot refer yourself", "Third sector", "York"}, nil},
		{"in development", e.cald.ID, 200, []string{"not taking referrals yet"}, []string{"has not been checked"}},
		{"defunct", e.irwell.ID, 200, []string{"This service has closed."}, nil},
		{"upper-case id", strings.ToUpper(e.aire.ID), 200, []string{"Aire Valley Service"}, nil},
		{"unknown id", directory.NameID("nobody"), 404, nil, nil},
		{"not an id", "not-a-uuid", 404, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := e.page(t, "/directory/services/"+url.PathEscape(tc.id))
			if status != tc.status {
				t.Fatalf("status %d, want %d", status, tc.status)
			}
			for _, c := range tc.contains {
				if !strings.Contains(body, c) {
					t.Errorf("page lacks %q", c)
				}
			}
			for _, c := range tc.notContains {
				if strings.Contains(body, c) {
					t.Errorf("page has %q", c)
				}
			}
		})
	}
}

var (
	mapLink  = regexp.MustCompile(`<a href="/directory\?place=(E\d{8})" aria-label="([^"]+)" class="haven-map__area haven-map__area--(\w+)"><path d="M[^"]+"`)
	tableRow = regexp.MustCompile(`(?s)<tr class="govuk-table__row" data-code="(E\d{8})">.*?<td class="govuk-table__cell">[^<]*</td>\s*<td class="govuk-table__cell govuk-table__cell--numeric">(\d+)</td>\s*<td class="govuk-table__cell">(Yes|No)</td>`)
)

// The map links every one of England's 153 upper-tier authorities once
// (London's boroughs again in the inset), each with an accessible name, and
// its table agrees with the store: active, temporarily closed and
// in-development services count; defunct and inactive ones do not.
func TestDirectoryMap(t *testing.T) {
	e, all := newDirPagesEnv(t)
	status, body := e.page(t, "/directory/map")
	if status != 200 {
		t.Fatalf("status %d", status)
	}
	m, err := directory.England()
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Areas) != 153 {
		t.Fatalf("%d areas on the map", len(m.Areas))
	}
	// What the store says, worked out here from the services themselves.
	wantN, wantPause := map[string]int{}, map[string]bool{}
	for _, s := range all {
		if s.Status == directory.StatusDefunct || s.Status == directory.StatusInactive {
			continue
		}
		for _, c := range s.ServiceAreas {
			wantN[c]++
			wantPause[c] = wantPause[c] || slices.Contains(s.Terms, directory.PausePracticeTerm)
		}
	}
	links := map[string]int{}
	for _, l := range mapLink.FindAllStringSubmatch(body, -1) {
		links[l[1]]++
		if !strings.Contains(l[2], ": ") || strings.TrimSpace(l[2]) == "" {
			t.Errorf("%s: accessible name %q", l[1], l[2])
		}
		level := map[bool]string{true: "service", false: "none"}[wantN[l[1]] > 0]
		if wantPause[l[1]] {
			level = "pause"
		}
		if l[3] != level {
			t.Errorf("%s drawn as %s, want %s", l[1], l[3], level)
		}
	}
	for _, a := range m.Areas {
		want := 1
		if strings.HasPrefix(a.Code, "E09") {
			want = 2 // and in the London inset
		}
		if links[a.Code] != want {
			t.Errorf("%s (%s) linked %d times, want %d", a.Name, a.Code, links[a.Code], want)
		}
	}
	rows := tableRow.FindAllStringSubmatch(body, -1)
	if len(rows) != 153 {
		t.Fatalf("%d table rows, want 153", len(rows))
	}
	for _, r := range rows {
		if r[2] != strconv.Itoa(wantN[r[1]]) || (r[3] == "Yes") != wantPause[r[1]] {
			t.Errorf("%s: %s services, Pause %s; want %d, %v", r[1], r[2], r[3], wantN[r[1]], wantPause[r[1]])
		}
	}
	for _, c := range []string{
		`aria-label="Leeds: 2 services, including a Pause Practice"`,
		`aria-label="York: 1 service"`,
		`aria-label="Manchester: no service"`,
		directory.MapAttribution,
		`class="haven-table-scroll"`,
	} {
		if !strings.Contains(body, html.EscapeString(c)) && !strings.Contains(body, c) {
			t.Errorf("map page lacks %q", c)
		}
	}
}

// The directory's pages are public and read-only, each fetched here signed
// out (TestS15RoleRouteMatrix fetches them as every role too).
func TestDirectoryPagesRouteMatrix(t *testing.T) {
	e, _ := newDirPagesEnv(t)
	paths := map[string]string{
		"GET /directory":               "/directory?place=Leeds",
		"GET /directory/services/{id}": "/directory/services/" + e.aire.ID,
		"GET /directory/map":           "/directory/map",
	}
	s, err := web.NewServer(web.Options{Store: storetest.SQLite(t)})
	if err != nil {
		t.Fatal(err)
	}
	routes := s.Routes()
	for pattern, path := range paths {
		if perm, ok := routes[pattern]; !ok || perm != access.PermPublic {
			t.Errorf("%s: registered %v, permission %q; want public", pattern, ok, perm)
		}
		if status, _ := e.page(t, path); status != http.StatusOK {
			t.Errorf("GET %s signed out: %d", path, status)
		}
	}
}

// A full postcode is personal data: the search form is sent by POST and only
// the postcode's district goes on to the results' address; a link that
// carries a full postcode is sent on to its district too.
func TestDirectorySearchKeepsOnlyThePostcodeDistrict(t *testing.T) {
	e, _ := newDirPagesEnv(t)
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, tc := range []struct {
		name, method, path, body, want string
	}{
		{"the form", "POST", "/directory", "place=yo1+7hh&term=" + dirTerm(t, "Who is supported", "fathers"), "/directory?place=YO1&term=" + dirTerm(t, "Who is supported", "fathers")},
		{"the form with a place name", "POST", "/directory", "place=+Leeds+", "/directory?place=Leeds"},
		{"a link", "GET", "/directory?place=YO1%207HH", "", "/directory?place=YO1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, e.ts.URL+tc.path, strings.NewReader(tc.body))
			if tc.method == "POST" {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			res, err := noFollow.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != tc.want {
				t.Errorf("%d to %q, want 303 to %q", res.StatusCode, res.Header.Get("Location"), tc.want)
			}
		})
	}
	if status, body := e.page(t, "/directory?place=YO1"); status != 200 || !strings.Contains(body, "Bootham Fathers Project") || !strings.Contains(body, `method="post"`) {
		t.Errorf("the district's results: %d", status)
	}
}
