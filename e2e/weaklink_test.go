package e2e

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// Weak-link budgets (issue 12): what a first visit costs on the wire, measured by the browser
// itself (DevTools' Network.loadingFinished encodedDataLength: the compressed body and headers of
// every request the page makes, the favicon included), and how soon /data renders on a slow
// mobile link emulated by Chromium.
const (
	budgetMasuk = 15 << 10 // bytes, first load of /masuk
	budgetData  = 40 << 10 // bytes, first load of /data
	budgetSlow  = 2 * time.Second
)

// slowLink is the emulated link: 400 kbit/s each way and a 400 ms round trip.
var slowLink = network.Conditions{Latency: 400, DownloadThroughput: 400_000 / 8, UploadThroughput: 400_000 / 8}

// wire counts what one person's tab transfers: requests started and bytes of finished ones.
type wire struct {
	mu       sync.Mutex
	started  map[network.RequestID]string
	finished map[network.RequestID]float64
}

// meter starts counting the tab's network traffic from now on.
func (p *person) meter() *wire {
	p.t.Helper()
	m := &wire{started: map[network.RequestID]string{}, finished: map[network.RequestID]float64{}}
	err := chromedp.Listen(p.ctx, func(ev any) {
		m.mu.Lock()
		defer m.mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			m.started[e.RequestID] = e.Request.URL
		case *network.EventLoadingFinished:
			m.finished[e.RequestID] = e.EncodedDataLength
		case *network.EventLoadingFailed:
			m.finished[e.RequestID] = 0
		}
	})
	if err != nil {
		p.fatalf("listening to the network: %v", err)
	}
	return m
}

// reset forgets what was counted so far.
func (m *wire) reset() {
	m.mu.Lock()
	defer m.mu.Unlock()
	clear(m.started)
	clear(m.finished)
}

// settle waits until every request started has finished (the favicon comes after the load event),
// then returns the bytes and a line per request.
func (m *wire) settle(p *person) (total int, lines []string) {
	p.t.Helper()
	began := time.Now()
	waiting := func() []string { // the requests started and not finished, for the failure's message
		m.mu.Lock()
		defer m.mu.Unlock()
		var out []string
		for id, u := range m.started {
			if _, ok := m.finished[id]; !ok {
				out = append(out, u)
			}
		}
		return out
	}
	done := func() bool {
		if w := waiting(); len(w) > 0 {
			if time.Since(began) > stepTimeout-time.Second {
				p.t.Logf("still loading: %v", w)
			}
			return false
		}
		return true
	}
	p.eventually("every request of the page finishes", done)
	time.Sleep(300 * time.Millisecond) // a late request (the favicon) would start by now
	p.eventually("every request of the page finishes", done)
	m.mu.Lock()
	defer m.mu.Unlock()
	for id, u := range m.started {
		n := m.finished[id]
		total += int(n)
		lines = append(lines, fmt.Sprintf("%6.0f B %s", n, strings.TrimPrefix(u, p.w.base)))
	}
	return total, lines
}

// coldCache empties the browser's HTTP cache, so the next page is a first visit's.
func (p *person) coldCache() {
	p.t.Helper()
	p.run("empty the browser cache", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, network.ClearBrowserCache, cdp.Empty{})
		return err
	}))
}

// TestFirstLoadsStayWithinTheirBudgets: a first visit to /masuk transfers at most 15 KB and a PNS's
// first /data (after logging in, with the cache emptied) at most 40 KB, requests and headers
// included; the login page loads no script at all.
func TestFirstLoadsStayWithinTheirBudgets(t *testing.T) {
	w := newWorld(t)
	p := w.newBrowser().person("Budi", true)
	m := p.meter()
	p.open("/masuk", 200)
	total, lines := m.settle(p)
	t.Logf("FIGURE first load of /masuk: %d B in %d requests\n%s", total, len(lines), strings.Join(lines, "\n"))
	if total > budgetMasuk {
		t.Errorf("first load of /masuk: %d B, budget %d B", total, budgetMasuk)
	}
	if n := eval[int](p, `document.scripts.length`); n != 0 {
		t.Errorf("/masuk loads %d scripts, want none", n)
	}

	p.login(nipBudi, "/data")
	m.settle(p) // the login's own /data and its scripts are done before the counting starts again
	p.coldCache()
	m.reset()
	p.open("/data", 200)
	total, lines = m.settle(p)
	t.Logf("FIGURE first load of /data: %d B in %d requests\n%s", total, len(lines), strings.Join(lines, "\n"))
	if total > budgetData {
		t.Errorf("first load of /data: %d B, budget %d B", total, budgetData)
	}
}

// TestDataRendersFastOnASlowLink: on a 400 kbit/s link with a 400 ms round trip and an empty
// cache, /data shows its form within 2 s of the navigation's start: the browser's own Largest
// Contentful Paint (the biggest block of the page painted, laid out by the inline critical style)
// falls in the form. DOMContentLoaded, which also waits for the deferred scripts, is reported.
func TestDataRendersFastOnASlowLink(t *testing.T) {
	w := newWorld(t)
	p := w.newBrowser().person("Budi", true)
	p.login(nipBudi, "/data")
	p.coldCache()
	p.run("emulate a slow mobile link", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		c := slowLink
		_, err := cdp.Call(ctx, tg, network.EmulateNetworkConditionsByRule,
			network.EmulateNetworkConditionsByRuleParams{MatchedNetworkConditions: []*network.Conditions{&c}})
		return err
	}))
	p.open("/data", 200)
	timing := eval[map[string]float64](p, `(() => {
		const n = performance.getEntriesByType("navigation")[0];
		const fcp = performance.getEntriesByName("first-contentful-paint")[0];
		return {dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd, fcp: fcp ? fcp.startTime : -1, html: n.responseEnd};
	})()`)
	lcp, err := chromedp.Run(p.ctx, chromedp.Evaluate[map[string]any](`new Promise(resolve => new PerformanceObserver(list => {
		const e = list.getEntries().at(-1);
		resolve({ms: e.startTime, inMain: !!(e.element && e.element.closest("main")), what: e.element ? e.element.outerHTML.slice(0, 80) : ""});
	}).observe({type: "largest-contentful-paint", buffered: true}))`, chromedp.EvalAwaitPromise))
	if err != nil {
		p.fatalf("reading the largest contentful paint: %v", err)
	}
	ms, _ := lcp["ms"].(float64)
	t.Logf("FIGURE /data on 400 kbit/s, 400 ms RTT, cold cache: HTML in %.0f ms, FCP %.0f ms, LCP %.0f ms (%v), DOMContentLoaded %.0f ms, load %.0f ms",
		timing["html"], timing["fcp"], ms, lcp["what"], timing["dcl"], timing["load"])
	if d := time.Duration(ms * float64(time.Millisecond)); d <= 0 || d > budgetSlow {
		t.Errorf("/data painted its main content after %s on the slow link, budget %s", d, budgetSlow)
	}
	if in, _ := lcp["inMain"].(bool); !in {
		t.Errorf("the largest paint is not the form: %v", lcp["what"])
	}
	if !p.exists("#tabs") {
		p.fatalf("/data shows no form")
	}
}
