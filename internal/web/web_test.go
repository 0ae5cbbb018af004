package web_test

import (
	"bytes"
	"crypto/rand"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"haven/internal/audit"
	"haven/internal/auth"
	"haven/internal/demo"
	"haven/internal/store"
	"haven/internal/store/storetest"
	"haven/internal/web"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// newServer returns a test server over a demo database, and the log it writes.
func newServer(t *testing.T, db *store.DB) (*httptest.Server, *testLog) {
	t.Helper()
	if _, err := demo.Seed(t.Context(), db, demo.Options{Hasher: &auth.Hasher{Memory: 64, Time: 1}}); err != nil {
		t.Fatal(err)
	}
	logs := &testLog{}
	s, err := web.NewServer(web.Options{Store: db, Logger: slog.New(slog.NewJSONHandler(logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return ts, logs
}

// testLog collects a server's log. Haven writes a request's log line after
// the response has gone, so a test may read while the server still writes:
// both lock.
type testLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *testLog) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(b)
}

func (l *testLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// after returns the log once it holds every one of want, or as it stands
// after two seconds: a request's line may land just after its response.
func (l *testLog) after(want ...string) string {
	deadline := time.Now().Add(2 * time.Second)
	for {
		out, all := l.String(), true
		for _, w := range want {
			all = all && strings.Contains(out, w)
		}
		if all || time.Now().After(deadline) {
			return out
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

type response struct {
	status int
	header http.Header
	body   string
}

func do(t *testing.T, req *http.Request) response {
	t.Helper()
	c := &http.Client{CheckRedirect: noRedirect}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{res.StatusCode, res.Header, string(b)}
}

func get(t *testing.T, u string) response {
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	return do(t, req)
}

func postForm(t *testing.T, u, body string) response {
	if !strings.Contains(body, web.IdempotencyField+"=") {
		body += "&" + web.IdempotencyField + "=" + rand.Text()
	}
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return do(t, req)
}

// S15: every route declares the permission it needs; none is left open by omission.
func TestS15EveryRouteDeclaresAPermission(t *testing.T) {
	s, err := web.NewServer(web.Options{Store: storetest.SQLite(t)})
	if err != nil {
		t.Fatal(err)
	}
	routes := s.Routes()
	if len(routes) < 5 {
		t.Fatalf("only %d routes registered", len(routes))
	}
	for pattern, perm := range routes {
		if perm == "" {
			t.Errorf("route %q declares no permission", pattern)
		}
	}
}

func TestPagesOnBothDatabases(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ts, _ := newServer(t, db)
		tests := []struct {
			path       string
			wantStatus int
			want       string
		}{
			{"/", 200, "Find a Practice that covers your area"},
			{"/practices", 200, "Riverside Practice (demo)"},
			{"/practices/demo-hillcrest", 200, "Kent"},
			{"/practices/no-such-practice", 404, "Page not found"},
			{"/practices/BAD%20SLUG", 404, "Page not found"},
			{"/find-a-practice", 200, `name="area"`},
			{"/accessibility", 200, "WCAG"},
			{"/privacy", 200, "data controller"},
			{"/cookies", 200, "strictly necessary"},
			{"/calculators/return-home", 200, "£166,536.00"},
			{"/calculators/infant-care?careCost=40000&programmeCost=300000", 200, "£4,560,000.00"},
			{"/library?q=parenting+%22grief+and+loss%22&topic=grief-loss", 200, "</mark>"},
			{"/library/feed.atom", 200, `<feed xmlns="http://www.w3.org/2005/Atom">`},
			{"/healthz", 200, "ok"},
			{"/readyz", 200, "ok"},
			{"/static/dist/app.css", 200, "govuk-"},
			{"/static/app.mjs", 200, "initAll"},
			// S26: /static/ serves files, never a listing of a directory (issue 16, item 9).
			{"/static/", 404, "Page not found"},
			{"/static/dist/", 404, "Page not found"},
			{"/static/dist", 404, "Page not found"},
			{"/static/dist/images/", 404, "Page not found"},
			{"/no/such/page", 404, "Page not found"},
		}
		for _, tt := range tests {
			t.Run(tt.path, func(t *testing.T) {
				res := get(t, ts.URL+tt.path)
				if res.status != tt.wantStatus {
					t.Errorf("status = %d, want %d", res.status, tt.wantStatus)
				}
				if !strings.Contains(res.body, tt.want) {
					t.Errorf("body does not contain %q", tt.want)
				}
			})
		}
	})
}

// S26, S27: security headers on every response, error pages included.
func TestS26SecurityHeadersOnEveryResponse(t *testing.T) {
	ts, _ := newServer(t, storetest.SQLite(t))
	reqs := map[string]*http.Request{}
	for _, p := range []string{"/", "/practices", "/no-such-page", "/static/dist/app.css", "/healthz"} {
		reqs["GET "+p], _ = http.NewRequest("GET", ts.URL+p, nil)
	}
	reqs["DELETE /practices"], _ = http.NewRequest("DELETE", ts.URL+"/practices", nil)
	bad, _ := http.NewRequest("POST", ts.URL+"/find-a-practice", strings.NewReader("area=%zz"))
	bad.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	reqs["POST malformed"] = bad
	for name, req := range reqs {
		t.Run(name, func(t *testing.T) {
			res := do(t, req)
			csp := res.header.Get("Content-Security-Policy")
			for _, d := range []string{"default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"} {
				if !strings.Contains(csp, d) {
					t.Errorf("CSP %q lacks %q", csp, d)
				}
			}
			if got := res.header.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options = %q", got)
			}
			if got := res.header.Get("Referrer-Policy"); got == "" {
				t.Error("no Referrer-Policy")
			}
			if res.header.Get("Strict-Transport-Security") != "" {
				t.Error("HSTS sent over plain HTTP")
			}
			if strings.HasPrefix(name, "GET /static/") {
				return
			}
			if got := res.header.Get("Cache-Control"); got != "no-store" {
				t.Errorf("Cache-Control = %q, want no-store", got)
			}
		})
	}
}

func TestHSTSWhenServedOverHTTPS(t *testing.T) {
	s, err := web.NewServer(web.Options{Store: storetest.SQLite(t), HTTPS: true})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", "/no-such-page", nil))
	if got := rec.Header().Get("Strict-Transport-Security"); !strings.Contains(got, "max-age=63072000") {
		t.Errorf("HSTS = %q", got)
	}
}

// Bad requests get a clear 4xx, never a 500, and every error page carries a reference.
func TestBadRequestsGetClear4xx(t *testing.T) {
	ts, _ := newServer(t, storetest.SQLite(t))
	big := "area=" + strings.Repeat("a", 1<<20)
	tests := []struct {
		name       string
		method     string
		path       string
		body       string
		header     map[string]string
		wantStatus int
		want       string
	}{
		{"unknown path", "GET", "/nowhere", "", nil, 404, "Page not found"},
		{"wrong method", "DELETE", "/practices", "", nil, 405, "not available"},
		{"wrong method on form", "PUT", "/find-a-practice", "area=x", nil, 405, "not available"},
		{"body over the limit", "POST", "/find-a-practice", big, nil, 413, "too large"},
		{"malformed form", "POST", "/find-a-practice", "area=%zz", nil, 400, "could not be read"},
		{"invalid UTF-8", "POST", "/find-a-practice", "area=%ff%fe", nil, 422, "Postcode or place name contains characters Haven cannot read"}, // S22
		{"invalid UTF-8 in a field name", "POST", "/find-a-practice", "%ff=1&area=x", nil, 400, "characters"},
		{"empty search", "POST", "/find-a-practice", "area=", nil, 422, "There is a problem"},
		{"search too long", "POST", "/find-a-practice", "area=" + strings.Repeat("x", 101), nil, 422, "100 characters or fewer"},
		{"cross-origin post", "POST", "/find-a-practice", "area=leeds", map[string]string{"Origin": "https://attacker.example", "Sec-Fetch-Site": "cross-site"}, 403, "another website"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, ts.URL+tt.path, strings.NewReader(tt.body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			res := do(t, req)
			if res.status != tt.wantStatus {
				t.Errorf("status = %d, want %d", res.status, tt.wantStatus)
			}
			if !strings.Contains(res.body, tt.want) {
				t.Errorf("body lacks %q", tt.want)
			}
			if tt.wantStatus >= 400 && tt.wantStatus != 422 && !strings.Contains(res.body, "Reference:") {
				t.Error("error page has no reference")
			}
		})
	}
}

// The search keeps what was typed when it is rejected, and never puts it in a URL (S28).
func TestFindPracticeKeepsInputAndUsesPost(t *testing.T) {
	ts, _ := newServer(t, storetest.SQLite(t))
	long := strings.Repeat("z", 101)
	res := postForm(t, ts.URL+"/find-a-practice", url.Values{"area": {long}}.Encode())
	if !strings.Contains(res.body, `value="`+long+`"`) {
		t.Error("rejected input was not kept in the form")
	}
	res = postForm(t, ts.URL+"/find-a-practice", "area=portsmouth")
	if !strings.Contains(res.body, "Harbour Practice (demo)") {
		t.Error("search for portsmouth did not find the Harbour Practice")
	}
	res = postForm(t, ts.URL+"/find-a-practice", "area=atlantis")
	if !strings.Contains(res.body, "No areas match") {
		t.Error("search for an unknown area did not say so")
	}
	res = postForm(t, ts.URL+"/find-a-practice", url.Values{"area": {"<script>alert(1)</script>"}}.Encode())
	if strings.Contains(res.body, "<script>alert(1)</script>") {
		t.Error("search input echoed without escaping")
	}
}

// S36: an internal failure shows a generic page with a reference, never SQL or a stack.
func TestS36InternalErrorsShowOnlyAReference(t *testing.T) {
	db := storetest.SQLite(t)
	ts, logs := newServer(t, db)
	db.Close() // every query now fails
	res := get(t, ts.URL+"/practices")
	if res.status != 500 {
		t.Fatalf("status = %d, want 500", res.status)
	}
	for _, leak := range []string{"sql", "goroutine", "database is closed", "panic"} {
		if strings.Contains(strings.ToLower(res.body), leak) {
			t.Errorf("500 page leaks %q", leak)
		}
	}
	if !strings.Contains(res.body, "Reference:") {
		t.Error("500 page has no reference")
	}
	if out := logs.after(`"status":500`, "database is closed"); !strings.Contains(out, `"status":500`) || !strings.Contains(out, "database is closed") {
		t.Error("the internal error was not logged with its cause")
	}
	if res := get(t, ts.URL+"/readyz"); res.status != 503 {
		t.Errorf("readyz with a closed database = %d, want 503", res.status)
	}
}

// Log lines name the route pattern, never the raw path or what was typed.
func TestLogsCarryRoutesNotData(t *testing.T) {
	ts, logs := newServer(t, storetest.SQLite(t))
	get(t, ts.URL+"/practices/demo-riverside")
	postForm(t, ts.URL+"/find-a-practice", "area=SentinelTownName")
	get(t, ts.URL+"/secret-path-Sentinel")
	wants := []string{`"route":"GET /practices/{slug}"`, `"route":"POST /find-a-practice"`, `"route":"unmatched"`, `"request_id":`}
	out := logs.after(wants...)
	for _, want := range wants {
		if !strings.Contains(out, want) {
			t.Errorf("logs lack %s", want)
		}
	}
	if strings.Contains(out, "Sentinel") || strings.Contains(out, "demo-riverside") {
		t.Errorf("logs carry request data:\n%s", out)
	}
}

func cliAudit() audit.Event { return audit.Event{Role: "cli", RequestID: "test"} }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
