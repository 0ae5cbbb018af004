package web

import (
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"haven/internal/haven"
	"haven/internal/reunify"
)

// FuzzDecisionRequest: the body of POST …/reunification/decisions is a
// proposal with a real kind, or a 4xx naming what is wrong; never a panic
// or a 5xx.
func FuzzDecisionRequest(f *testing.F) {
	for _, s := range []string{
		`{"kind":"decision-1","answer":"yes","decidedOn":"2026-11-20","rationale":"Ready","version":2}`,
		`{"kind":"risk-2","level":4,"decidedOn":"2026-11-20","rationale":"Concerns\nremain","version":9}`,
		`{"kind":"decision-9"}`, `{"kind":1}`, `{"kind":"risk-1","level":"3"}`, `{"kind":"risk-1","level":1e99}`,
		`{"decidedOn":"2026-02-30"}`, `{"decidedOn":20261120}`, `{"rationale":"a\u0000b"}`, `{"version":-1}`,
		`{"kind":"decision-1","extra":true}`, `[]`, `null`, ``, "\xff", `{"kind":"decision-1"} {}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		d, _, err := parseDecisionRequest(httptest.NewRequest("POST", "/api/v1/la/children/1/reunification/decisions", strings.NewReader(body)))
		if err != nil {
			if s := statusOf(err); s < 400 || s >= 500 {
				t.Fatalf("%q: status %d", body, s)
			}
			if he, ok := errors.AsType[*haven.Error](err); ok && he.Kind == haven.KindInvalid && len(he.Fields) == 0 {
				t.Fatalf("%q: a 422 naming no field", body)
			}
			return
		}
		if _, ok := reunify.ParseDecisionKind(string(d.Kind)); !ok {
			t.Fatalf("%q: accepted kind %q", body, d.Kind)
		}
	})
}

// FuzzSignOffRequest: the body of POST …/decisions/{id}/sign-off is a
// sign-off or a decline, or a 4xx; never a panic or a 5xx.
func FuzzSignOffRequest(f *testing.F) {
	for _, s := range []string{
		`{"version":3}`, `{"version":3,"action":"sign-off"}`, `{"version":3,"action":"decline","reason":"Say more"}`,
		`{"action":"approve"}`, `{"action":null}`, `{"version":"3"}`, `{"reason":"\ud800"}`, `{}`, `[]`, `null`, ``, "\xff",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		b, err := parseSignOffRequest(httptest.NewRequest("POST", "/api/v1/la/children/1/reunification/decisions/1/sign-off", strings.NewReader(body)))
		if err != nil {
			if s := statusOf(err); s < 400 || s >= 500 {
				t.Fatalf("%q: status %d", body, s)
			}
			return
		}
		if b.Action != "sign-off" && b.Action != "decline" {
			t.Fatalf("%q: action %q", body, b.Action)
		}
	})
}
