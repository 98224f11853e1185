package e2e

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"pupns/store/storetest"
)

// TestExportInABrowserWithoutJavaScript: the admin, without page scripts, picks an export on
// /admin/ekspor at 320 px, lands on its page, which reloads itself (a meta refresh, no script)
// until the download link shows. The file is then fetched over the real socket by a client of
// its own, whole and in two byte ranges that join into the same bytes.
func TestExportInABrowserWithoutJavaScript(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.newBrowser()
	admin := b.person("admin", false)
	admin.login("admin", "/ringkasan")
	admin.open("/admin/ekspor", 200)
	admin.fits320("the export form")
	admin.run("pick the records in JSON Lines",
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#in-kind').value = 'records'`),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#in-format').value = 'jsonl'`))
	job := admin.follow("press Mulai ekspor", 200, chromedp.Click(chromedp.ID("mulai-ekspor")))
	if !strings.HasPrefix(job, "/admin/ekspor/") {
		admin.fatalf("the export landed on %s", job)
	}
	deadline := time.Now().Add(20 * time.Second)
	for !downloadShown(admin) {
		if time.Now().After(deadline) {
			admin.fatalf("no download link after 20 s of reloads")
		}
		time.Sleep(200 * time.Millisecond)
	}
	admin.fits320("the export's page")

	c := loggedInClient(t, w.base, "admin")
	full := fetch(t, c, w.base+job+"/unduh", "")
	if !strings.HasPrefix(full, `{"nip":"`) || !strings.Contains(full, storetest.NIPBudi) {
		t.Fatalf("download %.80q", full)
	}
	head, rest := fetch(t, c, w.base+job+"/unduh", "bytes=0-49"), fetch(t, c, w.base+job+"/unduh", "bytes=50-")
	if head+rest != full {
		t.Fatalf("ranges %d+%d bytes, whole %d", len(head), len(rest), len(full))
	}
}

// downloadShown tells whether the page now shows the download link; a page in the middle of its
// reload answers no.
func downloadShown(p *person) bool {
	ctx, cancel := context.WithTimeout(p.ctx, 2*time.Second)
	defer cancel()
	ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('#unduh') !== null`))
	return err == nil && ok
}

var e2eCSRF = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// loggedInClient is an HTTP client with a session of login's.
func loggedInClient(t *testing.T, base, login string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	page := fetch(t, c, base+"/masuk", "")
	m := e2eCSRF.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no CSRF token on the login page")
	}
	res, err := c.PostForm(base+"/masuk", url.Values{"_csrf": {m[1]}, "login": {login}, "password": {storetest.Password}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login %s: %d", login, res.StatusCode)
	}
	return c
}

// fetch GETs url (with a Range header when rng is set) and returns the body; a range must be
// answered 206, a whole file 200.
func fetch(t *testing.T, c *http.Client, u, rng string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	want := http.StatusOK
	if rng != "" {
		req.Header.Set("Range", rng)
		want = http.StatusPartialContent
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		t.Fatalf("GET %s (%s): %d, want %d", u, rng, res.StatusCode, want)
	}
	return string(b)
}
