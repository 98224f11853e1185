package demo

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"pupns/store"
)

// ---------------------------------------------------------------------------------------------
// Education, career.

type degree struct{ jurusan, gelar string }

var (
	degTeacher = []degree{{"Pendidikan Matematika", "S.Pd."}, {"Pendidikan Bahasa Indonesia", "S.Pd."},
		{"Pendidikan Bahasa Inggris", "S.Pd."}, {"Pendidikan Biologi", "S.Pd."}, {"Pendidikan Fisika", "S.Pd."},
		{"Pendidikan Kimia", "S.Pd."}, {"Pendidikan Sejarah", "S.Pd."}, {"Pendidikan Geografi", "S.Pd."},
		{"Pendidikan Ekonomi", "S.Pd."}, {"Pendidikan Pancasila dan Kewarganegaraan", "S.Pd."},
		{"Pendidikan Jasmani, Kesehatan dan Rekreasi", "S.Pd."}, {"Bimbingan dan Konseling", "S.Pd."},
		{"Pendidikan Bahasa Jawa", "S.Pd."}, {"Pendidikan Teknik Mesin", "S.Pd."}, {"Pendidikan Seni Rupa", "S.Pd."}}
	degTeacherS2 = []degree{{"Pendidikan Matematika", "M.Pd."}, {"Manajemen Pendidikan", "M.Pd."},
		{"Pendidikan Bahasa Inggris", "M.Pd."}, {"Pendidikan Ilmu Pengetahuan Alam", "M.Pd."}}
	degStaff = []degree{{"Ilmu Administrasi Negara", "S.Sos."}, {"Ilmu Administrasi Publik", "S.AP."},
		{"Ilmu Hukum", "S.H."}, {"Manajemen", "S.E."}, {"Akuntansi", "S.E."}, {"Teknik Informatika", "S.Kom."},
		{"Sistem Informasi", "S.Kom."}, {"Ilmu Pemerintahan", "S.IP."}, {"Ilmu Komunikasi", "S.I.Kom."},
		{"Psikologi", "S.Psi."}}
	degStaffS2 = []degree{{"Administrasi Publik", "M.Si."}, {"Manajemen", "M.M."}, {"Ilmu Hukum", "M.H."},
		{"Magister Administrasi Publik", "M.AP."}}
	degStaffD3 = []degree{{"Akuntansi", "A.Md."}, {"Manajemen Informatika", "A.Md."},
		{"Administrasi Perkantoran", "A.Md."}, {"Kesekretariatan", "A.Md."}, {"Teknik Sipil", "A.Md."}}
	degEngineer   = []degree{{"Teknik Sipil", "S.T."}, {"Teknik Sipil", "S.T."}, {"Teknik Lingkungan", "S.T."}, {"Arsitektur", "S.T."}, {"Teknik Elektro", "S.T."}}
	degEngineerS2 = []degree{{"Teknik Sipil", "M.T."}, {"Magister Teknik Sipil", "M.T."}, {"Teknik Lingkungan", "M.T."}}
	degPlanner    = []degree{{"Ilmu Ekonomi", "S.E."}, {"Perencanaan Wilayah dan Kota", "S.T."}, {"Statistika", "S.Si."}, {"Ilmu Pemerintahan", "S.IP."}}
	degPlannerS2  = []degree{{"Perencanaan Wilayah dan Kota", "M.T."}, {"Ilmu Ekonomi", "M.E."}, {"Administrasi Publik", "M.Si."}}
	degAuditor    = []degree{{"Akuntansi", "S.E."}, {"Akuntansi", "S.Ak."}, {"Ilmu Hukum", "S.H."}, {"Manajemen", "S.E."}}
	degAuditorS2  = []degree{{"Akuntansi", "M.Ak."}, {"Ilmu Hukum", "M.H."}, {"Manajemen", "M.M."}}
	degSpesialis  = []degree{{"Ilmu Penyakit Dalam", "Sp.PD."}, {"Ilmu Kesehatan Anak", "Sp.A."},
		{"Obstetri dan Ginekologi", "Sp.OG."}, {"Ilmu Bedah", "Sp.B."}, {"Anestesiologi dan Terapi Intensif", "Sp.An."},
		{"Neurologi", "Sp.N."}, {"Radiologi", "Sp.Rad."}}

	univJateng  = []string{"Universitas Diponegoro", "Universitas Negeri Semarang", "Universitas Sebelas Maret", "Universitas Jenderal Soedirman", "Universitas Gadjah Mada", "Universitas Muhammadiyah Surakarta", "Universitas Kristen Satya Wacana", "Universitas Islam Sultan Agung", "Universitas Dian Nuswantoro", "Universitas Katolik Soegijapranata", "Universitas Negeri Yogyakarta", "Universitas 17 Agustus 1945 Semarang"}
	univTeacher = []string{"Universitas Negeri Semarang", "Universitas Sebelas Maret", "Universitas Negeri Yogyakarta", "Universitas PGRI Semarang", "Universitas Muhammadiyah Surakarta", "Universitas Kristen Satya Wacana", "Universitas Muhammadiyah Purwokerto"}
	univMed     = []string{"Universitas Diponegoro", "Universitas Sebelas Maret", "Universitas Gadjah Mada", "Universitas Islam Sultan Agung", "Universitas Jenderal Soedirman", "Universitas Muhammadiyah Semarang"}
	univNurse   = []string{"Poltekkes Kemenkes Semarang", "Poltekkes Kemenkes Surakarta", "Akademi Keperawatan Ngudi Waluyo", "Akademi Kebidanan Bakti Utama Pati", "STIKES Telogorejo Semarang"}
	univRegion  = [][]string{
		rSunda:  {"Universitas Padjadjaran", "Universitas Pendidikan Indonesia"},
		rBatak:  {"Universitas Sumatera Utara", "Universitas Negeri Medan"},
		rMinang: {"Universitas Andalas", "Universitas Negeri Padang"},
		rBugis:  {"Universitas Hasanuddin", "Universitas Negeri Makassar"},
		rBali:   {"Universitas Udayana", "Universitas Pendidikan Ganesha"},
	}
	univCode = map[string]string{"Universitas Diponegoro": "UN7", "Universitas Negeri Semarang": "UN37",
		"Universitas Sebelas Maret": "UN27", "Universitas Jenderal Soedirman": "UN23", "Universitas Gadjah Mada": "UN1",
		"Universitas Negeri Yogyakarta": "UN34", "Universitas Padjadjaran": "UN6", "Universitas Pendidikan Indonesia": "UN40",
		"Universitas Sumatera Utara": "UN5", "Universitas Negeri Medan": "UN33", "Universitas Andalas": "UN16",
		"Universitas Negeri Padang": "UN35", "Universitas Hasanuddin": "UN4", "Universitas Negeri Makassar": "UN36",
		"Universitas Udayana": "UN14.1", "Universitas Pendidikan Ganesha": "UN48"}
)

func (g *gen) univ(region int, list []string) string {
	if r := univRegion; region < len(r) && r[region] != nil && g.chance(40) {
		return pick(g, r[region])
	}
	return pick(g, list)
}

func (g *gen) ijazahNo(tingkat, school string, year int) string {
	switch tingkat {
	case "05":
		return fmt.Sprintf("DN-03 Dd %07d", g.intn(10_000_000))
	case "10", "12":
		return fmt.Sprintf("DN-03 Dl %07d", g.intn(10_000_000))
	case "15", "17", "18":
		return fmt.Sprintf("DN-03 Ma %07d", g.intn(10_000_000))
	}
	code := univCode[school]
	if code == "" {
		var b strings.Builder
		for _, w := range strings.Fields(school) {
			if r := w[0]; r >= 'A' && r <= 'Z' {
				b.WriteByte(r)
			}
		}
		code = b.String()
	}
	return fmt.Sprintf("%s/%d/%s/%d", code, 1+g.intn(4999), tingkat, year)
}

// eduRow is one riwayat pendidikan row before it becomes a Row.
type eduRow struct {
	tingkat, jurusan, school string
	year                     int
}

// career is what detail computes for the record: education, gelar, golongan and jabatan history.
type career struct {
	edu          []eduRow
	gelarDepan   []string
	gelarBlk     []string
	startGol     string
	capGol       string
	jftLadder    []rung
	golRows      []store.Row
	jabRows      []store.Row
	currentGol   string
	isStructural bool
}

type rung struct {
	minGol string
	name   string
}

var (
	ladderTeacher  = []rung{{"31", "Guru Ahli Pertama"}, {"33", "Guru Ahli Muda"}, {"41", "Guru Ahli Madya"}}
	ladderNurseD3  = []rung{{"23", "Perawat Terampil"}, {"31", "Perawat Mahir"}, {"33", "Perawat Penyelia"}}
	ladderNurse    = []rung{{"31", "Perawat Ahli Pertama"}, {"33", "Perawat Ahli Muda"}, {"41", "Perawat Ahli Madya"}}
	ladderBidanD3  = []rung{{"23", "Bidan Terampil"}, {"31", "Bidan Mahir"}, {"33", "Bidan Penyelia"}}
	ladderBidan    = []rung{{"31", "Bidan Ahli Pertama"}, {"33", "Bidan Ahli Muda"}, {"41", "Bidan Ahli Madya"}}
	ladderDoctor   = []rung{{"32", "Dokter Ahli Pertama"}, {"33", "Dokter Ahli Muda"}, {"41", "Dokter Ahli Madya"}}
	ladderDentist  = []rung{{"32", "Dokter Gigi Ahli Pertama"}, {"33", "Dokter Gigi Ahli Muda"}, {"41", "Dokter Gigi Ahli Madya"}}
	ladderEngineer = []rung{{"31", "Teknik Jalan dan Jembatan Ahli Pertama"}, {"33", "Teknik Jalan dan Jembatan Ahli Muda"}, {"41", "Teknik Jalan dan Jembatan Ahli Madya"}}
	ladderPlanner  = []rung{{"31", "Perencana Ahli Pertama"}, {"33", "Perencana Ahli Muda"}, {"41", "Perencana Ahli Madya"}}
	ladderAuditor  = []rung{{"31", "Auditor Ahli Pertama"}, {"33", "Auditor Ahli Muda"}, {"41", "Auditor Ahli Madya"}}
	jfuSLTA        = []string{"Pengadministrasi Umum", "Pengadministrasi Kepegawaian", "Pengadministrasi Keuangan", "Pengemudi", "Petugas Keamanan"}
	jfuD3          = []string{"Pengolah Data", "Pengelola Keuangan", "Bendahara", "Pengelola Barang Milik Daerah"}
	jfuS1          = []string{"Analis Kepegawaian", "Analis Data dan Informasi", "Penyusun Program Anggaran dan Pelaporan", "Pengelola Keuangan", "Analis Kebijakan", "Penyusun Laporan Keuangan"}
	eselonIVTitles = []string{"Kepala Sub Bagian Umum dan Kepegawaian", "Kepala Sub Bagian Keuangan", "Kepala Sub Bagian Perencanaan dan Evaluasi"}
	seksiTitles    = []string{"Kepala Seksi Perencanaan dan Program", "Kepala Seksi Pembinaan dan Pengawasan"}
)

// golStep is the golongan after g, in the list order.
func golStep(gol string) string {
	for i, c := range store.Golongan {
		if c.Code == gol && i+1 < len(store.Golongan) {
			return store.Golongan[i+1].Code
		}
	}
	return gol
}

// nextKP is the next regular promotion date (1 April or 1 October) on or after t.
func nextKP(t time.Time) time.Time {
	y := t.Year()
	for _, c := range []time.Time{time.Date(y, 4, 1, 0, 0, 0, 0, time.UTC), time.Date(y, 10, 1, 0, 0, 0, 0, time.UTC), time.Date(y+1, 4, 1, 0, 0, 0, 0, time.UTC)} {
		if !c.Before(t) {
			return c
		}
	}
	return t
}

// skNo makes an SK number in the regional style, e.g. 823.3/1234/2010.
func (g *gen) skNo(kode string, t time.Time) string {
	return fmt.Sprintf("%s/%04d/%d", kode, 1+g.intn(9999), t.Year())
}

func (g *gen) dateBefore(t time.Time, minDays, maxDays int) time.Time {
	return g.clamp(t.AddDate(0, 0, -g.between(minDays, maxDays)))
}

// career draws education, titles, golongan and jabatan history.
func (g *gen) career(p *person, birthplace, agama string) career {
	var c career
	town := birthplace
	if !slices.Contains(jatengTowns, town) && g.chance(30) {
		town = pick(g, jatengTowns) // moved to Jawa Tengah as a child
	}
	ys := p.eduYears
	// SD, SLTP, SLTA.
	sd, smp := "SD Negeri %d %s", "SMP Negeri %d %s"
	switch {
	case agama == "1" && g.chance(25):
		sd, smp = pick(g, []string{"SD Muhammadiyah %d %s", "MI Negeri %d %s"}), pick(g, []string{"SMP Muhammadiyah %d %s", "MTs Negeri %d %s"})
	case agama == "3" && g.chance(50):
		sd, smp = "SD Kanisius %d %s", "SMP Kanisius %d %s"
	case agama == "2" && g.chance(40):
		sd, smp = "SD Kristen %d %s", "SMP Kristen %d %s"
	}
	c.edu = append(c.edu,
		eduRow{tingkat: "05", school: fmt.Sprintf(sd, 1+g.intn(8), town), year: ys[0]},
		eduRow{tingkat: "10", school: fmt.Sprintf(smp, 1+g.intn(6), town), year: ys[1]})
	slta := eduRow{tingkat: "15", jurusan: pick(g, []string{"IPA", "IPA", "IPS"}), school: fmt.Sprintf("SMA Negeri %d %s", 1+g.intn(5), town), year: ys[2]}
	if p.edu == eSLTA && g.chance(45) {
		slta = eduRow{tingkat: "17", jurusan: pick(g, []string{"Akuntansi", "Administrasi Perkantoran", "Teknik Kendaraan Ringan", "Teknik Komputer dan Jaringan", "Tata Niaga"}),
			school: fmt.Sprintf("SMK Negeri %d %s", 1+g.intn(4), town), year: ys[2]}
	} else if agama == "1" && g.chance(8) {
		slta.school = fmt.Sprintf("MA Negeri %d %s", 1+g.intn(2), town)
	}
	c.edu = append(c.edu, slta)

	oldTitle := func(gradYear int, deg degree) bool { // before 1994 graduates got Drs./Dra./Ir.
		if gradYear > 1993 {
			return false
		}
		switch deg.gelar {
		case "S.T.":
			c.gelarDepan = append(c.gelarDepan, "Ir.")
			return true
		case "S.Pd.", "S.Sos.", "S.AP.", "S.IP.", "S.E.", "S.Psi.", "S.I.Kom.", "S.Si.", "S.Ak.":
			if p.sex == "2" {
				c.gelarDepan = append(c.gelarDepan, "Dra.")
			} else {
				c.gelarDepan = append(c.gelarDepan, "Drs.")
			}
			return true
		}
		return false
	}
	s1 := func(list []degree, univs []string, y int) {
		d := pick(g, list)
		c.edu = append(c.edu, eduRow{tingkat: "40", jurusan: d.jurusan, school: g.univ(p.region, univs), year: y})
		if !oldTitle(y, d) {
			c.gelarBlk = append(c.gelarBlk, d.gelar)
		}
	}
	s2 := func(list []degree, univs []string, y int) {
		d := pick(g, list)
		c.edu = append(c.edu, eduRow{tingkat: "45", jurusan: d.jurusan, school: g.univ(p.region, univs), year: y})
		c.gelarBlk = append(c.gelarBlk, d.gelar)
	}
	later := func(afterYears int) int { // a year for a degree earned while in service, or 0
		lo := p.tmtCPNS.Year() + afterYears
		hi := g.today.Year()
		if lo > hi {
			return 0
		}
		return g.between(lo, hi)
	}
	s1List, s2List, univs := degStaff, degStaffS2, univJateng
	switch p.prof {
	case pTeacher:
		s1List, s2List, univs = degTeacher, degTeacherS2, univTeacher
	case pEngineer:
		s1List, s2List = degEngineer, degEngineerS2
	case pPlanner:
		s1List, s2List = degPlanner, degPlannerS2
	case pAuditor:
		s1List, s2List = degAuditor, degAuditorS2
	}
	if p.unit.kind == ukHealth && p.prof == pStaff {
		s1List = append(slices.Clone(s1List), degree{"Kesehatan Masyarakat", "S.K.M."}, degree{"Kesehatan Masyarakat", "S.K.M."})
		s2List = append(slices.Clone(s2List), degree{"Ilmu Kesehatan Masyarakat", "M.Kes."})
	}

	switch p.prof {
	case pNurse, pMidwife:
		if p.edu == eD3 {
			j, gl := "Keperawatan", "A.Md.Kep."
			if p.prof == pMidwife {
				j, gl = "Kebidanan", "A.Md.Keb."
			}
			c.edu = append(c.edu, eduRow{tingkat: "30", jurusan: j, school: pick(g, univNurse), year: ys[3]})
			c.gelarBlk = append(c.gelarBlk, gl)
			c.startGol, c.capGol = "23", "34"
		} else if p.edu == eD4 {
			c.edu = append(c.edu, eduRow{tingkat: "35", jurusan: "Kebidanan", school: pick(g, univNurse), year: ys[3]})
			c.gelarBlk = append(c.gelarBlk, "S.Tr.Keb.")
			c.startGol, c.capGol = "31", "41"
		} else {
			u := g.univ(p.region, univMed)
			c.edu = append(c.edu, eduRow{tingkat: "40", jurusan: "Ilmu Keperawatan", school: u, year: ys[3]},
				eduRow{tingkat: "42", jurusan: "Profesi Ners", school: u, year: ys[4]})
			c.gelarDepan = append(c.gelarDepan, "Ns.")
			c.gelarBlk = append(c.gelarBlk, "S.Kep.")
			c.startGol, c.capGol = "31", "42"
		}
		switch {
		case p.prof == pMidwife && p.edu == eD3:
			c.jftLadder = ladderBidanD3
		case p.prof == pMidwife:
			c.jftLadder = ladderBidan
		case p.edu == eD3:
			c.jftLadder = ladderNurseD3
		default:
			c.jftLadder = ladderNurse
		}
	case pDoctor:
		u := g.univ(p.region, univMed)
		if p.dentist {
			c.edu = append(c.edu, eduRow{tingkat: "40", jurusan: "Pendidikan Dokter Gigi", school: u, year: ys[3]},
				eduRow{tingkat: "42", jurusan: "Profesi Dokter Gigi", school: u, year: ys[4]})
			c.gelarDepan = append(c.gelarDepan, "drg.")
			c.jftLadder = ladderDentist
		} else {
			c.edu = append(c.edu, eduRow{tingkat: "40", jurusan: "Pendidikan Dokter", school: u, year: ys[3]},
				eduRow{tingkat: "42", jurusan: "Profesi Dokter", school: u, year: ys[4]})
			c.gelarDepan = append(c.gelarDepan, "dr.")
			c.jftLadder = ladderDoctor
		}
		c.startGol, c.capGol = "32", "43"
		switch {
		case !p.dentist && p.unit.kind == ukHospital && g.chance(30):
			if y := later(3); y > 0 {
				d := pick(g, degSpesialis)
				c.edu = append(c.edu, eduRow{tingkat: "47", jurusan: d.jurusan, school: pick(g, univMed), year: y})
				c.gelarBlk = append(c.gelarBlk, d.gelar)
			}
		case g.chance(20):
			if y := later(3); y > 0 {
				c.edu = append(c.edu, eduRow{tingkat: "45", jurusan: "Ilmu Kesehatan Masyarakat", school: pick(g, univMed), year: y})
				c.gelarBlk = append(c.gelarBlk, "M.Kes.")
			}
		}
	default:
		switch p.edu {
		case eSLTA:
			c.startGol, c.capGol = "21", "32"
		case eD3:
			d := pick(g, degStaffD3)
			c.edu = append(c.edu, eduRow{tingkat: "30", jurusan: d.jurusan, school: pick(g, []string{"Politeknik Negeri Semarang", "Universitas Diponegoro", "Universitas Sebelas Maret", "Universitas Dian Nuswantoro"}), year: ys[3]})
			c.gelarBlk = append(c.gelarBlk, d.gelar)
			c.startGol, c.capGol = "23", "33"
		case eS1:
			s1(s1List, univs, ys[3])
			c.startGol, c.capGol = "31", "34"
			pct := 10 // a master's degree earned while in service
			switch {
			case p.wantsHead:
				pct = 60
			case p.prof == pPlanner:
				pct = 35
			case p.prof != pStaff:
				pct = 20
			}
			if y := later(3); y > 0 && g.chance(pct) {
				s2(s2List, univs, y)
				c.capGol = "41"
			}
		case eS2:
			s1(s1List, univs, ys[3])
			s2(s2List, univs, ys[4])
			c.startGol, c.capGol = "32", "41"
		}
		if p.edu >= eS2 || len(c.edu) > 4 && c.edu[len(c.edu)-1].tingkat == "45" {
			if (p.prof == pPlanner || p.wantsHead) && g.chance(4) {
				if y := later(6); y > 0 && y > c.edu[len(c.edu)-1].year+2 {
					c.edu = append(c.edu, eduRow{tingkat: "50", jurusan: "Ilmu Administrasi Publik", school: pick(g, []string{"Universitas Diponegoro", "Universitas Gadjah Mada", "Universitas Sebelas Maret"}), year: y})
					c.gelarDepan = append([]string{"Dr."}, c.gelarDepan...)
				}
			}
		}
		switch p.prof {
		case pTeacher:
			c.jftLadder = ladderTeacher
		case pEngineer:
			c.jftLadder = ladderEngineer
		case pPlanner:
			c.jftLadder = ladderPlanner
		case pAuditor:
			c.jftLadder = ladderAuditor
		}
		if c.jftLadder != nil {
			c.capGol = map[string]string{"34": "42", "41": "43"}[c.capGol]
			if c.capGol == "" {
				c.capGol = "42"
			}
		}
	}
	if p.wantsHead && c.capGol < "42" {
		c.capGol = "42"
	}
	c.edu = slices.DeleteFunc(c.edu, func(e eduRow) bool { return e.year > g.today.Year() })

	g.golongan(p, &c)
	g.jabatan(p, &c)
	return c
}

// golongan builds riwayat golongan: the CPNS golongan (jenis KP 211), then a regular promotion
// (101) about every four years on 1 April or 1 October, up to the cap and never past today.
func (g *gen) golongan(p *person, c *career) {
	gol := c.startGol
	t := p.tmtCPNS
	add := func(t time.Time, gol, kp string) {
		mk := monthIdx(t) - monthIdx(p.tmtCPNS)
		if c.startGol < "31" && gol >= "31" {
			mk -= 5 * 12 // moving from group II to III: masa kerja golongan less five years
		}
		mk = max(mk, 0)
		kode := "823.3"
		if kp == "211" {
			kode = "813.3"
		}
		sk := g.dateBefore(t, 5, 45)
		r := store.Row{ID: "g" + strconv.Itoa(len(c.golRows)+1), Fields: map[string]string{
			"golongan": gol, "tmt_golongan": ymd(t), "jenis_kp": kp, "nomor_sk": g.skNo(kode, t), "tanggal_sk": ymd(sk),
			"mk_tahun": strconv.Itoa(mk / 12), "mk_bulan": strconv.Itoa(mk % 12)}}
		if kp != "211" {
			r.Fields["nomor_pertek"] = fmt.Sprintf("KR.I-%05d/KEP/%d", 1+g.intn(99999), sk.Year())
			r.Fields["tanggal_pertek"] = ymd(g.dateBefore(sk, 10, 40))
		}
		c.golRows = append(c.golRows, r)
	}
	add(t, gol, "211")
	for gol < c.capGol {
		delay := []int{0, 6, 12, 24}[g.weighted(70, 18, 8, 4)]
		next := nextKP(t.AddDate(4, delay, 0))
		if next.After(g.today) {
			break
		}
		gol, t = golStep(gol), next
		add(t, gol, "101")
	}
	c.currentGol = gol
}

// jabatan builds 1–3 riwayat jabatan rows: the functional ladder (or general jobs) along the
// golongan history, and a structural post for some.
func (g *gen) jabatan(p *person, c *career) {
	type jab struct {
		jenis, name, eselon string
		t                   time.Time
		unit                *orgUnit
	}
	var js []jab
	golAt := func(i int) (string, time.Time) {
		r := c.golRows[i].Fields
		t, _ := time.Parse("2006-01-02", r["tmt_golongan"])
		return r["golongan"], t
	}
	if c.jftLadder != nil {
		rungAt := -1
		for i := range c.golRows {
			gol, t := golAt(i)
			r := -1
			for k, x := range c.jftLadder {
				if gol >= x.minGol {
					r = k
				}
			}
			if r < 0 && i == 0 {
				r = 0
			}
			if r > rungAt {
				if i == 0 {
					t = p.tmtPNS // functional posts are given once PNS
				}
				js = append(js, jab{jenis: "2", name: c.jftLadder[r].name, t: t})
				rungAt = r
			}
		}
	} else {
		var list []string
		switch p.edu {
		case eSLTA:
			list = jfuSLTA
		case eD3:
			list = jfuD3
		default:
			list = jfuS1
		}
		js = append(js, jab{jenis: "4", name: pick(g, list), t: p.tmtCPNS})
		if len(c.golRows) > 2 && g.chance(35) {
			_, t := golAt(1 + g.intn(len(c.golRows)-1))
			if n := pick(g, list); n != js[0].name {
				js = append(js, jab{jenis: "4", name: n, t: t})
			}
		}
	}
	if p.wantsHead {
		var title, es string
		var since time.Time
		need := func(minGol string) (time.Time, bool) {
			for i := range c.golRows {
				if gol, t := golAt(i); gol >= minGol {
					return t, true
				}
			}
			return time.Time{}, false
		}
		u := p.unit
		if u.head != "" && !g.heads[u.id] {
			minGol := map[string]string{"22": "41", "31": "41", "32": "34", "41": "33"}[u.eselon]
			if t, ok := need(minGol); ok {
				title, es, since = u.head, u.eselon, t
				g.heads[u.id] = true
			}
		}
		if title == "" {
			list := eselonIVTitles
			if u.skpd != u {
				list = seksiTitles
			}
			for _, cand := range list {
				if g.heads[u.id+"|"+cand] {
					continue
				}
				if t, ok := need("33"); ok {
					title, es, since = cand, "41", t
					g.heads[u.id+"|"+cand] = true
				}
				break
			}
		}
		if title != "" {
			// Installed after reaching the golongan and after the last post so far.
			lo := monthIdx(since)
			for _, j := range js {
				lo = max(lo, monthIdx(j.t)+1)
			}
			hi := monthIdx(g.today)
			lo = min(lo, hi)
			t := g.clamp(fromMonthIdx(lo + g.intn(hi-lo+1)))
			js = append(js, jab{jenis: "1", name: title, eselon: es, t: t})
			c.isStructural = true
		}
	}
	slices.SortStableFunc(js, func(a, b jab) int { return a.t.Compare(b.t) })
	if len(js) > 3 {
		js = js[len(js)-3:]
	}
	for i, j := range js {
		unit := p.unit
		if i < len(js)-1 && g.chance(30) {
			// an earlier post in another unit of the same kind
			var same []*orgUnit
			for _, u := range g.placeAt {
				if u.kind == p.unit.kind && u != p.unit {
					same = append(same, u)
				}
			}
			if len(same) > 0 {
				unit = pick(g, same)
			}
		}
		sk := g.dateBefore(j.t, 3, 30)
		r := store.Row{ID: "j" + strconv.Itoa(i+1), Fields: map[string]string{
			"jenis_jabatan": j.jenis, "unit_organisasi": g.unitPath(unit), "nama_jabatan": j.name,
			"tmt_jabatan": ymd(j.t), "nomor_sk": g.skNo("821.2", j.t), "tanggal_sk": ymd(sk)}}
		if j.eselon != "" {
			r.Fields["eselon"] = j.eselon
			r.Fields["tmt_pelantikan"] = ymd(g.clamp(j.t.AddDate(0, 0, g.intn(14))))
		}
		c.jabRows = append(c.jabRows, r)
	}
}
