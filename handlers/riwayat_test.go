package handlers

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"pupns/store"
	"pupns/views"
)

func budiActor() store.Actor { return store.Actor{Login: nipBudi, Role: store.RolePNS, NIP: nipBudi} }

// rowEntries counts Budi's row proposals on a table.
func rowEntries(t *testing.T, w *world, table string) int {
	t.Helper()
	f, err := w.st.Form(budiActor(), nipBudi)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for k := range f.Entries {
		if tb, id, ok := store.ParseRowKey(k); ok && tb == table && id != "" {
			n++
		}
	}
	return n
}

// latestSub is a PNS's newest submission.
func latestSub(t *testing.T, w *world, nip string) store.Submission {
	t.Helper()
	subs, err := w.st.Submissions(store.Actor{Login: nip, Role: store.RolePNS, NIP: nip}, nip)
	if err != nil || len(subs) == 0 {
		t.Fatalf("submissions of %s: %v %v", nip, subs, err)
	}
	return subs[0]
}

func fmtPath(format string, id uint64) string { return fmt.Sprintf(format, id) }

// approveAllLines approves every line of the submission at the verifier's level (htmx, each line
// swapped by its id) and forwards it.
func approveAllLines(t *testing.T, v *client, sub store.Submission) {
	t.Helper()
	for _, l := range sub.Lines {
		page := v.get(fmtPath("/verifikasi/%d", sub.ID))
		rev := revOf(t, page.body)
		r := v.hx("POST", fmt.Sprintf("/verifikasi/%d/baris/%s", sub.ID, l.Field), url.Values{"putusan": {"setuju"}, "rev": {rev}, "rev_halaman": {rev}}, views.LineID(l.Field))
		if r.status != 200 || !strings.Contains(r.body, `id="`+views.LineID(l.Field)+`"`) {
			t.Fatalf("approve %s: %d\n%s", l.Field, r.status, r.body)
		}
	}
	forward(t, v, sub.ID)
}

func rowForm(fields map[string]string, reason string) url.Values {
	v := url.Values{"alasan": {reason}}
	for k, x := range fields {
		v.Set("f_"+k, x)
	}
	return v
}

// TestRowRulesAtTheField: every rule on history rows answers 422 with its message at the field it
// concerns, in the open row form, and stores nothing; a row that keeps the rules is stored. Budi is
// a man born 1986-09-26 whose only golongan row is III/a from 2015-05-01; the clock says 2016-10-01.
func TestRowRulesAtTheField(t *testing.T) {
	w := newWorld(t)
	pns := w.as(nipBudi)
	gol := func(g, tmt string) map[string]string {
		return map[string]string{"golongan": g, "tmt_golongan": tmt, "jenis_kp": "101"}
	}
	spouse := func(nik, born string) map[string]string {
		return map[string]string{"nama": "Ani Lestari", "nik": nik, "tanggal_lahir": born, "tanggal_menikah": "2012-06-10", "status": "1"}
	}
	child := func(born, sekolah, tunjangan string) map[string]string {
		return map[string]string{"nama": "Dewi", "jenis_kelamin": "2", "tanggal_lahir": born, "jenis_anak": "1", "status_hidup": "1", "sekolah": sekolah, "tunjangan": tunjangan}
	}
	cases := []struct {
		name  string
		table string
		row   map[string]string
		ok    bool
		field string
		msg   string
	}{
		{"golongan falls back in time", "golongan", gol("32", "2014-01-01"), false, "golongan", "Golongan harus naik seiring waktu"},
		{"golongan stays the same", "golongan", gol("31", "2016-05-01"), false, "golongan", "tidak lebih tinggi"},
		{"golongan in the future", "golongan", gol("32", "2999-01-01"), false, "tmt_golongan", "tidak boleh di masa depan"},
		{"golongan without jenis KP", "golongan", map[string]string{"golongan": "32", "tmt_golongan": "2016-05-01"}, false, "jenis_kp", "wajib diisi"},
		{"golongan rises", "golongan", gol("32", "2016-05-01"), true, "", ""},
		{"spouse of the same sex", "pasangan", spouse("3374011503880001", "1988-03-15"), false, "nik", "berlainan jenis kelamin"},
		{"spouse NIK against birth date", "pasangan", spouse("3374015503880001", "1988-03-16"), false, "nik", "seharusnya 560388"},
		{"spouse of the other sex", "pasangan", spouse("3374015503880001", "1988-03-15"), true, "", ""},
		{"child older than the PNS", "anak", child("1985-01-01", "2", "2"), false, "tanggal_lahir", "lebih muda dari PNS"},
		{"child of 26 with allowance", "anak", child("1990-01-01", "1", "1"), false, "tunjangan", "anak ini berumur 26 tahun"},
		{"child of 22 not studying with allowance", "anak", child("1994-01-01", "2", "1"), false, "tunjangan", "hanya bila masih sekolah"},
		{"child of 22 studying with allowance", "anak", child("1994-02-01", "1", "1"), true, "", ""},
		{"child of 4 with allowance", "anak", child("2012-05-01", "2", "1"), true, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := rowEntries(t, w, tc.table)
			r := pns.hx("POST", "/data/riwayat/"+tc.table, rowForm(tc.row, "sesuai SK"), "f-riwayat-"+tc.table)
			after := rowEntries(t, w, tc.table)
			if tc.ok {
				if r.status != fiber.StatusOK || after != before+1 {
					t.Fatalf("status %d, %d → %d proposals: want 200 and one more\n%s", r.status, before, after, r.body)
				}
				contains(t, "table", r.body, `id="f-riwayat-`+tc.table+`"`, `class="trow st-tambah"`, `id="kemajuan"`)
				return
			}
			if r.status != fiber.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422\n%s", r.status, r.body)
			}
			if after != before {
				t.Fatalf("an invalid row was stored (%d → %d)", before, after)
			}
			contains(t, "form with error", r.body, `id="err-`+tc.table+`-`+tc.field+`"`, tc.msg, `id="form-`+tc.table+`"`)
		})
	}
}

// TestRowProposalsThroughVerification: a PNS adds a row (plain form), changes a master row (htmx),
// removes one (a reason is required); the table shows master and proposed rows side by side; the
// lines carry the rows; once both levels approve, the master's history tables are the result.
func TestRowProposalsThroughVerification(t *testing.T) {
	w := newWorld(t)
	pns := w.as(nipBudi)

	// Add: a plain form answers 303 back to the table.
	s2 := map[string]string{"tingkat": "45", "jurusan": "Ilmu Komputer", "nama_sekolah": "Universitas Diponegoro", "tahun_lulus": "2014"}
	r := pns.post("/data/riwayat/pendidikan", rowForm(s2, "lulus S-2"))
	if r.status != fiber.StatusSeeOther || r.header.Get("Location") != "/data?tab=riwayat#f-riwayat-pendidikan" {
		t.Fatalf("add row: %d %q", r.status, r.header.Get("Location"))
	}
	// Change the master row p1 (htmx): the section comes back with old struck through and new.
	p1 := map[string]string{"tingkat": "40", "jurusan": "Teknik Informatika", "nama_sekolah": "Universitas Negeri Semarang", "tahun_lulus": "2009"}
	r = pns.hx("POST", "/data/riwayat/pendidikan/p1", rowForm(p1, "tahun lulus sesuai ijazah"), "f-riwayat-pendidikan")
	if r.status != fiber.StatusOK {
		t.Fatalf("change row: %d\n%s", r.status, r.body)
	}
	contains(t, "changed row", r.body, `id="f-riwayat-pendidikan-p1"`, `data-state="ubah"`, `<del class="old">`, "Tahun Lulus: 2008", `<ins class="new">`, "Tahun Lulus: 2009")
	// Remove needs a reason.
	r = pns.hx("POST", "/data/riwayat/golongan/g1/hapus", url.Values{"alasan": {""}}, "f-riwayat-golongan")
	if r.status != fiber.StatusUnprocessableEntity || !strings.Contains(r.body, "alasan menghapus") {
		t.Fatalf("remove without reason: %d\n%s", r.status, r.body)
	}
	r = pns.hx("POST", "/data/riwayat/golongan/g1/hapus", url.Values{"alasan": {"baris ganda"}}, "f-riwayat-golongan")
	if r.status != fiber.StatusOK || !strings.Contains(r.body, `data-state="hapus"`) {
		t.Fatalf("remove: %d\n%s", r.status, r.body)
	}
	// The page shows the result: the added row and the master rows with their proposals.
	page := pns.get("/data?tab=riwayat").body
	contains(t, "riwayat page", page, `class="trow st-tambah"`, "Universitas Diponegoro", `data-field="riwayat.pendidikan.p1"`, `data-state="hapus"`)

	// Kirim: every proposal with its documents, every table looked at.
	form, _ := w.st.Form(budiActor(), nipBudi)
	for k := range form.Entries {
		pns.attachAll(k)
	}
	pns.confirmAllTabs()
	if r := pns.hx("POST", "/kirim", nil, "kirim-panel"); r.header.Get("HX-Redirect") != "/status" {
		t.Fatalf("kirim: %d\n%s", r.status, r.body)
	}
	sub := latestSub(t, w, nipBudi)
	if len(sub.Lines) != 3 {
		t.Fatalf("%d lines, want 3: %+v", len(sub.Lines), sub.Lines)
	}
	for _, l := range sub.Lines {
		if l.Table == "" || len(l.Docs) == 0 && l.Op != store.OpHapus {
			t.Errorf("line %s without table or documents: %+v", l.Field, l)
		}
	}
	approveAllLines(t, w.as("v1-didik"), sub)
	approveAllLines(t, w.as("v2"), sub)
	// Riwayat golongan and pendidikan need BKN's authority: the Kanreg decides them last.
	approveAllLines(t, w.as("kanreg1"), sub)
	rec, _ := w.st.Record(nipBudi)
	if len(rec.Riwayat["golongan"]) != 0 {
		t.Errorf("removed golongan row still in the master: %+v", rec.Riwayat["golongan"])
	}
	edu := rec.Riwayat["pendidikan"]
	if len(edu) != 2 || edu[0].ID != "p1" || edu[0].Fields["tahun_lulus"] != "2009" || edu[1].Fields["nama_sekolah"] != "Universitas Diponegoro" {
		t.Errorf("pendidikan after approval: %+v", edu)
	}
	if d := rec.Derive(); d.Pendidikan != "S-2 Ilmu Komputer" || d.TahunLulus != "2014" {
		t.Errorf("Data Utama derives %+v from the new history", d)
	}
	vers, _ := w.st.Versions(nipBudi)
	last := vers[len(vers)-1]
	if len(last.Changes) != 3 {
		t.Errorf("the new version lists %d changes, want the 3 rows: %+v", len(last.Changes), last.Changes)
	}
}

// TestTabsFollowTheJabatan: Data Guru is neither shown nor required for a PNS who is not a
// teacher; a jabatan row "Guru Ahli Pertama" makes it appear and Kirim then asks for it.
func TestTabsFollowTheJabatan(t *testing.T) {
	w := newWorld(t)
	pns := w.as(nipBudi)
	page := pns.get("/data").body
	if strings.Contains(page, `id="tab-guru"`) || strings.Contains(page, `id="tab-dokter"`) {
		t.Fatal("Data Guru or Data Dokter shown to a PNS without such a jabatan")
	}
	contains(t, "tabs", page, `id="tab-posisi"`, `id="tab-riwayat"`, `id="tab-stakeholder"`, `id="tab-asesmen"`)
	r := pns.hx("POST", "/kirim", nil, "kirim-panel")
	if strings.Contains(r.body, "Data Guru") {
		t.Fatal("Kirim lists Data Guru for a PNS who is not a teacher")
	}
	jab := map[string]string{"jenis_jabatan": "2", "nama_jabatan": "Guru Ahli Pertama", "tmt_jabatan": "2016-01-01"}
	if r := pns.hx("POST", "/data/riwayat/jabatan", rowForm(jab, "SK jabatan fungsional"), "f-riwayat-jabatan"); r.status != 200 {
		t.Fatalf("add jabatan: %d\n%s", r.status, r.body)
	}
	contains(t, "tabs after the jabatan", pns.get("/data").body, `id="tab-guru"`)
	if strings.Contains(pns.get("/data").body, `id="tab-dokter"`) {
		t.Fatal("Data Dokter shown to a teacher")
	}
	r = pns.hx("POST", "/kirim", nil, "kirim-panel")
	contains(t, "missing list", r.body, `href="/data?tab=guru#f-nuptk">NUPTK</a>`, `<a href="/data?tab=guru">Data Guru</a>`)
}

// TestUnitMoveGoesToTheReceivingSKPD: the unit is picked from the organisation tree (a unit of
// another instansi is refused); a proposed move sends the submission to the Level 1 inbox of the
// SKPD the PNS moves to, which must confirm it; approval moves the record.
func TestUnitMoveGoesToTheReceivingSKPD(t *testing.T) {
	w := newWorld(t)
	if err := w.st.PutInstansi(store.Instansi{ID: "P34", Name: "Pemerintah DIY", Jenis: "daerah", KanregID: "I"}); err != nil {
		t.Fatal(err)
	}
	if err := w.st.PutUnit(store.Unit{ID: "X01", InstansiID: "P34", Name: "Dinas Luar"}); err != nil {
		t.Fatal(err)
	}
	pns := w.as(nipBudi)
	page := pns.get("/data?tab=posisi&ubah=unit_organisasi").body
	contains(t, "unit picker", page, `<select id="in-unit_organisasi"`, `value="U02"`, "Dinas Pendidikan › Bidang Pembinaan SMA")
	if strings.Contains(page, `value="X01"`) {
		t.Fatal("the picker offers a unit of another instansi")
	}
	r := pns.hx("POST", "/data/posisi/unit_organisasi", url.Values{"nilai": {"X01"}, "alasan": {"mutasi"}}, "f-unit_organisasi")
	if r.status != fiber.StatusUnprocessableEntity || !strings.Contains(r.body, "susunan organisasi") {
		t.Fatalf("unit of another instansi: %d\n%s", r.status, r.body)
	}
	r = pns.hx("POST", "/data/posisi/unit_organisasi", url.Values{"nilai": {"U02"}, "alasan": {"mutasi ke Dinas Kesehatan"}}, "f-unit_organisasi")
	if r.status != fiber.StatusOK || !strings.Contains(r.body, "Dinas Kesehatan") {
		t.Fatalf("propose the move: %d\n%s", r.status, r.body)
	}
	pns.attachAll("unit_organisasi")
	pns.confirmAllTabs()
	if r := pns.hx("POST", "/kirim", nil, "kirim-panel"); r.header.Get("HX-Redirect") != "/status" {
		t.Fatalf("kirim: %d\n%s", r.status, r.body)
	}
	sub := latestSub(t, w, nipBudi)
	if sub.SKPDID != "U02" {
		t.Fatalf("submission went to SKPD %q, want U02 (the unit moved to)", sub.SKPDID)
	}
	if !strings.Contains(w.as("v1-dinkes").get("/verifikasi").body, fmtPath("/verifikasi/%d", sub.ID)) {
		t.Fatal("the receiving SKPD's inbox lacks the submission")
	}
	if strings.Contains(w.as("v1-didik").get("/verifikasi").body, fmtPath("/verifikasi/%d", sub.ID)) {
		t.Fatal("the old SKPD's inbox has the submission")
	}
	// The verifier reads the move as unit names, not ids.
	contains(t, "review", w.as("v1-dinkes").get(fmtPath("/verifikasi/%d", sub.ID)).body,
		`Nilai lama Dinas Pendidikan › Bidang Pembinaan SMA, nilai baru Dinas Kesehatan.`)
	approveAllLines(t, w.as("v1-dinkes"), sub)
	approveAllLines(t, w.as("v2"), sub)
	if rec, _ := w.st.Record(nipBudi); rec.UnitID != "U02" {
		t.Fatalf("after approval the record is in unit %q, want U02", rec.UnitID)
	}
}

// TestPickerSearch: a long list's search answers the matching options and keeps the current value.
func TestPickerSearch(t *testing.T) {
	w := newWorld(t)
	pns := w.as(nipBudi)
	r := pns.hx("GET", "/pilih/unit?q=kesehatan&nilai=U01.01", nil, "in-unit_organisasi")
	if r.status != 200 {
		t.Fatalf("search: %d", r.status)
	}
	contains(t, "options", r.body, `value="U02"`, `value="U01.01" selected`)
	if strings.Contains(r.body, `value="U01"`) {
		t.Fatalf("search for kesehatan offers Dinas Pendidikan:\n%s", r.body)
	}
	if r := pns.hx("GET", "/pilih/rahasia", nil, "x"); r.status != fiber.StatusNotFound {
		t.Fatalf("unknown list: %d", r.status)
	}
}

// TestLongCodeListsInRowFormsSearch: a row form's long code list (golongan) has the search box,
// and the search answers its options.
func TestLongCodeListsInRowFormsSearch(t *testing.T) {
	w := newWorld(t)
	pns := w.as(nipBudi)
	r := pns.hx("GET", "/data/riwayat/golongan/baru", nil, "f-riwayat-golongan")
	contains(t, "add form", r.body, `id="cari-in-golongan-golongan"`, `hx-get="/pilih/golongan.golongan"`, `<select id="in-golongan-golongan"`)
	r = pns.hx("GET", "/pilih/golongan.golongan?q=pembina&f_golongan=34", nil, "in-golongan-golongan")
	contains(t, "options", r.body, `value="41"`, `value="45"`, `value="34" selected`)
	if strings.Contains(r.body, `value="31"`) {
		t.Fatalf("search for pembina offers III/a:\n%s", r.body)
	}
	// A tab that does not apply to the PNS is not there at all.
	if r := pns.get("/data?tab=dokter"); r.status != fiber.StatusNotFound {
		t.Fatalf("Data Dokter for a PNS who is no doctor: %d", r.status)
	}
}

// TestSchoolsAreOfferedAndOthersMarked: the schools named in the master data are offered while the
// PNS types; a school not in the list is accepted, marked on the line, and the verifier is told to
// check it by hand.
func TestSchoolsAreOfferedAndOthersMarked(t *testing.T) {
	w := newWorld(t)
	rec, _ := w.st.Record(nipSri)
	rec.Riwayat["pendidikan"][0].Fields["nama_sekolah"] = "Universitas Diponegoro"
	if _, _, bad, err := w.st.PutMaster([]store.MasterInput{{Record: rec}}, "test", "sekolah"); err != nil || len(bad) > 0 {
		t.Fatalf("master: %v %v", err, bad)
	}
	pns := w.as(nipBudi)
	form := pns.hx("GET", "/data/riwayat/pendidikan/baru", nil, "f-riwayat-pendidikan").body
	contains(t, "add form", form, `list="daftar-pendidikan-nama_sekolah"`, `hx-get="/pilih/sekolah"`)
	r := pns.hx("GET", "/pilih/sekolah?f_nama_sekolah=dipo", nil, "daftar-pendidikan-nama_sekolah")
	contains(t, "suggestions", r.body, `<option value="Universitas Diponegoro">`)
	if r := pns.hx("GET", "/pilih/sekolah?f_nama_sekolah=zzz", nil, "x"); strings.Contains(r.body, "<option") {
		t.Fatalf("suggestions for zzz: %s", r.body)
	}

	known := map[string]string{"tingkat": "45", "nama_sekolah": "Universitas Diponegoro", "tahun_lulus": "2014"}
	other := map[string]string{"tingkat": "50", "nama_sekolah": "Akademi Tak Terdaftar", "tahun_lulus": "2016"}
	for _, row := range []map[string]string{known, other} {
		if r := pns.hx("POST", "/data/riwayat/pendidikan", rowForm(row, "ijazah"), "f-riwayat-pendidikan"); r.status != 200 {
			t.Fatalf("add row: %d\n%s", r.status, r.body)
		}
	}
	f, _ := w.st.Form(budiActor(), nipBudi)
	free := map[string]bool{}
	for k, e := range f.Entries {
		free[e.Row["nama_sekolah"]] = e.Free
		pns.attachAll(k)
	}
	if free["Universitas Diponegoro"] || !free["Akademi Tak Terdaftar"] {
		t.Fatalf("free marks %v: want only the school outside the list", free)
	}
	pns.confirmAllTabs()
	if r := pns.hx("POST", "/kirim", nil, "kirim-panel"); r.header.Get("HX-Redirect") != "/status" {
		t.Fatalf("kirim: %d\n%s", r.status, r.body)
	}
	sub := latestSub(t, w, nipBudi)
	review := w.as("v1-didik").get(fmtPath("/verifikasi/%d", sub.ID)).body
	if n := strings.Count(review, "Nilai diketik sendiri oleh PNS"); n != 1 {
		t.Fatalf("the review marks %d lines as typed outside the list, want 1", n)
	}
}

// TestRowFormsWithoutJavaScript: every row action is a link or a plain form: opening the add,
// change and remove forms goes to the page with the form open; a bad row comes back as the whole
// page (422) with the message at the field and what was typed.
func TestRowFormsWithoutJavaScript(t *testing.T) {
	w := newWorld(t)
	pns := w.as(nipBudi)
	for path, want := range map[string]string{
		"/data/riwayat/pendidikan/baru":    "/data?tab=riwayat&tambah=pendidikan#f-riwayat-pendidikan",
		"/data/riwayat/pendidikan/p1/ubah": "/data?tab=riwayat&ubah=riwayat.pendidikan.p1#f-riwayat-pendidikan",
		"/data/riwayat/golongan/g1/hapus":  "/data?tab=riwayat&hapus=riwayat.golongan.g1#f-riwayat-golongan",
		"/data/riwayat/pendidikan":         "/data?tab=riwayat#f-riwayat-pendidikan",
	} {
		r := pns.get(path)
		if r.status != fiber.StatusSeeOther || r.header.Get("Location") != want {
			t.Fatalf("%s: %d %q, want 303 %s", path, r.status, r.header.Get("Location"), want)
		}
	}
	contains(t, "change form", pns.get("/data?tab=riwayat&ubah=riwayat.pendidikan.p1").body,
		`id="form-pendidikan"`, `action="/data/riwayat/pendidikan/p1"`, `value="Teknik Informatika"`, "Data saat ini:")
	contains(t, "remove form", pns.get("/data?tab=riwayat&hapus=riwayat.golongan.g1").body,
		`id="form-golongan"`, `action="/data/riwayat/golongan/g1/hapus"`)
	r := pns.post("/data/riwayat/pendidikan", rowForm(map[string]string{"tingkat": "45", "nama_sekolah": "Undip", "tahun_lulus": "20x4"}, "S-2"))
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("bad row: %d", r.status)
	}
	contains(t, "page with the form", r.body, `<html lang="id">`, `id="err-pendidikan-tahun_lulus"`, "tahun empat angka", `value="Undip"`, `value="20x4"`)
}
