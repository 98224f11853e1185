package handlers

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"pupns/store"
	"pupns/store/storetest"
)

// TestStatusShowsTheWayToBKN: in an office linked to BKN, the PNS's status page says which lines
// wait for the link to BKN and since when, and once the hub's stream acknowledged them, when they
// were sent; no local Level 3 account may decide them meanwhile.
func TestStatusShowsTheWayToBKN(t *testing.T) {
	w := newWorld(t)
	bknMust(t, w.st.SetBKNLink(store.BKNLink{Role: store.BKNRoleOffice}))
	sub := budiToBKN(t, w.st)
	// A linked office's Level 3 is decided at BKN, never by a local account.
	if _, err := w.st.Decide(store.Actor{Login: "v3", Role: store.RoleV3, ScopeID: "I"}, sub.ID, sub.Rev, "nama", store.Setuju, ""); !errors.Is(err, store.ErrForbidden) {
		t.Fatalf("local Level 3 decision in a linked office: %v, want ErrForbidden", err)
	}
	c := w.as(nipBudi)
	contains(t, "waiting", c.get("/status").body, `id="status-bkn"`, "Nama: menunggu koneksi ke BKN sejak "+fmtTime(w.clock.Now()))

	rows, err := w.st.BKNOutbox(0, 10)
	bknMust(t, err)
	if len(rows) != 1 {
		t.Fatalf("outbox rows = %d, want 1", len(rows))
	}
	bknMust(t, w.st.BKNAcked(rows[0].Seq))
	contains(t, "sent", c.get("/status").body, "Nama: terkirim ke Kanreg BKN pada "+fmtTime(w.clock.Now()))
}

// budiToBKN has Budi propose a new name (a line needing BKN) with its documents and send it, and
// Levels 1 and 2 of the test office approve it: it waits at Level 3 (in a linked office, in the
// outbox too).
// budiAtHub sends Budi's submission from the office's store to BKN (budiToBKN) and hands its outbox
// message to the hub's store as the relay and the hub's consumers would (the documents, then the
// lines): what the office sent and the hub's submission id.
func budiAtHub(t *testing.T, hub, office *store.Store) (store.Submission, uint64) {
	t.Helper()
	sent := budiToBKN(t, office)
	rows, err := office.BKNOutbox(0, 10)
	bknMust(t, err)
	var m store.BKNLines
	bknMust(t, json.Unmarshal(rows[0].Body, &m))
	for _, d := range m.Docs {
		data, err := office.BKNDocument(d)
		bknMust(t, err)
		bknMust(t, hub.ReceiveBKNDoc(d, data))
	}
	id, err := hub.ReceiveBKNLines("P33", m)
	bknMust(t, err)
	return sent, id
}

func budiToBKN(t *testing.T, st *store.Store) store.Submission {
	t.Helper()
	pns := store.Actor{Login: nipBudi, Role: store.RolePNS, NIP: nipBudi}
	_, _, err := st.Propose(pns, nipBudi, "nama", "Budi Susanto", "sesuai SK CPNS")
	bknMust(t, err)
	form, err := st.Form(pns, nipBudi)
	bknMust(t, err)
	for _, kind := range form.MissingDocs("nama") {
		_, _, err := st.AddDocument(pns, nipBudi, "nama", kind, kind+".pdf", bytes.NewReader([]byte("%PDF-1.4\n"+kind+"\n%%EOF\n")))
		bknMust(t, err)
	}
	_, err = st.Confirm(pns, nipBudi, store.AllCheckKeys(), true)
	bknMust(t, err)
	sub, err := st.Kirim(pns, nipBudi)
	bknMust(t, err)
	for _, v := range []store.Actor{{Login: "v1-didik", Role: store.RoleV1, ScopeID: "U01"}, {Login: "v2", Role: store.RoleV2, ScopeID: "P33"}} {
		cur, err := st.Decide(v, sub.ID, sub.Rev, "nama", store.Setuju, "")
		bknMust(t, err)
		sub, err = st.Forward(v, sub.ID, cur.Rev)
		bknMust(t, err)
	}
	return sub
}

// TestHubVerifierUsesTheInboxPages: at a Kanreg hub, BKN's verifier logs in at the hub, finds the
// office's submission in the ordinary inbox, reads its documents, decides on the ordinary review
// page (whose last step says the decision goes back to the office; turun status:
// TestHubVerifierSendsDownToTheOffice), and the decision waits in the hub's outbox for the office, which applies it.
func TestHubVerifierUsesTheInboxPages(t *testing.T) {
	w := newWorld(t)
	bknMust(t, w.st.SetBKNLink(store.BKNLink{Role: store.BKNRoleKanreg, Kanreg: "I"}))
	office := storetest.NewOffice(t)
	bknMust(t, office.Store.SetBKNLink(store.BKNLink{Role: store.BKNRoleOffice}))
	sent, id := budiAtHub(t, w.st, office.Store)

	v3 := w.as("v3")
	contains(t, "hub inbox", v3.get("/verifikasi").body, fmt.Sprintf(`id="usulan-%d"`, id), "Budi Santoso")
	hubSub, err := w.st.Submission(store.Actor{Login: "v3", Role: store.RoleV3, ScopeID: "I"}, id)
	bknMust(t, err)
	doc := v3.get(fmt.Sprintf("/dokumen/%d", hubSub.Lines[0].Docs[0].ID))
	if doc.status != fiber.StatusOK || !strings.HasPrefix(doc.body, "%PDF") {
		t.Fatalf("document at the hub: %d %.40q", doc.status, doc.body)
	}
	decide(t, v3, id, "nama", "setuju", "")
	page := v3.get(fmt.Sprintf("/verifikasi/%d", id))
	contains(t, "hub review", page.body, "Selesaikan: kirim putusan ke kantor instansi")
	forward(t, v3, id)
	out, err := w.st.BKNOutbox(0, 10)
	bknMust(t, err)
	if len(out) != 1 || out[0].Kind != store.BKNKindDecision {
		t.Fatalf("hub outbox = %+v", out)
	}
	var d store.BKNDecision
	bknMust(t, json.Unmarshal(out[0].Body, &d))
	applied, err := office.Store.ApplyBKNDecision(d)
	if err != nil || !applied {
		t.Fatalf("office applies: %v %v", applied, err)
	}
	rec, err := office.Store.Record(nipBudi)
	bknMust(t, err)
	if rec.Fields["nama"] != "Budi Susanto" || sent.State != store.StateLevel3 {
		t.Fatalf("office master after the hub's decision: %q", rec.Fields["nama"])
	}
}

func bknMust(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestLinkedOfficeLoginPageSendsBKNToTheHub: at an office linked to its hub, a Level 3 account
// made before the link is refused at the login page (422) with the sentence that says where BKN's
// verifiers work; the office's own verifiers log in as before.
func TestLinkedOfficeLoginPageSendsBKNToTheHub(t *testing.T) {
	w := newWorld(t)
	if err := w.st.SetBKNLink(store.BKNLink{Role: store.BKNRoleOffice}); err != nil {
		t.Fatal(err)
	}
	c := w.client()
	c.get("/masuk")
	r := c.post("/masuk", url.Values{"login": {storetest.LoginV3}, "password": {pw}})
	if r.status != fiber.StatusUnprocessableEntity || !strings.Contains(r.body, "verifikator Level 3 dan Level 4 bekerja di server Kanreg BKN") {
		t.Fatalf("Level 3 at a linked office: %d\n%s", r.status, r.body)
	}
	w.as(storetest.LoginV1) // a Level 1 verifier of the office still logs in
}
