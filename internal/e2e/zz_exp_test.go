package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"

	"haven/internal/demo"
	"haven/internal/store/storetest"
	"haven/internal/web"
	"net/http/httptest"
)

func TestZZSecureCookie(t *testing.T) {
	db := storetest.SQLite(t)
	sum, err := demo.Seed(t.Context(), db, demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv, _ := web.NewServer(web.Options{Store: db})
	ts := httptest.NewServer(srv)
	defer ts.Close()
	ctx := newTab(t, startBrowser(t))
	a := sum.Accounts[3]
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/sign-in"),
		chromedp.SendKeys(chromedp.CSS("#email"), a.Email),
		chromedp.SendKeys(chromedp.CSS("#password"), a.Password)); err != nil {
		t.Fatal(err)
	}
	resp, err := submit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("status %d url %s", resp.Status, resp.URL)
	txt, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
	t.Logf("main: %s", txt)
}
