package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"haven/internal/audit"
	"haven/internal/auth"
	"haven/internal/haven"
	"haven/internal/mailing"
	"haven/internal/store"
)

// The community of practice mailing list (issue 21 item 6): anyone may ask
// to join; an address is on the list only once its owner follows the
// confirmation link; every message carries a one-click unsubscribe link
// (RFC 8058); library editors write the messages. No page ever shows an
// address, and each message goes to one recipient alone.

// Mailer sends one whole message to one address (internal/mail.Sender).
type Mailer interface {
	Send(ctx context.Context, to string, msg []byte) error
	From() string
}

// DigestSource gives the resources published since a time and the events
// to come, for an editor's message (mailing_digest.go).
type DigestSource func(ctx context.Context, since time.Time) (resources, events []mailing.Item, err error)

// mailState is the Server's mailing-list part.
type mailState struct {
	sender Mailer
	digest DigestSource
	wg     sync.WaitGroup // background sends, so a test or shutdown can wait
}

// mailingListID names the list in each message's List-Id header.
func (s *Server) mailingListID() string {
	host := strings.TrimPrefix(strings.TrimPrefix(s.baseURL, "https://"), "http://")
	host, _, _ = strings.Cut(host, "/")
	host, _, _ = strings.Cut(host, ":")
	return "community." + host
}

func (s *Server) mailingURL(path, token string) string {
	return strings.TrimRight(s.baseURL, "/") + "/mailing-list/" + path + "/" + token
}

// background runs fn after the response, detached from the request's
// cancellation, so that the answer takes the same time whether or not a
// message goes (the form tells nobody which addresses are on the list).
func (s *Server) background(r *http.Request, fn func(ctx context.Context)) {
	ctx := context.WithoutCancel(r.Context())
	s.mail.wg.Go(func() { fn(ctx) })
}

// WaitForMail waits for messages being sent in the background.
func (s *Server) WaitForMail() { s.mail.wg.Wait() }

func mailingKey(r *http.Request) string { return "mailing:" + clientIP(r) }

// mailingPage is the subscribe form.
type mailingPage struct {
	Layout
	Email  string
	Busy   string // the rate limit's message, with a 429
	Closed bool   // no mail relay is configured
}

func (s *Server) mailingForm(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "mailing-list.html", &mailingPage{Layout: Layout{Title: "Join the mailing list"}, Closed: s.mail.sender == nil})
}

func (s *Server) mailingSubscribe(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	p := &mailingPage{Layout: Layout{Title: "Join the mailing list"}, Email: strings.TrimSpace(r.PostForm.Get("email")), Closed: s.mail.sender == nil}
	if p.Closed {
		return s.render(w, r, http.StatusServiceUnavailable, "mailing-list.html", p)
	}
	if wait := s.referralLimit().Wait(mailingKey(r), s.now()); wait > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		p.Busy = "Several requests have been sent from this device or network in a short time. Wait " + referralWaitText(wait) + ", then try again."
		return s.render(w, r, http.StatusTooManyRequests, "mailing-list.html", p)
	}
	addr, err := mailing.NormaliseAddress(p.Email)
	if err != nil {
		msg := "Enter an email address in the correct format, like name@example.org"
		if p.Email == "" {
			msg = "Enter your email address"
		}
		p.Errors = []FieldError{{"email", msg}}
		return s.render(w, r, http.StatusUnprocessableEntity, "mailing-list.html", p)
	}
	// Every accepted request counts, whatever it leads to, so the form
	// cannot be used to send many confirmations to many addresses.
	s.referralLimit().Fail(mailingKey(r), s.now())
	confirm, unsub := auth.NewToken(), auth.NewToken()
	send, err := s.store.MailingSubscribe(r.Context(), s.auditEvent(r, audit.Create), addr,
		store.MailingTokens{ConfirmHash: auth.HashToken(confirm), UnsubscribeHash: auth.HashToken(unsub)})
	if err != nil {
		return err
	}
	if send {
		s.background(r, func(ctx context.Context) { s.sendConfirmation(ctx, addr, confirm, unsub) })
	}
	// The same answer whether the address was new, waiting or already on
	// the list: nobody learns from this form who subscribes.
	http.Redirect(w, r, "/mailing-list/check-your-email", http.StatusSeeOther)
	return nil
}

func (s *Server) sendConfirmation(ctx context.Context, addr, confirm, unsub string) {
	subject, text, html := mailing.Confirmation(s.mailingURL("confirm", confirm), s.mailingURL("unsubscribe", unsub))
	err := s.deliver(ctx, addr, mailing.Message{Subject: subject, Text: text, HTML: html, UnsubscribeURL: s.mailingURL("unsubscribe", unsub)})
	if err != nil {
		// The error names no address (internal/mail keeps them out).
		s.log.Warn("mailing confirmation not sent", "event", "mail_failure", "error", err.Error())
	}
}

// deliver builds m for addr and sends it: one recipient per message, so no
// address is ever shown to another person.
func (s *Server) deliver(ctx context.Context, addr string, m mailing.Message) error {
	m.From, m.To, m.ListID, m.Date = s.mail.sender.From(), addr, s.mailingListID(), s.now()
	b, err := m.Bytes()
	if err != nil {
		return err
	}
	return s.mail.sender.Send(ctx, addr, b)
}

type mailingCheckPage struct{ Layout }

func (s *Server) mailingCheck(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "mailing-check.html", &mailingCheckPage{Layout{Title: "Check your email"}})
}

// mailingResultPage is the confirm and unsubscribe pages: a button to
// press (Ask), or what pressing it did.
type mailingResultPage struct {
	Layout
	Ask    bool
	Action string // where the button posts
	Result string // a mailing.ConfirmResult or mailing.UnsubscribeResult, or "unknown"
}

// The confirmation link opens a page with a button rather than confirming
// on GET: mail security scanners open every link in a message, and a GET
// that confirmed would subscribe addresses whose owners never saw it,
// which is what double opt-in is there to stop.
func (s *Server) mailingConfirmForm(w http.ResponseWriter, r *http.Request) error {
	token := r.PathValue("token")
	p := &mailingResultPage{Layout: Layout{Title: "Confirm your subscription"}, Action: "/mailing-list/confirm/" + token}
	sub, err := s.store.MailingByConfirmHash(r.Context(), auth.HashToken(token))
	switch {
	case errors.Is(err, haven.ErrNotFound):
		p.Title, p.Result = "This link does not work", "unknown"
		return s.render(w, r, http.StatusNotFound, "mailing-confirm.html", p)
	case err != nil:
		return err
	}
	switch res := mailing.DecideConfirm(sub, s.now()); res {
	case mailing.ConfirmDone:
		p.Ask = true
	default:
		p.Result = string(res)
		p.Title = confirmTitles[res]
	}
	return s.render(w, r, http.StatusOK, "mailing-confirm.html", p)
}

var confirmTitles = map[mailing.ConfirmResult]string{
	mailing.ConfirmDone:      "You have joined the mailing list",
	mailing.ConfirmAlready:   "You are already on the mailing list",
	mailing.ConfirmExpired:   "This link has expired",
	mailing.ConfirmNotActive: "This link no longer works",
}

func (s *Server) mailingConfirm(w http.ResponseWriter, r *http.Request) error {
	token := r.PathValue("token")
	p := &mailingResultPage{Layout: Layout{Title: "This link does not work"}, Result: "unknown"}
	res, err := s.store.MailingConfirm(r.Context(), s.auditEvent(r, audit.Update), auth.HashToken(token))
	switch {
	case errors.Is(err, haven.ErrNotFound):
		return s.render(w, r, http.StatusNotFound, "mailing-confirm.html", p)
	case err != nil:
		return err
	}
	p.Result, p.Title = string(res), confirmTitles[res]
	return s.render(w, r, http.StatusOK, "mailing-confirm.html", p)
}

// The unsubscribe link, like the confirmation, asks for a button press in
// the browser; the one-click POST (RFC 8058) that mail programs send to the
// same address unsubscribes at once.
func (s *Server) mailingUnsubscribeForm(w http.ResponseWriter, r *http.Request) error {
	token := r.PathValue("token")
	p := &mailingResultPage{Layout: Layout{Title: "Leave the mailing list"}, Ask: true, Action: "/mailing-list/unsubscribe/" + token}
	known, err := s.store.MailingKnownUnsubscribe(r.Context(), auth.HashToken(token))
	if err != nil {
		return err
	}
	if !known {
		p.Title, p.Ask, p.Result = "This link does not work", false, "unknown"
		return s.render(w, r, http.StatusNotFound, "mailing-unsubscribe.html", p)
	}
	return s.render(w, r, http.StatusOK, "mailing-unsubscribe.html", p)
}

// mailingUnsubscribe is also the RFC 8058 one-click endpoint: a POST with
// List-Unsubscribe=One-Click, no cookie and no form key. The token in the
// path is the whole authority, so the cross-origin check lets this one
// pattern through (middleware.go); the answer is the same page whether it
// is the first time or not.
func (s *Server) mailingUnsubscribe(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	p := &mailingResultPage{Layout: Layout{Title: "You have left the mailing list"}}
	_, err := s.store.MailingUnsubscribe(r.Context(), s.auditEvent(r, audit.Update), auth.HashToken(r.PathValue("token")))
	switch {
	case errors.Is(err, haven.ErrNotFound):
		p.Title, p.Result = "This link does not work", "unknown"
		return s.render(w, r, http.StatusNotFound, "mailing-unsubscribe.html", p)
	case err != nil:
		return err
	}
	p.Result = string(mailing.UnsubscribeDone) // twice is the same page
	return s.render(w, r, http.StatusOK, "mailing-unsubscribe.html", p)
}

// mailingSendFields is the editors' form, in order.
var mailingSendFields = []string{"subject", "message"}

type mailingSendForm struct {
	Subject, Message string
	Digest           bool
}

func (f mailingSendForm) check() map[string]string {
	fields := map[string]string{}
	switch {
	case f.Subject == "":
		fields["subject"] = "Enter a subject"
	case utf8.RuneCountInString(f.Subject) > 150:
		fields["subject"] = "Subject must be 150 characters or fewer"
	case strings.ContainsAny(f.Subject, "\r\n"):
		fields["subject"] = "Subject must be one line"
	}
	switch {
	case f.Message == "":
		fields["message"] = "Enter a message"
	case utf8.RuneCountInString(f.Message) > 10000:
		fields["message"] = "Message must be 10,000 characters or fewer"
	}
	return fields
}

// mailingSendPage is the editors' page: how many will get a message (never
// who), what the digest would hold, and what was sent before.
type mailingSendPage struct {
	Layout
	Form              mailingSendForm
	Subscribers       int
	Since             time.Time
	Resources, Events []mailing.Item
	Sends             []store.MailingSend
	Closed            bool
}

func (s *Server) newMailingSendPage(r *http.Request, f mailingSendForm) (*mailingSendPage, error) {
	ctx := r.Context()
	p := &mailingSendPage{Layout: Layout{Title: "Send to the mailing list"}, Form: f, Closed: s.mail.sender == nil}
	var err error
	if p.Subscribers, err = s.store.MailingConfirmedCount(ctx); err != nil {
		return nil, err
	}
	if p.Sends, err = s.store.MailingSends(ctx, 20); err != nil {
		return nil, err
	}
	// The digest covers what is new since the last message, or the last 30 days.
	p.Since = s.now().AddDate(0, 0, -30)
	if len(p.Sends) > 0 {
		p.Since = p.Sends[0].CreatedAt
	}
	if s.mail.digest != nil {
		if p.Resources, p.Events, err = s.mail.digest(ctx, p.Since); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func (s *Server) mailingSendForm(w http.ResponseWriter, r *http.Request) error {
	p, err := s.newMailingSendPage(r, mailingSendForm{Digest: true})
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "mailing-send.html", p)
}

func (s *Server) mailingSend(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := mailingSendForm{Subject: strings.TrimSpace(r.PostForm.Get("subject")), Message: strings.TrimSpace(r.PostForm.Get("message")),
		Digest: r.PostForm.Get("digest") == "yes"}
	p, err := s.newMailingSendPage(r, f)
	if err != nil {
		return err
	}
	if p.Closed {
		return s.render(w, r, http.StatusServiceUnavailable, "mailing-send.html", p)
	}
	if fields := f.check(); len(fields) > 0 {
		p.Errors = fieldErrors(fields, mailingSendFields...)
		return s.render(w, r, http.StatusUnprocessableEntity, "mailing-send.html", p)
	}
	if !f.Digest {
		p.Resources, p.Events = nil, nil
	}
	sent, to, err := s.store.MailingStartSend(r.Context(), s.auditEvent(r, audit.Create), store.MailingSend{Subject: f.Subject, Body: f.Message,
		Resources: len(p.Resources), Events: len(p.Events)})
	if d, ok := errors.AsType[*store.Duplicate](err); ok {
		// The same form sent twice: the message went once, from the first.
		http.Redirect(w, r, "/mailing-list/sends/"+d.Ref, http.StatusSeeOther)
		return nil
	}
	if err != nil {
		return err
	}
	resources, events := p.Resources, p.Events
	s.background(r, func(ctx context.Context) { s.sendToList(ctx, sent, to, resources, events) })
	http.Redirect(w, r, "/mailing-list/sends/"+strconv.FormatInt(sent.ID, 10), http.StatusSeeOther)
	return nil
}

// sendToList sends one copy to each recipient, each with its own
// unsubscribe token. Only counts and the send's number reach the log.
func (s *Server) sendToList(ctx context.Context, m store.MailingSend, to []store.MailingRecipient, resources, events []mailing.Item) {
	var sent, failed int
	for _, rc := range to {
		unsub := auth.NewToken()
		if err := s.store.MailingUnsubscribeToken(ctx, rc.SubscriberID, auth.HashToken(unsub)); errors.Is(err, haven.ErrNotFound) {
			continue // left the list since the send began
		} else if err != nil {
			failed++
			continue
		}
		link := s.mailingURL("unsubscribe", unsub)
		text, html, err := mailing.Digest(m.Body, resources, events, link)
		if err == nil {
			err = s.deliver(ctx, rc.Address, mailing.Message{Subject: m.Subject, Text: text, HTML: html, UnsubscribeURL: link})
		}
		if err != nil {
			failed++
			s.log.Warn("mailing message not sent", "event", "mail_failure", "send_id", m.ID, "error", err.Error())
			continue
		}
		sent++
	}
	if err := s.store.MailingFinishSend(ctx, m.ID, sent, failed); err != nil {
		s.log.Error("mailing send not recorded", "send_id", m.ID, "error", err.Error())
	}
	s.log.Info("mailing send finished", "send_id", m.ID, "sent", sent, "failed", failed)
}

// mailingSentPage is one send's progress.
type mailingSentPage struct {
	Layout
	Send store.MailingSend
}

// Paragraphs is the message as written, a blank line between paragraphs.
func (p *mailingSentPage) Paragraphs() []string {
	var out []string
	for _, para := range strings.Split(strings.ReplaceAll(p.Send.Body, "\r\n", "\n"), "\n\n") {
		if para = strings.TrimSpace(para); para != "" {
			out = append(out, para)
		}
	}
	return out
}

func (s *Server) mailingSent(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return haven.ErrNotFound
	}
	m, err := s.store.MailingSendByID(r.Context(), id)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "mailing-sent.html", &mailingSentPage{Layout: Layout{Title: m.Subject}, Send: m})
}
