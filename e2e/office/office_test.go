//go:build office

package office

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"pupns/store"
	"pupns/store/demo"
)

// The deadline week, and the office's share of it (README › Performance explains each figure):
// 4.56 million PNS nationally; weekShare of all PNS send in the last week before the deadline, over
// activeHours of that week, the busiest hour peakFactor times the average; replayed speedup times
// faster. Per PNS who sends, the script in replay.go: a login, every tab of the record page,
// autosavesPerPNS autosaves over three fields, their three saves, two uploads, Sesuai on every tab,
// Kirim and the status page; every submission is reviewed and decided line by line at Level 1 and
// again at Level 2.
const (
	nationalPNS = 4_560_000
	weekShare   = 0.30
	activeHours = 7 * 10
	peakFactor  = 2.0
	speedup     = 10.0
)

// kirimRate is how many PNS of an office of n send per second of the replay.
func kirimRate(n int) float64 {
	return float64(n) * weekShare / (activeHours * 3600) * peakFactor * speedup
}

// TestDeadlineWeek builds or reuses the office, measures start-up, and replays the deadline week.
// The same load is first replayed on a small office (PUPNS_OFFICE_BASELINE PNS, default 2,000; 0
// for none) in the same run, so that each kind's latency is also a ratio: what the size costs,
// apart from how loaded the machine is.
func TestDeadlineWeek(t *testing.T) {
	n := envInt("PUPNS_OFFICE_PNS", 250_000)
	base := envInt("PUPNS_OFFICE_BASELINE", 2000)
	if os.Getenv("PUPNS_OFFICE_BASELINE") == "0" {
		base = 0
	}
	cache := os.Getenv("PUPNS_OFFICE_CACHE")
	if cache == "" {
		cache = filepath.Join(os.TempDir(), "pupns-office")
	}
	rate := kirimRate(n)
	var small map[string]summary
	if base > 0 && base < n {
		dir := workCopy(t, cache, base)
		small = replay(t, dir, base, rate, prepare(t, dir, base, rate), false)
	}
	work := workCopy(t, cache, n)
	cast := prepare(t, work, n, rate)
	startup(t, work, n)
	large := replay(t, work, n, rate, cast, true)
	for kind, l := range large {
		if s, ok := small[kind]; ok && s.p99 > 0 && s.p50 > 0 {
			figure("office_ratio pns=%d baseline_pns=%d kind=%s p50_ratio=%.2f p99_ratio=%.2f", n, base, kind,
				l.p50.Seconds()/s.p50.Seconds(), l.p99.Seconds()/s.p99.Seconds())
		}
	}
}

// workCopy copies the built office of n PNS into a working folder the replay may change.
func workCopy(t *testing.T, cache string, n int) string {
	t.Helper()
	pristine := buildOffice(t, filepath.Join(cache, fmt.Sprint(n)), n)
	work := filepath.Join(cache, fmt.Sprintf("%d-run", n))
	os.RemoveAll(work)
	t.Cleanup(func() { os.RemoveAll(work) })
	copyStart := time.Now()
	if err := os.MkdirAll(work, 0o750); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("cp", filepath.Join(pristine, "pupns.db"), filepath.Join(work, "pupns.db")).CombinedOutput(); err != nil {
		t.Fatalf("copy: %v %s", err, out)
	}
	t.Logf("working copy of %d PNS in %s", n, time.Since(copyStart).Round(time.Millisecond))
	return work
}

// buildOffice returns dir holding the demo office of n PNS, building it with `pupns demo` unless
// a finished build is there (the file "built" is written last).
func buildOffice(t *testing.T, dir string, n int) string {
	t.Helper()
	if _, err := os.Stat(filepath.Join(dir, "built")); err == nil {
		raw, _ := os.ReadFile(filepath.Join(dir, "built"))
		t.Logf("reusing the office of %d PNS in %s (%s)", n, dir, raw)
		return dir
	}
	os.RemoveAll(dir)
	start := time.Now()
	cmd := exec.Command(bin, "demo", "--data", dir, "--pns", fmt.Sprint(n))
	cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("pupns demo: %v", err)
	}
	took := time.Since(start)
	fi, _ := os.Stat(filepath.Join(dir, "pupns.db"))
	figure("office_build pns=%d took=%s file_mb=%d cpu_user=%s cpu_sys=%s", n, took.Round(time.Second), fi.Size()>>20,
		cmd.ProcessState.UserTime().Round(time.Second), cmd.ProcessState.SystemTime().Round(time.Second))
	if err := os.WriteFile(filepath.Join(dir, "built"), []byte(fmt.Sprintf("built in %s", took.Round(time.Second))), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

// cast is who takes part in the replay.
type cast struct {
	senders []string // NIP of active PNS whose master data passes every cross-check, in unit order
	v1      []string // one Level 1 verifier per SKPD
	v2      string
	admin   string
}

// prepare picks the cast for rate senders a second from the data file (opened and closed before
// any server runs).
func prepare(t *testing.T, dir string, n int, rate float64) cast {
	t.Helper()
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	res, ok, err := demo.Saved(st)
	if err != nil || !ok {
		t.Fatalf("no demo result: %v", err)
	}
	var c cast
	for _, l := range res.Logins {
		switch l.Role {
		case store.RoleV1:
			if !slices.Contains(c.v1, l.Username) { // one worker per account: two would race for the same inbox
				c.v1 = append(c.v1, l.Username)
			}
		case store.RoleV2:
			c.v2 = l.Username
		case store.RoleAdmin:
			c.admin = l.Username
		}
	}
	want := int(rate*float64(envInt("PUPNS_OFFICE_SECONDS", 60))*1.5) + 50
	stride := max(1, n/(want*3))
	var nips []string
	i := 0
	err = st.DB().View(func(tx *bbolt.Tx) error {
		return tx.Bucket([]byte("records")).ForEach(func(k, _ []byte) error {
			if i%stride == 0 {
				nips = append(nips, string(k))
			}
			i++
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, nip := range nips {
		if len(c.senders) == want {
			break
		}
		if u, err := st.User(nip); err != nil || u.Status != store.StatusActive {
			continue
		}
		rec, err := st.Record(nip)
		if err != nil {
			t.Fatal(err)
		}
		clean := true
		for k, v := range rec.Fields {
			if store.CrossCheck(k, v, rec.Fields) != "" {
				clean = false
			}
		}
		if clean {
			c.senders = append(c.senders, nip)
		}
	}
	if len(c.senders) < want/2 || len(c.v1) == 0 || c.v2 == "" {
		t.Fatalf("cast: %d senders (want %d), %d Level 1, Level 2 %q", len(c.senders), want, len(c.v1), c.v2)
	}
	t.Logf("cast: %d senders, %d Level 1 verifiers", len(c.senders), len(c.v1))
	return c
}

// startup measures the start-up on the office: the full check it would need without the stamp,
// then a cold start (page cache dropped) and a warm one, each to the first healthy /healthz.
func startup(t *testing.T, dir string, n int) {
	t.Helper()
	fi, _ := os.Stat(filepath.Join(dir, "pupns.db"))
	if dropCaches() {
		rep, err := store.Check(dir)
		if err != nil {
			t.Fatal(err)
		}
		figure("startup_full_check pns=%d file_mb=%d cold=%s pages=%d values=%d", n, fi.Size()>>20, rep.Took.Round(time.Millisecond), rep.Pages, rep.Values)
	}
	for _, cold := range []bool{true, false} {
		dropped := cold && dropCaches()
		s := start(t, dir)
		took := s.healthyAfter(t)
		way := "?"
		if m := checkWay.FindStringSubmatch(s.Output()); m != nil {
			way = m[1]
		}
		figure("startup pns=%d cold=%v page_cache_dropped=%v healthy_after=%s check=%q", n, cold, dropped, took.Round(time.Millisecond), way)
		if took > time.Second {
			t.Errorf("start-up (cold=%v) took %s, want ≤ 1 s", cold, took)
		}
		s.stop()
	}
}
