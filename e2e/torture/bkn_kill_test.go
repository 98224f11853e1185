//go:build torture

package torture

import (
	"errors"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"pupns/handlers/bkn/bkntest"
)

// The kill loop's sizes: PNS per office (each with one submission), how many of them were
// forwarded before the start, and how many kills.
const (
	killPerOffice = 36
	killEarly     = 8
	killKills     = 24
)

// TestBKNKill9Loop is issue 14's "kill -9 of an office, of the hub and of a relay at random points
// in a loop": real processes of the real binary — Kanreg I's hub (`serve --role kanreg` with its
// TLS leafnode listener; the offices registered with `pupns bkn kantor`, its Level 3 verifier with
// `pupns user add`) and two offices, P33 and P34 (`serve --bkn-hub --bkn-seed --bkn-ca`), each on
// its own data folder (prepared as bkn_prep_test.go says). While the offices' Level 2 verifiers
// forward submissions over HTTP (Teruskan) and the hub's Level 3 verifier decides the lines over
// HTTP (retrying while the hub is down), the test kills one process with SIGKILL, at least 20
// times, and restarts it after a random short pause while the others keep running. A kill is
// "office" or "hub" (at a random moment, or just after a move at the other end), or "relay": the
// relays run inside the processes (the office's outbox relay, the hub's decisions relay), so a
// relay kill is a kill of that process timed on a move that queues a relay row (an office's
// Teruskan to Level 3, the hub's Teruskan with its decision): just after its 303, while the relay
// publishes the row, or while the request is on its way (killLoop and moment say when). The
// random choices are seeded (the seed is logged; PUPNS_KILL_SEED=<seed> repeats the choices).
//
// At the end everything drains (bounded), the processes stop cleanly, and every data file is
// opened with the store package: every line an office acknowledged reached the hub exactly once,
// every hub decision was made once and applied exactly once at its office (decisions, versions and
// events counted), and no outbox holds a line or a decision (bkn_check_test.go).
func TestBKNKill9Loop(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	if s, err := strconv.ParseUint(os.Getenv("PUPNS_KILL_SEED"), 10, 64); err == nil {
		seed = s
	}
	figure(t, "bknkill_seed", seed)
	rng := rand.New(rand.NewPCG(seed, 1))
	start := time.Now()
	w := newKillWorld(t)
	w.startAll()
	w.loginPNS()

	stop := make(chan struct{})
	var feeders sync.WaitGroup
	decided := make(chan struct{})
	var halt sync.Once
	defer func() { // the people stop before the test ends, whatever failed
		halt.Do(func() { close(stop) })
		feeders.Wait()
		<-decided
	}()
	for i, o := range w.offices {
		feeders.Add(1)
		go func() { defer feeders.Done(); w.feed(i, o, rand.New(rand.NewPCG(seed, uint64(10+i))), stop) }()
	}
	go func() { w.decide(stop); close(decided) }()

	w.looping.Store(true)
	loopStart := time.Now()
	counts := w.killLoop(rng)
	w.looping.Store(false)
	loopTime := time.Since(loopStart)
	drainStart := time.Now()
	fed := make(chan struct{})
	go func() { feeders.Wait(); close(fed) }()
	select { // the feeders end once every submission is forwarded
	case <-fed:
	case <-time.After(3 * time.Minute):
		t.Fatalf("the offices' Level 2 verifiers still forwarding 3 minutes after the loop")
	}
	w.waitApplied(3 * time.Minute)
	drain := time.Since(drainStart)
	halt.Do(func() { close(stop) })
	<-decided
	for _, s := range w.all() {
		if err := s.stop(); err != nil {
			t.Errorf("stopping %s: %v", s.name, err)
		}
	}
	lines, decisions := w.check(t)
	w.figures(counts, lines, decisions)
	figure(t, "bknkill_loop_time", loopTime.Round(time.Second))
	figure(t, "bknkill_drain", drain.Round(100*time.Millisecond))
	figure(t, "bknkill_time", time.Since(start).Round(time.Second))
}

// figures prints what the loop did and what the files hold.
func (w *killWorld) figures(counts map[string]int, lines, decisions int) {
	t := w.t
	figure(t, "bknkill_kills", killKills)
	for _, k := range killKinds {
		figure(t, "bknkill_kills_"+k, counts[k])
		figure(t, "bknkill_kills_"+k+"_after_a_move", w.timed[k])
	}
	figure(t, "bknkill_relay_kills_with_rows_left", w.relayRows)
	figure(t, "bknkill_lines", lines)
	figure(t, "bknkill_forward_answers_lost", w.lostAnswers.Load())
	figure(t, "bknkill_decisions", decisions)
	figure(t, "bknkill_hub_forwards_answered", w.decidedHub)
	again := 0
	for _, s := range w.sites {
		again += s.logCount("bkn: putusan sudah diterapkan atau tidak berlaku lagi")
	}
	figure(t, "bknkill_decisions_redelivered_and_ignored", again)
}

// killWorld is the loop's three sites and what the people did there.
type killWorld struct {
	t       *testing.T
	hub     *site
	sites   []*site // the offices' sites, as offices
	offices []*killOffice
	pns     []pnsAtHome // every PNS with a submission, logged in at their office

	mu          sync.Mutex
	forwarded   map[string]bool // NIP → its submission's forward at Level 2 was acknowledged or seen done
	decidedHub  int             // Teruskan answered 303 at the hub
	lostAnswers atomic.Int64    // forwards whose answer was lost and that turned out committed
	looping     atomic.Bool     // the kill loop runs
	timed       map[string]int  // kills, by kind, that followed a move (the others: random moments)
	relayRows   int             // relay kills that left rows in the killed site's outbox
}

// newKillWorld prepares the offices' files, the PKI, the hub's register and its verifier.
func newKillWorld(t *testing.T) *killWorld {
	dir := t.TempDir()
	pki := bkntest.NewPKI(t, dir, "bkn")
	hubDir := filepath.Join(dir, "hub")
	w := &killWorld{t: t, forwarded: map[string]bool{}, timed: map[string]int{}}
	run(t, "user", "add", "--data", hubDir, "--login", "v3-kanreg1", "--name", "Verifikator Kanreg I",
		"--role", "verifikator_3", "--scope", "I", "--password", killPassword)
	leaf, client := freeAddr(t), freeAddr(t)
	w.hub = newSite(t, "hub Kanreg I", hubDir, "--role", "kanreg", "--kanreg", "I", "--nats-listen", client,
		"--nats-leaf-listen", leaf, "--nats-cert", pki.Cert, "--nats-key", pki.Key, "--nats-ca", pki.CA)
	for i, inst := range []string{"P33", "P34"} {
		odir := filepath.Join(dir, inst)
		o := prepareOffice(t, odir, inst, 100+400*i, killPerOffice, killEarly)
		seedFile := filepath.Join(dir, "kantor-"+inst+".nk")
		run(t, "bkn", "kantor", "--instansi", inst, "--data", hubDir, "--out", seedFile)
		w.offices = append(w.offices, o)
		w.sites = append(w.sites, newSite(t, "kantor "+inst, odir, "--bkn-hub", "tls://"+leaf, "--bkn-seed", seedFile, "--bkn-ca", pki.CA))
	}
	return w
}

func (w *killWorld) all() []*site { return append([]*site{w.hub}, w.sites...) }

func (w *killWorld) startAll() {
	for _, s := range w.all() {
		s.start()
	}
}

// freeAddr is a TCP address on 127.0.0.1 free a moment ago.
func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// feed is office i's Level 2 verifier: forwards the submissions waiting at Level 2 one by one,
// 2.5–6.5 s apart while the loop kills (at once after it), retrying each until the office acknowledges it (or shows it gone on).
func (w *killWorld) feed(i int, o *killOffice, rng *rand.Rand, stop <-chan struct{}) {
	p := newPerson(w.sites[i], o.V2)
	for _, nip := range o.NIPs[o.Early:] {
		for {
			select {
			case <-stop:
				return
			default:
			}
			done, gone, err := decideAndForward(p, o.Subs[nip], "setuju")
			if done || gone {
				w.mu.Lock()
				w.forwarded[nip] = true
				w.mu.Unlock()
				if gone {
					w.lostAnswers.Add(1)
				}
				break
			}
			if err != nil && !errors.Is(err, errDown) {
				w.t.Logf("%s: %v", p.site.name, err)
			}
			time.Sleep(100 * time.Millisecond)
		}
		if w.looping.Load() { // spread over the loop, so that relay kills find moves to follow
			time.Sleep(time.Duration(2500+rng.IntN(4000)) * time.Millisecond)
		}
	}
}

var inboxLink = regexp.MustCompile(`href="/verifikasi/(\d+)"`)

// decide is the hub's Level 3 verifier: decides whatever waits in the Kanreg's inbox (every
// fifth hub submission TMS, the others Setuju) and forwards it, until stop.
func (w *killWorld) decide(stop <-chan struct{}) {
	p := newPerson(w.hub, "v3-kanreg1")
	for {
		select {
		case <-stop:
			return
		default:
		}
		st, body, err := p.get("/verifikasi")
		if err != nil || st != 200 {
			time.Sleep(100 * time.Millisecond)
			continue
		}
		ids := inboxLink.FindAllStringSubmatch(body, -1)
		for _, m := range ids {
			id, _ := strconv.ParseUint(m[1], 10, 64)
			verdict := "setuju"
			if id%5 == 0 {
				verdict = "tms"
			}
			done, _, err := decideAndForward(p, id, verdict)
			if done {
				w.mu.Lock()
				w.decidedHub++
				w.mu.Unlock()
			} else if err != nil && !errors.Is(err, errDown) {
				w.t.Logf("%s: %v", p.site.name, err)
			}
		}
		if len(ids) == 0 {
			time.Sleep(200 * time.Millisecond)
		}
	}
}
