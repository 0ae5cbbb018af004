package e2e

import (
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"

	"haven/internal/calculator"
)

// The public cost calculators (issue 19): each page, an error state and a
// warning are checked with axe at 1280 and 320 px.
func init() {
	pages = append(pages,
		pageCase{name: "cost calculators", path: "/calculators", status: 200, want: "Support on return home from care"},
		pageCase{name: "return home calculator", path: "/calculators/return-home", status: 200, want: "£166,536.00"},
		pageCase{name: "return home calculator with bad input", path: "/calculators/return-home?children=lots&supportBy=need&highShare=60", status: 422, want: "must add up to 100%"},
		pageCase{name: "return home calculator with a warning, by need, discounted", path: "/calculators/return-home?supportBy=need&withSupport=50&discount=3.5&years=10", status: 200, want: "Discount factor"},
		pageCase{name: "infant care calculator", path: "/calculators/infant-care", status: 200, want: "Yearly cost of a child in care"},
		pageCase{name: "infant care calculator with a result", path: "/calculators/infant-care?careCost=40000&programmeCost=300000&years=18", status: 200, want: "These are not your answer"},
	)
}

// TestCalculatorsWithoutJavaScript follows a commissioner from the home page
// to the return-home calculator with JavaScript off: every need-level field
// is there to fill, the radio decides, a bad mix is refused with what she
// typed kept, and the share link gives the same figures; then the Pause-type
// calculator from its bare address.
func TestCalculatorsWithoutJavaScript(t *testing.T) {
	s := startHaven(t)
	ctx := newTab(t, startBrowser(t))
	disableScripts(t, ctx)
	expect, must := stepChecks(t, ctx)

	// 50% × £11,000 + 30% × £6,000 + 20% × £1,644 = £7,628.80 a child;
	// 50 × 9% × £105,804 − 50 × £7,628.80 = £94,678.00 a year.
	q := url.Values{"children": {"50"}, "supportBy": {"need"}, "highShare": {"50"}, "mediumShare": {"30"}, "lowShare": {"20"}}
	in, ps := calculator.ParseReturnHome(q)
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	net := calculator.FormatPence(in.Calculate().Year.NetSavingPence)
	if net != "£94,678.00" {
		t.Fatalf("the calculator says %s a year, by hand £94,678.00", net)
	}

	expect("open the home page", "/", 200, "Cost calculators")(chromedp.Run(ctx, chromedp.NavigateResponse(s.URL+"/")))
	checkScriptsOff(t, ctx)
	expect("follow the link to the calculators", "/calculators", 200, "A Pause-type service")(followLink(ctx, "Cost calculators"))
	expect("open the return-home calculator", "/calculators/return-home", 200, "£166,536.00")(followLink(ctx, "Support on return home from care"))
	must(tick(ctx, "supportBy-need"))
	must(replace(ctx, "#children", "50"))
	must(replace(ctx, "#highShare", "50"))
	must(replace(ctx, "#mediumShare", "30"))
	must(replace(ctx, "#lowShare", "25"))
	expect("calculate with shares adding to 105%", "/calculators/return-home", 422, "they add up to 105%")(submit(ctx))
	kept, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#lowShare")))
	if err != nil || kept != "25" {
		t.Fatalf("low share kept as %q (%v), want 25", kept, err)
	}
	must(replace(ctx, "#lowShare", "20"))
	expect("calculate by level of need", "/calculators/return-home", 200, net)(submit(ctx))
	expect("follow the share link", "/calculators/return-home", 200, net)(press(ctx, `//a[@id="share-link"]`))
	checkScriptsOff(t, ctx)

	expect("open the Pause-type calculator", "/calculators/infant-care", 200, "Yearly cost of a child in care")(chromedp.Run(ctx, chromedp.NavigateResponse(s.URL+"/calculators/infant-care")))
	must(fill(ctx, "#careCost", "40000", "#programmeCost", "300000"))
	expect("calculate its return", "/calculators/infant-care", 200, "£4,560,000.00")(submit(ctx))
}
