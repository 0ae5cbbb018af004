package mailing_test

import (
	"io"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"testing"
	"time"

	"haven/internal/mailing"
)

func TestNormaliseAddress(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ann@example.org", "ann@example.org"},
		{"  Ann.Lee+list@Example.ORG ", "ann.lee+list@example.org"},
		{"a@b.co.uk", "a@b.co.uk"},
		{"", ""},
		{"ann", ""},
		{"ann@", ""},
		{"@example.org", ""},
		{"ann@localhost", ""},
		{"ann@example.123", ""},
		{"ann@@example.org", ""},
		{"a@b@example.org", ""},
		{"Ann <ann@example.org>", ""},
		{"ann@example.org, bo@example.org", ""},
		{"ann@example.org\r\nBcc: x@example.org", ""},
		{"\"ann lee\"@example.org", ""},
		{"ann@[127.0.0.1]", ""},
		{".ann@example.org", ""},
		{"an..n@example.org", ""},
		{"ann@-example.org", ""},
		{"ann@exa_mple.org", ""},
		{"anné@example.org", ""},
		{strings.Repeat("a", 65) + "@example.org", ""},
		{"a@" + strings.Repeat("b", 250) + ".org", ""},
	}
	for _, tt := range tests {
		got, err := mailing.NormaliseAddress(tt.in)
		if got != tt.want || (tt.want == "") != (err != nil) {
			t.Errorf("NormaliseAddress(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func FuzzNormaliseAddress(f *testing.F) {
	for _, s := range []string{"ann@example.org", " A@B.Org ", "a <b@c.d>", "a@b", "\"x\"@y.z", "a@b.c\r\n", "a.b-c+d@e-f.g.h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := mailing.NormaliseAddress(s)
		if err != nil {
			return
		}
		if again, err := mailing.NormaliseAddress(got); err != nil || again != got {
			t.Fatalf("%q normalised to %q, which normalises to %q, %v", s, got, again, err)
		}
		if strings.ContainsAny(got, "\r\n <>,;\"") || got != strings.ToLower(got) {
			t.Fatalf("%q gave %q", s, got)
		}
		if a, err := mail.ParseAddress(got); err != nil || a.Address != got {
			t.Fatalf("%q gave %q, which net/mail reads as %v, %v", s, got, a, err)
		}
	})
}

func TestDecideSubscribe(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	justSent, longAgo := now.Add(-time.Minute), now.Add(-time.Hour)
	tests := []struct {
		name  string
		sub   mailing.Subscriber
		found bool
		want  mailing.SubscribeDecision
	}{
		{"new address", mailing.Subscriber{}, false, mailing.SubscribeDecision{State: mailing.Pending, SendConfirmation: true}},
		{"pending, asked again at once", mailing.Subscriber{State: mailing.Pending, ConfirmSentAt: justSent}, true, mailing.SubscribeDecision{State: mailing.Pending}},
		{"pending, asked again later", mailing.Subscriber{State: mailing.Pending, ConfirmSentAt: longAgo}, true, mailing.SubscribeDecision{State: mailing.Pending, SendConfirmation: true}},
		{"confirmed", mailing.Subscriber{State: mailing.Confirmed, ConfirmSentAt: longAgo}, true, mailing.SubscribeDecision{State: mailing.Confirmed}},
		{"unsubscribed comes back", mailing.Subscriber{State: mailing.Unsubscribed, ConfirmSentAt: longAgo}, true, mailing.SubscribeDecision{State: mailing.Pending, SendConfirmation: true}},
		{"unsubscribed, confirmation just sent", mailing.Subscriber{State: mailing.Unsubscribed, ConfirmSentAt: justSent}, true, mailing.SubscribeDecision{State: mailing.Pending}},
	}
	for _, tt := range tests {
		if got := mailing.DecideSubscribe(tt.sub, tt.found, now); got != tt.want {
			t.Errorf("%s: got %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

func TestDecideConfirmAndUnsubscribe(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		sub  mailing.Subscriber
		want mailing.ConfirmResult
	}{
		{mailing.Subscriber{State: mailing.Pending, ConfirmExpires: now.Add(time.Hour)}, mailing.ConfirmDone},
		{mailing.Subscriber{State: mailing.Pending, ConfirmExpires: now}, mailing.ConfirmExpired},
		{mailing.Subscriber{State: mailing.Confirmed, ConfirmExpires: now.Add(-time.Hour)}, mailing.ConfirmAlready},
		{mailing.Subscriber{State: mailing.Unsubscribed, ConfirmExpires: now.Add(time.Hour)}, mailing.ConfirmNotActive},
	}
	for _, tt := range tests {
		if got := mailing.DecideConfirm(tt.sub, now); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.sub.State, got, tt.want)
		}
	}
	for state, want := range map[mailing.State]mailing.UnsubscribeResult{mailing.Pending: mailing.UnsubscribeDone,
		mailing.Confirmed: mailing.UnsubscribeDone, mailing.Unsubscribed: mailing.UnsubscribeAlready} {
		if got := mailing.DecideUnsubscribe(mailing.Subscriber{State: state}); got != want {
			t.Errorf("unsubscribe %s: got %s, want %s", state, got, want)
		}
	}
}

// The digest carries the editor's words, resources and dated events; the
// HTML part escapes whatever was typed, and both end with the recipient's
// own unsubscribe link.
func TestDigestMessage(t *testing.T) {
	at := time.Date(2026, 7, 14, 13, 30, 0, 0, time.UTC) // 2:30pm in London (BST)
	text, html, err := mailing.Digest("Hello all.\n\nTwo <b>new</b> things.", []mailing.Item{{Title: "Grief & loss guide", Summary: "For practitioners.", Link: "https://haven.example.org/library/r1"}},
		[]mailing.Item{{Title: "Summer seminar", Link: "https://haven.example.org/events/e1", When: at}}, "https://haven.example.org/mailing-list/unsubscribe/T1")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Two <b>new</b> things.", "New resources", "Grief & loss guide\nFor practitioners.\nhttps://haven.example.org/library/r1",
		"Summer seminar\nTuesday 14 July 2026, 2:30pm\n", "To stop getting these emails: https://haven.example.org/mailing-list/unsubscribe/T1"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	for _, want := range []string{"<p>Two &lt;b&gt;new&lt;/b&gt; things.</p>", `<a href="https://haven.example.org/library/r1">Grief &amp; loss guide</a>`,
		"Tuesday 14 July 2026, 2:30pm", `href="https://haven.example.org/mailing-list/unsubscribe/T1"`} {
		if !strings.Contains(html, want) {
			t.Errorf("html lacks %q:\n%s", want, html)
		}
	}
	m := mailing.Message{From: "community@haven.example.org", To: "ann@example.org", Subject: "Digest", Text: text, HTML: html,
		UnsubscribeURL: "https://haven.example.org/mailing-list/unsubscribe/T1", ListID: "community.haven.example.org", Date: at}
	b, err := m.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	msg, err := mail.ReadMessage(strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{"From": "community@haven.example.org", "To": "ann@example.org", "MIME-Version": "1.0",
		"List-Unsubscribe": "<https://haven.example.org/mailing-list/unsubscribe/T1>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
		"List-Id": "<community.haven.example.org>", "Date": "Tue, 14 Jul 2026 13:30:00 +0000"} {
		if got := msg.Header.Get(k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
	if id := msg.Header.Get("Message-ID"); !strings.HasSuffix(id, "@haven.example.org>") {
		t.Errorf("Message-ID %q", id)
	}
	_, params, _ := strings.Cut(msg.Header.Get("Content-Type"), "boundary=")
	mr := multipart.NewReader(msg.Body, strings.Trim(params, `"`))
	var parts []string
	for {
		p, err := mr.NextRawPart()
		if err != nil {
			break
		}
		body, _ := io.ReadAll(quotedprintable.NewReader(p))
		parts = append(parts, p.Header.Get("Content-Type")+"\n"+string(body))
	}
	if len(parts) != 2 || !strings.HasPrefix(parts[0], "text/plain; charset=utf-8\n"+text[:10]) || !strings.HasPrefix(parts[1], "text/html") {
		t.Errorf("parts %q", parts)
	}
}

// A header value with a line break is refused, not sent with extra headers.
func TestMessageRefusesHeaderInjection(t *testing.T) {
	base := mailing.Message{From: "a@haven.example.org", To: "ann@example.org", Subject: "Hi", Text: "x", UnsubscribeURL: "https://h.example/u/T"}
	for _, m := range []mailing.Message{
		func() mailing.Message { m := base; m.Subject = "Hi\r\nBcc: x@example.org"; return m }(),
		func() mailing.Message { m := base; m.To = "ann@example.org\nBcc: x@example.org"; return m }(),
		func() mailing.Message { m := base; m.UnsubscribeURL = ""; return m }(),
	} {
		if _, err := m.Bytes(); err == nil {
			t.Errorf("%+v was built", m)
		}
	}
	subject, text, _ := mailing.Confirmation("https://h.example/c/C1", "https://h.example/u/U1")
	if !strings.Contains(text, "https://h.example/c/C1") || !strings.Contains(text, "https://h.example/u/U1") || subject == "" {
		t.Errorf("confirmation %q", text)
	}
}
