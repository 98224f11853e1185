//go:build torture

package torture

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"pupns/store"
)

// A writer proposes a new value, again and again, on three fields of its PNS's form, each value
// numbered; it remembers the last number the server acknowledged per field (and the last it
// sent). After a crash, the stored value of a field must carry a number at least the last
// acknowledged one (a later write may have been stored and not acknowledged), and never one that
// was not sent.
var writeFields = []struct{ tab, key, value string }{
	{"utama", "alamat", "Jl. Uji Ketahanan No. %d, Semarang"},
	{"posisi", "lokasi_kerja", "Kantor Uji Ketahanan %d"},
	{"posisi", "instansi_kerja", "Instansi Uji Ketahanan %d"},
}

type writer struct {
	nip      string
	web      *webClient
	seq      int
	mu       sync.Mutex
	acked    map[string]int // field → last number acknowledged
	sent     map[string]int // field → last number sent
	ackCount int
}

// writerSet is N writers, each logged in as its own PNS.
type writerSet struct {
	ws    []*writer
	acked atomic.Int64
}

func newWriters(t *testing.T, base string, nips []string) *writerSet {
	t.Helper()
	set := &writerSet{}
	for _, nip := range nips {
		w := &writer{nip: nip, web: newWebClient(base), acked: map[string]int{}, sent: map[string]int{}}
		if err := w.web.login(nip, demoPassword); err != nil {
			t.Fatal(err)
		}
		set.ws = append(set.ws, w)
	}
	return set
}

// run lets every writer write against base until stop is closed; it returns when all have
// stopped. A failed request (the server is gone) ends nothing: the writer tries again.
func (set *writerSet) run(base string, stop <-chan struct{}) {
	var wg sync.WaitGroup
	for _, w := range set.ws {
		w.web.base = base
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if !w.writeOnce() {
					time.Sleep(20 * time.Millisecond) // the server is down: do not spin
				} else {
					set.acked.Add(1)
				}
			}
		}()
	}
	wg.Wait()
}

// writeOnce proposes the next numbered value; true when the server acknowledged it (303 back to
// the form: a 303 to the login page would be a lost session, not an acknowledgement).
func (w *writer) writeOnce() bool {
	w.seq++
	f := writeFields[w.seq%len(writeFields)]
	w.mu.Lock()
	w.sent[f.key] = w.seq
	w.mu.Unlock()
	form := url.Values{"nilai": {fmt.Sprintf(f.value, w.seq)}, "alasan": {fmt.Sprintf("uji ketahanan nomor %d", w.seq)}}
	form.Set("_csrf", w.web.csrf)
	res, err := w.web.hc.PostForm(w.web.base+"/data/"+f.tab+"/"+f.key, form)
	if err != nil {
		return false
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/data") {
		return false
	}
	w.mu.Lock()
	w.acked[f.key] = w.seq
	w.ackCount++
	w.mu.Unlock()
	return true
}

// verify opens the data file (the server is stopped) and counts acknowledged writes missing:
// a field whose stored number is below the last acknowledged one. A stored number that was never
// sent fails the test at once.
func (set *writerSet) verify(t *testing.T, dir string) (lost int) {
	t.Helper()
	st := openStore(t, dir)
	defer st.Close()
	for _, w := range set.ws {
		f, err := st.Form(store.Actor{Login: w.nip, Role: store.RolePNS, NIP: w.nip}, w.nip)
		if err != nil {
			t.Fatalf("form of %s: %v", w.nip, err)
		}
		for key, acked := range w.acked {
			e, ok := f.Entries[key]
			got := -1
			if ok {
				got, _ = strconv.Atoi(strings.TrimPrefix(e.Reason, "uji ketahanan nomor "))
			}
			if got > w.sent[key] {
				t.Fatalf("%s %s: stored number %d was never sent (last sent %d)", w.nip, key, got, w.sent[key])
			}
			if got < acked {
				t.Errorf("%s %s: acknowledged %d, stored %d (%q)", w.nip, key, acked, got, e.Reason)
				lost++
			}
		}
	}
	return lost
}

// TestKill9LosesNoAcknowledgedWrite: 16 PNS write concurrently while the server is killed with
// SIGKILL at random moments, at least 10 times. After every kill the file passes bbolt's
// consistency check and holds every write the server acknowledged.
func TestKill9LosesNoAcknowledgedWrite(t *testing.T) {
	const clients, kills = 16, 12
	dir := t.TempDir()
	makeDemo(t, dir, 200)
	nips := pnsLogins(t, dir, clients)
	start := time.Now()
	var set *writerSet
	lost := 0
	var checkMax time.Duration
	for k := 0; k < kills; k++ {
		s := startServer(t, dir, "--no-captcha")
		if set == nil {
			set = newWriters(t, s.URL, nips)
		}
		stop := make(chan struct{})
		done := make(chan struct{})
		go func() { set.run(s.URL, stop); close(done) }()
		time.Sleep(time.Duration(500+rand.IntN(2500)) * time.Millisecond)
		s.kill9()
		close(stop)
		<-done
		checkMax = max(checkMax, checkFile(t, dir))
		lost += set.verify(t, dir)
	}
	figure(t, "kill9_clients", clients)
	figure(t, "kill9_kills", kills)
	figure(t, "kill9_acked", set.acked.Load())
	figure(t, "kill9_lost", lost)
	figure(t, "kill9_check_max", checkMax.Round(time.Millisecond))
	figure(t, "kill9_time", time.Since(start).Round(time.Second))
	if set.acked.Load() < int64(kills) {
		t.Fatalf("only %d writes acknowledged: the writers did not write", set.acked.Load())
	}
	if lost > 0 {
		t.Fatalf("%d acknowledged writes lost", lost)
	}
}

// TestSIGTERMUnderLoadExitsCleanly: with 16 PNS writing, SIGTERM makes the server finish what is
// in flight and exit 0 within the grace period (10 s); every acknowledged write is in the file.
func TestSIGTERMUnderLoadExitsCleanly(t *testing.T) {
	const clients, grace = 16, 10 * time.Second
	dir := t.TempDir()
	makeDemo(t, dir, 100)
	nips := pnsLogins(t, dir, clients)
	s := startServer(t, dir, "--no-captcha")
	set := newWriters(t, s.URL, nips)
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { set.run(s.URL, stop); close(done) }()
	time.Sleep(3 * time.Second)
	took, ok, exit := s.term(grace + 5*time.Second)
	close(stop)
	<-done
	figure(t, "sigterm_acked", set.acked.Load())
	figure(t, "sigterm_exit", took.Round(time.Millisecond))
	if !ok || took > grace+time.Second {
		t.Fatalf("the server took %v to exit after SIGTERM (grace %v)", took, grace)
	}
	if exit != nil {
		t.Fatalf("exit after SIGTERM: %v\n%s", exit, s.Output())
	}
	checkFile(t, dir)
	lost := set.verify(t, dir)
	figure(t, "sigterm_lost", lost)
	if lost > 0 {
		t.Fatalf("%d acknowledged writes lost", lost)
	}
	// And it starts again on the same file.
	s2 := startServer(t, dir, "--no-captcha")
	if res, err := http.Get(s2.URL + "/healthz"); err != nil || res.StatusCode != 200 {
		t.Fatalf("after restart: %v", err)
	}
	s2.term(grace + 5*time.Second)
}
