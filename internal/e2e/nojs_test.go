package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestFindAPracticeWithoutJavaScript checks that the journey works for people
// whose browsers run no JavaScript, as the GOV.UK Service Manual asks.
func TestFindAPracticeWithoutJavaScript(t *testing.T) {
	ts := startHaven(t)
	ctx := newTab(t, startBrowser(t))
	noScript := chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	})
	if err := chromedp.Do(ctx, noScript); err != nil {
		t.Fatalf("disable JavaScript: %v", err)
	}

	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/find-a-practice")); err != nil {
		t.Fatal(err)
	}
	checkScriptsOff(t, ctx)
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#area"), "kent")); err != nil {
		t.Fatalf("type in #area: %v", err)
	}
	resp, err := submit(ctx)
	if err != nil {
		t.Fatalf("submit search: %v", err)
	}
	if err := checkResponse(ctx, resp, 200, "Hillcrest Practice (demo)"); err != nil {
		t.Fatal(err)
	}

	// A fresh form, since the results page keeps "kent" in the field.
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/find-a-practice")); err != nil {
		t.Fatal(err)
	}
	if resp, err = submit(ctx); err != nil {
		t.Fatalf("submit empty search: %v", err)
	}
	if err := checkResponse(ctx, resp, 422, "Enter the name of your local authority"); err != nil {
		t.Fatal(err)
	}
	title, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".govuk-error-summary .govuk-error-summary__title")))
	if err != nil {
		t.Fatalf("read error summary: %v", err)
	}
	if title != "There is a problem" {
		t.Errorf("error summary title = %q, want %q", title, "There is a problem")
	}
	checkScriptsOff(t, ctx)
}

// checkScriptsOff fails if init.js ran, which would mean the test is not
// really seeing the page without JavaScript.
func checkScriptsOff(t *testing.T, ctx context.Context) {
	t.Helper()
	attr, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS("body"), "class"))
	if err != nil {
		t.Fatalf("read body class: %v", err)
	}
	if strings.Contains(attr.Value, "js-enabled") {
		t.Fatalf("body has class %q: scripts ran although JavaScript is disabled", attr.Value)
	}
}
