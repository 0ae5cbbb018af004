package e2e

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"haven/internal/access"
)

// A service contact's pages and the editors' "Give this service's contact
// an account" (issue 20 item 3), checked with axe at 1280 and 320 px.
func init() {
	pages = append(pages,
		pageCase{name: "service contact's entries", journey: roleVisit(access.RoleServiceContact, "", "/directory/my-services"), status: 200, want: "You keep these services"},
		pageCase{name: "service contact's entry", journey: myEntry, status: 200, want: "This is still correct", alone: true},
		pageCase{name: "service contact's entry with errors", journey: myEntryInvalid, status: 422, want: "Enter the service", alone: true},
		pageCase{name: "directory entry with who keeps it", journey: keptEntryForEditor, status: 200, want: "Signed in before"},
		pageCase{name: "give a service's contact an account", journey: keeperForm, status: 200, want: "Their email address"},
		pageCase{name: "service contact's account ready", journey: keeperReady, status: 200, want: "Send this one-time link"},
	)
}

// firstMyEntry opens the demo contact's list and returns its first entry's address.
func firstMyEntry(ctx context.Context, s *site) (string, error) {
	if err := s.shareSession(ctx, access.RoleServiceContact, ""); err != nil {
		return "", err
	}
	if _, err := visit(ctx, s, "/directory/my-services", "/directory/my-services", 200); err != nil {
		return "", err
	}
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('main a[href^="/directory/my-services/"]')?.getAttribute('href') ?? ''`))
	if err != nil || href == "" {
		return "", fmt.Errorf("no entry in the contact's list: %v", err)
	}
	return href, nil
}

func myEntry(ctx context.Context, s *site, last func()) (*network.Response, error) {
	href, err := firstMyEntry(ctx, s)
	if err != nil {
		return nil, err
	}
	last()
	return visit(ctx, s, href, href, 200)
}

func myEntryInvalid(ctx context.Context, s *site, last func()) (*network.Response, error) {
	href, err := firstMyEntry(ctx, s)
	if err != nil {
		return nil, err
	}
	if _, err := visit(ctx, s, href, href, 200); err != nil {
		return nil, err
	}
	if err := chromedp.Do(ctx, chromedp.Clear(chromedp.CSS("#name"))); err != nil {
		return nil, err
	}
	last()
	resp, err := pressButton(ctx, "Save and publish")
	return arrived(resp, err, "save without a name", href, 422)
}

// keptEntryForEditor opens, as a directory editor, an entry the demo's
// service contact keeps: its page names them.
func keptEntryForEditor(ctx context.Context, s *site, last func()) (*network.Response, error) {
	var contact int64
	for _, a := range s.all {
		if a.Role == access.RoleServiceContact {
			contact = a.UserID
		}
	}
	kept, err := s.db.KeptServices(ctx, contact)
	if err != nil || len(kept) == 0 {
		return nil, fmt.Errorf("the demo contact keeps no entry: %v", err)
	}
	if err := s.shareSession(ctx, access.RoleDirectoryEditor, ""); err != nil {
		return nil, err
	}
	entry := "/directory/entries/" + kept[0].ID
	last()
	return visit(ctx, s, entry, entry, 200)
}

func keeperForm(ctx context.Context, s *site, last func()) (*network.Response, error) {
	href, err := firstStaleEntry(ctx, s)
	if err != nil {
		return nil, err
	}
	last()
	return visit(ctx, s, href+"/accounts/new", href+"/accounts/new", 200)
}

// keeperReady signs a directory editor in afresh (giving an account asks
// for a recent sign-in) and gives a new contact an account.
func keeperReady(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if _, err := signInAs(ctx, s, access.RoleDirectoryEditor, ""); err != nil {
		return nil, err
	}
	if _, err := visit(ctx, s, "/directory/queue", "/directory/queue", 200); err != nil {
		return nil, err
	}
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('main a[href^="/directory/entries/"]')?.getAttribute('href') ?? ''`))
	if err != nil || href == "" {
		return nil, fmt.Errorf("no entry in the queue: %v", err)
	}
	if _, err := visit(ctx, s, href+"/accounts/new", href+"/accounts/new", 200); err != nil {
		return nil, err
	}
	n := s.serial()
	if err := fill(ctx, "#contact-name", fmt.Sprintf("Sam Keeper %d", n), "#contact-email", fmt.Sprintf("sam.keeper%d@directory.demo.haven.invalid", n)); err != nil {
		return nil, err
	}
	last()
	resp, err := pressButton(ctx, "Give them an account")
	return arrived(resp, err, "give an account", href+"/accounts", 200)
}

// TestServiceContactWithoutJavaScript: with JavaScript off, the demo's
// service contact opens an entry, is refused a save without a name (what
// they typed is kept), saves a change, and says the other entry is still
// correct.
func TestServiceContactWithoutJavaScript(t *testing.T) {
	ts := startHaven(t)
	ctx := newTab(t, startBrowser(t), chromedp.WithNewBrowserContext())
	disableScripts(t, ctx)
	expect, must := stepChecks(t, ctx)
	href, err := firstMyEntry(ctx, ts)
	if err != nil {
		t.Fatal(err)
	}
	checkScriptsOff(t, ctx)
	expect("open the entry", href, 200, "This is still correct")(chromedp.Run(ctx, chromedp.NavigateResponse(ts.URL+href)))
	must(chromedp.Do(ctx, chromedp.Clear(chromedp.CSS("#name"))))
	must(replace(ctx, "#description", "Support for parents after a removal, now with an evening group (fictional)."))
	expect("save without a name", href, 422, "Enter the service")(pressButton(ctx, "Save and publish"))
	kept, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#description').value`))
	if err != nil || kept != "Support for parents after a removal, now with an evening group (fictional)." {
		t.Fatalf("description kept: %q, %v", kept, err)
	}
	must(fill(ctx, "#name", "Renamed Project (fictional)"))
	expect("save", href, 200, "Your entry is saved and published")(pressButton(ctx, "Save and publish"))
	expect("back to the list", "/directory/my-services", 200, "Renamed Project (fictional)")(followLink(ctx, "Back to your directory entries"))
	other, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('main a[href^="/directory/my-services/"]')].map(a => a.getAttribute('href')).find(h => h !== '`+href+`') ?? ''`))
	if err != nil || other == "" {
		t.Fatalf("no second entry: %v", err)
	}
	expect("open the other entry", other, 200, "This is still correct")(chromedp.Run(ctx, chromedp.NavigateResponse(ts.URL+other)))
	expect("still correct", other, 200, "marked as checked today")(pressButton(ctx, "This is still correct"))
}
