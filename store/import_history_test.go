package store

import (
	"strings"
	"testing"
)

// TestImportHistoryRows: a file with a tabel column replaces each PNS's history with the rows
// under it, other tabs' fields are imported too, a neutralised cell reads as it was, and a bad
// history row (or one not under its PNS) keeps that PNS out whole, reported at its line.
func TestImportHistoryRows(t *testing.T) {
	s := openImportStore(t)
	const head = "nip,tabel,baris,instansi_id,unit_id,nama,agama,agama_label,bidang_keahlian,golongan.golongan,golongan.golongan_label,golongan.tmt_golongan,golongan.jenis_kp\n"
	file := head +
		"198609262015051001,,,P33,U1,Budi Santoso,1,Islam,'=1+1,,,,\n" +
		"198609262015051001,golongan,g2,,,,,,,32,,2019-04-01,101\n" +
		"198609262015051001,golongan,g1,,,,,,,31,,2015-05-01,211\n" +
		"198703152010012002,,,P33,U1.1,Sri Wahyuni,1,,,,,,\n" +
		"198703152010012002,golongan,g1,,,,,,,99,,2015-05-01,211\n" +
		"198803102010011002,golongan,g1,,,,,,,31,,2015-05-01,211\n"
	rep, err := s.ImportCSV(strings.NewReader(file), "admin", nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Created != 1 || len(rep.Errors) != 2 || rep.Errors[0].Line != 6 || rep.Errors[0].Field != "golongan.golongan" || rep.Errors[1].Line != 7 {
		t.Fatalf("report %+v", rep)
	}
	r, err := s.Record("198609262015051001")
	if err != nil {
		t.Fatal(err)
	}
	rows := r.Rows("golongan")
	if len(rows) != 2 || rows[0].ID != "g1" || rows[1].Fields["golongan"] != "32" || r.Fields["bidang_keahlian"] != "=1+1" || r.Fields["agama"] != "1" {
		t.Fatalf("record %+v", r)
	}
	if _, err := s.Record("198703152010012002"); err == nil {
		t.Error("Sri was written though her golongan row was refused")
	}

	// The PNS alone (no history rows under them) empties their history: the file is the record.
	rep, err = s.ImportCSV(strings.NewReader(head+"198609262015051001,,,P33,U1,Budi Santoso,1,,,,,,\n"), "admin", nil)
	if err != nil || rep.Updated != 1 {
		t.Fatalf("%+v %v", rep, err)
	}
	if r, _ := s.Record("198609262015051001"); len(r.Riwayat["golongan"]) != 0 || r.Fields["bidang_keahlian"] != "" {
		t.Errorf("history kept: %+v", r.Riwayat)
	}
}
