package demo

import (
	"fmt"
	"slices"
	"strings"
)

// degree is a study programme and the title it gives.
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

// univ picks a university from the list, or for some one from their home region.
func (g *gen) univ(region int, list []string) string {
	if r := univRegion; region < len(r) && r[region] != nil && g.chance(40) {
		return pick(g, r[region])
	}
	return pick(g, list)
}

// ijazahNo makes a certificate number in the style of the level: national series for schools,
// the university's code for degrees.
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

// study draws one person's education into the career being built: schools, degrees, titles, the
// golongan the degrees open (start and cap) and the functional ladder.
type study struct {
	g *gen
	p *person
	c *career
}

// schools draws SD, SLTP and SLTA, in the town the person grew up in.
func (st study) schools(birthplace, agama string) {
	g, p, c := st.g, st.p, st.c
	town := birthplace
	if !slices.Contains(jatengTowns, town) && g.chance(30) {
		town = pick(g, jatengTowns) // moved to Jawa Tengah as a child
	}
	ys := p.eduYears
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
}

// oldTitle gives the title a graduate of before 1994 got in front of the name (Drs./Dra./Ir.)
// instead of the one behind it, and says whether it did.
func (st study) oldTitle(gradYear int, deg degree) bool {
	if gradYear > 1993 {
		return false
	}
	switch deg.gelar {
	case "S.T.":
		st.c.gelarDepan = append(st.c.gelarDepan, "Ir.")
		return true
	case "S.Pd.", "S.Sos.", "S.AP.", "S.IP.", "S.E.", "S.Psi.", "S.I.Kom.", "S.Si.", "S.Ak.":
		if st.p.sex == "2" {
			st.c.gelarDepan = append(st.c.gelarDepan, "Dra.")
		} else {
			st.c.gelarDepan = append(st.c.gelarDepan, "Drs.")
		}
		return true
	}
	return false
}

// s1 adds a bachelor's degree from the list, graduated in year y.
func (st study) s1(list []degree, univs []string, y int) {
	d := pick(st.g, list)
	st.c.edu = append(st.c.edu, eduRow{tingkat: "40", jurusan: d.jurusan, school: st.g.univ(st.p.region, univs), year: y})
	if !st.oldTitle(y, d) {
		st.c.gelarBlk = append(st.c.gelarBlk, d.gelar)
	}
}

// s2 adds a master's degree from the list, graduated in year y.
func (st study) s2(list []degree, univs []string, y int) {
	d := pick(st.g, list)
	st.c.edu = append(st.c.edu, eduRow{tingkat: "45", jurusan: d.jurusan, school: st.g.univ(st.p.region, univs), year: y})
	st.c.gelarBlk = append(st.c.gelarBlk, d.gelar)
}

// later is a year for a degree earned while in service, at least afterYears after TMT CPNS, or 0
// when that is still to come.
func (st study) later(afterYears int) int {
	lo := st.p.tmtCPNS.Year() + afterYears
	hi := st.g.today.Year()
	if lo > hi {
		return 0
	}
	return st.g.between(lo, hi)
}

// nurse draws a nurse's or midwife's diploma or degree and ladder.
func (st study) nurse() {
	g, p, c := st.g, st.p, st.c
	ys := p.eduYears
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
}

// doctor draws a doctor's or dentist's degree and profession, and for some a specialisation or a
// master's in public health.
func (st study) doctor() {
	g, p, c := st.g, st.p, st.c
	ys := p.eduYears
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
		if y := st.later(3); y > 0 {
			d := pick(g, degSpesialis)
			c.edu = append(c.edu, eduRow{tingkat: "47", jurusan: d.jurusan, school: pick(g, univMed), year: y})
			c.gelarBlk = append(c.gelarBlk, d.gelar)
		}
	case g.chance(20):
		if y := st.later(3); y > 0 {
			c.edu = append(c.edu, eduRow{tingkat: "45", jurusan: "Ilmu Kesehatan Masyarakat", school: pick(g, univMed), year: y})
			c.gelarBlk = append(c.gelarBlk, "M.Kes.")
		}
	}
}

// degrees are the bachelor's and master's degrees, and the universities, of the person's profession.
func (st study) degrees() (s1List, s2List []degree, univs []string) {
	s1List, s2List, univs = degStaff, degStaffS2, univJateng
	switch st.p.prof {
	case pTeacher:
		s1List, s2List, univs = degTeacher, degTeacherS2, univTeacher
	case pEngineer:
		s1List, s2List = degEngineer, degEngineerS2
	case pPlanner:
		s1List, s2List = degPlanner, degPlannerS2
	case pAuditor:
		s1List, s2List = degAuditor, degAuditorS2
	}
	if st.p.unit.kind == ukHealth && st.p.prof == pStaff {
		s1List = append(slices.Clone(s1List), degree{"Kesehatan Masyarakat", "S.K.M."}, degree{"Kesehatan Masyarakat", "S.K.M."})
		s2List = append(slices.Clone(s2List), degree{"Ilmu Kesehatan Masyarakat", "M.Kes."})
	}
	return s1List, s2List, univs
}

// staff draws the education of everyone else (general staff, teachers, engineers, planners,
// auditors), then a doctorate for a few and the functional ladder of the profession.
func (st study) staff() {
	g, p, c := st.g, st.p, st.c
	ys := p.eduYears
	s1List, s2List, univs := st.degrees()
	switch p.edu {
	case eSLTA:
		c.startGol, c.capGol = "21", "32"
	case eD3:
		d := pick(g, degStaffD3)
		c.edu = append(c.edu, eduRow{tingkat: "30", jurusan: d.jurusan, school: pick(g, []string{"Politeknik Negeri Semarang", "Universitas Diponegoro", "Universitas Sebelas Maret", "Universitas Dian Nuswantoro"}), year: ys[3]})
		c.gelarBlk = append(c.gelarBlk, d.gelar)
		c.startGol, c.capGol = "23", "33"
	case eS1:
		st.s1(s1List, univs, ys[3])
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
		if y := st.later(3); y > 0 && g.chance(pct) {
			st.s2(s2List, univs, y)
			c.capGol = "41"
		}
	case eS2:
		st.s1(s1List, univs, ys[3])
		st.s2(s2List, univs, ys[4])
		c.startGol, c.capGol = "32", "41"
	}
	st.doctorate()
	st.ladder()
}

// doctorate adds, for a few planners and would-be heads with a master's degree, a doctorate.
func (st study) doctorate() {
	g, p, c := st.g, st.p, st.c
	if p.edu >= eS2 || len(c.edu) > 4 && c.edu[len(c.edu)-1].tingkat == "45" {
		if (p.prof == pPlanner || p.wantsHead) && g.chance(4) {
			if y := st.later(6); y > 0 && y > c.edu[len(c.edu)-1].year+2 {
				c.edu = append(c.edu, eduRow{tingkat: "50", jurusan: "Ilmu Administrasi Publik", school: pick(g, []string{"Universitas Diponegoro", "Universitas Gadjah Mada", "Universitas Sebelas Maret"}), year: y})
				c.gelarDepan = append([]string{"Dr."}, c.gelarDepan...)
			}
		}
	}
}

// ladder gives teachers, engineers, planners and auditors their functional ladder, which lifts
// the golongan they may reach.
func (st study) ladder() {
	c := st.c
	switch st.p.prof {
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
