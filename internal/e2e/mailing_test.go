package e2e

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"mime/quotedprintable"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/auth"
	"haven/internal/store"
)

// The mailing list's pages (issue 21 item 6), checked with axe at 1280 and
// 320 px.
func init() {
	pages = append(pages,
		pageCase{name: "mailing list", path: "/mailing-list", status: 200, want: "Join the mailing list"},
		pageCase{name: "mailing list with nothing entered", journey: mailingEmpty, status: 422, want: "Enter your email address"},
		pageCase{name: "mailing list check your email", path: "/mailing-list/check-your-email", status: 200, want: "If you are already on the list"},
		pageCase{name: "mailing list confirm", journey: mailingToken("confirm", ""), status: 200, want: "Confirm my subscription"},
		pageCase{name: "mailing list confirmed", journey: mailingToken("confirm", "Confirm my subscription"), status: 200, want: "You will get our emails"},
		pageCase{name: "mailing list unsubscribe", journey: mailingToken("unsubscribe", ""), status: 200, want: "Press the button to stop"},
		pageCase{name: "mailing list unsubscribed", journey: mailingToken("unsubscribe", "Leave the mailing list"), status: 200, want: "You will get no more emails"},
		pageCase{name: "mailing list send", journey: roleVisit(access.RoleLibraryEditor, "", "/mailing-list/send"), status: 200, want: "confirmed subscribers"},
		pageCase{name: "mailing list send with nothing entered", journey: mailingSendEmpty, status: 422, want: "Enter a subject"},
		pageCase{name: "mailing list message sent", journey: mailingSent, status: 200, want: "Send another message"},
	)
}

func mailingEmpty(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if _, err := visit(ctx, s, "/mailing-list", "/mailing-list", 200); err != nil {
		return nil, err
	}
	last()
	resp, err := pressButton(ctx, "Join the mailing list")
	return arrived(resp, err, "join with nothing entered", "/mailing-list", 422)
}

func mailingSendEmpty(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if err := s.shareSession(ctx, access.RoleLibraryEditor, ""); err != nil {
		return nil, err
	}
	if _, err := visit(ctx, s, "/mailing-list/send", "/mailing-list/send", 200); err != nil {
		return nil, err
	}
	last()
	resp, err := pressButton(ctx, "Send to")
	return arrived(resp, err, "send with nothing entered", "/mailing-list/send", 422)
}

func mailingSent(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if err := s.shareSession(ctx, access.RoleLibraryEditor, ""); err != nil {
		return nil, err
	}
	if _, err := visit(ctx, s, "/mailing-list/send", "/mailing-list/send", 200); err != nil {
		return nil, err
	}
	if err := fill(ctx, "#subject", "Spring seminar (fictional)", "#message", "Hello all.\n\nThe spring seminar is open for booking."); err != nil {
		return nil, err
	}
	last()
	resp, err := pressButton(ctx, "Send to")
	if err != nil || resp == nil || resp.Status != 200 || !strings.Contains(resp.URL, "/mailing-list/sends/") {
		if resp != nil {
			summary, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("main").innerText`))
			return nil, fmt.Errorf("send: %d %s %v %s", resp.Status, resp.URL, err, summary)
		}
		return nil, fmt.Errorf("send: %v", err)
	}
	return resp, nil
}

// mailingToken subscribes a made-up address through the store, opens its
// confirm or unsubscribe link, and presses button if one is named.
func mailingToken(kind, button string) func(context.Context, *site, func()) (*network.Response, error) {
	return func(ctx context.Context, s *site, last func()) (*network.Response, error) {
		confirm, unsub := auth.NewToken(), auth.NewToken()
		addr := strings.ToLower(rand.Text()[:12]) + "@example.org"
		if _, err := s.db.MailingSubscribe(ctx, audit.Event{RequestID: "e2e"}, addr,
			store.MailingTokens{ConfirmHash: auth.HashToken(confirm), UnsubscribeHash: auth.HashToken(unsub)}); err != nil {
			return nil, err
		}
		path := "/mailing-list/confirm/" + confirm
		if kind == "unsubscribe" {
			path = "/mailing-list/unsubscribe/" + unsub
		}
		if button == "" {
			last()
			return visit(ctx, s, path, path, 200)
		}
		if _, err := visit(ctx, s, path, path, 200); err != nil {
			return nil, err
		}
		last()
		resp, err := pressButton(ctx, button)
		return arrived(resp, err, "press "+button, path, 200)
	}
}

var confirmLink = regexp.MustCompile(`http://[^/\s]+(/mailing-list/confirm/[A-Za-z0-9_-]+)`)

// TestMailingListWithoutJavaScript: with JavaScript off, a practitioner
// joins the list, reads the confirmation that arrived over SMTP, and
// confirms with the page's button.
func TestMailingListWithoutJavaScript(t *testing.T) {
	ts := startHaven(t)
	ctx := newTab(t, startBrowser(t), chromedp.WithNewBrowserContext())
	disableScripts(t, ctx)
	expect, must := stepChecks(t, ctx)
	expect("open the form", "/mailing-list", 200, "Join the mailing list")(chromedp.Run(ctx, chromedp.NavigateResponse(ts.URL+"/mailing-list")))
	checkScriptsOff(t, ctx)
	must(fill(ctx, "#email", "not an address"))
	expect("send a wrong address", "/mailing-list", 422, "Enter an email address in the correct format")(pressButton(ctx, "Join the mailing list"))
	must(chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector("#email").value = ""`)))
	must(fill(ctx, "#email", "nojs.reader@example.org"))
	expect("join", "/mailing-list/check-your-email", 200, "we have sent it an email")(pressButton(ctx, "Join the mailing list"))
	got := ts.mail.Wait(t, 1)
	raw := string(got[0].Data)
	text, _ := io.ReadAll(quotedprintable.NewReader(strings.NewReader(raw[strings.Index(raw, "\r\n\r\n")+4:])))
	m := confirmLink.FindStringSubmatch(string(text))
	if m == nil || got[0].To[0] != "nojs.reader@example.org" {
		t.Fatalf("no confirmation link in %q", text)
	}
	expect("open the link", m[1], 200, "Confirm my subscription")(chromedp.Run(ctx, chromedp.NavigateResponse(ts.URL+m[1])))
	expect("confirm", m[1], 200, "You will get our emails")(pressButton(ctx, "Confirm my subscription"))
	if n, err := ts.db.MailingConfirmedCount(t.Context()); err != nil || n != 1 {
		t.Fatal(fmt.Sprint("confirmed ", n, err))
	}
}
