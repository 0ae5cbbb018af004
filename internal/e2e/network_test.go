package e2e

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// netLog records what a tab fetched. Listen calls record on the tab's event
// loop, so it only appends under the lock.
type netLog struct {
	mu        sync.Mutex
	requests  []string
	responses map[network.RequestID]*network.EventResponseReceived
	failures  map[network.RequestID]string
	urls      map[network.RequestID]string
}

func (l *netLog) reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.requests = nil
	l.responses = map[network.RequestID]*network.EventResponseReceived{}
	l.failures = map[network.RequestID]string{}
	l.urls = map[network.RequestID]string{}
}

func (l *netLog) record(ev any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		l.requests = append(l.requests, ev.Request.URL)
		l.urls[ev.RequestID] = ev.Request.URL
	case *network.EventResponseReceived:
		l.responses[ev.RequestID] = ev
	case *network.EventLoadingFailed:
		if !ev.Canceled {
			l.failures[ev.RequestID] = ev.ErrorText
		}
	}
}

func TestPagesFetchNothingFromOtherHosts(t *testing.T) {
	ts := startHaven(t)
	host := mustParse(t, ts.URL).Host
	browser := startBrowser(t)
	for _, pc := range pages {
		t.Run(pc.name, func(t *testing.T) {
			// A journey marked alone runs here and now, before the parallel
			// pages start, on the fresh demo.
			if !pc.alone {
				t.Parallel()
			}
			ctx := pc.tab(t, browser)
			log := &netLog{}
			log.reset()
			if err := chromedp.Listen(ctx, log.record); err != nil {
				t.Fatalf("listen: %v", err)
			}
			// chromedp already enables Network on its tabs; asking again keeps
			// the test from depending on that. Without the cache, a missing
			// asset cannot hide behind another tab's copy.
			setUp := chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
				if _, err := cdp.Call(ctx, t, network.Enable, network.EnableParams{}); err != nil {
					return err
				}
				_, err := cdp.Call(ctx, t, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true})
				return err
			})
			if err := chromedp.Do(ctx, setUp); err != nil {
				t.Fatalf("set up network: %v", err)
			}
			// For a form, judge only the page the submission brings back.
			if err := pc.load(ctx, ts, log.reset); err != nil {
				t.Fatal(err)
			}

			log.mu.Lock()
			defer log.mu.Unlock()
			if len(log.requests) == 0 {
				t.Fatal("saw no requests, so the network log is not working")
			}
			for _, raw := range log.requests {
				if strings.HasPrefix(raw, "data:") {
					continue
				}
				u := mustParse(t, raw)
				if (u.Scheme != "http" && u.Scheme != "https") || u.Host != host {
					t.Errorf("requested %s; pages may only fetch from %s", raw, host)
				}
			}
			cssOK := false
			for id, r := range log.responses {
				path := mustParse(t, r.Response.URL).Path
				if path == "/static/dist/app.css" && r.Response.Status == 200 {
					cssOK = true
				}
				// The document itself may be a 404 or 422; what it loads may not.
				if r.Type != network.ResourceTypeDocument && r.Response.Status != 200 {
					t.Errorf("%s answered %d", log.urls[id], r.Response.Status)
				}
			}
			if !cssOK {
				t.Errorf("/static/dist/app.css did not load with status 200 (run `make assets`?)")
			}
			for id, msg := range log.failures {
				t.Errorf("%s failed to load: %s", log.urls[id], msg)
			}
		})
	}
}

func mustParse(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("parse URL %q: %v", raw, err)
	}
	return u
}
