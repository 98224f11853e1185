//go:build torture

package torture

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"pupns/e2e/realserver"
)

// loginStart starts `pupns serve` on a fresh data folder and a port it picks itself, and waits
// for its ready line. The server is stopped (SIGTERM) when the test ends.
func loginStart(t *testing.T, bin string, args ...string) *realserver.Process {
	t.Helper()
	p := realserver.Start(t, bin, 60*time.Second, append([]string{"--data", t.TempDir()}, args...)...)
	t.Cleanup(func() { p.Stop(30 * time.Second) })
	return p
}

// loginMemKB reads a field (VmHWM: the peak; VmRSS: now) of the process's /proc status, in KiB.
func loginMemKB(t *testing.T, pid int, field string) int {
	t.Helper()
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			return n
		}
	}
	t.Fatalf("no %s in /proc/%d/status", field, pid)
	return 0
}

var loginCSRF = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// loginStorm has n visitors open the login page, then all send a wrong password for accounts
// that do not exist at the same moment. It returns how many got each status, the time for all,
// and the server's resident memory before and at its peak (VmHWM), in KiB.
func loginStorm(t *testing.T, srv *realserver.Process, n int) (statuses map[int]int, all time.Duration, base, peak int) {
	t.Helper()
	pid := srv.Cmd.Process.Pid
	base = loginMemKB(t, pid, "VmRSS")
	type visitor struct {
		c    *http.Client
		csrf string
	}
	vs := make([]visitor, n)
	for i := range vs {
		jar, _ := cookiejar.New(nil)
		vs[i].c = &http.Client{Jar: jar, Timeout: 2 * time.Minute}
		res, err := vs[i].c.Get(srv.URL + "/masuk")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		m := loginCSRF.FindStringSubmatch(string(body))
		if m == nil {
			t.Fatalf("login page %d without a token:\n%s", i, body)
		}
		vs[i].csrf = m[1]
	}
	var mu sync.Mutex
	statuses = map[int]int{}
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, v := range vs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			form := url.Values{"_csrf": {v.csrf}, "login": {fmt.Sprintf("tidak-ada-%02d", i)}, "password": {"sandi-yang-salah"}}
			<-start
			res, err := v.c.PostForm(srv.URL+"/masuk", form)
			if err != nil {
				t.Error(err)
				return
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			mu.Lock()
			defer mu.Unlock()
			statuses[res.StatusCode]++
			if res.StatusCode == http.StatusServiceUnavailable && !strings.Contains(string(body), "Server sedang sibuk melayani banyak login") {
				t.Errorf("503 without the busy sentence")
			}
		}()
	}
	t0 := time.Now()
	close(start)
	wg.Wait()
	return statuses, time.Since(t0), base, loginMemKB(t, pid, "VmHWM")
}

// TestConcurrentLoginsStayUnder300MB: 64 wrong-password logins for accounts that do not exist,
// all at once (each costs an argon2id hash of 19 MiB: 64 at once took the server from 20 MB to
// 1.06 GB). Through the hashing pool the peak resident memory (VmHWM) stays under 300 MB and
// every login is answered 422 (wrong password). With a tiny pool (1 worker, 4 waiting) the
// rest are answered at once with 503 and the busy sentence, and the peak is lower still.
func TestConcurrentLoginsStayUnder300MB(t *testing.T) {
	for _, tc := range []struct {
		name  string
		args  []string
		codes []int
	}{
		{"default pool", nil, []int{http.StatusUnprocessableEntity}},
		{"1 worker, 4 waiting", []string{"--hash-workers", "1", "--hash-queue", "4"}, []int{http.StatusUnprocessableEntity, http.StatusServiceUnavailable}},
	} {
		srv := loginStart(t, bin, tc.args...)
		statuses, all, base, peak := loginStorm(t, srv, 64)
		fmt.Printf("FIGURE logins (%s): 64 concurrent wrong-password logins for unknown accounts on %d cores: answers %v in %v; RSS before %.0f MB, peak (VmHWM) %.0f MB\n",
			tc.name, runtime.NumCPU(), statuses, all.Round(time.Millisecond), float64(base)/1024, float64(peak)/1024)
		for code := range statuses {
			if !slices.Contains(tc.codes, code) {
				t.Errorf("%s: answers %v, want only %v", tc.name, statuses, tc.codes)
			}
		}
		if len(tc.codes) > 1 && statuses[http.StatusServiceUnavailable] == 0 {
			t.Errorf("%s: no login was turned away (answers %v)", tc.name, statuses)
		}
		if peak > 300*1024 {
			t.Errorf("%s: peak RSS %.0f MB, want under 300 MB", tc.name, float64(peak)/1024)
		}
	}
}
