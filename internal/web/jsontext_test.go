package web

import (
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"testing"

	"haven/internal/haven"
)

// S22: checkJSONText names each bad string by its path in the body, through
// nested objects, arrays and maps, keys included, and finds what
// encoding/json would silently turn into U+FFFD.
func TestS22CheckJSONTextNamesThePath(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []string // the paths refused; none means accepted
	}{
		{"ordinary", `{"name":"Łucja","note":"line\r\nline\ttab","n":1,"ok":true,"x":null,"kids":[{"name":"Jay"}]}`, nil},
		{"a pair of surrogates is one character", `{"name":"\ud83d\ude42"}`, nil},
		{"an escaped backslash before u", `{"name":"\\ud800"}`, nil},
		{"top level", `{"name":"a\u0000"}`, []string{"name"}},
		{"nested array of objects", `{"children":[{"name":"Jay"},{"name":"Kai\u001b"}]}`, []string{"children[1].name"}},
		{"array of strings", `{"tags":["a","b\u0007"]}`, []string{"tags[1]"}},
		{"nested object", `{"contact":{"via":{"name":"Sam\u007f"}}}`, []string{"contact.via.name"}},
		{"after a nested value", `{"a":{"b":[1,{"c":2}]},"d":"\u0085"}`, []string{"d"}},
		{"invalid UTF-8", "{\"name\":\"caf\xe9\"}", []string{"name"}},
		{"lone high surrogate", `{"name":"\ud800x"}`, []string{"name"}},
		{"lone low surrogate", `{"name":"\udc00"}`, []string{"name"}},
		{"high then not low", `{"name":"\ud800\u0041"}`, []string{"name"}},
		{"a key", `{"m":{"k\u0007":"v"}}`, []string{"m.k\uFFFD"}},
		{"lone CR", `{"note":"a\rb"}`, []string{"note"}},
		{"two fields", `{"a":"\u0000","b":["\u0001"]}`, []string{"a", "b[0]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !json.Valid([]byte(tt.body)) && tt.name != "invalid UTF-8" {
				t.Fatalf("test body is not JSON: %s", tt.body)
			}
			err := checkJSONText([]byte(tt.body))
			var got []string
			if he, ok := errors.AsType[*haven.Error](err); ok {
				got = slices.Sorted(maps.Keys(he.Fields))
				for k, m := range he.Fields {
					if haven.CheckText(m) != haven.TextOK || len(m) <= len(k) || m[:len(k)] != k {
						t.Errorf("message %q does not name %q", m, k)
					}
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("refused %q, want %q", got, tt.want)
			}
		})
	}
}

// S23: checkJSONText under go test -fuzz. For any JSON it accepts, the body
// is valid UTF-8 and every string encoding/json decodes from it, key or
// value, passes haven.CheckText; whatever it refuses names a field.
func FuzzCheckJSONText(f *testing.F) {
	for _, s := range []string{`{"a":"b"}`, `{"a":"\u0000"}`, `{"a":["\u001b"]}`, "{\"a\":\"\xff\"}", `{"a":"\ud800"}`,
		`{"a":{"b\u0007":1}}`, `{"a":"\r\n"}`, `{"a":"\\u0000"}`, `[1,"\u0085"]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		if !json.Valid([]byte(body)) {
			return
		}
		err := checkJSONText([]byte(body))
		if err != nil {
			he, ok := errors.AsType[*haven.Error](err)
			if !ok || he.Kind != haven.KindInvalid || len(he.Fields) == 0 {
				t.Fatalf("checkJSONText(%q) = %v", body, err)
			}
			return
		}
		if haven.CheckText(body) == haven.TextNotUTF8 {
			t.Fatalf("accepted invalid UTF-8: %q", body)
		}
		var v any
		if err := json.Unmarshal([]byte(body), &v); err != nil {
			t.Fatal(err)
		}
		var walk func(any)
		walk = func(x any) {
			switch x := x.(type) {
			case string:
				if haven.CheckText(x) != haven.TextOK {
					t.Fatalf("accepted %q, which decodes to %q", body, x)
				}
			case []any:
				for _, e := range x {
					walk(e)
				}
			case map[string]any:
				for k, e := range x {
					walk(k)
					walk(e)
				}
			}
		}
		walk(v)
	})
}
