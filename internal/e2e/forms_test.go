package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"haven/internal/programme"
)

// goalAdded adds a goal to a woman's plan and lands on the plan, which says
// so in its success banner.
func goalAdded(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if err := leadOnRecord(ctx, s, "/plan"); err != nil {
		return nil, err
	}
	if err := choose(ctx, "#domain", string(programme.DomainHousing)); err != nil {
		return nil, err
	}
	if err := fill(ctx, "#words", "Fictional goal: a flat of my own"); err != nil {
		return nil, err
	}
	last()
	resp, err := pressButton(ctx, "Add the goal")
	return arrived(resp, err, "add the goal", "/people/{ref}/plan", 200)
}

// The success banner and the character count in a browser with its
// scripts: the banner shows once, and the count counts as she types and
// says when she is over the limit.
func TestBannerAndCharacterCount(t *testing.T) {
	s := startHaven(t)
	ctx := newTab(t, startBrowser(t), chromedp.WithNewBrowserContext())
	expect, must := stepChecks(t, ctx)
	resp, err := goalAdded(ctx, s, func() {})
	expect("add a goal", "/people/{ref}/plan", 200, "Goal added")(resp, err)
	banner, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('main .govuk-notification-banner--success[role="alert"]')?.textContent ?? ''`))
	must(err)
	if !strings.Contains(banner, "Goal added") {
		t.Errorf("the plan after adding a goal shows banner %q", banner)
	}
	checkAxe(t, ctx)
	must(chromedp.Do(ctx, chromedp.Reload()))
	banner, err = chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('main .govuk-notification-banner--success')?.textContent ?? ''`))
	must(err)
	if banner != "" {
		t.Errorf("reloading the plan shows the banner again: %q", banner)
	}

	must(fill(ctx, "#words", strings.Repeat("a", 2001)))
	status, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('.govuk-character-count__status')].map(e => e.textContent.trim()).join(' | ')`))
	must(err)
	if !strings.Contains(status, "You have 1 character too many") {
		t.Errorf("after 2,001 characters the count says %q", status)
	}
}
