//go:build office

// Package office replays the deadline week on the largest office (`make bench-office`): it builds
// (or reuses) a demo office of PUPNS_OFFICE_PNS PNS (default 250,000), measures how fast the real
// `pupns serve` starts on it, then replays the office's share of the 2015 deadline week at 10× and
// prints `FIGURE` lines: throughput, p50/p99 per kind, errors, the server's memory and the data
// file's growth. README › Performance › "The deadline week at 250,000" explains the mix.
package office

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"pupns/e2e/realserver"
)

// bin is the pupns binary, built once.
var bin string

func TestMain(m *testing.M) {
	var cleanup func()
	bin, cleanup = realserver.Build("pupns-office")
	code := m.Run()
	cleanup()
	os.Exit(code)
}

const demoPassword = "demo12345"

// figure prints one measured figure (collect them with `make bench-office | grep FIGURE`).
func figure(format string, a ...any) { fmt.Printf("FIGURE "+format+"\n", a...) }

// envInt reads a whole number from the environment.
func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// server is one `pupns serve` process (realserver.Process).
type server struct{ *realserver.Process }

// start starts `pupns serve` on dir and returns once its ready line names the address; at the end of
// the test it is stopped with SIGTERM (a clean close leaves the check stamp).
func start(t *testing.T, dir string, args ...string) *server {
	t.Helper()
	s := &server{realserver.Start(t, bin, 5*time.Minute, append([]string{"--data", dir, "--backup-every", "0"}, args...)...)}
	t.Cleanup(s.stop)
	return s
}

// stop sends SIGTERM and waits for the exit (a clean close leaves the check stamp).
func (s *server) stop() { s.Stop(time.Minute) }

// healthyAfter polls /healthz until it answers 200 and returns the time since the process started.
func (s *server) healthyAfter(t *testing.T) time.Duration {
	t.Helper()
	for {
		res, err := http.Get(s.URL + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return time.Since(s.Started)
			}
		}
		if time.Since(s.Started) > 5*time.Minute {
			t.Fatalf("not healthy after 5 minutes: %v", err)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// memory reads VmRSS, VmHWM, RssAnon and RssFile of a process, in bytes.
func memory(pid int) map[string]int64 {
	out := map[string]int64{}
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return out
	}
	for _, line := range strings.Split(string(raw), "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && strings.HasSuffix(f[0], ":") {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			out[strings.TrimSuffix(f[0], ":")] = kb << 10
		}
	}
	return out
}

// dropCaches empties the page cache (root only), for a cold start; false when not allowed.
func dropCaches() bool {
	exec.Command("sync").Run()
	return os.WriteFile("/proc/sys/vm/drop_caches", []byte("1\n"), 0o200) == nil
}

// client is one person at the site: a cookie jar and the CSRF token of the last page.
type client struct {
	base string
	hc   *http.Client
	csrf string
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

func newClient(base string) *client {
	jar, _ := cookiejar.New(nil)
	return &client{base: base, hc: &http.Client{Jar: jar, Timeout: 60 * time.Second,
		Transport:     &http.Transport{MaxIdleConnsPerHost: 4, DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// do sends a request and returns status, Location and body; the CSRF token of a page is kept.
func (c *client) do(req *http.Request) (int, string, string, error) {
	res, err := c.hc.Do(req)
	if err != nil {
		return 0, "", "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if m := csrfField.FindSubmatch(b); m != nil {
		c.csrf = string(m[1])
	}
	return res.StatusCode, res.Header.Get("Location"), string(b), err
}

func (c *client) get(path string) (int, string, error) {
	req, _ := http.NewRequest("GET", c.base+path, nil)
	st, _, body, err := c.do(req)
	return st, body, err
}

// post sends a form with the CSRF token; htmx, when set, adds htmx's headers with that target.
func (c *client) post(path string, form url.Values, htmx string) (int, string, string, error) {
	form.Set("_csrf", c.csrf)
	req, _ := http.NewRequest("POST", c.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if htmx != "" {
		req.Header.Set("HX-Request", "true")
		req.Header.Set("HX-Target", htmx)
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	return c.do(req)
}
