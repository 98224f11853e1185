package handlers

import (
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"pupns/static"
)

var cssHrefRe = regexp.MustCompile(`href="(/static/app\.[0-9a-f]{16}\.css)"`)

// TestStaticFilesHaveHashedURLsWithLongCache: the page names the style sheet by a content-hashed
// URL, served for a year as immutable with an ETag; the plain URL keeps working with a short
// cache and the same ETag; a browser that holds the version gets 304.
func TestStaticFilesHaveHashedURLsWithLongCache(t *testing.T) {
	w := newWorld(t)
	c := w.client()
	page := c.get("/masuk")
	m := cssHrefRe.FindStringSubmatch(page.body)
	if m == nil {
		t.Fatalf("/masuk names no hashed style sheet:\n%s", page.body)
	}
	want, err := static.FS.ReadFile("app.css")
	if err != nil {
		t.Fatal(err)
	}
	status, body, hdr := c.rawGet(m[1], map[string]string{"Accept-Encoding": "br"})
	if status != 200 || hdr("Cache-Control") != "public, max-age=31536000, immutable" || hdr("ETag") == "" ||
		hdr("Content-Encoding") != "br" || !strings.HasPrefix(hdr("Content-Type"), "text/css") {
		t.Fatalf("hashed: %d, Cache-Control %q, ETag %q, Content-Encoding %q, Content-Type %q",
			status, hdr("Cache-Control"), hdr("ETag"), hdr("Content-Encoding"), hdr("Content-Type"))
	}
	if decode(t, "br", body) != string(want) {
		t.Fatal("the hashed URL does not serve app.css")
	}
	etag := hdr("ETag")

	status, body, hdr = c.rawGet("/static/app.css", map[string]string{"Accept-Encoding": "gzip"})
	if status != 200 || hdr("Cache-Control") != "public, max-age=300" || hdr("ETag") != etag || decode(t, hdr("Content-Encoding"), body) != string(want) {
		t.Fatalf("plain: %d, Cache-Control %q, ETag %q (want %q), Content-Encoding %q", status, hdr("Cache-Control"), hdr("ETag"), etag, hdr("Content-Encoding"))
	}
	status, body, _ = c.rawGet("/static/app.css", map[string]string{"If-None-Match": etag})
	if status != 304 || len(body) != 0 {
		t.Fatalf("If-None-Match with the current ETag: %d, %d bytes", status, len(body))
	}
	if status, _, _ = c.rawGet("/static/app.css", map[string]string{"If-None-Match": `"0000"`}); status != 200 {
		t.Fatalf("If-None-Match with an old ETag: %d", status)
	}
	if status, _, _ = c.rawGet("/static/app.0123456789abcdef.css", nil); status != 404 {
		t.Fatalf("an unknown hash: %d, want 404", status)
	}
}

// TestAHashedNameChangesWithTheContent: two versions of a file get two names, so a browser that
// cached the old one for a year still gets the new one after an update.
func TestAHashedNameChangesWithTheContent(t *testing.T) {
	a, err := loadAssets(fstest.MapFS{"app.js": {Data: []byte("satu")}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := loadAssets(fstest.MapFS{"app.js": {Data: []byte("dua")}})
	if err != nil {
		t.Fatal(err)
	}
	if a.urls["app.js"] == b.urls["app.js"] || !regexp.MustCompile(`^/static/app\.[0-9a-f]{16}\.js$`).MatchString(a.urls["app.js"]) {
		t.Fatalf("names: %q and %q", a.urls["app.js"], b.urls["app.js"])
	}
}

// TestLightPagesLoadNoScriptsAndInlineTheCriticalStyle: the login page (and the other public plain
// pages) load neither htmx nor the SSE extension; every page inlines the critical style and loads
// the full sheet at the end; pages of a logged-in account and the registration load htmx.
func TestLightPagesLoadNoScriptsAndInlineTheCriticalStyle(t *testing.T) {
	w := newWorld(t)
	visitor := w.client()
	for _, path := range []string{"/masuk", "/lupa", "/cek-status"} {
		body := visitor.get(path).body
		if strings.Contains(body, "htmx") || strings.Contains(body, "sse.min") || strings.Contains(body, "<script") {
			t.Errorf("%s loads scripts", path)
		}
		if !strings.Contains(body, "<style>*, *::before") || !cssHrefRe.MatchString(body) {
			t.Errorf("%s: no inline critical style or no full sheet", path)
		}
	}
	if body := visitor.get("/registrasi").body; !strings.Contains(body, "/static/htmx.min.") {
		t.Error("/registrasi loads no htmx (its NIP look-up uses it)")
	}
	body := w.as(nipBudi).get("/data").body
	if !strings.Contains(body, "/static/htmx.min.") || !strings.Contains(body, "/static/app.") {
		t.Error("/data loads no htmx or app.js")
	}
	head, _, _ := strings.Cut(body, "</head>")
	if strings.Contains(head, `rel="stylesheet"`) {
		t.Error("the full style sheet blocks rendering from <head>")
	}
}
