package mailing

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"html/template"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/textproto"
	"strings"
	"time"
)

// Message is one email to one recipient. Every message carries its own
// one-click unsubscribe link (RFC 8058), the confirmation included, so that
// someone signed up by another person can stop it at once.
type Message struct {
	From, To       string
	Subject        string
	Text           string // the plain-text body
	HTML           string // an optional HTML alternative, already escaped
	UnsubscribeURL string
	ListID         string // e.g. "community.haven.example.org"
	Date           time.Time
}

// ErrHeader is returned for a header value that could add headers of its own.
var ErrHeader = errors.New("mailing: a header value contains a line break")

// Bytes is the message in RFC 5322 form, lines ending CRLF, bodies in
// quoted-printable UTF-8.
func (m Message) Bytes() ([]byte, error) {
	for _, v := range []string{m.From, m.To, m.Subject, m.UnsubscribeURL, m.ListID} {
		if strings.ContainsAny(v, "\r\n") {
			return nil, ErrHeader
		}
	}
	if m.From == "" || m.To == "" || m.UnsubscribeURL == "" {
		return nil, errors.New("mailing: a message needs From, To and an unsubscribe link")
	}
	var b bytes.Buffer
	h := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	h("From", m.From)
	h("To", m.To)
	h("Subject", mime.QEncoding.Encode("utf-8", m.Subject))
	h("Date", m.Date.Format(time.RFC1123Z))
	h("Message-ID", "<"+rand.Text()+"@"+domainOf(m.From)+">")
	h("MIME-Version", "1.0")
	if m.ListID != "" {
		h("List-Id", "<"+m.ListID+">")
	}
	// RFC 2369 and RFC 8058: the HTTPS link alone, and the header that
	// says a POST to it unsubscribes with no further step.
	h("List-Unsubscribe", "<"+m.UnsubscribeURL+">")
	h("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
	h("Auto-Submitted", "auto-generated")
	if m.HTML == "" {
		h("Content-Type", "text/plain; charset=utf-8")
		h("Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		if err := writeQP(&b, m.Text); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	}
	mw := multipart.NewWriter(&b)
	h("Content-Type", `multipart/alternative; boundary="`+mw.Boundary()+`"`)
	b.WriteString("\r\n")
	for _, part := range []struct{ typ, body string }{{"text/plain", m.Text}, {"text/html", m.HTML}} {
		w, err := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {part.typ + "; charset=utf-8"}, "Content-Transfer-Encoding": {"quoted-printable"}})
		if err != nil {
			return nil, err
		}
		if err := writeQP(w, part.body); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func writeQP(w interface{ Write([]byte) (int, error) }, text string) error {
	qp := quotedprintable.NewWriter(w)
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\n", "\r\n")
	if _, err := qp.Write([]byte(text)); err != nil {
		return err
	}
	return qp.Close()
}

func domainOf(addr string) string {
	if at := strings.LastIndexByte(addr, '@'); at >= 0 {
		return strings.TrimRight(addr[at+1:], ">")
	}
	return "haven.invalid"
}

// Confirmation is the only message an unconfirmed address ever gets.
func Confirmation(confirmURL, unsubscribeURL string) (subject, text, html string) {
	subject = "Confirm you want Haven's community of practice emails"
	text = "Someone, probably you, asked for this address to get emails from Haven's community of practice:\n" +
		"new resources, events and news for practitioners.\n\n" +
		"To confirm, open this link and press the button:\n" + confirmURL + "\n\n" +
		"The link works for " + fmt.Sprint(int(ConfirmTTL/time.Hour)) + " hours. If you did not ask, ignore this email: " +
		"you will get nothing more from us.\n\n" + footer(unsubscribeURL)
	return subject, text, ""
}

func footer(unsubscribeURL string) string {
	return "--\nHaven community of practice mailing list.\nTo stop getting these emails: " + unsubscribeURL + "\n"
}

// Item is one resource or event in a digest. When is set for events only.
type Item struct {
	Title, Summary, Link string
	When                 time.Time
}

// IsEvent says whether the item has a date to show.
func (i Item) IsEvent() bool { return !i.When.IsZero() }

// London is where events are held and dated.
func London() *time.Location {
	if l, err := time.LoadLocation("Europe/London"); err == nil {
		return l
	}
	return time.UTC
}

// FormatWhen writes an event's date and time as GOV.UK style asks:
// "Tuesday 3 March 2026, 2:30pm".
func FormatWhen(t time.Time) string {
	t = t.In(London())
	return t.Format("Monday 2 January 2006, ") + strings.ToLower(t.Format("3:04PM"))
}

// Digest builds the plain-text and HTML bodies of an editor's message: the
// editor's own words, then new resources, then events. unsubscribeURL is
// the recipient's own.
func Digest(intro string, resources, events []Item, unsubscribeURL string) (text, html string, err error) {
	var t strings.Builder
	t.WriteString(strings.TrimSpace(intro) + "\n\n")
	section := func(title string, items []Item) {
		if len(items) == 0 {
			return
		}
		t.WriteString(title + "\n" + strings.Repeat("=", len(title)) + "\n\n")
		for _, it := range items {
			t.WriteString(it.Title + "\n")
			if it.IsEvent() {
				t.WriteString(FormatWhen(it.When) + "\n")
			}
			if it.Summary != "" {
				t.WriteString(it.Summary + "\n")
			}
			t.WriteString(it.Link + "\n\n")
		}
	}
	section("New resources", resources)
	section("Events", events)
	t.WriteString(footer(unsubscribeURL))
	var h bytes.Buffer
	err = digestHTML.Execute(&h, struct {
		Intro             []string
		Resources, Events []Item
		Unsubscribe       string
	}{paragraphs(intro), resources, events, unsubscribeURL})
	return t.String(), h.String(), err
}

func paragraphs(s string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(strings.TrimSpace(s), "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// digestHTML escapes everything the editor and the items bring: no markup
// typed anywhere reaches a subscriber's inbox as markup.
var digestHTML = template.Must(template.New("digest").Funcs(template.FuncMap{"when": FormatWhen}).Parse(`<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Haven community of practice</title></head>
<body style="font-family: Arial, sans-serif; font-size: 16px; line-height: 1.4">
{{range .Intro}}<p>{{.}}</p>
{{end}}{{if .Resources}}<h2>New resources</h2>
{{range .Resources}}<p><a href="{{.Link}}">{{.Title}}</a>{{if .Summary}}<br>{{.Summary}}{{end}}</p>
{{end}}{{end}}{{if .Events}}<h2>Events</h2>
{{range .Events}}<p><a href="{{.Link}}">{{.Title}}</a><br>{{when .When}}{{if .Summary}}<br>{{.Summary}}{{end}}</p>
{{end}}{{end}}<hr>
<p>Haven community of practice mailing list. <a href="{{.Unsubscribe}}">Unsubscribe</a></p>
</body></html>
`))
