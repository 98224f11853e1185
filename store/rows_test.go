package store_test

import (
	"bytes"
	"strings"
	"testing"

	"go.etcd.io/bbolt"

	"pupns/store"
	"pupns/store/storetest"
)

// TestSelfAssessmentIsRecordedAtKirimWithoutALine: the self assessment is part of the record but
// never verified line by line: at Kirim it is written to the master at once and gives no line.
func TestSelfAssessmentIsRecordedAtKirimWithoutALine(t *testing.T) {
	f := newFx(t)
	sub := f.send(f.budi, fxUsul{"bahasa_asing", "Inggris (menengah)", "kursus"}, fxUsul{"no_hp", "081299990000", "nomor baru"})
	if len(sub.Lines) != 1 || sub.Lines[0].Field != "no_hp" {
		t.Fatalf("lines %+v, want only no_hp", sub.Lines)
	}
	rec, err := f.s.Record(nipBudi)
	fxMust(t, err)
	if rec.Fields["bahasa_asing"] != "Inggris (menengah)" || rec.Fields["no_hp"] == "081299990000" {
		t.Fatalf("after Kirim: bahasa_asing %q, no_hp %q", rec.Fields["bahasa_asing"], rec.Fields["no_hp"])
	}
}

// TestRowWithUnitOutsideTheListIsMarkedFree: a riwayat jabatan row may name a unit that is not in
// the organisation tree (an old unit); the proposal and its line say so for the verifier.
func TestRowWithUnitOutsideTheListIsMarkedFree(t *testing.T) {
	f := newFx(t)
	row := map[string]string{"jenis_jabatan": "4", "nama_jabatan": "Pengadministrasi Umum", "tmt_jabatan": "2015-05-01"}
	row["unit_organisasi"] = "Dinas Pendidikan"
	e, _, err := f.s.ProposeRow(f.budi, nipBudi, "jabatan", "", store.OpTambah, row, "SK")
	fxMust(t, err)
	if e.Free {
		t.Fatal("a unit of the tree marked as outside the list")
	}
	row["unit_organisasi"] = "Dinas P dan K Kota Lama"
	e, _, err = f.s.ProposeRow(f.budi, nipBudi, "jabatan", "", store.OpTambah, row, "SK")
	fxMust(t, err)
	if !e.Free {
		t.Fatal("a unit outside the tree not marked")
	}
	f.attachDocs(f.budi, e.Field)
	form, _ := f.s.Form(f.budi, nipBudi)
	for k := range form.Entries {
		f.attachDocs(f.budi, k)
	}
	f.confirmRest(f.budi)
	sub, err := f.s.Kirim(f.budi, nipBudi)
	fxMust(t, err)
	if l := fxLine(t, sub, e.Field); !l.Free || l.Table != "jabatan" || l.Op != store.OpTambah || !strings.Contains(l.New, "Dinas P dan K Kota Lama") {
		t.Fatalf("line %+v", l)
	}
}

// TestDocumentBytesStayOutOfTheForm: the form (what every record page reads) carries the
// documents' metadata only; the bytes come back whole, and only through Document.
func TestDocumentBytesStayOutOfTheForm(t *testing.T) {
	f := newFx(t)
	f.propose(f.budi, fxUsul{"npwp", "123456789012345", "kartu baru"}) // attaches a small PDF
	big := append(append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte{'z'}, 700<<10)...), "\n%%EOF"...)
	m, _, err := f.s.AddDocument(f.budi, nipBudi, "npwp", "Kartu NPWP", "npwp.pdf", bytes.NewReader(big))
	fxMust(t, err)
	if m.Size != int64(len(big)) || m.Type != store.TypePDF {
		t.Fatalf("meta %+v", m)
	}
	form, err := f.s.Form(f.budi, nipBudi)
	fxMust(t, err)
	if len(form.Docs["npwp"]) != 2 {
		t.Fatalf("form lists %d documents, want 2", len(form.Docs["npwp"]))
	}
	_, data, err := f.s.Document(f.budi, m.ID)
	fxMust(t, err)
	if !bytes.Equal(data, big) {
		t.Fatalf("document came back with %d bytes, want %d (chunks joined in order)", len(data), len(big))
	}
	if _, _, err := f.s.Document(f.siti, m.ID); err == nil {
		t.Fatal("another PNS read the document")
	}
}

// TestSafeName: an uploaded name is a display name, never a path.
func TestSafeName(t *testing.T) {
	for in, want := range map[string]string{
		"../../etc/passwd":         "passwd",
		`C:\Users\budi\ijazah.pdf`: "ijazah.pdf",
		"..":                       "dokumen.pdf",
		".htaccess":                "htaccess",
		"KTP <script>.png":         "KTP _script_.png",
		"akta\x00kelahiran.pdf":    "akta_kelahiran.pdf",
		"":                         "dokumen.pdf",
	} {
		if got := store.SafeName(in, store.TypePDF); got != want {
			t.Errorf("SafeName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestNewDocumentAfterBTSNeedsANewDecision: a returned line whose value is unchanged but which now
// carries another document (what BTS usually asks for) is a changed line: its decision no longer
// holds. A line with nothing changed keeps its approval.
func TestNewDocumentAfterBTSNeedsANewDecision(t *testing.T) {
	f := newFx(t)
	sub := f.send(f.budi, usulHP, usulAlamat)
	f.decide(f.v1U01, sub.ID, "no_hp", store.Setuju, "")
	f.decide(f.v1U01, sub.ID, "alamat", store.BTS, "KK tidak terbaca")
	f.forward(f.v1U01, sub.ID)
	_, _, err := f.s.AddDocument(f.budi, nipBudi, "alamat", "Kartu Keluarga", "kk-jelas.png", bytes.NewReader([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR"+strings.Repeat("\x00", 17)+"\x00\x00\x00\x00IEND\xaeB`\x82")))
	fxMust(t, err)
	r2, err := f.s.Kirim(f.budi, nipBudi)
	fxMust(t, err)
	al := fxLine(t, r2, "alamat")
	if _, ok := al.Decision(1, r2.Round); ok || al.Since != r2.Round || len(al.Docs) != 3 {
		t.Fatalf("alamat with a new document: since %d, %d documents, decision kept", al.Since, len(al.Docs))
	}
	if _, ok := fxLine(t, r2, "no_hp").Decision(1, r2.Round); !ok {
		t.Fatal("the unchanged no_hp line lost its approval")
	}
}

// TestWithdrawnRowLeavesNoTrace: taking back an added row removes it from the table as it will be.
func TestWithdrawnRowLeavesNoTrace(t *testing.T) {
	f := newFx(t)
	e, _, err := f.s.ProposeRow(f.budi, nipBudi, "diklat_fungsional", "", store.OpTambah, map[string]string{"nama_diklat": "Bimtek Arsip", "tahun": "2015"}, "sertifikat")
	fxMust(t, err)
	form, _ := f.s.Form(f.budi, nipBudi)
	if len(form.EffectiveTable("diklat_fungsional")) != 1 {
		t.Fatal("the added row is not in the table as it will be")
	}
	fxMust(t, fxErrOf(f.s.Withdraw(f.budi, nipBudi, e.Field)))
	form, _ = f.s.Form(f.budi, nipBudi)
	if len(form.EffectiveTable("diklat_fungsional")) != 0 || len(form.Entries) != 0 {
		t.Fatalf("after withdrawing: %d rows, %d entries", len(form.EffectiveTable("diklat_fungsional")), len(form.Entries))
	}
}

// TestSchoolListFromMasterData: the schools of the master data are offered, found by any part of
// their name; a data file made before the list existed gets it filled when opened.
func TestSchoolListFromMasterData(t *testing.T) {
	dir := t.TempDir()
	s, err := store.Open(dir, store.Options{})
	fxMust(t, err)
	fxMust(t, s.PutInstansi(store.Instansi{ID: fxInstansi, Name: "Jawa Tengah", Jenis: "daerah", KanregID: "I"}))
	fxMust(t, s.PutUnit(store.Unit{ID: unitU01, InstansiID: fxInstansi, Name: "Disdik"}))
	r := storetest.Record(nipBudi, unitU01, "Budi Santoso", nikBudi)
	r.Riwayat = map[string][]store.Row{"pendidikan": {{ID: "p1", Fields: map[string]string{"tingkat": "40", "nama_sekolah": "Universitas Diponegoro", "tahun_lulus": "2008"}}}}
	_, _, _, err = s.PutMaster([]store.MasterInput{{Record: r}}, "t", "t")
	fxMust(t, err)
	got, err := s.Schools("DIPO", 10)
	fxMust(t, err)
	if len(got) != 1 || got[0] != "Universitas Diponegoro" {
		t.Fatalf("Schools(DIPO) = %v", got)
	}
	// An older file: the list emptied, as it was before it existed; opening fills it again.
	fxMust(t, s.DB().Update(func(tx *bbolt.Tx) error {
		if err := tx.DeleteBucket([]byte("schools")); err != nil {
			return err
		}
		_, err := tx.CreateBucket([]byte("schools"))
		return err
	}))
	if got, _ := s.Schools("", 10); len(got) != 0 {
		t.Fatalf("emptied list still has %v", got)
	}
	fxMust(t, s.Close())
	s, err = store.Open(dir, store.Options{})
	fxMust(t, err)
	defer s.Close()
	if got, _ := s.Schools("negoro", 10); len(got) != 1 {
		t.Fatalf("after reopening: %v", got)
	}
}

// TestRequiredDocumentsFollowTheTable: the documents each change needs are DOMAIN.md's table
// ("Documents a proposal needs"); removing a history row needs a reason, not a document.
func TestRequiredDocumentsFollowTheTable(t *testing.T) {
	identitas := "SK CPNS, Ijazah, Akta Kelahiran"
	want := map[string]string{
		"nama": identitas, "gelar_depan": identitas, "gelar_belakang": identitas, "tempat_lahir": identitas,
		"tanggal_lahir": identitas, "jenis_kelamin": identitas,
		"nik": "KTP, Kartu Keluarga", "alamat": "KTP, Kartu Keluarga", "status_kawin": "KTP, Kartu Keluarga",
		"npwp": "Kartu NPWP", "no_bpjs": "Kartu BPJS Kesehatan", "no_kpe": "Kartu KPE", "no_taspen": "Kartu Taspen",
		"tmt_cpns": "SK CPNS", "tmt_pns": "SK PNS",
		"agama": "", "no_hp": "", "unit_organisasi": "",
		store.RowKey("golongan", "g1"):   "SK Kenaikan Pangkat",
		store.RowKey("pendidikan", "p1"): "Ijazah, Transkrip Nilai",
		store.RowKey("jabatan", "j1"):    "SK Jabatan",
		store.RowKey("pasangan", "p1"):   "Akta Nikah/Cerai, Kartu Keluarga",
		store.RowKey("anak", "a1"):       "Akta Kelahiran Anak, Kartu Keluarga",
	}
	for key, w := range want {
		need, _ := store.DocsFor(key, store.OpUbah)
		if got := strings.Join(need, ", "); got != w {
			t.Errorf("%s needs %q, want %q", key, got, w)
		}
	}
	if need, may := store.DocsFor(store.RowKey("pendidikan", "p1"), store.OpHapus); len(need) != 0 || len(may) == 0 {
		t.Errorf("removing a row needs %v (may %v), want nothing required", need, may)
	}
	if _, may := store.DocsFor(store.RowKey("golongan", "g1"), store.OpTambah); strings.Join(may, ",") != "Pertek BKN" {
		t.Errorf("golongan may carry %v, want the pertek BKN", may)
	}
}

// TestDocumentTypeReadAcrossChunks: a document is read in 256 KiB chunks; its end marker may be
// cut in two by a chunk boundary and must still be found (and a cut marker of a fake must not).
func TestDocumentTypeReadAcrossChunks(t *testing.T) {
	f := newFx(t)
	f.propose(f.budi, fxUsul{"npwp", "123456789012345", "kartu baru"})
	const chunk = 256 << 10
	body := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte{'x'}, 2*chunk+3-9-5)...)
	body = append(body, "%%EOF"...) // "%%" ends the second chunk, "EOF" is the third
	if len(body) != 2*chunk+3 {
		t.Fatalf("test file is %d bytes", len(body))
	}
	if _, _, err := f.s.AddDocument(f.budi, nipBudi, "npwp", "Kartu NPWP", "npwp.pdf", bytes.NewReader(body)); err != nil {
		t.Fatalf("a PDF whose end marker spans two chunks: %v", err)
	}
	fake := append(bytes.Clone(body[:len(body)-5]), "%%EOX"...)
	if _, _, err := f.s.AddDocument(f.budi, nipBudi, "npwp", "Kartu NPWP", "npwp.pdf", bytes.NewReader(fake)); err == nil {
		t.Fatal("a PDF without its end marker was accepted")
	}
}
