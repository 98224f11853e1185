package bkn_test

import (
	"testing"

	"pupns/store"
	"pupns/store/storetest"
)

// TestLinkCutMidFlow: with the hub's server down, the office keeps working locally (forms, Kirim,
// Levels 1 and 2) and queues, and its PNS reads "waiting for the link since"; the hub's verifier
// keeps deciding what already arrived, and the hub queues the decision. Once the server restarts
// on the same store folder, everything flows in order: the queued lines arrive, the queued
// decision is applied, and a redelivered decision changes nothing (each applied exactly once).
func TestLinkCutMidFlow(t *testing.T) {
	hs, hub, offA, _ := newLinked(t)
	st := offA.Store
	first := toBKN(t, st, storetest.NIPBudi, "Budi Susanto", v1P33, v2P33)
	eventually(t, "Budi's submission at the hub", func() bool { return len(hubInbox(t, hub)) == 1 })
	hubFirst := hubInbox(t, hub)[0].ID

	hs.stop() // the link is cut
	second := toBKN(t, st, storetest.NIPSri, "Sri Wahyuningsih", v1P33, v2P33)
	sri := store.Actor{Login: storetest.NIPSri, Role: store.RolePNS, NIP: storetest.NIPSri}
	status, err := st.BKNStatusOf(sri, second.ID)
	must(t, err)
	if !status.Waiting || !status.Since.Equal(offA.Clock.Now()) {
		t.Fatalf("status while cut = %+v, want waiting since %v", status, offA.Clock.Now())
	}
	decideAll(t, hub, hubFirst, store.Setuju) // the hub works on what it has: its decision queues
	if n, _ := hub.BKNOutboxLen(); n != 1 {
		t.Fatalf("hub outbox while cut = %d, want 1", n)
	}
	if n, _ := st.BKNOutboxLen(); n != 1 {
		t.Fatalf("office outbox while cut = %d, want 1", n)
	}
	if got := state(t, st, storetest.NIPBudi, first.ID); got.State != store.StateLevel3 {
		t.Fatalf("Budi's submission while cut: %s", got.State)
	}

	hs.start() // the same port and store folder: streams, consumers and messages survive
	eventually(t, "the queued decision applied", func() bool {
		return state(t, st, storetest.NIPBudi, first.ID).State == store.StateDone
	})
	eventually(t, "Sri's queued lines at the hub", func() bool { return len(hubInbox(t, hub)) == 1 && hubInbox(t, hub)[0].NIP == storetest.NIPSri })
	status, err = st.BKNStatusOf(sri, second.ID)
	must(t, err)
	if status.Waiting || !status.Sent {
		t.Fatalf("status after the link came back = %+v, want sent", status)
	}
	decideAll(t, hub, hubInbox(t, hub)[0].ID, store.Setuju)
	eventually(t, "Sri's decision applied", func() bool {
		return state(t, st, storetest.NIPSri, second.ID).State == store.StateDone
	})

	// Nothing was applied twice: one new version each, two decisions applied, and the same
	// decision once more (as a redelivery would bring it) changes nothing.
	for _, nip := range []string{storetest.NIPBudi, storetest.NIPSri} {
		vers, err := st.Versions(nip)
		must(t, err)
		if len(vers) != 2 {
			t.Fatalf("%s: %d versions, want 2 (import and one applied submission)", nip, len(vers))
		}
	}
	if n, _ := st.BKNApplied(); n != 2 {
		t.Fatalf("decisions applied = %d, want 2", n)
	}
	again := store.BKNDecision{ID: "d/" + store.BKNLinesMsgID("P33", first.ID, 3, first.Round), Instansi: "P33",
		SubmissionID: first.ID, Level: 3, Round: first.Round,
		Decisions: []store.Decision{{Field: "nama", Verdict: store.Setuju, By: v3Hub.Login}}, By: v3Hub.Login}
	applied, err := st.ApplyBKNDecision(again)
	must(t, err)
	if applied {
		t.Fatal("a redelivered decision was applied again")
	}
	if vers, _ := st.Versions(storetest.NIPBudi); len(vers) != 2 {
		t.Fatalf("after the redelivery: %d versions", len(vers))
	}
}
