package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"

	"haven/internal/directory"
)

// The public directory's pages (issue 20 item 2), over the demo's 50
// fictional services: each is checked with axe at 1280 and 320 px.
func init() {
	pages = append(pages,
		pageCase{name: "directory search form", path: "/directory", status: 200, want: "Find a service"},
		pageCase{name: "directory search by postcode", path: "/directory?place=BD1+1AA", status: 200, want: "Nearest first"},
		pageCase{name: "directory search by local authority with a filter", path: "/directory?place=Leeds&term=" + directory.Taxonomies[2].Terms[0].ID, status: 200, want: "for Leeds"},
		pageCase{name: "directory search with an unknown postcode", path: "/directory?place=ZZ9+9ZZ", status: 422, want: "Enter a real postcode"},
		pageCase{name: "directory service", path: "/directory/services/" + directory.NameID("demo:service:BD1"), status: 200, want: "How to refer"},
		pageCase{name: "directory map", path: "/directory/map", status: 200, want: "Services by local authority"},
	)
}

// TestDirectoryWithoutJavaScript: from the home page to the directory, a
// search by postcode, nearest first, and the nearest service's page, with
// JavaScript off; then the map, whose areas are links that search.
func TestDirectoryWithoutJavaScript(t *testing.T) {
	ts := startHaven(t)
	ctx := newTab(t, startBrowser(t))
	disableScripts(t, ctx)
	expect, must := stepChecks(t, ctx)
	expect("open the home page", "/", 200, "Find support")(chromedp.Run(ctx, chromedp.NavigateResponse(ts.URL+"/")))
	checkScriptsOff(t, ctx)
	expect("follow the directory link", "/directory", 200, "fictional")(press(ctx, `//main//a[normalize-space()="Find a service for parents anywhere in England"]`))
	must(fill(ctx, "#place", "bd1 1aa"))
	expect("search by postcode", "/directory", 200, "Nearest first")(submit(ctx))
	expect("open the nearest service", "/directory/services/"+directory.NameID("demo:service:BD1"), 200, "How to refer")(
		press(ctx, `(//main//h3[contains(@class, "govuk-summary-card__title")]/a)[1]`))
	expect("open the map", "/directory/map", 200, "Services by local authority")(chromedp.Run(ctx, chromedp.NavigateResponse(ts.URL+"/directory/map")))
	expect("follow Leeds in the table", "/directory", 200, "for Leeds")(press(ctx, `//main//table//a[normalize-space()="Leeds"]`))
	checkScriptsOff(t, ctx)
}
