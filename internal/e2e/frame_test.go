package e2e

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"haven/internal/access"
)

// navState is what the service navigation shows.
type navState struct {
	ButtonShown bool     `json:"buttonShown"` // the Menu button
	Expanded    string   `json:"expanded"`    // its aria-expanded
	ListShown   bool     `json:"listShown"`
	All         []string `json:"all"`   // every link's text
	Shown       []string `json:"shown"` // the links drawn
	Tops        []int64  `json:"tops"`  // each link's offsetTop, for counting rows
}

const navStateJS = `(() => {
  const b = document.querySelector('.govuk-service-navigation__toggle');
  const list = document.getElementById('navigation');
  const items = [...list.querySelectorAll('.govuk-service-navigation__item')];
  const drawn = e => e.getClientRects().length > 0;
  return {
    buttonShown: !!b && drawn(b),
    expanded: (b && b.getAttribute('aria-expanded')) || '',
    listShown: drawn(list),
    all: items.map(i => i.textContent.trim()),
    shown: items.filter(drawn).map(i => i.textContent.trim()),
    tops: items.map(i => i.offsetTop),
  };
})()`

func readNav(t *testing.T, ctx context.Context) navState {
	t.Helper()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[navState](navStateJS))
	if err != nil {
		t.Fatalf("read the navigation: %v", err)
	}
	if len(n.All) == 0 {
		t.Fatal("the navigation has no links")
	}
	return n
}

// The service navigation collapses behind a Menu button on a phone, with
// GOV.UK Frontend's own script; without JavaScript there is no button and
// every link shows; and a practice lead's links, the most any role has, sit
// on one row at 1280 px.
func TestServiceNavigationOnNarrowScreens(t *testing.T) {
	ts := startHaven(t)
	browser := startBrowser(t)

	t.Run("with JavaScript", func(t *testing.T) {
		ctx := newTab(t, browser, chromedp.WithNewBrowserContext())
		if err := setWidth(ctx, 1280, 800); err != nil {
			t.Fatal(err)
		}
		if err := ts.shareSession(ctx, access.RolePracticeLead, riverside); err != nil {
			t.Fatal(err)
		}
		if _, err := visit(ctx, ts, "/tasks", "/tasks", 200); err != nil {
			t.Fatal(err)
		}
		wide := readNav(t, ctx)
		if wide.ButtonShown || !slices.Equal(wide.Shown, wide.All) {
			t.Errorf("at 1280px: Menu button shown %v, links shown %v of %v", wide.ButtonShown, wide.Shown, wide.All)
		}
		if !slices.Contains(wide.All, "Triage") || !slices.Contains(wide.All, "Sign out") {
			t.Fatalf("not a practice lead's navigation: %v", wide.All)
		}
		for i, top := range wide.Tops {
			if top != wide.Tops[0] {
				t.Errorf("at 1280px %q is on another row (offsetTop %d, the first link's %d)", wide.All[i], top, wide.Tops[0])
			}
		}
		checkAxe(t, ctx)

		if err := setWidth(ctx, 320, 640); err != nil {
			t.Fatal(err)
		}
		narrow := readNav(t, ctx)
		if !narrow.ButtonShown || narrow.Expanded != "false" || narrow.ListShown {
			t.Errorf("at 320px: Menu button shown %v, aria-expanded %q, links shown %v; want a closed menu", narrow.ButtonShown, narrow.Expanded, narrow.ListShown)
		}
		checkAxe(t, ctx)
		checkNoSidewaysScroll(t, ctx, 320)

		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(".govuk-service-navigation__toggle"))); err != nil {
			t.Fatalf("press Menu: %v", err)
		}
		open := readNav(t, ctx)
		if open.Expanded != "true" || !slices.Equal(open.Shown, open.All) {
			t.Errorf("Menu pressed: aria-expanded %q, links shown %v of %v", open.Expanded, open.Shown, open.All)
		}
		checkAxe(t, ctx)
		checkNoSidewaysScroll(t, ctx, 320)
	})

	t.Run("without JavaScript", func(t *testing.T) {
		ctx := newTab(t, browser, chromedp.WithNewBrowserContext())
		disableScripts(t, ctx)
		// Not setWidth: its wait is a script, and scripts are off.
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(320, 640)); err != nil {
			t.Fatal(err)
		}
		if err := ts.shareSession(ctx, access.RolePracticeLead, riverside); err != nil {
			t.Fatal(err)
		}
		if _, err := visit(ctx, ts, "/tasks", "/tasks", 200); err != nil {
			t.Fatal(err)
		}
		checkScriptsOff(t, ctx)
		n := readNav(t, ctx)
		if n.ButtonShown || !n.ListShown || !slices.Equal(n.Shown, n.All) {
			t.Errorf("without JavaScript at 320px: Menu button shown %v, links shown %v of %v; want every link and no button", n.ButtonShown, n.Shown, n.All)
		}
		// axe-core runs as a script, so it cannot check the page with scripts
		// off; the same markup passed it above.
		checkNoSidewaysScroll(t, ctx, 320)
	})
}

// printState is what a printable page shows, on screen or on paper.
type printState struct {
	Buttons []string          `json:"buttons"` // the Print buttons' text
	Hint    bool              `json:"hint"`    // the hint to use the browser's print command
	Printed bool              `json:"printed"` // window.print was called
	Hidden  map[string]bool   `json:"hidden"`  // selector: every element it finds is not drawn
	Style   map[string]string `json:"style"`
}

const printStateJS = `(() => {
  const drawn = e => e.getClientRects().length > 0;
  const hidden = {};
  for (const sel of ['.govuk-skip-link', '.govuk-generic-header', '.govuk-service-navigation', '.govuk-phase-banner',
                     '.govuk-footer', '.govuk-button', '[data-haven-print]', 'main a[href$="/plan"], main a[href$="/contact"]']) {
    const found = [...document.querySelectorAll(sel)];
    hidden[sel] = !found.some(drawn);
  }
  const css = (sel, prop) => { const e = document.querySelector(sel); return e ? getComputedStyle(e)[prop] : 'missing'; };
  return {
    buttons: [...document.querySelectorAll('main [data-haven-print] button.govuk-button--secondary')].filter(drawn).map(b => b.textContent.trim()),
    hint: [...document.querySelectorAll('main [data-haven-print] p')].some(p => drawn(p) && p.textContent.includes('print command')),
    printed: !!window.havenPrinted,
    hidden,
    style: {
      text: css('main p', 'color'),
      background: css('body', 'backgroundColor'),
      link: css('main a', 'textDecorationLine'),
      row: css('.govuk-summary-list__row', 'breakInside'),
      heading: css('main h1', 'display'),
    },
  };
})()`

func readPrint(t *testing.T, ctx context.Context) printState {
	t.Helper()
	p, err := chromedp.Run(ctx, chromedp.Evaluate[printState](printStateJS))
	if err != nil {
		t.Fatalf("read the page: %v", err)
	}
	return p
}

func emulateMedia(t *testing.T, ctx context.Context, media string) {
	t.Helper()
	set := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: media})
		return err
	})
	if err := chromedp.Do(ctx, set); err != nil {
		t.Fatalf("emulate %q media: %v", media, err)
	}
}

// The printable plan and letter have a Print button that prints, made by
// JavaScript (without it, a hint to use the browser's print command); on
// paper they drop the navigation, banners, buttons and links back, and print
// black on white, without splitting a row across pages.
func TestPrintingPlanAndLetter(t *testing.T) {
	ts := startHaven(t)
	browser := startBrowser(t)
	for _, tc := range []struct {
		name, button string
		journey      func(context.Context, *site, func()) (*network.Response, error)
	}{
		{"support plan", "Print this plan", onRecord("/plan", "Print the plan for her to keep", "/people/{ref}/plan/print")},
		{"what has changed and why", "Print this letter", letterToPrint},
	} {
		for _, js := range []bool{true, false} {
			name := tc.name + " with JavaScript"
			if !js {
				name = tc.name + " without JavaScript"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				ctx := newTab(t, browser, chromedp.WithNewBrowserContext())
				if !js {
					disableScripts(t, ctx)
				}
				// Not setWidth: its wait is a script, which may be off; nothing is drawn yet.
				if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)); err != nil {
					t.Fatal(err)
				}
				if _, err := tc.journey(ctx, ts, func() {}); err != nil {
					t.Fatal(err)
				}
				screen := readPrint(t, ctx)
				if js {
					if !slices.Equal(screen.Buttons, []string{tc.button}) || screen.Hint {
						t.Errorf("with JavaScript: Print buttons %q, hint shown %v; want one %q and no hint", screen.Buttons, screen.Hint, tc.button)
					}
					stub := `window.print = () => { window.havenPrinted = true }`
					if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](stub), chromedp.Click(chromedp.Search(`//main//button[normalize-space()="`+tc.button+`"]`))); err != nil {
						t.Fatalf("press %s: %v", tc.button, err)
					}
					if !readPrint(t, ctx).Printed {
						t.Errorf("%s did not print", tc.button)
					}
				} else {
					checkScriptsOff(t, ctx)
					if len(screen.Buttons) != 0 || !screen.Hint {
						t.Errorf("without JavaScript: Print buttons %q, hint shown %v; want the hint alone", screen.Buttons, screen.Hint)
					}
				}
				// axe-core runs as a script: it checks the page as JavaScript left it.
				if js {
					checkAxe(t, ctx)
				}
				if err := chromedp.Do(ctx, chromedp.EmulateViewport(320, 640)); err != nil {
					t.Fatal(err)
				}
				if js {
					checkAxe(t, ctx)
				}
				checkNoSidewaysScroll(t, ctx, 320)

				emulateMedia(t, ctx, "print")
				paper := readPrint(t, ctx)
				for sel, hidden := range paper.Hidden {
					if !hidden {
						t.Errorf("on paper %s is printed", sel)
					}
				}
				for prop, want := range map[string]string{"text": "rgb(0, 0, 0)", "background": "rgb(255, 255, 255)", "link": "none", "row": "avoid", "heading": "block"} {
					if got := paper.Style[prop]; got != want {
						t.Errorf("on paper %s is %q, want %q", prop, got, want)
					}
				}
				if strings.Contains(strings.Join(paper.Buttons, ""), "Print") {
					t.Error("on paper the Print button is printed")
				}
			})
		}
	}
}
