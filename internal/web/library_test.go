package web_test

import (
	"encoding/xml"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"haven/internal/access"
	"haven/internal/library"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// libraryIDs finds demo resources: a published one, a retired one and a
// proposed one.
func libraryIDs(t *testing.T, db *store.DB) (published, retired, proposed library.Resource) {
	t.Helper()
	res, err := db.SearchLibrary(t.Context(), library.Filter{Statuses: []library.Status{library.StatusPublished, library.StatusRetired, library.StatusProposed}, PerPage: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range res.Hits {
		switch h.Resource.Status {
		case library.StatusPublished:
			if published.ID == 0 {
				published = h.Resource
			}
		case library.StatusRetired:
			retired = h.Resource
		case library.StatusProposed:
			proposed = h.Resource
		}
	}
	if published.ID == 0 || retired.ID == 0 || proposed.ID == 0 {
		t.Fatalf("demo library lacks a status: %d %d %d", published.ID, retired.ID, proposed.ID)
	}
	return published, retired, proposed
}

func libPath(r library.Resource, suffix string) string {
	return "/library/resources/" + strconv.FormatInt(r.ID, 10) + suffix
}

// Every role against every library route: the public pages for anyone,
// proposing for anyone signed in, and review and editing for library
// editors only. A refused request changes nothing.
func TestLibraryRouteMatrix(t *testing.T) {
	db := storetest.SQLite(t)
	e := newAuthEnv(t, db)
	pub, _, prop := libraryIDs(t, db)
	public := []string{"/library", "/library?q=grief&topic=grief-loss", "/library/feed.atom", libPath(pub, "")}
	editor := []struct{ method, path string }{
		{"GET", "/library/review"},
		{"GET", libPath(prop, "/edit")},
		{"POST", libPath(prop, "/edit")},
		{"POST", libPath(prop, "/publish")},
		{"POST", libPath(pub, "/feature")},
		{"POST", libPath(pub, "/retire")},
	}
	form := url.Values{"title": {"Changed"}, "featured": {"yes"}, "replacement": {""}}
	check := func(who string, c func() (status int, loc string), ok bool, label string) {
		t.Helper()
		status, loc := c()
		if ok && status >= 400 {
			t.Errorf("%s: %s answered %d", who, label, status)
		}
		if !ok && status != 401 && status != 403 && status != 404 && !(status == 303 && strings.HasPrefix(loc, "/sign-in")) {
			t.Errorf("%s: %s answered %d to %q", who, label, status, loc)
		}
	}
	browsers := map[string]func() *http.Client{"signed out": func() *http.Client { return e.browser() }}
	for _, role := range access.Roles() {
		browsers[string(role)] = func() *http.Client { return e.signIn(t, e.account(role)) }
	}
	for who, mk := range browsers {
		c := mk()
		for _, p := range public {
			check(who, func() (int, string) {
				r := send(t, c, "GET", e.ts.URL+p, nil)
				return r.status, r.header.Get("Location")
			}, true, "GET "+p)
		}
		signedIn := who != "signed out"
		check(who, func() (int, string) {
			r := send(t, c, "GET", e.ts.URL+"/library/propose", nil)
			return r.status, r.header.Get("Location")
		}, signedIn, "GET /library/propose")
		// An empty proposal: refused for the public, a form error for staff.
		post := send(t, c, "POST", e.ts.URL+"/library/propose", url.Values{})
		if (signedIn && post.status != 422) || (!signedIn && post.status != 401 && post.status != 303) {
			t.Errorf("%s: POST /library/propose answered %d", who, post.status)
		}
		isEditor := who == string(access.RoleLibraryEditor)
		for _, rt := range editor {
			if isEditor && rt.method == "POST" {
				continue // the editor's changes are tested on their own
			}
			check(who, func() (int, string) {
				r := send(t, c, rt.method, e.ts.URL+rt.path, form)
				return r.status, r.header.Get("Location")
			}, isEditor, rt.method+" "+rt.path)
		}
	}
	for _, r := range []library.Resource{pub, prop} {
		again, err := db.Resource(t.Context(), r.ID)
		if err != nil || again.Status != r.Status || again.Version != r.Version || again.Featured != r.Featured {
			t.Errorf("a refused request changed resource %d: %+v, %v", r.ID, again, err)
		}
	}
	// Nothing proposed or retired is public beyond a retired resource's own page.
	if res := send(t, e.browser(), "GET", e.ts.URL+libPath(prop, ""), nil); res.status != 404 {
		t.Errorf("a proposed resource's page answered %d", res.status)
	}
}

// The library page searches with highlighted snippets and facet counts,
// keeps odd input from becoming an error, and the feed is valid Atom.
func TestLibraryPublicPages(t *testing.T) {
	db := storetest.SQLite(t)
	e := newAuthEnv(t, db)
	c := e.browser()
	res := send(t, c, "GET", e.ts.URL+"/library?q=grief&topic=grief-loss", nil)
	if res.status != 200 {
		t.Fatalf("search: %d", res.status)
	}
	for _, want := range []string{"<mark>grief</mark>", `class="moj-filter-layout"`, `class="moj-filter__tag"`, "remove this filter",
		`id="topic-grief-loss" name="topic" type="checkbox" value="grief-loss" checked`, "fictional"} {
		if !strings.Contains(strings.ToLower(res.body), want) {
			t.Errorf("search page lacks %q", want)
		}
	}
	if res := send(t, c, "GET", e.ts.URL+"/library?page=2", nil); res.status != 200 || !strings.Contains(res.body, `class="govuk-pagination"`) || !strings.Contains(res.body, `aria-current="page"`) {
		t.Errorf("browsing page 2: %d", res.status)
	}
	for _, q := range []string{`"`, `grief" OR (`, "NEAR(a b)", "日本語", "%00", `\`, "*"} {
		if res := send(t, c, "GET", e.ts.URL+"/library?q="+url.QueryEscape(q), nil); res.status != 200 {
			t.Errorf("q=%q answered %d", q, res.status)
		}
	}
	if res := send(t, c, "GET", e.ts.URL+"/library?topic=cooking", nil); res.status != 422 || !strings.Contains(res.body, "Choose each topic from the list") {
		t.Errorf("unknown topic: %d", res.status)
	}
	_, retired, _ := libraryIDs(t, db)
	if res := send(t, c, "GET", e.ts.URL+libPath(retired, ""), nil); res.status != 200 || !strings.Contains(res.body, "It has been replaced by") {
		t.Errorf("retired resource page: %d", res.status)
	}
	feed := send(t, c, "GET", e.ts.URL+"/library/feed.atom", nil)
	if feed.status != 200 || !strings.HasPrefix(feed.header.Get("Content-Type"), "application/atom+xml") {
		t.Fatalf("feed: %d %q", feed.status, feed.header.Get("Content-Type"))
	}
	var doc struct {
		XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		ID      string   `xml:"id"`
		Title   string   `xml:"title"`
		Updated string   `xml:"updated"`
		Links   []struct {
			Rel  string `xml:"rel,attr"`
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Entries []struct {
			ID      string `xml:"id"`
			Title   string `xml:"title"`
			Updated string `xml:"updated"`
			Author  []struct {
				Name string `xml:"name"`
			} `xml:"author"`
			Links []struct {
				Rel  string `xml:"rel,attr"`
				Href string `xml:"href,attr"`
			} `xml:"link"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal([]byte(feed.body), &doc); err != nil {
		t.Fatalf("feed is not XML: %v", err)
	}
	if doc.ID == "" || doc.Title == "" || doc.Updated == "" || len(doc.Entries) != 30 {
		t.Errorf("feed: id %q title %q updated %q, %d entries", doc.ID, doc.Title, doc.Updated, len(doc.Entries))
	}
	for _, en := range doc.Entries {
		if en.ID == "" || en.Title == "" || en.Updated == "" || len(en.Author) == 0 || en.Author[0].Name == "" || len(en.Links) == 0 || en.Links[0].Rel != "alternate" {
			t.Errorf("entry lacks what RFC 4287 requires: %+v", en)
		}
		if strings.Contains(en.Title, "Retired") || en.ID == e.ts.URL+libPath(retired, "") {
			t.Errorf("the feed has a retired resource")
		}
	}
}

// A practitioner's proposal is not public until an editor publishes it;
// editing keeps versions; retiring points to the replacement; each change
// has its audit row.
func TestLibraryContributionFlow(t *testing.T) {
	db := storetest.SQLite(t)
	e := newAuthEnv(t, db)
	pub, _, _ := libraryIDs(t, db)
	staff := e.signIn(t, e.account(access.RolePractitioner))
	form := url.Values{"title": {"Zephyrine housing checklist"}, "summary": {"A checklist for housing appointments."}, "type": {"tool"},
		"topics": {"housing"}, "audiences": {"practitioners"}, "author": {"A. Practitioner (fictional)"}, "date-day": {"3"}, "date-month": {"2"},
		"date-year": {"2026"}, "licence": {"cc-by-4"}, "link": {"https://example.org/zephyrine"}}
	bad := url.Values{"title": {"<script>"}}
	if res := send(t, staff, "POST", e.ts.URL+"/library/propose", bad); res.status != 422 || !strings.Contains(res.body, "Title must be plain text") || !strings.Contains(res.body, "Enter the link") {
		t.Errorf("bad proposal: %d", res.status)
	}
	if res := send(t, staff, "POST", e.ts.URL+"/library/propose", form); res.status != 303 {
		t.Fatalf("proposal: %d %s", res.status, res.body)
	}
	search := func() string { return send(t, e.browser(), "GET", e.ts.URL+"/library?q=zephyrine", nil).body }
	if strings.Contains(search(), "Zephyrine housing checklist") {
		t.Fatal("a proposal is public before an editor publishes it")
	}
	queue, err := db.ProposedResources(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var mine library.Resource
	for _, r := range queue {
		if r.Title == "Zephyrine housing checklist" {
			mine = r
		}
	}
	if mine.ID == 0 {
		t.Fatal("the proposal is not in the review queue")
	}
	ed := e.signIn(t, e.account(access.RoleLibraryEditor))
	if res := send(t, ed, "GET", e.ts.URL+"/library/review", nil); res.status != 200 || !strings.Contains(res.body, "Zephyrine housing checklist") {
		t.Errorf("review queue: %d", res.status)
	}
	if res := send(t, ed, "POST", e.ts.URL+libPath(mine, "/publish"), url.Values{}); res.status != 303 {
		t.Fatalf("publish: %d", res.status)
	}
	if res := send(t, ed, "POST", e.ts.URL+libPath(mine, "/publish"), url.Values{}); res.status != 409 {
		t.Errorf("publishing twice: %d", res.status)
	}
	if !strings.Contains(search(), "Zephyrine housing checklist") {
		t.Fatal("a published resource is not in search")
	}
	edit := url.Values{}
	for k, v := range form {
		edit[k] = v
	}
	edit.Set("title", "Zephyrine housing checklist, second edition")
	edit.Set("version", "1")
	if res := send(t, ed, "POST", e.ts.URL+libPath(mine, "/edit"), edit); res.status != 303 {
		t.Fatalf("edit: %d %s", res.status, res.body)
	}
	if res := send(t, ed, "POST", e.ts.URL+libPath(mine, "/edit"), edit); res.status != 409 {
		t.Errorf("edit from a stale version: %d", res.status)
	}
	page := send(t, e.browser(), "GET", e.ts.URL+libPath(mine, ""), nil)
	if page.status != 200 || !strings.Contains(page.body, "second edition") || !strings.Contains(page.body, "Changed: title") {
		t.Errorf("resource page after edit: %d", page.status)
	}
	if res := send(t, ed, "POST", e.ts.URL+libPath(mine, "/feature"), url.Values{"featured": {"yes"}}); res.status != 303 {
		t.Fatalf("feature: %d", res.status)
	}
	featured := func() bool {
		body := send(t, e.browser(), "GET", e.ts.URL+"/library", nil).body
		i := strings.Index(body, "moj-filter-layout")
		return i > 0 && strings.Contains(body[:i], "second edition")
	}
	if !featured() {
		t.Error("a featured resource is not listed as featured")
	}
	if res := send(t, ed, "POST", e.ts.URL+libPath(mine, "/retire"), url.Values{"replacement": {"not a number"}}); res.status != 422 || !strings.Contains(res.body, "Enter the replacement") {
		t.Errorf("retire with a bad replacement: %d", res.status)
	}
	if res := send(t, ed, "POST", e.ts.URL+libPath(mine, "/retire"), url.Values{"replacement": {e.ts.URL + libPath(pub, "")}}); res.status != 303 {
		t.Fatalf("retire: %d", res.status)
	}
	page = send(t, e.browser(), "GET", e.ts.URL+libPath(mine, ""), nil)
	if !strings.Contains(page.body, "This resource has been retired") || !strings.Contains(page.body, `href="`+libPath(pub, "")+`"`) {
		t.Errorf("retired page lacks its banner or replacement")
	}
	if strings.Contains(search(), "Zephyrine housing checklist") {
		t.Error("a retired resource is still in search")
	}
	if featured() {
		t.Error("a retired resource is still featured")
	}
	trail, err := db.SearchAudit(t.Context(), store.AuditFilter{RecordType: store.KindLibraryResource, RecordID: strconv.FormatInt(mine.ID, 10), Page: store.Page{Limit: 50}})
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]int{}
	for _, ev := range trail {
		actions[string(ev.Action)]++
	}
	if actions["create"] != 1 || actions["update"] != 4 {
		t.Errorf("audit rows %v, want a create and four updates", actions)
	}
}
