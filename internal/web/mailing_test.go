package web_test

import (
	"io"
	"log/slog"
	"mime/quotedprintable"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"haven/internal/access"
	"haven/internal/auth"
	"haven/internal/demo"
	"haven/internal/mail/mailtest"
	"haven/internal/store"
	"haven/internal/store/storetest"
	"haven/internal/web"
)

// mailEnv is authEnv with a real SMTP server behind the mailing list.
type mailEnv struct {
	*authEnv
	smtp *mailtest.Server
	srv  *web.Server
}

func newMailEnv(t *testing.T) *mailEnv {
	t.Helper()
	db := storetest.SQLite(t)
	c := newClock()
	db.SetClock(c.Now)
	sum, err := demo.Seed(t.Context(), db, demo.Options{Hasher: &auth.Hasher{Memory: 64, Time: 1}, Now: c.Now()})
	if err != nil {
		t.Fatal(err)
	}
	smtp := mailtest.Start(t, mailtest.Options{STARTTLS: true, User: "haven", Password: "relay-pw"})
	logs := &testLog{}
	s, err := web.NewServer(web.Options{Store: db, Now: c.Now, HTTPS: true, BaseURL: "https://haven.example.org",
		Logger: slog.New(slog.NewJSONHandler(logs, nil)), Mailer: smtp.Sender("community@haven.example.org")})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewTLSServer(s)
	t.Cleanup(func() { s.WaitForMail(); ts.Close() })
	return &mailEnv{authEnv: &authEnv{ts: ts, db: db, clock: c, demo: sum, logs: logs}, smtp: smtp, srv: s}
}

// body is a received message's plain text, decoded.
func body(t *testing.T, m mailtest.Received) string {
	t.Helper()
	raw := string(m.Data)
	i := strings.Index(raw, "\r\n\r\n")
	b, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(raw[i+4:])))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var linkRE = regexp.MustCompile(`https://haven\.example\.org(/mailing-list/(confirm|unsubscribe)/[A-Za-z0-9_-]+)`)

// links are a message's confirm and unsubscribe paths.
func links(t *testing.T, text string) (confirm, unsub string) {
	t.Helper()
	for _, m := range linkRE.FindAllStringSubmatch(text, -1) {
		if m[2] == "confirm" {
			confirm = m[1]
		} else {
			unsub = m[1]
		}
	}
	return confirm, unsub
}

// Double opt-in end to end over SMTP: subscribing twice sends one
// confirmation; the link opens a page with a button (a link scanner's GET
// confirms nothing); confirming twice confirms once; only confirmed
// addresses get the editors' message, each alone with its own one-click
// unsubscribe link; unsubscribing twice leaves one state; no address
// reaches the log.
func TestMailingListDoubleOptIn(t *testing.T) {
	e := newMailEnv(t)
	public := e.browser()
	subscribe := func(addr string) response {
		t.Helper()
		res := send(t, public, "POST", e.ts.URL+"/mailing-list", url.Values{"email": {addr}})
		if res.status != 303 || res.header.Get("Location") != "/mailing-list/check-your-email" {
			t.Fatalf("subscribe %s: %d to %q\n%s", addr, res.status, res.header.Get("Location"), res.body)
		}
		return res
	}
	subscribe("Ann.Lee@Example.org")
	subscribe("ann.lee@example.org ")
	subscribe("bo.pending@example.org") // never confirms
	e.srv.WaitForMail()
	got := e.smtp.Wait(t, 2)
	if len(got) != 2 {
		t.Fatalf("%d confirmations, want 2 (one per address)", len(got))
	}
	var annMsg mailtest.Received
	for _, m := range got {
		if len(m.To) != 1 {
			t.Fatalf("a message had %d recipients", len(m.To))
		}
		if m.To[0] == "ann.lee@example.org" {
			annMsg = m
		}
		if !m.TLS || m.AuthUser != "haven" || m.Header().Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
			t.Errorf("confirmation %+v", m.Header())
		}
	}
	confirm, unsub := links(t, body(t, annMsg))
	if confirm == "" || unsub == "" || annMsg.Header().Get("List-Unsubscribe") != "<https://haven.example.org"+unsub+">" {
		t.Fatalf("links %q %q in\n%s", confirm, unsub, body(t, annMsg))
	}

	// The link opens a page; only its button confirms.
	res := send(t, public, "GET", e.ts.URL+confirm, nil)
	if res.status != 200 || !strings.Contains(res.body, "Confirm my subscription") {
		t.Fatalf("confirm page %d\n%s", res.status, res.body)
	}
	if n, _ := e.db.MailingConfirmedCount(t.Context()); n != 0 {
		t.Fatalf("GET confirmed: %d confirmed", n)
	}
	res = send(t, public, "POST", e.ts.URL+confirm, url.Values{})
	if res.status != 200 || !strings.Contains(res.body, "You have joined the mailing list") {
		t.Fatalf("confirm %d\n%s", res.status, res.body)
	}
	for _, m := range []string{"POST", "GET"} {
		res = send(t, public, m, e.ts.URL+confirm, url.Values{})
		if res.status != 200 || !strings.Contains(res.body, "You are already on the mailing list") {
			t.Fatalf("%s confirm again %d\n%s", m, res.status, res.body)
		}
	}
	if n, _ := e.db.MailingConfirmedCount(t.Context()); n != 1 {
		t.Fatalf("%d confirmed, want 1", n)
	}

	// An editor sends; only Ann gets it, alone, with her own link.
	editor := e.signIn(t, e.account(access.RoleLibraryEditor))
	res = send(t, editor, "GET", e.ts.URL+"/mailing-list/send", nil)
	if res.status != 200 || !strings.Contains(res.body, "Send to 1 subscriber") || strings.Contains(res.body, "@example.org") ||
		!strings.Contains(res.body, `name="subject"`) || !strings.Contains(res.body, `name="message"`) || !strings.Contains(res.body, `name="digest"`) {
		t.Fatalf("send page %d\n%s", res.status, res.body)
	}
	res = send(t, editor, "POST", e.ts.URL+"/mailing-list/send", url.Values{"subject": {"March news"}, "message": {"Hello all.\n\nA <b>new</b> seminar."}, "digest": {"yes"}})
	if res.status != 303 || !strings.HasPrefix(res.header.Get("Location"), "/mailing-list/sends/") {
		t.Fatalf("send %d %q\n%s", res.status, res.header.Get("Location"), res.body)
	}
	e.srv.WaitForMail()
	got = e.smtp.Wait(t, 3)
	if len(got) != 3 {
		t.Fatalf("%d messages after the send, want 3", len(got))
	}
	news := got[2]
	if len(news.To) != 1 || news.To[0] != "ann.lee@example.org" || news.Header().Get("To") != "ann.lee@example.org" || news.Header().Get("Cc") != "" {
		t.Fatalf("the news went to %v (To %q)", news.To, news.Header().Get("To"))
	}
	// The digest carries the events to come and the resources published
	// lately (the demo's), each with its page.
	if body := string(news.Data); !strings.Contains(body, "Contraception conversations after removal") || !strings.Contains(body, "https://haven.example.org/events/") ||
		!strings.Contains(body, "https://haven.example.org/library/resources/") {
		t.Errorf("the digest lacks the events to come:\n%s", body)
	}
	h := news.Header()
	if h.Get("Subject") != "March news" || h.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" || h.Get("List-Id") != "<community.haven.example.org>" {
		t.Errorf("headers %v", h)
	}
	newsUnsub := strings.TrimSuffix(strings.TrimPrefix(h.Get("List-Unsubscribe"), "<https://haven.example.org"), ">")
	if newsUnsub == unsub || !strings.HasPrefix(newsUnsub, "/mailing-list/unsubscribe/") {
		t.Fatalf("the news's unsubscribe link %q", newsUnsub)
	}
	res = send(t, editor, "GET", e.ts.URL+res.header.Get("Location"), nil)
	if res.status != 200 || !strings.Contains(res.body, "March news") || !strings.Contains(res.body, "A &lt;b&gt;new&lt;/b&gt; seminar.") {
		t.Fatalf("send status page %d\n%s", res.status, res.body)
	}

	// One-click unsubscribe as a mail program sends it: a POST from another
	// origin, with no cookie and no form key, answered 200. Twice.
	for i := range 2 {
		req, _ := http.NewRequest("POST", e.ts.URL+newsUnsub, strings.NewReader("List-Unsubscribe=One-Click"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "https://mail.example.net")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		r, err := e.ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(r.Body)
		r.Body.Close()
		if r.StatusCode != 200 || !strings.Contains(string(b), "You have left the mailing list") {
			t.Fatalf("one-click %d: %d\n%s", i, r.StatusCode, b)
		}
	}
	// The confirmation's own link still answers, with the same page.
	if res := send(t, public, "POST", e.ts.URL+unsub, url.Values{}); res.status != 200 || !strings.Contains(res.body, "You have left the mailing list") {
		t.Fatalf("unsubscribe from the confirmation: %d", res.status)
	}
	if n, _ := e.db.MailingConfirmedCount(t.Context()); n != 0 {
		t.Fatalf("%d confirmed after unsubscribing", n)
	}
	res = send(t, editor, "POST", e.ts.URL+"/mailing-list/send", url.Values{"subject": {"April news"}, "message": {"Hello."}})
	if res.status != 303 {
		t.Fatalf("second send %d", res.status)
	}
	e.srv.WaitForMail()
	if got := e.smtp.Messages(); len(got) != 3 {
		t.Fatalf("%d messages after everyone left, want still 3", len(got))
	}
	if logs := e.logs.String(); strings.Contains(logs, "@example.org") || strings.Contains(logs, "relay-pw") {
		t.Errorf("an address or the relay password reached the log:\n%s", logs)
	}
	events, err := e.db.SearchAudit(t.Context(), store.AuditFilter{RecordType: "mailing-send"})
	if err != nil || len(events) != 2 || events[0].UserID == 0 {
		t.Errorf("send audit %+v, %v", events, err)
	}
}

// The form answers the same whether an address is new, waiting or on the
// list, refuses what is not an address with 422, and is rate-limited per
// client with a 429.
func TestMailingListSubscribeAnswers(t *testing.T) {
	e := newMailEnv(t)
	c := e.browser()
	for _, tt := range []struct{ email, want string }{{"", "Enter your email address"}, {"ann", "Enter an email address in the correct format"},
		{"Ann <ann@example.org>", "Enter an email address in the correct format"}, {"ann@example.org\r\nBcc: x@example.org", "correct format"}} {
		res := send(t, c, "POST", e.ts.URL+"/mailing-list", url.Values{"email": {tt.email}})
		if res.status != 422 || !strings.Contains(res.body, tt.want) || !strings.Contains(res.body, `href="#email"`) {
			t.Errorf("%q: %d\n%s", tt.email, res.status, res.body)
		}
	}
	first := send(t, c, "POST", e.ts.URL+"/mailing-list", url.Values{"email": {"new@example.org"}})
	again := send(t, c, "POST", e.ts.URL+"/mailing-list", url.Values{"email": {"new@example.org"}})
	if first.status != again.status || first.header.Get("Location") != again.header.Get("Location") || first.body != again.body {
		t.Errorf("a known address is answered differently: %d %q, %d %q", first.status, first.header.Get("Location"), again.status, again.header.Get("Location"))
	}
	res := send(t, c, "GET", e.ts.URL+"/mailing-list/check-your-email", nil)
	if res.status != 200 || strings.Contains(res.body, "new@example.org") {
		t.Errorf("check page %d", res.status)
	}
	for i := range 20 {
		res = send(t, c, "POST", e.ts.URL+"/mailing-list", url.Values{"email": {"n" + string(rune('a'+i)) + "@example.org"}})
		if res.status == 429 {
			break
		}
	}
	if res.status != 429 || res.header.Get("Retry-After") == "" || !strings.Contains(res.body, "Wait") {
		t.Fatalf("no 429 after many requests: %d", res.status)
	}
	e.srv.WaitForMail()
	// Fewer confirmations than requests: the limit stopped the rest.
	if n := len(e.smtp.Messages()); n < 2 || n > 11 {
		t.Errorf("%d confirmations", n)
	}
	e.clock.Add(2 * time.Hour)
}

// The cross-origin check lets through only the one-click unsubscribe: a
// cross-site POST to subscribe or confirm is refused.
func TestMailingListCrossOrigin(t *testing.T) {
	e := newMailEnv(t)
	for _, path := range []string{"/mailing-list", "/mailing-list/confirm/AAAA", "/mailing-list/send"} {
		req, _ := http.NewRequest("POST", e.ts.URL+path, strings.NewReader("email=a%40example.org"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		r, err := e.ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		if r.StatusCode != 403 {
			t.Errorf("cross-site POST %s: %d", path, r.StatusCode)
		}
	}
	req, _ := http.NewRequest("POST", e.ts.URL+"/mailing-list/unsubscribe/AAAA", strings.NewReader("List-Unsubscribe=One-Click"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	r, err := e.ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != 404 { // through the check, and an unknown token
		t.Errorf("cross-site one-click with an unknown token: %d", r.StatusCode)
	}
}

// Every mailing-list route against every role: the public pages answer
// anyone; the editors' pages answer library editors only.
func TestMailingListRouteMatrix(t *testing.T) {
	e := newMailEnv(t)
	public := []struct{ method, path string }{
		{"GET", "/mailing-list"}, {"GET", "/mailing-list/check-your-email"},
	}
	subscribe := []struct{ method, path string }{{"POST", "/mailing-list"}} // with no address: 422 for anyone
	token := []struct{ method, path string }{
		{"GET", "/mailing-list/confirm/AAAA"}, {"POST", "/mailing-list/confirm/AAAA"},
		{"GET", "/mailing-list/unsubscribe/AAAA"}, {"POST", "/mailing-list/unsubscribe/AAAA"},
	}
	editors := []struct{ method, path string }{
		{"GET", "/mailing-list/send"}, {"POST", "/mailing-list/send"}, {"GET", "/mailing-list/sends/1"},
	}
	// Every mailing-list route is in one of the lists above, with the
	// permission its list expects.
	covered := map[string]access.Permission{}
	for _, l := range []struct {
		rts  []struct{ method, path string }
		perm access.Permission
	}{{public, access.PermPublic}, {subscribe, access.PermPublic}, {token, access.PermPublic}, {editors, access.PermLibraryEdit}} {
		for _, rt := range l.rts {
			p := regexp.MustCompile(`/(AAAA|1)$`).ReplaceAllStringFunc(rt.path, func(m string) string {
				if m == "/1" {
					return "/{id}"
				}
				return "/{token}"
			})
			covered[rt.method+" "+p] = l.perm
		}
	}
	for pattern, perm := range e.srv.Routes() {
		if strings.Contains(pattern, " /mailing-list") && covered[pattern] != perm {
			t.Errorf("%s (%s) is not in the matrix with that permission", pattern, perm)
		}
	}
	editor := e.signIn(t, e.account(access.RoleLibraryEditor))
	if res := send(t, editor, "POST", e.ts.URL+"/mailing-list/send", url.Values{"subject": {"S"}, "message": {"M"}}); res.status != 303 {
		t.Fatalf("editor send: %d", res.status)
	}
	clients := map[string]*http.Client{"signed out": e.browser()}
	for _, role := range access.Roles() {
		clients[string(role)] = e.signIn(t, e.account(role))
	}
	for who, c := range clients {
		for _, rt := range public {
			if res := send(t, c, rt.method, e.ts.URL+rt.path, nil); res.status != 200 {
				t.Errorf("%s: %s %s answered %d", who, rt.method, rt.path, res.status)
			}
		}
		for _, rt := range subscribe {
			if res := send(t, c, rt.method, e.ts.URL+rt.path, url.Values{}); res.status != 422 {
				t.Errorf("%s: %s %s answered %d", who, rt.method, rt.path, res.status)
			}
		}
		for _, rt := range token { // an unknown token is a 404 page for everyone
			if res := send(t, c, rt.method, e.ts.URL+rt.path, url.Values{}); res.status != 404 {
				t.Errorf("%s: %s %s answered %d", who, rt.method, rt.path, res.status)
			}
		}
		for _, rt := range editors {
			res := send(t, c, rt.method, e.ts.URL+rt.path, url.Values{"subject": {"Spam"}, "message": {"Spam"}})
			switch {
			case who == string(access.RoleLibraryEditor):
				if res.status != 200 && res.status != 303 {
					t.Errorf("editor: %s %s answered %d", rt.method, rt.path, res.status)
				}
			case who == "signed out":
				if res.status == 200 || res.status < 300 || (res.status == 303 && !strings.HasPrefix(res.header.Get("Location"), "/sign-in")) {
					t.Errorf("signed out: %s %s answered %d to %q", rt.method, rt.path, res.status, res.header.Get("Location"))
				}
			default:
				if res.status != 403 && res.status != 404 {
					t.Errorf("%s: %s %s answered %d", who, rt.method, rt.path, res.status)
				}
			}
		}
	}
	sends, _ := e.db.MailingSends(t.Context(), 10)
	for _, s := range sends {
		if s.Subject == "Spam" && s.CreatedBy != e.account(access.RoleLibraryEditor).UserID {
			t.Errorf("a refused request sent: %+v", s)
		}
	}
}

// A send form sent twice (a double click, a resend after a timeout) sends
// the message once: the second answer leads to the first send's page.
func TestMailingListSendOnce(t *testing.T) {
	e := newMailEnv(t)
	editor := e.signIn(t, e.account(access.RoleLibraryEditor))
	form := url.Values{"subject": {"Once only"}, "message": {"Hello."}, web.IdempotencyField: {"mailing-send-once-0001"}}
	first := send(t, editor, "POST", e.ts.URL+"/mailing-list/send", form)
	again := send(t, editor, "POST", e.ts.URL+"/mailing-list/send", form)
	if first.status != 303 || again.status != 303 || first.header.Get("Location") != again.header.Get("Location") {
		t.Fatalf("twice: %d %q, %d %q", first.status, first.header.Get("Location"), again.status, again.header.Get("Location"))
	}
	if sends, err := e.db.MailingSends(t.Context(), 10); err != nil || len(sends) != 1 {
		t.Fatalf("%d sends, %v", len(sends), err)
	}
	bad := send(t, editor, "POST", e.ts.URL+"/mailing-list/send", url.Values{"subject": {"Two\r\nlines"}, "message": {strings.Repeat("x", 10001)}})
	if bad.status != 422 || !strings.Contains(bad.body, "Subject must be one line") || !strings.Contains(bad.body, "Message must be 10,000 characters or fewer") {
		t.Errorf("bad form: %d", bad.status)
	}
}
