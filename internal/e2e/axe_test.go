package e2e

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// axeTags are the WCAG 2.2 AA rules, which include 2.0 and 2.1 A and AA.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

// axeSource reads axe-core once from the repository's node_modules.
var axeSource = sync.OnceValues(func() (string, error) {
	root, err := repoRoot()
	if err != nil {
		return "", err
	}
	p := filepath.Join(root, "node_modules", "axe-core", "axe.min.js")
	b, err := os.ReadFile(p)
	if err != nil {
		return "", fmt.Errorf("read axe-core (run `make assets` or `npm ci` first): %w", err)
	}
	return string(b), nil
})

// repoRoot is the nearest directory above the working directory with a go.mod.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

type axeResult struct {
	Version    string         `json:"version"`
	Passes     []string       `json:"passes"`
	Violations []axeViolation `json:"violations"`
}

type axeViolation struct {
	ID      string    `json:"id"`
	Impact  string    `json:"impact"`
	Help    string    `json:"help"`
	HelpURL string    `json:"helpUrl"`
	Nodes   []axeNode `json:"nodes"`
}

type axeNode struct {
	Target string `json:"target"`
	HTML   string `json:"html"`
}

// axeRun runs the WCAG rules and keeps only what a failure message needs.
// Only violations get full detail; passes are listed by rule id to prove axe ran.
var axeRun = `axe.run(document, {
  runOnly: {type: 'tag', values: ` + jsStrings(axeTags) + `},
  resultTypes: ['violations'],
}).then(r => ({
  version: r.testEngine.version,
  passes: r.passes.map(p => p.id),
  violations: r.violations.map(v => ({
    id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.flat().join(' '), html: n.html})),
  })),
}))`

func jsStrings(ss []string) string {
	return `['` + strings.Join(ss, `', '`) + `']`
}

// runAxe injects axe-core into the page and runs the WCAG rules. It goes
// through Runtime.evaluate, which the page's Content-Security-Policy does not
// govern, so Haven's CSP needs no exception for the test.
func runAxe(ctx context.Context) (axeResult, error) {
	src, err := axeSource()
	if err != nil {
		return axeResult{}, err
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](src)); err != nil {
		return axeResult{}, fmt.Errorf("inject axe-core: %w", err)
	}
	res, err := chromedp.Run(ctx, chromedp.Evaluate[axeResult](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		return axeResult{}, fmt.Errorf("run axe-core: %w", err)
	}
	// An axe that checked nothing would report no violations too.
	if res.Version == "" || len(res.Passes) == 0 {
		return axeResult{}, fmt.Errorf("axe-core did not run: version %q, %d rules passed", res.Version, len(res.Passes))
	}
	return res, nil
}

// checkAxe fails the test once for each rule the page breaks.
func checkAxe(t *testing.T, ctx context.Context) {
	t.Helper()
	res, err := runAxe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range res.Violations {
		var b strings.Builder
		fmt.Fprintf(&b, "axe %s (%s): %s\n  %s", v.ID, v.Impact, v.Help, v.HelpURL)
		for i, n := range v.Nodes {
			if i == 3 {
				fmt.Fprintf(&b, "\n  and %d more", len(v.Nodes)-i)
				break
			}
			fmt.Fprintf(&b, "\n  %s\n    %s", n.Target, n.HTML)
		}
		t.Error(b.String())
	}
}

// TestAxeCatchesAPlantedFault proves the harness reports violations, so a
// broken harness cannot make every page look accessible.
func TestAxeCatchesAPlantedFault(t *testing.T) {
	ts := startHaven(t)
	ctx := newTab(t, startBrowser(t))
	plant := `document.querySelector('main').insertAdjacentHTML('beforeend', '<img id="planted" src="/static/favicon.svg">')`
	if err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/find-a-practice"),
		chromedp.Evaluate[chromedp.Void](plant),
	); err != nil {
		t.Fatal(err)
	}
	res, err := runAxe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range res.Violations {
		for _, n := range v.Nodes {
			if v.ID == "image-alt" && n.Target == "#planted" {
				return
			}
		}
	}
	t.Errorf("axe did not report the image without alt text; violations: %+v", res.Violations)
}

// widths are the viewports each page is checked at: a laptop, and the
// 320 CSS pixels WCAG 1.4.10 Reflow requires without scrolling sideways.
var widths = []struct {
	name          string
	width, height int64
}{
	{"1280px", 1280, 800},
	{"320px", 320, 640},
}

// TestPagesPassAxe checks every page state at each width. A state is reached
// once, in one tab at the first width, and the narrower widths then resize
// that tab, as zooming in to 400% does; so each signed-in journey signs in
// once. Resizing applies the CSS for the new width and tells the page's
// scripts, so the page ends as it would have loaded at that width.
func TestPagesPassAxe(t *testing.T) {
	ts := startHaven(t)
	browser := startBrowser(t)
	for _, pc := range pages {
		t.Run(pc.name, func(t *testing.T) {
			t.Parallel()
			ctx := pc.tab(t, browser)
			for i, w := range widths {
				if err := setWidth(ctx, w.width, w.height); err != nil {
					t.Fatalf("set viewport to %s: %v", w.name, err)
				}
				if i == 0 {
					if err := pc.load(ctx, ts, nil); err != nil {
						t.Fatal(err)
					}
				}
				t.Run(w.name, func(t *testing.T) {
					checkAxe(t, ctx)
					if w.width <= 320 {
						checkNoSidewaysScroll(t, ctx, w.width)
					}
				})
			}
		})
	}
}

// setWidth sets the tab's viewport, then waits for the page to lay itself out
// again and for its scripts to hear of the change: they hear of it before the
// next animation frame. A tab that draws no frames waits 200 ms at most.
func setWidth(ctx context.Context, width, height int64) error {
	const settled = `new Promise(done => {
  requestAnimationFrame(() => requestAnimationFrame(done));
  setTimeout(done, 200);
})`
	return chromedp.Do(ctx, chromedp.EmulateViewport(width, height), chromedp.Evaluate[chromedp.Void](settled, chromedp.EvalAwaitPromise))
}

// checkNoSidewaysScroll fails if the page is wider than the viewport.
func checkNoSidewaysScroll(t *testing.T, ctx context.Context, width int64) {
	t.Helper()
	got, err := chromedp.Run(ctx, chromedp.Evaluate[int64](`document.documentElement.scrollWidth`))
	if err != nil {
		t.Fatalf("read scroll width: %v", err)
	}
	if got > width {
		wide, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](widestJS(width)))
		t.Errorf("page scrolls sideways at %dpx: it is %dpx wide; elements past the edge: %v", width, got, wide)
	}
}

// widestJS names the elements that stick out past the viewport, to say what
// to fix. An element sticks out if its box does, or if its content overflows
// its box, as a long word does; of those, it names the innermost.
func widestJS(width int64) string {
	return fmt.Sprintf(`(() => {
  const past = [...document.querySelectorAll('body *')].filter(e => {
    const r = e.getBoundingClientRect();
    return r.right > %[1]d || (r.width > 0 && r.left + e.scrollWidth > %[1]d);
  });
  return past
    .filter(e => !past.some(o => o !== e && e.contains(o)))
    .slice(0, 5)
    .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : ''));
})()`, width)
}
