package web_test

import (
	"net/url"
	"strings"
	"testing"

	"haven/internal/store/storetest"
)

// Issue 15 item 2: the public can reach the self-referral form, and the form
// for professionals, from every public page that helps her find support.
func TestPublicPagesLinkToReferralForms(t *testing.T) {
	ts, _ := newServer(t, storetest.SQLite(t))
	tests := []struct {
		name, path, search string // search, if set, is POSTed to path
	}{
		{"home", "/", ""},
		{"find a practice", "/find-a-practice", ""},
		{"find a practice's results", "/find-a-practice", "leeds"},
		{"find a practice's results for a postcode", "/find-a-practice", "LS6 1AA"},
		{"find a practice with no Practice", "/find-a-practice", "Hartlepool"},
		{"a Practice's page", "/practices/demo-riverside", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var res response
			if tt.search != "" {
				res = postForm(t, ts.URL+tt.path, url.Values{"area": {tt.search}}.Encode())
			} else {
				res = get(t, ts.URL+tt.path)
			}
			if res.status != 200 {
				t.Fatalf("status = %d, want 200", res.status)
			}
			for _, want := range []string{`href="/refer"`, `href="/refer/professional"`} {
				if !strings.Contains(res.body, want) {
					t.Errorf("page has no link %s", want)
				}
			}
		})
	}
	// The results say which Practice she would be asking.
	res := postForm(t, ts.URL+"/find-a-practice", "area=kent")
	if !strings.Contains(res.body, `<a class="govuk-link" href="/refer">Ask Hillcrest Practice (demo) to contact you</a>`) {
		t.Error("Kent's result does not offer to ask Hillcrest Practice to contact her")
	}
}

// Issue 15 item 2: when no Practice covers her area, the page says what she
// can do next, and does not offer a start button as if one did.
func TestFindPracticeSaysWhatToDoWhenNoPracticeCovers(t *testing.T) {
	ts, _ := newServer(t, storetest.SQLite(t))
	whatNext := []string{
		`id="next"`,
		"ask your social worker, GP, midwife or a support worker about support near you",
		`ask a professional who works with you to refer you with the <a class="govuk-link" href="/refer/professional">form for professionals</a>`,
		`<a class="govuk-link" href="/refer">send a self-referral</a> anyway: it is kept with a reference number`,
		"nobody reads a referral sent through Haven",
		"If you are in danger now, call 999.",
	}
	tests := []struct {
		name, search string
		want         []string
	}{
		{"an area no Practice covers", "Hartlepool", []string{"No Practice using Haven covers Hartlepool yet", `href="#next"`}},
		{"a postcode there", "ts24 7aa", []string{"Most postcodes starting TS24 are in Hartlepool", "No Practice using Haven covers Hartlepool yet"}},
		{"a postcode in Wales", "CF10 1AA", []string{"No Practice covers CF10", "Postcodes starting CF10 are in Wales. Practices using Haven work in England only."}},
		{"nowhere at all", "Atlantis", []string{"No areas match"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := postForm(t, ts.URL+"/find-a-practice", url.Values{"area": {tt.search}}.Encode())
			if res.status != 200 {
				t.Fatalf("status = %d, want 200", res.status)
			}
			for _, want := range append(tt.want, whatNext...) {
				if !strings.Contains(res.body, want) {
					t.Errorf("page lacks %q", want)
				}
			}
			if strings.Contains(res.body, "govuk-button--start") {
				t.Error("page offers a start button although no Practice covers the area")
			}
		})
	}
	// Where a Practice does cover her area, the page does not say otherwise.
	res := postForm(t, ts.URL+"/find-a-practice", "area=leeds")
	if strings.Contains(res.body, `id="next"`) || !strings.Contains(res.body, "govuk-button--start") {
		t.Error("Leeds, which a Practice covers, is not offered the start button alone")
	}
}

// Issue 15 item 17: Find a Practice takes a postcode, a postcode district or
// a place name however it is cased, spaced or punctuated.
func TestFindPracticeByPostcodeOrPlace(t *testing.T) {
	ts, logs := newServer(t, storetest.SQLite(t))
	tests := []struct {
		name, search string
		status       int
		want         []string
	}{
		{"a full postcode", "LS6 1AA", 200, []string{"Riverside Practice (demo)", "Most postcodes starting LS6 are in Leeds"}},
		{"a postcode in lower case without its space", "ls61aa", 200, []string{"Riverside Practice (demo)", "starting LS6 "}},
		{"a postcode with extra spaces", "  Ls6   1aa ", 200, []string{"Riverside Practice (demo)"}},
		{"a postcode district", "PO1", 200, []string{"Harbour Practice (demo)", "Most postcodes starting PO1 are in Portsmouth"}},
		{"a postcode in a county", "ct1 1aa", 200, []string{"Hillcrest Practice (demo)", "are in Kent"}},
		{"a council district in a county", "Canterbury", 200, []string{"Hillcrest Practice (demo)", "Canterbury is in Kent."}},
		{"a name written as the data writes it", "St. Helens", 200, []string{">St. Helens</h3>", "No Practice using Haven covers St. Helens yet"}},
		{"without the full stop", "St Helens", 200, []string{">St. Helens</h3>"}},
		{"lower case", "st helens", 200, []string{">St. Helens</h3>"}},
		{"hyphens as spaces", "stockton on tees", 200, []string{">Stockton-on-Tees</h3>"}},
		{"the name before the comma", "Kingston upon Hull", 200, []string{">Kingston upon Hull, City of</h3>"}},
		{"a postcode Great Britain does not have", "ZZ99 9ZZ", 422, []string{"There is a problem", "Enter a postcode in England, like LS6 1AA, or a place name"}},
		{"a postcode in Northern Ireland", "BT1 1AA", 422, []string{"Enter a postcode in England, like LS6 1AA, or a place name"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := postForm(t, ts.URL+"/find-a-practice", url.Values{"area": {tt.search}}.Encode())
			if res.status != tt.status {
				t.Fatalf("status = %d, want %d", res.status, tt.status)
			}
			for _, want := range tt.want {
				if !strings.Contains(res.body, want) {
					t.Errorf("page lacks %q", want)
				}
			}
		})
	}
	// A postcode is personal data: it is never logged. The form sends it by
	// POST, so it is never in a URL either.
	postForm(t, ts.URL+"/find-a-practice", "area=LS6+9ZX")
	if out := logs.after(`"route":"POST /find-a-practice"`); strings.Contains(out, "9ZX") || strings.Contains(out, "LS6") {
		t.Errorf("the log holds the postcode:\n%s", out)
	}
	res := get(t, ts.URL+"/find-a-practice")
	if !strings.Contains(res.body, `<form method="post" action="/find-a-practice"`) {
		t.Error("the search form is not sent by POST")
	}
	// The postcode data's licence asks for its attribution where it is used.
	if !strings.Contains(res.body, "Contains Royal Mail data © Royal Mail copyright and database right 2025") {
		t.Error("the page does not attribute the postcode data")
	}
}
