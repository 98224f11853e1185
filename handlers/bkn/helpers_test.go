package bkn_test

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"pupns/handlers/bkn"
	"pupns/store"
	"pupns/store/storetest"
)

// The offices of the tests: P33 (storetest's office, Kanreg I) and P34 (another instansi daerah of
// Kanreg I), each with a Level 1 and a Level 2 verifier; the hub is Kanreg I with one verifier.
var (
	v1P33 = store.Actor{Login: storetest.LoginV1, Role: store.RoleV1, ScopeID: "U01"}
	v2P33 = store.Actor{Login: storetest.LoginV2, Role: store.RoleV2, ScopeID: "P33"}
	v1P34 = store.Actor{Login: "v1-diy", Role: store.RoleV1, ScopeID: "U34"}
	v2P34 = store.Actor{Login: "v2-diy", Role: store.RoleV2, ScopeID: "P34"}
	v3Hub = store.Actor{Login: "v3-kanreg1", Role: store.RoleV3, ScopeID: "I", Name: "Verifikator Kanreg I"}

	nipRudi = "199203142012031004" // born 1992-03-14, TMT CPNS 2012-03, male: a PNS of P34
)

// seedDIY adds P34's unit and Rudi's master record to an office (its second instansi).
func seedDIY(st *store.Store) error {
	if err := st.PutUnit(store.Unit{ID: "U34", InstansiID: "P34", Name: "Badan Kepegawaian Daerah DIY"}); err != nil {
		return err
	}
	rec := storetest.Record(nipRudi, "U34", "Rudi Hartono", storetest.NIK(nipRudi, 9))
	rec.InstansiID = "P34"
	_, _, bad, err := st.PutMaster([]store.MasterInput{{Record: rec}}, "test", "fixture")
	if err == nil && len(bad) > 0 {
		return fmt.Errorf("Rudi's record refused: %v", bad)
	}
	return err
}

// pdfFor is a small PDF whose bytes differ per PNS and document kind.
func pdfFor(nip, kind string) []byte {
	return []byte("%PDF-1.4\n% " + nip + " " + kind + "\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
}

// toBKN has a PNS propose a new name (a line needing BKN) with its documents and send it, and
// Levels 1 and 2 approve and forward it: it reaches its BKN level (and the office's outbox).
func toBKN(t *testing.T, st *store.Store, nip, name string, v1, v2 store.Actor) store.Submission {
	t.Helper()
	pns := store.Actor{Login: nip, Role: store.RolePNS, NIP: nip}
	must(t, err3(st.Propose(pns, nip, "nama", name, "sesuai SK CPNS")))
	form, err := st.Form(pns, nip)
	must(t, err)
	for _, kind := range form.MissingDocs("nama") {
		_, _, err := st.AddDocument(pns, nip, "nama", kind, kind+".pdf", bytes.NewReader(pdfFor(nip, kind)))
		must(t, err)
	}
	_, err = st.Confirm(pns, nip, store.AllCheckKeys(), true)
	must(t, err)
	sub, err := st.Kirim(pns, nip)
	must(t, err)
	for _, v := range []store.Actor{v1, v2} {
		sub = pass(t, st, v, sub.ID)
	}
	if sub.State != store.StateLevel3 && sub.State != store.StateLevel4 {
		t.Fatalf("after Level 2: %s, want a BKN level", sub.State)
	}
	return sub
}

// pass has a verifier approve every line in front of them and forward.
func pass(t *testing.T, st *store.Store, v store.Actor, id uint64) store.Submission {
	t.Helper()
	sub, err := st.Submission(v, id)
	must(t, err)
	for _, l := range sub.Undecided() {
		sub, err = st.Decide(v, id, sub.Rev, l.Field, store.Setuju, "")
		must(t, err)
	}
	sub, err = st.Forward(v, id, sub.Rev)
	must(t, err)
	return sub
}

// hubInbox lists the hub verifier's inbox, newest first.
func hubInbox(t *testing.T, st *store.Store) []store.InboxItem {
	t.Helper()
	page, err := st.Inbox(v3Hub, "", 100)
	must(t, err)
	return page.Items
}

// eventually polls cond until it holds, failing the test after a minute: make test runs the packages
// side by side under -race, and on such a loaded machine a reconnection with its back-off (up to 10 s)
// can take more than 20 s. A test waits only as long as cond takes to hold.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting: %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// hubServer is the hub's embedded NATS server with JetStream in a folder that outlives a restart.
type hubServer struct {
	t    *testing.T
	dir  string
	port int
	srv  *server.Server
}

func startHubServer(t *testing.T) *hubServer {
	t.Helper()
	h := &hubServer{t: t, dir: filepath.Join(t.TempDir(), "jetstream"), port: -1}
	h.start()
	h.port = h.srv.Addr().(*net.TCPAddr).Port
	t.Cleanup(func() { h.stop() })
	return h
}

func (h *hubServer) start() {
	h.t.Helper()
	srv, err := bkn.StartPlainServer("127.0.0.1", h.port, h.dir)
	must(h.t, err)
	h.srv = srv
}

func (h *hubServer) stop() {
	if h.srv != nil {
		h.srv.Shutdown()
		h.srv.WaitForShutdown()
		h.srv = nil
	}
}

func (h *hubServer) url() string { return fmt.Sprintf("nats://127.0.0.1:%d", h.port) }

// link starts a role's relay and consumers against the hub's server, stopped when the test ends.
func link(t *testing.T, st *store.Store, cfg bkn.Config) {
	t.Helper()
	if cfg.Poll == 0 {
		cfg.Poll = 50 * time.Millisecond
	}
	cfg.Log = slog.New(slog.NewTextHandler(io.Discard, nil)) // waits for a server that is down are expected here
	stop, err := bkn.Link(st, cfg)
	must(t, err)
	t.Cleanup(stop)
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func err3[A, B any](_ A, _ B, err error) error { return err }
