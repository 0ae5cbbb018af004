package web

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"haven/internal/mailing"
	"haven/internal/store"
)

// mailingTemplateCases are TestEveryTemplateRenders' cases for the mailing
// list's pages; typed text comes back escaped.
func mailingTemplateCases() map[string]struct {
	p    page
	want string
} {
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	send := store.MailingSend{ID: 7, Subject: "News from le<eds", Body: "First.\n\nSecond le<eds.", Recipients: 12, Sent: 11, Failed: 1, CreatedAt: at, FinishedAt: at.Add(time.Minute)}
	return map[string]struct {
		p    page
		want string
	}{
		"mailing-list.html": {&mailingPage{Layout: Layout{Title: "Join the mailing list", Errors: []FieldError{{"email", "Enter your email address"}}},
			Email: "le<eds", Busy: "Wait 2 minutes"}, `href="#email"`},
		"mailing-check.html": {&mailingCheckPage{Layout{Title: "Check your email"}}, "If you are already on the list"},
		"mailing-confirm.html": {&mailingResultPage{Layout: Layout{Title: "Confirm your subscription"}, Ask: true, Action: "/mailing-list/confirm/T0K"},
			`action="/mailing-list/confirm/T0K"`},
		"mailing-unsubscribe.html": {&mailingResultPage{Layout: Layout{Title: "You have left the mailing list"}, Result: string(mailing.UnsubscribeDone)},
			"You will get no more emails"},
		"mailing-send.html": {&mailingSendPage{Layout: Layout{Title: "Send to the mailing list", Errors: []FieldError{{"subject", "Enter a subject"}}},
			Form: mailingSendForm{Message: "Hello le<eds", Digest: true}, Subscribers: 12, Since: at,
			Resources: []mailing.Item{{Title: "Grief le<eds guide", Link: "/library/r1"}}, Events: []mailing.Item{{Title: "Seminar", Link: "/events/e1", When: at}},
			Sends: []store.MailingSend{send}}, "Send to 12 subscribers"},
		"mailing-sent.html": {&mailingSentPage{Layout: Layout{Title: send.Subject}, Send: send}, "<p class=\"govuk-body\">Second le&lt;eds.</p>"},
	}
}

// Each confirm outcome has its own page.
func TestMailingConfirmPages(t *testing.T) {
	s := &Server{}
	var err error
	if s.pages, err = parseTemplates(); err != nil {
		t.Fatal(err)
	}
	for res, want := range map[string]string{"confirmed": "You will get our emails from now on", "already-confirmed": "You confirmed your subscription before",
		"expired": "Ask for a new link", "not-active": "may have been replaced", "unknown": "may have been replaced"} {
		rec := httptest.NewRecorder()
		if err := s.render(rec, httptest.NewRequest("GET", "/", nil), 200, "mailing-confirm.html", &mailingResultPage{Layout: Layout{Title: "T"}, Result: res}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(rec.Body.String(), want) {
			t.Errorf("%s: page lacks %q", res, want)
		}
	}
}
