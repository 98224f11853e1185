package bkn_test

import (
	"testing"

	"pupns/store"
	"pupns/store/storetest"
)

// TestTurunStatusRoundTrip: with real in-process servers, an office sends; the Kanreg verifier
// sends it down to the office with a reason (turun status); the office applies it and its Level 2
// verifier finds it back with the reason; Level 2 forwards again and the lines reach the hub's
// inbox again, once, as the same hub submission; the Kanreg verifier approves and the office
// applies it once: one new master version, two messages applied (the turun and the decision).
func TestTurunStatusRoundTrip(t *testing.T) {
	_, hub, off, _ := newLinked(t)
	sent := toBKN(t, off.Store, storetest.NIPBudi, "Budi Susanto", v1P33, v2P33)
	eventually(t, "the submission in the Kanreg's inbox", func() bool { return len(hubInbox(t, hub)) == 1 })
	hubID := hubInbox(t, hub)[0].ID
	hsub, err := hub.Submission(v3Hub, hubID)
	must(t, err)
	const why = "berkas belum diverifikasi BKD"
	_, err = hub.SendDown(v3Hub, hubID, hsub.Rev, why)
	must(t, err)
	if n := len(hubInbox(t, hub)); n != 0 {
		t.Fatalf("hub inbox after turun status = %d items", n)
	}

	eventually(t, "the office took it back to Level 2", func() bool {
		return state(t, off.Store, storetest.NIPBudi, sent.ID).State == store.StateLevel2
	})
	v2sub, err := off.Store.Submission(v2P33, sent.ID)
	must(t, err)
	if st, ok := v2sub.ArrivedDown(); !ok || st.Note != why || st.By != v3Hub.Login || st.From != store.StateLevel3 {
		t.Fatalf("what Level 2 reads = %+v %v", st, ok)
	}
	if bs, _ := off.Store.BKNStatusOf(v2P33, sent.ID); bs.Sent || bs.Waiting {
		t.Fatalf("still marked on the way to BKN: %+v", bs)
	}

	again := pass(t, off.Store, v2P33, sent.ID) // Level 2 forwards again
	if again.State != store.StateLevel3 || again.BKNSends != 2 {
		t.Fatalf("forwarded again: %s, sends %d", again.State, again.BKNSends)
	}
	eventually(t, "the second send in the Kanreg's inbox", func() bool { return len(hubInbox(t, hub)) == 1 })
	if items := hubInbox(t, hub); len(items) != 1 || items[0].ID != hubID {
		t.Fatalf("hub inbox = %+v, want the same submission #%d once", items, hubID)
	}
	decideAll(t, hub, hubID, store.Setuju)

	eventually(t, "the office applied the approval", func() bool {
		return state(t, off.Store, storetest.NIPBudi, sent.ID).State == store.StateDone
	})
	rec, err := off.Store.Record(storetest.NIPBudi)
	must(t, err)
	if rec.Fields["nama"] != "Budi Susanto" || rec.Version != 2 {
		t.Fatalf("office master: nama %q version %d, want one new version", rec.Fields["nama"], rec.Version)
	}
	if vers, err := off.Store.Versions(storetest.NIPBudi); err != nil || len(vers) != 2 {
		t.Fatalf("%d versions (%v), want 2 (import and one applied submission)", len(vers), err)
	}
	if n, _ := off.Store.BKNApplied(); n != 2 {
		t.Fatalf("messages applied = %d, want 2 (the turun status and the decision)", n)
	}
	eventually(t, "both outboxes empty", func() bool {
		a, _ := off.Store.BKNOutboxLen()
		b, _ := hub.BKNOutboxLen()
		return a == 0 && b == 0
	})
	if n := len(hubInbox(t, hub)); n != 0 {
		t.Fatalf("hub inbox after the approval = %d items", n)
	}
}

// TestTurunStatusWhileLinkCut: the hub's verifier sends a submission down while the hub's server is
// down: the turun status waits in the hub's outbox and the office keeps it at Level 3; once the
// server is back the office applies it. Level 2 forwards again while the link is cut once more:
// the second send waits in the office's outbox ("menunggu koneksi ke BKN"), then reaches the hub's
// inbox once, as the same hub submission, and its approval is applied once.
func TestTurunStatusWhileLinkCut(t *testing.T) {
	hs, hub, off, _ := newLinked(t)
	st := off.Store
	sent := toBKN(t, st, storetest.NIPBudi, "Budi Susanto", v1P33, v2P33)
	eventually(t, "the submission at the hub", func() bool { return len(hubInbox(t, hub)) == 1 })
	hubID := hubInbox(t, hub)[0].ID

	hs.stop()
	hsub, err := hub.Submission(v3Hub, hubID)
	must(t, err)
	_, err = hub.SendDown(v3Hub, hubID, hsub.Rev, "SK CPNS belum dilegalisasi BKD")
	must(t, err)
	if n, _ := hub.BKNOutboxLen(); n != 1 {
		t.Fatalf("hub outbox while cut = %d, want 1 (the turun status)", n)
	}
	if got := state(t, st, storetest.NIPBudi, sent.ID); got.State != store.StateLevel3 {
		t.Fatalf("office while cut: %s", got.State)
	}
	hs.start()
	eventually(t, "the queued turun status applied", func() bool {
		return state(t, st, storetest.NIPBudi, sent.ID).State == store.StateLevel2
	})

	hs.stop()
	pass(t, st, v2P33, sent.ID)
	budi := store.Actor{Login: storetest.NIPBudi, Role: store.RolePNS, NIP: storetest.NIPBudi}
	if bs, err := st.BKNStatusOf(budi, sent.ID); err != nil || !bs.Waiting {
		t.Fatalf("second send while cut = %+v, %v; want waiting", bs, err)
	}
	hs.start()
	eventually(t, "the second send at the hub", func() bool { return len(hubInbox(t, hub)) == 1 })
	if items := hubInbox(t, hub); items[0].ID != hubID {
		t.Fatalf("second send became hub submission #%d, want #%d", items[0].ID, hubID)
	}
	decideAll(t, hub, hubID, store.Setuju)
	eventually(t, "the approval applied", func() bool {
		return state(t, st, storetest.NIPBudi, sent.ID).State == store.StateDone
	})
	if vers, err := st.Versions(storetest.NIPBudi); err != nil || len(vers) != 2 {
		t.Fatalf("%d versions (%v), want 2", len(vers), err)
	}
	if n, _ := st.BKNApplied(); n != 2 {
		t.Fatalf("messages applied = %d, want 2", n)
	}
}
