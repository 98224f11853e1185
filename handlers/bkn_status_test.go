package handlers

import (
	"bytes"
	"errors"
	"testing"

	"pupns/store"
)

// TestStatusShowsTheWayToBKN: in an office linked to BKN, the PNS's status page says which lines
// wait for the link to BKN and since when, and once the hub's stream acknowledged them, when they
// were sent; no local Level 3 account may decide them meanwhile.
func TestStatusShowsTheWayToBKN(t *testing.T) {
	w := newWorld(t)
	bknMust(t, w.st.SetBKNLink(store.BKNLink{Role: store.BKNOffice}))
	pns := store.Actor{Login: nipBudi, Role: store.RolePNS, NIP: nipBudi}
	_, _, err := w.st.Propose(pns, nipBudi, "nama", "Budi Susanto", "sesuai SK CPNS")
	bknMust(t, err)
	form, err := w.st.Form(pns, nipBudi)
	bknMust(t, err)
	for _, kind := range form.MissingDocs("nama") {
		_, _, err := w.st.AddDocument(pns, nipBudi, "nama", kind, kind+".pdf", bytes.NewReader([]byte("%PDF-1.4\n"+kind+"\n%%EOF\n")))
		bknMust(t, err)
	}
	_, err = w.st.Confirm(pns, nipBudi, store.AllCheckKeys(), true)
	bknMust(t, err)
	sub, err := w.st.Kirim(pns, nipBudi)
	bknMust(t, err)
	for _, v := range []store.Actor{{Login: "v1-didik", Role: store.RoleV1, ScopeID: "U01"}, {Login: "v2", Role: store.RoleV2, ScopeID: "P33"}} {
		cur, err := w.st.Decide(v, sub.ID, sub.Rev, "nama", store.Setuju, "")
		bknMust(t, err)
		sub, err = w.st.Forward(v, sub.ID, cur.Rev)
		bknMust(t, err)
	}
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

func bknMust(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
