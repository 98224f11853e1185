package handlers

import (
	"net/url"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"pupns/store"
)

// TestAutosaveMakesNoProposalOutOfASlip: while the PNS types, a changed value without a reason,
// or a value equal to the master value, is not stored; the message under the input says why.
// Only a changed value with a reason becomes a proposal on its own; Simpan saves without one.
func TestAutosaveMakesNoProposalOutOfASlip(t *testing.T) {
	w := newWorld(t)
	pns := w.as(nipBudi)
	entries := func() map[string]store.Entry {
		f, err := w.st.Form(store.Actor{Login: nipBudi, Role: store.RolePNS, NIP: nipBudi}, nipBudi)
		if err != nil {
			t.Fatal(err)
		}
		return f.Entries
	}
	r := pns.hx("POST", "/data/utama/tempat_lahir", url.Values{"nilai": {"xSemarang"}, "alasan": {""}}, "msg-tempat_lahir")
	if r.status != fiber.StatusOK || !strings.Contains(r.body, "Belum disimpan: tulis alasan") {
		t.Fatalf("a changed value without a reason: %d\n%s", r.status, r.body)
	}
	if e, ok := entries()["tempat_lahir"]; ok {
		t.Fatalf("a keystroke without a reason became a proposal: %+v", e)
	}
	rec, err := w.st.Record(nipBudi)
	if err != nil {
		t.Fatal(err)
	}
	master := rec.MasterValue("tempat_lahir")
	r = pns.hx("POST", "/data/utama/tempat_lahir", url.Values{"nilai": {master}, "alasan": {"salah ketik"}}, "msg-tempat_lahir")
	if r.status != fiber.StatusOK || !strings.Contains(r.body, "Sama dengan data saat ini") {
		t.Fatalf("the unchanged value: %d\n%s", r.status, r.body)
	}
	if _, ok := entries()["tempat_lahir"]; ok {
		t.Fatal("an unchanged value became a proposal")
	}
	// Simpan with the unchanged value is refused at the field, never stored.
	r = pns.hx("POST", "/data/utama/tempat_lahir", url.Values{"nilai": {master}, "alasan": {""}}, "f-tempat_lahir")
	if r.status != fiber.StatusUnprocessableEntity || !strings.Contains(r.body, "sama dengan data saat ini") {
		t.Fatalf("Simpan of the unchanged value: %d\n%s", r.status, r.body)
	}
	if _, ok := entries()["tempat_lahir"]; ok {
		t.Fatal("Simpan stored an unchanged value")
	}
	r = pns.hx("POST", "/data/utama/tempat_lahir", url.Values{"nilai": {"Kendal"}, "alasan": {"sesuai akta"}}, "msg-tempat_lahir")
	if r.status != fiber.StatusOK || !strings.Contains(r.body, "Tersimpan otomatis") || entries()["tempat_lahir"].New != "Kendal" {
		t.Fatalf("a changed value with a reason: %d %+v\n%s", r.status, entries()["tempat_lahir"], r.body)
	}
	// Taken back in one press from the open row (the edit form carries Batalkan usulan).
	r = pns.hx("GET", "/data/utama/tempat_lahir/ubah", nil, "f-tempat_lahir")
	contains(t, "edit row of a proposal", r.body, `id="batal-edit-tempat_lahir"`, `hx-post="/data/utama/tempat_lahir/batal"`)
	pns.hx("POST", "/data/utama/tempat_lahir/batal", nil, "f-tempat_lahir")
	if _, ok := entries()["tempat_lahir"]; ok {
		t.Fatal("Batalkan usulan left the proposal")
	}
}
