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

// The resource library (issue 21 items 1 to 3), checked with axe at 1280
// and 320 px: the public search with its filter, a resource, a retired
// resource, and the proposal and editors' pages.
func init() {
	pages = append(pages,
		pageCase{name: "library", path: "/library", status: 200, want: "Search the library"},
		pageCase{name: "library search with filters", path: "/library?q=grief&topic=grief-loss&audience=practitioners", status: 200, want: "Selected filters"},
		pageCase{name: "library search with an unknown filter", path: "/library?topic=cooking", status: 422, want: "Choose each topic from the list"},
		pageCase{name: "library second page", path: "/library?page=2", status: 200, want: "resources"},
		pageCase{name: "library resource", path: "/library/resources/1", status: 200, want: "Version history"},
		// The demo retires its 201st resource in favour of its first.
		pageCase{name: "library retired resource", path: "/library/resources/201", status: 200, want: "This resource has been retired"},
		pageCase{name: "propose a resource", journey: roleVisit(access.RolePractitioner, "demo-riverside", "/library/propose"), status: 200, want: "Propose a resource"},
		pageCase{name: "propose a resource with nothing entered", journey: proposeEmpty, status: 422, want: "Enter the title"},
		pageCase{name: "library review", journey: roleVisit(access.RoleLibraryEditor, "", "/library/review"), status: 200, want: "Resources to review"},
		pageCase{name: "library edit", journey: libraryEditPage, status: 200, want: "Save as a new version"},
	)
}

func proposeEmpty(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if err := s.shareSession(ctx, access.RolePractitioner, "demo-riverside"); err != nil {
		return nil, err
	}
	if _, err := visit(ctx, s, "/library/propose", "/library/propose", 200); err != nil {
		return nil, err
	}
	last()
	resp, err := pressButton(ctx, "Send for review")
	return arrived(resp, err, "send an empty proposal", "/library/propose", 422)
}

// libraryEditPage opens the first proposal in the review queue.
func libraryEditPage(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if err := s.shareSession(ctx, access.RoleLibraryEditor, ""); err != nil {
		return nil, err
	}
	if _, err := visit(ctx, s, "/library/review", "/library/review", 200); err != nil {
		return nil, err
	}
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('main a[href$="/edit"]')?.getAttribute('href') ?? ''`))
	if err != nil || href == "" {
		return nil, fmt.Errorf("no proposal in the review queue: %v", err)
	}
	last()
	return visit(ctx, s, href, href, 200)
}

// The library's search and filter work with no JavaScript: a query and a
// ticked topic are sent by the form, the chosen topic comes back as a tag,
// and following the tag removes it.
func TestLibraryWithoutJavaScript(t *testing.T) {
	ts := startHaven(t)
	ctx := newTab(t, startBrowser(t))
	disableScripts(t, ctx)
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/library")); err != nil {
		t.Fatal(err)
	}
	checkScriptsOff(t, ctx)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#topic-grief-loss")), chromedp.SendKeys(chromedp.CSS("#q"), "grief")); err != nil {
		t.Fatalf("fill in the search: %v", err)
	}
	resp, err := pressButton(ctx, "Search")
	if err != nil {
		t.Fatalf("search: %v", err)
	}
	if err := checkResponse(ctx, resp, 200, "Selected filters"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(resp.URL, "topic=grief-loss") || !strings.Contains(resp.URL, "q=grief") {
		t.Errorf("the search went to %s", resp.URL)
	}
	marks, err := chromedp.Run(ctx, chromedp.Evaluate[int64](`document.querySelectorAll('main mark').length`))
	if err != nil || marks == 0 {
		t.Errorf("no highlighted words in the results: %v", err)
	}
	resp, err = press(ctx, `//main//a[contains(@class, "moj-filter__tag")]`)
	if err != nil {
		t.Fatalf("remove the filter: %v", err)
	}
	if err := checkResponse(ctx, resp, 200, "Search the library"); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(resp.URL, "topic=") || !strings.Contains(resp.URL, "q=grief") {
		t.Errorf("removing the tag went to %s", resp.URL)
	}
}
