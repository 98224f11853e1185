package handlers

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"pupns/store"
)

// TestWithdrawFromStatusPage: the tracking page offers Tarik while no verifier has opened the
// submission; Tarik unlocks the form. Once the Level 1 verifier loads the review page, the offer is
// gone and a Tarik posted from an old page is refused with a sentence, moving nothing.
func TestWithdrawFromStatusPage(t *testing.T) {
	w := newWorld(t)
	id := kirimBudi(t, w)
	pns := w.as(nipBudi)
	contains(t, "status before opening", pns.get("/status").body, `id="tombol-tarik"`)
	r := pns.post("/status/tarik", nil)
	if r.status != fiber.StatusSeeOther || r.header.Get("Location") != "/data" {
		t.Fatalf("tarik: %d %q", r.status, r.header.Get("Location"))
	}
	r = pns.get("/data")
	contains(t, "form after tarik", r.body, `id="batal-nama"`, `id="silang-alamat"`, "Usulan ditarik")
	contains(t, "status after tarik", pns.get("/status").body, `id="ditarik"`, "Ditarik oleh PNS")
	if r := w.as("v1-didik").get("/verifikasi"); strings.Contains(r.body, fmt.Sprintf(`id="usulan-%d"`, id)) {
		t.Fatal("withdrawn submission still in the inbox")
	}

	// Send again; the verifier opens it; the offer disappears and a late Tarik is refused.
	if r := pns.hx("POST", "/kirim", nil, "kirim-panel"); r.header.Get("HX-Redirect") != "/status" {
		t.Fatalf("resend: %d %s", r.status, r.body)
	}
	old := pns.get("/status")
	contains(t, "status after resend", old.body, `id="tombol-tarik"`)
	if r := w.as("v1-didik").get(fmt.Sprintf("/verifikasi/%d", id)); r.status != 200 {
		t.Fatalf("review: %d", r.status)
	}
	if strings.Contains(pns.get("/status").body, `id="tombol-tarik"`) {
		t.Fatal("Tarik still offered after a verifier opened the submission")
	}
	r = pns.post("/status/tarik", nil)
	if r.status != fiber.StatusSeeOther || r.header.Get("Location") != "/status" {
		t.Fatalf("late tarik: %d %q", r.status, r.header.Get("Location"))
	}
	contains(t, "late tarik message", pns.get("/status").body, "tidak dapat ditarik", "Verifikasi Level 1")
	if subs, _ := w.st.Submissions(store.Actor{Login: nipBudi, Role: store.RolePNS, NIP: nipBudi}, nipBudi); subs[0].State != store.StateLevel1 {
		t.Fatalf("late tarik moved it to %s", subs[0].State)
	}
}

// TestSendDownNeedsReason: Level 2 sends a submission back to Level 1 only with a reason, which
// Level 1 then reads on its review page; Level 1 is not offered turun status at all.
func TestSendDownNeedsReason(t *testing.T) {
	w := newWorld(t)
	id := kirimBudi(t, w)
	v1 := w.as("v1-didik")
	if strings.Contains(v1.get(fmt.Sprintf("/verifikasi/%d", id)).body, `id="turun-status"`) {
		t.Fatal("Level 1 is offered turun status")
	}
	decide(t, v1, id, "nama", "setuju", "")
	decide(t, v1, id, "npwp", "setuju", "")
	forward(t, v1, id)

	v2 := w.as("v2")
	page := v2.get(fmt.Sprintf("/verifikasi/%d", id))
	contains(t, "level 2 review", page.body, `id="turun-status"`, "Turunkan ke Verifikasi Level 1 (SKPD)")
	rev := revOf(t, page.body)
	r := v2.post(fmt.Sprintf("/verifikasi/%d/turun", id), url.Values{"rev": {rev}, "alasan_turun": {"  "}})
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("turun without reason: %d", r.status)
	}
	contains(t, "422 page", r.body, `id="galat-turun"`, "Alasan turun status wajib diisi")
	r = v2.post(fmt.Sprintf("/verifikasi/%d/turun", id), url.Values{"rev": {rev}, "alasan_turun": {"NPWP di KTP berbeda"}})
	if r.status != fiber.StatusSeeOther || r.header.Get("Location") != "/verifikasi" {
		t.Fatalf("turun: %d %q", r.status, r.header.Get("Location"))
	}
	r = v1.get(fmt.Sprintf("/verifikasi/%d", id))
	contains(t, "level 1 after turun", r.body, `id="info-turun"`, "NPWP di KTP berbeda", "oleh v2")
	contains(t, "PNS status after turun", w.as(nipBudi).get("/status").body, "NPWP di KTP berbeda", "Verifikasi Level 1")
}

// TestStaleDecisionShowsFreshView: a decision posted from a view a colleague has changed since is
// refused (409), but instead of a bare error the verifier gets the message and the fresh view
// with the colleague's decision; htmx is told to put it in place of the stale review section.
func TestStaleDecisionShowsFreshView(t *testing.T) {
	w := newWorld(t)
	id := kirimBudi(t, w)
	a, b := w.as("v1-didik"), w.as("v1-didik")
	stale := revOf(t, a.get(fmt.Sprintf("/verifikasi/%d", id)).body)
	decide(t, b, id, "nama", "tms", "nama tidak sesuai SK")

	r := a.hx("POST", fmt.Sprintf("/verifikasi/%d/baris/npwp", id), url.Values{"putusan": {"setuju"}, "rev": {stale}, "rev_halaman": {stale}}, "line-npwp")
	if r.status != fiber.StatusConflict {
		t.Fatalf("stale htmx decision: %d", r.status)
	}
	if r.header.Get("HX-Retarget") != "#tinjau" || r.header.Get("HX-Reswap") != "outerHTML" {
		t.Fatalf("stale answer retargets %q/%q, want #tinjau/outerHTML", r.header.Get("HX-Retarget"), r.header.Get("HX-Reswap"))
	}
	contains(t, "fresh view (htmx)", r.body, `id="tinjau"`, `id="galat-tinjau"`, "tidak disimpan", "nama tidak sesuai SK", `id="diputuskan-nama"`, `id="teruskan"`)
	if strings.Contains(r.body, "<html") {
		t.Fatal("htmx got a whole page")
	}
	fresh := revOf(t, r.body)
	if fresh == stale {
		t.Fatal("the fresh view carries the stale revision")
	}
	r = a.post(fmt.Sprintf("/verifikasi/%d/baris/npwp", id), url.Values{"putusan": {"setuju"}, "rev": {stale}})
	if r.status != fiber.StatusConflict {
		t.Fatalf("stale plain decision: %d", r.status)
	}
	contains(t, "fresh view (page)", r.body, "<html", `id="galat-tinjau"`, "nama tidak sesuai SK")
	// With the fresh revision the same decision goes through.
	r = a.hx("POST", fmt.Sprintf("/verifikasi/%d/baris/npwp", id), url.Values{"putusan": {"setuju"}, "rev": {fresh}, "rev_halaman": {fresh}}, "line-npwp")
	if r.status != 200 {
		t.Fatalf("decision on the fresh view: %d %s", r.status, r.body)
	}
}

// TestResendShowsKeptDecisions: after BTS → fix → resend, Level 1 sees that the unchanged line's
// decision still holds (marked as kept) and only the changed line waits for a decision. The PNS,
// while the submission is returned, could only touch the BTS line.
func TestResendShowsKeptDecisions(t *testing.T) {
	w := newWorld(t)
	id := kirimBudi(t, w)
	v1 := w.as("v1-didik")
	decide(t, v1, id, "nama", "bts", "lampirkan ijazah")
	decide(t, v1, id, "npwp", "setuju", "")
	forward(t, v1, id)

	pns := w.as(nipBudi)
	r := pns.get("/data")
	contains(t, "returned form", r.body, `id="batal-nama"`)
	if strings.Contains(r.body, `id="batal-npwp"`) || strings.Contains(r.body, `id="silang-alamat"`) {
		t.Fatal("the returned form offers the red cross on lines that were not returned")
	}
	r = pns.hx("POST", "/data/utama/alamat", url.Values{"nilai": {"Jl. Lain No. 2, Semarang"}, "alasan": {"pindah"}}, "f-alamat")
	if r.status != fiber.StatusUnprocessableEntity || !strings.Contains(r.body, "hanya baris bertanda BTS") {
		t.Fatalf("change to a line not returned: %d\n%s", r.status, r.body)
	}
	if r := pns.hx("POST", "/data/utama/nama", url.Values{"nilai": {"Budi Susanta"}, "alasan": {"sesuai ijazah"}}, "f-nama"); r.status != 200 {
		t.Fatalf("fix the returned line: %d %s", r.status, r.body)
	}
	if r := pns.hx("POST", "/kirim", nil, "kirim-panel"); r.header.Get("HX-Redirect") != "/status" {
		t.Fatalf("resend: %d %s", r.status, r.body)
	}
	contains(t, "PNS status after resend", pns.get("/status").body, "tetap berlaku: baris tidak berubah")
	r = v1.get(fmt.Sprintf("/verifikasi/%d", id))
	contains(t, "re-review", r.body, `id="tetap-npwp"`, `id="sisa-baris"`, "1 baris belum diputuskan")
	if strings.Contains(r.body, `id="tetap-nama"`) || strings.Contains(r.body, `id="diputuskan-nama"`) {
		t.Fatal("the changed line shows an old decision as current")
	}
}

// TestHistoryShowsEveryVersion: once done, the PNS's history page shows the new version on top with
// the change old → new, who proposed it and who approved it at each of the three levels, and the
// first version below; a verifier in scope reaches the same page from the review, one outside does not.
func TestHistoryShowsEveryVersion(t *testing.T) {
	w := newWorld(t)
	id := kirimBudi(t, w)
	v1 := w.as("v1-didik")
	contains(t, "review links the history", v1.get(fmt.Sprintf("/verifikasi/%d", id)).body, `href="/verifikasi/pns/`+nipBudi+`/riwayat"`)
	for _, c := range []struct{ login, verdict, note string }{{"v1-didik", "setuju", ""}, {"v2", "setuju", ""}, {"v3", "setuju", ""}} {
		v := w.as(c.login)
		page := v.get(fmt.Sprintf("/verifikasi/%d", id))
		for _, f := range []string{"nama", "npwp"} {
			if strings.Contains(page.body, `id="putuskan-`+f+`"`) {
				decide(t, v, id, f, c.verdict, c.note)
			}
		}
		forward(t, v, id)
	}
	pns := w.as(nipBudi)
	r := pns.get("/riwayat")
	if r.status != 200 {
		t.Fatalf("history: %d", r.status)
	}
	contains(t, "history", r.body, `id="versi-2"`, `id="versi-1"`, `id="versi-2-nama"`, "Budi Santoso", "Budi Susanto",
		"diusulkan oleh "+nipBudi, "Level 1 (SKPD) oleh v1-didik", "Level 2 (BKD) oleh v2", "Level 3 (Kanreg BKN) oleh v3", `id="versi-2-npwp"`)
	if i, j := strings.Index(r.body, `id="versi-2"`), strings.Index(r.body, `id="versi-1"`); i > j {
		t.Error("versions not newest first")
	}
	if n := strings.Count(r.body, "Level 3 (Kanreg BKN) oleh"); n != 1 {
		t.Errorf("%d Level 3 approvals listed, want 1 (nama only: npwp does not need BKN)", n)
	}
	if r := w.as("v2").get("/verifikasi/pns/" + nipBudi + "/riwayat"); r.status != 200 || !strings.Contains(r.body, `id="versi-2"`) {
		t.Fatalf("verifier in scope: %d", r.status)
	}
	if r := w.as("v1-dinkes").get("/verifikasi/pns/" + nipBudi + "/riwayat"); r.status != fiber.StatusForbidden {
		t.Fatalf("verifier out of scope: %d", r.status)
	}
	if r := w.as(nipSri).get("/verifikasi/pns/" + nipBudi + "/riwayat"); r.status != fiber.StatusForbidden {
		t.Fatalf("another PNS: %d", r.status)
	}
}

// TestInboxFiltersOnPage: the inbox's filter form narrows the list by unit, by NIP (as printed, with
// spaces) or by part of a name, keeps what was typed, offers only units in the verifier's SKPD, and
// answers a date or status it cannot read with a message at that field (422).
func TestInboxFiltersOnPage(t *testing.T) {
	w := newWorld(t)
	budi := kirimBudi(t, w)
	sri := store.Actor{Login: nipSri, Role: store.RolePNS, NIP: nipSri}
	if _, _, err := w.st.Propose(sri, nipSri, "no_hp", "081299990000", "nomor baru"); err != nil {
		t.Fatal(err)
	}
	w.as(nipSri).confirmAllTabs() // every tab and table looked at: the rest is right
	s, err := w.st.Kirim(sri, nipSri)
	if err != nil {
		t.Fatal(err)
	}
	v1 := w.as("v1-didik")
	row := func(id uint64) string { return fmt.Sprintf(`id="usulan-%d"`, id) }
	for _, c := range []struct {
		query    string
		in, out  []uint64
		keepText string
	}{
		{"", []uint64{budi, s.ID}, nil, ""},
		{"?unit=U01.01", []uint64{budi}, []uint64{s.ID}, `<option value="U01.01" selected>`},
		{"?cari=" + url.QueryEscape(store.FormatNIP(nipSri)), []uint64{s.ID}, []uint64{budi}, `value="` + store.FormatNIP(nipSri) + `"`},
		{"?cari=budi", []uint64{budi}, []uint64{s.ID}, `value="budi"`},
		{"?status=baru", []uint64{budi, s.ID}, nil, `<option value="baru" selected>`},
		{"?status=dibuka", nil, []uint64{budi, s.ID}, "Tidak ada usulan yang cocok"},
		// Dates as people write them (day first), or as older links carry them.
		{"?dari=01-01-2000", []uint64{budi, s.ID}, nil, `value="01-01-2000"`},
		{"?dari=1/1/2000", []uint64{budi, s.ID}, nil, `value="1/1/2000"`},
		{"?dari=2000-01-01", []uint64{budi, s.ID}, nil, `id="saring-lipat" open`},
		{"?dari=31-12-2099", nil, []uint64{budi, s.ID}, "Tidak ada usulan yang cocok"},
		{"?sampai=01-01-2000", nil, []uint64{budi, s.ID}, "Tidak ada usulan yang cocok"},
	} {
		r := v1.get("/verifikasi" + c.query)
		if r.status != 200 {
			t.Fatalf("%s: %d", c.query, r.status)
		}
		for _, id := range c.in {
			contains(t, c.query, r.body, row(id))
		}
		for _, id := range c.out {
			if strings.Contains(r.body, row(id)) {
				t.Errorf("%s lists #%d", c.query, id)
			}
		}
		contains(t, c.query, r.body, c.keepText, `id="jumlah-masuk" sse-swap="jumlah">2<`)
	}
	r := v1.get("/verifikasi")
	contains(t, "unit choices", r.body, `<option value="U01">`, `<option value="U01.01">`)
	if strings.Contains(r.body, `value="U02"`) {
		t.Error("the unit filter offers another SKPD's unit")
	}
	for field, q := range map[string]string{"dari": "?dari=31-02-2026", "sampai": "?sampai=kemarin", "status": "?status=aneh"} {
		r := v1.get("/verifikasi" + q)
		if r.status != fiber.StatusUnprocessableEntity {
			t.Fatalf("%s: %d, want 422", q, r.status)
		}
		contains(t, q, r.body, `id="galat-`+field+`"`, `id="saring-lipat" open`)
	}
	if r := v1.get("/verifikasi"); strings.Contains(r.body, `id="saring-lipat" open`) || strings.Contains(r.body, `type="date"`) {
		t.Error("the inbox without a filter shows the filters unfolded, or a native date widget")
	}
}

// TestForwardButtonSaysWhereItGoes: once every line is decided, the button names where the
// submission will go: back to the PNS on a BTS, on to the Kanreg when a BKN line was approved, or
// finished at the last level.
func TestForwardButtonSaysWhereItGoes(t *testing.T) {
	w := newWorld(t)
	id := kirimBudi(t, w)
	v1 := w.as("v1-didik")
	decide(t, v1, id, "nama", "bts", "lampirkan ijazah")
	decide(t, v1, id, "npwp", "setuju", "")
	contains(t, "after a BTS", v1.get(fmt.Sprintf("/verifikasi/%d", id)).body, "Kembalikan ke PNS untuk diperbaiki")
	decide(t, v1, id, "nama", "setuju", "")
	contains(t, "Level 1", v1.get(fmt.Sprintf("/verifikasi/%d", id)).body, "Teruskan ke Verifikasi Level 2 (BKD)")
	forward(t, v1, id)
	v2 := w.as("v2")
	decide(t, v2, id, "nama", "setuju", "")
	decide(t, v2, id, "npwp", "setuju", "")
	contains(t, "Level 2 with a BKN line", v2.get(fmt.Sprintf("/verifikasi/%d", id)).body, "Teruskan ke Verifikasi Level 3 (Kanreg BKN)")
	decide(t, v2, id, "nama", "tms", "tidak ada SK")
	contains(t, "Level 2 without a BKN line", v2.get(fmt.Sprintf("/verifikasi/%d", id)).body, "Selesaikan: terapkan yang disetujui ke data induk")
}
