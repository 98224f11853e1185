package bkn_test

import (
	"testing"

	"pupns/handlers/bkn"
	"pupns/store"
	"pupns/store/storetest"
)

// newLinked starts the hub's NATS server, the Kanreg I hub and two offices (P33 and P34), each
// with its own store, relay and consumers.
func newLinked(t *testing.T) (hs *hubServer, hub *store.Store, offA, offB *storetest.Office) {
	t.Helper()
	hs = startHubServer(t)
	hub = storetest.Open(t, t.TempDir(), storetest.NewClock(storetest.Start, 0))
	offA = storetest.NewOffice(t)
	offB = storetest.NewOffice(t, storetest.With(seedDIY))
	link(t, hub, bkn.Config{Role: store.BKNKanreg, Kanreg: "I", URL: hs.url(), Offices: []string{"P33", "P34"}})
	link(t, offA.Store, bkn.Config{Instansi: "P33", URL: hs.url()})
	link(t, offB.Store, bkn.Config{Instansi: "P34", URL: hs.url()})
	return hs, hub, offA, offB
}

// decideAll has the hub's verifier decide every line of a hub submission with verdict and forward.
func decideAll(t *testing.T, hub *store.Store, id uint64, verdict string) {
	t.Helper()
	sub, err := hub.Submission(v3Hub, id)
	must(t, err)
	for _, l := range sub.Undecided() {
		note := ""
		if verdict != store.Setuju {
			note = "tidak sesuai SK"
		}
		sub, err = hub.Decide(v3Hub, id, sub.Rev, l.Field, verdict, note)
		must(t, err)
	}
	_, err = hub.Forward(v3Hub, id, sub.Rev)
	must(t, err)
}

// state reads an office's submission as its PNS sees it.
func state(t *testing.T, st *store.Store, nip string, id uint64) store.Submission {
	t.Helper()
	sub, err := st.Submission(store.Actor{Login: nip, Role: store.RolePNS, NIP: nip}, id)
	must(t, err)
	return sub
}

// TestTwoOfficesOneKanregInbox: two offices send a line needing BKN; both arrive, with their
// documents (hash-checked), in the one inbox of Kanreg I at the hub; its verifier approves one and
// rejects the other there; each office applies its decision: a new master version for the
// approved line, none for the rejected one, each applied once.
func TestTwoOfficesOneKanregInbox(t *testing.T) {
	_, hub, offA, offB := newLinked(t)
	subA := toBKN(t, offA.Store, storetest.NIPBudi, "Budi Susanto", v1P33, v2P33)
	subB := toBKN(t, offB.Store, nipRudi, "Rudi Hartanto", v1P34, v2P34)

	eventually(t, "both submissions in the Kanreg's inbox", func() bool { return len(hubInbox(t, hub)) == 2 })
	byNIP := map[string]uint64{}
	for _, it := range hubInbox(t, hub) {
		byNIP[it.NIP] = it.ID
	}
	// The documents came along: the hub's verifier opens each one the line carries.
	hsub, err := hub.Submission(v3Hub, byNIP[storetest.NIPBudi])
	must(t, err)
	if len(hsub.Lines) != 1 || len(hsub.Lines[0].Docs) == 0 {
		t.Fatalf("hub copy lines = %+v", hsub.Lines)
	}
	for _, d := range hsub.Lines[0].Docs {
		m, data, err := hub.Document(v3Hub, d.ID)
		must(t, err)
		if string(data) != string(pdfFor(storetest.NIPBudi, m.Kind)) {
			t.Fatalf("document %s at the hub = %q", m.Kind, data)
		}
	}
	decideAll(t, hub, byNIP[storetest.NIPBudi], store.Setuju)
	decideAll(t, hub, byNIP[nipRudi], store.TMS)

	eventually(t, "both offices applied", func() bool {
		return state(t, offA.Store, storetest.NIPBudi, subA.ID).State == store.StateDone &&
			state(t, offB.Store, nipRudi, subB.ID).State == store.StateDone
	})
	recA, err := offA.Store.Record(storetest.NIPBudi)
	must(t, err)
	if recA.Fields["nama"] != "Budi Susanto" || recA.Version != 2 {
		t.Fatalf("office A master: nama %q version %d", recA.Fields["nama"], recA.Version)
	}
	recB, err := offB.Store.Record(nipRudi)
	must(t, err)
	if recB.Fields["nama"] != "Rudi Hartono" || recB.Version != 1 {
		t.Fatalf("office B master after TMS: nama %q version %d", recB.Fields["nama"], recB.Version)
	}
	doneA := state(t, offA.Store, storetest.NIPBudi, subA.ID)
	if d, ok := doneA.Lines[0].Decision(3, doneA.Round); !ok || d.By != v3Hub.Login || d.Verdict != store.Setuju {
		t.Fatalf("office A's Level 3 decision = %+v %v", d, ok)
	}
	for _, o := range []*storetest.Office{offA, offB} {
		if n, _ := o.Store.BKNApplied(); n != 1 {
			t.Fatalf("decisions applied = %d, want 1", n)
		}
		if n, _ := o.Store.BKNOutboxLen(); n != 0 {
			t.Fatalf("office outbox = %d rows, want 0", n)
		}
	}
	if n, _ := hub.BKNOutboxLen(); n != 0 {
		t.Fatalf("hub outbox = %d rows, want 0", n)
	}
}
