// Package e2e holds Haven's browser tests: headless Debian Chromium driven
// with chromedp, with axe-core checking every page for WCAG 2.2 AA problems.
package e2e
