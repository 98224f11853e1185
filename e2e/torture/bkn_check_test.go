//go:build torture

package torture

import (
	"strings"
	"testing"

	"pupns/store"
)

// check opens every data file of the loop (its processes stopped) and proves exactly once: each
// office submission whose Level 2 forward was acknowledged (or committed before the start) is one
// hub submission, holding one Level 3 decision, received once (one bkn_diterima event); the office
// applied that decision once (one Level 3 decision on its line, one "Level 3 (BKN)" event, one
// applied decision id per submission, one new master version when approved, none when not); no
// outbox holds a line or a decision. It returns the lines and decisions counted.
func (w *killWorld) check(t *testing.T) (lines, decisions int) {
	t.Helper()
	hub := openStore(t, w.hub.dir)
	defer hub.Close()
	if n := flowRows(t, hub); n != 0 {
		t.Errorf("the hub's outbox holds %d rows of lines or decisions", n)
	}
	for i, o := range w.offices {
		st := openStore(t, w.sites[i].dir)
		if n := flowRows(t, st); n != 0 {
			t.Errorf("office %s's outbox holds %d rows of lines or decisions", o.Instansi, n)
		}
		if n, err := st.BKNApplied(); err != nil || n != len(o.NIPs) {
			t.Errorf("office %s remembers %d applied decision ids (%v), want %d", o.Instansi, n, err, len(o.NIPs))
		}
		for j, nip := range o.NIPs {
			w.mu.Lock()
			acked := j < o.Early || w.forwarded[nip]
			w.mu.Unlock()
			if !acked {
				t.Errorf("%s: the forward of #%d was never acknowledged", nip, o.Subs[nip])
				continue
			}
			lines++
			verdict := checkHub(t, hub, nip)
			if verdict != "" {
				decisions++
				checkOffice(t, st, nip, o.Subs[nip], verdict)
			}
		}
		st.Close()
	}
	return lines, decisions
}

// checkHub checks the hub's side of one PNS's line and returns the verdict its verifier gave
// ("" when the check failed).
func checkHub(t *testing.T, hub *store.Store, nip string) string {
	t.Helper()
	subs, err := hub.Submissions(store.Actor{Login: nip, Role: store.RolePNS, NIP: nip}, nip)
	if err != nil || len(subs) != 1 {
		t.Errorf("%s: %d hub submissions (%v), want exactly 1", nip, len(subs), err)
		return ""
	}
	hs := subs[0]
	if got := countEvents(t, hub, nip, store.EventBKNReceived, ""); got != 1 {
		t.Errorf("%s: received %d times at the hub, want once", nip, got)
	}
	ds := levelDecisions(hs, 3)
	if len(ds) != 1 || hs.State == store.StateLevel3 {
		t.Errorf("%s: hub submission #%d at %s with %d Level 3 decisions, want 1 and moved on", nip, hs.ID, hs.State, len(ds))
		return ""
	}
	if got := countEvents(t, hub, nip, store.EventDecide, ""); got != 1 {
		t.Errorf("%s: %d decision events at the hub, want 1", nip, got)
	}
	return ds[0].Verdict
}

// checkOffice checks that the office applied the hub's verdict on its submission id exactly once.
func checkOffice(t *testing.T, st *store.Store, nip string, id uint64, verdict string) {
	t.Helper()
	subs, err := st.Submissions(store.Actor{Login: nip, Role: store.RolePNS, NIP: nip}, nip)
	if err != nil || len(subs) != 1 || subs[0].ID != id {
		t.Errorf("%s: office submissions %d (%v), want only #%d", nip, len(subs), err, id)
		return
	}
	sub := subs[0]
	ds := levelDecisions(sub, 3)
	if sub.State != store.StateDone || len(ds) != 1 || ds[0].Verdict != verdict {
		t.Errorf("%s: office #%d at %s with Level 3 decisions %+v, want one %s", nip, id, sub.State, ds, verdict)
	}
	if got := countEvents(t, st, nip, store.EventDecide, "Level 3 (BKN)"); got != 1 {
		t.Errorf("%s: %d Level 3 decision events at the office, want 1", nip, got)
	}
	rec, err := st.Record(nip)
	if err != nil {
		t.Fatal(err)
	}
	versions, err := st.Versions(nip)
	if err != nil {
		t.Fatal(err)
	}
	want, name := 1, rec.Fields["nama"]
	if verdict == store.Setuju {
		want = 2
		if name != killName(nip) {
			t.Errorf("%s: master name %q after approval, want %q", nip, name, killName(nip))
		}
	}
	if rec.Version != want || len(versions) != want {
		t.Errorf("%s: master version %d with %d versions after %s, want %d", nip, rec.Version, len(versions), verdict, want)
	}
}

// levelDecisions are the decisions made at a level on a submission's lines, over every round.
func levelDecisions(sub store.Submission, level int) []store.Decision {
	var out []store.Decision
	for _, l := range sub.Lines {
		for _, d := range l.Decisions {
			if d.Level == level {
				out = append(out, d)
			}
		}
	}
	return out
}

// countEvents counts a PNS's events of a kind whose detail holds detail.
func countEvents(t *testing.T, st *store.Store, nip, kind, detail string) int {
	t.Helper()
	evs, err := st.Events(nip)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range evs {
		if e.Kind == kind && strings.Contains(e.Detail, detail) {
			n++
		}
	}
	return n
}

// flowRows counts the outbox rows of lines and decisions (other kinds, such as an office's
// periodic counters, may wait there at any moment and are not the loop's business).
func flowRows(t *testing.T, st *store.Store) int {
	t.Helper()
	n := 0
	for after := uint64(0); ; {
		rows, err := st.BKNOutbox(after, 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) == 0 {
			return n
		}
		for _, o := range rows {
			if o.Kind == store.BKNKindLines || o.Kind == store.BKNKindDecision {
				n++
			}
			after = o.Seq
		}
	}
}
