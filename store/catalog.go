package store

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
}

// Tab is one tab of the form.
type Tab struct {
	Key    string
	Label  string
	Fields []Field
}

// Document sets from DOMAIN.md "Documents a proposal needs".
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
		{Key: "gelar_depan", Label: "Gelar Depan", Kind: KindGelar, BKN: true, Docs: []string{"Ijazah"}, MaxLen: 30, Hint: "gelar akademik, mis. Dr., Ir."},
		{Key: "gelar_belakang", Label: "Gelar Belakang", Kind: KindGelar, BKN: true, Docs: []string{"Ijazah"}, MaxLen: 40, Hint: "mis. S.Kom., M.Si."},
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
	case KindDate:
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
