package handlers

import (
	"fmt"
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

// TestFormHelpIsVisible: a field's hint is text under its label (never a placeholder), jargon has
// an "Apa ini?" that opens inline without JavaScript, the marks have a legend, dates are three
// fields (day, month by name, year) read as one date, and digit-only fields ask for the numeric
// keyboard.
func TestFormHelpIsVisible(t *testing.T) {
	w := newWorld(t)
	pns := w.as(nipBudi)
	r := pns.hx("GET", "/data/utama/nama/ubah", nil, "f-nama")
	contains(t, "Nama opened", r.body, `<p class="hint" id="hint-nama">tanpa gelar</p>`, `aria-describedby="hint-nama msg-nama"`, `id="hint-alasan-nama"`)
	if strings.Contains(r.body, "placeholder=") {
		t.Errorf("the edit row still uses a placeholder:\n%s", r.body)
	}
	r = pns.get("/data?tab=utama")
	contains(t, "Data Utama", r.body, `<details class="apa" id="apa-tmt_cpns"><summary>Apa ini?</summary>`, "Terhitung Mulai Tanggal",
		`id="apa-no_karpeg"`, `id="arti-tanda"`, "Titik oranye", `<span class="vh">(belum diperiksa)</span>`, "Penilaian Diri", "Pemangku Kepentingan", "✗</span> Perbaiki")
	if strings.Contains(r.body, "Self Assessment") || strings.Contains(r.body, ">Stakeholder") {
		t.Error("English tab names are still shown")
	}
	r = pns.get("/data?tab=stakeholder")
	contains(t, "Sosial Ekonomi", r.body, `id="apa-taperum"`, `id="apa-no_kpe"`)

	r = pns.hx("GET", "/data/utama/tanggal_lahir/ubah", nil, "f-tanggal_lahir")
	contains(t, "a date opened", r.body, `name="tanggal_lahir_hari" value="26" inputmode="numeric"`, `name="tanggal_lahir_tahun" value="1986" inputmode="numeric"`,
		`<option value="9" selected>September</option>`, "Contoh: 17 Agustus 1985")
	if strings.Contains(r.body, `type="date"`) {
		t.Error("a native date input is offered")
	}
	date := func(d, m, y string) url.Values {
		return url.Values{"tanggal_lahir_hari": {d}, "tanggal_lahir_bulan": {m}, "tanggal_lahir_tahun": {y}, "alasan": {"sesuai akta"}}
	}
	r = pns.hx("POST", "/data/utama/tanggal_lahir", date("26", "9", "1986"), "f-tanggal_lahir")
	if r.status != fiber.StatusUnprocessableEntity || !strings.Contains(r.body, "sama dengan data saat ini") {
		t.Fatalf("the three fields of the master date: %d\n%s", r.status, r.body)
	}
	r = pns.hx("POST", "/data/utama/tanggal_lahir", date("31", "2", "1986"), "f-tanggal_lahir")
	contains(t, "31 February", r.body, "tanggal yang benar", `aria-invalid="true"`)
	r = pns.hx("POST", "/data/utama/tanggal_lahir", date("27", "9", "1986"), "f-tanggal_lahir")
	contains(t, "a date that disagrees with the NIP", r.body, "sesuai dengan NIP", `value="27"`)

	r = pns.hx("GET", "/data/stakeholder/no_bpjs/ubah", nil, "f-no_bpjs")
	contains(t, "Nomor BPJS", r.body, `inputmode="numeric"`, `id="hint-no_bpjs">13 angka`)

	r = pns.get("/data?tab=riwayat&tambah=golongan")
	contains(t, "a history row form", r.body, `name="f_tmt_golongan_hari"`, `name="f_mk_tahun" type="text" inputmode="numeric"`)
	if strings.Contains(r.body, `type="date"`) {
		t.Error("the history row form offers a native date input")
	}
	row := url.Values{"alasan": {"sesuai SK"}, "f_golongan": {"32"}, "f_jenis_kp": {"101"},
		"f_tmt_golongan_hari": {"1"}, "f_tmt_golongan_bulan": {"4"}, "f_tmt_golongan_tahun": {"2016"}}
	if r = pns.hx("POST", "/data/riwayat/golongan", row, "f-riwayat-golongan"); r.status != fiber.StatusOK {
		t.Fatalf("a golongan row typed with a three-field date: %d\n%s", r.status, r.body)
	}
	f, _ := w.st.Form(store.Actor{Login: nipBudi, Role: store.RolePNS, NIP: nipBudi}, nipBudi)
	found := false
	for _, e := range f.Entries {
		found = found || e.Row["tmt_golongan"] == "2016-04-01"
	}
	if !found {
		t.Fatalf("no row proposal with TMT 2016-04-01: %+v", f.Entries)
	}
}

// TestDocumentSizesReadInKBAndMB: sizes a PNS reads say KB and MB, with a decimal comma.
func TestDocumentSizesReadInKBAndMB(t *testing.T) {
	for n, want := range map[int64]string{900: "900 bita", 840 << 10: "840 KB", 1258291: "1,2 MB"} {
		if got := fmtDocSize(n); got != want {
			t.Errorf("fmtDocSize(%d) = %q, want %q", n, got, want)
		}
	}
	if !strings.Contains(store.DocTooLarge, "5 MB") {
		t.Errorf("the refusal of a large file says %q", store.DocTooLarge)
	}
}

// TestFindingYourWay: every tab carries its own count and the shown one aria-current; a Sesuai
// updates the tab's count out of band; a refused Kirim is grouped by tab and, without
// JavaScript, stands at the top of the page; "mark the rest Sesuai" first names what it will
// mark; a refused save without JavaScript starts with a linked error summary.
func TestFindingYourWay(t *testing.T) {
	w := newWorld(t)
	pns := w.as(nipBudi)
	form := func() store.Form {
		f, err := w.st.Form(store.Actor{Login: nipBudi, Role: store.RolePNS, NIP: nipBudi}, nipBudi)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	utama, _ := store.TabByKey("utama")
	n := len(utama.CheckKeys())
	body := pns.get("/data?tab=utama").body
	contains(t, "tab bar", body, `id="tab-utama" aria-current="page"`, fmt.Sprintf(`id="kemajuan-tab-utama">0 dari %d diperiksa`, n), `id="kemajuan-tab-posisi">0 dari`)
	if strings.Count(body, `aria-current="page"`) != 1 {
		t.Error("more or fewer than one tab is marked current")
	}
	r := pns.hx("POST", "/data/utama/agama/sesuai", nil, "f-agama")
	contains(t, "Sesuai answer", r.body, `id="kemajuan-tab-utama" hx-swap-oob="true">`, fmt.Sprintf("1 dari %d diperiksa", n))

	// Kirim refused, with htmx: grouped, a real problem named, the rest counted.
	pns.post("/data/utama/nama", url.Values{"nilai": {"Budi Susanto"}, "alasan": {"sesuai ijazah"}})
	r = pns.hx("POST", "/kirim", nil, "kirim-panel")
	contains(t, "grouped list", r.body, `<h4 class="missing-tab"><a href="/data?tab=utama">Data Utama</a></h4>`,
		`<a href="/data?tab=utama#f-nama">Nama</a>: dokumen belum dilampirkan`, fmt.Sprintf("%d data belum diperiksa:", n-2),
		`<h4 class="missing-tab"><a href="/data?tab=posisi">Data Posisi</a></h4>`)
	if strings.Contains(r.body, "Nama</a>: belum diperiksa") || strings.Count(r.body, "pilih Sesuai atau usulkan") > 0 {
		t.Errorf("unchecked fields are listed one line each:\n%s", r.body)
	}
	// Without JavaScript: the page the browser lands on has the list at its top, once.
	r = pns.post("/kirim", nil)
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("no-JS Kirim: %d", r.status)
	}
	top, tabs := strings.Index(r.body, `id="kekurangan-atas"`), strings.Index(r.body, `id="tabs"`)
	if top < 0 || tabs < 0 || top > tabs || strings.Count(r.body, `id="kekurangan"`) != 1 {
		t.Fatalf("the list is not at the top of the page once (at %d, tabs at %d)", top, tabs)
	}

	// Mark the rest: a question first, naming every field; nothing is marked by asking.
	body = pns.get("/data?tab=utama").body
	contains(t, "the button asks", body, `<form method="get" action="/data#tandai-yakin" class="rest" id="sisa-sesuai">`)
	before := len(form().Entries)
	body = pns.get("/data?tab=utama&tandai=sisa").body
	contains(t, "the question", body, `id="tandai-yakin"`, fmt.Sprintf("Tandai %d data ini sebagai Sesuai?", n-2), "<li>NPWP</li>", "<li>Tempat Lahir</li>",
		`action="/data/utama/sesuai"`, `name="yakin" value="ya"`, `id="tandai-batal"`)
	if strings.Contains(body, "<li>Agama</li>") || strings.Contains(body, "<li>Nama</li>") {
		t.Error("the question names fields already looked at")
	}
	if got := len(form().Entries); got != before {
		t.Fatalf("asking marked something: %d entries, were %d", got, before)
	}
	if r := pns.post("/data/utama/sesuai", url.Values{"yakin": {"ya"}}); r.status != fiber.StatusSeeOther {
		t.Fatalf("confirmed mark: %d", r.status)
	}
	if p := form().TabProgress(utama); p.Checked != p.Total {
		t.Fatalf("after the confirmed mark %d of %d", p.Checked, p.Total)
	}

	// A refused save without JavaScript: the summary links to the field, which is marked.
	r = pns.post("/data/utama/kode_pos", url.Values{"nilai": {"12"}, "alasan": {""}})
	contains(t, "refused save", r.body, `class="error-summary"`, `href="#in-kode_pos"`, "Kode Pos: Kode pos harus 5 angka", `aria-invalid="true"`,
		`aria-describedby="hint-kode_pos msg-kode_pos"`)
	if strings.Index(r.body, `class="error-summary"`) > strings.Index(r.body, `id="in-kode_pos"`) {
		t.Error("the error summary is not before the field")
	}
}

// TestRowFormRefusedWithoutJavaScriptStartsWithASummary: a history row refused as a whole page
// begins with the summary linking to each field in error, and those fields are marked.
func TestRowFormRefusedWithoutJavaScriptStartsWithASummary(t *testing.T) {
	w := newWorld(t)
	pns := w.as(nipBudi)
	r := pns.post("/data/riwayat/golongan", url.Values{"alasan": {"sesuai SK"}, "f_golongan": {"32"}, "f_jenis_kp": {"101"},
		"f_tmt_golongan_hari": {"31"}, "f_tmt_golongan_bulan": {"2"}, "f_tmt_golongan_tahun": {"2016"}})
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("a row with 31 February: %d", r.status)
	}
	contains(t, "refused row page", r.body, `class="error-summary"`, `href="#in-golongan-tmt_golongan_hari"`, `aria-invalid="true"`,
		`aria-describedby="hint-golongan-tmt_golongan err-golongan-tmt_golongan"`)
}
