package web

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"haven/internal/access"
	"haven/internal/directory"
	"haven/internal/store"
)

// directorySuggestTemplateCases are TestEveryTemplateRenders' cases for
// the suggestion and queue pages; typed text must come back escaped.
func directorySuggestTemplateCases() map[string]struct {
	p    page
	want string
} {
	las := []access.LocalAuthority{{Code: "E08000035", Name: "Leeds"}}
	entry := directory.Entry{Name: "Wharfe le<eds Project", Description: "Support.", Status: directory.StatusActive, HowToRefer: "Ring.",
		ServiceAreas: []string{"E08000035"}, Terms: []string{directory.PausePracticeTerm}}
	form := &dirFormPage{Layout: Layout{Title: "Suggest a service", Errors: []FieldError{{"name", "Enter the service's name"}}},
		Form: suggestForm{Organisation: "Trust", Entry: entry, SelfReferralSet: true}, Authorities: las, Statuses: directory.Statuses,
		Taxonomies: directory.Taxonomies, AskContact: true, Busy: "Wait 2 minutes"}
	svc := directory.Service{ID: directory.NameID("t"), Entry: entry, Version: 3}
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	return map[string]struct {
		p    page
		want string
	}{
		"directory-suggest.html":      {form, `value="E08000035" checked`},
		"directory-suggest-sent.html": {&dirSentPage{Layout{Title: "Suggestion sent"}}, "Nothing is published"},
		"directory-correct.html": {&dirCorrectPage{Layout: Layout{Title: "Suggest a correction"}, Service: svc, Form: correctForm{WhatIsWrong: "le<eds"}},
			"/directory/services/" + svc.ID + "/correct"},
		"directory-queue.html": {&dirQueuePage{Layout: Layout{Title: "Directory queue"}, Suggestions: []store.Suggestion{{ID: "s1", Kind: store.SuggestService, Entry: entry, CreatedAt: at}},
			Stale: []directory.Service{svc}}, "Never checked"},
		"directory-suggestion.html": {&dirSuggestionPage{Layout: Layout{Title: "Suggested correction"}, Suggestion: store.Suggestion{ID: "s2", Kind: store.SuggestCorrection,
			WhatIsWrong: "The phone", Change: "0113 496 0002", Status: store.SuggestionPending, CreatedAt: at}, Service: svc, Edit: form}, `name="correction" value="s2"`},
		"directory-entry.html": {&dirEntryPage{dirFormPage: form, Service: svc, Stale: true,
			History: []store.DirMetadata{{At: at, Field: "description", Previous: "Old le<eds", Replacement: "New", By: "haven-user:3"}}}, "Old le&lt;eds"},
	}
}

// The service form's parser keeps what was typed, drops repeats, and its
// check refuses every value that could become markup or a running link.
func TestParseSuggestForm(t *testing.T) {
	known := func(c string) bool { return c == "E08000035" }
	tests := []struct {
		name   string
		form   string
		fields []string
	}{
		{"valid", "organisation=T&name=N&description=D&status=active&how-to-refer=R&self-referral=no&areas=E08000035&areas=E08000035", nil},
		{"nothing", "", []string{"organisation", "name", "description", "status", "how-to-refer", "self-referral", "areas"}},
		{"markup", "organisation=%3Ci%3E&name=%3Cscript%3E&description=D&status=active&how-to-refer=R&self-referral=no&areas=E08000035&eligibility=a%3Eb", []string{"organisation", "name", "eligibility"}},
		{"running link", "organisation=T&name=N&description=D&status=active&how-to-refer=R&self-referral=yes&areas=E08000035&website=javascript%3Aalert(1)", []string{"website"}},
		{"contact email with a name", "organisation=T&name=N&description=D&status=active&how-to-refer=R&self-referral=yes&areas=E08000035&contact-email=A+%3Ca%40example.org%3E", []string{"contact-email"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := url.ParseQuery(tt.form)
			if err != nil {
				t.Fatal(err)
			}
			f := parseSuggestForm(v)
			got := f.check(known)
			if len(got) != len(tt.fields) {
				t.Errorf("problems %v, want fields %v", got, tt.fields)
			}
			for _, k := range tt.fields {
				if _, ok := got[k]; !ok {
					t.Errorf("no problem for %s: %v", k, got)
				}
			}
			if tt.name == "valid" && (len(f.ServiceAreas) != 1 || f.SelfReferral) {
				t.Errorf("parsed %+v", f)
			}
		})
	}
}

// FuzzSuggestForm: whatever is posted, the parser does not panic, and a
// form that passes the check carries no < or > and only http(s) links.
func FuzzSuggestForm(f *testing.F) {
	for _, seed := range []string{
		"organisation=T&name=N&description=D&status=active&how-to-refer=R&self-referral=no&areas=E08000035",
		"name=%3Cscript%3E&website=javascript:alert(1)",
		"areas=E08000035&areas=&terms=" + directory.PausePracticeTerm + "&postcode=ls1+4ap&phone=%2B44+113+496+0000",
		"what-is-wrong=x&change=%00%ff&contact-email=a@b",
		"",
	} {
		f.Add(seed)
	}
	known := func(c string) bool { return c == "E08000035" }
	f.Fuzz(func(t *testing.T, body string) {
		v, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		sf := parseSuggestForm(v)
		if len(sf.check(known)) == 0 {
			for _, s := range []string{sf.Organisation, sf.Name, sf.Description, sf.HowToRefer, sf.Eligibility, sf.Email, sf.Website, sf.Phone, sf.Postcode, sf.ContactEmail} {
				if strings.ContainsAny(s, "<>") {
					t.Fatalf("accepted markup %q", s)
				}
			}
			if w := strings.ToLower(sf.Website); w != "" && !strings.HasPrefix(w, "http://") && !strings.HasPrefix(w, "https://") {
				t.Fatalf("accepted link %q", sf.Website)
			}
		}
		cf := parseCorrectForm(v)
		if len(cf.check()) == 0 && strings.ContainsAny(cf.WhatIsWrong+cf.Change+cf.ContactEmail, "<>") {
			t.Fatalf("accepted markup in a correction %+v", cf)
		}
	})
}
