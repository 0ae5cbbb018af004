package web_test

import (
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"haven/internal/directory"
	"haven/internal/store/storetest"
	"haven/internal/web"
)

// pagingEnv is 63 fictional services covering Leeds (those numbered 1 to
// 30 work with fathers) and one covering York.
func pagingEnv(t *testing.T) *httptest.Server {
	t.Helper()
	db := storetest.SQLite(t)
	ctx := t.Context()
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	db.SetClock(func() time.Time { return at })
	org, err := db.CreateDirOrganisation(ctx, directory.Organisation{Name: "Aire Trust (fictional)"})
	if err != nil {
		t.Fatal(err)
	}
	fathers := dirTerm(t, "Who is supported", "fathers")
	mk := func(name, area string, terms ...string) {
		if _, err := db.CreateService(ctx, directory.Service{OrganisationID: org.ID, Entry: directory.Entry{Name: name, Description: "A fictional service.",
			Status: directory.StatusActive, HowToRefer: "Ring.", ServiceAreas: []string{area}, Terms: terms}}, "test"); err != nil {
			t.Fatal(err)
		}
	}
	for i := 1; i <= 63; i++ {
		var terms []string
		if i <= 30 {
			terms = []string{fathers}
		}
		mk(fmt.Sprintf("Leeds Service %02d", i), "E08000035", terms...)
	}
	mk("Bootham Service", "E06000014")
	s, err := web.NewServer(web.Options{Store: db, Now: func() time.Time { return at }})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return ts
}

func pagingGet(t *testing.T, ts *httptest.Server, path string) (int, string) {
	t.Helper()
	res := do(t, pagingMust(http.NewRequest("GET", ts.URL+path, nil)))
	return res.status, res.body
}

func pagingMust[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

var (
	pageLink = regexp.MustCompile(`<a class="govuk-link govuk-pagination__link" href="([^"]+)"( rel="(?:prev|next)")?`)
	showing  = regexp.MustCompile(`Showing \d+ to \d+ of \d+ services`)
)

// Results come 20 at a time, with GOV.UK pagination whose plain links keep
// the place and the filters; every service is on exactly one page, and a
// page the results do not have is not found.
func TestDirectorySearchPages(t *testing.T) {
	ts := pagingEnv(t)
	fathers := dirTerm(t, "Who is supported", "fathers")
	tests := []struct {
		name, path  string
		showing     string
		results     int
		prev, next  string // the links' targets, "" for none
		currentPage string
	}{
		{"first page", "/directory?place=Leeds", "Showing 1 to 20 of 63 services", 20, "", "/directory?page=2&place=Leeds#results", "1"},
		{"second page", "/directory?place=Leeds&page=2", "Showing 21 to 40 of 63 services", 20, "/directory?place=Leeds#results", "/directory?page=3&place=Leeds#results", "2"},
		{"last page", "/directory?place=Leeds&page=4", "Showing 61 to 63 of 63 services", 3, "/directory?page=3&place=Leeds#results", "", "4"},
		{"filtered", "/directory?place=Leeds&term=" + fathers + "&page=2", "Showing 21 to 30 of 30 services", 10,
			"/directory?place=Leeds&term=" + fathers + "#results", "", "2"},
		{"a postcode district", "/directory?place=LS1", "Showing 1 to 20 of 63 services", 20, "", "/directory?page=2&place=LS1#results", "1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := pagingGet(t, ts, tt.path)
			if status != 200 {
				t.Fatalf("%d\n%s", status, body)
			}
			if got := showing.FindString(body); got != tt.showing {
				t.Errorf("says %q, want %q", got, tt.showing)
			}
			if got := len(resultNames(body)); got != tt.results {
				t.Errorf("%d results, want %d", got, tt.results)
			}
			var prev, next string
			for _, m := range pageLink.FindAllStringSubmatch(body, -1) {
				switch m[2] {
				case ` rel="prev"`:
					prev = html.UnescapeString(m[1])
				case ` rel="next"`:
					next = html.UnescapeString(m[1])
				}
			}
			if prev != tt.prev || next != tt.next {
				t.Errorf("previous %q, next %q; want %q, %q", prev, next, tt.prev, tt.next)
			}
			if want := `aria-label="Page ` + tt.currentPage + `" aria-current="page"`; !strings.Contains(body, want) {
				t.Errorf("page %s not marked as current", tt.currentPage)
			}
		})
	}

	// Every Leeds service once, across the four pages, by following Next.
	seen := map[string]int{}
	for path, n := "/directory?place=Leeds", 0; path != "" && n < 10; n++ {
		_, body := pagingGet(t, ts, path)
		for _, name := range resultNames(body) {
			seen[name]++
		}
		path = ""
		for _, m := range pageLink.FindAllStringSubmatch(body, -1) {
			if m[2] == ` rel="next"` {
				path = html.UnescapeString(m[1])
			}
		}
	}
	if len(seen) != 63 {
		t.Errorf("%d services across the pages, want 63", len(seen))
	}
	for name, n := range seen {
		if n != 1 {
			t.Errorf("%s shown on %d pages", name, n)
		}
	}

	// A single page of results has no pagination.
	if _, body := pagingGet(t, ts, "/directory?place=York"); strings.Contains(body, "govuk-pagination") || len(resultNames(body)) != 1 {
		t.Errorf("York: one result and no pagination expected")
	}
	for _, p := range []string{"5", "0", "-1", "two", "+2"} {
		if status, _ := pagingGet(t, ts, "/directory?place=Leeds&page="+url.QueryEscape(p)); status != http.StatusNotFound {
			t.Errorf("page %q: %d, want 404", p, status)
		}
	}
}

// A full postcode typed into the form never reaches a paging link: the
// search goes on with its district only.
func TestDirectorySearchPagesKeepOnlyThePostcodeDistrict(t *testing.T) {
	ts := pagingEnv(t)
	req := pagingMust(http.NewRequest("POST", ts.URL+"/directory", strings.NewReader(url.Values{"place": {"ls1 1aa"}}.Encode())))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res := do(t, req)
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/directory?place=LS1" {
		t.Fatalf("POST: %d to %q", res.status, res.header.Get("Location"))
	}
	_, body := pagingGet(t, ts, "/directory?place=LS1&page=2")
	links := pageLink.FindAllStringSubmatch(body, -1)
	if len(links) == 0 {
		t.Fatal("no paging links")
	}
	for _, m := range links {
		if l := html.UnescapeString(m[1]); !strings.Contains(l, "place=LS1") || strings.Contains(strings.ToUpper(l), "1AA") {
			t.Errorf("paging link %q", l)
		}
	}
}

// A place name that fits more than one authority is not guessed: the
// choices are offered as links that keep the filters; a whole name, or
// the only match, still goes straight to its results.
func TestDirectoryPlaceChoices(t *testing.T) {
	ts := pagingEnv(t)
	fathers := dirTerm(t, "Who is supported", "fathers")
	tests := []struct {
		typed   string
		where   string   // the results' heading names it, or "" for choices
		choices []string // the authorities offered, by code
	}{
		{"York", "York", nil},
		{"leeds", "Leeds", nil},
		{"Canterbury", "Kent", nil},
		{"Yorkshire", "", []string{"E06000011", "E06000065"}},
		{"Kingston", "", []string{"E06000010", "E09000021"}},
	}
	for _, tt := range tests {
		t.Run(tt.typed, func(t *testing.T) {
			status, body := pagingGet(t, ts, "/directory?"+url.Values{"place": {tt.typed}, "term": {fathers}}.Encode())
			if status != 200 {
				t.Fatalf("%d\n%s", status, body)
			}
			heading := regexp.MustCompile(`<h2 class="govuk-heading-m" id="results">([^<]*)</h2>`).FindStringSubmatch(body)
			if tt.where != "" {
				if heading == nil || !strings.HasSuffix(heading[1], "for "+tt.where) || strings.Contains(body, "Did you mean") {
					t.Errorf("heading %q, want results for %s", heading, tt.where)
				}
				return
			}
			if heading == nil || heading[1] != "Did you mean?" {
				t.Fatalf("heading %q, want Did you mean?", heading)
			}
			var got []string
			for _, m := range regexp.MustCompile(`<li><a class="govuk-link" href="(/directory\?[^"]+)">`).FindAllStringSubmatch(body, -1) {
				u := pagingMust(url.Parse(html.UnescapeString(m[1])))
				if u.Query().Get("term") != fathers {
					t.Errorf("choice %q drops the filter", m[1])
				}
				got = append(got, u.Query().Get("place"))
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.choices) {
				t.Errorf("choices %v, want %v", got, tt.choices)
			}
			if len(resultNames(body)) != 0 {
				t.Errorf("results shown beside the choices")
			}
		})
	}
}

// The public's service navigation leads to the directory from every page,
// the calculators' too, and marks it as the current page on the directory's
// own pages.
func TestFindAServiceInThePublicNavigation(t *testing.T) {
	ts := pagingEnv(t)
	const current = `<a class="govuk-service-navigation__link" href="/directory" aria-current="page"><strong class="govuk-service-navigation__active-fallback">Find a service</strong></a>`
	const link = `<a class="govuk-service-navigation__link" href="/directory">Find a service</a>`
	for _, tt := range []struct {
		path string
		want string
	}{
		{"/directory", current}, {"/directory?place=York", current}, {"/directory/map", current}, {"/directory/suggest", current},
		{"/calculators", link}, {"/calculators/return-home", link}, {"/", link}, {"/practices", link},
	} {
		status, body := pagingGet(t, ts, tt.path)
		if status != 200 || !strings.Contains(body, tt.want) {
			t.Errorf("GET %s: %d, without %s", tt.path, status, tt.want)
		}
	}
}
