package web

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"haven/internal/haven"
)

// Fuzz targets for the parsers of outside input. `go test` runs their seeds;
// `make fuzz` explores further.

// FuzzParseForm: any body gives a parsed form or a 4xx, never a panic, and
// nothing that is not UTF-8 gets through.
func FuzzParseForm(f *testing.F) {
	for _, s := range []string{"area=leeds", "area=%zz", "area=%ff", "a=1&a=2&b", "=&&=", strings.Repeat("x=1&", 100)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest("POST", "/find-a-practice", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Body = http.MaxBytesReader(httptest.NewRecorder(), req.Body, defaultMaxBody)
		if err := parseForm(req); err != nil {
			if s := statusOf(err); s < 400 || s >= 500 {
				t.Fatalf("parseForm(%q) error has status %d", body, s)
			}
			return
		}
		for k, vs := range req.PostForm {
			if !utf8.ValidString(k) {
				t.Fatalf("invalid UTF-8 key %q accepted", k)
			}
			for _, v := range vs {
				if !utf8.ValidString(v) {
					t.Fatalf("invalid UTF-8 value %q accepted", v)
				}
			}
		}
	})
}

// FuzzDecodeJSON: any API body is decoded or refused with a 4xx.
func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{`{"referredOn":"2026-11-02"}`, `{"referredOn":`, "null", ` {"referredOn":null} `, `{"referredon":"2026-11-02","referredOn":""}`, `{}{}`, `[]`, `{"referredOn":"2026-02-30"}`, `{"x":1}`, "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest("POST", "/api/v1/x", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		var v struct {
			ReferredOn haven.Date `json:"referredOn"`
		}
		if err := decodeJSON(req, &v); err != nil {
			if s := statusOf(err); s < 400 || s >= 500 {
				t.Fatalf("decodeJSON(%q) error has status %d", body, s)
			}
			return
		}
		// Accepted: exactly one JSON object, whose date reads as it was written.
		if !json.Valid([]byte(body)) || !strings.HasPrefix(strings.TrimLeft(body, " \t\r\n"), "{") {
			t.Fatalf("decodeJSON accepted %q, which is not one JSON object", body)
		}
		var loose struct{ ReferredOn string }
		if json.Unmarshal([]byte(body), &loose) == nil && loose.ReferredOn != v.ReferredOn.String() {
			t.Fatalf("decodeJSON(%q) read the date as %q", body, v.ReferredOn)
		}
	})
}

// FuzzPageParam: the paging query parameter never goes negative, and a
// cursor that is a page's last ID is kept exactly.
func FuzzPageParam(f *testing.F) {
	for _, s := range []string{"", "0", "42", "-5", "9999999999999999999999", "abc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, after string) {
		req := httptest.NewRequest("GET", "/people", nil)
		q := req.URL.Query()
		q.Set("after", after)
		req.URL.RawQuery = q.Encode()
		pg := pageParam(req)
		if pg.After < 0 || pg.Limit <= 0 {
			t.Fatalf("pageParam(%q) = %+v", after, pg)
		}
		// A cursor Haven wrote is followed exactly; anything else starts at the beginning.
		if n, err := strconv.ParseInt(after, 10, 64); err == nil && n >= 0 && pg.After != n || (err != nil || n < 0) && pg.After != 0 {
			t.Fatalf("pageParam(%q) = %+v", after, pg)
		}
	})
}

// FuzzLocalPath: a carried form or a next link never leaves the site, as a
// browser reads it after its own clean-up of the URL (S13, S23).
func FuzzLocalPath(f *testing.F) {
	for _, s := range []string{"/account", "//evil.example", "https://evil.example", "/\\evil", "", "/a\r\nb", "/\t/evil.example", "/\t\\evil"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		got := localPath(p)
		if !strings.HasPrefix(got, "/") {
			t.Fatalf("localPath(%q) = %q is not a path", p, got)
		}
		if u, err := browserFollows(got); err != nil || u.Host != "haven.example" || u.Scheme != "https" {
			t.Fatalf("localPath(%q) = %q, which a browser follows to %v (%v)", p, got, u, err)
		}
	})
}
