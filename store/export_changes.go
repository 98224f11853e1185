package store

import (
	"cmp"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"go.etcd.io/bbolt"
)

// The change list and the non-compliance list as exports.

// changeColumns is the column definition of the change list: one row per applied line of a
// finished submission (README › Exports).
var changeColumns = func() []ExportColumn {
	cols := []ExportColumn{
		{"usulan", "Nomor usulan", ColInt}, {"nip", "NIP", ColText}, {"nama", "Nama", ColText},
		{"instansi_id", "ID Instansi", ColText}, {"instansi", "Instansi", ColText},
		{"unit_id", "ID Unit Organisasi", ColText}, {"unit", "Unit Organisasi", ColText},
		{"tab", "Tab", ColText}, {"tab_label", "Tab (uraian)", ColText},
		{"isian", "Isian", ColText}, {"isian_label", "Isian (uraian)", ColText},
		{"tabel", "Tabel riwayat", ColText}, {"tabel_label", "Tabel riwayat (uraian)", ColText},
		{"baris", "ID baris riwayat", ColText}, {"operasi", "Operasi baris", ColText}, {"operasi_label", "Operasi baris (uraian)", ColText},
		{"lama", "Nilai lama", ColText}, {"lama_label", "Nilai lama (uraian)", ColText},
		{"baru", "Nilai baru", ColText}, {"baru_label", "Nilai baru (uraian)", ColText},
		{"alasan", "Alasan PNS", ColText},
	}
	for lv := 1; lv <= 4; lv++ {
		p := "level" + strconv.Itoa(lv) + "_"
		n := "Level " + strconv.Itoa(lv) + ": "
		cols = append(cols, ExportColumn{p + "keputusan", n + "keputusan", ColText}, ExportColumn{p + "keputusan_label", n + "keputusan (uraian)", ColText},
			ExportColumn{p + "oleh", n + "oleh", ColText}, ExportColumn{p + "waktu", n + "waktu", ColTime}, ExportColumn{p + "catatan", n + "catatan", ColText})
	}
	return append(cols, ExportColumn{"dikirim", "Dikirim", ColTime}, ExportColumn{"selesai", "Selesai", ColTime},
		ExportColumn{"versi", "Versi data yang dihasilkan", ColInt})
}()

// exportChanges streams the change list, in the order of the submissions' numbers.
func (s *Store) exportChanges(sc *exportScope, req ExportRequest, row func([]string) error) error {
	read := func(_ *bbolt.Tx, k, v []byte) (Submission, bool, error) {
		var sub Submission
		if err := json.Unmarshal(v, &sub); err != nil {
			return sub, false, fmt.Errorf("usulan %x: %w", k, err)
		}
		ok := sub.State == StateDone && sc.inPlace(sub.InstansiID, sub.UnitID) && sc.inRange(doneAt(sub))
		return sub, ok, nil
	}
	emit := func(sub Submission) error {
		done := doneAt(sub)
		for _, l := range sub.Lines {
			if !l.Approved(sub.Round) {
				continue
			}
			if err := row(changeRow(sc, sub, l, done)); err != nil {
				return err
			}
		}
		return nil
	}
	return walkChunks(s, bSubs, read, req.Progress, emit)
}

// doneAt is when a submission was finished (its last step into StateDone).
func doneAt(sub Submission) time.Time {
	for i := len(sub.Steps) - 1; i >= 0; i-- {
		if sub.Steps[i].To == StateDone {
			return sub.Steps[i].At
		}
	}
	return sub.UpdatedAt
}

// changeRow lays one applied line out as a row of the change list.
func changeRow(sc *exportScope, sub Submission, l Line, done time.Time) []string {
	tab, tabLabel, field, fieldLabel := "", "", l.Field, l.Label
	var tbl, tblLabel, oldV, oldL, newV, newL string
	if l.Table != "" {
		t, _ := TableByKey(l.Table)
		tab, field, fieldLabel = tableTab(l.Table), "", ""
		tbl, tblLabel = l.Table, t.Label
		oldV, newV = rowJSON(l.OldRow), rowJSON(l.NewRow)
		oldL, newL = t.Summary(l.OldRow), t.Summary(l.NewRow)
	} else {
		f, _ := FieldByKey(l.Field)
		tab = f.Tab
		oldV, newV = l.Old, l.New
		oldL, newL = cmp.Or(l.OldText, f.Display(l.Old)), cmp.Or(l.NewText, f.Display(l.New))
	}
	if t, ok := TabByKey(tab); ok {
		tabLabel = t.Label
	}
	out := []string{strconv.FormatUint(sub.ID, 10), sub.NIP, sub.Name, sub.InstansiID, sc.instansiName(sub.InstansiID),
		sub.UnitID, sc.unitName(sub.UnitID), tab, tabLabel, field, fieldLabel, tbl, tblLabel, l.RowID, l.Op, opLabel(l.Op),
		oldV, oldL, newV, newL, l.Reason}
	for lv := 1; lv <= 4; lv++ {
		d, ok := l.Decision(lv, sub.Round)
		if !ok {
			out = append(out, "", "", "", "", "")
			continue
		}
		out = append(out, d.Verdict, VerdictLabel(d.Verdict), d.By, isoTime(d.At), d.Note)
	}
	version := ""
	if sub.Version > 0 {
		version = strconv.Itoa(sub.Version)
	}
	return append(out, isoTime(sub.SentAt), isoTime(done), version)
}

// opLabel is OpLabel, empty for a line that is not on a row.
func opLabel(op string) string {
	if op == "" {
		return ""
	}
	return OpLabel(op)
}

// rowJSON writes a history row's fields as a JSON object (keys sorted), "" for no row.
func rowJSON(row map[string]string) string {
	if len(row) == 0 {
		return ""
	}
	b, _ := json.Marshal(row)
	return string(b)
}

// nonComplianceColumns is the column definition of the non-compliance list (README › Exports).
var nonComplianceColumns = []ExportColumn{
	{"nip", "NIP", ColText}, {"nama", "Nama", ColText},
	{"instansi_id", "ID Instansi", ColText}, {"instansi", "Instansi", ColText},
	{"unit_id", "ID Unit Organisasi", ColText}, {"unit", "Unit Organisasi", ColText},
	{"skpd_id", "ID SKPD", ColText}, {"skpd", "SKPD", ColText},
	{"kategori", "Kategori", ColText}, {"kategori_label", "Kategori (uraian)", ColText},
	{"kedudukan_hukum", "Kedudukan Hukum", ColText}, {"kedudukan_hukum_label", "Kedudukan Hukum (uraian)", ColText},
	{"tms", "Jumlah isian TMS", ColInt}, {"tms_isian", "Isian TMS", ColText},
}

// exportNonCompliance streams the non-compliance list in NIP order, through the rule the list's
// page uses (nonCompliantAt).
func (s *Store) exportNonCompliance(sc *exportScope, req ExportRequest, row func([]string) error) error {
	seen := map[string]string{}
	f := NonComplianceFilter{Kategori: sc.f.State}
	read := func(tx *bbolt.Tx, k, v []byte) (NonCompliant, bool, error) {
		nc, ok, err := nonCompliantAt(tx, sc.a, f, seen, k, v)
		return nc, ok && err == nil && sc.inPlace(nc.InstansiID, nc.UnitID), err
	}
	emit := func(nc NonCompliant) error {
		labels := make([]string, len(nc.TMS))
		for i, l := range nc.TMS {
			labels[i] = l.Label
		}
		return row([]string{nc.NIP, nc.Name, nc.InstansiID, sc.instansiName(nc.InstansiID), nc.UnitID, sc.unitName(nc.UnitID),
			nc.SKPDID, sc.unitName(nc.SKPDID), nc.Kategori, NonComplianceKinds.Label(nc.Kategori),
			nc.Kedudukan, KedudukanHukum.Label(nc.Kedudukan), strconv.Itoa(len(nc.TMS)), strings.Join(labels, "; ")})
	}
	return walkChunks(s, bRecords, read, req.Progress, emit)
}
