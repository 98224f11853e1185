package handlers

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"pupns/store"
)

// TestHubVerifierSendsDownToTheOffice: at a Kanreg hub, the review page offers BKN's verifier
// turun status to the office's Level 2; without a reason it answers 422 at the field and nothing
// leaves; with one it answers 303, the submission leaves the hub's inbox and the turun decision
// waits in the hub's outbox. The office applies it: its Level 2 verifier reads the reason on the
// review page, and the PNS's status page shows the step with it.
func TestHubVerifierSendsDownToTheOffice(t *testing.T) {
	w := newWorld(t) // the hub
	bknMust(t, w.st.SetBKNLink(store.BKNLink{Role: store.BKNRoleKanreg, Kanreg: "I"}))
	ow := newWorld(t) // the office
	bknMust(t, ow.st.SetBKNLink(store.BKNLink{Role: store.BKNRoleOffice}))
	sent, id := budiAtHub(t, w.st, ow.st)

	v3 := w.as("v3")
	page := v3.get(fmt.Sprintf("/verifikasi/%d", id))
	contains(t, "hub review", page.body, `id="turun-status"`, "Turunkan ke Verifikasi Level 2 (BKD) di kantor instansi")
	rev := revOf(t, page.body)
	r := v3.post(fmt.Sprintf("/verifikasi/%d/turun", id), url.Values{"rev": {rev}, "alasan_turun": {" "}})
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("turun without reason at the hub: %d", r.status)
	}
	contains(t, "422 page", r.body, `id="galat-turun"`, "Alasan turun status wajib diisi")
	if n, _ := w.st.BKNOutboxLen(); n != 0 {
		t.Fatalf("a refused turun status left %d hub outbox rows", n)
	}
	r = v3.post(fmt.Sprintf("/verifikasi/%d/turun", id), url.Values{"rev": {rev}, "alasan_turun": {"berkas belum diverifikasi BKD"}})
	if r.status != fiber.StatusSeeOther || r.header.Get("Location") != "/verifikasi" {
		t.Fatalf("turun at the hub: %d %q\n%s", r.status, r.header.Get("Location"), r.body)
	}
	inbox := v3.get("/verifikasi").body
	if want := fmt.Sprintf(`id="usulan-%d"`, id); strings.Contains(inbox, want) {
		t.Fatal("the sent-down submission is still in the hub's inbox")
	}
	out, err := w.st.BKNOutbox(0, 10)
	bknMust(t, err)
	if len(out) != 1 || out[0].MsgID != "t/"+store.BKNLinesMsgID("P33", sent.ID, 3, sent.Round) {
		t.Fatalf("hub outbox = %+v", out)
	}
	var d store.BKNDecision
	bknMust(t, json.Unmarshal(out[0].Body, &d))
	if applied, err := ow.st.ApplyBKNDecision(d); err != nil || !applied {
		t.Fatalf("office applies the turun status: %v %v", applied, err)
	}

	v2 := ow.as("v2")
	contains(t, "office level 2 inbox", v2.get("/verifikasi").body, fmt.Sprintf(`id="usulan-%d"`, sent.ID))
	contains(t, "office level 2 review", v2.get(fmt.Sprintf("/verifikasi/%d", sent.ID)).body,
		`id="info-turun"`, "Diturunkan dari Verifikasi Level 3 (Kanreg BKN) oleh v3", "berkas belum diverifikasi BKD")
	contains(t, "PNS status", ow.as(nipBudi).get("/status").body,
		"Verifikasi Level 3 (Kanreg BKN) → <b>Verifikasi Level 2 (BKD)</b> oleh v3 : berkas belum diverifikasi BKD")
}
