package mail_test

import (
	"errors"
	"io"
	"mime"
	"mime/quotedprintable"
	"strings"
	"testing"
	"time"

	"haven/internal/mail"
	"haven/internal/mail/mailtest"
	"haven/internal/mailing"
)

func TestParseURL(t *testing.T) {
	tests := []struct {
		name, url string
		want      mail.Config
		wantErr   string
	}{
		{name: "empty is no relay", url: ""},
		{name: "full", url: "smtp://haven:s3cret@relay.example.org:2525?from=community@haven.example.org",
			want: mail.Config{Host: "relay.example.org", Port: 2525, Username: "haven", Password: "s3cret", From: "community@haven.example.org"}},
		{name: "default port, no sign-in", url: "smtp://relay.example.org?from=a@b.example",
			want: mail.Config{Host: "relay.example.org", Port: 587, From: "a@b.example"}},
		{name: "escaped password", url: "smtp://u:p%40ss%3Aw@relay.example.org?from=a@b.example",
			want: mail.Config{Host: "relay.example.org", Port: 587, Username: "u", Password: "p@ss:w", From: "a@b.example"}},
		{name: "wrong scheme", url: "smtps://relay.example.org?from=a@b.example", wantErr: "smtp://"},
		{name: "no host", url: "smtp://?from=a@b.example", wantErr: "no host"},
		{name: "bad port", url: "smtp://relay.example.org:99999?from=a@b.example", wantErr: "port"},
		{name: "no from", url: "smtp://relay.example.org", wantErr: "from="},
		{name: "from with a name", url: "smtp://relay.example.org?from=Haven%20%3Ca@b.example%3E", wantErr: "from="},
		{name: "from with a line break", url: "smtp://relay.example.org?from=a@b.example%0D%0ARCPT%20TO:x@y", wantErr: "from="},
		{name: "unknown setting", url: "smtp://relay.example.org?from=a@b.example&tls=off", wantErr: "unknown setting"},
		{name: "password without user", url: "smtp://:pw@relay.example.org?from=a@b.example", wantErr: "no user name"},
		{name: "unparseable keeps the password out", url: "smtp://u:s3cret@relay example.org?from=a@b.example", wantErr: "does not parse"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := mail.ParseURL(tt.url)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one mentioning %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "s3cret") {
					t.Errorf("error %q shows the password", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %#v, want %+v", got, tt.want)
			}
			if strings.Contains(got.String(), "s3cret") || strings.Contains(got.GoString(), "s3cret") {
				t.Errorf("String() = %q shows the password", got.String())
			}
		})
	}
}

func message(t *testing.T, to string, html bool) []byte {
	t.Helper()
	m := mailing.Message{From: "community@haven.example.org", To: to, Subject: "Events in March – new guide",
		Text: "Hello.\nA long line " + strings.Repeat("é", 60) + "\n", UnsubscribeURL: "https://haven.example.org/mailing-list/unsubscribe/TOKEN",
		Date: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	if html {
		m.HTML = "<p>Hello.</p>"
	}
	b, err := m.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A relay that offers STARTTLS gets the message and the password only over
// TLS, and receives exactly one recipient with the List-Unsubscribe headers.
func TestSendOverSTARTTLS(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{STARTTLS: true, User: "haven", Password: "pw-1", Listen: "127.0.0.2"})
	if err := srv.Sender("community@haven.example.org").Send(t.Context(), "ann@example.org", message(t, "ann@example.org", false)); err != nil {
		t.Fatal(err)
	}
	got := srv.Messages()
	if len(got) != 1 {
		t.Fatalf("%d messages", len(got))
	}
	m := got[0]
	if !m.TLS || m.AuthUser != "haven" || m.From != "community@haven.example.org" || len(m.To) != 1 || m.To[0] != "ann@example.org" {
		t.Fatalf("received %+v", m)
	}
	h := m.Header()
	if h.Get("List-Unsubscribe") != "<https://haven.example.org/mailing-list/unsubscribe/TOKEN>" || h.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
		t.Errorf("unsubscribe headers %q %q", h.Get("List-Unsubscribe"), h.Get("List-Unsubscribe-Post"))
	}
	if subj, _ := new(mime.WordDecoder).DecodeHeader(h.Get("Subject")); subj != "Events in March – new guide" {
		t.Errorf("subject %q", subj)
	}
	body := string(m.Data[strings.Index(string(m.Data), "\r\n\r\n")+4:])
	plain, _ := io.ReadAll(quotedprintable.NewReader(strings.NewReader(body)))
	if !strings.Contains(string(plain), strings.Repeat("é", 60)) {
		t.Errorf("body %q", plain)
	}
}

// Without STARTTLS, net/smtp will not send a password to another machine:
// the send fails rather than leak it.
func TestSendRefusesPasswordInTheClear(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{User: "haven", Password: "pw-1", Listen: "127.0.0.2"})
	err := srv.Sender("community@haven.example.org").Send(t.Context(), "ann@example.org", message(t, "ann@example.org", false))
	if err == nil || !strings.Contains(err.Error(), "AUTH") {
		t.Fatalf("err %v, want an AUTH refusal", err)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("%d messages went", n)
	}
}

// A relay with no STARTTLS and no sign-in still gets the message.
func TestSendPlainRelay(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{})
	if err := srv.Sender("a@haven.example.org").Send(t.Context(), "bo@example.org", message(t, "bo@example.org", true)); err != nil {
		t.Fatal(err)
	}
	if got := srv.Messages(); len(got) != 1 || got[0].TLS || !strings.Contains(got[0].Header().Get("Content-Type"), "multipart/alternative") {
		t.Fatalf("received %+v", got)
	}
}

// A refusal keeps its code and drops the relay's text, which names the
// address; a recipient that could inject commands is never sent.
func TestSendErrorsNameNoAddress(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{Refuse: "gone@example.org"})
	err := srv.Sender("a@haven.example.org").Send(t.Context(), "gone@example.org", message(t, "gone@example.org", false))
	re, ok := errors.AsType[*mail.ReplyError](err)
	if !ok || re.Code != 550 || !re.Permanent() || strings.Contains(err.Error(), "gone@") {
		t.Fatalf("err %v", err)
	}
	err = srv.Sender("a@haven.example.org").Send(t.Context(), "x@example.org>\r\nRCPT TO:<y@example.org", []byte("x"))
	if err == nil || strings.Contains(err.Error(), "example.org") {
		t.Fatalf("err %v", err)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("%d messages went", n)
	}
}

func FuzzParseURL(f *testing.F) {
	for _, s := range []string{"", "smtp://u:p@h:25?from=a@b.c", "smtp://h?from=a@b.c", "smtp://[::1]:2525?from=a@b.c", "smtp://u:%zz@h?from=a@b.c",
		"smtps://h", "smtp://h?from=a@b.c&from=d@e.f", "smtp://h:0?from=x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		c, err := mail.ParseURL(raw)
		if err != nil {
			return
		}
		if !c.Enabled() {
			if raw != "" {
				t.Fatalf("%q parsed to no relay", raw)
			}
			return
		}
		if c.Port < 1 || c.Port > 65535 || c.From == "" || strings.ContainsAny(c.From, "\r\n<> ") {
			t.Fatalf("%q gave %#v", raw, c)
		}
		if c.Password != "" && strings.Contains(c.String(), ":"+c.Password+"@") {
			t.Fatalf("String() %q shows the password", c.String())
		}
	})
}
