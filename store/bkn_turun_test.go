package store_test

import (
	"encoding/json"
	"testing"

	"pupns/store"
)

// hubDecisions reads the decisions (and turun statuses) waiting in the hub's outbox, oldest first.
func hubDecisions(t *testing.T, hub *store.Store) []store.BKNDecision {
	t.Helper()
	rows, err := hub.BKNOutbox(0, 100)
	fxMust(t, err)
	var out []store.BKNDecision
	for _, o := range rows {
		if o.Kind != store.BKNKindDecision {
			t.Fatalf("hub outbox row of kind %q", o.Kind)
		}
		var d store.BKNDecision
		fxMust(t, json.Unmarshal(o.Body, &d))
		if d.ID != o.MsgID {
			t.Fatalf("row msg id %q, decision id %q", o.MsgID, d.ID)
		}
		out = append(out, d)
	}
	return out
}

// TestBKNTurunAtHub: the hub's Kanreg verifier sends a received submission down to the office:
// without a reason it is refused at the field and nothing is stored; with one, the hub's copy
// leaves the inbox (kept, sent down, with who and why) and the turun decision, id "t/" + the lines'
// id, waits in the hub's outbox, written by the same step.
func TestBKNTurunAtHub(t *testing.T) {
	f, rows := bknOffice(t)
	hub := newHub(t)
	deliverDocs(t, f.s, hub, rows[0])
	m := linesOf(t, rows[0])
	id, err := hub.ReceiveBKNLines("P33", m)
	fxMust(t, err)
	sub, err := hub.Submission(f.v3, id)
	fxMust(t, err)
	if !sub.CanSendDown(f.v3) {
		t.Fatal("the hub's verifier may not send it down")
	}
	_, err = hub.SendDown(f.v3, id, sub.Rev, "  ")
	fxCheckFieldError(t, err, "alasan_turun")
	if n, _ := hub.BKNOutboxLen(); n != 0 {
		t.Fatalf("a refused turun status left %d outbox rows", n)
	}
	down, err := hub.SendDown(f.v3, id, sub.Rev, "berkas belum diverifikasi BKD")
	fxMust(t, err)
	if down.State != store.StateSentDown || down.State.Level() != 0 {
		t.Fatalf("hub copy after turun status: %s", down.State)
	}
	last := down.Steps[len(down.Steps)-1]
	if last.By != f.v3.Login || last.Note != "berkas belum diverifikasi BKD" || last.From != store.StateLevel3 {
		t.Fatalf("hub's step = %+v", last)
	}
	if ids := hubInboxIDs(t, hub, f.v3); len(ids) != 0 {
		t.Fatal("the sent-down copy is still in the Kanreg's inbox")
	}
	ds := hubDecisions(t, hub)
	if len(ds) != 1 {
		t.Fatalf("hub outbox = %d decisions, want 1", len(ds))
	}
	d := ds[0]
	if d.ID != "t/"+m.MsgID || d.Kind != store.BKNDecisionTurun || d.Reason != "berkas belum diverifikasi BKD" ||
		d.By != f.v3.Login || d.Instansi != "P33" || d.SubmissionID != m.Submission.ID || d.Level != 3 ||
		d.Round != m.Submission.Round || d.Send != 1 || len(d.Decisions) != 0 {
		t.Fatalf("turun decision = %+v", d)
	}
	// Read-only from now on: no second turun status, no decision.
	_, err = hub.SendDown(f.v3, id, down.Rev, "lagi")
	fxWantErr(t, err, store.ErrState)
	_, err = hub.Decide(f.v3, id, down.Rev, "nama", store.Setuju, "")
	fxWantErr(t, err, store.ErrState)
}

// TestBKNTurunAtOffice: the office applies the hub's turun status once: its submission is back at
// Level 2 as after a local turun status (inbox, counters, the step with the reason the Level 2
// verifier reads, no longer "sent to BKN"); a redelivery and a stale turun change nothing. Level 2
// forwards again: a new message id, which the hub takes into the same copy, once; the Kanreg
// verifier approves and the office applies it with the new master version.
func TestBKNTurunAtOffice(t *testing.T) {
	f, rows := bknOffice(t)
	hub := newHub(t)
	deliverDocs(t, f.s, hub, rows[0])
	m := linesOf(t, rows[0])
	fxMust(t, f.s.BKNAcked(rows[0].Seq))
	hubID, err := hub.ReceiveBKNLines("P33", m)
	fxMust(t, err)
	decided, err := hub.Decide(f.v3, hubID, f.revAt(hub, hubID), "nama", store.Setuju, "sesuai SK")
	fxMust(t, err)
	_, err = hub.SendDown(f.v3, hubID, decided.Rev, "berkas belum diverifikasi BKD")
	fxMust(t, err)
	turun := hubDecisions(t, hub)[0]
	officeID := m.Submission.ID

	for i, want := range []bool{true, false} {
		applied, err := f.s.ApplyBKNDecision(turun)
		fxMust(t, err)
		if applied != want {
			t.Fatalf("delivery %d: applied %v, want %v", i+1, applied, want)
		}
	}
	got, err := f.s.Submission(f.budi, officeID)
	fxMust(t, err)
	if got.State != store.StateLevel2 || got.Round != m.Submission.Round {
		t.Fatalf("office submission after turun: %s round %d", got.State, got.Round)
	}
	st, ok := got.ArrivedDown()
	if !ok || st.From != store.StateLevel3 || st.By != f.v3.Login || st.Note != "berkas belum diverifikasi BKD" {
		t.Fatalf("the step Level 2 reads = %+v %v", st, ok)
	}
	if !f.inInbox(f.v2, officeID) {
		t.Fatal("not back in the Level 2 inbox")
	}
	if bs, err := f.s.BKNStatusOf(f.budi, officeID); err != nil || bs.Sent || bs.Waiting {
		t.Fatalf("BKN status after turun = %+v, %v", bs, err)
	}
	counts, err := f.s.Counters()
	fxMust(t, err)
	if o := counts[store.CounterOffice]; o[string(store.StateLevel2)] != 1 || o[string(store.StateLevel3)] != 1 {
		t.Fatalf("office counters: level 2 %d, level 3 %d; want 1 and 1", o[string(store.StateLevel2)], o[string(store.StateLevel3)])
	}
	stale := turun
	stale.ID = "t/stale"
	if applied, err := f.s.ApplyBKNDecision(stale); err != nil || applied {
		t.Fatalf("a turun for a level it left: applied %v, %v", applied, err)
	}

	// Level 2 forwards again: the lines get their own id, the hub takes them into the same copy.
	if again := f.pass(f.v2, officeID); again.State != store.StateLevel3 || again.BKNSends != 2 {
		t.Fatalf("forwarded again: %s, sends %d", again.State, again.BKNSends)
	}
	out, err := f.s.BKNOutbox(rows[1].Seq, 10)
	fxMust(t, err)
	if len(out) != 1 {
		t.Fatalf("office outbox after the second forward = %d new rows, want 1", len(out))
	}
	m2 := linesOf(t, out[0])
	if want := m.MsgID + "/2"; m2.MsgID != want || out[0].MsgID != want ||
		want != store.BKNSendMsgID("P33", officeID, 3, m.Submission.Round, 2) {
		t.Fatalf("second send's msg id = %q, want %q", m2.MsgID, want)
	}
	if bs, _ := f.s.BKNStatusOf(f.budi, officeID); !bs.Waiting {
		t.Fatalf("second send not waiting for BKN: %+v", bs)
	}
	for range 2 { // a redelivery is the same arrival
		id, err := hub.ReceiveBKNLines("P33", m2)
		fxMust(t, err)
		if id != hubID {
			t.Fatalf("second send became hub submission #%d, want the same #%d", id, hubID)
		}
	}
	if ids := hubInboxIDs(t, hub, f.v3); len(ids) != 1 || ids[0] != hubID {
		t.Fatalf("Kanreg inbox = %v, want [%d]", ids, hubID)
	}
	// The turun of the first send, delivered late with a new id, is stale too.
	late := turun
	late.ID = "t/late"
	if applied, err := f.s.ApplyBKNDecision(late); err != nil || applied {
		t.Fatalf("a turun of the first send: applied %v, %v", applied, err)
	}
	// The hub verifier's decision made before the turun status stays, as after a local one.
	sub, err := hub.Submission(f.v3, hubID)
	fxMust(t, err)
	if d, ok := sub.Lines[0].Decision(3, sub.Round); !ok || d.Note != "sesuai SK" || len(sub.Undecided()) != 0 || sub.Rev <= decided.Rev {
		t.Fatalf("hub copy after the second send: decision %+v %v, undecided %d, rev %d", d, ok, len(sub.Undecided()), sub.Rev)
	}
	_, err = hub.Forward(f.v3, hubID, sub.Rev)
	fxMust(t, err)
	ds := hubDecisions(t, hub)
	if len(ds) != 2 || ds[1].ID != "d/"+m2.MsgID || ds[1].Send != 2 {
		t.Fatalf("hub decisions = %+v", ds)
	}
	if applied, err := f.s.ApplyBKNDecision(ds[1]); err != nil || !applied {
		t.Fatalf("approval after the second send: applied %v, %v", applied, err)
	}
	rec, err := f.s.Record(nipBudi)
	fxMust(t, err)
	if rec.Version != 2 || rec.Fields["nama"] != newName[nipBudi] {
		t.Fatalf("office master: version %d nama %q", rec.Version, rec.Fields["nama"])
	}
}

// revAt is the revision of a hub submission its Kanreg verifier sees.
func (f *bknFx) revAt(hub *store.Store, id uint64) int {
	f.t.Helper()
	sub, err := hub.Submission(f.v3, id)
	fxMust(f.t, err)
	return sub.Rev
}

// hubInboxIDs lists a hub verifier's inbox.
func hubInboxIDs(t *testing.T, hub *store.Store, v store.Actor) []uint64 {
	t.Helper()
	page, err := hub.Inbox(v, "", 100)
	fxMust(t, err)
	var ids []uint64
	for _, it := range page.Items {
		ids = append(ids, it.ID)
	}
	return ids
}
