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
	link(t, hub, bkn.Config{Role: store.BKNRoleKanreg, Kanreg: "I", URL: hs.url(), Offices: []string{"P33", "P34"}})
	link(t, offA.Store, bkn.Config{Instansi: "P33", URL: hs.url()})
	link(t, offB.Store, bkn.Config{Instansi: "P34", URL: hs.url()})
	return hs, hub, offA, offB
}

// decideAll has the hub's Kanreg verifier decide every line of a hub submission with verdict and forward.
func decideAll(t *testing.T, hub *store.Store, id uint64, verdict string) {
	t.Helper()
	decideAs(t, hub, v3Hub, id, verdict)
}

// decideAs is decideAll by the verifier v.
func decideAs(t *testing.T, hub *store.Store, v store.Actor, id uint64, verdict string) {
	t.Helper()
	sub, err := hub.Submission(v, id)
	must(t, err)
	for _, l := range sub.Undecided() {
		note := ""
		if verdict != store.Setuju {
			note = "tidak sesuai SK"
		}
		sub, err = hub.Decide(v, id, sub.Rev, l.Field, verdict, note)
		must(t, err)
	}
	_, err = hub.Forward(v, id, sub.Rev)
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

// TestMinistryToBKNPusat: an instansi pusat's lines go to BKN Pusat's hub (Level 4), whose
// verifier returns it with BTS: the office gets it back to the PNS, with the note; the PNS sends
// it again and round 2 travels as a new message, approved and applied once.
func TestMinistryToBKNPusat(t *testing.T) {
	hs := startHubServer(t)
	hub := storetest.Open(t, t.TempDir(), storetest.NewClock(storetest.Start, 0))
	off := storetest.NewOffice(t, storetest.With(storetest.SeedMinistry))
	link(t, hub, bkn.Config{Role: store.BKNRolePusat, URL: hs.url(), Offices: []string{"K01"}})
	link(t, off.Store, bkn.Config{Instansi: "K01", URL: hs.url()})
	v1 := store.Actor{Login: storetest.LoginV1Pusat, Role: store.RoleV1, ScopeID: "K01.U01"}
	v2 := store.Actor{Login: storetest.LoginV2Pusat, Role: store.RoleV2, ScopeID: "K01"}
	v4 := store.Actor{Login: "v4-pusat", Role: store.RoleV4}
	sub := toBKN(t, off.Store, storetest.NIPWati, "Wati Lestari Putri", v1, v2)
	if sub.State != store.StateLevel4 {
		t.Fatalf("ministry's submission at %s, want Level 4", sub.State)
	}
	var items []store.InboxItem
	eventually(t, "the submission in BKN Pusat's inbox", func() bool {
		page, err := hub.Inbox(v4, "", 10)
		must(t, err)
		items = page.Items
		return len(items) == 1
	})
	hsub, err := hub.Submission(v4, items[0].ID)
	must(t, err)
	hsub, err = hub.Decide(v4, hsub.ID, hsub.Rev, "nama", store.BTS, "SK CPNS tidak terbaca")
	must(t, err)
	_, err = hub.Forward(v4, hsub.ID, hsub.Rev)
	must(t, err)
	eventually(t, "the office returned it to the PNS", func() bool {
		return state(t, off.Store, storetest.NIPWati, sub.ID).State == store.StateReturned
	})
	got := state(t, off.Store, storetest.NIPWati, sub.ID)
	if d, ok := got.Lines[0].Decision(4, got.Round); !ok || d.Verdict != store.BTS || d.Note != "SK CPNS tidak terbaca" {
		t.Fatalf("office's Level 4 decision = %+v %v", d, ok)
	}

	// The PNS fixes the line and sends again: round 2 is a new message, a new hub submission.
	again := toBKN(t, off.Store, storetest.NIPWati, "Wati Lestari Putri", v1, v2)
	if again.ID != sub.ID || again.Round != 2 {
		t.Fatalf("resent: #%d round %d", again.ID, again.Round)
	}
	eventually(t, "round 2 in BKN Pusat's inbox", func() bool {
		page, err := hub.Inbox(v4, "", 10)
		must(t, err)
		items = page.Items
		return len(items) == 1 && items[0].ID != hsub.ID
	})
	decideAs(t, hub, v4, items[0].ID, store.Setuju)
	eventually(t, "round 2 applied", func() bool {
		return state(t, off.Store, storetest.NIPWati, sub.ID).State == store.StateDone
	})
	if rec, _ := off.Store.Record(storetest.NIPWati); rec.Fields["nama"] != "Wati Lestari Putri" || rec.Version != 2 {
		t.Fatalf("master after round 2: %q version %d", rec.Fields["nama"], rec.Version)
	}
}
