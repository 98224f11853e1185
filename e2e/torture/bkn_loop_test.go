//go:build torture

package torture

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"time"
)

// killKinds are what the loop kills: an office or the hub at a random moment, or the process of
// an office's outbox relay or of the hub's decisions relay right after a move queued a row for it.
var killKinds = []string{"kantor", "hub", "relay_kantor", "relay_hub"}

// killLoop kills killKills times, each kind a quarter of the time in a seeded random order, and
// restarts each killed process after a random pause of 0.2–1.5 s; between kills the sites run
// 1–4 s. It returns how many kills of each kind it made.
func (w *killWorld) killLoop(rng *rand.Rand) map[string]int {
	t := w.t
	plan := make([]string, killKills)
	for i := range plan {
		plan[i] = killKinds[i%len(killKinds)]
	}
	rng.Shuffle(len(plan), func(i, j int) { plan[i], plan[j] = plan[j], plan[i] })
	counts := map[string]int{}
	for k, kind := range plan {
		time.Sleep(time.Duration(1000+rng.IntN(3000)) * time.Millisecond)
		target := w.hub
		if kind == "kantor" || kind == "relay_kantor" {
			target = w.sites[rng.IntN(len(w.sites))]
		}
		how := w.moment(kind, target, rng)
		target.kill9()
		counts[kind]++
		if kind == "relay_kantor" || kind == "relay_hub" {
			how += w.rowsLeft(target)
		}
		pause := time.Duration(200+rng.IntN(1300)) * time.Millisecond
		t.Logf("kill %d/%d: %s, %s %s; restart after %v", k+1, killKills, kind, target.name, how, pause)
		time.Sleep(pause)
		target.start()
	}
	return counts
}

// moment waits for the moment to kill target (a kill of kind) and says what it was. A relay kill
// comes after a Teruskan at target, whose transaction queues a row for its relay: half of them
// 0–3 ms after its 303 (while the relay publishes the row), half 0–5 ms after its request was
// written (before or just after the commit; an answer lost makes the verifier try again). An office
// or hub kill comes at a random moment, or (half of them) 0–60 ms after a Teruskan at the other
// end was acknowledged: an office's while the hub's decision travels to it and is applied, the
// hub's while its consumer writes an office's lines.
func (w *killWorld) moment(kind string, target *site, rng *rand.Rand) string {
	after, ev, most, what := target, moveAcked, 4, "while its relay publishes"
	switch {
	case (kind == "relay_kantor" || kind == "relay_hub") && rng.IntN(2) == 0:
		ev, most, what = moveSent, 6, "during a Teruskan request"
	case kind == "relay_kantor" || kind == "relay_hub":
	case rng.IntN(2) == 0:
		return "at a random moment"
	case kind == "kantor":
		after, most, what = w.hub, 61, "right after a decision at the hub"
	default:
		after, most = w.sites[rng.IntN(len(w.sites))], 61
		what = "right after a forward at " + after.name
	}
	select {
	case <-after.arm(ev):
		time.Sleep(time.Duration(rng.IntN(most)) * time.Millisecond)
		w.timed[kind]++
		return what
	case <-time.After(8 * time.Second):
		after.disarm(ev)
		return "at a random moment (no move at " + after.name + " within 8 s)"
	}
}

var statusClass = regexp.MustCompile(`class="status st-([a-z0-9_]+)"`)

// pnsAtHome is one PNS logged in at their office, to read their status page.
type pnsAtHome struct {
	p   *person
	nip string
}

// loginPNS logs every PNS in at their office (before the loop: their sessions, kept in the
// office's file, outlive the kills), so that the drain's wait measures the flow, not the logins.
func (w *killWorld) loginPNS() {
	for i, o := range w.offices {
		for _, nip := range o.NIPs {
			x := pnsAtHome{newPerson(w.sites[i], nip), nip}
			if err := x.p.ensure(); err != nil {
				w.t.Fatal(err)
			}
			w.pns = append(w.pns, x)
		}
	}
}

// waitApplied waits until every PNS's status page (at their office, logged in as them) says
// Selesai: the hub decided their line and the office applied the decision. It fails the test
// after within.
func (w *killWorld) waitApplied(within time.Duration) {
	t := w.t
	left := w.pns
	deadline := time.Now().Add(within)
	for len(left) > 0 {
		var still []pnsAtHome
		for _, x := range left {
			st, body, err := x.p.get("/status")
			m := statusClass.FindStringSubmatch(body)
			if err != nil || st != 200 || m == nil || m[1] != "selesai" {
				still = append(still, x)
			}
		}
		left = still
		if len(left) > 0 && time.Now().After(deadline) {
			t.Fatalf("after %v, %d submissions not yet applied at their office (first: %s)", within, len(left), left[0].nip)
		}
		if len(left) > 0 {
			time.Sleep(200 * time.Millisecond)
		}
	}
}

// rowsLeft opens the killed site's data file (no process holds it) and says how many relay rows
// the kill left in its outbox: the relay had not yet removed what it was publishing.
func (w *killWorld) rowsLeft(s *site) string {
	st := openStore(w.t, s.dir)
	defer st.Close()
	n := flowRows(w.t, st)
	if n > 0 {
		w.relayRows++
	}
	return fmt.Sprintf(" (%d rows left in its outbox)", n)
}
