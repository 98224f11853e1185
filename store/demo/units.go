package demo

// unitKind is what a unit does, which decides the professions of its PNS.
type unitKind int

const (
	ukOffice unitKind = iota
	ukSchool
	ukHospital // clinical units of a hospital
	ukHealth
	ukWorks
	ukPlanning
	ukAudit
)

// orgUnit is one unit of the demo's organisation tree.
type orgUnit struct {
	id, parent, nama string
	short            string // SKPD only: the v1-<short> login
	kind             unitKind
	weight           int    // relative share of PNS (0: nobody is placed here directly)
	head             string // the structural head's title, "" when none
	eselon           string
	skpd             *orgUnit
	city             string // where the unit sits (schools, hospital)
}

// orgUnits is the demo province's organisation tree, parents before children.
func orgUnits() []*orgUnit {
	list := []*orgUnit{
		{id: "U01", nama: "Sekretariat Daerah", short: "setda", kind: ukOffice, weight: 10},
		{id: "U01.01", parent: "U01", nama: "Biro Pemerintahan, Otonomi Daerah dan Kerja Sama", kind: ukOffice, weight: 10, head: "Kepala Biro Pemerintahan, Otonomi Daerah dan Kerja Sama", eselon: "22"},
		{id: "U01.02", parent: "U01", nama: "Biro Hukum", kind: ukOffice, weight: 10, head: "Kepala Biro Hukum", eselon: "22"},
		{id: "U01.03", parent: "U01", nama: "Biro Organisasi", kind: ukOffice, weight: 8, head: "Kepala Biro Organisasi", eselon: "22"},
		{id: "U01.04", parent: "U01", nama: "Biro Umum", kind: ukOffice, weight: 14, head: "Kepala Biro Umum", eselon: "22"},

		{id: "U02", nama: "Dinas Pendidikan dan Kebudayaan", short: "disdik", kind: ukOffice, weight: 12, head: "Sekretaris Dinas Pendidikan dan Kebudayaan", eselon: "31"},
		{id: "U02.01", parent: "U02", nama: "Bidang Pembinaan SMA", kind: ukOffice, weight: 8, head: "Kepala Bidang Pembinaan SMA", eselon: "32"},
		{id: "U02.02", parent: "U02", nama: "Cabang Dinas Pendidikan Wilayah I", kind: ukOffice, weight: 5, head: "Kepala Cabang Dinas Pendidikan Wilayah I", eselon: "32"},
		{id: "U02.02.01", parent: "U02.02", nama: "SMA Negeri 1 Semarang", kind: ukSchool, weight: 70, city: "Semarang"},
		{id: "U02.02.02", parent: "U02.02", nama: "SMA Negeri 3 Semarang", kind: ukSchool, weight: 70, city: "Semarang"},
		{id: "U02.02.03", parent: "U02.02", nama: "SMK Negeri 7 Semarang", kind: ukSchool, weight: 75, city: "Semarang"},
		{id: "U02.03", parent: "U02", nama: "Cabang Dinas Pendidikan Wilayah VII", kind: ukOffice, weight: 5, head: "Kepala Cabang Dinas Pendidikan Wilayah VII", eselon: "32"},
		{id: "U02.03.01", parent: "U02.03", nama: "SMA Negeri 1 Surakarta", kind: ukSchool, weight: 65, city: "Surakarta"},
		{id: "U02.03.02", parent: "U02.03", nama: "SMK Negeri 2 Surakarta", kind: ukSchool, weight: 70, city: "Surakarta"},
		{id: "U02.03.03", parent: "U02.03", nama: "SMA Negeri 1 Sragen", kind: ukSchool, weight: 55, city: "Sragen"},
		{id: "U02.04", parent: "U02", nama: "SLB Negeri Semarang", kind: ukSchool, weight: 30, city: "Semarang"},

		{id: "U03", nama: "Dinas Kesehatan", short: "dinkes", kind: ukHealth, weight: 14, head: "Sekretaris Dinas Kesehatan", eselon: "31"},
		{id: "U03.01", parent: "U03", nama: "Bidang Pelayanan Kesehatan", kind: ukHealth, weight: 10, head: "Kepala Bidang Pelayanan Kesehatan", eselon: "32"},
		{id: "U03.02", parent: "U03", nama: "Bidang Pencegahan dan Pengendalian Penyakit", kind: ukHealth, weight: 10, head: "Kepala Bidang Pencegahan dan Pengendalian Penyakit", eselon: "32"},
		{id: "U03.03", parent: "U03", nama: "UPT Laboratorium Kesehatan Masyarakat", kind: ukHealth, weight: 12, head: "Kepala UPT Laboratorium Kesehatan Masyarakat", eselon: "41"},

		{id: "U04", nama: "RSUD Dr. Moewardi", short: "rsud", kind: ukHospital, weight: 15, city: "Surakarta"},
		{id: "U04.01", parent: "U04", nama: "Bidang Pelayanan Medik", kind: ukHospital, weight: 45, head: "Kepala Bidang Pelayanan Medik", eselon: "32", city: "Surakarta"},
		{id: "U04.02", parent: "U04", nama: "Bidang Keperawatan", kind: ukHospital, weight: 70, head: "Kepala Bidang Keperawatan", eselon: "32", city: "Surakarta"},
		{id: "U04.03", parent: "U04", nama: "Instalasi Rawat Inap", kind: ukHospital, weight: 130, city: "Surakarta"},
		{id: "U04.04", parent: "U04", nama: "Bagian Umum dan Keuangan", kind: ukOffice, weight: 30, head: "Kepala Bagian Umum dan Keuangan", eselon: "32", city: "Surakarta"},

		{id: "U05", nama: "Badan Kepegawaian Daerah", short: "bkd", kind: ukOffice, weight: 10, head: "Sekretaris Badan Kepegawaian Daerah", eselon: "31"},
		{id: "U05.01", parent: "U05", nama: "Bidang Pengadaan, Pemberhentian dan Informasi", kind: ukOffice, weight: 10, head: "Kepala Bidang Pengadaan, Pemberhentian dan Informasi", eselon: "32"},
		{id: "U05.02", parent: "U05", nama: "Bidang Mutasi dan Promosi", kind: ukOffice, weight: 10, head: "Kepala Bidang Mutasi dan Promosi", eselon: "32"},
		{id: "U05.03", parent: "U05", nama: "Bidang Pengembangan Kompetensi", kind: ukOffice, weight: 8, head: "Kepala Bidang Pengembangan Kompetensi", eselon: "32"},

		{id: "U06", nama: "Dinas Pekerjaan Umum Bina Marga dan Cipta Karya", short: "dpu", kind: ukWorks, weight: 10, head: "Sekretaris Dinas Pekerjaan Umum Bina Marga dan Cipta Karya", eselon: "31"},
		{id: "U06.01", parent: "U06", nama: "Bidang Bina Marga", kind: ukWorks, weight: 14, head: "Kepala Bidang Bina Marga", eselon: "32"},
		{id: "U06.02", parent: "U06", nama: "Bidang Cipta Karya", kind: ukWorks, weight: 12, head: "Kepala Bidang Cipta Karya", eselon: "32"},
		{id: "U06.03", parent: "U06", nama: "Balai Pengelolaan Jalan Wilayah Surakarta", kind: ukWorks, weight: 16, head: "Kepala Balai Pengelolaan Jalan Wilayah Surakarta", eselon: "41", city: "Surakarta"},

		{id: "U07", nama: "Badan Perencanaan Pembangunan Daerah", short: "bappeda", kind: ukPlanning, weight: 8, head: "Sekretaris Badan Perencanaan Pembangunan Daerah", eselon: "31"},
		{id: "U07.01", parent: "U07", nama: "Bidang Perencanaan Pemerintahan dan Pembangunan Manusia", kind: ukPlanning, weight: 8, head: "Kepala Bidang Perencanaan Pemerintahan dan Pembangunan Manusia", eselon: "32"},
		{id: "U07.02", parent: "U07", nama: "Bidang Perencanaan Infrastruktur dan Pengembangan Wilayah", kind: ukPlanning, weight: 8, head: "Kepala Bidang Perencanaan Infrastruktur dan Pengembangan Wilayah", eselon: "32"},

		{id: "U08", nama: "Dinas Perhubungan", short: "dishub", kind: ukOffice, weight: 10, head: "Sekretaris Dinas Perhubungan", eselon: "31"},
		{id: "U08.01", parent: "U08", nama: "Bidang Lalu Lintas dan Angkutan Jalan", kind: ukOffice, weight: 12, head: "Kepala Bidang Lalu Lintas dan Angkutan Jalan", eselon: "32"},
		{id: "U08.02", parent: "U08", nama: "Balai Pengujian Kendaraan Bermotor Wilayah Semarang", kind: ukOffice, weight: 12, head: "Kepala Balai Pengujian Kendaraan Bermotor Wilayah Semarang", eselon: "41", city: "Semarang"},

		{id: "U09", nama: "Inspektorat", short: "inspektorat", kind: ukAudit, weight: 8, head: "Sekretaris Inspektorat", eselon: "31"},
		{id: "U09.01", parent: "U09", nama: "Inspektur Pembantu Wilayah I", kind: ukAudit, weight: 10, head: "Inspektur Pembantu Wilayah I", eselon: "32"},
		{id: "U09.02", parent: "U09", nama: "Inspektur Pembantu Wilayah II", kind: ukAudit, weight: 10, head: "Inspektur Pembantu Wilayah II", eselon: "32"},
	}
	byID := map[string]*orgUnit{}
	for _, x := range list {
		byID[x.id] = x
		if x.parent == "" {
			x.skpd = x
		} else {
			x.skpd = byID[x.parent].skpd
		}
		if x.city == "" {
			x.city = "Semarang"
		}
	}
	return list
}

// unitPath names a unit as the organisation tree offers it in a riwayat jabatan row (see store.Store.UnitTree).
func (g *gen) unitPath(u *orgUnit) string {
	byID := map[string]*orgUnit{}
	for _, x := range g.units {
		byID[x.id] = x
	}
	name := u.nama
	for p, ok := byID[u.parent]; ok; p, ok = byID[p.parent] {
		name = p.nama + " › " + name
	}
	return name
}

// unitLabel names a unit with its SKPD, as the console prints it.
func (g *gen) unitLabel(u *orgUnit) string {
	if u.skpd == u {
		return u.nama
	}
	return u.nama + ", " + u.skpd.nama
}
