package store_test

import (
	"encoding/json"
	"errors"
	"testing"

	"pupns/store"
)

// bknOffice links the fixture's office to BKN and sends Budi's and Siti's names (lines needing
// BKN) through Levels 1 and 2: it returns the outbox's two messages and the office.
func bknOffice(t *testing.T) (*bknFx, []store.BKNOut) {
	t.Helper()
	f := newBKNFx(t)
	fxMust(t, f.s.SetBKNLink(store.BKNLink{Role: store.BKNRoleOffice}))
	for _, pns := range []store.Actor{f.budi, f.siti} {
		sub := f.send(pns, fxUsul{"nama", newName[pns.NIP], "sesuai SK CPNS"})
		f.pass(f.v1U01, sub.ID)
		if l3 := f.pass(f.v2, sub.ID); l3.State != store.StateLevel3 {
			t.Fatalf("after Level 2: %s", l3.State)
		}
	}
	rows, err := f.s.BKNOutbox(0, 10)
	fxMust(t, err)
	if len(rows) != 2 {
		t.Fatalf("outbox rows = %d, want 2", len(rows))
	}
	return f, rows
}

var newName = map[string]string{nipBudi: "Budi Susanto", nipSiti: "Siti Aminah"}

// newHub opens a hub's store for Kanreg I.
func newHub(t *testing.T) *store.Store {
	t.Helper()
	hub, _ := fxOpen(t)
	fxMust(t, hub.SetBKNLink(store.BKNLink{Role: store.BKNRoleKanreg, Kanreg: fxKanregOwn}))
	return hub
}

// deliverDocs hands a row's documents to the hub as its consumer would.
func deliverDocs(t *testing.T, office, hub *store.Store, o store.BKNOut) {
	t.Helper()
	for _, d := range o.Docs {
		data, err := office.BKNDocument(d)
		fxMust(t, err)
		fxMust(t, hub.ReceiveBKNDoc(d, data))
	}
}

func linesOf(t *testing.T, o store.BKNOut) store.BKNLines {
	t.Helper()
	var m store.BKNLines
	fxMust(t, json.Unmarshal(o.Body, &m))
	return m
}

// TestBKNHubReceivesOnce: the office's outbox row carries the submission, its documents' hashes and
// the message id instansi/submission/level/round; the hub refuses a document whose bytes do not
// match its hash, waits for documents not yet arrived, refuses another Kanreg's instansi and a
// subject naming another instansi, and stores a message once however often it is delivered.
// The same document bytes sent for two PNS are shown to each one's verifier.
func TestBKNHubReceivesOnce(t *testing.T) {
	f, rows := bknOffice(t)
	hub := newHub(t)
	m := linesOf(t, rows[0])
	if want := store.BKNLinesMsgID("P33", m.Submission.ID, 3, 1); m.MsgID != want || rows[0].MsgID != want {
		t.Fatalf("msg id = %q / %q, want %q", m.MsgID, rows[0].MsgID, want)
	}
	if len(m.Docs) == 0 || len(m.Docs[0].SHA256) != 64 {
		t.Fatalf("document refs = %+v", m.Docs)
	}
	_, err := hub.ReceiveBKNLines("P33", m)
	fxWantErr(t, err, store.ErrBKNDocMissing)

	d := m.Docs[0]
	fxWantErr(t, hub.ReceiveBKNDoc(d, []byte("%PDF-1.4\nforged\n%%EOF\n")), store.ErrBKNHash)
	deliverDocs(t, f.s, hub, rows[0])
	deliverDocs(t, f.s, hub, rows[0]) // a redelivery: nothing new

	other := newHub(t)
	fxMust(t, other.SetBKNLink(store.BKNLink{Role: store.BKNRoleKanreg, Kanreg: "II"}))
	deliverDocs(t, f.s, other, rows[0])
	_, err = other.ReceiveBKNLines("P33", m)
	fxWantErr(t, err, store.ErrBKNRefused)
	_, err = hub.ReceiveBKNLines("P34", m)
	fxWantErr(t, err, store.ErrBKNRefused)

	id1, err := hub.ReceiveBKNLines("P33", m)
	fxMust(t, err)
	id2, err := hub.ReceiveBKNLines("P33", m)
	fxMust(t, err)
	if id1 != id2 {
		t.Fatalf("a redelivered message made a second submission: #%d, #%d", id1, id2)
	}
	deliverDocs(t, f.s, hub, rows[1])
	_, err = hub.ReceiveBKNLines("P33", linesOf(t, rows[1]))
	fxMust(t, err)
	page, err := hub.Inbox(f.v3, "", 10)
	fxMust(t, err)
	if len(page.Items) != 2 {
		t.Fatalf("hub inbox = %d items, want 2", len(page.Items))
	}
	// The fixture's documents are the same bytes for Budi and Siti: each verifier opens both.
	for _, it := range page.Items {
		sub, err := hub.Submission(f.v3, it.ID)
		fxMust(t, err)
		for _, ref := range sub.Lines[0].Docs {
			meta, _, err := hub.Document(f.v3, ref.ID)
			fxMust(t, err)
			if meta.NIP != sub.NIP {
				t.Fatalf("document #%d of %s belongs to %s", ref.ID, sub.NIP, meta.NIP)
			}
		}
	}
}

// TestBKNDecisionAppliedOnce: the hub's verifier decides at the hub, its decision goes into the
// hub's outbox; the office applies it in one step with the new master version, a second delivery
// and a decision for another round change nothing, and a decision leaving a line undecided is
// refused without a trace.
func TestBKNDecisionAppliedOnce(t *testing.T) {
	f, rows := bknOffice(t)
	hub := newHub(t)
	var hubIDs []uint64
	for _, o := range rows {
		deliverDocs(t, f.s, hub, o)
		id, err := hub.ReceiveBKNLines("P33", linesOf(t, o))
		fxMust(t, err)
		hubIDs = append(hubIDs, id)
	}
	// At the hub a Kanreg verifier decides (turun status: bkn_turun_test.go).
	sub, err := hub.Submission(f.v3, hubIDs[0])
	fxMust(t, err)
	sub, err = hub.Decide(f.v3, hubIDs[0], sub.Rev, "nama", store.Setuju, "")
	fxMust(t, err)
	done, err := hub.Forward(f.v3, hubIDs[0], sub.Rev)
	fxMust(t, err)
	if done.State != store.StateDone || done.Version != 0 {
		t.Fatalf("hub copy after forward: %s version %d", done.State, done.Version)
	}
	out, err := hub.BKNOutbox(0, 10)
	fxMust(t, err)
	if len(out) != 1 || out[0].Kind != store.BKNKindDecision || out[0].Instansi != "P33" {
		t.Fatalf("hub outbox = %+v", out)
	}
	var d store.BKNDecision
	fxMust(t, json.Unmarshal(out[0].Body, &d))
	officeSub := linesOf(t, rows[0]).Submission

	bad := d
	bad.ID, bad.Decisions = "d/other", nil
	if _, err := f.s.ApplyBKNDecision(bad); !errors.Is(err, store.ErrBKNRefused) {
		t.Fatalf("a decision without verdicts: %v, want ErrBKNRefused", err)
	}
	stale := d
	stale.ID, stale.Round = "d/stale", d.Round+1
	if applied, err := f.s.ApplyBKNDecision(stale); err != nil || applied {
		t.Fatalf("a decision of another round: applied %v, %v", applied, err)
	}
	for i, want := range []bool{true, false} {
		applied, err := f.s.ApplyBKNDecision(d)
		fxMust(t, err)
		if applied != want {
			t.Fatalf("delivery %d: applied %v, want %v", i+1, applied, want)
		}
	}
	rec, err := f.s.Record(nipBudi)
	fxMust(t, err)
	if rec.Version != 2 || rec.Fields["nama"] != newName[nipBudi] {
		t.Fatalf("office master: version %d nama %q", rec.Version, rec.Fields["nama"])
	}
	got, err := f.s.Submission(f.budi, officeSub.ID)
	fxMust(t, err)
	if got.State != store.StateDone || got.Version != 2 {
		t.Fatalf("office submission: %s version %d", got.State, got.Version)
	}
	// The counters moved in the same step: Budi is done, Siti still waits at Level 3.
	counts, err := f.s.Counters()
	fxMust(t, err)
	if o := counts[store.CounterOffice]; o[string(store.StateDone)] != 1 || o[string(store.StateLevel3)] != 1 {
		t.Fatalf("office counters: done %d, level 3 %d; want 1 and 1", o[string(store.StateDone)], o[string(store.StateLevel3)])
	}
	if n, _ := f.s.BKNApplied(); n != 2 { // the decision and the stale one, each remembered once
		t.Fatalf("bkn_applied = %d, want 2", n)
	}
}
