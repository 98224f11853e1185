package handlers

import (
	"bufio"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"pupns/handlers/export"
	"pupns/static"
	"pupns/store"
	"pupns/store/demo"
	"pupns/store/storetest"
)

// The export of a large office: 100,000 PNS of the demo (built once per run, then the store is
// reopened as a starting server would), served on a loopback port. For each format the benchmark
// runs one export job as the page does and reports its time and the memory it added: the peak RSS
// (VmHWM, reset through /proc/self/clear_refs just before) above the RSS before (measured after
// debug.FreeOSMemory, so it is the memory in use), and the peak Go heap in use (sampled every
// 50 ms) above the heap before. Then the record page (GET /data as a PNS, every tab in turn) is loaded
// from expClients clients, first alone, then while a CSV export runs: the p99 of each, and their
// ratio. PUPNS_BENCH_EXPORT_PNS changes the office's size.

const (
	expClients      = 16
	targetExportMB  = 50.0
	expDefaultPNS   = 100_000
	expLoadDuration = 5 * time.Second
)

type expOffice struct {
	h      *Handler
	st     *store.Store
	base   string
	client *http.Client
	pns    int
}

var (
	expOnce sync.Once
	expOff  *expOffice
)

// openExpOffice builds the office once per run: the demo, the app on a port, a PNS logged in.
func openExpOffice(b *testing.B) *expOffice {
	expOnce.Do(func() {
		n := expDefaultPNS
		if v, err := strconv.Atoi(os.Getenv("PUPNS_BENCH_EXPORT_PNS")); err == nil && v > 0 {
			n = v
		}
		dir, err := os.MkdirTemp("", "pupns-bench-export-")
		if err != nil {
			b.Fatal(err)
		}
		st, err := store.Open(dir, store.Options{NoSync: true, Now: storetest.NewClock(storetest.Start, 0).Now})
		if err != nil {
			b.Fatal(err)
		}
		t0 := time.Now()
		res, err := demo.Generate(st, demo.Options{PNS: n})
		if err != nil {
			b.Fatal(err)
		}
		fmt.Printf("export bench: demo office of %d PNS built in %s\n", n, time.Since(t0).Round(time.Second))
		// Measure a server as it starts: the store opened afresh, the builder's garbage returned.
		if err := st.Close(); err != nil {
			b.Fatal(err)
		}
		if st, err = store.Open(dir, store.Options{NoSync: true, Now: storetest.NewClock(storetest.Start, 0).Now}); err != nil {
			b.Fatal(err)
		}
		debug.FreeOSMemory()
		h := New(st, Config{Static: static.FS, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
		app := h.App()
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		go app.Listener(ln)
		base := "http://" + ln.Addr().String()
		jar, _ := cookiejar.New(nil)
		client := &http.Client{Jar: jar, Transport: &http.Transport{MaxIdleConnsPerHost: expClients, MaxConnsPerHost: expClients},
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		s := res.SamplePNS[0]
		loginForBench(b, client, base, s.NIP, s.Password)
		expOff = &expOffice{h: h, st: st, base: base, client: client, pns: n}
	})
	if expOff == nil {
		b.Fatal("the export office was not built")
	}
	return expOff
}

// procStatus reads a kB figure (VmRSS, VmHWM) of /proc/self/status, in bytes.
func procStatus(key string) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), key+":"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// exportMemory is what one export added over what was in use before: the peak of the whole RSS
// (VmHWM), of its anonymous part (RssAnon: the heap, stacks, buffers: what the export allocates)
// and of its file-backed part (RssFile: the pages of the data file bbolt maps, which a read of
// every record brings in from the page cache; shared with the system and dropped under memory
// pressure), and of the Go heap in use; and how long it took.
type exportMemory struct {
	rssAdded, anonAdded, fileAdded, heapAdded int64
	took                                      time.Duration
	rows                                      int
	size                                      int64
}

// memPeaks samples the anonymous and file-backed RSS and the heap in use every 50 ms until stop.
type memPeaks struct{ anon, file, heap atomic.Int64 }

func (p *memPeaks) sample(stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	raise := func(v *atomic.Int64, n int64) {
		if n > v.Load() {
			v.Store(n)
		}
	}
	for {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		raise(&p.heap, int64(m.HeapInuse))
		raise(&p.anon, procStatus("RssAnon"))
		raise(&p.file, procStatus("RssFile"))
		select {
		case <-stop:
			return
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// runExportJob runs one export job as the page does and measures it.
func (o *expOffice) runExportJob(b *testing.B, format string) exportMemory {
	debug.FreeOSMemory() // a GC, and the free pages back to the system: RSS is what is in use
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	heapBefore, rssBefore := int64(ms.HeapInuse), procStatus("VmRSS")
	anonBefore, fileBefore := procStatus("RssAnon"), procStatus("RssFile")
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) // resets VmHWM to the current RSS
	var peaks memPeaks
	stop, sampled := make(chan struct{}), make(chan struct{})
	go peaks.sample(stop, sampled)
	t0 := time.Now()
	j, err := o.h.exports.start(o.st, o.h.log, store.SystemActor, store.ExportRequest{Kind: store.ExportRecords}, format)
	if err != nil {
		b.Fatal(err)
	}
	s := j.wait()
	took := time.Since(t0)
	close(stop)
	<-sampled
	if s.err != nil {
		b.Fatal(s.err)
	}
	os.Remove(j.path)
	return exportMemory{rssAdded: procStatus("VmHWM") - rssBefore, anonAdded: peaks.anon.Load() - anonBefore,
		fileAdded: peaks.file.Load() - fileBefore, heapAdded: peaks.heap.Load() - heapBefore, took: took, rows: s.rows, size: s.size}
}

// pageLoad loads the record page (every tab in turn) from expClients clients until stop is
// closed (or, when stop is nil, for expLoadDuration) and returns the sorted latencies.
func (o *expOffice) pageLoad(b *testing.B, stop <-chan struct{}) []time.Duration {
	var tabs []string
	for _, t := range store.Tabs {
		if t.Only == "" {
			tabs = append(tabs, "/data?tab="+t.Key)
		}
	}
	deadline := time.Now().Add(expLoadDuration)
	done := func() bool {
		if stop == nil {
			return time.Now().After(deadline)
		}
		select {
		case <-stop:
			return true
		default:
			return false
		}
	}
	lat := make([][]time.Duration, expClients)
	var failed atomic.Value
	var wg sync.WaitGroup
	for c := range expClients {
		wg.Go(func() {
			for i := c; !done(); i++ {
				t0 := time.Now()
				res, err := o.client.Get(o.base + tabs[i%len(tabs)])
				if err != nil {
					failed.Store(err.Error())
					return
				}
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusOK {
					failed.Store(fmt.Sprintf("%s: %d", tabs[i%len(tabs)], res.StatusCode))
					return
				}
				lat[c] = append(lat[c], time.Since(t0))
			}
		})
	}
	wg.Wait()
	if f := failed.Load(); f != nil {
		b.Fatalf("record page: %v", f)
	}
	all := slices.Concat(lat...)
	slices.Sort(all)
	return all
}

func p99(lat []time.Duration) time.Duration {
	if len(lat) == 0 {
		return 0
	}
	return lat[min(len(lat)-1, len(lat)*99/100)]
}

func mb(n int64) float64 { return float64(n) / (1 << 20) }

// BenchmarkExport: the records export of 100,000 PNS in each format (time, memory added), and
// the record page's p99 alone and during a CSV export. One round each: b.N is not used.
func BenchmarkExport(b *testing.B) {
	o := openExpOffice(b)
	verdict := func(ok bool) string {
		if ok {
			return "ok"
		}
		return "MISSED"
	}
	for _, format := range []string{export.CSV, export.XLSX, export.JSONL} {
		b.Run("records_"+format, func(b *testing.B) {
			m := o.runExportJob(b, format)
			b.ReportMetric(m.took.Seconds(), "export-s")
			b.ReportMetric(mb(m.anonAdded), "anon-rss-added-MB")
			b.ReportMetric(mb(m.rssAdded), "rss-added-MB")
			b.ReportMetric(mb(m.heapAdded), "heap-added-MB")
			fmt.Printf("export bench: %-5s %d PNS, %d rows, %.1f MiB file in %.1f s; RSS added %.1f MiB = anonymous %.1f MiB (target <= %.0f MB: %s) + data file mapped %.1f MiB; Go heap in use added %.1f MiB\n",
				format, o.pns, m.rows, mb(m.size), m.took.Seconds(), mb(m.rssAdded), mb(m.anonAdded), targetExportMB,
				verdict(mb(m.anonAdded) <= targetExportMB), mb(m.fileAdded), mb(m.heapAdded))
		})
	}
	b.Run("record_page_p99", func(b *testing.B) {
		alone := o.pageLoad(b, nil)
		stop := make(chan struct{})
		var during []time.Duration
		var wg sync.WaitGroup
		wg.Go(func() { during = o.pageLoad(b, stop) })
		m := o.runExportJob(b, export.CSV)
		close(stop)
		wg.Wait()
		ratio := float64(p99(during)) / float64(p99(alone))
		b.ReportMetric(float64(p99(alone))/1e6, "p99-alone-ms")
		b.ReportMetric(float64(p99(during))/1e6, "p99-export-ms")
		fmt.Printf("export bench: record page, %d clients: p99 %.1f ms alone (%d requests), %.1f ms during a CSV export of %.1f s (%d requests): ratio %.2f\n",
			expClients, float64(p99(alone))/1e6, len(alone), float64(p99(during))/1e6, m.took.Seconds(), len(during), ratio)
	})
}
