package store_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"pupns/store"
	"pupns/store/storetest"
)

// fxExport runs an export and returns its header keys and rows as maps by column key.
func fxExport(t *testing.T, s *store.Store, a store.Actor, req store.ExportRequest) []map[string]string {
	t.Helper()
	cols, err := store.ExportColumns(req.Kind)
	fxMust(t, err)
	var out []map[string]string
	err = s.Export(a, req, func(row []string) error {
		if len(row) != len(cols) {
			t.Fatalf("row has %d cells, header %d", len(row), len(cols))
		}
		m := map[string]string{}
		for i, c := range cols {
			m[c.Key] = row[i]
		}
		out = append(out, m)
		return nil
	})
	fxMust(t, err)
	return out
}

// withHistory gives Budi a golongan row and a child, so the records export has history rows.
func (f *fx) withHistory() {
	r := storetest.Record(nipBudi, unitU01, "Budi Santoso", nikBudi)
	r.Riwayat = map[string][]store.Row{
		"golongan": {{ID: "g1", Fields: map[string]string{"golongan": "31", "tmt_golongan": "2015-05-01", "jenis_kp": "211"}}},
		"anak": {{ID: "a1", Fields: map[string]string{"nama": "Ani", "jenis_kelamin": "2", "tanggal_lahir": "2016-02-03",
			"jenis_anak": "1", "status_hidup": "1", "sekolah": "1", "tunjangan": "1"}}},
	}
	f.putMasters(r)
}

// TestExportRecordsEveryTab: one row per PNS with every tab's fields (codes beside their labels),
// then a row per history row, in NIP order; the places filter includes units under the unit named.
func TestExportRecordsEveryTab(t *testing.T) {
	f := newFx(t)
	f.withHistory()
	rows := fxExport(t, f.s, fxAdmin, store.ExportRequest{Kind: store.ExportRecords})
	var nips []string
	for _, r := range rows {
		if r["tabel"] == "" {
			nips = append(nips, r["nip"])
		}
	}
	if want := []string{nipDedi, nipBudi, nipAgus, nipSiti}; !slices.Equal(nips, want) {
		t.Fatalf("records %v, want %v", nips, want)
	}
	var budi, gol, anak map[string]string
	for _, r := range rows {
		switch {
		case r["nip"] == nipBudi && r["tabel"] == "":
			budi = r
		case r["tabel"] == "golongan":
			gol = r
		case r["tabel"] == "anak":
			anak = r
		}
	}
	for k, want := range map[string]string{"nama": "Budi Santoso", "agama": "1", "agama_label": "Islam", "tanggal_lahir": "1986-09-26",
		"instansi_id": "P33", "instansi": "Pemerintah Provinsi Jawa Tengah", "unit_id": "U01", "unit": "Dinas Pendidikan",
		"kedudukan_hukum_label": "Aktif", "golongan.golongan": ""} {
		if budi[k] != want {
			t.Errorf("Budi's %s = %q, want %q", k, budi[k], want)
		}
	}
	if gol["nip"] != nipBudi || gol["baris"] != "g1" || gol["golongan.golongan_label"] != "III/a Penata Muda" || gol["nama"] != "" {
		t.Errorf("golongan row %v", gol)
	}
	if anak["anak.nama"] != "Ani" || anak["anak.jenis_kelamin_label"] != "Perempuan" || anak["anak.tanggal_lahir"] != "2016-02-03" {
		t.Errorf("anak row %v", anak)
	}

	u01 := fxExport(t, f.s, fxAdmin, store.ExportRequest{Kind: store.ExportRecords, Filter: store.ExportFilter{UnitID: unitU01}})
	var got []string
	for _, r := range u01 {
		if r["tabel"] == "" {
			got = append(got, r["nip"])
		}
	}
	if want := []string{nipDedi, nipBudi, nipSiti}; !slices.Equal(got, want) { // Siti's U01.01 lies under U01
		t.Errorf("unit U01: %v, want %v", got, want)
	}
	if n := len(fxExport(t, f.s, fxAdmin, store.ExportRequest{Kind: store.ExportRecords, Filter: store.ExportFilter{State: string(store.StateDone)}})); n != 0 {
		t.Errorf("state selesai: %d rows, nobody has sent", n)
	}
}

// TestExportScope: the admin exports the office, a Level 2 verifier their instansi only; a Level 1
// verifier and a PNS may not export; a Level 2 naming another instansi is refused.
func TestExportScope(t *testing.T) {
	f := newFx(t)
	req := store.ExportRequest{Kind: store.ExportRecords}
	if n := len(fxExport(t, f.s, f.v2, req)); n != 4 {
		t.Errorf("Level 2 of P33: %d rows, want 4", n)
	}
	other := store.Actor{Login: "v2.k01", Role: store.RoleV2, ScopeID: "K01"}
	if n := len(fxExport(t, f.s, other, req)); n != 0 {
		t.Errorf("Level 2 of K01: %d rows, want 0", n)
	}
	for _, a := range []store.Actor{f.v1U01, f.budi} {
		fxWantErr(t, f.s.Export(a, req, func([]string) error { return nil }), store.ErrForbidden)
	}
	req.Filter.InstansiID = "P33"
	fxWantErr(t, f.s.Export(other, req, func([]string) error { return nil }), store.ErrForbidden)
	req.Filter = store.ExportFilter{UnitID: unitU01}
	fxWantErr(t, f.s.Export(other, req, func([]string) error { return nil }), store.ErrForbidden)
	req.Filter = store.ExportFilter{State: "entah"}
	fxWantErr(t, f.s.Export(fxAdmin, req, func([]string) error { return nil }), store.ErrInvalid)
}

// TestExportChanges: every applied line of a finished submission with old and new values (codes
// beside their labels, a history row as JSON beside its summary), the reason, each level's
// decision, decider and time, and the version it made; rejected lines are not in it.
func TestExportChanges(t *testing.T) {
	f := newFx(t)
	row := map[string]string{"nama_diklat": "Diklat Arsip", "tahun": "2020"}
	_, _, err := f.s.ProposeRow(f.budi, nipBudi, "diklat_fungsional", "", store.OpTambah, row, "sertifikat baru")
	fxMust(t, err)
	f.propose(f.budi, fxUsul{"agama", "2", "salah ketik"})
	sub := f.send(f.budi, fxUsul{"alamat", "Jl. Diponegoro No. 5, Semarang", "pindah rumah"})
	rowKey := ""
	for _, l := range sub.Lines {
		verdict := store.Setuju
		if l.Field == "alamat" {
			verdict = store.TMS
		}
		if l.Table != "" {
			rowKey = l.Field
		}
		f.decide(f.v1U01, sub.ID, l.Field, verdict, "cek "+l.Field)
	}
	f.forward(f.v1U01, sub.ID)
	f.decide(f.v2, sub.ID, "agama", store.Setuju, "")
	f.decide(f.v2, sub.ID, rowKey, store.Setuju, "")
	if got := f.forward(f.v2, sub.ID); got.State != store.StateDone || got.Version != 2 {
		t.Fatalf("state %s version %d", got.State, got.Version)
	}
	rows := fxExport(t, f.s, f.v2, store.ExportRequest{Kind: store.ExportChanges})
	if len(rows) != 2 {
		t.Fatalf("%d rows, want 2 (alamat was rejected): %v", len(rows), rows)
	}
	byField := map[string]map[string]string{}
	for _, r := range rows {
		byField[r["isian"]+r["tabel"]] = r
	}
	ag := byField["agama"]
	for k, want := range map[string]string{"nip": nipBudi, "tab": "utama", "tab_label": "Data Utama", "lama": "1", "lama_label": "Islam",
		"baru": "2", "baru_label": "Kristen", "alasan": "salah ketik", "level1_keputusan": "setuju", "level1_oleh": "v1.u01",
		"level1_catatan": "cek agama", "level2_oleh": "v2.p33", "level3_keputusan": "", "versi": "2", "usulan": fmt.Sprint(sub.ID)} {
		if ag[k] != want {
			t.Errorf("agama %s = %q, want %q", k, ag[k], want)
		}
	}
	if _, err := time.Parse(time.RFC3339, ag["level2_waktu"]); err != nil {
		t.Errorf("level2_waktu %q is not ISO 8601: %v", ag["level2_waktu"], err)
	}
	dk := byField["diklat_fungsional"]
	if dk["operasi"] != store.OpTambah || dk["tab"] != "riwayat" || !strings.Contains(dk["baru"], `"nama_diklat":"Diklat Arsip"`) ||
		!strings.Contains(dk["baru_label"], "Nama Diklat: Diklat Arsip") || dk["lama"] != "" {
		t.Errorf("row line %v", dk)
	}
	before := store.ExportFilter{To: fxStart.AddDate(0, 0, -1)}
	if n := len(fxExport(t, f.s, fxAdmin, store.ExportRequest{Kind: store.ExportChanges, Filter: before})); n != 0 {
		t.Errorf("date range before the campaign: %d rows", n)
	}
	on := store.ExportFilter{From: fxStart, To: fxStart}
	if n := len(fxExport(t, f.s, fxAdmin, store.ExportRequest{Kind: store.ExportChanges, Filter: on})); n != 2 {
		t.Errorf("date range of the day: %d rows, want 2", n)
	}
}

// TestExportNonCompliance: the list through the page's rule, with category labels, filtered.
func TestExportNonCompliance(t *testing.T) {
	f := newFx(t)
	rows := fxExport(t, f.s, fxAdmin, store.ExportRequest{Kind: store.ExportNonCompliance, Filter: store.ExportFilter{UnitID: unitU02}})
	if len(rows) != 1 || rows[0]["nip"] != nipAgus || rows[0]["kategori"] != store.NonRegistered ||
		rows[0]["kategori_label"] != "Belum registrasi" || rows[0]["skpd"] != "Dinas Kesehatan" || rows[0]["tms"] != "0" {
		t.Fatalf("rows %v", rows)
	}
	page, err := f.s.NonCompliance(fxAdmin, store.NonComplianceFilter{})
	fxMust(t, err)
	all := fxExport(t, f.s, fxAdmin, store.ExportRequest{Kind: store.ExportNonCompliance})
	if len(all) != len(page.Items) {
		t.Errorf("export %d rows, the list %d", len(all), len(page.Items))
	}
	if n := len(fxExport(t, f.s, fxAdmin, store.ExportRequest{Kind: store.ExportNonCompliance, Filter: store.ExportFilter{State: store.NonSent}})); n != 0 {
		t.Errorf("belum_kirim: %d rows, nobody has an account", n)
	}
}

// TestExportChunks: an export longer than one chunk gives every record once, in order, hears
// progress per chunk, and no read transaction is open while a row is written.
func TestExportChunks(t *testing.T) {
	f := newFx(t)
	var recs []store.Record
	for i := 2; i < 700; i++ {
		nip := fmt.Sprintf("19860926201505%d%03d", 1+i%2, i)
		recs = append(recs, storetest.Record(nip, unitU02, "Pegawai Contoh", storetest.NIK(nip, i)))
	}
	f.putMasters(recs...)
	var calls, last int
	var nips []string
	err := f.s.Export(fxAdmin, store.ExportRequest{Kind: store.ExportRecords, Progress: func(done, total int) { calls++; last = done }},
		func(row []string) error {
			if n := f.s.DB().Stats().OpenTxN; n != 0 {
				t.Fatalf("%d read transactions open while a row is written", n)
			}
			nips = append(nips, row[0])
			return nil
		})
	fxMust(t, err)
	if len(nips) != 702 || !slices.IsSorted(nips) || len(slices.Compact(slices.Clone(nips))) != 702 {
		t.Errorf("%d rows, sorted %v", len(nips), slices.IsSorted(nips))
	}
	if calls < 3 || last != 702 {
		t.Errorf("progress %d calls, last %d", calls, last)
	}
}
