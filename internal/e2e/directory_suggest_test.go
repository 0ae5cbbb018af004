package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"haven/internal/access"
)

// The directory's suggestion forms and the editors' queue (issue 20 items
// 2 and 3), checked with axe at 1280 and 320 px.
func init() {
	pages = append(pages,
		pageCase{name: "suggest a service", path: "/directory/suggest", status: 200, want: "Tell us about a service"},
		pageCase{name: "suggest a service with nothing entered", journey: suggestEmpty, status: 422, want: "Enter who runs the service"},
		pageCase{name: "suggestion sent", path: "/directory/suggest/sent", status: 200, want: "Nothing is published until"},
		pageCase{name: "suggest a correction", journey: correctionForm, status: 200, want: "What it should say"},
		pageCase{name: "directory queue", journey: roleVisit(access.RoleDirectoryEditor, "", "/directory/queue"), status: 200, want: "Entries not checked for 12 months"},
		pageCase{name: "directory entry for an editor", journey: editorEntry, status: 200, want: "Mark as checked today"},
	)
}

func suggestEmpty(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if _, err := visit(ctx, s, "/directory/suggest", "/directory/suggest", 200); err != nil {
		return nil, err
	}
	last()
	resp, err := pressButton(ctx, "Send suggestion")
	return arrived(resp, err, "send an empty suggestion", "/directory/suggest", 422)
}

// firstStaleEntry opens the queue as a directory editor and returns the
// address of its first entry not checked for 12 months (demo Practices'
// entries have never been checked).
func firstStaleEntry(ctx context.Context, s *site) (string, error) {
	if err := s.shareSession(ctx, access.RoleDirectoryEditor, ""); err != nil {
		return "", err
	}
	if _, err := visit(ctx, s, "/directory/queue", "/directory/queue", 200); err != nil {
		return "", err
	}
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('main a[href^="/directory/entries/"]')?.getAttribute('href') ?? ''`))
	if err != nil || href == "" {
		return "", fmt.Errorf("no stale entry in the queue: %v", err)
	}
	return href, nil
}

func editorEntry(ctx context.Context, s *site, last func()) (*network.Response, error) {
	href, err := firstStaleEntry(ctx, s)
	if err != nil {
		return nil, err
	}
	last()
	resp, err := chromedp.RunResponse(ctx, chromedp.Navigate(s.URL+href))
	if err != nil || resp == nil || resp.Status != 200 {
		return nil, fmt.Errorf("open %s: %v", href, err)
	}
	return resp, nil
}

func correctionForm(ctx context.Context, s *site, last func()) (*network.Response, error) {
	href, err := firstStaleEntry(ctx, s)
	if err != nil {
		return nil, err
	}
	id := strings.TrimPrefix(href, "/directory/entries/")
	last()
	resp, err := chromedp.RunResponse(ctx, chromedp.Navigate(s.URL+"/directory/services/"+id+"/correct"))
	if err != nil || resp == nil || resp.Status != 200 {
		return nil, fmt.Errorf("open the correction form for %s: %v", id, err)
	}
	return resp, nil
}

// TestDirectorySuggestWithoutJavaScript: with JavaScript off, a member of
// the public suggests a service (a missing answer is refused with what she
// typed kept), and a directory editor approves it from the queue.
func TestDirectorySuggestWithoutJavaScript(t *testing.T) {
	ts := startHaven(t)
	ctx := newTab(t, startBrowser(t), chromedp.WithNewBrowserContext())
	disableScripts(t, ctx)
	expect, must := stepChecks(t, ctx)
	expect("open the form", "/directory/suggest", 200, "Tell us about a service")(chromedp.Run(ctx, chromedp.NavigateResponse(ts.URL+"/directory/suggest")))
	checkScriptsOff(t, ctx)
	must(fill(ctx, "#organisation", "Nidd Trust (fictional)", "#name", "Nidd Mothers Project (fictional)", "#description", "Support after removal.",
		"#how-to-refer", "Ring the duty line."))
	expect("send without areas", "/directory/suggest", 422, "Choose at least one local authority the service covers")(pressButton(ctx, "Send suggestion"))
	kept, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#name').value`))
	if err != nil || kept != "Nidd Mothers Project (fictional)" {
		t.Fatalf("name kept: %q, %v", kept, err)
	}
	must(chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`input[name="areas"][value="E08000035"]`)), chromedp.Click(chromedp.CSS(`#self-referral`))))
	expect("send", "/directory/suggest/sent", 200, "Nothing is published until")(pressButton(ctx, "Send suggestion"))

	must(ts.shareSession(ctx, access.RoleDirectoryEditor, ""))
	expect("open the queue", "/directory/queue", 200, "Nidd Mothers Project (fictional)")(chromedp.Run(ctx, chromedp.NavigateResponse(ts.URL+"/directory/queue")))
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('main a[href^="/directory/queue/"]')].find(a => a.textContent.includes('Nidd'))?.getAttribute('href') ?? ''`))
	if err != nil || href == "" {
		t.Fatalf("no link to the suggestion: %v", err)
	}
	expect("open the suggestion", href, 200, "Approve and publish")(press(ctx, `//main//a[starts-with(normalize-space(), "Nidd Mothers Project (fictional)")]`))
	expect("approve it", "/directory/queue", 200, "Suggestion approved")(pressButton(ctx, "Approve and publish"))
	// The feed is JSON, with no <main> to read: its text is the page's.
	if resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(ts.URL+"/openreferral/services?search=Nidd")); err != nil || resp.Status != 200 {
		t.Fatalf("open the feed: %v", err)
	}
	feed, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
	if err != nil || !strings.Contains(feed, "Nidd Mothers Project (fictional)") {
		t.Errorf("approved service not in the feed (%v): %.300s", err, feed)
	}
}
