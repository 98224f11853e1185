//go:build torture

package torture

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"pupns/e2e/realserver"
	"pupns/store"
	"pupns/store/demo"
	"pupns/store/storetest"
)

// The full disk on the built binary: concurrent PNS propose while a small tmpfs under the data
// folder fills. Every answer is 200 (saved) or 507 with the sentence; /healthz says 503 "penuh"
// and the admin's summary shows the banner; once the filler is removed every writer saves again
// without a restart; after a restart each writer's stored address is exactly the last one it was
// told was saved (a refused write left nothing, an acknowledged one was kept).

const diskSentence = "Penyimpanan server penuh: perubahan terakhir Anda belum tersimpan. Coba lagi nanti; petugas sudah diberi tahu."

// diskServe starts `pupns serve --addr 127.0.0.1:0 args...` and waits for its ready line's url=;
// it is stopped with SIGTERM when the test ends, if it still runs (diskStop).
func diskServe(t *testing.T, bin string, args ...string) *realserver.Process {
	t.Helper()
	p := realserver.Start(t, bin, 60*time.Second, args...)
	t.Cleanup(func() { diskStop(t, p) })
	return p
}

// diskStop sends SIGTERM and waits for the process, killing it after 15 s (an error: it must stop).
func diskStop(t *testing.T, p *realserver.Process) {
	if _, inTime, _ := p.Stop(15 * time.Second); !inTime {
		t.Errorf("pupns did not stop on SIGTERM within 15s")
	}
}

// diskClient is a logged-in browser stand-in: cookies and the page's CSRF token.
type diskClient struct {
	base string
	hc   *http.Client
	csrf string
}

var diskCSRF = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

func diskLogin(t *testing.T, base, login, password string) *diskClient {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &diskClient{base: base, hc: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
	if _, body := c.do(t, "GET", "/masuk", nil, false); !c.token(body) {
		t.Fatal("no CSRF token on the login page")
	}
	status, body := c.do(t, "POST", "/masuk", url.Values{"login": {login}, "password": {password}, "_csrf": {c.csrf}}, false)
	if status != 200 || !c.token(body) { // the client follows the 303 to the home page
		t.Fatalf("login %s: %d", login, status)
	}
	return c
}

func (c *diskClient) token(body string) bool {
	m := diskCSRF.FindStringSubmatch(body)
	if m != nil {
		c.csrf = m[1]
	}
	return m != nil
}

// do sends a request; hx sends it as htmx does (token in a header).
func (c *diskClient) do(t *testing.T, method, path string, form url.Values, hx bool) (int, string) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, c.base+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if hx {
		req.Header.Set("HX-Request", "true")
		req.Header.Set("HX-Target", "f-alamat")
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		t.Errorf("%s %s: %v", method, path, err)
		return 0, ""
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(raw)
}

// diskWriter is one PNS proposing addresses in a loop; what it was told.
type diskWriter struct {
	nip                 string
	lastAcked           map[string]string // field → the value last acknowledged
	acked, refused, bad int
	firstBad            string
	recoveredAfter      time.Duration // from the filler's removal to its first save
}

func TestDiskFullServer(t *testing.T) {
	dir := storetest.Tmpfs(t, 32<<20)
	out, err := exec.Command(bin, "demo", "--data", dir, "--pns", "40", "--json").Output()
	if err != nil {
		t.Fatalf("pupns demo: %v", err)
	}
	var res demo.Result
	if err := json.Unmarshal(out, &res); err != nil || len(res.SamplePNS) == 0 {
		t.Fatalf("demo result: %v %d samples", err, len(res.SamplePNS))
	}
	srv := diskServe(t, bin, "--data", dir, "--disk-reserve", "2MiB")
	var admin *diskClient
	for _, l := range res.Logins {
		if l.Role == store.RoleAdmin {
			admin = diskLogin(t, srv.URL, l.Username, l.Password)
		}
	}
	if admin == nil {
		t.Fatal("the demo has no admin")
	}
	samples := res.SamplePNS[:min(4, len(res.SamplePNS))]
	writers := make([]*diskWriter, len(samples))
	clients := make([]*diskClient, len(samples))
	for i, p := range samples {
		writers[i], clients[i] = &diskWriter{nip: p.NIP, lastAcked: map[string]string{}}, diskLogin(t, srv.URL, p.NIP, p.Password)
	}

	var stop sync.WaitGroup // the writers are done
	var (
		mu        sync.Mutex
		freedAt   time.Time
		quit      = make(chan struct{})
		firstFull = make(chan struct{}, len(writers))
	)
	for i := range writers {
		stop.Add(1)
		go func(w *diskWriter, c *diskClient) {
			defer stop.Done()
			for n := 0; ; n++ {
				select {
				case <-quit:
					return
				default:
				}
				// The writes take turns between two fields: saves of one field by one person fold
				// into one event (store/events.go), which would let a writer rewrite the same bytes
				// forever and never need a new page; taking turns, each save logs an event of its own.
				field, value := "alamat", fmt.Sprintf("Jl. Disk No. %d, Semarang", n)
				if n%2 == 1 {
					field, value = "no_hp", fmt.Sprintf("0813%08d", n)
				}
				status, body := c.do(t, "POST", "/data/utama/"+field, url.Values{"nilai": {value}, "alasan": {strings.Repeat("pindah rumah ", 20)}}, true)
				mu.Lock()
				switch {
				case status == 200:
					w.acked++
					w.lastAcked[field] = value
					if !freedAt.IsZero() && w.recoveredAfter == 0 {
						w.recoveredAfter = time.Since(freedAt)
					}
				case status == http.StatusInsufficientStorage && body == diskSentence:
					if w.refused == 0 {
						firstFull <- struct{}{}
					}
					w.refused++
				default:
					w.bad++
					if w.firstBad == "" {
						w.firstBad = fmt.Sprintf("%d %q", status, body)
					}
				}
				mu.Unlock()
			}
		}(writers[i], clients[i])
	}

	time.Sleep(time.Second) // writes with room
	if status, body := admin.do(t, "GET", "/healthz", nil, false); status != 200 || !strings.Contains(body, `"status":"ok"`) {
		t.Errorf("healthz with room: %d %s", status, body)
	}
	filler, filled := storetest.Fill(t, dir)
	fillDone := time.Now()
	for range writers { // every writer meets the full disk
		select {
		case <-firstFull:
		case <-time.After(30 * time.Second):
			close(quit) // the writers stop before the test ends: none may report after it
			stop.Wait()
			t.Fatal("a writer was never refused on the full disk")
		}
	}
	untilAllRefused := time.Since(fillDone)
	time.Sleep(time.Second) // keep writing into the full disk
	if status, body := admin.do(t, "GET", "/healthz", nil, false); status != http.StatusServiceUnavailable || !strings.Contains(body, `"status":"penuh"`) {
		t.Errorf("healthz on the full disk: %d %s", status, body)
	}
	if status, body := admin.do(t, "GET", "/ringkasan", nil, false); status != 200 || !strings.Contains(body, `id="disk-penuh"`) {
		t.Errorf("summary on the full disk: %d, banner shown: %v", status, strings.Contains(body, "disk-penuh"))
	}

	mu.Lock()
	refusedWhileFull := 0
	for _, w := range writers {
		refusedWhileFull += w.refused
	}
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	freedAt = time.Now()
	mu.Unlock()
	deadline := time.Now().Add(30 * time.Second)
	for recovered := false; !recovered; time.Sleep(10 * time.Millisecond) {
		mu.Lock()
		recovered = true
		for _, w := range writers {
			recovered = recovered && w.recoveredAfter > 0
		}
		mu.Unlock()
		if time.Now().After(deadline) {
			t.Fatal("writers did not save again within 30s of the room coming back")
		}
	}
	time.Sleep(500 * time.Millisecond)
	close(quit)
	stop.Wait()
	if status, body := admin.do(t, "GET", "/healthz", nil, false); status != 200 || !strings.Contains(body, `"status":"ok"`) {
		t.Errorf("healthz after the room came back: %d %s", status, body)
	}
	diskStop(t, srv)

	// What each writer was last told is saved is what the file holds; the file checks clean.
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	lost, acked, refused, worst := 0, 0, 0, time.Duration(0)
	for _, w := range writers {
		f, err := st.Form(store.Actor{Login: w.nip, Role: store.RolePNS, NIP: w.nip}, w.nip)
		if err != nil {
			t.Fatal(err)
		}
		for field, want := range w.lastAcked {
			if got := f.Entries[field].New; got != want {
				lost++
				t.Errorf("PNS %s: %s stored %q, last acknowledged %q", w.nip, field, got, want)
			}
		}
		if w.bad > 0 {
			t.Errorf("PNS %s: %d answers neither 200 nor 507 with the sentence, first: %s", w.nip, w.bad, w.firstBad)
		}
		acked, refused, worst = acked+w.acked, refused+w.refused, max(worst, w.recoveredAfter)
	}
	if err := st.DB().View(func(tx *bbolt.Tx) error {
		for err := range tx.Check() {
			return err
		}
		return nil
	}); err != nil {
		t.Errorf("bbolt check after the full disk: %v", err)
	}
	t.Logf("FIGURES disk-full: tmpfs 32 MiB, filler %d MiB, %d writers: %d proposals saved, %d refused with 507 (%d while full before the filler went), every writer refused within %v of the fill, all saving again within %v of the filler's removal (no restart), %d lost after restart, bbolt check clean",
		filled>>20, len(writers), acked, refused, refusedWhileFull, untilAllRefused.Round(time.Millisecond), worst.Round(time.Millisecond), lost)
}
