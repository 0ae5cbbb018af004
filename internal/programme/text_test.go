package programme

import (
	"errors"
	"strings"
	"testing"
	"time"

	"haven/internal/haven"
)

// S22: names refuse the bidirectional controls that let one display as
// another (issue 16 item 4), and every text field the shared control check,
// in the domain validators, so that forms, the API and referrals all get it.
func TestS22NamesRefuseBidiControls(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	const rlo = "Anna\u202Eesactset"
	person := func(edit func(*Person)) error {
		p := Person{FirstName: "Anna", LastName: "Testcase"}
		edit(&p)
		return p.Validate(now)
	}
	referral := func(edit func(*Referral)) error {
		r := goodProfessional()
		edit(&r)
		r.Prepare()
		return r.Validate(now)
	}
	tests := []struct {
		name  string
		err   error
		field string
		want  string
	}{
		{"first name", person(func(p *Person) { p.FirstName = rlo }), "firstName", "First name must not contain hidden characters"},
		{"last name, isolate", person(func(p *Person) { p.LastName = "\u2067Testcase\u2069" }), "lastName", "Last name must not contain hidden"},
		{"preferred name, RLM", person(func(p *Person) { p.PreferredName = "Jo\u200F" }), "preferredName", "Preferred name must not contain hidden"},
		{"named professional", person(func(p *Person) { p.SafeContact.ViaProfessional = rlo }), "viaProfessional", "must not contain hidden"},
		{"communication needs, ESC", person(func(p *Person) { p.CommunicationNeeds = "\x1b[2J" }), "communicationNeeds", "Communication needs must not contain control characters"},
		{"pronouns, C1", person(func(p *Person) { p.Pronouns = "she\u0085her" }), "pronouns", "must not contain control characters"},
		{"person around her", func() error { a := PersonAround{Name: rlo, Relationship: "Sister"}; return a.Validate() }(), "aroundName", "Name must not contain hidden"},
		{"agency", func() error { a := Agency{Name: "Housing\u202B", Kind: "housing"}; return a.Validate() }(), "name", "Name must not contain hidden"},
		{"referral first name", referral(func(r *Referral) { r.FirstName = rlo }), "firstName", "Her first name must not contain hidden"},
		{"referral last name, LRE", referral(func(r *Referral) { r.LastName = "\u202ATestcase" }), "lastName", "Her last name must not contain hidden"},
		{"referrer name", referral(func(r *Referral) { r.Referrer.Name = "Sam\u2066" }), "referrerName", "Your name must not contain hidden"},
		{"referrer organisation", referral(func(r *Referral) { r.Referrer.Organisation = "\u061CLeeds" }), "referrerOrganisation", "must not contain hidden"},
		{"professional to reach her through", referral(func(r *Referral) {
			r.Contact.ViaProfessional, r.Contact.ViaName, r.Contact.ViaContact = true, rlo, "sam@example.org"
		}), "viaName", "Their name must not contain hidden"},
		{"referral situation, lone CR", referral(func(r *Referral) { r.Situation = "over\rwrite" }), "situation", "must not contain control characters"},
		{"referral situation, DEL", referral(func(r *Referral) { r.Situation = "a\x7f" }), "situation", "must not contain control characters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			he, ok := errors.AsType[*haven.Error](tt.err)
			if !ok || !strings.Contains(he.Fields[tt.field], tt.want) {
				t.Fatalf("got %v, want %s: %q", tt.err, tt.field, tt.want)
			}
		})
	}
	// Ordinary names in any script, and a textarea's CRLF, are kept.
	if err := person(func(p *Person) {
		p.FirstName, p.LastName, p.CommunicationNeeds = "أمل", "Wiśniewska-Nguyễn", "Interpreter\r\nArabic"
	}); err != nil {
		t.Errorf("ordinary names refused: %v", err)
	}
	if err := referral(func(r *Referral) { r.Situation = "line one\r\nline two" }); err != nil {
		t.Errorf("a CRLF situation refused: %v", err)
	}
}
