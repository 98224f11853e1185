package store

import (
	"slices"
	"strings"
)

// Catalogue keys that code names in its rules (the cross-checks, the record's own ids, the
// registration's NIK check). Every other key lives only in the catalogue below.
const (
	KeyNIP          = "nip"
	KeyNama         = "nama"
	KeyUnit         = "unit_organisasi" // the record's UnitID, not a Fields value
	KeyInstansi     = "instansi_induk"  // the record's InstansiID, not a Fields value
	KeyJenisKelamin = "jenis_kelamin"
	KeyTanggalLahir = "tanggal_lahir"
	KeyNIK          = "nik"
)

// Kind says how a field's value is entered, checked and shown.
type Kind int

// Field kinds.
const (
	KindText Kind = iota
	KindName
	KindGelar
	KindDate
	KindCode
	KindNIK
	KindNPWP
	KindKodePos
	KindPhone
	KindEmail
	KindKarpeg
	KindAddress
	KindNIP
	KindUnit    // a unit organisasi of the PNS's instansi, by id (picked from the organisation tree)
	KindYear    // a four-digit year, not in the future
	KindDigits  // digits only, MinLen..MaxLen of them
	KindDateAny // a date that may lie in the future (a validity end)
)

// Field describes one field of the record: its stable key (DOMAIN.md), label, kind, whether it needs
// BKN's authority (Level 3/4) and which documents a proposal to change it needs.
type Field struct {
	Key      string
	Label    string
	Tab      string
	Kind     Kind
	Codes    CodeList
	BKN      bool
	ReadOnly bool
	Docs     []string
	Hint     string
	MaxLen   int
	MinLen   int      // KindDigits: fewest digits
	Optional bool     // may stay empty (history row fields)
	OptDocs  []string // documents a proposal may carry but does not need
	Free     bool     // a long list (units): a value not in the list is allowed and marked for the verifier
}

// Tab is one tab of the form. Tables holds the history tables of the riwayat tab. Only names the
// kind of PNS the tab is for ("guru", "dokter"): it applies only when their jabatan says so.
// SelfRated tabs (self assessment) are part of the record but never verified line by line.
type Tab struct {
	Key       string
	Label     string
	Fields    []Field
	Tables    []Table
	Only      string
	SelfRated bool
}

// Table is one history table (riwayat): its row fields, whether its rows need BKN's authority,
// the documents a proposal to add or change a row needs, and the field that orders the rows in time.
type Table struct {
	Key     string
	Label   string
	Fields  []Field
	BKN     bool
	Docs    []string
	OptDocs []string
	DateKey string
}

// Document sets from DOMAIN.md "Documents a proposal needs". Docs are required (the table);
// OptDocs may be attached where the table says nothing (posisi, guru, dokter) or "optional".
var (
	docsIdentitas = []string{"SK CPNS", "Ijazah", "Akta Kelahiran"}
	docsKTP       = []string{"KTP", "Kartu Keluarga"}
)

// Tabs is the field catalogue: every tab and field of the record, in display order. Later tabs
// (posisi, riwayat, …) join here; code reads rules from this table, never from scattered conditionals.
var Tabs = []Tab{
	{Key: "utama", Label: "Data Utama", Fields: []Field{
		{Key: "nip", Label: "NIP", Kind: KindNIP, ReadOnly: true},
		{Key: "nama", Label: "Nama", Kind: KindName, BKN: true, Docs: docsIdentitas, MaxLen: 100, Hint: "tanpa gelar"},
		{Key: "gelar_depan", Label: "Gelar Depan", Kind: KindGelar, BKN: true, Docs: docsIdentitas, MaxLen: 30, Hint: "gelar akademik, mis. Dr., Ir."},
		{Key: "gelar_belakang", Label: "Gelar Belakang", Kind: KindGelar, BKN: true, Docs: docsIdentitas, MaxLen: 40, Hint: "mis. S.Kom., M.Si."},
		{Key: "tempat_lahir", Label: "Tempat Lahir", Kind: KindName, Docs: docsIdentitas, MaxLen: 60},
		{Key: "tanggal_lahir", Label: "Tanggal Lahir", Kind: KindDate, BKN: true, Docs: docsIdentitas},
		{Key: "jenis_kelamin", Label: "Jenis Kelamin", Kind: KindCode, Codes: JenisKelamin, BKN: true, Docs: docsIdentitas},
		{Key: "agama", Label: "Agama", Kind: KindCode, Codes: Agama},
		{Key: "status_kawin", Label: "Status Perkawinan", Kind: KindCode, Codes: StatusKawin, Docs: docsKTP},
		{Key: "nik", Label: "NIK", Kind: KindNIK, BKN: true, Docs: docsKTP, Hint: "16 angka sesuai KTP"},
		{Key: "npwp", Label: "NPWP", Kind: KindNPWP, Docs: []string{"Kartu NPWP"}, Hint: "15 atau 16 angka"},
		{Key: "alamat", Label: "Alamat", Kind: KindAddress, Docs: docsKTP, MaxLen: 200},
		{Key: "kode_pos", Label: "Kode Pos", Kind: KindKodePos, Hint: "5 angka"},
		{Key: "no_hp", Label: "Nomor HP", Kind: KindPhone, Hint: "mis. 081234567890"},
		{Key: "email", Label: "E-mail", Kind: KindEmail, MaxLen: 100},
		{Key: "tmt_cpns", Label: "TMT CPNS", Kind: KindDate, BKN: true, Docs: []string{"SK CPNS"}},
		{Key: "tmt_pns", Label: "TMT PNS", Kind: KindDate, Docs: []string{"SK PNS"}},
		{Key: "kedudukan_hukum", Label: "Kedudukan Hukum", Kind: KindCode, Codes: KedudukanHukum},
		{Key: "jenis_pegawai", Label: "Jenis Pegawai", Kind: KindCode, Codes: JenisPegawai},
		{Key: "no_karpeg", Label: "Nomor Karpeg", Kind: KindKarpeg, Hint: "mis. N 123456"},
	}},
	{Key: "posisi", Label: "Data Posisi", Fields: []Field{
		{Key: "instansi_induk", Label: "Instansi Induk", Kind: KindText, ReadOnly: true},
		{Key: "instansi_kerja", Label: "Instansi Kerja", Kind: KindText, MaxLen: 120, OptDocs: []string{"SK Penempatan"}},
		{Key: "unit_organisasi", Label: "Unit Organisasi", Kind: KindUnit, OptDocs: []string{"SK Penempatan"}, Hint: "pilih dari susunan organisasi"},
		{Key: "lokasi_kerja", Label: "Lokasi Kerja", Kind: KindText, MaxLen: 120},
	}},
	{Key: "riwayat", Label: "Data Riwayat", Tables: Tables},
	{Key: "guru", Label: "Data Guru", Only: "guru", Fields: []Field{
		{Key: "nuptk", Label: "NUPTK", Kind: KindDigits, MinLen: 16, MaxLen: 16, OptDocs: []string{"Kartu NUPTK"}, Hint: "16 angka"},
		{Key: "nrg", Label: "Nomor Sertifikat Pendidik (NRG)", Kind: KindDigits, MinLen: 12, MaxLen: 12, OptDocs: []string{"Sertifikat Pendidik"}, Hint: "12 angka"},
		{Key: "mata_pelajaran", Label: "Mata Pelajaran", Kind: KindText, MaxLen: 80},
		{Key: "jenjang_sekolah", Label: "Jenjang Sekolah", Kind: KindCode, Codes: JenjangSekolah},
		{Key: "nama_sekolah", Label: "Nama Sekolah", Kind: KindText, MaxLen: 120, Free: true, Hint: "ketik untuk mencari"},
	}},
	{Key: "dokter", Label: "Data Dokter", Only: "dokter", Fields: []Field{
		{Key: "no_str", Label: "Nomor STR", Kind: KindText, MaxLen: 30, OptDocs: []string{"STR"}},
		{Key: "str_berlaku", Label: "STR Berlaku Sampai", Kind: KindDateAny, OptDocs: []string{"STR"}},
		{Key: "no_sip", Label: "Nomor SIP", Kind: KindText, MaxLen: 40, OptDocs: []string{"SIP"}},
		{Key: "spesialisasi", Label: "Spesialisasi", Kind: KindText, MaxLen: 80},
		{Key: "faskes", Label: "Fasilitas Kesehatan", Kind: KindText, MaxLen: 120},
	}},
	{Key: "stakeholder", Label: "Sosial Ekonomi & Pemangku Kepentingan", Fields: []Field{
		{Key: "taperum", Label: "Bapertarum/Taperum", Kind: KindCode, Codes: Taperum},
		{Key: "kepemilikan_rumah", Label: "Kepemilikan Rumah", Kind: KindCode, Codes: KepemilikanRumah},
		{Key: "no_bpjs", Label: "Nomor BPJS Kesehatan", Kind: KindDigits, MinLen: 13, MaxLen: 13, Docs: []string{"Kartu BPJS Kesehatan"}, Hint: "13 angka"},
		{Key: "no_kpe", Label: "Nomor KPE", Kind: KindText, MaxLen: 30, Docs: []string{"Kartu KPE"}},
		{Key: "no_taspen", Label: "Nomor Taspen", Kind: KindText, MaxLen: 30, Docs: []string{"Kartu Taspen"}},
	}},
	{Key: "asesmen", Label: "Penilaian Diri", SelfRated: true, Fields: []Field{
		{Key: "kemampuan_komputer", Label: "Kemampuan Komputer", Kind: KindCode, Codes: KemampuanTingkat},
		{Key: "bahasa_asing", Label: "Bahasa Asing", Kind: KindText, MaxLen: 100, Hint: "mis. Inggris (menengah)"},
		{Key: "bidang_keahlian", Label: "Bidang Keahlian", Kind: KindText, MaxLen: 150},
		{Key: "potensi", Label: "Potensi yang Ingin Dikembangkan", Kind: KindText, MaxLen: 200},
	}},
}

// Document sets of the history tables (DOMAIN.md "Documents a proposal needs").
var (
	docsPasangan = []string{"Akta Nikah/Cerai", "Kartu Keluarga"}
	docsAnak     = []string{"Akta Kelahiran Anak", "Kartu Keluarga"}
)

// Tables is the catalogue of the history tables (Data Riwayat), in display order.
var Tables = []Table{
	{Key: "golongan", Label: "Riwayat Golongan", BKN: true, Docs: []string{"SK Kenaikan Pangkat"}, OptDocs: []string{"Pertek BKN"}, DateKey: "tmt_golongan", Fields: []Field{
		{Key: "golongan", Label: "Golongan", Kind: KindCode, Codes: Golongan},
		{Key: "tmt_golongan", Label: "TMT Golongan", Kind: KindDate},
		{Key: "nomor_sk", Label: "Nomor SK", Kind: KindText, MaxLen: 60, Optional: true},
		{Key: "tanggal_sk", Label: "Tanggal SK", Kind: KindDate, Optional: true},
		{Key: "nomor_pertek", Label: "Nomor Pertek BKN", Kind: KindText, MaxLen: 60, Optional: true},
		{Key: "tanggal_pertek", Label: "Tanggal Pertek", Kind: KindDate, Optional: true},
		{Key: "jenis_kp", Label: "Jenis KP", Kind: KindCode, Codes: JenisKP},
		{Key: "mk_tahun", Label: "Masa Kerja (tahun)", Kind: KindDigits, MinLen: 1, MaxLen: 2, Optional: true},
		{Key: "mk_bulan", Label: "Masa Kerja (bulan)", Kind: KindDigits, MinLen: 1, MaxLen: 2, Optional: true},
	}},
	{Key: "pendidikan", Label: "Riwayat Pendidikan", BKN: true, Docs: []string{"Ijazah", "Transkrip Nilai"}, DateKey: "tahun_lulus", Fields: []Field{
		{Key: "tingkat", Label: "Tingkat Pendidikan", Kind: KindCode, Codes: TingkatPendidikan},
		{Key: "jurusan", Label: "Jurusan", Kind: KindText, MaxLen: 100, Optional: true},
		{Key: "nama_sekolah", Label: "Nama Sekolah", Kind: KindText, MaxLen: 120, Free: true, Hint: "ketik untuk mencari"},
		{Key: "tahun_lulus", Label: "Tahun Lulus", Kind: KindYear},
		{Key: "nomor_ijazah", Label: "Nomor Ijazah", Kind: KindText, MaxLen: 60, Optional: true},
	}},
	{Key: "jabatan", Label: "Riwayat Jabatan", BKN: true, Docs: []string{"SK Jabatan"}, OptDocs: []string{"Surat Pelantikan"}, DateKey: "tmt_jabatan", Fields: []Field{
		{Key: "jenis_jabatan", Label: "Jenis Jabatan", Kind: KindCode, Codes: JenisJabatan},
		{Key: "unit_organisasi", Label: "Unit Organisasi", Kind: KindText, MaxLen: 150, Optional: true, Free: true},
		{Key: "nama_jabatan", Label: "Nama Jabatan", Kind: KindText, MaxLen: 150},
		{Key: "eselon", Label: "Eselon", Kind: KindCode, Codes: Eselon, Optional: true},
		{Key: "tmt_jabatan", Label: "TMT Jabatan", Kind: KindDate},
		{Key: "nomor_sk", Label: "Nomor SK", Kind: KindText, MaxLen: 60, Optional: true},
		{Key: "tanggal_sk", Label: "Tanggal SK", Kind: KindDate, Optional: true},
		{Key: "tmt_pelantikan", Label: "TMT Pelantikan", Kind: KindDate, Optional: true},
	}},
	{Key: "diklat_struktural", Label: "Diklat Struktural", DateKey: "tahun", OptDocs: []string{"Sertifikat Diklat"}, Fields: []Field{
		{Key: "jenis_diklat", Label: "Jenis Diklat", Kind: KindCode, Codes: DiklatStruktural},
		{Key: "nomor", Label: "Nomor Sertifikat", Kind: KindText, MaxLen: 60, Optional: true},
		{Key: "tanggal", Label: "Tanggal", Kind: KindDate, Optional: true},
		{Key: "tahun", Label: "Tahun", Kind: KindYear},
	}},
	{Key: "diklat_fungsional", Label: "Diklat Fungsional", DateKey: "tahun", OptDocs: []string{"Sertifikat Diklat"}, Fields: []Field{
		{Key: "nama_diklat", Label: "Nama Diklat", Kind: KindText, MaxLen: 150},
		{Key: "penyelenggara", Label: "Penyelenggara", Kind: KindText, MaxLen: 120, Optional: true},
		{Key: "tahun", Label: "Tahun", Kind: KindYear},
		{Key: "jumlah_jam", Label: "Jumlah Jam", Kind: KindDigits, MinLen: 1, MaxLen: 4, Optional: true},
	}},
	{Key: "pasangan", Label: "Pasangan (Suami/Istri)", Docs: docsPasangan, DateKey: "tanggal_menikah", Fields: []Field{
		{Key: "nama", Label: "Nama", Kind: KindName, MaxLen: 100},
		{Key: "nik", Label: "NIK", Kind: KindNIK, Hint: "16 angka sesuai KTP"},
		{Key: "tempat_lahir", Label: "Tempat Lahir", Kind: KindName, MaxLen: 60, Optional: true},
		{Key: "tanggal_lahir", Label: "Tanggal Lahir", Kind: KindDate},
		{Key: "tanggal_menikah", Label: "Tanggal Menikah", Kind: KindDate},
		{Key: "nomor_akta", Label: "Nomor Akta Nikah", Kind: KindText, MaxLen: 60, Optional: true},
		{Key: "status", Label: "Status", Kind: KindCode, Codes: StatusPasangan},
		{Key: "pekerjaan", Label: "Pekerjaan", Kind: KindText, MaxLen: 80, Optional: true},
		{Key: "nip", Label: "NIP (bila PNS)", Kind: KindNIP, Optional: true},
		{Key: "no_karis", Label: "Nomor Karis/Karsu", Kind: KindText, MaxLen: 30, Optional: true},
	}},
	{Key: "anak", Label: "Anak", Docs: docsAnak, DateKey: "tanggal_lahir", Fields: []Field{
		{Key: "nama", Label: "Nama", Kind: KindName, MaxLen: 100},
		{Key: "nik", Label: "NIK", Kind: KindNIK, Optional: true, Hint: "16 angka, bila sudah ada"},
		{Key: "jenis_kelamin", Label: "Jenis Kelamin", Kind: KindCode, Codes: JenisKelamin},
		{Key: "tanggal_lahir", Label: "Tanggal Lahir", Kind: KindDate},
		{Key: "jenis_anak", Label: "Jenis Anak", Kind: KindCode, Codes: JenisAnak},
		{Key: "status_hidup", Label: "Status Hidup", Kind: KindCode, Codes: StatusHidup},
		{Key: "orang_tua", Label: "Nama Orang Tua Lain (Pasangan)", Kind: KindName, MaxLen: 100, Optional: true},
		{Key: "pendidikan", Label: "Pendidikan Anak", Kind: KindCode, Codes: TingkatPendidikan, Optional: true},
		{Key: "sekolah", Label: "Status Sekolah", Kind: KindCode, Codes: StatusSekolah},
		{Key: "tunjangan", Label: "Menerima Tunjangan Keluarga", Kind: KindCode, Codes: YaTidak},
	}},
}

// TableByKey finds a history table of the catalogue.
func TableByKey(key string) (Table, bool) {
	for _, t := range Tables {
		if t.Key == key {
			return t, true
		}
	}
	return Table{}, false
}

// FieldByKey finds a row field of the table.
func (t Table) FieldByKey(key string) (Field, bool) {
	for _, f := range t.Fields {
		if f.Key == key {
			return f, true
		}
	}
	return Field{}, false
}

// Summary renders a row in one line for people (the verifier's old → new, the print page).
func (t Table) Summary(row map[string]string) string {
	var parts []string
	for _, f := range t.Fields {
		if v := row[f.Key]; v != "" {
			parts = append(parts, f.Label+": "+f.Display(v))
		}
	}
	return strings.Join(parts, "; ")
}

// Row proposal keys: a history row's proposal is stored as an Entry keyed "riwayat.<table>.<row id>";
// "riwayat.<table>" alone records that the PNS looked at the table (sesuai).
const riwayatPrefix = "riwayat."

// RowKey is the entry key of a proposal on one history row.
func RowKey(table, rowID string) string { return riwayatPrefix + table + "." + rowID }

// TableKey is the entry key that records that the PNS looked at a history table.
func TableKey(table string) string { return riwayatPrefix + table }

// ParseRowKey splits an entry key into table and row id; ok is false for a field key. rowID is ""
// for a table key.
func ParseRowKey(key string) (table, rowID string, ok bool) {
	rest, found := strings.CutPrefix(key, riwayatPrefix)
	if !found {
		return "", "", false
	}
	table, rowID, _ = strings.Cut(rest, ".")
	if _, known := TableByKey(table); !known {
		return "", "", false
	}
	return table, rowID, true
}

// DocsFor returns the documents a proposal under key needs and those it may carry. Removing a
// history row needs a reason, not a document.
func DocsFor(key string, op string) (need, may []string) {
	if table, _, ok := ParseRowKey(key); ok {
		t, _ := TableByKey(table)
		if op == OpHapus {
			return nil, append(slices.Clone(t.Docs), t.OptDocs...)
		}
		return t.Docs, t.OptDocs
	}
	f, _ := FieldByKey(key)
	return f.Docs, f.OptDocs
}

var fieldIndex = func() map[string]Field {
	m := map[string]Field{}
	for _, t := range Tabs {
		for _, f := range t.Fields {
			f.Tab = t.Key
			m[f.Key] = f
		}
	}
	return m
}()

func init() {
	for ti := range Tabs {
		for fi := range Tabs[ti].Fields {
			Tabs[ti].Fields[fi].Tab = Tabs[ti].Key
		}
	}
}

// FieldByKey finds a field of the catalogue.
func FieldByKey(key string) (Field, bool) {
	f, ok := fieldIndex[key]
	return f, ok
}

// TabByKey finds a tab of the catalogue.
func TabByKey(key string) (Tab, bool) {
	for _, t := range Tabs {
		if t.Key == key {
			return t, true
		}
	}
	return Tab{}, false
}

// Display renders a stored value for people: code labels, dd-mm-yyyy dates, the spaced NIP.
func (f Field) Display(v string) string {
	if v == "" {
		return ""
	}
	switch f.Kind {
	case KindCode:
		if l := f.Codes.Label(v); l != "" {
			return l
		}
	case KindDate, KindDateAny:
		if len(v) == 10 {
			return v[8:10] + "-" + v[5:7] + "-" + v[0:4]
		}
	case KindNIP:
		return FormatNIP(v)
	case KindNPWP:
		return FormatNPWP(v)
	}
	return v
}

// FormatNIP shows a NIP as "19860926 201505 1 001".
func FormatNIP(n string) string {
	if len(n) != 18 {
		return n
	}
	return n[0:8] + " " + n[8:14] + " " + n[14:15] + " " + n[15:18]
}

// FormatNPWP shows a 15-digit NPWP as 99.999.999.9-999.999.
func FormatNPWP(n string) string {
	if len(n) != 15 {
		return n
	}
	return n[0:2] + "." + n[2:5] + "." + n[5:8] + "." + n[8:9] + "-" + n[9:12] + "." + n[12:15]
}

// toCheck is what the PNS must look at on a tab: every field that is not read-only and every
// history table. CheckKeys, checkComplete and Form.Progress all count from it.
func (t Tab) toCheck() (fields []Field, tables []Table) {
	for _, f := range t.Fields {
		if !f.ReadOnly {
			fields = append(fields, f)
		}
	}
	return fields, t.Tables
}

// CheckKeys lists what the PNS looks at on a tab (toCheck), the tables as TableKey. "Sesuai for
// the rest" confirms exactly these.
func (t Tab) CheckKeys() []string {
	fields, tables := t.toCheck()
	out := make([]string, 0, len(fields)+len(tables))
	for _, f := range fields {
		out = append(out, f.Key)
	}
	for _, tb := range tables {
		out = append(out, TableKey(tb.Key))
	}
	return out
}

// AllCheckKeys is CheckKeys over every tab.
func AllCheckKeys() []string {
	var out []string
	for _, t := range Tabs {
		out = append(out, t.CheckKeys()...)
	}
	return out
}
