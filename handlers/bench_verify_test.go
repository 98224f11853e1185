package handlers

// Verification benchmarks for `make bench`, each with its baseline measured in the same run:
//
//	BenchmarkInboxPage/pending=1000     GET /verifikasi (first page of 50) with 1,000 submissions waiting
//	BenchmarkInboxPage/pending=100000   the same with 100,000 waiting; reports x-of-1000, its cost
//	                                    over the 1,000 case (the growth ratio; 1.0 = no growth)
//	BenchmarkInboxPage/search=100000    a name search that matches nothing at 100,000: the worst
//	                                    case, a walk of the whole index
//	BenchmarkDecide/batch               raw bbolt db.Batch of one submission-sized put (baseline)
//	BenchmarkDecide/post                POST /verifikasi/:id/baris/:field with htmx headers: a real
//	                                    decision; reports x-of-batch, its throughput over the baseline
//
// Pages are fetched one at a time over loopback HTTP (fasthttp client) by one logged-in verifier; decisions come from
// bvClients verifiers at once (each on its own submissions, so none is refused as stale), the
// baseline from as many goroutines, both on fsynced files with MaxBatchSize 64 and 2 ms delay.
// Offices are built once per run through the store's own API (the 100,000 inbox takes a while)
// with fsync off while building; the decide office is reopened with fsync on before measuring.

import (
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
	"go.etcd.io/bbolt"

	"pupns/static"
	"pupns/store"
	"pupns/store/storetest"
)

const bvClients = 64

// bvOffice is a running office for the benchmarks: its store, server and a verifier's HTTP client.
type bvOffice struct {
	st    *store.Store
	app   interface{ Shutdown() error }
	base  string
	ids   []uint64 // the pending submissions, in sending order
	close func()
}

var (
	bvMu      sync.Mutex
	bvOffices = map[int]*bvOffice{}
	bvPerOp   = map[string]float64{} // ns per op of the last round of each measured case
)

// bvNIP makes the i-th consistent NIP: a birth date, TMT CPNS and sex that agree, sequence last.
func bvNIP(i int) (nip, born, sex, tmt string) {
	d := time.Date(1965, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i/900)
	sex = []string{"1", "2"}[i%2]
	born = d.Format("2006-01-02")
	tmt = fmt.Sprintf("%d-03-01", d.Year()+25)
	return fmt.Sprintf("%s%d03%s%03d", d.Format("20060102"), d.Year()+25, sex, 100+i%900), born, sex, tmt
}

// bvName is a distinct name for the i-th PNS, in letters only.
func bvName(i int) string {
	var b []byte
	for {
		b = append(b, byte('a'+i%26))
		i /= 26
		if i == 0 {
			break
		}
	}
	return "Pegawai " + strings.ToUpper(string(b[:1])) + string(b[1:]) + "wati"
}

// bvBuild makes an office whose SKPD U01 has n submissions waiting at Level 1, each with three
// lines (no_hp, alamat, kode_pos), and serves it. durable false keeps fsync off (read benchmarks).
func bvBuild(b *testing.B, n int, durable bool) *bvOffice {
	dir, err := os.MkdirTemp("", "pupns-bench-verify")
	if err != nil {
		b.Fatal(err)
	}
	st, err := store.Open(dir, store.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	must := func(err error) {
		if err != nil {
			b.Fatal(err)
		}
	}
	must(storetest.SeedOrg(st))
	keys := store.AllCheckKeys()
	for lo := 0; lo < n; lo += 2000 {
		var in []store.MasterInput
		for i := lo; i < min(lo+2000, n); i++ {
			nip, born, sex, tmt := bvNIP(i)
			in = append(in, store.MasterInput{Line: i, Record: store.Record{NIP: nip, InstansiID: "P33", UnitID: "U01", Fields: map[string]string{
				"nama": bvName(i), "tanggal_lahir": born, "jenis_kelamin": sex, "tmt_cpns": tmt,
				"no_hp": "081234567890", "alamat": "Jl. Pemuda No. 1, Semarang", "kode_pos": "50132"}}})
		}
		_, _, bad, err := st.PutMaster(in, "bench", "impor")
		must(err)
		if len(bad) > 0 {
			b.Fatalf("bench master refused: %v", bad)
		}
	}
	o := &bvOffice{ids: make([]uint64, n)}
	var wg sync.WaitGroup
	var failed atomic.Value
	next := atomic.Int64{}
	for range bvClients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				nip, _, _, _ := bvNIP(i)
				a := store.Actor{Login: nip, Role: store.RolePNS, NIP: nip}
				for _, u := range [][2]string{{"no_hp", fmt.Sprintf("0813%08d", i)}, {"email", fmt.Sprintf("pns%d@contoh.go.id", i)}, {"kode_pos", "50241"}} {
					if _, _, err := st.Propose(a, nip, u[0], u[1], "pindah"); err != nil {
						failed.Store(err)
						return
					}
				}
				if _, err := st.Confirm(a, nip, keys, true); err != nil {
					failed.Store(err)
					return
				}
				s, err := st.Kirim(a, nip)
				if err != nil {
					failed.Store(err)
					return
				}
				o.ids[i] = s.ID
			}
		}()
	}
	wg.Wait()
	if err, _ := failed.Load().(error); err != nil {
		b.Fatal(err)
	}
	must(st.PutUsers([]store.User{{Login: "v1", Role: store.RoleV1, Name: "Verifikator", ScopeID: "U01", Hash: store.HashPassword(pw)},
		{Login: "admin", Role: store.RoleAdmin, Name: "Admin", Hash: store.HashPassword(pw)}}))
	if durable {
		must(st.Close())
		if st, err = store.Open(dir, store.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	o.serve(b, st, dir)
	return o
}

// serve starts the office's server on a loopback port; close stops it and removes dir.
func (o *bvOffice) serve(b *testing.B, st *store.Store, dir string) {
	o.st = st
	h := New(st, Config{Static: static.FS, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	app := h.App()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go func() { _ = app.Listener(ln) }()
	o.app, o.base = app, "http://"+ln.Addr().String()
	o.close = func() { _ = app.Shutdown(); st.Close(); os.RemoveAll(dir) }
}

// bvOfficeWith returns the run's office with n pending submissions, building it on first use.
func bvOfficeWith(b *testing.B, n int, durable bool) *bvOffice {
	key := n
	if durable {
		key = -n
	}
	bvMu.Lock()
	defer bvMu.Unlock()
	if o, ok := bvOffices[key]; ok {
		return o
	}
	start := time.Now()
	o := bvBuild(b, n, durable)
	b.Logf("office with %d pending submissions built in %s", n, time.Since(start).Round(time.Millisecond))
	bvOffices[key] = o
	return o
}

// bvClient is one logged-in verifier over HTTP (a keep-alive fasthttp connection, as the peak
// benchmark's clients) with its session cookie and CSRF token.
type bvClient struct {
	hc     *fasthttp.HostClient
	base   string
	cookie string
	csrf   string
}

var bvCSRF = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

func bvLogin(b *testing.B, base, login string) *bvClient {
	c := &bvClient{base: base, hc: &fasthttp.HostClient{Addr: strings.TrimPrefix(base, "http://"), MaxConns: 1}}
	m := bvCSRF.FindStringSubmatch(c.get(b, "/masuk"))
	if m == nil {
		b.Fatal("no CSRF token on the login page")
	}
	status, body := c.do(b, "POST", "/masuk", url.Values{"_csrf": {m[1]}, "login": {login}, "password": {pw}}.Encode(), nil)
	if status != fiber.StatusSeeOther {
		b.Fatalf("login: %d\n%s", status, body)
	}
	if m = bvCSRF.FindStringSubmatch(c.get(b, "/akun/sandi")); m == nil { // a page every account may open
		b.Fatal("no CSRF token after login")
	}
	c.csrf = m[1]
	return c
}

// setCookie keeps a cookie the server set (the session, and before it the visitor's form cookie the
// login form's token is bound to), replacing one of the same name.
func (c *bvClient) setCookie(name, value string) {
	var kept []string
	for _, kv := range strings.Split(c.cookie, "; ") {
		if kv != "" && !strings.HasPrefix(kv, name+"=") {
			kept = append(kept, kv)
		}
	}
	c.cookie = strings.Join(append(kept, name+"="+value), "; ")
}

// do sends one request with the cookies the server set and keeps those the answer sets.
func (c *bvClient) do(b *testing.B, method, path, form string, header map[string]string) (int, []byte) {
	req, res := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(res)
	req.SetRequestURI(c.base + path)
	req.Header.SetMethod(method)
	if form != "" {
		req.Header.SetContentType("application/x-www-form-urlencoded")
		req.SetBodyString(form)
	}
	if c.cookie != "" {
		req.Header.Set("Cookie", c.cookie)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	if err := c.hc.Do(req, res); err != nil {
		b.Fatal(err)
	}
	res.Header.VisitAllCookie(func(_, v []byte) {
		ck := fasthttp.AcquireCookie()
		defer fasthttp.ReleaseCookie(ck)
		if ck.ParseBytes(v) == nil {
			c.setCookie(string(ck.Key()), string(ck.Value()))
		}
	})
	return res.StatusCode(), append([]byte(nil), res.Body()...)
}

func (c *bvClient) get(b *testing.B, path string) string {
	status, body := c.do(b, "GET", path, "", nil)
	if status != 200 {
		b.Fatalf("GET %s: %d", path, status)
	}
	return string(body)
}

// bvRecord keeps a case's ns/op (every round overwrites it; the last round is the one reported).
func bvRecord(name string, b *testing.B, elapsed time.Duration) float64 {
	per := float64(elapsed.Nanoseconds()) / float64(b.N)
	bvMu.Lock()
	bvPerOp[name] = per
	bvMu.Unlock()
	return per
}

func bvGet(name string) float64 {
	bvMu.Lock()
	defer bvMu.Unlock()
	return bvPerOp[name]
}

// BenchmarkMonitorPage measures the admin's monitoring page (/ringkasan: counters, units, the
// charts' daily series, the oldest waiting per level, the verifiers) in an office of 2,000 PNS and
// of 100,000, every one of them sent; it reports the page's p99 and, at 100,000, its cost over the
// 2,000 case (x-of-2000: 1.0 = no growth with the office).
func BenchmarkMonitorPage(b *testing.B) {
	for _, n := range []int{2000, 100_000} {
		name := fmt.Sprintf("pns=%d", n)
		b.Run(name, func(b *testing.B) {
			o := bvOfficeWith(b, n, false)
			c := bvLogin(b, o.base, "admin")
			if body := c.get(b, "/ringkasan"); !strings.Contains(body, fmt.Sprintf(`id="jumlah-pns">%s PNS`, fmtCount(n))) {
				b.Fatalf("/ringkasan does not count %d PNS", n)
			}
			lat := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			start := time.Now()
			for range b.N {
				t0 := time.Now()
				c.get(b, "/ringkasan")
				lat = append(lat, time.Since(t0))
			}
			per := bvRecord("monitor "+name, b, time.Since(start))
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
			if base := bvGet("monitor pns=2000"); n == 100_000 && base > 0 {
				b.ReportMetric(per/base, "x-of-2000")
			}
		})
	}
}

// BenchmarkInboxPage measures the first page of the inbox at 1,000 and at 100,000 pending.
func BenchmarkInboxPage(b *testing.B) {
	page := func(name string, n int, path, want string) {
		b.Run(name, func(b *testing.B) {
			o := bvOfficeWith(b, n, false)
			c := bvLogin(b, o.base, "v1")
			if body := c.get(b, path); !strings.Contains(body, want) {
				b.Fatalf("%s does not show %q", path, want)
			}
			b.ResetTimer()
			start := time.Now()
			for range b.N {
				c.get(b, path)
			}
			per := bvRecord(name, b, time.Since(start))
			if base := bvGet("pending=1000"); n == 100_000 && base > 0 {
				b.ReportMetric(per/base, "x-of-1000")
			}
		})
	}
	page("pending=1000", 1000, "/verifikasi", `id="jumlah-masuk" sse-swap="jumlah">1000<`)
	page("pending=100000", 100_000, "/verifikasi", `id="jumlah-masuk" sse-swap="jumlah">100000<`)
	page("search=100000", 100_000, "/verifikasi?cari=tidak+ada+nama+begini", "Tidak ada usulan yang cocok")
	bvMu.Lock()
	defer bvMu.Unlock()
	for k, o := range bvOffices {
		if k > 0 {
			o.close()
			delete(bvOffices, k)
		}
	}
}

var bvRev = regexp.MustCompile(`name="rev_halaman" value="(\d+)"`)

// BenchmarkDecide compares a decision POST with a raw bbolt Batch put, both from bvClients at once.
func BenchmarkDecide(b *testing.B) {
	b.Run("batch", func(b *testing.B) {
		dir, err := os.MkdirTemp("", "pupns-bench-batch")
		if err != nil {
			b.Fatal(err)
		}
		defer os.RemoveAll(dir)
		db, err := bbolt.Open(dir+"/batch.db", 0o600, nil)
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		db.MaxBatchSize, db.MaxBatchDelay = 64, 2*time.Millisecond
		if err := db.Update(func(tx *bbolt.Tx) error { _, err := tx.CreateBucket([]byte("b")); return err }); err != nil {
			b.Fatal(err)
		}
		val := []byte(strings.Repeat("x", 1500)) // about a three-line submission with its decisions
		var seq atomic.Uint64
		b.ResetTimer()
		start := time.Now()
		err = bvParallel(b.N, func(int) error {
			k := seq.Add(1)
			return db.Batch(func(tx *bbolt.Tx) error {
				return tx.Bucket([]byte("b")).Put(fmt.Appendf(nil, "%016d", k%4096), val)
			})
		})
		bvRecord("batch", b, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
	})
	b.Run("post", func(b *testing.B) {
		o := bvOfficeWith(b, 4096, true)
		clients := make([]*bvClient, bvClients)
		for i := range clients {
			clients[i] = bvLogin(b, o.base, "v1")
		}
		lines := []string{"no_hp", "email", "kode_pos"}
		// Client i decides the submissions i, i+bvClients, …, line after line, then again (a verifier
		// changing a decision is a decision too); it tracks each one's revision from the answers.
		type slot struct{ next int }
		slots := make([]slot, bvClients)
		// Each submission's revision as the verifier's page would show it, read before the clock starts.
		revs := make([]int, len(o.ids))
		v1 := store.Actor{Login: "v1", Role: store.RoleV1, ScopeID: "U01"}
		for i, id := range o.ids {
			sub, err := o.st.Submission(v1, id)
			if err != nil {
				b.Fatal(err)
			}
			revs[i] = sub.Rev
		}
		perWorker := len(o.ids) / bvClients
		b.ResetTimer()
		start := time.Now()
		err := bvParallel(b.N, func(worker int) error {
			c, s := clients[worker], &slots[worker]
			idx := worker + (s.next/len(lines))%perWorker*bvClients
			field := lines[s.next%len(lines)]
			s.next++
			id := o.ids[idx]
			rev := fmt.Sprint(revs[idx])
			status, body := c.do(b, "POST", fmt.Sprintf("/verifikasi/%d/baris/%s", id, field),
				url.Values{"putusan": {"setuju"}, "rev": {rev}, "rev_halaman": {rev}}.Encode(),
				map[string]string{"HX-Request": "true", "HX-Target": "line-" + field, "X-CSRF-Token": c.csrf})
			if status != 200 {
				return fmt.Errorf("decide #%d %s: %d %s", id, field, status, body)
			}
			m := bvRev.FindSubmatch(body)
			if m == nil {
				return fmt.Errorf("no new revision in the answer for #%d", id)
			}
			fmt.Sscan(string(m[1]), &revs[idx])
			return nil
		})
		per := bvRecord("post", b, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
		if base := bvGet("batch"); base > 0 {
			b.ReportMetric(base/per, "x-of-batch")
		}
	})
}

// bvParallel runs n calls of op over bvClients workers (each worker's calls one after another) and
// returns the first error, after which the workers stop.
func bvParallel(n int, op func(worker int) error) error {
	var wg sync.WaitGroup
	var first atomic.Value
	for w := range bvClients {
		count := n / bvClients
		if w < n%bvClients {
			count++
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range count {
				if first.Load() != nil {
					return
				}
				if err := op(w); err != nil {
					first.CompareAndSwap(nil, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	err, _ := first.Load().(error)
	return err
}
