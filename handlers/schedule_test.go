package handlers

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"pupns/store"
)

// scheduleForm is the admin's schedule form with the filling window set (day, month, year each).
func scheduleForm(zone string, fill [6]string) url.Values {
	return url.Values{"zona": {zone},
		"pengisian_mulai_hari": {fill[0]}, "pengisian_mulai_bulan": {fill[1]}, "pengisian_mulai_tahun": {fill[2]},
		"pengisian_selesai_hari": {fill[3]}, "pengisian_selesai_bulan": {fill[4]}, "pengisian_selesai_tahun": {fill[5]}}
}

// TestScheduleFormShowsEveryProblemAtItsField: the page types dates as day, month by name and year
// (no date widget), with hints; a bad form comes back 422 with an error summary linking to each
// field, the message at the field and what was typed; a good one 303.
func TestScheduleFormShowsEveryProblemAtItsField(t *testing.T) {
	w := newWorld(t)
	admin := w.as("admin")
	r := admin.get("/admin/jadwal")
	if r.status != fiber.StatusOK {
		t.Fatalf("page: %d", r.status)
	}
	contains(t, "schedule page", r.body, `id="nav-jadwal"`, `name="pengisian_mulai_hari"`, `<option value="11">November</option>`,
		"Contoh: 30 November 2026", `name="verifikasi_4_selesai_tahun"`, `name="perbaikan_mulai_bulan"`, `value="WITA"`, `id="form-perpanjangan"`)
	if strings.Contains(r.body, `type="date"`) || strings.Contains(r.body, `id="masa"`) {
		t.Error("a native date widget, or a phase line on the admin's page")
	}
	form := scheduleForm("WIB", [6]string{"30", "11", "2016", "1", "9", "2016"})
	form.Set("registrasi_mulai_hari", "3x")
	r = admin.post("/admin/jadwal", form)
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("bad dates: %d", r.status)
	}
	contains(t, "refused schedule", r.body, `class="error-summary"`, `href="#in-pengisian_selesai_hari"`, `href="#in-registrasi_mulai_hari"`,
		`id="msg-pengisian_selesai"`, "harus sama dengan atau sesudah tanggal mulai (30 November 2016)", `id="msg-registrasi_mulai"`,
		"tidak terbaca", `value="3x"`)
	r = admin.post("/admin/jadwal", scheduleForm("WIT", [6]string{"1", "8", "2016", "30", "9", "2016"}))
	if r.status != fiber.StatusSeeOther || r.header.Get("Location") != "/admin/jadwal" {
		t.Fatalf("good schedule: %d %q", r.status, r.header.Get("Location"))
	}
	r = admin.get("/admin/jadwal")
	contains(t, "stored schedule", r.body, `id="perubahan-jadwal"`, "masa pengisian 1 Agustus 2016 – 30 September 2016", `<option value="WIT" selected>`)
	r = admin.post("/admin/jadwal/perpanjangan", url.Values{"instansi": {""}, "jendela": {"pengisian"}, "sampai_hari": {"31"}, "sampai_bulan": {"9"}, "sampai_tahun": {"2016"}})
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("extension without instansi: %d", r.status)
	}
	contains(t, "refused extension", r.body, `id="msg-instansi"`, `href="#in-instansi"`, `id="msg-sampai"`, `href="#in-sampai_hari"`, "tidak ada di kalender")
}

// TestKirimOutsideTheFillingWindowAndAfterAnExtension: the admin sets a filling window that has
// closed; Budi's pages say so, and his Kirim is refused with the sentence (403, as a page and as
// htmx's text); the admin extends the window for his instansi; his pages show the last days as
// urgent and the Kirim goes through.
func TestKirimOutsideTheFillingWindowAndAfterAnExtension(t *testing.T) {
	w := newWorld(t) // the clock reads 1 October 2016, 09:00 UTC (18:00 WIT)
	admin := w.as("admin")
	admin.get("/admin/jadwal")
	if r := admin.post("/admin/jadwal", scheduleForm("WIT", [6]string{"1", "8", "2016", "30", "9", "2016"})); r.status != fiber.StatusSeeOther {
		t.Fatalf("schedule: %d\n%s", r.status, r.body)
	}
	pns := w.as(nipBudi)
	r := pns.get("/data")
	contains(t, "closed phase", r.body, `id="masa"`, "Masa pengisian data telah berakhir pada 30 September 2016 (WIT).")
	pns.confirmAllTabs()
	sentence := "Pengisian data ditutup: masa pengisian 1 Agustus 2016 – 30 September 2016 (WIT)."
	r = pns.post("/kirim", nil)
	if r.status != fiber.StatusForbidden {
		t.Fatalf("Kirim outside the window: %d", r.status)
	}
	contains(t, "refused Kirim", r.body, sentence)
	if r := pns.hx("POST", "/kirim", nil, "kirim-panel"); r.status != fiber.StatusForbidden || r.body != sentence {
		t.Fatalf("htmx Kirim outside the window: %d %q", r.status, r.body)
	}

	admin.get("/admin/jadwal")
	r = admin.post("/admin/jadwal/perpanjangan", url.Values{"instansi": {"P33"}, "jendela": {"pengisian"},
		"sampai_hari": {"3"}, "sampai_bulan": {"10"}, "sampai_tahun": {"2016"}})
	if r.status != fiber.StatusSeeOther {
		t.Fatalf("extension: %d\n%s", r.status, r.body)
	}
	contains(t, "extensions listed", admin.get("/admin/jadwal").body, `id="daftar-perpanjangan"`, "3 Oktober 2016 (WIT)")
	r = pns.get("/data")
	contains(t, "urgent phase", r.body, `class="phase urgent"`, "Masa pengisian data: tinggal 2 hari (sampai 3 Oktober 2016).")
	if r := pns.post("/kirim", nil); r.status != fiber.StatusSeeOther {
		t.Fatalf("Kirim after the extension: %d\n%s", r.status, r.body)
	}
	w.clock.Add(5 * 24 * time.Hour) // every window closed again: reading, tracking and printing still work
	pns = w.as(nipBudi)
	for _, path := range []string{"/data", "/status", "/status/cetak", "/riwayat"} {
		if r := pns.get(path); r.status != fiber.StatusOK {
			t.Errorf("%s after the window: %d", path, r.status)
		}
	}
	if r := w.as("v1-didik").get("/verifikasi"); strings.Contains(r.body, `id="masa"`) {
		t.Error("a phase line for Level 1, whose window is not set")
	}
}

// TestDecisionOutsideTheVerificationWindow: a Level 1 verifier's decision outside Level 1's window
// is refused 403 with the sentence; the submission still opens; the page shows the phase.
func TestDecisionOutsideTheVerificationWindow(t *testing.T) {
	w := newWorld(t)
	id := kirimBudi(t, w)
	admin := w.as("admin")
	admin.get("/admin/jadwal")
	form := url.Values{"zona": {"WIB"}, "verifikasi_1_mulai_hari": {"1"}, "verifikasi_1_mulai_bulan": {"8"}, "verifikasi_1_mulai_tahun": {"2016"},
		"verifikasi_1_selesai_hari": {"30"}, "verifikasi_1_selesai_bulan": {"9"}, "verifikasi_1_selesai_tahun": {"2016"}}
	if r := admin.post("/admin/jadwal", form); r.status != fiber.StatusSeeOther {
		t.Fatalf("schedule: %d\n%s", r.status, r.body)
	}
	v1 := w.as("v1-didik")
	path := fmt.Sprintf("/verifikasi/%d", id)
	r := v1.get(path)
	if r.status != fiber.StatusOK {
		t.Fatalf("opening outside the window: %d", r.status)
	}
	contains(t, "review page", r.body, "Masa verifikasi Level 1 telah berakhir pada 30 September 2016 (WIB).")
	sub, err := w.st.Submission(store.Actor{Login: nipBudi, Role: store.RolePNS, NIP: nipBudi}, id)
	if err != nil {
		t.Fatal(err)
	}
	r = v1.hx("POST", fmt.Sprintf("%s/baris/nama?rev=%d", path, sub.Rev), url.Values{"putusan": {store.Setuju}}, "baris-nama")
	want := "Verifikasi Level 1 ditutup: masa verifikasi Level 1 1 Agustus 2016 – 30 September 2016 (WIB)."
	if r.status != fiber.StatusForbidden || r.body != want {
		t.Fatalf("decision outside the window: %d %q", r.status, r.body)
	}
}
