//go:build torture

// Package torture holds the slow fault tests (`make torture`): the real pupns binary, started,
// loaded, killed and restarted on a real data folder, with the figures each test measures printed
// as `FIGURE name=value` lines for the README's Reliability section.
package torture

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"pupns/e2e/realserver"
	"pupns/store"
)

// bin is the pupns binary, built once for the whole group.
var bin string

func TestMain(m *testing.M) {
	var cleanup func()
	bin, cleanup = realserver.Build("pupns-torture")
	code := m.Run()
	cleanup()
	os.Exit(code)
}

// demoPassword is the password of every demo account.
const demoPassword = "demo12345"

// figure prints one measured figure, for the README's Reliability section (collect them with
// `make torture | grep FIGURE`).
func figure(t *testing.T, name string, value any) {
	t.Helper()
	t.Logf("FIGURE %s=%v", name, value)
}

// server is one `pupns serve` process on a data folder (realserver.Process: its command, URL, log,
// Done and exit status).
type server struct {
	*realserver.Process
	t *testing.T
}

// startServer starts `pupns serve --data dir --addr 127.0.0.1:0` with extra args and waits for
// its ready line, which names the port it chose. The process is killed at the end of the test if
// it still runs, and its log is shown when the test failed.
func startServer(t *testing.T, dir string, args ...string) *server {
	t.Helper()
	s := &server{t: t}
	t.Cleanup(func() {
		if t.Failed() && s.Process != nil {
			t.Logf("server log:\n%s", s.Output())
		}
	})
	s.Process = realserver.Start(t, bin, 2*time.Minute, append([]string{"--data", dir}, args...)...)
	return s
}

// pid is the server's process id.
func (s *server) pid() int { return s.Cmd.Process.Pid }

// kill9 kills the server with SIGKILL and waits until it is gone.
func (s *server) kill9() { s.Kill9() }

// term sends SIGTERM and waits up to limit: it returns how long the exit took, false when the
// process was still running at the limit (then it is killed), and the exit status (nil for 0).
func (s *server) term(limit time.Duration) (time.Duration, bool, error) { return s.Stop(limit) }

// memory reads a process's peak and current resident set (VmHWM, VmRSS) in bytes.
func memory(pid int) (peak, now int64, err error) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	for _, line := range strings.Split(string(raw), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "VmHWM:":
			peak = kb << 10
		case "VmRSS:":
			now = kb << 10
		}
	}
	return peak, now, nil
}

// makeDemo fills dir with a demo office of n PNS (`pupns demo`), the accounts' password demoPassword.
func makeDemo(t *testing.T, dir string, n int) {
	t.Helper()
	if out, err := exec.Command(bin, "demo", "--data", dir, "--pns", strconv.Itoa(n)).CombinedOutput(); err != nil {
		t.Fatalf("pupns demo: %v\n%s", err, out)
	}
}

// openStore opens the data folder in the test (the server must not be running).
func openStore(t *testing.T, dir string) *store.Store {
	t.Helper()
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatalf("opening %s: %v", dir, err)
	}
	return st
}

// pnsLogins are up to n active PNS accounts of the office in dir (a PNS logs in with the NIP).
func pnsLogins(t *testing.T, dir string, n int) []string {
	t.Helper()
	st := openStore(t, dir)
	defer st.Close()
	var nips []string
	err := st.DB().View(func(tx *bbolt.Tx) error {
		return tx.Bucket([]byte("users")).ForEach(func(k, _ []byte) error {
			if len(nips) < n && len(k) == 18 && strings.Trim(string(k), "0123456789") == "" {
				if u, err := st.User(string(k)); err == nil && u.Role == store.RolePNS && u.Status == store.StatusActive {
					nips = append(nips, string(k))
				}
			}
			return nil
		})
	})
	if err != nil || len(nips) < n {
		t.Fatalf("%d PNS accounts found, want %d: %v", len(nips), n, err)
	}
	return nips
}

// checkFile runs bbolt's consistency check on the data file in dir and returns how long it took.
func checkFile(t *testing.T, dir string) time.Duration {
	t.Helper()
	db, err := bbolt.Open(filepath.Join(dir, "pupns.db"), 0o600, &bbolt.Options{ReadOnly: true, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("opening the data file for the check: %v", err)
	}
	defer db.Close()
	start := time.Now()
	err = db.View(func(tx *bbolt.Tx) error {
		var errs []string
		for e := range tx.Check() {
			errs = append(errs, e.Error())
		}
		if len(errs) > 0 {
			return fmt.Errorf("%d problems: %s", len(errs), strings.Join(errs[:min(len(errs), 5)], "; "))
		}
		return nil
	})
	if err != nil {
		t.Fatalf("consistency check: %v", err)
	}
	return time.Since(start)
}

// webClient is one person at the site: a cookie jar, the page's CSRF token, redirects not
// followed (a 303 is the answer to check).
type webClient struct {
	base string
	hc   *http.Client
	csrf string
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

func newWebClient(base string) *webClient {
	jar, _ := cookiejar.New(nil)
	return &webClient{base: base, hc: &http.Client{
		Jar:           jar,
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// page GETs a page, keeps its CSRF token and returns status and body.
func (c *webClient) page(path string) (int, string, error) {
	res, err := c.hc.Get(c.base + path)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if m := csrfField.FindSubmatch(b); m != nil {
		c.csrf = string(m[1])
	}
	return res.StatusCode, string(b), err
}

// post sends a plain form with the CSRF token and returns the status.
func (c *webClient) post(path string, form url.Values) (int, error) {
	form.Set("_csrf", c.csrf)
	res, err := c.hc.PostForm(c.base+path, form)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode, nil
}

// login logs in through the login form and takes the token of the page it lands on.
func (c *webClient) login(login, password string) error {
	if _, _, err := c.page("/masuk"); err != nil {
		return err
	}
	st, err := c.post("/masuk", url.Values{"login": {login}, "password": {password}})
	if err != nil {
		return err
	}
	if st != http.StatusSeeOther {
		return fmt.Errorf("login %s: HTTP %d", login, st)
	}
	if st, _, err := c.page("/data"); err != nil || st != 200 {
		return fmt.Errorf("after login %s: HTTP %d %v", login, st, err)
	}
	return nil
}
