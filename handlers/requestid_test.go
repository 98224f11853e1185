package handlers

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/gofiber/fiber/v2"

	"pupns/static"
)

// syncBuffer is a log destination the app's goroutines may share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// lines decodes every JSON log line.
func (s *syncBuffer) lines(t *testing.T) []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(s.b.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("not a JSON log line: %q", l)
		}
		out = append(out, m)
	}
	return out
}

var kodeGalatRe = regexp.MustCompile(`kode galat: <code id="kode-galat">([^<]+)</code>`)

// TestFailingRequestShowsTheIDOfItsJSONLogLine: a request that fails with 500 (the store is gone)
// shows "kode galat: <id>" on its error page and in X-Request-ID, and the JSON log holds that id
// on the error's line and on the request's own line, so a help desk given the code finds both.
func TestFailingRequestShowsTheIDOfItsJSONLogLine(t *testing.T) {
	var logs syncBuffer
	w := newWorldWith(t, func(c *Config) { c.Log = slog.New(slog.NewJSONHandler(&logs, nil)) })
	c := w.client()
	c.get("/masuk")
	if err := w.st.Close(); err != nil {
		t.Fatal(err)
	}
	r := c.post("/masuk", url.Values{"login": {nipBudi}, "password": {pw}})
	if r.status != fiber.StatusInternalServerError {
		t.Fatalf("login with the store closed: %d", r.status)
	}
	m := kodeGalatRe.FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("the error page shows no kode galat:\n%s", r.body)
	}
	id := m[1]
	if got := r.header.Get("X-Request-ID"); got != id {
		t.Fatalf("X-Request-ID %q, the page shows %q", got, id)
	}
	var failed, request bool
	for _, l := range logs.lines(t) {
		if l["req"] != id {
			continue
		}
		switch l["msg"] {
		case "request failed":
			failed = l["level"] == "ERROR" && l["path"] == "/masuk" && l["err"] != nil
		case "http":
			request = l["status"] == float64(500) && l["method"] == "POST"
		}
	}
	if !failed || !request {
		t.Fatalf("the JSON log lacks the error line (%v) or the request line (%v) with req=%s:\n%s", failed, request, id, logs.b.String())
	}
}

// TestRequestIDFromTheProxyOrNew: a sane incoming X-Request-ID from a trusted proxy is kept (the
// proxy's log and ours then agree); from anybody else, or missing, or unsafe, it is replaced by a
// new 12-character id, different each time.
func TestRequestIDFromTheProxyOrNew(t *testing.T) {
	in := "3f2a9c1e-7b6d-4e0a-9c1d-2b8e5f4a6c7d"
	// app.Test's connections come from 0.0.0.0.
	proxied := newWorldWith(t, func(c *Config) { c.TrustedProxies = []string{"10.0.0.0/8", "0.0.0.0"} }).client()
	if got := proxied.doWith("GET", "/masuk", nil, map[string]string{"X-Request-ID": in}).header.Get("X-Request-ID"); got != in {
		t.Fatalf("a sane id from a trusted proxy became %q", got)
	}
	w := newWorld(t)
	c := w.client()
	if got := c.doWith("GET", "/masuk", nil, map[string]string{"X-Request-ID": in}).header.Get("X-Request-ID"); got == in || len(got) != 12 {
		t.Fatalf("an id from an untrusted client was kept: %q", got)
	}
	seen := map[string]bool{}
	for _, bad := range []string{"", "a b", "<script>", strings.Repeat("x", 65), "baris\u00a0baru"} {
		got := proxied.doWith("GET", "/masuk", nil, map[string]string{"X-Request-ID": bad}).header.Get("X-Request-ID")
		if len(got) != 12 || got == bad || seen[got] || !saneRequestID(got) {
			t.Fatalf("incoming %q: id %q", bad, got)
		}
		seen[got] = true
	}
	// A refused request (404) shows its code on the page too.
	r := c.get("/tidak-ada")
	if m := kodeGalatRe.FindStringSubmatch(r.body); r.status != 404 || m == nil || m[1] != r.header.Get("X-Request-ID") {
		t.Fatalf("404 page: %d, code %v, header %q", r.status, m, r.header.Get("X-Request-ID"))
	}
}

// TestPanicIsOneJSONLineWithTheRequestID: a handler's panic becomes a 500 whose page shows the
// code, and the JSON log holds the panic with its stack and the request's line, both under it.
func TestPanicIsOneJSONLineWithTheRequestID(t *testing.T) {
	var logs syncBuffer
	h := New(newWorld(t).st, Config{Static: static.FS, Log: slog.New(slog.NewJSONHandler(&logs, nil))})
	// The app's own middleware in App's order, before a route that panics.
	app := fiber.New(fiber.Config{ErrorHandler: h.errorHandler})
	app.Use(h.logRequests)
	app.Use(h.recoverer())
	app.Get("/panik", func(*fiber.Ctx) error { panic("rusak") })
	res, err := app.Test(httptest.NewRequest("GET", "/panik", nil), -1)
	if err != nil {
		t.Fatal(err)
	}
	id := res.Header.Get("X-Request-ID")
	if res.StatusCode != fiber.StatusInternalServerError || id == "" {
		t.Fatalf("panic: %d id %q", res.StatusCode, id)
	}
	var panicked, request bool
	for _, l := range logs.lines(t) {
		if l["req"] != id {
			continue
		}
		stack, _ := l["stack"].(string)
		panicked = panicked || (l["msg"] == "panic" && l["panic"] == "rusak" && strings.Contains(stack, "requestid_test.go"))
		request = request || (l["msg"] == "http" && l["status"] == float64(500))
	}
	if !panicked || !request {
		t.Fatalf("panic line %v, request line %v:\n%s", panicked, request, logs.b.String())
	}
}
