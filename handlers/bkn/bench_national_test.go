package bkn_test

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.etcd.io/bbolt"

	"pupns/handlers/bkn"
	"pupns/store"
	"pupns/store/storetest"
)

// BenchmarkNational is the national deadline week through one hub (README › Scale): a real Kanreg
// hub (embedded NATS server with JetStream on a temp dir, its bbolt store, its consumers as serve
// --role kanreg runs them) and PUPNS_NATIONAL_OFFICES (600) simulated offices, each its own NKey
// connection, sending three-line submissions (every 10th with a new 32 KiB document first) at a
// fixed aggregate rate: 540/s (the 2015 national peak) and 5,400/s (×10), open loop, for
// PUPNS_NATIONAL_SECONDS (30) each. The baseline, in the same run, is the hub receiving one message
// per transaction (the path before batching). Run it with -benchtime 1x (make bench-national).
func BenchmarkNational(b *testing.B) {
	secs := envInt("PUPNS_NATIONAL_SECONDS", 30)
	n := envInt("PUPNS_NATIONAL_OFFICES", 600)
	t := newTemplate(b)
	plain, _, _ := t.render("Q0001", 123456, nil)
	withDoc, _, _ := t.render("Q0001", 123456, makeDoc("Q0001", 1, 32<<10))
	fmt.Printf("NATIONAL a three-line lines message: %d B, %d B with its document's ref (the document itself 32 KiB, every 10th)\n", len(plain), len(withDoc))
	res := map[string]nationalResult{}
	for _, rate := range []int{540, 5400} {
		for _, perMsg := range []bool{true, false} {
			name := fmt.Sprintf("rate=%d/%s", rate, map[bool]string{true: "per-message", false: "batched"}[perMsg])
			b.Run(name, func(b *testing.B) {
				r := runNational(b, t, nationalCase{offices: n, rate: float64(rate), d: time.Duration(secs) * time.Second,
					perMessage: perMsg, docEach: 10, docSize: 32 << 10})
				r.report(b)
				res[name] = r
			})
		}
	}
	for _, rate := range []int{540, 5400} {
		base, bat := res[fmt.Sprintf("rate=%d/per-message", rate)], res[fmt.Sprintf("rate=%d/batched", rate)]
		if base.committed == 0 || bat.committed == 0 {
			continue
		}
		fmt.Printf("NATIONAL rate %d/s: batched ÷ per-message: throughput %.2f, p50 %.3f, p99 %.3f, commits/s %.3f, CPU %.2f\n",
			rate, bat.throughput/base.throughput, ratio(bat.p50, base.p50), ratio(bat.p99, base.p99),
			bat.commitsPerS/base.commitsPerS, bat.cores/base.cores)
	}
}

func ratio(a, b time.Duration) float64 { return float64(a) / float64(b) }

func envInt(key string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(key)); err == nil && v > 0 {
		return v
	}
	return def
}

type nationalCase struct {
	offices          int
	rate             float64
	d                time.Duration
	perMessage       bool
	docEach, docSize int
}

type nationalResult struct {
	sent, committed, failed       int64
	throughput, commitsPerS       float64
	p50, p99, max                 time.Duration
	rss0, rss1, hwm, anon1, file1 int64 // bytes
	boltPerMsg, streamPerMsg      float64
	wirePerMsg, cores             float64
	load0, load1                  string
	linesCommits, docsCommits     int
	elapsed                       time.Duration
}

// recorder receives the hub's commits (bkn.SetCommitHook): each message's latency from its
// scheduled send to the commit that holds it, counted once.
type recorder struct {
	mu      sync.Mutex
	sched   []int64
	seen    []bool
	lats    []time.Duration
	commits map[string]int
	last    time.Time
}

func (r *recorder) hook(kind string, ids []string) {
	now := time.Now()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.commits[kind]++
	for _, id := range ids {
		parts := strings.Split(id, "/")
		k, err := strconv.Atoi(parts[1])
		if err != nil || k >= len(r.seen) || r.seen[k] {
			continue
		}
		r.seen[k] = true
		r.lats = append(r.lats, now.Sub(time.Unix(0, r.schedAt(k))))
		r.last = now
	}
}

func (r *recorder) schedAt(k int) int64 { return loadInt64(&r.sched[k]) }

// runNational runs one case on a fresh hub and measures it.
func runNational(b *testing.B, t tmpl, c nationalCase) nationalResult {
	dir := b.TempDir()
	ids := make([]string, c.offices)
	for i := range ids {
		ids[i] = fmt.Sprintf("Q%04d", i+1)
	}
	hub := storetest.Open(b, filepath.Join(dir, "hub"), nil)
	jsDir := filepath.Join(dir, "jetstream")
	srv, keys, self := benchServer(b, jsDir, ids)
	defer func() { srv.Shutdown(); srv.WaitForShutdown() }()
	selfPub, _ := self.PublicKey()
	nc, err := nats.Connect("", nats.InProcessServer(srv), nats.Nkey(selfPub, self.Sign))
	okB(b, err)
	defer nc.Close()
	js, err := jetstream.New(nc)
	okB(b, err)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	okB(b, bkn.SetupHub(ctx, js, bkn.StreamsConfig{}, ids))
	total := int(c.rate * c.d.Seconds())
	rec := &recorder{sched: make([]int64, total), seen: make([]bool, total), commits: map[string]int{}}
	defer bkn.SetPerMessage(c.perMessage)()
	defer bkn.SetCommitHook(rec.hook)()
	stop, err := bkn.Run(hub, js, bkn.Config{Role: store.BKNRoleKanreg, Kanreg: "I", Offices: ids, Poll: 50 * time.Millisecond,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	okB(b, err)
	defer stop()
	waitPulling(b, ctx, js)

	l := &load{t: t, sched: rec.sched, docEach: c.docEach, docSize: c.docSize}
	offices := make([]*office, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		offices[i] = dialOffice(b, srv.ClientURL(), id, keys[id])
		defer offices[i].nc.Close()
		wg.Add(1)
		go l.run(ctx, offices[i], &wg)
	}
	m0 := measure(hub, jsDir)
	t0 := l.schedule(offices, c.rate, c.d)
	for _, o := range offices {
		close(o.jobs)
	}
	wg.Wait()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		rec.mu.Lock()
		done := int64(len(rec.lats)) >= l.sent.Load()
		rec.mu.Unlock()
		if done {
			break
		}
	}
	return rec.result(c, l, t0, m0, measure(hub, jsDir))
}

// waitPulling waits until both hub consumers have a pull request waiting: the hub is receiving.
func waitPulling(b *testing.B, ctx context.Context, js jetstream.JetStream) {
	for _, sc := range [][2]string{{bkn.StreamLines, bkn.ConsumerLines}, {bkn.StreamDocs, bkn.ConsumerDocs}} {
		deadline := time.Now().Add(60 * time.Second)
		for {
			cons, err := js.Consumer(ctx, sc[0], sc[1])
			if err == nil {
				if info, err := cons.Info(ctx); err == nil && info.NumWaiting > 0 {
					break
				}
			}
			if time.Now().After(deadline) {
				b.Fatalf("consumer %s never pulled", sc[1])
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}

// snapshot is the hub process and files at one moment.
type snapshot struct {
	at                   time.Time
	rss, hwm, anon, file int64 // RssFile: the mapped bbolt file's pages, which the kernel may drop
	bolt, stream         int64
	cpu                  time.Duration
	load                 string
}

// measure collects garbage first (so RSS is what is live and mapped), then reads the process's
// VmRSS and VmHWM, the bbolt file's size in use, the JetStream folder's bytes, CPU time and load.
func measure(hub *store.Store, jsDir string) snapshot {
	runtime.GC()
	debug.FreeOSMemory()
	s := snapshot{at: time.Now()}
	if raw, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, line := range strings.Split(string(raw), "\n") {
			f := strings.Fields(line)
			if len(f) < 2 {
				continue
			}
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			switch f[0] {
			case "VmRSS:":
				s.rss = kb << 10
			case "VmHWM:":
				s.hwm = kb << 10
			case "RssAnon:":
				s.anon = kb << 10
			case "RssFile:":
				s.file = kb << 10
			}
		}
	}
	_ = hub.DB().View(func(tx *bbolt.Tx) error { s.bolt = tx.Size(); return nil })
	_ = filepath.WalkDir(jsDir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				s.stream += fi.Size()
			}
		}
		return nil
	})
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		s.cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	if raw, err := os.ReadFile("/proc/loadavg"); err == nil {
		s.load = strings.Join(strings.Fields(string(raw))[:3], " ")
	}
	if raw, err := os.ReadFile("/proc/pressure/io"); err == nil { // how much others' I/O stalls this run
		s.load += ", io " + strings.Fields(string(raw))[1]
	}
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) // VmHWM from here
	return s
}

// result turns the run into its figures.
func (r *recorder) result(c nationalCase, l *load, t0 time.Time, m0, m1 snapshot) nationalResult {
	r.mu.Lock()
	defer r.mu.Unlock()
	lats := slices.Clone(r.lats)
	slices.Sort(lats)
	res := nationalResult{sent: l.sent.Load(), failed: l.failed.Load(), committed: int64(len(lats)),
		rss0: m0.rss, rss1: m1.rss, hwm: m1.hwm, anon1: m1.anon, file1: m1.file, load0: m0.load, load1: m1.load,
		linesCommits: r.commits["lines"], docsCommits: r.commits["docs"], elapsed: m1.at.Sub(t0)}
	if len(lats) == 0 {
		return res
	}
	span := r.last.Sub(t0).Seconds()
	res.throughput = float64(len(lats)) / span
	res.commitsPerS = float64(res.linesCommits+res.docsCommits) / span
	res.p50, res.p99, res.max = lats[len(lats)/2], lats[len(lats)*99/100], lats[len(lats)-1]
	res.boltPerMsg = float64(m1.bolt-m0.bolt) / float64(len(lats))
	res.streamPerMsg = float64(m1.stream-m0.stream) / float64(res.sent)
	res.wirePerMsg = float64(l.bytes.Load()) / float64(res.sent)
	res.cores = (m1.cpu - m0.cpu).Seconds() / m1.at.Sub(m0.at).Seconds()
	return res
}

func (r nationalResult) report(b *testing.B) {
	b.ReportMetric(r.throughput, "msgs/s")
	b.ReportMetric(float64(r.p50.Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(r.p99.Microseconds())/1000, "p99-ms")
	b.ReportMetric(r.commitsPerS, "commits/s")
	b.ReportMetric(float64(r.rss1-r.rss0)/(1<<20), "rss-growth-MB")
	b.ReportMetric(r.boltPerMsg, "bolt-B/msg")
	b.ReportMetric(r.streamPerMsg, "stream-B/msg")
	b.ReportMetric(r.cores, "cpu-cores")
	b.ReportMetric(0, "ns/op")
	b.Logf("sent %d (failed %d), committed %d in %.1f s (%d lines commits, %d document commits); p50 %v p99 %v max %v; "+
		"RSS %.0f → %.0f MiB (anonymous %.0f, file pages %.0f; peak %.0f MiB; the simulated offices included); bbolt +%.0f B/msg, stream +%.0f B/msg, "+
		"%.0f B/msg published; CPU %.2f cores; load %s → %s",
		r.sent, r.failed, r.committed, r.elapsed.Seconds(), r.linesCommits, r.docsCommits, r.p50, r.p99, r.max,
		float64(r.rss0)/(1<<20), float64(r.rss1)/(1<<20), float64(r.anon1)/(1<<20), float64(r.file1)/(1<<20), float64(r.hwm)/(1<<20), r.boltPerMsg, r.streamPerMsg,
		r.wirePerMsg, r.cores, r.load0, r.load1)
}
