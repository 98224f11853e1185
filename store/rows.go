package store

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"go.etcd.io/bbolt"
)

// Row proposal operations.
const (
	OpTambah = "tambah" // add a row
	OpUbah   = "ubah"   // change a row
	OpHapus  = "hapus"  // remove a row
)

// OpLabel names a row operation for people.
func OpLabel(op string) string {
	switch op {
	case OpTambah:
		return "tambah baris"
	case OpUbah:
		return "ubah baris"
	case OpHapus:
		return "hapus baris"
	}
	return op
}

// sortRows orders rows by the table's date field (stable: equal dates keep their order).
func sortRows(table string, rows []Row) {
	t, _ := TableByKey(table)
	slices.SortStableFunc(rows, func(a, b Row) int { return strings.Compare(a.Fields[t.DateKey], b.Fields[t.DateKey]) })
}

// Rows returns the master rows of a history table in the order the table shows them (sortRows),
// in a slice of its own; the rows' fields are shared with the record: treat them as read-only.
func (r Record) Rows(table string) []Row {
	rows := slices.Clone(r.Riwayat[table])
	sortRows(table, rows)
	return rows
}

// JabatanIs tells whether a jabatan name makes the PNS a teacher ("guru") or doctor ("dokter").
func JabatanIs(namaJabatan, kind string) bool {
	for _, w := range strings.Fields(strings.ToLower(namaJabatan)) {
		if w == kind {
			return true
		}
	}
	return false
}

// normalizeRow checks every field of a proposed row on its own and returns the canonical row.
func normalizeRow(t Table, in map[string]string, today time.Time) (map[string]string, error) {
	out := map[string]string{}
	for _, f := range t.Fields {
		raw := strings.TrimSpace(in[f.Key])
		if raw == "" {
			if f.Optional {
				continue
			}
			return nil, fieldErr(f.Key, "%s wajib diisi.", f.Label)
		}
		v, err := f.Normalize(raw, today)
		if err != nil {
			return nil, err
		}
		if f.Kind == KindNIP {
			if _, err := ParseNIP(v); err != nil {
				return nil, fieldErr(f.Key, "%s", asFieldError(f.Key, err).Message)
			}
		}
		out[f.Key] = v
	}
	return out, nil
}

// ageOn is the age in whole years on day of someone born on born (both YYYY-MM-DD).
func ageOn(born string, day time.Time) int {
	b, err := time.Parse("2006-01-02", born)
	if err != nil {
		return 0
	}
	age := day.Year() - b.Year()
	if day.Month() < b.Month() || (day.Month() == b.Month() && day.Day() < b.Day()) {
		age--
	}
	return age
}

// nikSex is the sex a NIK encodes: 40 is added to a woman's day of birth.
func nikSex(nik string) string {
	if len(nik) != 16 || nik[6] >= '4' {
		return "2"
	}
	return "1"
}

// checkRow checks one row (id, fields row) of a history table as it will be (rows, ordered by
// date) against the rest of the record as it will be (eff). It returns the problem at the field
// it concerns, or nil.
//
//   - golongan rises over time: ordered by TMT, every row's golongan is higher than the one before;
//   - a spouse is of the other sex than the PNS (read from the spouse's NIK), and the NIK agrees
//     with the spouse's birth date;
//   - a child is younger than the PNS; the family allowance is for children under 21, or 21 up to
//     25 only while still in school or university; a child's NIK agrees with birth date and sex.
func checkRow(table, id string, row map[string]string, rows []Row, eff map[string]string, today time.Time) *FieldError {
	date := Field{Kind: KindDate}
	pnsSex, pnsBorn := eff[KeyJenisKelamin], eff[KeyTanggalLahir]
	if nip, err := ParseNIP(eff[KeyNIP]); err == nil {
		if pnsSex == "" {
			pnsSex = nip.Sex
		}
		if pnsBorn == "" {
			pnsBorn = nip.BirthDate
		}
	}
	switch table {
	case "golongan":
		for i := 1; i < len(rows); i++ {
			a, b := rows[i-1], rows[i]
			if a.ID != id && b.ID != id {
				continue
			}
			if b.Fields["golongan"] <= a.Fields["golongan"] {
				return fieldErr("golongan", "Golongan harus naik seiring waktu: %s (TMT %s) tidak lebih tinggi dari %s (TMT %s).",
					Golongan.Label(b.Fields["golongan"]), date.Display(b.Fields["tmt_golongan"]),
					Golongan.Label(a.Fields["golongan"]), date.Display(a.Fields["tmt_golongan"]))
			}
		}
	case "pasangan":
		nik := row["nik"]
		if len(nik) != 16 {
			return nil
		}
		sex := nikSex(nik)
		if pnsSex != "" && sex == pnsSex {
			return fieldErr("nik", "Pasangan harus berlainan jenis kelamin dengan PNS, tetapi NIK ini milik seorang %s.", strings.ToLower(JenisKelamin.Label(sex)))
		}
		if want := NIKFor(row["tanggal_lahir"], sex); want != "" && nik[6:12] != want {
			return fieldErr("nik", "NIK pasangan tidak sesuai dengan tanggal lahirnya: angka ke-7 s.d. 12 seharusnya %s.", want)
		}
	case "anak":
		born := row["tanggal_lahir"]
		if pnsBorn != "" && born != "" && born <= pnsBorn {
			return fieldErr("tanggal_lahir", "Anak harus lebih muda dari PNS (lahir %s).", date.Display(pnsBorn))
		}
		if nik := row["nik"]; len(nik) == 16 {
			if want := NIKFor(born, row["jenis_kelamin"]); want != "" && nik[6:12] != want {
				return fieldErr("nik", "NIK anak tidak sesuai dengan tanggal lahir dan jenis kelaminnya: angka ke-7 s.d. 12 seharusnya %s.", want)
			}
		}
		if row["tunjangan"] == "1" {
			age := ageOn(born, today)
			switch {
			case row["status_hidup"] == "2":
				return fieldErr("tunjangan", "Anak yang sudah meninggal tidak menerima tunjangan keluarga.")
			case age >= 25:
				return fieldErr("tunjangan", "Tunjangan keluarga hanya untuk anak di bawah 21 tahun, atau 21–25 tahun yang masih sekolah/kuliah; anak ini berumur %d tahun.", age)
			case age >= 21 && row["sekolah"] != "1":
				return fieldErr("tunjangan", "Anak berumur %d tahun menerima tunjangan keluarga hanya bila masih sekolah/kuliah.", age)
			}
		}
	}
	return nil
}

// ProposeRow saves a proposal on one row of a history table: add a row (rowID ""; a new id is
// given), change a master row (or a row the PNS added), or remove a master row (a reason is
// needed). Every field is checked on its own and the row against the table and the record as they
// will be; nothing invalid is stored. It returns the entry and the form as it stands after the
// write (or, on a field error, as it stands unchanged).
func (s *Store) ProposeRow(a Actor, nip, table, rowID, op string, fields map[string]string, reason string) (Entry, Form, error) {
	t, ok := TableByKey(table)
	if !ok {
		return Entry{}, Form{}, fmt.Errorf("tabel %q: %w", table, ErrNotFound)
	}
	if op != OpTambah && op != OpUbah && op != OpHapus {
		return Entry{}, Form{}, fmt.Errorf("%w: operasi %q", ErrInvalid, op)
	}
	if !couldActFor(a, nip) {
		return Entry{}, Form{}, ErrForbidden
	}
	now := s.now()
	why, row, err := normalizeRowProposal(t, op, fields, reason, now)
	if err != nil {
		return s.refusedEntry(a, nip, err)
	}
	var out Entry
	form, err := s.editForm(a, nip, s.batch, func(tx *bbolt.Tx, form *Form) error {
		e := Entry{Status: EntryUsul, Op: op, Row: row, Reason: why, By: a.Login, At: now, OnBehalfOf: onBehalf(a, nip)}
		id, err := placeRow(tx, *form, t, rowID, &e)
		if err != nil {
			return err
		}
		if err := markFree(tx, &e, t, form.Record.InstansiID); err != nil {
			return err
		}
		if e.Op != OpHapus {
			form.Entries[e.Field] = e
			if fe := checkRow(table, id, row, form.EffectiveTable(table), form.Effective(), now); fe != nil {
				return fe
			}
		}
		if err := putJSON(bk(tx, bEntries), entryKey(nip, e.Field), e); err != nil {
			return err
		}
		form.Entries[e.Field] = e
		out = e
		return appendEvent(tx, Event{At: now, Actor: a.Login, OnBehalfOf: e.OnBehalfOf, NIP: nip, Kind: EventPropose,
			Key: e.Field, Reason: why, Detail: strings.TrimSuffix(fmt.Sprintf("%s: %s %s: %s", t.Label, OpLabel(e.Op), id, rowText(t, row)), ": ")})
	})
	if err != nil {
		return Entry{}, form, err
	}
	return out, form, nil
}

// normalizeRowProposal checks a row proposal on its own, before any read: the reason (needed to
// remove a row) and, unless the row is removed, every field of the row.
func normalizeRowProposal(t Table, op string, fields map[string]string, reason string, today time.Time) (string, map[string]string, error) {
	why, err := NormalizeReason("alasan", reason, 300)
	if err != nil {
		return "", nil, err
	}
	if op == OpHapus && why == "" {
		return "", nil, fieldErr("alasan", "Tuliskan alasan menghapus baris ini.")
	}
	if op == OpHapus {
		return why, nil, nil
	}
	row, err := normalizeRow(t, fields, today)
	return why, row, err
}

// placeRow decides which row a proposal e is on and what it does there, against the form as it
// is: the row must be one the PNS may change now; a new row gets a fresh id; changing a row the PNS
// added is still adding it; a master row must exist (and is kept in e.OldRow) unless the row is
// added. It sets e.Field (the row's entry key), e.Op and e.OldRow, and returns the row's id.
func placeRow(tx *bbolt.Tx, form Form, t Table, rowID string, e *Entry) (string, error) {
	if err := checkApplies(form, Field{Key: RowKey(t.Key, rowID), Label: t.Label, Tab: tableTab(t.Key)}); err != nil {
		return "", err
	}
	if form.Locked {
		return "", ErrLocked
	}
	if key := RowKey(t.Key, rowID); !form.Editable(key) {
		return "", fieldErr("alasan", "Baris ini tidak dikembalikan untuk diperbaiki: hanya baris bertanda BTS yang dapat diubah.")
	}
	var master *Row
	for i, r := range form.Record.Riwayat[t.Key] {
		if r.ID == rowID {
			master = &form.Record.Riwayat[t.Key][i]
		}
	}
	id := rowID
	prev, hadPrev := form.Entries[RowKey(t.Key, rowID)]
	switch op := e.Op; {
	case op == OpTambah && rowID == "":
		seq, err := bk(tx, bEntries).NextSequence()
		if err != nil {
			return "", err
		}
		id = fmt.Sprintf("n%d", seq)
	case master == nil && hadPrev && prev.Op == OpTambah && op != OpHapus:
		e.Op = OpTambah // changing a row the PNS added is still adding it
	case master == nil:
		return "", fmt.Errorf("baris %q di %s: %w", rowID, t.Label, ErrNotFound)
	case op == OpTambah:
		return "", fmt.Errorf("%w: baris %q sudah ada", ErrInvalid, rowID)
	default:
		e.OldRow = maps.Clone(master.Fields)
		if op == OpUbah && maps.Equal(master.Fields, e.Row) {
			return "", fieldErr("alasan", "Isian baris sama dengan data saat ini. Tekan Sesuai pada tabel bila data sudah benar.")
		}
	}
	e.Field = RowKey(t.Key, id)
	return id, nil
}

// tableTab names the tab that holds history table key (the riwayat tab today).
func tableTab(key string) string {
	for _, t := range Tabs {
		for _, tb := range t.Tables {
			if tb.Key == key {
				return t.Key
			}
		}
	}
	return ""
}

// markFree flags a row whose long-list field (a school, a unit) holds a value that is not in the list.
func markFree(tx *bbolt.Tx, e *Entry, t Table, instansiID string) error {
	for _, f := range t.Fields {
		v := e.Row[f.Key]
		if !f.Free || v == "" {
			continue
		}
		ok, err := inList(tx, f.Key, v, instansiID)
		if err != nil {
			return err
		}
		if !ok {
			e.Free = true
		}
	}
	return nil
}
