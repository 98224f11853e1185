package e2e

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

const (
	// chromiumPath is where Debian's chromium package puts the browser.
	chromiumPath = "/usr/bin/chromium"
	// stepTimeout bounds one step (an action, a page load, a wait), so a wait that can never
	// succeed names that step. There is no flat cap on a whole test: its deadline is the sum of
	// its steps', so a test with more steps, or a loaded machine, does not hit an arbitrary limit,
	// and a hung page still fails within one step instead of the binary's 10-minute panic.
	stepTimeout = 15 * time.Second
	// startTimeout bounds starting Chromium and opening a window.
	startTimeout = 30 * time.Second
)

// browser is one Chromium process for one test. Each person gets their own browser context in it
// (like an incognito window), so cookies and sessions never mix between the PNS and the verifiers.
type browser struct {
	w    *world
	root context.Context
}

// newBrowser starts Chromium headless with a fresh profile. A missing Chromium fails the test:
// skipping would turn "not tested" into green.
func (w *world) newBrowser() *browser {
	t := w.t
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Fatalf("the browser tests need Chromium at %s (%v): apt-get install chromium", chromiumPath, err)
	}
	profile := t.TempDir() // made before the browser's cleanup, so removed after the browser exits
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox, // containers and CI run as root, where the sandbox cannot start
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 900),
		// Nothing but our server: no update checks, sync or QUIC probes adding noise or delay.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		// /dev/shm is tiny in containers; Chromium crashes when it fills.
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.CombinedOutput(prefixWriter{w.log, "chromium: "}),
	)
	t.Cleanup(cancelAlloc)
	// chromedp's own messages go to the log too, shown only when the test fails.
	root, cancelRoot := chromedp.NewContext(alloc,
		chromedp.WithLogf(func(f string, a ...any) { w.log.Printf("chromedp: "+f, a...) }),
		chromedp.WithErrorf(func(f string, a ...any) { w.log.Printf("chromedp error: "+f, a...) }))
	t.Cleanup(cancelRoot)
	// The first Run starts the browser and ties it to root (not to a step's deadline).
	if err := firstRun(root, cancelRoot); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	return &browser{w: w, root: root}
}

// firstRun does the first Run of a new chromedp context (which starts the browser or opens the
// tab) within startTimeout. chromedp ties the browser or tab to the context of its first Run, so
// that context cannot carry the deadline: the wait does, and on timeout it cancels the context.
func firstRun(ctx context.Context, cancel context.CancelFunc, actions ...chromedp.Action[chromedp.Void]) error {
	done := make(chan error, 1)
	go func() { done <- chromedp.Do(ctx, actions...) }()
	timer := time.NewTimer(startTimeout)
	defer timer.Stop()
	select {
	case err := <-done:
		return err
	case <-timer.C:
		cancel()
		<-done
		return fmt.Errorf("not done within %s", startTimeout)
	}
}

// prefixWriter marks the browser's own stderr lines in the shared log.
type prefixWriter struct {
	log    *logBuffer
	prefix string
}

func (p prefixWriter) Write(b []byte) (int, error) {
	for _, line := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
		p.log.Printf("%s%s", p.prefix, line)
	}
	return len(b), nil
}

// person is someone at their own browser window: a tab in a browser context of its own.
type person struct {
	t    *testing.T
	name string
	w    *world
	ctx  context.Context
}

// person opens a window for name. With js false the window runs no page script at all (htmx and
// app.js never load), which is how a PNS on an old or locked-down office computer sees the site.
func (b *browser) person(name string, js bool) *person {
	t := b.w.t
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.root, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	setup := chromedp.Func(func(context.Context, *chromedp.Target) error { return nil })
	if !js {
		// Set before the first navigation; the override stays for every page of this tab.
		setup = chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
			return err
		})
	}
	if err := firstRun(ctx, cancel, setup); err != nil {
		t.Fatalf("opening a window for %s: %v", name, err)
	}
	// Everything the pages print (console calls, uncaught errors, failed loads) goes to the log,
	// tagged with whose window it was.
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			b.w.log.Printf("browser[%s] %s (%s:%d)", name, m, m.URL, m.Line)
		}
	}()
	return &person{t: t, name: name, w: b.w, ctx: ctx}
}

// fatalf fails the test and first writes where the person is and what the page shows to the log,
// which is far easier to read than a bare "waiting for selector" timeout.
func (p *person) fatalf(format string, args ...any) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 3*time.Second)
	defer cancel()
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	html, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.outerHTML`))
	if err != nil {
		html = "(page unreadable: " + err.Error() + ")"
	}
	if len(html) > 20000 {
		html = html[:20000] + "\n…(cut)"
	}
	p.w.log.Printf("=== %s's page at failure: %s\n%s", p.name, loc, html)
	p.t.Fatalf("[%s] "+format, append([]any{p.name}, args...)...)
}

// run does the steps in order within one step deadline.
func (p *person) run(what string, steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		p.fatalf("%s: %v", what, err)
	}
}

// follow does steps that make the browser load a new document (a link, a plain form, an
// HX-Redirect), waits for it, and checks the document's HTTP status. It returns the path and
// query of where the browser landed (after any 303).
func (p *person) follow(what string, status int, steps ...chromedp.Action[chromedp.Void]) string {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, steps...)
	switch {
	case err != nil:
		p.fatalf("%s: %v", what, err)
	case resp == nil:
		p.fatalf("%s: the browser stayed on the same document", what)
	case int(resp.Status) != status:
		p.fatalf("%s: HTTP %d (%s), want %d", what, resp.Status, resp.URL, status)
	}
	u, err := url.Parse(resp.URL)
	if err != nil {
		p.fatalf("%s: landed on %q: %v", what, resp.URL, err)
	}
	if u.RawQuery != "" {
		return u.Path + "?" + u.RawQuery
	}
	return u.Path
}

// open loads a page of the site by its path.
func (p *person) open(path string, status int) string {
	p.t.Helper()
	return p.follow("open "+path, status, chromedp.Navigate(p.w.base+path))
}

// login uses the login form as a person does and checks where the account lands.
func (p *person) login(login, home string) {
	p.t.Helper()
	p.open("/masuk", 200)
	p.run("fill the login form",
		chromedp.SendKeys(chromedp.ID("login"), login),
		chromedp.SendKeys(chromedp.ID("password"), pw),
	)
	if got := p.follow("press Masuk", 200, chromedp.Click(chromedp.ID("tombol-masuk"))); got != home {
		p.fatalf("login %s landed on %s, want %s", login, got, home)
	}
}

// text is the text of the element (as rendered), failing when it does not come.
func (p *person) text(sel string) string {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		p.fatalf("reading %s: %v", sel, err)
	}
	return strings.Join(strings.Fields(s), " ")
}

// eval evaluates a JavaScript expression in the page. It works with page scripts switched off
// too: DevTools evaluation is not a page script.
func eval[T any](p *person, expr string) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		p.fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// exists tells whether an element matching the CSS selector is in the page now, without waiting.
func (p *person) exists(sel string) bool {
	p.t.Helper()
	return eval[bool](p, fmt.Sprintf(`document.querySelector(%q) !== null`, sel))
}

// waitText waits until the element's text contains want: the way to wait for an htmx swap or an
// autosave answer without sleeping. On timeout it says what the element showed instead.
func (p *person) waitText(sel, want string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.PollFunction[bool](
		`(sel, want) => { const e = document.querySelector(sel); return !!e && e.textContent.includes(want); }`,
		chromedp.WithPollingArgs(sel, want), chromedp.WithPollingInterval(25*time.Millisecond), chromedp.WithPollingTimeout(stepTimeout)))
	if err != nil {
		got := "(missing)"
		if p.exists(sel) {
			got = fmt.Sprintf("%q", p.text(sel))
		}
		p.fatalf("waiting for %s to say %q: %v; it shows %s", sel, want, err, got)
	}
}

// waitIdle waits until htmx has no request in flight and no swap settling (htmx marks the
// requesting element with the class htmx-request while its request runs, and swapped content with
// htmx-swapping / htmx-settling until it has settled). A click computed while a swap still moves
// the page lands where the button was, not where it is.
func (p *person) waitIdle() {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling') === null`,
		chromedp.WithPollingInterval(25*time.Millisecond), chromedp.WithPollingTimeout(stepTimeout))); err != nil {
		p.fatalf("waiting for htmx to finish its requests: %v", err)
	}
}

// focusOn waits for the focus to reach the element with id: a page moves it once htmx has settled
// a swap, or the browser once it has applied autofocus, a moment after the change is visible.
func (p *person) focusOn(id, after string) {
	p.t.Helper()
	deadline := time.Now().Add(stepTimeout)
	for {
		got := eval[string](p, `document.activeElement ? document.activeElement.id : ""`)
		if got == id {
			return
		}
		if time.Now().After(deadline) {
			p.fatalf("after %s focus is on %q, want #%s", after, got, id)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// typeOver selects what the input holds and types text over it, as a person does with
// Ctrl+A. (chromedp.SetValue would fire a synthetic input event with an empty value first,
// which htmx would autosave; and Clear only resets the value attribute, not what was typed.)
//
// An input htmx has just swapped in is typed into only once htmx has processed it: its listeners
// (the autosave's "input changed") are attached a moment after the swap, and keys typed before
// that would be lost to them (a slow machine made that moment long enough to matter).
func typeOver(sel, text string) chromedp.Action[chromedp.Void] {
	ready := fmt.Sprintf(`(() => {
		const e = document.querySelector(%q);
		if (!e) return false;
		if (typeof htmx === 'undefined' || !Array.from(e.attributes).some(a => a.name.startsWith('hx-'))) return true;
		const d = e['htmx-internal-data'];
		return !!(d && d.initHash);
	})()`, sel)
	return chromedp.Steps(
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := chromedp.Poll[bool](ready, chromedp.WithPollingInterval(10*time.Millisecond), chromedp.WithPollingTimeout(stepTimeout))(ctx, tg)
			return err
		}),
		chromedp.Focus(chromedp.CSS(sel)),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).select()`, sel)),
		chromedp.KeyEvent(text),
	)
}

// markPage leaves a marker in the page's JavaScript globals. A full page load wipes it; an htmx
// swap does not. samePage checks it is still there.
func (p *person) markPage() {
	p.t.Helper()
	eval[chromedp.Void](p, `window.__marker = 1`)
}

func (p *person) samePage(what string) {
	p.t.Helper()
	if got := eval[int](p, `window.__marker || 0`); got != 1 {
		p.fatalf("%s reloaded the page (marker %d); it should have been an htmx swap", what, got)
	}
}

// eventually retries cond until it holds or the step deadline passes; for state the server
// reaches a little after the browser shows it (autosave requests still in flight).
func (p *person) eventually(what string, cond func() bool) {
	p.t.Helper()
	deadline := time.Now().Add(stepTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			p.fatalf("%s: still not so after %s", what, stepTimeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// confirmOtherTabs opens every tab of the form but skip and presses "mark the rest Sesuai" there,
// as a PNS does who finds the rest right.
func (p *person) confirmOtherTabs(skip string) {
	p.t.Helper()
	keys := eval[[]string](p, `Array.from(document.querySelectorAll('#tabs a.tab')).map(a => a.id.replace(/^tab-/, ''))`)
	for _, k := range keys {
		if k == skip {
			continue
		}
		p.open("/data?tab="+k, 200)
		p.confirmRest(k)
	}
}

// confirmRest presses "mark the rest Sesuai" on the tab shown, then answers its question (which
// names every field it will mark) with "Ya, semua data ini benar".
func (p *person) confirmRest(tab string) {
	p.t.Helper()
	if got := p.follow("ask to mark the rest Sesuai on "+tab, 200, chromedp.Click(chromedp.CSS("#sisa-sesuai button"))); got != "/data?tab="+tab+"&tandai=sisa" {
		p.fatalf("asking to mark the rest on %s landed on %s", tab, got)
	}
	if got := p.follow("confirm marking the rest Sesuai on "+tab, 200, chromedp.Click(chromedp.ID("tandai-ya"))); got != "/data?tab="+tab {
		p.fatalf("mark the rest on %s landed on %s", tab, got)
	}
}
