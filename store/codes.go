package store

// Code is one entry of a code list from DOMAIN.md.
type Code struct {
	Code  string
	Label string
}

// CodeList is an ordered code list with lookup.
type CodeList []Code

// Label returns the label of code c, or "" when c is not in the list.
func (l CodeList) Label(c string) string {
	for _, x := range l {
		if x.Code == c {
			return x.Label
		}
	}
	return ""
}

// Has tells whether c is in the list.
func (l CodeList) Has(c string) bool { return l.Label(c) != "" }

// The code lists of DOMAIN.md "Codes and rules".
var (
	Golongan = CodeList{
		{"11", "I/a Juru Muda"}, {"12", "I/b Juru Muda Tingkat I"}, {"13", "I/c Juru"}, {"14", "I/d Juru Tingkat I"},
		{"21", "II/a Pengatur Muda"}, {"22", "II/b Pengatur Muda Tingkat I"}, {"23", "II/c Pengatur"}, {"24", "II/d Pengatur Tingkat I"},
		{"31", "III/a Penata Muda"}, {"32", "III/b Penata Muda Tingkat I"}, {"33", "III/c Penata"}, {"34", "III/d Penata Tingkat I"},
		{"41", "IV/a Pembina"}, {"42", "IV/b Pembina Tingkat I"}, {"43", "IV/c Pembina Utama Muda"}, {"44", "IV/d Pembina Utama Madya"},
		{"45", "IV/e Pembina Utama"},
	}
	TingkatPendidikan = CodeList{
		{"05", "SD"}, {"10", "SLTP"}, {"12", "SLTP Kejuruan"}, {"15", "SLTA"}, {"17", "SLTA Kejuruan"}, {"18", "SLTA Keguruan"},
		{"20", "D-I"}, {"25", "D-II"}, {"30", "D-III/Sarjana Muda"}, {"35", "D-IV"}, {"40", "S-1"}, {"42", "Profesi"},
		{"45", "S-2"}, {"47", "Spesialis"}, {"49", "Subspesialis"}, {"50", "S-3"},
	}
	Agama          = CodeList{{"1", "Islam"}, {"2", "Kristen"}, {"3", "Katolik"}, {"4", "Hindu"}, {"5", "Buddha"}, {"6", "Konghucu"}, {"7", "Lainnya"}}
	StatusKawin    = CodeList{{"1", "Menikah"}, {"2", "Cerai"}, {"3", "Janda/Duda"}, {"4", "Belum Kawin"}}
	JenisKelamin   = CodeList{{"1", "Laki-laki"}, {"2", "Perempuan"}}
	JenisJabatan   = CodeList{{"1", "Struktural"}, {"2", "Fungsional Tertentu"}, {"4", "Fungsional Umum"}}
	Eselon         = CodeList{{"11", "I.a"}, {"12", "I.b"}, {"21", "II.a"}, {"22", "II.b"}, {"31", "III.a"}, {"32", "III.b"}, {"41", "IV.a"}, {"42", "IV.b"}, {"51", "V.a"}, {"99", "Non-eselon"}}
	JenisKP        = CodeList{{"101", "Reguler"}, {"201", "Pilihan (Jabatan Struktural)"}, {"202", "Pilihan (Jabatan Fungsional Tertentu)"}, {"203", "Pilihan (Penyesuaian Ijazah)"}, {"211", "Gol. dari Pengadaan CPNS/PNS"}}
	KedudukanHukum = CodeList{{"01", "Aktif"}, {"02", "CLTN"}, {"03", "Tugas Belajar"}, {"04", "Pemberhentian Sementara"}, {"20", "Masa Persiapan Pensiun"}, {"90", "Tidak Ikut PUPNS"}, {"99", "Pensiun"}}
	JenisPegawai   = CodeList{{"1", "PNS Pusat"}, {"10", "PNS Daerah Provinsi"}, {"15", "PNS Daerah Kabupaten/Kota"}}

	// Kanregs are BKN's 14 regional offices.
	Kanregs = CodeList{
		{"I", "Kanreg I BKN Yogyakarta"}, {"II", "Kanreg II BKN Surabaya"}, {"III", "Kanreg III BKN Bandung"},
		{"IV", "Kanreg IV BKN Makassar"}, {"V", "Kanreg V BKN Jakarta"}, {"VI", "Kanreg VI BKN Medan"},
		{"VII", "Kanreg VII BKN Palembang"}, {"VIII", "Kanreg VIII BKN Banjarmasin"}, {"IX", "Kanreg IX BKN Jayapura"},
		{"X", "Kanreg X BKN Denpasar"}, {"XI", "Kanreg XI BKN Manado"}, {"XII", "Kanreg XII BKN Pekanbaru"},
		{"XIII", "Kanreg XIII BKN Banda Aceh"}, {"XIV", "Kanreg XIV BKN Manokwari"},
	}
)

// Code lists of the tabs beyond Data Utama. DOMAIN.md names these fields but not their codes; the
// lists follow the later SIASN records and are our choice.
var (
	JenjangSekolah   = CodeList{{"1", "SD/MI"}, {"2", "SMP/MTs"}, {"3", "SMA/MA"}, {"4", "SMK"}, {"5", "SLB"}, {"6", "TK/PAUD"}}
	Taperum          = CodeList{{"1", "Sudah diambil"}, {"2", "Belum diambil"}}
	KepemilikanRumah = CodeList{{"1", "Milik sendiri"}, {"2", "Sewa/kontrak"}, {"3", "Rumah dinas"}, {"4", "Ikut keluarga"}}
	KemampuanTingkat = CodeList{{"1", "Belum bisa"}, {"2", "Dasar"}, {"3", "Menengah"}, {"4", "Mahir"}}
	DiklatStruktural = CodeList{{"1", "Diklatpim Tingkat I"}, {"2", "Diklatpim Tingkat II"}, {"3", "Diklatpim Tingkat III"}, {"4", "Diklatpim Tingkat IV"}, {"5", "Adum"}, {"6", "Spama"}}
	StatusPasangan   = CodeList{{"1", "Menikah"}, {"2", "Cerai Hidup"}, {"3", "Cerai Mati"}}
	JenisAnak        = CodeList{{"1", "Kandung"}, {"2", "Tiri"}, {"3", "Angkat"}}
	StatusHidup      = CodeList{{"1", "Hidup"}, {"2", "Meninggal"}}
	StatusSekolah    = CodeList{{"1", "Masih sekolah/kuliah"}, {"2", "Tidak sekolah lagi"}}
	YaTidak          = CodeList{{"1", "Ya"}, {"2", "Tidak"}}
)
