package store

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func openImportStore(t *testing.T) *Store {
	t.Helper()
	s := openDemoStore(t)
	for _, in := range []Instansi{
		{ID: "P33", Name: "Pemerintah Provinsi Jawa Tengah", Jenis: "daerah", KanregID: "I"},
		{ID: "K01", Name: "Kementerian Contoh", Jenis: "pusat"},
	} {
		if err := s.PutInstansi(in); err != nil {
			t.Fatal(err)
		}
	}
	for _, u := range []Unit{
		{ID: "U1", InstansiID: "P33", Name: "Badan Kepegawaian Daerah"},
		{ID: "U1.1", InstansiID: "P33", ParentID: "U1", Name: "Bidang Mutasi"},
		{ID: "X1", InstansiID: "K01", Name: "Biro Kepegawaian"},
	} {
		if err := s.PutUnit(u); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

const importHeader = "nip,instansi_id,unit_id,nama,gelar_depan,gelar_belakang,tempat_lahir,tanggal_lahir,jenis_kelamin,agama,status_kawin,nik,npwp,alamat,kode_pos,no_hp,email,tmt_cpns,tmt_pns,kedudukan_hukum,jenis_pegawai,no_karpeg\n"

const rowBudi = `198609262015051001,P33,U1,Budi Santoso,,S.Kom.,Semarang,26-09-1986,1,1,1,3374012609860001,09.254.294.3-407.000,"Jl. Pemuda No. 1, Semarang",50132,0812 3456 7890,Budi.Santoso@Example.go.id,2015-05-01,2016-05-01,01,10,n123456` + "\n"
const rowSri = `198703152010012002,P33,U1.1,Sri Wahyuni,,S.E.,Klaten,1987-03-15,2,1,4,3310045503870002,,"Jl. Melati No. 7, Klaten",57411,081298765432,,2010-01-01,2011-01-01,01,10,` + "\n"

func TestImportCreatesAndUpdates(t *testing.T) {
	s := openImportStore(t)
	rep, err := s.ImportCSV(strings.NewReader(importHeader+rowBudi+rowSri), "admin", nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rows != 2 || rep.Created != 2 || rep.Updated != 0 || rep.Unchanged != 0 || len(rep.Errors) != 0 {
		t.Fatalf("report %+v", rep)
	}
	r, err := s.Record("198609262015051001")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"nip": "198609262015051001", "nama": "Budi Santoso", "gelar_belakang": "S.Kom.",
		"tanggal_lahir": "1986-09-26", "npwp": "092542943407000", "no_hp": "081234567890",
		"email": "budi.santoso@example.go.id", "alamat": "Jl. Pemuda No. 1, Semarang", "no_karpeg": "N 123456"}
	for k, v := range want {
		if r.Fields[k] != v {
			t.Errorf("%s = %q, want %q", k, r.Fields[k], v)
		}
	}
	if _, ok := r.Fields["gelar_depan"]; ok {
		t.Errorf("empty gelar_depan stored: %q", r.Fields["gelar_depan"])
	}
	if r.InstansiID != "P33" || r.UnitID != "U1" || r.Version != 1 || r.UpdatedBy != "admin" {
		t.Errorf("record %+v", r)
	}

	// The same file again changes nothing.
	rep, err = s.ImportCSV(strings.NewReader(importHeader+rowBudi+rowSri), "admin", nil)
	if err != nil || rep.Unchanged != 2 || rep.Created+rep.Updated != 0 {
		t.Fatalf("re-import: %+v %v", rep, err)
	}

	// A changed address makes version 2 with the old value in the history.
	changed := strings.Replace(rowBudi, "Jl. Pemuda No. 1, Semarang", "Jl. Pandanaran No. 9, Semarang", 1)
	rep, err = s.ImportCSV(strings.NewReader(importHeader+changed+rowSri), "admin2", nil)
	if err != nil || rep.Updated != 1 || rep.Unchanged != 1 || rep.Created != 0 {
		t.Fatalf("changed import: %+v %v", rep, err)
	}
	vs, err := s.Versions("198609262015051001")
	if err != nil || len(vs) != 2 {
		t.Fatalf("versions %d %v", len(vs), err)
	}
	if vs[0].Record.Fields["alamat"] != "Jl. Pemuda No. 1, Semarang" || vs[1].Version != 2 || vs[1].By != "admin2" {
		t.Errorf("versions %+v", vs)
	}
	if len(vs[1].Changes) != 1 || vs[1].Changes[0] != (Change{Field: "alamat", Old: "Jl. Pemuda No. 1, Semarang", New: "Jl. Pandanaran No. 9, Semarang"}) {
		t.Errorf("changes %+v", vs[1].Changes)
	}
}

func TestImportKeepsRiwayatAndMissingColumns(t *testing.T) {
	s := openImportStore(t)
	nip := "198609262015051001"
	rec := Record{NIP: nip, InstansiID: "P33", UnitID: "U1",
		Fields:  map[string]string{"nama": "Budi Santosa", "npwp": "092542943407000", "email": "budi@example.go.id"},
		Riwayat: map[string][]Row{"golongan": {{ID: "g1", Fields: map[string]string{"golongan": "31", "tmt_golongan": "2015-05-01", "jenis_kp": "211"}}}}}
	if _, _, bad, err := s.PutMaster([]MasterInput{{Record: rec, Line: 1}}, "test", "test"); err != nil || len(bad) != 0 {
		t.Fatal(err, bad)
	}
	// Only some columns: the name is corrected, the e-mail emptied, the NPWP (no column) kept.
	csv := "nip;instansi_id;unit_id;nama;email\n" + nip + ";P33;U1.1;Budi Santoso;\n"
	rep, err := s.ImportCSV(strings.NewReader(csv), "admin", nil)
	if err != nil || rep.Updated != 1 || len(rep.Errors) != 0 {
		t.Fatalf("%+v %v", rep, err)
	}
	r, _ := s.Record(nip)
	if r.Fields["nama"] != "Budi Santoso" || r.Fields["npwp"] != "092542943407000" || r.Fields["email"] != "" || r.UnitID != "U1.1" {
		t.Errorf("fields %+v unit %s", r.Fields, r.UnitID)
	}
	if g := r.Riwayat["golongan"]; len(g) != 1 || g[0].Fields["golongan"] != "31" {
		t.Errorf("riwayat lost: %+v", r.Riwayat)
	}
	if r.Version != 2 {
		t.Errorf("version %d", r.Version)
	}
}

func TestImportBadRows(t *testing.T) {
	s := openImportStore(t)
	lines := []string{
		"nip,instansi_id,unit_id,nama,tanggal_lahir,alamat",                                         // 1
		`198609262015051001,P33,U1,Budi Santoso,1986-09-26,"Jl. Pemuda No. 1,` + "\n" + `Semarang"`, // 2-3
		`12345,P33,U1,Salah NIP,,`,                            // 4
		`198703152010012002,P33,U9,Sri Wahyuni,,`,             // 5
		`198001012005011003,P33,U1,Tanggal Salah,31-02-2020,`, // 6
		`198609262015051001,P33,U1,Budi Lagi,,`,               // 7
		``,                                                    // 8 (blank, skipped)
		`198102022006021004,P33,U1.1,Dewi Lestari,02-02-1981,`, // 9
		`198203032007031005,P33,U1,,,`,                         // 10
		`198304042008041006,P33,X1,Unit Lain,,`,                // 11
		`198405052009051007,P33,U1,Kurang Kolom`,               // 12
		`1.98506E+17,P33,U1,Excel,,`,                           // 13
		`198606062010061008,K99,X1,Instansi Asing,,`,           // 14
		`198707072011071009,P33,U1,Hj. Siti <b>Aminah</b>,,`,   // 15
	}
	rep, err := s.ImportCSV(strings.NewReader(strings.Join(lines, "\n")+"\n"), "admin", nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Created != 2 || rep.Rows != 12 {
		t.Errorf("report %+v", rep)
	}
	want := []struct {
		line  int
		field string
		has   string
	}{
		{4, "nip", "18 angka"},
		{5, "unit_id", "U9"},
		{6, "tanggal_lahir", "tanggal"},
		{7, "nip", "baris 2"},
		{10, "nama", "wajib"},
		{11, "unit_id", "bukan bagian"},
		{12, "", "kolom"},
		{13, "nip", "teks"},
		{14, "instansi_id", "K99"},
		{15, "nama", "tidak boleh"},
	}
	if len(rep.Errors) != len(want) {
		t.Fatalf("errors: %+v", rep.Errors)
	}
	for i, w := range want {
		e := rep.Errors[i]
		if e.Line != w.line || e.Field != w.field || !strings.Contains(e.Message, w.has) {
			t.Errorf("error %d = %+v, want line %d field %q containing %q", i, e, w.line, w.field, w.has)
		}
	}
	if rep.Errors[1].NIP != "198703152010012002" || !strings.Contains(rep.Errors[1].Error(), "baris 5") {
		t.Errorf("error carries %q / %q", rep.Errors[1].NIP, rep.Errors[1].Error())
	}
	// Good rows are written whole; nothing of the bad ones.
	if r, err := s.Record("198609262015051001"); err != nil || r.Fields["nama"] != "Budi Santoso" || r.Fields["alamat"] != "Jl. Pemuda No. 1, Semarang" {
		t.Errorf("line 2: %+v %v", r.Fields, err)
	}
	if r, err := s.Record("198102022006021004"); err != nil || r.Fields["tanggal_lahir"] != "1981-02-02" {
		t.Errorf("line 9: %+v %v", r.Fields, err)
	}
	for _, nip := range []string{"198703152010012002", "198001012005011003", "198203032007031005", "198304042008041006", "198405052009051007", "198606062010061008", "198707072011071009"} {
		if _, err := s.Record(nip); !errors.Is(err, ErrNotFound) {
			t.Errorf("bad row %s written: %v", nip, err)
		}
	}
	if c, _ := s.CountRecords(); c != 2 {
		t.Errorf("%d records", c)
	}
}

func TestImportHeaderErrors(t *testing.T) {
	s := openImportStore(t)
	for _, tc := range []struct{ csv, has string }{
		{"nip,instansi_id,unit_id,nama,golongan\n", `"golongan"`},
		{"nip,instansi_id,nama\n", `"unit_id"`},
		{"nip;instansi_id;unit_id\n", `"nama"`},
		{"nip,instansi_id,unit_id,nama,nama\n", "dua kali"},
		{"", "kosong"},
	} {
		_, err := s.ImportCSV(strings.NewReader(tc.csv), "admin", nil)
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.has) {
			t.Errorf("%q: %v", tc.csv, err)
		}
	}
	if c, _ := s.CountRecords(); c != 0 {
		t.Errorf("%d records", c)
	}
}

func TestImportSemicolonAndBOM(t *testing.T) {
	s := openImportStore(t)
	csv := "\uFEFFNama;NIP;Unit_ID;Instansi_ID;Alamat;No_HP;TMT_CPNS\r\n" +
		"Sri Wahyuni;19870315 201001 2 002;U1.1;P33;Jl. Melati No. 7, Kel. Kabupaten, Kab. Klaten;+62 812-9876-5432;01-01-2010\r\n"
	rep, err := s.ImportCSV(strings.NewReader(csv), "admin", nil)
	if err != nil || rep.Created != 1 || len(rep.Errors) != 0 {
		t.Fatalf("%+v %v", rep, err)
	}
	r, err := s.Record("198703152010012002")
	if err != nil {
		t.Fatal(err)
	}
	if r.Fields["alamat"] != "Jl. Melati No. 7, Kel. Kabupaten, Kab. Klaten" || r.Fields["no_hp"] != "081298765432" || r.Fields["tmt_cpns"] != "2010-01-01" {
		t.Errorf("fields %+v", r.Fields)
	}
}

func TestImportChunksAndProgress(t *testing.T) {
	s := openImportStore(t)
	var b strings.Builder
	b.WriteString("nip,instansi_id,unit_id,nama\n")
	born := time.Date(1975, 1, 1, 0, 0, 0, 0, time.UTC)
	const n = 2500
	for i := 0; i < n; i++ {
		d := born.AddDate(0, 0, i)
		name := string(rune('A'+i%26)) + strings.Repeat("a", 1+i/26%5)
		fmt.Fprintf(&b, "%s2000011%03d,P33,U1,Pegawai %s\n", d.Format("20060102"), 1+i%999, name)
	}
	var calls []int
	rep, err := s.ImportCSV(strings.NewReader(b.String()), "admin", func(rows int) { calls = append(calls, rows) })
	if err != nil || rep.Created != n || rep.Rows != n || len(rep.Errors) != 0 {
		t.Fatalf("%+v %v", rep.Errors[:min(3, len(rep.Errors))], err)
	}
	if fmt.Sprint(calls) != "[1000 2000 2500]" {
		t.Errorf("progress %v", calls)
	}
	if c, _ := s.CountRecords(); c != n {
		t.Errorf("%d records", c)
	}
}
