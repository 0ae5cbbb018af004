package web

import (
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"haven/internal/haven"
	"haven/internal/reunify"
)

// checkLARefusal fails unless err is a 4xx, and a 422 names only fields
// the body's JSON names.
func checkLARefusal(t *testing.T, body string, err error, fields ...string) {
	t.Helper()
	if s := statusOf(err); s < 400 || s >= 500 {
		t.Fatalf("%q: status %d", body, s)
	}
	he, ok := errors.AsType[*haven.Error](err)
	if !ok || he.Kind != haven.KindInvalid {
		return
	}
	if len(he.Fields) == 0 {
		t.Fatalf("%q: a 422 naming no field", body)
	}
	for k, msg := range he.Fields {
		if msg == "" {
			t.Fatalf("%q: field %s has no message", body, k)
		}
		known := false
		for _, f := range fields {
			known = known || f == k
		}
		if !known && !strings.Contains(msg, "control characters") && !strings.Contains(msg, "cannot read") {
			t.Fatalf("%q: unexpected field %q", body, k)
		}
	}
}

// FuzzLAChildRequest: any body to POST /api/v1/la/children gives a child
// that passes every check, or a 4xx; never a panic.
func FuzzLAChildRequest(f *testing.F) {
	for _, s := range []string{
		`{"ref":"C-1001","firstName":"Robin","bornOn":"2019-03-04"}`,
		`{"ref":"","firstName":"","bornOn":""}`,
		`{"ref":"C 1001","firstName":"Ro\u202ebin","bornOn":"2019-02-30"}`,
		`{"ref":"ABCDEFGHIJK","firstName":"Robin","bornOn":"1990-01-01"}`,
		`{"ref":7,"firstName":null}`, `{"id":1}`, `[]`, `null`, ``, "\xff",
	} {
		f.Add(s)
	}
	today := haven.NewDate(2026, 12, 7)
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest("POST", "/api/v1/la/children", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		c, err := parseLAChildRequest(req, 4, today)
		if err != nil {
			checkLARefusal(t, body, err, "ref", "firstName", "bornOn")
			return
		}
		if c.Team != 4 || c.Validate(today) != nil || !utf8.ValidString(c.FirstName) || haven.CheckName(c.FirstName) != haven.TextOK {
			t.Fatalf("%q: accepted %+v", body, c)
		}
	})
}

// FuzzLAEpisodeRequest: any body to POST …/episodes gives an episode whose
// codes are all current and whose dates are in order, or a 4xx.
func FuzzLAEpisodeRequest(f *testing.F) {
	for _, s := range []string{
		`{"startsOn":"2025-01-10","rne":"S","legalStatus":"C2","placement":"U4","provider":"PR1"}`,
		`{"startsOn":"2025-01-10","rne":"S","legalStatus":"C2","placement":"U4","endsOn":"2025-06-01","rec":"E4A"}`,
		`{"startsOn":"2025-01-10","rne":"S","legalStatus":"C2","placement":"P2"}`,
		`{"startsOn":"2025-06-10","rne":"S","legalStatus":"C2","placement":"U4","endsOn":"2025-06-01","rec":"E4A"}`,
		`{"startsOn":"2025-01-10","rne":"S","legalStatus":"C2","placement":"U4","endsOn":"2025-06-01"}`,
		`{"startsOn":"2999-01-10","rne":"Q","legalStatus":"","placement":"U4","rec":"E4A"}`,
		`{"startsOn":5}`, `{"placeChange":"CARPL"}`, `{}`, `[]`, ``, "\xff",
	} {
		f.Add(s)
	}
	today := haven.NewDate(2026, 12, 7)
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest("POST", "/api/v1/la/children/1/episodes", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		e, err := parseLAEpisodeRequest(req, 1, today)
		if err != nil {
			checkLARefusal(t, body, err, "startsOn", "rne", "legalStatus", "placement", "provider", "endsOn", "rec")
			return
		}
		if e.Child != 1 || e.Validate(today) != nil || currentCodes(e) != nil {
			t.Fatalf("%q: accepted %+v", body, e)
		}
		for _, c := range []struct {
			code string
			l    reunify.CodeList
		}{{e.RNE, reunify.NewEpisodeReasons}, {e.LegalStatus, reunify.LegalStatuses}, {e.Placement, reunify.Placements}} {
			if x, ok := c.l.Find(c.code); !ok || !x.Current {
				t.Fatalf("%q: accepted code %q", body, c.code)
			}
		}
	})
}
