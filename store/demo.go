package store

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"
)

// DemoOptions tune GenerateDemo. Zero values take the defaults.
type DemoOptions struct {
	PNS      int    // how many PNS; default 2000
	Seed     int64  // the generator's seed; default 1. The same seed (and day) gives the same data.
	Password string // the password of every demo account; default "demo12345"
	// Progress, when set, is called after each chunk written.
	Progress func(done, total int)
}

// DemoLogin is one staff account of the demo, as the console prints it.
type DemoLogin struct {
	Role      Role
	RoleLabel string
	Username  string
	Password  string
	Scope     string // human-readable: unit, instansi or Kanreg name
}

// DemoPNS is a PNS worth logging in as: Wrong lists the Data Utama fields the demo deliberately
// made wrong or left empty in the master data, so there is something to correct.
type DemoPNS struct {
	NIP      string
	RegNo    string
	Nama     string
	Unit     string
	Password string
	Wrong    []string
}

// DemoResult is what GenerateDemo made.
type DemoResult struct {
	Instansi  Instansi
	Units     int
	PNS       int
	Logins    []DemoLogin
	SamplePNS []DemoPNS
	// Unregistered are a few NIP in the master data that have no account yet: try registration with them.
	Unregistered []string
	Elapsed      time.Duration
}

// Demo defaults.
const (
	DemoDefaultPNS      = 2000
	DemoDefaultPassword = "demo12345"
	demoChunk           = 2000
	demoInstansiID      = "P33"
	// demoUnregisteredEvery: one PNS in this many is left without an account, to register.
	demoUnregisteredEvery = 20
)

// GenerateDemo fills an empty data file with one province (Pemerintah Provinsi Jawa Tengah), its
// organisation tree, opt.PNS civil servants with realistic, internally consistent master data and
// history, a PNS account for each (except one in demoUnregisteredEvery, left to register) and one
// staff account per role. A third of the PNS have
// deliberately wrong or missing master fields. Everything is drawn from a PCG generator seeded with
// opt.Seed, so a seed gives the same people (dates relative to s.Now() are clamped, never drawn
// from the clock).
//
// It refuses a data file that holds data not made by the demo (ErrNotDemo) and returns
// ErrAlreadyExist for one that already holds a demo.
func (s *Store) GenerateDemo(opt DemoOptions) (DemoResult, error) {
	start := time.Now()
	if opt.PNS == 0 {
		opt.PNS = DemoDefaultPNS
	}
	if opt.PNS < 0 || opt.PNS > 5_000_000 {
		return DemoResult{}, fmt.Errorf("%w: jumlah PNS demo %d", ErrInvalid, opt.PNS)
	}
	if opt.Seed == 0 {
		opt.Seed = 1
	}
	if opt.Password == "" {
		opt.Password = DemoDefaultPassword
	}
	if s.Now().Year() < 2000 {
		return DemoResult{}, fmt.Errorf("%w: jam server menunjukkan tahun %d", ErrInvalid, s.Now().Year())
	}
	demo, empty, err := s.IsDemo()
	if err != nil {
		return DemoResult{}, err
	}
	if !empty && !demo {
		return DemoResult{}, fmt.Errorf("demo: %w", ErrNotDemo)
	}
	if !empty {
		return DemoResult{}, fmt.Errorf("demo: data demo %w", ErrAlreadyExist)
	}

	g := newDemoGen(opt.Seed, s.Now())
	inst := Instansi{ID: demoInstansiID, Nama: "Pemerintah Provinsi Jawa Tengah", Jenis: "daerah", KanregID: "I"}
	if err := s.PutInstansi(inst); err != nil {
		return DemoResult{}, err
	}
	for _, u := range g.units {
		if err := s.PutUnit(Unit{ID: u.id, InstansiID: inst.ID, ParentID: u.parent, Nama: u.nama}); err != nil {
			return DemoResult{}, err
		}
	}

	// One argon2id hash for every demo account: hashing is deliberately slow (~20 ms and 19 MiB
	// each), so 100,000 separate hashes would take over half an hour. Sharing a salt is harmless
	// here because every demo account has the same, published password anyway.
	hash := HashPassword(opt.Password)

	people := g.skeletons(opt.PNS)
	for i, p := range people {
		p.unregistered = i%demoUnregisteredEvery == demoUnregisteredEvery-1
	}
	// Generation runs in its own goroutine one chunk ahead of the writer; it is sequential, so the
	// data stays a function of the seed.
	type chunk struct {
		in    []MasterInput
		users []User
	}
	chunks := make(chan chunk, 1)
	stop := make(chan struct{})
	go func() {
		defer close(chunks)
		for lo := 0; lo < len(people); lo += demoChunk {
			hi := min(lo+demoChunk, len(people))
			c := chunk{in: make([]MasterInput, 0, hi-lo), users: make([]User, 0, hi-lo)}
			for i := lo; i < hi; i++ {
				p := people[i]
				rec := g.detail(p)
				c.in = append(c.in, MasterInput{Record: rec, Line: i + 1})
				if p.unregistered {
					continue
				}
				c.users = append(c.users, User{Login: p.nip, Role: RolePNS, Name: p.fullName, Hash: hash,
					NIP: p.nip, RegNo: p.regNo, Status: StatusActive})
			}
			select {
			case chunks <- c:
			case <-stop:
				return
			}
		}
	}()
	done := 0
	for c := range chunks {
		_, _, bad, err := s.PutMaster(c.in, "demo", "demo")
		if err == nil && len(bad) > 0 {
			for line, errs := range bad {
				err = fmt.Errorf("demo: data PNS ke-%d tidak valid: %v", line, errs[0])
				break
			}
		}
		if err == nil {
			err = s.PutUsers(c.users)
		}
		if err != nil {
			close(stop)
			for range chunks { // let the generator finish
			}
			return DemoResult{}, err
		}
		done += len(c.in)
		if opt.Progress != nil {
			opt.Progress(done, len(people))
		}
	}

	res := DemoResult{Instansi: inst, Units: len(g.units), PNS: len(people)}
	var staff []User
	add := func(login string, role Role, name, scopeID, scope string) {
		staff = append(staff, User{Login: login, Role: role, Name: name, Hash: hash, ScopeID: scopeID, Status: StatusActive})
		res.Logins = append(res.Logins, DemoLogin{Role: role, RoleLabel: role.Label(), Username: login, Password: opt.Password, Scope: scope})
	}
	add("admin", RoleAdmin, "Administrator Demo", "", "Seluruh data (server ini)")
	add("verreg", RoleVerReg, "Verifikator Registrasi BKD", inst.ID, inst.Nama)
	for _, u := range g.units {
		if u.parent == "" {
			add("v1-"+u.short, RoleV1, "Verifikator SKPD "+u.nama, u.id, u.nama)
		}
	}
	add("v2", RoleV2, "Verifikator BKD Provinsi Jawa Tengah", inst.ID, inst.Nama)
	add("kanreg1", RoleV3, "Verifikator Kanreg I BKN Yogyakarta", "I", Kanregs.Label("I"))
	add("pusat", RoleV4, "Verifikator BKN Pusat", "", "BKN Pusat (instansi pusat)")
	first := g.units[0]
	add("operator", RoleOperator, "Operator "+first.nama, first.id, first.nama)
	if err := s.PutUsers(staff); err != nil {
		return DemoResult{}, err
	}
	for _, p := range people {
		if p.unregistered && len(res.Unregistered) < 3 {
			res.Unregistered = append(res.Unregistered, p.nip)
		}
	}
	for _, p := range g.samples(people) {
		res.SamplePNS = append(res.SamplePNS, DemoPNS{NIP: p.nip, RegNo: p.regNo, Nama: p.fullName,
			Unit: g.unitLabel(p.unit), Password: opt.Password, Wrong: slices.Clone(p.wrong)})
	}
	if err := s.MarkDemo(); err != nil {
		return DemoResult{}, err
	}
	res.Elapsed = time.Since(start)
	return res, nil
}

// ---------------------------------------------------------------------------------------------
// The organisation tree.

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

type demoUnit struct {
	id, parent, nama string
	short            string // SKPD only: the v1-<short> login
	kind             unitKind
	weight           int    // relative share of PNS (0: nobody is placed here directly)
	head             string // the structural head's title, "" when none
	eselon           string
	skpd             *demoUnit
	city             string // where the unit sits (schools, hospital)
}

func demoUnits() []*demoUnit {
	list := []*demoUnit{
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
	byID := map[string]*demoUnit{}
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

// unitPath names a unit as the organisation tree offers it in a riwayat jabatan row (see unitTree).
func (g *demoGen) unitPath(u *demoUnit) string {
	byID := map[string]*demoUnit{}
	for _, x := range g.units {
		byID[x.id] = x
	}
	name := u.nama
	for p, ok := byID[u.parent]; ok; p, ok = byID[p.parent] {
		name = p.nama + " › " + name
	}
	return name
}

func (g *demoGen) unitLabel(u *demoUnit) string {
	if u.skpd == u {
		return u.nama
	}
	return u.nama + ", " + u.skpd.nama
}

// ---------------------------------------------------------------------------------------------
// The generator.

type prof int

const (
	pStaff prof = iota
	pTeacher
	pNurse
	pMidwife
	pDoctor
	pEngineer
	pPlanner
	pAuditor
)

// Education levels a person may hold (entry level first, later ones after TMT CPNS).
const (
	eSLTA = iota
	eD3
	eD4
	eS1
	eProfesi // S-1 followed by profesi (doctor, ners)
	eS2
)

type demoPerson struct {
	// unregistered: in the master data without an account, so the demo can show registration
	// (every demoUnregisteredEvery-th PNS in NIP order).
	unregistered bool
	// skeleton: drawn first, in generation order, then sorted by NIP
	region     int
	sex        string
	unit       *demoUnit
	prof       prof
	dentist    bool
	edu        int // entry education
	eduYears   []int
	wantsHead  bool
	forceWrong bool
	birth      time.Time
	tmtCPNS    time.Time
	tmtPNS     time.Time
	nip        string
	// detail
	regNo    string
	fullName string
	wrong    []string
}

type demoGen struct {
	rng      *rand.Rand
	now      time.Time
	today    time.Time // the latest date any generated value may carry
	units    []*demoUnit
	placeAt  []*demoUnit // units PNS are placed in, with cumulative weights
	placeCum []int
	heads    map[string]bool // structural titles already given
	regNos   map[string]bool
	emails   map[string]bool
}

func newDemoGen(seed int64, now time.Time) *demoGen {
	g := &demoGen{
		rng:    rand.New(rand.NewPCG(uint64(seed), uint64(seed)^0x9e3779b97f4a7c15)),
		now:    now,
		units:  demoUnits(),
		heads:  map[string]bool{},
		regNos: map[string]bool{},
		emails: map[string]bool{},
	}
	y, m, d := now.Date()
	g.today = time.Date(y, m, d, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
	sum := 0
	for _, u := range g.units {
		if u.weight > 0 {
			sum += u.weight
			g.placeAt = append(g.placeAt, u)
			g.placeCum = append(g.placeCum, sum)
		}
	}
	return g
}

func (g *demoGen) intn(n int) int { return g.rng.IntN(n) }

// between returns a uniform int in [lo, hi].
func (g *demoGen) between(lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + g.rng.IntN(hi-lo+1)
}

func (g *demoGen) chance(pct int) bool { return g.rng.IntN(100) < pct }

func pick[T any](g *demoGen, xs []T) T { return xs[g.rng.IntN(len(xs))] }

// weighted picks index i with probability w[i]/sum(w).
func (g *demoGen) weighted(w ...int) int {
	sum := 0
	for _, x := range w {
		sum += x
	}
	r := g.rng.IntN(sum)
	for i, x := range w {
		if r < x {
			return i
		}
		r -= x
	}
	return len(w) - 1
}

func (g *demoGen) place() *demoUnit {
	r := g.rng.IntN(g.placeCum[len(g.placeCum)-1])
	i, _ := slices.BinarySearch(g.placeCum, r+1)
	return g.placeAt[i]
}

func ymd(t time.Time) string { return t.Format("2006-01-02") }

func monthIdx(t time.Time) int { return t.Year()*12 + int(t.Month()) - 1 }

func fromMonthIdx(i int) time.Time {
	return time.Date(i/12, time.Month(i%12+1), 1, 0, 0, 0, 0, time.UTC)
}

func (g *demoGen) clamp(t time.Time) time.Time {
	if t.After(g.today) {
		return g.today
	}
	return t
}

// skeletons draws who each PNS is (unit, profession, education, birth date, TMT CPNS/PNS, sex),
// gives NIPs and returns the people sorted by NIP, so that records are written in key order.
func (g *demoGen) skeletons(n int) []*demoPerson {
	people := make([]*demoPerson, 0, n)
	seq := map[string]int{}
	nowY := g.today.Year()
	latestCPNS := monthIdx(g.today) - 24 // TMT PNS (12–24 months later) must not be in the future
	minBirth := max(1962, nowY-57)       // nobody at or past retirement age (58)
	maxBirth := min(1998, nowY-23)
	if maxBirth < minBirth {
		minBirth = maxBirth - 30
	}
	for i := 0; i < n; i++ {
		p := &demoPerson{}
		p.region = g.weighted(regionWeights...)
		if i == 0 {
			// The first PNS drawn works in the first SKPD (the operator's and the first Level 1
			// verifier's) and has something to correct: the console's sample walk-through.
			p.unit = g.units[1+g.intn(4)]
			p.forceWrong = true
		} else {
			p.unit = g.place()
		}
		p.prof = g.profFor(p.unit)
		p.sex = g.sexFor(p.prof)
		p.dentist = p.prof == pDoctor && g.chance(10)
		p.edu = g.eduFor(p.prof)
		if p.prof == pStaff || p.prof == pPlanner || p.prof == pEngineer || p.prof == pAuditor {
			p.wantsHead = p.edu >= eS1 && p.unit.kind != ukSchool && p.unit.kind != ukHospital && g.chance(9)
		}
		// Birth date and graduation years, then TMT CPNS after the last entry degree.
		for try := 0; ; try++ {
			by := g.between(minBirth, maxBirth)
			if try > 20 {
				by = minBirth + g.intn(8)
			}
			birth := time.Date(by, time.Month(1+g.intn(12)), 1, 0, 0, 0, 0, time.UTC)
			birth = birth.AddDate(0, 0, g.intn(daysIn(birth)))
			years := g.gradYears(p.edu, by)
			last := years[len(years)-1]
			// TMT CPNS: the first of a month after turning 19 and after the last degree, before 35.
			lo := max((last+1)*12, monthIdx(birth)+19*12+1)
			hi := min(monthIdx(birth)+35*12, latestCPNS)
			if lo > hi {
				continue
			}
			m := lo + g.intn(hi-lo+1)
			p.eduYears = years
			p.birth = birth
			p.tmtCPNS = fromMonthIdx(m)
			p.tmtPNS = fromMonthIdx(m + 12 + g.weighted(60, 10, 10, 5, 5, 3, 2, 2, 1, 1, 1, 0, 0)) // mostly after exactly one year
			break
		}
		prefix := p.birth.Format("20060102") + p.tmtCPNS.Format("200601") + p.sex
		seq[prefix]++
		p.nip = fmt.Sprintf("%s%03d", prefix, seq[prefix])
		people = append(people, p)
	}
	slices.SortFunc(people, func(a, b *demoPerson) int { return strings.Compare(a.nip, b.nip) })
	return people
}

func daysIn(t time.Time) int { return time.Date(t.Year(), t.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day() }

func (g *demoGen) profFor(u *demoUnit) prof {
	switch u.kind {
	case ukSchool:
		return []prof{pTeacher, pStaff}[g.weighted(85, 15)]
	case ukHospital:
		return []prof{pDoctor, pNurse, pMidwife, pStaff}[g.weighted(18, 50, 10, 22)]
	case ukHealth:
		return []prof{pDoctor, pNurse, pStaff}[g.weighted(12, 18, 70)]
	case ukWorks:
		return []prof{pEngineer, pStaff}[g.weighted(45, 55)]
	case ukPlanning:
		return []prof{pPlanner, pStaff}[g.weighted(45, 55)]
	case ukAudit:
		return []prof{pAuditor, pStaff}[g.weighted(55, 45)]
	}
	return pStaff
}

var femalePct = map[prof]int{pStaff: 40, pTeacher: 62, pNurse: 75, pMidwife: 100, pDoctor: 55, pEngineer: 15, pPlanner: 45, pAuditor: 45}

func (g *demoGen) sexFor(p prof) string {
	if g.chance(femalePct[p]) {
		return "2"
	}
	return "1"
}

func (g *demoGen) eduFor(p prof) int {
	switch p {
	case pTeacher:
		return []int{eS1, eS2}[g.weighted(94, 6)]
	case pNurse:
		return []int{eD3, eProfesi}[g.weighted(65, 35)]
	case pMidwife:
		return []int{eD3, eD4}[g.weighted(80, 20)]
	case pDoctor:
		return eProfesi
	case pEngineer, pPlanner, pAuditor:
		return []int{eS1, eS2}[g.weighted(88, 12)]
	}
	return []int{eSLTA, eD3, eS1, eS2}[g.weighted(35, 15, 46, 4)]
}

// gradYears gives the graduation years SD, SLTP, SLTA and each higher entry degree.
func (g *demoGen) gradYears(edu, born int) []int {
	sd := born + 12 + g.weighted(70, 30)
	ys := []int{sd, sd + 3, sd + 6}
	last := sd + 6
	switch edu {
	case eD3:
		last += 3 + g.weighted(80, 20)
		ys = append(ys, last)
	case eD4:
		last += 4 + g.weighted(80, 20)
		ys = append(ys, last)
	case eS1:
		last += 4 + g.weighted(45, 35, 20)
		ys = append(ys, last)
	case eProfesi:
		last += 4 + g.weighted(60, 40)
		ys = append(ys, last)
		last += 1 + g.weighted(50, 50)
		ys = append(ys, last)
	case eS2:
		last += 4 + g.weighted(50, 50)
		ys = append(ys, last)
		last += 2 + g.weighted(60, 30, 10)
		ys = append(ys, last)
	}
	return ys
}

// ---------------------------------------------------------------------------------------------
// Names, places, addresses.

const (
	rJawa = iota
	rSunda
	rBatak
	rMinang
	rBugis
	rBali
	rTionghoa
)

var regionWeights = []int{78, 5, 4, 3, 2, 3, 5}

var (
	jawaMale = []string{"Agus", "Bambang", "Budi", "Joko", "Slamet", "Heru", "Eko", "Dwi", "Tri", "Wahyu", "Teguh",
		"Hadi", "Sugeng", "Dedi", "Edy", "Hari", "Rudi", "Bayu", "Dimas", "Aditya", "Rizky", "Fajar", "Arif", "Yoga",
		"Galih", "Anang", "Catur", "Didik", "Imam", "Muhammad", "Ahmad", "Nur", "Sigit", "Wawan", "Yudi", "Bagus",
		"Danang", "Gilang", "Hendro", "Iwan", "Kukuh", "Rahmat", "Setyo", "Totok", "Yusuf", "Andreas", "Wisnu"}
	jawaMaleLast = []string{"Santoso", "Prasetyo", "Wibowo", "Nugroho", "Susilo", "Hartono", "Purnomo", "Setiawan",
		"Kurniawan", "Saputra", "Hidayat", "Wijaya", "Sutrisno", "Widodo", "Suryanto", "Haryanto", "Supriyadi",
		"Raharjo", "Mulyono", "Sulistyo", "Pamungkas", "Utomo", "Wicaksono", "Nugraha", "Hermawan", "Prabowo",
		"Saputro", "Firmansyah", "Setyawan", "Triyono", "Sunaryo", "Darmawan", "Kuncoro", "Riyadi", "Purwanto"}
	jawaMaleOld = []string{"Sutrisno", "Suparman", "Sukardi", "Suwarno", "Sumarno", "Sugiyono", "Purwanto",
		"Mulyadi", "Sarwono", "Karyadi", "Suharto", "Sunardi", "Parjono", "Tukiman", "Wagiman"}
	jawaFemale = []string{"Sri", "Siti", "Dewi", "Endang", "Rina", "Tri", "Dwi", "Wulan", "Ratna", "Yuni", "Nur",
		"Ika", "Eka", "Anik", "Retno", "Sari", "Fitri", "Ayu", "Dian", "Diah", "Novi", "Putri", "Rini", "Tutik",
		"Umi", "Wiwik", "Yulia", "Nanik", "Erna", "Indah", "Kartika", "Maya", "Ratih", "Puji", "Lina", "Anisa"}
	jawaFemaleLast = []string{"Wahyuni", "Susilowati", "Lestari", "Kusumawati", "Handayani", "Rahayu",
		"Purwaningsih", "Setyaningsih", "Yuliani", "Astuti", "Suryani", "Wulandari", "Rahmawati", "Kurniasih",
		"Pratiwi", "Utami", "Maharani", "Hastuti", "Sulistyowati", "Widyastuti", "Ningsih", "Anggraini",
		"Puspitasari", "Nurhayati", "Mulyani", "Susanti", "Haryati", "Permatasari", "Aminah", "Fatimah"}
	jawaFemaleOld = []string{"Sumiyati", "Suharti", "Sukarsih", "Partini", "Sunarsih", "Tumini", "Ngatini",
		"Sriyati", "Suwarni", "Mujiyati", "Sumarni", "Painem"}
	baptisMale   = []string{"Yohanes", "Antonius", "Fransiskus", "Yosef", "Petrus", "Paulus", "Ignatius", "Stefanus", "Benediktus", "Agustinus"}
	baptisFemale = []string{"Maria", "Theresia", "Anastasia", "Bernadeta", "Agnes", "Veronika", "Yuliana", "Caecilia", "Fransiska", "Margaretha"}
	kristenMale  = []string{"Daniel", "Yosua", "Samuel", "Timotius", "Yakobus", "Markus", "Matius"}
	kristenFem   = []string{"Debora", "Ruth", "Ester", "Lidia", "Miryam", "Naomi", "Hana"}

	sundaMale      = []string{"Asep", "Ujang", "Dede", "Cecep", "Dadang", "Yayan", "Ade", "Iwan", "Deden", "Dodi", "Rahmat", "Usep", "Wawan", "Encep", "Nandang"}
	sundaMaleLast  = []string{"Sunarya", "Permana", "Hidayat", "Kusnadi", "Sudrajat", "Suryadi", "Saepudin", "Supriatna", "Gunawan", "Ruhiyat", "Sopandi", "Mulyana", "Setiadi", "Nugraha"}
	sundaFemale    = []string{"Euis", "Neneng", "Iis", "Imas", "Yeni", "Lilis", "Rina", "Tati", "Cucu", "Enok", "Nina", "Elis", "Wiwin", "Nining"}
	sundaFemLast   = []string{"Nurhasanah", "Rohaeti", "Komalasari", "Sumiati", "Herawati", "Rosmiati", "Nurlela", "Kurniasih", "Rosdiana", "Sulastri", "Juariah", "Maryani"}
	batakMale      = []string{"Togar", "Parulian", "Hotman", "Sahat", "Martua", "Binsar", "Robert", "Johnson", "Daniel", "Hendra", "Rudolf", "Benny", "Poltak", "Bonar", "Marihot", "Rinaldi"}
	batakFemale    = []string{"Tiurma", "Lamtiar", "Rotua", "Martha", "Rosmawati", "Friska", "Evi", "Debora", "Lusiana", "Roslina", "Sondang", "Hotmaida", "Rumiris"}
	batakMuslimM   = []string{"Ahmad", "Muhammad", "Syahrul", "Rizal", "Irwan", "Zulkarnain", "Hasan", "Ismail"}
	batakMuslimF   = []string{"Nurhayati", "Rahmah", "Fitriani", "Khairani", "Nurul", "Aisyah"}
	margaKristen   = []string{"Simanjuntak", "Sitompul", "Hutapea", "Pardede", "Sinaga", "Simatupang", "Tampubolon", "Panjaitan", "Situmorang", "Manurung", "Napitupulu", "Sihombing", "Hutagalung", "Silaban"}
	margaMuslim    = []string{"Nasution", "Harahap", "Lubis", "Siregar", "Daulay", "Hasibuan", "Rangkuti", "Pulungan"}
	minangMale     = []string{"Afrizal", "Zulkifli", "Yusrizal", "Hendri", "Syafrizal", "Irwan", "Fadli", "Defri", "Yulizar", "Erizal", "Alfian", "Masrizal", "Zulfahmi", "Ridwan"}
	minangMaleLast = []string{"", "", "Chaniago", "Tanjung", "Piliang", "Koto", "Sikumbang", "Syamsuddin", "Hamid", "Rasyid"}
	minangFemale   = []string{"Yeni", "Fitri", "Rahmi", "Nelfi", "Desi", "Elfi", "Yusnidar", "Mardiah", "Nofrita", "Rosnida", "Yulia", "Wirda"}
	minangFemLast  = []string{"", "Marlina", "Yanti", "Yenti", "Ratnasari", "Suryani", "Roza", "Elfina", "Hasanah", "Febrianti"}
	bugisMale      = []string{"Muhammad Arif", "Baharuddin", "Syamsul Alam", "Jusman", "Ahmad Rivai", "Muhammad Yusuf", "Syahrir", "Amiruddin", "Nasrullah", "Hasanuddin", "Irfan", "Abdul Rahman", "Arifin Nur", "Rusdi"}
	bugisFemale    = []string{"Nurhayati", "Hasnah", "Nurmala", "Sitti Rahmah", "Hasriani", "Nurhaedah", "Rosmini", "Hajrah", "Sumarni", "Nurfadillah", "Harlina", "Sitti Aisyah"}
	baliOrder      = []string{"Wayan", "Putu", "Gede", "Made", "Kadek", "Nyoman", "Komang", "Ketut"}
	baliOrderF     = []string{"Wayan", "Putu", "Luh", "Luh Putu", "Made", "Kadek", "Nyoman", "Komang", "Ketut"}
	baliMale       = []string{"Sudarsana", "Suartana", "Adnyana", "Wirawan", "Suardana", "Arsana", "Sukadana", "Mertha", "Budiarta", "Darmawan", "Suarjaya", "Widiana"}
	baliFemale     = []string{"Sri Artini", "Ayu Lestari", "Suarni", "Sukerti", "Widiastuti", "Kartini", "Ariani", "Sudiartini", "Murniasih", "Puspawati", "Rai Astuti"}
	chinaMale      = []string{"Hendra", "Yohanes", "Ferry", "Kevin", "Rudy", "Steven", "Handoko", "Edward", "William", "Sugianto", "Teddy", "Hartono", "Budi"}
	chinaFemale    = []string{"Lily", "Susanti", "Linda", "Wenny", "Melinda", "Yenny", "Lanny", "Meiliana", "Fenny", "Cynthia", "Jessica", "Vivian", "Natalia"}
	chinaLast      = []string{"Gunawan", "Halim", "Salim", "Sutanto", "Wijaya", "Tanoto", "Tanuwidjaja", "Kurniawan", "Setiadi", "Santoso", "Tjahjadi", "Susanto", "Hartanto", "Kusuma", "Liem", "Wibisono"}

	jatengTowns = []string{"Semarang", "Surakarta", "Magelang", "Salatiga", "Pekalongan", "Tegal", "Kudus", "Pati",
		"Jepara", "Demak", "Kendal", "Boyolali", "Klaten", "Sukoharjo", "Wonogiri", "Karanganyar", "Sragen",
		"Grobogan", "Blora", "Rembang", "Temanggung", "Wonosobo", "Purworejo", "Kebumen", "Purwokerto", "Cilacap",
		"Banjarnegara", "Purbalingga", "Batang", "Pemalang", "Brebes", "Ungaran", "Ambarawa"}
	regionTowns = [][]string{
		rSunda:    {"Bandung", "Garut", "Tasikmalaya", "Cirebon", "Sumedang", "Ciamis", "Kuningan"},
		rBatak:    {"Medan", "Tarutung", "Pematangsiantar", "Sibolga", "Balige", "Padangsidimpuan"},
		rMinang:   {"Padang", "Bukittinggi", "Payakumbuh", "Solok", "Padang Panjang"},
		rBugis:    {"Makassar", "Watampone", "Parepare", "Sengkang", "Sinjai"},
		rBali:     {"Denpasar", "Tabanan", "Gianyar", "Singaraja", "Klungkung"},
		rTionghoa: {"Semarang", "Surakarta", "Magelang", "Kudus", "Pekalongan", "Tegal", "Jakarta"},
	}
)

// agamaFor draws a religion plausible for the region.
func (g *demoGen) agamaFor(region int) string {
	switch region {
	case rJawa:
		return []string{"1", "2", "3"}[g.weighted(88, 6, 6)]
	case rSunda:
		return []string{"1", "2"}[g.weighted(97, 3)]
	case rBatak:
		return []string{"2", "3", "1"}[g.weighted(60, 15, 25)]
	case rMinang, rBugis:
		return "1"
	case rBali:
		return []string{"4", "1", "2"}[g.weighted(94, 3, 3)]
	case rTionghoa:
		return []string{"5", "2", "3", "6"}[g.weighted(35, 30, 25, 10)]
	}
	return "1"
}

func (g *demoGen) name(region int, sex, agama string, born int) string {
	f := sex == "2"
	switch region {
	case rSunda:
		if f {
			return pick(g, sundaFemale) + " " + pick(g, sundaFemLast)
		}
		return pick(g, sundaMale) + " " + pick(g, sundaMaleLast)
	case rBatak:
		marga := pick(g, margaKristen)
		given := pick(g, batakMale)
		if f {
			given = pick(g, batakFemale)
		}
		if agama == "1" {
			marga = pick(g, margaMuslim)
			given = pick(g, batakMuslimM)
			if f {
				given = pick(g, batakMuslimF)
			}
		}
		if f && g.chance(40) {
			return given + " br. " + marga
		}
		return given + " " + marga
	case rMinang:
		if f {
			return strings.TrimSpace(pick(g, minangFemale) + " " + pick(g, minangFemLast))
		}
		return strings.TrimSpace(pick(g, minangMale) + " " + pick(g, minangMaleLast))
	case rBugis:
		n := pick(g, bugisMale)
		if f {
			n = pick(g, bugisFemale)
		}
		if g.chance(25) {
			n = "Andi " + n
		}
		return n
	case rBali:
		if agama != "4" {
			break
		}
		if f {
			if g.chance(12) {
				return pick(g, []string{"Ida Ayu", "I Gusti Ayu", "Anak Agung Istri"}) + " " + pick(g, baliFemale)
			}
			return "Ni " + pick(g, baliOrderF) + " " + pick(g, baliFemale)
		}
		if g.chance(12) {
			return pick(g, []string{"Ida Bagus", "I Gusti Ngurah", "Anak Agung Gede"}) + " " + pick(g, baliMale)
		}
		return "I " + pick(g, baliOrder) + " " + pick(g, baliMale)
	case rTionghoa:
		if f {
			if g.chance(20) {
				return pick(g, chinaFemale)
			}
			return pick(g, chinaFemale) + " " + pick(g, chinaLast)
		}
		return pick(g, chinaMale) + " " + pick(g, chinaLast)
	}
	// Javanese (and the few Balinese who are not Hindu).
	var n string
	switch {
	case born < 1975 && g.chance(25):
		n = pick(g, jawaMaleOld)
		if f {
			n = pick(g, jawaFemaleOld)
		}
	case f:
		n = pick(g, jawaFemale) + " " + pick(g, jawaFemaleLast)
		if g.chance(15) {
			n = pick(g, jawaFemale) + " " + n
		}
	default:
		n = pick(g, jawaMale) + " " + pick(g, jawaMaleLast)
		if g.chance(15) {
			n = pick(g, jawaMale) + " " + n
		}
	}
	switch agama {
	case "3":
		if f {
			n = pick(g, baptisFemale) + " " + n
		} else {
			n = pick(g, baptisMale) + " " + n
		}
	case "2":
		if g.chance(50) {
			if f {
				n = pick(g, kristenFem) + " " + n
			} else {
				n = pick(g, kristenMale) + " " + n
			}
		}
	}
	// Two identical words ("Tri Tri Lestari") read like a typo: drop the repeat.
	w := strings.Fields(n)
	w = slices.Compact(w)
	return strings.Join(w, " ")
}

func (g *demoGen) birthplace(region int) string {
	if region == rJawa {
		switch g.weighted(86, 10, 4) {
		case 0:
			return pick(g, jatengTowns)
		case 1:
			return pick(g, []string{"Yogyakarta", "Sleman", "Bantul", "Kulon Progo", "Gunungkidul"})
		default:
			return pick(g, []string{"Jakarta", "Surabaya", "Madiun", "Ngawi"})
		}
	}
	if region != rTionghoa && g.chance(20) { // born where their parents worked
		return pick(g, jatengTowns)
	}
	return pick(g, regionTowns[region])
}

// An address area: the kabupaten (with its two-digit code within Jawa Tengah, 33), one kecamatan
// with its code and one kelurahan/desa with its postcode.
type demoArea struct {
	kab, kabCode, kec, kecCode, kel, pos string
	desa                                 bool
}

var demoAreas = []demoArea{
	{"Semarang", "22", "Ungaran Barat", "09", "Langensari", "50517", false},
	{"Semarang", "22", "Bergas", "11", "Karangjati", "50552", true},
	{"Semarang", "22", "Ambarawa", "07", "Lodoyong", "50614", false},
	{"Demak", "21", "Demak", "04", "Bintoro", "59511", false},
	{"Demak", "21", "Mranggen", "10", "Batursari", "59567", true},
	{"Demak", "21", "Sayung", "11", "Sayung", "59563", true},
	{"Kendal", "24", "Kendal", "11", "Langenharjo", "51314", false},
	{"Kendal", "24", "Kaliwungu", "13", "Krajan Kulon", "51372", false},
	{"Kendal", "24", "Weleri", "02", "Penyangkringan", "51355", true},
	{"Boyolali", "09", "Boyolali", "13", "Pulisen", "57316", false},
	{"Boyolali", "09", "Mojosongo", "14", "Mojosongo", "57322", true},
	{"Klaten", "10", "Klaten Tengah", "19", "Kabupaten", "57414", false},
	{"Klaten", "10", "Delanggu", "11", "Delanggu", "57471", true},
	{"Sukoharjo", "11", "Kartasura", "12", "Kartasura", "57169", false},
	{"Sukoharjo", "11", "Grogol", "09", "Madegondo", "57552", true},
	{"Sukoharjo", "11", "Sukoharjo", "04", "Jetis", "57511", false},
	{"Karanganyar", "13", "Colomadu", "17", "Gawanan", "57171", true},
	{"Karanganyar", "13", "Jaten", "06", "Jaten", "57731", true},
	{"Karanganyar", "13", "Karanganyar", "08", "Lalung", "57718", false},
	{"Sragen", "14", "Sragen", "08", "Sragen Wetan", "57214", false},
	{"Pati", "18", "Pati", "16", "Pati Kidul", "59114", false},
	{"Kudus", "19", "Kota Kudus", "03", "Kerjasan", "59315", false},
	{"Kudus", "19", "Jati", "02", "Getas Pejaten", "59343", true},
	{"Magelang", "08", "Mertoyudan", "18", "Banyurojo", "56172", true},
	{"Magelang", "08", "Mungkid", "19", "Sawitan", "56511", false},
	{"Banyumas", "02", "Sokaraja", "19", "Sokaraja Kulon", "53181", true},
	{"Tegal", "28", "Slawi", "09", "Procot", "52411", false},
	{"Purworejo", "06", "Purworejo", "08", "Pangenjurutengah", "54113", false},
	{"Wonogiri", "12", "Wonogiri", "07", "Giripurwo", "57612", false},
	{"Jepara", "20", "Jepara", "05", "Panggang", "59411", false},
	{"Grobogan", "15", "Purwodadi", "11", "Kuripan", "58112", false},
}

var streets = []string{"Jl. Pemuda", "Jl. Diponegoro", "Jl. Jenderal Sudirman", "Jl. Ahmad Yani", "Jl. Pandanaran",
	"Jl. Slamet Riyadi", "Jl. Merpati", "Jl. Kenanga", "Jl. Melati", "Jl. Cempaka", "Jl. Anggrek", "Jl. Mawar",
	"Jl. Kartini", "Jl. Gatot Subroto", "Jl. Veteran", "Jl. Pahlawan", "Jl. Flamboyan Raya", "Jl. Nusantara",
	"Jl. Dr. Sutomo", "Jl. Pattimura", "Jl. Sultan Agung", "Jl. Ki Hajar Dewantara", "Jl. Mangga", "Jl. Durian",
	"Jl. Wijaya Kusuma", "Jl. Teratai", "Perum Bukit Permai Blok C", "Perum Griya Asri Blok F", "Jl. Sawo"}

func (g *demoGen) area() demoArea {
	// Most live near Semarang or Surakarta, where the units are.
	if g.chance(55) {
		return demoAreas[g.intn(19)]
	}
	return pick(g, demoAreas)
}

func (g *demoGen) address(a demoArea) string {
	kel := "Kel. "
	if a.desa {
		kel = "Desa "
	}
	return fmt.Sprintf("%s No. %d, RT %03d/RW %03d, %s%s, Kec. %s, Kab. %s", pick(g, streets), 1+g.intn(120),
		1+g.intn(12), 1+g.intn(9), kel, a.kel, a.kec, a.kab)
}

func (g *demoGen) phone() string {
	pre := pick(g, []string{"0812", "0813", "0821", "0822", "0852", "0853", "0811", "0857", "0858", "0856", "0878", "0877", "0819", "0838", "0895", "0896", "0881"})
	n := 7 + g.intn(2)
	var b strings.Builder
	b.WriteString(pre)
	b.WriteByte(byte('1' + g.intn(9)))
	for i := 1; i < n; i++ {
		b.WriteByte(byte('0' + g.intn(10)))
	}
	return b.String()
}

func (g *demoGen) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + g.intn(10))
	}
	return string(b)
}

// npwp: two-digit type, six-digit serial, check digit, three-digit tax office (KPP in Jawa Tengah) and branch 000.
func (g *demoGen) npwp() string {
	return pick(g, []string{"07", "08", "09", "24", "25", "36", "44", "45", "46", "47", "49", "58", "66", "67", "68", "69", "71", "72", "73", "75", "77", "79", "81", "86"}) +
		g.digits(7) + pick(g, []string{"502", "503", "504", "505", "508", "511", "512", "513", "514", "517", "524", "526", "527", "528", "532"}) + "000"
}

func (g *demoGen) email(nama string) string {
	var parts []string
	for _, w := range strings.Fields(strings.ToLower(nama)) {
		w = strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' {
				return r
			}
			return -1
		}, w)
		if len(w) >= 3 && w != "andi" && w != "br" {
			parts = append(parts, w)
		}
	}
	if len(parts) == 0 {
		parts = []string{"pns"}
	}
	local := parts[0]
	if len(parts) > 1 && g.chance(70) {
		local += pick(g, []string{".", "", "_"}) + parts[len(parts)-1]
	}
	if g.chance(40) || g.emails[local] {
		local += strconv.Itoa(10 + g.intn(90))
	}
	domain := []string{"gmail.com", "yahoo.co.id", "yahoo.com", "jatengprov.go.id"}[g.weighted(62, 14, 9, 15)]
	e := local + "@" + domain
	for g.emails[e] {
		e = local + strconv.Itoa(g.intn(1000)) + "@" + domain
	}
	g.emails[e] = true
	return e
}

// misspell swaps two neighbouring letters of the longest word.
func (g *demoGen) misspell(n string) string {
	w := strings.Fields(n)
	li := 0
	for i := range w {
		if len(w[i]) > len(w[li]) {
			li = i
		}
	}
	b := []byte(w[li])
	for try := 0; try < 10 && len(b) >= 3; try++ {
		i := 1 + g.intn(len(b)-2)
		if b[i] != b[i+1] && b[i] != '.' && b[i+1] != '.' {
			b[i], b[i+1] = b[i+1], b[i]
			w[li] = string(b)
			return strings.Join(w, " ")
		}
	}
	return n + "h" // a name too short to swap: a stray letter instead
}

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

func (g *demoGen) univ(region int, list []string) string {
	if r := univRegion; region < len(r) && r[region] != nil && g.chance(40) {
		return pick(g, r[region])
	}
	return pick(g, list)
}

func (g *demoGen) ijazahNo(tingkat, school string, year int) string {
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
	golRows      []Row
	jabRows      []Row
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
	for i, c := range Golongan {
		if c.Code == gol && i+1 < len(Golongan) {
			return Golongan[i+1].Code
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
func (g *demoGen) skNo(kode string, t time.Time) string {
	return fmt.Sprintf("%s/%04d/%d", kode, 1+g.intn(9999), t.Year())
}

func (g *demoGen) dateBefore(t time.Time, minDays, maxDays int) time.Time {
	return g.clamp(t.AddDate(0, 0, -g.between(minDays, maxDays)))
}

// detail draws everything else about a person and returns the master record (wrong fields applied).
// It must be called once per person, in NIP order, for the data to be a function of the seed.
func (g *demoGen) detail(p *demoPerson) Record {
	born := p.birth.Year()
	agama := g.agamaFor(p.region)
	nama := g.name(p.region, p.sex, agama, born)
	birthplace := g.birthplace(p.region)
	c := g.career(p, birthplace, agama)

	f := map[string]string{
		"nama":            nama,
		"tempat_lahir":    birthplace,
		"tanggal_lahir":   ymd(p.birth),
		"jenis_kelamin":   p.sex,
		"agama":           agama,
		"tmt_cpns":        ymd(p.tmtCPNS),
		"tmt_pns":         ymd(p.tmtPNS),
		"kedudukan_hukum": "01",
		"jenis_pegawai":   "10",
	}
	if len(c.gelarDepan) > 0 {
		f["gelar_depan"] = strings.Join(c.gelarDepan, " ")
	}
	if len(c.gelarBlk) > 0 {
		f["gelar_belakang"] = strings.Join(c.gelarBlk, ", ")
	}
	age := g.today.Year() - born
	switch {
	case age < 26:
		f["status_kawin"] = []string{"4", "1"}[g.weighted(65, 35)]
	case age < 31:
		f["status_kawin"] = []string{"4", "1", "2"}[g.weighted(35, 63, 2)]
	default:
		f["status_kawin"] = []string{"4", "1", "2", "3"}[g.weighted(7, 84, 5, 4)]
	}
	a := g.area()
	f["alamat"] = g.address(a)
	f["kode_pos"] = a.pos
	f["nik"] = "33" + a.kabCode + a.kecCode + NIKFor(ymd(p.birth), p.sex) + fmt.Sprintf("%04d", 1+g.intn(2999))
	f["npwp"] = g.npwp()
	f["no_hp"] = g.phone()
	f["email"] = g.email(nama)
	if years := g.today.Year() - p.tmtCPNS.Year(); years >= 3 && g.chance(80) {
		series := "N"
		switch y := p.tmtPNS.Year(); {
		case y < 1995:
			series = "E"
		case y < 2002:
			series = "G"
		case y < 2010:
			series = "L"
		case y < 2016:
			series = "N"
		default:
			series = "P"
		}
		f["no_karpeg"] = fmt.Sprintf("%s %06d", series, g.intn(1_000_000))
	}
	p.regNo = NewRegNo(g.rng)
	for g.regNos[p.regNo] {
		p.regNo = NewRegNo(g.rng)
	}
	g.regNos[p.regNo] = true

	rec := Record{
		NIP:        p.nip,
		InstansiID: demoInstansiID,
		UnitID:     p.unit.id,
		Fields:     f,
		Riwayat:    map[string][]Row{},
	}
	for i, e := range c.edu {
		r := Row{ID: "p" + strconv.Itoa(i+1), Fields: map[string]string{
			"tingkat": e.tingkat, "nama_sekolah": e.school, "tahun_lulus": strconv.Itoa(e.year),
			"nomor_ijazah": g.ijazahNo(e.tingkat, e.school, e.year)}}
		if e.jurusan != "" {
			r.Fields["jurusan"] = e.jurusan
		}
		rec.Riwayat["pendidikan"] = append(rec.Riwayat["pendidikan"], r)
	}
	rec.Riwayat["golongan"] = c.golRows
	rec.Riwayat["jabatan"] = c.jabRows
	g.family(p, f, rec.Riwayat, a, agama)
	g.extras(p, f, rec.Riwayat)

	// Deliberate mistakes in about a third of the master data (never in the NIP itself).
	n := 0
	if p.forceWrong || g.chance(33) {
		n = 1 + g.weighted(55, 30, 15)
	}
	p.wrong = nil
	for tries := 0; len(p.wrong) < n && tries < 20; tries++ {
		g.spoil(p, f)
	}
	p.fullName = rec.Name() // as the master has it: the account shows what the office holds
	return rec
}

var spoilKinds = []string{"npwp", "email", "no_hp", "kode_pos", "nama", "tempat_lahir", "agama", "alamat",
	"tmt_pns", "tanggal_lahir", "nik", "status_kawin", "gelar_belakang"}
var spoilWeights = []int{20, 14, 9, 7, 8, 8, 5, 12, 6, 5, 6, 6, 5}

// spoil makes one master field wrong or empty (each value still valid on its own) and notes it.
func (g *demoGen) spoil(p *demoPerson, f map[string]string) {
	k := spoilKinds[g.weighted(spoilWeights...)]
	if slices.Contains(p.wrong, k) {
		return
	}
	// A wrong NIK and a wrong birth date together could agree with each other by chance.
	if (k == "nik" && slices.Contains(p.wrong, "tanggal_lahir")) || (k == "tanggal_lahir" && slices.Contains(p.wrong, "nik")) {
		return
	}
	switch k {
	case "npwp", "email", "no_hp", "kode_pos":
		delete(f, k)
	case "nama":
		f[k] = g.misspell(f[k])
	case "tempat_lahir":
		old := f[k]
		for f[k] == old {
			f[k] = pick(g, jatengTowns)
		}
	case "agama":
		old := f[k]
		for f[k] == old {
			f[k] = []string{"1", "2", "3", "4", "5"}[g.intn(5)]
		}
	case "alamat":
		a := pick(g, demoAreas)
		f[k] = g.address(a) // an old address: moved since
	case "status_kawin":
		f[k] = map[string]string{"1": "4", "2": "1", "3": "1", "4": "1"}[f[k]]
	case "gelar_belakang":
		if f[k] == "" {
			return
		}
		delete(f, k)
	case "tmt_pns":
		t := p.tmtPNS.AddDate(1, 0, 0)
		if t.After(g.today) {
			t = p.tmtPNS.AddDate(0, -6, 0)
			if !t.After(p.tmtCPNS) {
				return
			}
		}
		f[k] = ymd(t)
	case "tanggal_lahir":
		// Off by a day against the NIP (a typo at the original entry): the NIK still matches the
		// true date, so correcting tanggal_lahir makes everything agree.
		d := 1
		if g.chance(50) {
			d = -1
		}
		f[k] = ymd(p.birth.AddDate(0, 0, d))
	case "nik":
		// The birth-date part disagrees: a woman's NIK without the +40, or the day mistyped.
		nik := []byte(f[k])
		day := int(nik[6]-'0')*10 + int(nik[7]-'0')
		if day > 40 {
			day -= 40
		} else if day < 28 {
			day++
		} else {
			day--
		}
		copy(nik[6:8], fmt.Sprintf("%02d", day))
		f[k] = string(nik)
	}
	p.wrong = append(p.wrong, k)
}

// career draws education, titles, golongan and jabatan history.
func (g *demoGen) career(p *demoPerson, birthplace, agama string) career {
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
func (g *demoGen) golongan(p *demoPerson, c *career) {
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
		r := Row{ID: "g" + strconv.Itoa(len(c.golRows)+1), Fields: map[string]string{
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
func (g *demoGen) jabatan(p *demoPerson, c *career) {
	type jab struct {
		jenis, name, eselon string
		t                   time.Time
		unit                *demoUnit
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
			var same []*demoUnit
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
		r := Row{ID: "j" + strconv.Itoa(i+1), Fields: map[string]string{
			"jenis_jabatan": j.jenis, "unit_organisasi": g.unitPath(unit), "nama_jabatan": j.name,
			"tmt_jabatan": ymd(j.t), "nomor_sk": g.skNo("821.2", j.t), "tanggal_sk": ymd(sk)}}
		if j.eselon != "" {
			r.Fields["eselon"] = j.eselon
			r.Fields["tmt_pelantikan"] = ymd(g.clamp(j.t.AddDate(0, 0, g.intn(14))))
		}
		c.jabRows = append(c.jabRows, r)
	}
}

// samples picks about five PNS worth logging in as: the first of the first SKPD with something to
// correct (so the first Level 1 verifier and the operator can act on them), then a teacher, a
// nurse or doctor, and someone whose birth date or NIK disagrees with the NIP, all with mistakes.
func (g *demoGen) samples(people []*demoPerson) []*demoPerson {
	var out []*demoPerson
	has := func(p *demoPerson) bool { return slices.Contains(out, p) }
	// The more there is to correct, and the more of it needs BKN's verification, the better the
	// walk-through: take the best-scoring PNS of each kind (the first among equals).
	score := func(p *demoPerson) int {
		n := 0
		for _, k := range p.wrong {
			switch k {
			case "nama", "tanggal_lahir", "nik":
				n += 3
			case "gelar_belakang", "tempat_lahir", "tmt_pns", "agama":
				n += 2
			default:
				n++
			}
		}
		return n
	}
	find := func(ok func(p *demoPerson) bool) {
		var best *demoPerson
		for _, p := range people {
			if len(p.wrong) > 0 && !has(p) && !p.unregistered && ok(p) && (best == nil || score(p) > score(best)) {
				best = p
			}
		}
		if best != nil {
			out = append(out, best)
		}
	}
	first := g.units[0]
	find(func(p *demoPerson) bool { return p.unit.skpd == first })
	find(func(p *demoPerson) bool { return p.prof == pTeacher })
	find(func(p *demoPerson) bool { return p.prof == pNurse || p.prof == pDoctor || p.prof == pMidwife })
	find(func(p *demoPerson) bool {
		return slices.Contains(p.wrong, "tanggal_lahir") || slices.Contains(p.wrong, "nik")
	})
	find(func(p *demoPerson) bool { return len(p.wrong) >= 2 })
	for _, p := range people {
		if len(out) >= 5 {
			break
		}
		if !has(p) && !p.unregistered {
			out = append(out, p)
		}
	}
	return out
}

// demoPeople regenerates the people GenerateDemo makes for opt on a store whose clock says now,
// with their records (tests).
func demoPeople(opt DemoOptions, now time.Time) ([]*demoPerson, []Record) {
	if opt.Seed == 0 {
		opt.Seed = 1
	}
	g := newDemoGen(opt.Seed, now)
	people := g.skeletons(opt.PNS)
	for i, p := range people {
		p.unregistered = i%demoUnregisteredEvery == demoUnregisteredEvery-1
	}
	recs := make([]Record, len(people))
	for i, p := range people {
		recs[i] = g.detail(p)
	}
	return people, recs
}

// family adds the spouse (for the married, widowed and divorced) and 0–3 children, consistent
// with the PNS: a spouse of the other sex with a NIK that agrees with their birth date, children
// born after the marriage, the family allowance only where the rules allow it.
func (g *demoGen) family(p *demoPerson, f map[string]string, riw map[string][]Row, a demoArea, agama string) {
	kawin := f["status_kawin"]
	if kawin == "4" {
		return
	}
	sex := "2"
	if p.sex == "2" {
		sex = "1"
	}
	born := p.birth.AddDate(g.between(-3, 6)*map[bool]int{true: -1, false: 1}[sex == "1"], g.intn(12), g.intn(28))
	married := g.clamp(p.birth.AddDate(g.between(23, 31), g.intn(12), g.intn(28)))
	if married.Before(born.AddDate(19, 0, 0)) {
		married = born.AddDate(19, g.intn(12), 0)
	}
	if married.After(g.today) {
		married = g.today.AddDate(0, -g.between(1, 24), 0)
	}
	status := map[string]string{"1": "1", "2": "2", "3": "3"}[kawin]
	spouseName := g.name(p.region, sex, agama, born.Year())
	riw["pasangan"] = []Row{{ID: "p1", Fields: map[string]string{
		"nama": spouseName, "nik": "33" + a.kabCode + a.kecCode + NIKFor(ymd(born), sex) + fmt.Sprintf("%04d", 1+g.intn(2999)),
		"tempat_lahir": g.birthplace(p.region), "tanggal_lahir": ymd(born), "tanggal_menikah": ymd(married),
		"nomor_akta": fmt.Sprintf("%d/%02d/%s/%d", 1+g.intn(900), 1+g.intn(12), pick(g, []string{"KUA", "DKCS"}), married.Year()),
		"status":     status, "pekerjaan": pick(g, []string{"Ibu rumah tangga", "Wiraswasta", "Karyawan swasta", "Guru honorer", "Pedagang", "PNS"}),
		"no_karis": fmt.Sprintf("%s %06d", map[string]string{"1": "KS", "2": "KI"}[sex], g.intn(1_000_000)),
	}}}
	for i := range g.weighted(25, 30, 30, 15) {
		cb := married.AddDate(1+2*i+g.intn(2), g.intn(12), g.intn(28))
		if cb.After(g.today) {
			break
		}
		csex := []string{"1", "2"}[g.intn(2)]
		age := g.today.Year() - cb.Year()
		sekolah := "2"
		if age >= 6 && age < 23 || (age < 25 && g.chance(40)) {
			sekolah = "1"
		}
		tunjangan := "2"
		if i < 2 && (age < 21 || (age < 25 && sekolah == "1")) {
			tunjangan = "1"
		}
		row := Row{ID: "a" + strconv.Itoa(i+1), Fields: map[string]string{
			"nama": g.name(p.region, csex, agama, cb.Year()), "jenis_kelamin": csex, "tanggal_lahir": ymd(cb),
			"jenis_anak": "1", "status_hidup": "1", "orang_tua": spouseName, "sekolah": sekolah, "tunjangan": tunjangan}}
		if age >= 17 {
			row.Fields["nik"] = "33" + a.kabCode + a.kecCode + NIKFor(ymd(cb), csex) + fmt.Sprintf("%04d", 1+g.intn(2999))
		}
		riw["anak"] = append(riw["anak"], row)
	}
}

// extras adds the diklat, the teacher's or doctor's data and the social data.
func (g *demoGen) extras(p *demoPerson, f map[string]string, riw map[string][]Row) {
	for _, j := range riw["jabatan"] {
		if j.Fields["jenis_jabatan"] == "1" && j.Fields["eselon"] != "" && j.Fields["eselon"] != "99" {
			year := j.Fields["tmt_jabatan"][:4]
			jenis := map[string]string{"21": "2", "22": "2", "31": "3", "32": "3"}[j.Fields["eselon"]]
			if jenis == "" {
				jenis = "4"
			}
			riw["diklat_struktural"] = append(riw["diklat_struktural"], Row{ID: "d" + strconv.Itoa(len(riw["diklat_struktural"])+1), Fields: map[string]string{
				"jenis_diklat": jenis, "nomor": fmt.Sprintf("%05d/DIKLATPIM/%s", 1+g.intn(99999), year), "tahun": year}})
		}
	}
	for i := range g.intn(4) {
		y := p.tmtCPNS.Year() + 1 + g.intn(max(1, g.today.Year()-p.tmtCPNS.Year()))
		if y > g.today.Year() {
			y = g.today.Year()
		}
		riw["diklat_fungsional"] = append(riw["diklat_fungsional"], Row{ID: "d" + strconv.Itoa(i+1), Fields: map[string]string{
			"nama_diklat":   pick(g, []string{"Pelatihan Pengelolaan Keuangan Daerah", "Diklat Teknis Pengadaan Barang/Jasa", "Bimtek Kearsipan", "Pelatihan Pelayanan Prima", "Diklat Penyusunan Angka Kredit"}),
			"penyelenggara": pick(g, []string{"BPSDMD Provinsi Jawa Tengah", "LAN RI", "Kementerian Dalam Negeri", "BKN"}),
			"tahun":         strconv.Itoa(y), "jumlah_jam": strconv.Itoa(24 + 8*g.intn(10))}})
	}
	if jabs := riw["jabatan"]; len(jabs) > 0 {
		last := jabs[len(jabs)-1].Fields["nama_jabatan"]
		switch {
		case JabatanIs(last, "guru"):
			f["nuptk"] = g.digits(16)
			if g.chance(70) {
				f["nrg"] = g.digits(12)
			}
			f["mata_pelajaran"] = pick(g, []string{"Matematika", "Bahasa Indonesia", "Bahasa Inggris", "Fisika", "Biologi", "Sejarah", "Pendidikan Jasmani", "Ekonomi"})
			f["jenjang_sekolah"] = pick(g, []string{"3", "4"})
			f["nama_sekolah"] = fmt.Sprintf("%s %d %s", map[string]string{"3": "SMA Negeri", "4": "SMK Negeri"}[f["jenjang_sekolah"]], 1+g.intn(12), pick(g, []string{"Semarang", "Kendal", "Demak", "Ungaran", "Boyolali"}))
		case JabatanIs(last, "dokter"):
			f["no_str"] = g.digits(14)
			f["str_berlaku"] = ymd(g.today.AddDate(g.between(0, 4), g.intn(12), 0))
			f["no_sip"] = fmt.Sprintf("503/%04d/SIP/%d", 1+g.intn(9999), g.today.Year()-g.intn(3))
			if p.dentist {
				f["spesialisasi"] = "Kedokteran Gigi"
			} else {
				f["spesialisasi"] = pick(g, []string{"Umum", "Umum", "Penyakit Dalam", "Anak", "Obstetri dan Ginekologi"})
			}
			f["faskes"] = pick(g, []string{"RSUD Tugurejo", "RSJD dr. Amino Gondohutomo", "RSUD dr. Moewardi", "RSUD Kelet"})
		}
	}
	f["taperum"] = []string{"1", "2"}[g.weighted(30, 70)]
	f["kepemilikan_rumah"] = []string{"1", "2", "3", "4"}[g.weighted(60, 20, 5, 15)]
	if g.chance(85) {
		f["no_bpjs"] = "000" + g.digits(10)
	}
	if g.chance(40) {
		f["no_kpe"] = "KPE-" + g.digits(10)
	}
	if g.chance(75) {
		f["no_taspen"] = g.digits(9)
	}
	f["instansi_kerja"] = "Pemerintah Provinsi Jawa Tengah"
	f["lokasi_kerja"] = pick(g, []string{"Kota Semarang", "Kabupaten Semarang", "Kabupaten Kendal", "Kabupaten Demak", "Kabupaten Boyolali"})
}
