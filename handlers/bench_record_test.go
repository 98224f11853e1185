package handlers

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"pupns/static"
	"pupns/store"
	"pupns/store/storetest"
)

// The full record page under load: a teacher with long histories and several documents opens
// every tab of the form in turn, from 64 clients at once, over real loopback connections. Each
// run also measures bare Fiber (a plaintext answer) the same way, and prints the ratio and the
// p99. It runs with no documents of other PNS in the store and with many, to show that the record
// page does not slow down as documents pile up (their bytes live in document_blobs, which the
// page never reads).

const recClients = 64

// recOffice is a served office for the benchmark: the app on a loopback port and a logged-in
// client for the teacher.
type recOffice struct {
	app    *fiber.App
	base   string
	client *http.Client
	stop   func()
}

var recOffices sync.Map // other-documents count → *recOffice

const nipGuru = "198001012005011001" // born 1980-01-01, TMT CPNS 2005-01, male

func benchDoc(size int) []byte {
	b := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("0123456789abcdef"), size/16)...)
	return append(b, "\n%%EOF\n"...)
}

// guruRecord is a teacher with long histories: golongan from I/a to IV/e, twelve schools and
// courses, fifteen posts, diklat, a spouse and four children.
func guruRecord() store.Record {
	r := store.Record{NIP: nipGuru, InstansiID: "P33", UnitID: "U01", Fields: map[string]string{
		"nama": "Guruh Prasetyo", "tempat_lahir": "Semarang", "tanggal_lahir": "1980-01-01", "jenis_kelamin": "1", "agama": "1",
		"status_kawin": "1", "nik": "3374010101800001", "alamat": "Jl. Pemuda No. 1, Semarang", "kode_pos": "50132",
		"no_hp": "081234567890", "email": "guruh@contoh.go.id", "tmt_cpns": "2005-01-01", "tmt_pns": "2006-01-01",
		"kedudukan_hukum": "01", "jenis_pegawai": "10", "nuptk": "1234567890123456", "mata_pelajaran": "Matematika",
		"jenjang_sekolah": "3", "nama_sekolah": "SMA Negeri 1 Semarang", "taperum": "2", "kepemilikan_rumah": "1",
	}, Riwayat: map[string][]store.Row{}}
	for i, g := range store.Golongan {
		r.Riwayat["golongan"] = append(r.Riwayat["golongan"], store.Row{ID: fmt.Sprintf("g%d", i+1), Fields: map[string]string{
			"golongan": g.Code, "tmt_golongan": fmt.Sprintf("%d-04-01", 1990+i), "jenis_kp": "101", "nomor_sk": fmt.Sprintf("823.3/%d/%d", 100+i, 1990+i)}})
	}
	for i := range 12 {
		r.Riwayat["pendidikan"] = append(r.Riwayat["pendidikan"], store.Row{ID: fmt.Sprintf("p%d", i+1), Fields: map[string]string{
			"tingkat": store.TingkatPendidikan[i].Code, "nama_sekolah": fmt.Sprintf("Sekolah %d Semarang", i+1), "tahun_lulus": fmt.Sprint(1986 + i*2)}})
	}
	for i := range 15 {
		r.Riwayat["jabatan"] = append(r.Riwayat["jabatan"], store.Row{ID: fmt.Sprintf("j%d", i+1), Fields: map[string]string{
			"jenis_jabatan": "2", "nama_jabatan": "Guru Ahli Muda", "tmt_jabatan": fmt.Sprintf("%d-01-01", 2005+i), "unit_organisasi": "SMA Negeri 1 Semarang"}})
	}
	for i := range 8 {
		r.Riwayat["diklat_fungsional"] = append(r.Riwayat["diklat_fungsional"], store.Row{ID: fmt.Sprintf("d%d", i+1), Fields: map[string]string{
			"nama_diklat": "Diklat Kurikulum", "tahun": fmt.Sprint(2006 + i), "jumlah_jam": "40"}})
	}
	r.Riwayat["pasangan"] = []store.Row{{ID: "p1", Fields: map[string]string{"nama": "Ani", "nik": "3374015503820001", "tanggal_lahir": "1982-03-15", "tanggal_menikah": "2006-06-10", "status": "1"}}}
	for i := range 4 {
		r.Riwayat["anak"] = append(r.Riwayat["anak"], store.Row{ID: fmt.Sprintf("a%d", i+1), Fields: map[string]string{
			"nama": "Anak", "jenis_kelamin": "1", "tanggal_lahir": fmt.Sprintf("%d-05-05", 2007+2*i), "jenis_anak": "1", "status_hidup": "1", "sekolah": "1", "tunjangan": "1"}})
	}
	return r
}

// openRecOffice builds (once per count) the office: the teacher with proposals and documents
// on them, and `others` documents of other PNS in the store.
func openRecOffice(b *testing.B, others int) *recOffice {
	if o, ok := recOffices.Load(others); ok {
		return o.(*recOffice)
	}
	dir, err := os.MkdirTemp("", "pupns-bench-")
	if err != nil {
		b.Fatal(err)
	}
	// The other PNS carry 25 documents each (5,000 on 200 PNS), past the default caps: the caps are
	// not what this measures, the documents' weight in the file is.
	roomy := store.DocLimits{PerProposal: 100, PerProposalBytes: 1 << 30, PerPNS: 100, PerPNSBytes: 1 << 30}
	st, err := store.Open(dir, store.Options{NoSync: true, Now: storetest.NewClock(storetest.Start, 0).Now, DocLimits: roomy})
	if err != nil {
		b.Fatal(err)
	}
	must := func(err error) {
		if err != nil {
			b.Fatal(err)
		}
	}
	must(storetest.SeedOrg(st))
	masters := []store.MasterInput{{Record: guruRecord()}}
	const otherPNS = 200
	for i := range otherPNS {
		nip := fmt.Sprintf("19850101201001%d%03d", 1, i+2)
		rec := guruRecord()
		rec.NIP, rec.Fields["nik"] = nip, fmt.Sprintf("337401010185%04d", i+2)
		rec.Fields["tanggal_lahir"], rec.Fields["tmt_cpns"], rec.Fields["tmt_pns"] = "1985-01-01", "2010-01-01", "2011-01-01"
		masters = append(masters, store.MasterInput{Record: rec})
	}
	_, _, bad, err := st.PutMaster(masters, "bench", "bench")
	must(err)
	if len(bad) > 0 {
		b.Fatalf("bench master data: %v", bad)
	}
	users := []store.User{{Login: nipGuru, Role: store.RolePNS, Name: "Guruh", NIP: nipGuru, Hash: store.HashPassword(pw)}}
	must(st.PutUsers(users))

	guru := store.Actor{Login: nipGuru, Role: store.RolePNS, NIP: nipGuru}
	for key, v := range map[string]string{"nama": "Guruh Prasetya", "npwp": "123456789012345", "nuptk": "1234567890123457"} {
		_, _, err := st.Propose(guru, nipGuru, key, v, "sesuai dokumen")
		must(err)
	}
	e, _, err := st.ProposeRow(guru, nipGuru, "pendidikan", "", store.OpTambah, map[string]string{"tingkat": "45", "nama_sekolah": "Universitas Negeri Semarang", "tahun_lulus": "2012"}, "lulus S-2")
	must(err)
	for _, d := range []struct{ key, kind string }{{"nama", "SK CPNS"}, {"nama", "Ijazah"}, {"nama", "Akta Kelahiran"}, {"npwp", "Kartu NPWP"}, {"nuptk", "Kartu NUPTK"}, {e.Field, "Ijazah"}, {e.Field, "Transkrip Nilai"}} {
		_, _, err := st.AddDocument(guru, nipGuru, d.key, d.kind, d.kind+".pdf", bytes.NewReader(benchDoc(300<<10)))
		must(err)
	}
	// Documents of other PNS: each proposes a new NPWP and attaches scanned cards to it.
	doc := benchDoc(64 << 10)
	for i := 0; i < others; i++ {
		nip := masters[1+i%otherPNS].Record.NIP
		a := store.Actor{Login: nip, Role: store.RolePNS, NIP: nip}
		if i < otherPNS {
			_, _, err := st.Propose(a, nip, "npwp", "123456789012345", "kartu baru")
			must(err)
		}
		_, _, err := st.AddDocument(a, nip, "npwp", "Kartu NPWP", "npwp.pdf", bytes.NewReader(doc))
		must(err)
	}

	h := New(st, Config{Static: static.FS, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	app := h.App()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(err)
	go app.Listener(ln)
	base := "http://" + ln.Addr().String()
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Transport: &http.Transport{MaxIdleConnsPerHost: recClients, MaxConnsPerHost: recClients},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	loginForBench(b, client, base, nipGuru, pw)
	o := &recOffice{app: app, base: base, client: client, stop: func() { app.Shutdown(); st.Close(); os.RemoveAll(dir) }}
	recOffices.Store(others, o)
	return o
}

// loginForBench logs an account in as a browser does: the login page's token, then the form.
func loginForBench(b *testing.B, c *http.Client, base, login, password string) {
	res, err := c.Get(base + "/masuk")
	if err != nil {
		b.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := csrfRe.FindSubmatch(page)
	if m == nil {
		b.Fatal("no CSRF token on the login page")
	}
	res, err = c.PostForm(base+"/masuk", url.Values{"_csrf": {string(m[1])}, "login": {login}, "password": {password}})
	if err != nil {
		b.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/data" {
		b.Fatalf("bench login: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
}

// load sends n GET requests from recClients goroutines, each path in turn, and returns the
// throughput and the 99th percentile latency. Every answer must be 200 and contain want.
func load(b *testing.B, c *http.Client, base string, paths []string, n int, want string) (perSec float64, p99 time.Duration) {
	var next atomic.Int64
	lat := make([]time.Duration, n)
	var wg sync.WaitGroup
	var failed atomic.Value
	start := time.Now()
	for range recClients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				t0 := time.Now()
				res, err := c.Get(base + paths[i%len(paths)])
				if err != nil {
					failed.Store(err.Error())
					return
				}
				body, _ := io.ReadAll(res.Body)
				res.Body.Close()
				lat[i] = time.Since(t0)
				if res.StatusCode != 200 || !bytes.Contains(body, []byte(want)) {
					failed.Store(fmt.Sprintf("%s: %d", paths[i%len(paths)], res.StatusCode))
					return
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if f := failed.Load(); f != nil {
		b.Fatalf("load: %v", f)
	}
	slices.Sort(lat)
	return float64(n) / elapsed.Seconds(), lat[min(n-1, n*99/100)]
}

var bareOnce sync.Once
var bareBase string
var bareClient = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: recClients, MaxConnsPerHost: recClients}}

// bareFiber is the baseline: Fiber answering a constant plaintext, nothing else.
func bareFiber(b *testing.B) string {
	bareOnce.Do(func() {
		app := fiber.New(fiber.Config{DisableStartupMessage: true})
		app.Get("/", func(c *fiber.Ctx) error { return c.SendString("Hello, World!") })
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		go app.Listener(ln)
		bareBase = "http://" + ln.Addr().String()
	})
	return bareBase
}

// BenchmarkRecordPage: the full record page (every tab in turn) of a teacher with long histories
// and seven documents, at 64 clients, with 0 and 5,000 documents of other PNS (320 MiB of
// blobs) in the store. It prints the throughput as a ratio of bare Fiber's, measured in the same
// run, and the p99 of each.
func BenchmarkRecordPage(b *testing.B) {
	var tabs []string
	for _, t := range store.Tabs {
		if t.Only != "dokter" {
			tabs = append(tabs, "/data?tab="+t.Key)
		}
	}
	results := map[int]float64{}
	for _, others := range []int{0, 5000} {
		b.Run(fmt.Sprintf("other_docs=%d", others), func(b *testing.B) {
			o := openRecOffice(b, others)
			bare := bareFiber(b)
			n := max(b.N, 2*recClients)
			load(b, o.client, o.base, tabs, recClients*4, "data-field") // warm up connections
			load(b, bareClient, bare, []string{"/"}, recClients*4, "Hello")
			b.ResetTimer()
			rps, p99 := load(b, o.client, o.base, tabs, n, `data-field`)
			b.StopTimer()
			bareRPS, bareP99 := load(b, bareClient, bare, []string{"/"}, n, "Hello")
			b.ReportMetric(rps, "req/s")
			b.ReportMetric(float64(p99.Microseconds())/1000, "p99_ms")
			b.ReportMetric(rps/bareRPS, "ratio_to_bare")
			results[others] = rps
			fmt.Printf("record page, %d other documents: %.0f req/s, p99 %s; bare Fiber %.0f req/s, p99 %s; ratio %.3f (b.N=%d)\n",
				others, rps, p99.Round(10*time.Microsecond), bareRPS, bareP99.Round(10*time.Microsecond), rps/bareRPS, b.N)
		})
	}
	// The two offices side by side, in alternating rounds so that whatever else the machine does
	// falls on both alike: the median of the per-round ratios.
	if len(results) == 2 {
		empty, full := openRecOffice(b, 0), openRecOffice(b, 5000)
		var ratios []float64
		var p99s [2][]time.Duration
		for range 7 {
			r0, q0 := load(b, empty.client, empty.base, tabs, 3000, "data-field")
			r1, q1 := load(b, full.client, full.base, tabs, 3000, "data-field")
			ratios = append(ratios, r1/r0)
			p99s[0], p99s[1] = append(p99s[0], q0), append(p99s[1], q1)
		}
		slices.Sort(ratios)
		slices.Sort(p99s[0])
		slices.Sort(p99s[1])
		fmt.Printf("record page, 5000 other documents vs none, alternating rounds: throughput ratio %.2f (median of 7; 1.00 = no slowdown), median p99 %s vs %s\n",
			ratios[3], p99s[1][3].Round(10*time.Microsecond), p99s[0][3].Round(10*time.Microsecond))
	}
	recOffices.Range(func(k, v any) bool { v.(*recOffice).stop(); recOffices.Delete(k); return true })
}

// BenchmarkRecordPageInProcess: the same page (every tab in turn) served in process, without the
// network, one request at a time. Its allocations per page do not depend on how busy the machine
// is, so they show plainly that 5,000 documents of other PNS add no work to a record page.
func BenchmarkRecordPageInProcess(b *testing.B) {
	var tabs []string
	for _, t := range store.Tabs {
		if t.Only != "dokter" {
			tabs = append(tabs, "/data?tab="+t.Key)
		}
	}
	for _, others := range []int{0, 5000} {
		b.Run(fmt.Sprintf("other_docs=%d", others), func(b *testing.B) {
			o := openRecOffice(b, others)
			u, _ := url.Parse(o.base)
			var cookie string
			for _, c := range o.client.Jar.Cookies(u) {
				if c.Name == "pupns_sesi" {
					cookie = c.Value
				}
			}
			serve := o.app.Handler()
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				var ctx fasthttp.RequestCtx
				ctx.Request.SetRequestURI(tabs[i%len(tabs)])
				ctx.Request.Header.SetCookie("pupns_sesi", cookie)
				serve(&ctx)
				if ctx.Response.StatusCode() != 200 {
					b.Fatalf("%s: %d", tabs[i%len(tabs)], ctx.Response.StatusCode())
				}
			}
		})
	}
	recOffices.Range(func(k, v any) bool { v.(*recOffice).stop(); recOffices.Delete(k); return true })
}
