package web

import (
	"net/url"
	"strings"
	"testing"
)

// BrowserFollows lets the HTTP tests in web_test read a Location as a browser does.
var BrowserFollows = browserFollows

// browserFollows is where a browser on https://haven.example/reauth goes when
// given Location: loc. It applies the URL standard's own clean-up: tab, CR
// and LF removed anywhere, leading and trailing C0 controls and spaces
// removed, and `\` read as `/` in a special scheme's URL.
func browserFollows(loc string) (*url.URL, error) {
	loc = strings.NewReplacer("\t", "", "\r", "", "\n", "").Replace(loc)
	loc = strings.TrimFunc(loc, func(r rune) bool { return r <= 0x20 })
	loc = strings.ReplaceAll(loc, `\`, "/")
	ref, err := url.Parse(loc)
	if err != nil {
		return nil, err
	}
	base, _ := url.Parse("https://haven.example/reauth")
	return base.ResolveReference(ref), nil
}

// Open redirect after re-authentication (S13): every hostile next goes home.
func TestLocalPathRefusesWhatABrowserWouldFollowOffSite(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"/people/HV-1", "/people/HV-1"},
		{"/account?done=password", "/account?done=password"},
		{"/\t/evil.example", "/"},
		{"/\n/evil.example", "/"},
		{"/\r/evil.example", "/"},
		{"\t//evil.example", "/"},
		{"//evil.example", "/"},
		{"/\\evil.example", "/"},
		{"\\/evil.example", "/"},
		{"/\t\\evil.example", "/"},
		{"https://evil.example", "/"},
		{"javascript:alert(1)", "/"},
		{" //evil.example", "/"},
		{"\x00//evil.example", "/"},
		{"/\x00/evil.example", "/"},
		{"/a\x0bb", "/"},
		{"evil.example", "/"},
		{"", "/"},
		{"/" + strings.Repeat("a", 200), "/"},
		{"/people/\t1", "/people/1"},
	} {
		got := localPath(tc.in)
		if got != tc.want {
			t.Errorf("localPath(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if u, err := browserFollows(got); err != nil || u.Host != "haven.example" {
			t.Errorf("localPath(%q) = %q, which a browser follows to %v (%v)", tc.in, got, u, err)
		}
	}
}
