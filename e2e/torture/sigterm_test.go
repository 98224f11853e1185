//go:build torture

package torture

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"pupns/store"
	"pupns/store/demo"
)

// sigtermServe starts `pupns serve` on data with args and returns the process, its URL and a
// function giving what it wrote to stderr so far.
func sigtermServe(t *testing.T, bin, data string, args ...string) (*exec.Cmd, string, func() string) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--data", data, "--addr", "127.0.0.1:0"}, args...)...)
	stderr, _ := cmd.StderrPipe()
	cmd.Stdout = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	var mu sync.Mutex
	var log strings.Builder
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			mu.Lock()
			log.WriteString(sc.Text() + "\n")
			mu.Unlock()
			if m := regexp.MustCompile(`pupns siap.* url=(\S+)`).FindStringSubmatch(sc.Text()); m != nil {
				urls <- m[1]
			}
		}
	}()
	select {
	case u := <-urls:
		return cmd, u, func() string { mu.Lock(); defer mu.Unlock(); return log.String() }
	case <-time.After(60 * time.Second):
		t.Fatal("server not ready")
	}
	return nil, "", nil
}

var sigtermCSRF = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// sigtermPNS is a logged-in PNS browser.
type sigtermPNS struct {
	nip, csrf string
	c         *http.Client
}

func sigtermLogin(base, nip, password string) (*sigtermPNS, error) {
	jar, _ := cookiejar.New(nil)
	p := &sigtermPNS{nip: nip, c: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	if err := p.token(base + "/masuk"); err != nil {
		return nil, err
	}
	res, err := p.c.PostForm(base+"/masuk", url.Values{"login": {nip}, "password": {password}, "_csrf": {p.csrf}})
	if err != nil {
		return nil, err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("login %s: %d", nip, res.StatusCode)
	}
	return p, p.token(base + "/data")
}

// token reads the page's CSRF token.
func (p *sigtermPNS) token(u string) error {
	res, err := p.c.Get(u)
	if err != nil {
		return err
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := sigtermCSRF.FindSubmatch(b)
	if m == nil {
		return fmt.Errorf("no CSRF token at %s (%d)", u, res.StatusCode)
	}
	p.csrf = string(m[1])
	return nil
}

// TestSIGTERMUnderLoad: PNS save proposals as fast as the server takes them while a few clients
// stall mid-request; SIGTERM stops the server within its grace period + 1 s with exit status 0,
// and every proposal it acknowledged (303) is in the data file afterwards (the one stored is the
// last acknowledged or one sent after it, whose answer the shutdown cut).
func TestSIGTERMUnderLoad(t *testing.T) {
	data := t.TempDir()
	out, err := exec.Command(bin, "demo", "--data", data, "--pns", "300", "--json").Output()
	if err != nil {
		t.Fatal(err)
	}
	var res demo.Result
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatal(err)
	}
	const grace = 3 * time.Second
	cmd, base, logOf := sigtermServe(t, bin, data, "--shutdown-grace", grace.String())
	alamat, _ := store.FieldByKey("alamat")

	var workers []*sigtermPNS
	for _, s := range res.SamplePNS {
		p, err := sigtermLogin(base, s.NIP, demo.DefaultPassword)
		if err != nil {
			t.Fatal(err)
		}
		workers = append(workers, p)
	}
	for i := 0; i < 5; i++ { // stalled clients: half a body, then nothing
		c, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		fmt.Fprintf(c, "POST /masuk HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 200\r\n\r\nlogin=abc")
	}

	sent := make([][]string, len(workers)) // values sent, in order
	acked := make([]int, len(workers))     // index of the last acknowledged value, -1 none
	var total atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w, p := range workers {
		acked[w] = -1
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				v := fmt.Sprintf("Jl. Uji %d No. %d", w+1, i+1)
				sent[w] = append(sent[w], v)
				res, err := p.c.PostForm(base+"/data/"+alamat.Tab+"/alamat", url.Values{"nilai": {v}, "alasan": {"pindah"}, "_csrf": {p.csrf}})
				if err != nil {
					return // the server went away
				}
				res.Body.Close()
				if res.StatusCode == http.StatusSeeOther {
					acked[w] = i
					total.Add(1)
				}
			}
		}()
	}
	time.Sleep(3 * time.Second)
	start := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-time.After(grace + time.Second):
		t.Fatalf("still running %s after SIGTERM\n%s", grace+time.Second, logOf())
	}
	took := time.Since(start)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatalf("exit after SIGTERM under load: %v, want status 0\n%s", err, logOf())
	}

	st, err := store.Open(data, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	lost := 0
	for w, p := range workers {
		if acked[w] < 0 {
			continue
		}
		form, err := st.Form(store.Actor{Login: p.nip, Role: store.RolePNS, NIP: p.nip}, p.nip)
		if err != nil {
			t.Fatal(err)
		}
		got := form.Entries["alamat"].New
		idx := -1
		for i, v := range sent[w] {
			if v == got {
				idx = i
			}
		}
		if idx < acked[w] {
			lost++
			t.Errorf("PNS %s: stored %q, but %q was acknowledged", p.nip, got, sent[w][acked[w]])
		}
	}
	t.Logf("SIGTERM under load: %d writers, %d proposals acknowledged, %d lost, 5 stalled clients, exit 0 after %s (grace %s)",
		len(workers), total.Load(), lost, took.Round(10*time.Millisecond), grace)
}
