package bkn_test

import (
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"pupns/handlers/bkn"
	"pupns/handlers/bkn/bkntest"
	"pupns/store"
	"pupns/store/storetest"
)

// TestFlowThroughConfiguredServers: the flow through the servers serve configures, not plain ones.
// Kanreg I's hub is bkn.Start as `serve --role kanreg` starts it (TLS leafnode listener, JetStream
// in the domain bkn, the offices as NKey users from its register); office P33 is bkn.Start as
// `serve --bkn-hub` starts it (its own server, a leaf node of the hub over TLS with its seed). The
// office's relay publishes Budi's lines and documents through the leaf, the hub's consumers put
// them in its inbox, the hub's verifier decides, and the office applies the decision once.
func TestFlowThroughConfiguredServers(t *testing.T) {
	dir := t.TempDir()
	pki := bkntest.NewPKI(t, dir, "bkn")
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))

	hubDir := filepath.Join(dir, "hub")
	hub := storetest.Open(t, hubDir, storetest.NewClock(storetest.Start, 0))
	seed, pub, err := bkn.NewOfficeKey()
	must(t, err)
	seedFile := filepath.Join(dir, "kantor-P33.nk")
	must(t, bkn.WriteSeedFile(seedFile, "P33", seed))
	_, err = hub.RegisterBKNOffice(store.SystemActor, "P33", pub, false)
	must(t, err)
	hubSite, err := bkn.Start(hub, hubDir, bkn.Settings{Role: store.BKNRoleKanreg, Kanreg: "I", LeafListen: "127.0.0.1:0",
		Cert: pki.Cert, Key: pki.Key, CA: pki.CA, Poll: 50 * time.Millisecond}, quiet)
	must(t, err)
	t.Cleanup(hubSite.Close)

	off := storetest.NewOffice(t)
	offSite, err := bkn.Start(off.Store, off.Dir, bkn.Settings{HubURL: hubSite.Hub.LeafURL(), Seed: seedFile, HubCA: pki.CA,
		Poll: 50 * time.Millisecond}, quiet)
	must(t, err)
	t.Cleanup(offSite.Close)
	if offSite.Office == nil || offSite.Office.Instansi() != "P33" || !off.Store.LinkedToHub() {
		t.Fatalf("office site %+v, linked %v", offSite, off.Store.LinkedToHub())
	}

	sub := toBKN(t, off.Store, storetest.NIPBudi, "Budi Susanto", v1P33, v2P33)
	eventually(t, "Budi's submission in Kanreg I's inbox at the hub", func() bool { return len(hubInbox(t, hub)) == 1 })
	hubID := hubInbox(t, hub)[0].ID
	hsub, err := hub.Submission(v3Hub, hubID)
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
	decideAll(t, hub, hubID, store.Setuju)

	eventually(t, "the office applied the hub's decision", func() bool {
		return state(t, off.Store, storetest.NIPBudi, sub.ID).State == store.StateDone
	})
	rec, err := off.Store.Record(storetest.NIPBudi)
	must(t, err)
	if rec.Fields["nama"] != "Budi Susanto" || rec.Version != 2 {
		t.Fatalf("office master: nama %q version %d", rec.Fields["nama"], rec.Version)
	}
	eventually(t, "both outboxes empty", func() bool {
		a, _ := off.Store.BKNOutboxLen()
		b, _ := hub.BKNOutboxLen()
		return a == 0 && b == 0
	})
	if n, _ := off.Store.BKNApplied(); n != 1 {
		t.Fatalf("decisions applied = %d, want 1", n)
	}
}
