//go:build office

package office

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// autosavesPerPNS is how many autosaves one PNS makes while typing the three fields it corrects.
const autosavesPerPNS = 40

// docSize is the size of each uploaded document (a scanned KTP or Kartu Keluarga).
const docSize = 300 << 10

var (
	checkWay  = regexp.MustCompile(`cara="?([^"\n]+?)"?( |$)`)
	tabLink   = regexp.MustCompile(`href="/data\?tab=(\w+)"`)
	reviewID  = regexp.MustCompile(`<tr id="usulan-(\d+)"`) // the inbox's rows (a flash may link a submission too)
	lineField = regexp.MustCompile(`/verifikasi/\d+/baris/([\w.\-]+)"`)
	revField  = regexp.MustCompile(`name="rev_halaman" value="(\d+)"`)
)

// stats collects latencies and errors per kind of request.
type stats struct {
	mu     sync.Mutex
	lat    map[string][]time.Duration
	errs   map[string]int
	sample []string
}

func (s *stats) add(kind string, d time.Duration, ok bool, detail string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lat[kind] = append(s.lat[kind], d)
	if !ok {
		if s.errs[kind] == 0 {
			s.sample = append(s.sample, kind+": "+detail)
		}
		s.errs[kind]++
	}
}

// timed runs one request and records it under kind; ok says whether the status is the expected one.
func (s *stats) timed(kind string, want int, fn func() (int, string, error)) (string, bool) {
	start := time.Now()
	st, body, err := fn()
	ok := err == nil && st == want
	detail := ""
	if !ok {
		detail = fmt.Sprintf("HTTP %d %v %s", st, err, message(body))
	}
	s.add(kind, time.Since(start), ok, detail)
	return body, ok
}

// errText finds the sentences a refusal shows (messages and alerts) in a page or fragment.
var errText = regexp.MustCompile(`(?:class="[^"]*(?:err|alert|galat|error)[^"]*"[^>]*>([^<]{3,300}))|(?:</a>: ([^<]{3,300})</li>)`)

// message is what a refused request's answer says, for the report.
func message(body string) string {
	var out []string
	for _, m := range errText.FindAllStringSubmatch(body, 5) {
		out = append(out, strings.TrimSpace(m[1]+m[2]))
	}
	if len(out) == 0 || strings.Contains(body, "kode galat") {
		return fmt.Sprintf("%.300q", body)
	}
	return strings.Join(out, " | ")
}

// replay runs the deadline week's mix, rate PNS sending a second, against a server on dir for
// PUPNS_OFFICE_SECONDS; check says whether the targets are asserted (not for the baseline).
func replay(t *testing.T, dir string, n int, rate float64, c cast, check bool) map[string]summary {
	seconds := envInt("PUPNS_OFFICE_SECONDS", 60)
	path := filepath.Join(dir, "pupns.db")
	before, _ := os.Stat(path)
	srv := start(t, dir)
	st := &stats{lat: map[string][]time.Duration{}, errs: map[string]int{}}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var peakRSS, peakAnon, peakFile atomic.Int64
	go func() { // memory, every half second
		for {
			m := memory(srv.Cmd.Process.Pid)
			peakRSS.Store(max(peakRSS.Load(), m["VmRSS"]))
			peakAnon.Store(max(peakAnon.Load(), m["RssAnon"]))
			peakFile.Store(max(peakFile.Load(), m["RssFile"]))
			select {
			case <-stop:
				return
			case <-time.After(500 * time.Millisecond):
			}
		}
	}()
	for _, login := range c.v1 {
		wg.Add(1)
		go func() { defer wg.Done(); verifier(srv.URL, login, 0, 1, st, stop) }()
	}
	for part := range 2 { // two Level 2 verifiers of the BKD share the inbox, by submission number
		wg.Add(1)
		go func() { defer wg.Done(); verifier(srv.URL, c.v2, part, 2, st, stop) }()
	}
	wg.Add(1)
	go func() { defer wg.Done(); monitor(srv.URL, c.admin, st, stop) }()

	t.Logf("replaying %d s: %.2f PNS sending per second, %d Level 1 verifiers", seconds, rate, len(c.v1))
	begin := time.Now()
	cpu0 := cpuTime(srv.Cmd.Process.Pid)
	var senders sync.WaitGroup
	rng := rand.New(rand.NewPCG(1, 2))
	next := begin
	for i := 0; i < len(c.senders) && time.Since(begin) < time.Duration(seconds)*time.Second; i++ {
		next = next.Add(time.Duration(rng.ExpFloat64() / rate * float64(time.Second))) // Poisson arrivals
		time.Sleep(time.Until(next))
		senders.Add(1)
		go func(nip string) { defer senders.Done(); sender(srv.URL, nip, st) }(c.senders[i])
	}
	senders.Wait()
	time.Sleep(3 * time.Second) // let the verifiers take the last submissions
	close(stop)
	wg.Wait()
	elapsed := time.Since(begin)
	cpu := cpuTime(srv.Cmd.Process.Pid) - cpu0
	hwm := memory(srv.Cmd.Process.Pid)["VmHWM"]
	srv.stop()
	after, _ := os.Stat(path)
	sum := report(t, st, elapsed, n, check)
	requests := 0
	for _, l := range st.lat {
		requests += len(l)
	}
	figure("office_server_cpu pns=%d cpu=%s requests=%d cpu_per_request=%s", n, cpu.Round(10*time.Millisecond), requests,
		(cpu / time.Duration(max(1, requests))).Round(10*time.Microsecond))
	figure("office_memory pns=%d peak_rss_mb=%d peak_anon_mb=%d peak_file_mb=%d vmhwm_mb=%d", n,
		peakRSS.Load()>>20, peakAnon.Load()>>20, peakFile.Load()>>20, hwm>>20)
	figure("office_file pns=%d before_mb=%d after_mb=%d growth_mb=%d", n, before.Size()>>20, after.Size()>>20, (after.Size()-before.Size())>>20)
	if check && hwm > 1<<30 {
		t.Errorf("peak RSS %d MB, want ≤ 1024", hwm>>20)
	}
	return sum
}

// cpuTime is the CPU time a process has used (user and system), from /proc/<pid>/stat.
func cpuTime(pid int) time.Duration {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(raw)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:]) // after the command name: state is field 3
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * time.Second / 100 // clock ticks of 1/100 s (USER_HZ)
}

// summary is one kind's latency figures.
type summary struct{ p50, p99 time.Duration }

// loadAvg is the machine's one-minute load average, as /proc/loadavg says.
func loadAvg() string {
	raw, _ := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(raw)); len(f) > 0 {
		return f[0]
	}
	return "?"
}

// report prints throughput and p50/p99 per kind and, when check is set, fails on errors or a p99
// over 200 ms.
func report(t *testing.T, st *stats, elapsed time.Duration, n int, check bool) map[string]summary {
	st.mu.Lock()
	defer st.mu.Unlock()
	kinds := make([]string, 0, len(st.lat))
	total := 0
	for k, l := range st.lat {
		kinds = append(kinds, k)
		total += len(l)
	}
	slices.Sort(kinds)
	figure("office_throughput pns=%d seconds=%.0f requests=%d req_per_s=%.1f load_average=%s", n, elapsed.Seconds(), total, float64(total)/elapsed.Seconds(), loadAvg())
	out := map[string]summary{}
	for _, k := range kinds {
		l := st.lat[k]
		slices.Sort(l)
		p := func(q float64) time.Duration { return l[min(len(l)-1, int(q*float64(len(l))))] }
		figure("office_kind pns=%d kind=%s count=%d per_s=%.2f p50=%s p99=%s max=%s errors=%d", n, k, len(l),
			float64(len(l))/elapsed.Seconds(), p(0.5).Round(100*time.Microsecond), p(0.99).Round(100*time.Microsecond),
			l[len(l)-1].Round(time.Millisecond), st.errs[k])
		out[k] = summary{p(0.5), p(0.99)}
		if check && k != "login" && p(0.99) > 200*time.Millisecond {
			t.Errorf("%s: p99 %s, want ≤ 200 ms", k, p(0.99))
		}
		if check && st.errs[k] > 0 {
			t.Errorf("%s: %d errors", k, st.errs[k])
		}
	}
	for _, s := range st.sample {
		t.Log(s)
	}
	return out
}

// login logs c in as login and keeps the CSRF token of the page it lands on.
func login(c *client, st *stats, as string) bool {
	if _, ok := st.timed("page", 200, func() (int, string, error) { return c.get("/masuk") }); !ok {
		return false
	}
	_, ok := st.timed("login", 303, func() (int, string, error) {
		s, _, b, err := c.post("/masuk", url.Values{"login": {as}, "password": {demoPassword}}, "")
		return s, b, err
	})
	return ok
}

// fix is one field a PNS corrects: the value as saved at the k-th pause (each a valid value: a
// value the form refuses while it is being typed is answered 422, which is no failure but would
// hide one here).
var fixes = []struct {
	key   string
	value func(k int) string
}{
	{"no_hp", func(k int) string { return fmt.Sprintf("0813987654%02d", k) }},
	{"email", func(k int) string { return fmt.Sprintf("pns.baru%d@contoh.go.id", k) }},
	{"alamat", func(k int) string { return fmt.Sprintf("Jl. Pemuda No. %d, Semarang Tengah, Kota Semarang", k) }},
}

// sender is one PNS's session in the deadline week, from login to Kirim.
func sender(base, nip string, st *stats) {
	c := newClient(base)
	if !login(c, st, nip) {
		return
	}
	body, ok := st.timed("page", 200, func() (int, string, error) { return c.get("/data") })
	if !ok {
		return
	}
	var tabs []string
	for _, m := range tabLink.FindAllStringSubmatch(body, -1) {
		if !slices.Contains(tabs, m[1]) {
			tabs = append(tabs, m[1])
		}
	}
	for i, f := range fixes {
		typed := autosavesPerPNS / len(fixes)
		if i == 0 {
			typed += autosavesPerPNS % len(fixes)
		}
		for k := 1; k <= typed; k++ { // one save per pause in the typing
			v := f.value(k)
			st.timed("autosave", 200, func() (int, string, error) {
				s, _, b, err := c.post("/data/utama/"+f.key, url.Values{"nilai": {v}, "alasan": {"pindah alamat dan nomor"}}, "msg-"+f.key)
				return s, b, err
			})
		}
		st.timed("save", 303, func() (int, string, error) {
			s, _, b, err := c.post("/data/utama/"+f.key, url.Values{"nilai": {f.value(typed)}, "alasan": {"pindah alamat dan nomor"}}, "")
			return s, b, err
		})
	}
	for _, kind := range []string{"KTP", "Kartu Keluarga"} {
		st.timed("upload", 303, func() (int, string, error) { return upload(c, "alamat", kind) })
	}
	for _, tab := range tabs {
		st.timed("page", 200, func() (int, string, error) { return c.get("/data?tab=" + tab) })
		st.timed("confirm", 303, func() (int, string, error) {
			s, _, b, err := c.post("/data/"+tab+"/sesuai", url.Values{}, "")
			return s, b, err
		})
	}
	st.timed("kirim", 303, func() (int, string, error) {
		s, _, b, err := c.post("/kirim", url.Values{}, "")
		return s, b, err
	})
	st.timed("page", 200, func() (int, string, error) { return c.get("/status") })
}

// upload attaches a document of docSize to the proposal of key, as the upload form sends it.
func upload(c *client, key, kind string) (int, string, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("_csrf", c.csrf)
	mw.WriteField("jenis", kind)
	fw, _ := mw.CreateFormFile("berkas", "scan.pdf")
	doc := bytes.Repeat([]byte("0 0 0 RG\n"), docSize/9)
	copy(doc, "%PDF-1.4\n")
	doc = append(doc, "\n%%EOF\n"...)
	fw.Write(doc)
	mw.Close()
	req, _ := http.NewRequest("POST", c.base+"/dokumen/usulan/"+key, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	s, _, b, err := c.do(req)
	return s, b, err
}

// verifier works through its inbox: each submission's review page, a decision per line, Teruskan;
// of the submissions whose number is part modulo parts (colleagues sharing an inbox). An inbox
// with nothing for it is looked at again after a second.
func verifier(base, as string, part, parts int, st *stats, stop <-chan struct{}) {
	c := newClient(base)
	if !login(c, st, as) {
		return
	}
	for {
		select {
		case <-stop:
			return
		default:
		}
		body, _ := st.timed("inbox", 200, func() (int, string, error) { return c.get("/verifikasi") })
		var ids []string
		for _, m := range reviewID.FindAllStringSubmatch(body, -1) {
			if id, _ := strconv.Atoi(m[1]); id%parts == part && len(ids) < 5 {
				ids = append(ids, m[1])
			}
		}
		if len(ids) == 0 {
			select {
			case <-stop:
				return
			case <-time.After(time.Second):
			}
			continue
		}
		for _, id := range ids {
			review(c, as, st, id)
		}
	}
}

// review decides every line of submission id (Setuju) and sends it on.
func review(c *client, as string, st *stats, id string) {
	body, ok := st.timed("review", 200, func() (int, string, error) {
		s, b, err := c.get("/verifikasi/" + id)
		if s != 200 {
			b = as + " #" + id + ": " + b
		}
		return s, b, err
	})
	if !ok {
		return
	}
	rev := ""
	if m := revField.FindStringSubmatch(body); m != nil {
		rev = m[1]
	}
	var lines []string
	for _, m := range lineField.FindAllStringSubmatch(body, -1) {
		if !slices.Contains(lines, m[1]) {
			lines = append(lines, m[1])
		}
	}
	for _, field := range lines {
		answer, _ := st.timed("decide", 200, func() (int, string, error) {
			s, _, b, err := c.post("/verifikasi/"+id+"/baris/"+field, url.Values{"putusan": {"setuju"}, "rev": {rev}, "rev_halaman": {rev}}, "line-"+field)
			return s, b, err
		})
		if m := revField.FindStringSubmatch(answer); m != nil {
			rev = m[1]
		}
	}
	st.timed("forward", 303, func() (int, string, error) {
		s, _, b, err := c.post("/verifikasi/"+id+"/teruskan", url.Values{"rev": {rev}, "rev_halaman": {rev}}, "")
		return s, b, err
	})
}

// monitor is the office's administrator watching progress: the summary, the list behind a
// number and the non-compliance list, one page every two seconds.
func monitor(base, as string, st *stats, stop <-chan struct{}) {
	c := newClient(base)
	if !login(c, st, as) {
		return
	}
	pages := []string{"/ringkasan", "/ringkasan/pns?status=terkirim", "/ketidakpatuhan"}
	for i := 0; ; i++ {
		select {
		case <-stop:
			return
		case <-time.After(2 * time.Second):
		}
		p := pages[i%len(pages)]
		st.timed("monitor", 200, func() (int, string, error) { return c.get(p) })
	}
}
