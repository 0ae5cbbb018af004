package web_test

import (
	"net/url"
	"strings"
	"testing"

	"haven/internal/store"
	"haven/internal/store/storetest"
)

func TestPeopleSearch(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		name := f.person.FirstName
		auditRows := func() int {
			evs, err := db.SearchAudit(t.Context(), store.AuditFilter{RecordType: "person", Action: "view", Page: store.Page{Limit: 500}})
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, e := range evs {
				if e.Section == "search" {
					n++
				}
			}
			return n
		}
		before := auditRows()
		for _, tc := range []struct {
			who    string
			q      string
			status int
			found  bool
			text   string
		}{
			{"allocated", strings.ToUpper(name), 200, true, "Results"},
			{"allocated", "  " + f.person.Ref + " ", 200, true, "Results"},
			{"lead", name[:2], 200, true, "Results"},
			{"other practice lead", name, 200, false, "No one found"},
			{"allocated", "x", 422, false, "Enter at least 2 characters"},
			{"allocated", "", 422, false, "Enter a name or reference to search for"},
		} {
			a := f.allocated
			switch tc.who {
			case "lead":
				a = f.riverLead
			case "other practice lead":
				a = f.otherLead
			}
			c := f.signIn(t, a)
			res := send(t, c, "POST", f.ts.URL+"/people/search", url.Values{"q": {tc.q}})
			if res.status != tc.status || !strings.Contains(res.body, tc.text) {
				t.Errorf("%s searching %q: %d, want %d with %q", tc.who, tc.q, res.status, tc.status, tc.text)
			}
			if got := strings.Contains(res.body, "/people/"+f.person.Ref); got != tc.found {
				t.Errorf("%s searching %q: found her %v, want %v", tc.who, tc.q, got, tc.found)
			}
		}
		if got := auditRows() - before; got != 4 {
			t.Errorf("%d search audit rows for 4 successful searches", got)
		}

		// The API takes the query in the body, never the URL.
		res := apiCall(t, f, f.allocated, "POST", "/api/v1/people/search", `{"query":"`+name+`"}`)
		if res.status != 200 || !strings.Contains(res.body, f.person.Ref) {
			t.Errorf("API search: %d %s", res.status, res.body)
		}
		for _, body := range []string{`{"query":"a"}`, `{"query":"ab","limit":501}`, `{"query":"ab","after":"-1"}`, `{"q":"ab"}`, `not json`} {
			if res := apiCall(t, f, f.allocated, "POST", "/api/v1/people/search", body); res.status < 400 || res.status > 499 || !strings.Contains(res.header.Get("Content-Type"), "json") {
				t.Errorf("API search %s: %d %s, want a JSON 4xx", body, res.status, res.body)
			}
		}
	})
}
