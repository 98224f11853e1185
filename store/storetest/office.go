package storetest

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"pupns/store"
)

// Password is every seeded account's password.
const Password = "rahasia123"

// The PNS of the office. Their NIP, NIK, birth date, sex and TMT CPNS agree with each other, so
// the cross-checks of the form stay quiet and Kirim is refused only for what a test leaves out.
const (
	NIPBudi   = "198609262015051001" // born 1986-09-26, TMT CPNS 2015-05, male, in U01.01 (under SKPD U01)
	RegNoBudi = "BUDI2345XY"
	NIPSri    = "199001152014032002" // born 1990-01-15, TMT CPNS 2014-03, female, in U01
	NIPMade   = "198512302010011003" // born 1985-12-30, TMT CPNS 2010-01, male, in U02 (another SKPD)
	// Agus is in the master data without an account: the one who registers.
	NIPAgus = "198803102010011002" // born 1988-03-10, TMT CPNS 2010-01, male, in U01
	NIKAgus = "3374011003880003"
	// Dewi registered and waits for activation in P33 (SeedRegistrations).
	NIPDewi   = "199105052015032001" // born 1991-05-05, TMT CPNS 2015-03, female, in U02
	RegNoDewi = "TUNGGU2345"
	// Wati works for the ministry K01, whose lines needing BKN go to BKN Pusat, not to a Kanreg.
	NIPWati = "198811222012122001" // born 1988-11-22, TMT CPNS 2012-12, female, in K01.U01
)

// The staff. Level 1 verifiers and operators sit at an SKPD (U01: Budi's and Sri's; U02: Made's),
// Level 2 and registration verifiers at an instansi, Level 3 at Kanreg I, Level 4 at BKN Pusat.
const (
	LoginV1        = "v1-didik"   // Level 1 of SKPD U01
	LoginV1Dinkes  = "v1-dinkes"  // Level 1 of SKPD U02
	LoginV2        = "v2"         // Level 2 of P33
	LoginV2b       = "v2-bkd-2"   // a colleague of LoginV2 at the same BKD
	LoginV3        = "v3"         // Kanreg I, P33's Kanreg
	LoginKanreg1   = "kanreg1"    // a second Level 3 of Kanreg I
	LoginV4        = "pusat"      // BKN Pusat
	LoginAdmin     = "admin"      // the administrator
	LoginOpDidik   = "op-didik"   // operator of SKPD U01
	LoginOpDinkes  = "op-dinkes"  // operator of SKPD U02
	LoginVerReg    = "verreg"     // activates registrations of P33
	LoginVerRegDIY = "verreg-diy" // activates registrations of P34, another instansi
	LoginSpare     = "cadangan"   // a spare Level 1 account (U02) the admin tests may disable
	LoginV1Pusat   = "v1-setjen"  // Level 1 of the ministry's unit K01.U01
	LoginV2Pusat   = "v2-biro"    // Level 2 of the ministry K01
)

// Master is one PNS's master record with consistent identity fields and a first history row each
// for golongan and pendidikan, in instansi P33.
func Master(nip, unit, nama, born, sex, nik, tmtCPNS, tmtPNS string) store.MasterInput {
	return store.MasterInput{Record: store.Record{NIP: nip, InstansiID: "P33", UnitID: unit, Fields: map[string]string{
		"nama": nama, "tempat_lahir": "Semarang", "tanggal_lahir": born, "jenis_kelamin": sex, "agama": "1",
		"status_kawin": "1", "nik": nik, "alamat": "Jl. Pandanaran No. 10, Semarang", "kode_pos": "50241",
		"no_hp": "081234567890", "email": strings.ToLower(strings.Fields(nama)[0]) + "@contoh.go.id",
		"tmt_cpns": tmtCPNS, "tmt_pns": tmtPNS, "kedudukan_hukum": "01", "jenis_pegawai": "10",
	}, Riwayat: map[string][]store.Row{
		"golongan":   {{ID: "g1", Fields: map[string]string{"golongan": "31", "tmt_golongan": tmtCPNS, "jenis_kp": "211"}}},
		"pendidikan": {{ID: "p1", Fields: map[string]string{"tingkat": "40", "jurusan": "Teknik Informatika", "tahun_lulus": "2008"}}},
	}}}
}

// SeedOrg puts the organisation: the province P33 under Kanreg I with SKPD U01 (Dinas
// Pendidikan, with the nested unit U01.01) and SKPD U02 (Dinas Kesehatan); the province P34 (no
// units, for out-of-scope registration verifiers); and the ministry K01 with its unit K01.U01.
func SeedOrg(st *store.Store) error {
	for _, in := range []store.Instansi{
		{ID: "P33", Name: "Pemerintah Provinsi Jawa Tengah", Jenis: "daerah", KanregID: "I"},
		{ID: "P34", Name: "Pemerintah Daerah DIY", Jenis: "daerah", KanregID: "I"},
		{ID: "K01", Name: "Kementerian Contoh", Jenis: "pusat"},
	} {
		if err := st.PutInstansi(in); err != nil {
			return err
		}
	}
	for _, u := range []store.Unit{
		{ID: "U01", InstansiID: "P33", Name: "Dinas Pendidikan"},
		{ID: "U01.01", InstansiID: "P33", ParentID: "U01", Name: "Bidang Pembinaan SMA"},
		{ID: "U02", InstansiID: "P33", Name: "Dinas Kesehatan"},
		{ID: "K01.U01", InstansiID: "K01", Name: "Sekretariat Jenderal"},
	} {
		if err := st.PutUnit(u); err != nil {
			return err
		}
	}
	return nil
}

// putMaster loads master records and turns a refused record into an error.
func putMaster(st *store.Store, in ...store.MasterInput) error {
	_, _, bad, err := st.PutMaster(in, "test", "fixture")
	if err != nil {
		return err
	}
	if len(bad) > 0 {
		return fmt.Errorf("fixture master data refused: %v", bad)
	}
	return nil
}

// Seed builds the office in st: the organisation (SeedOrg), the master records and accounts of
// Budi, Sri and Made, and the staff. Every account's password is Password. Agus (SeedApplicant),
// Dewi (SeedPending) and Wati (SeedMinistry) come only when a test asks, because counts of the
// PNS appear on pages.
func Seed(st *store.Store) error {
	if err := SeedOrg(st); err != nil {
		return err
	}
	if err := putMaster(st,
		Master(NIPBudi, "U01.01", "Budi Santoso", "1986-09-26", "1", "3374012609860001", "2015-05-01", "2016-06-01"),
		Master(NIPSri, "U01", "Sri Wahyuni", "1990-01-15", "2", "3374015501900002", "2014-03-01", "2015-04-01"),
		Master(NIPMade, "U02", "Made Wirawan", "1985-12-30", "1", "3374013012850003", "2010-01-01", "2011-02-01"),
	); err != nil {
		return err
	}
	hash := store.HashPassword(Password) // one hash for all: argon2id is slow on purpose
	return st.PutUsers([]store.User{
		{Login: NIPBudi, Role: store.RolePNS, Name: "Budi Santoso", NIP: NIPBudi, RegNo: RegNoBudi, Hash: hash},
		{Login: NIPSri, Role: store.RolePNS, Name: "Sri Wahyuni", NIP: NIPSri, Hash: hash},
		{Login: NIPMade, Role: store.RolePNS, Name: "Made Wirawan", NIP: NIPMade, Hash: hash},
		{Login: LoginV1, Role: store.RoleV1, Name: "Verifikator Disdik", ScopeID: "U01", Hash: hash},
		{Login: LoginV1Dinkes, Role: store.RoleV1, Name: "Verifikator Dinkes", ScopeID: "U02", Hash: hash},
		{Login: LoginV2, Role: store.RoleV2, Name: "Verifikator BKD", ScopeID: "P33", Hash: hash},
		{Login: LoginV2b, Role: store.RoleV2, Name: "Verifikator BKD 2", ScopeID: "P33", Hash: hash},
		{Login: LoginV3, Role: store.RoleV3, Name: "Verifikator Kanreg I", ScopeID: "I", Hash: hash},
		{Login: LoginKanreg1, Role: store.RoleV3, Name: "Verifikator Kanreg I", ScopeID: "I", Hash: hash},
		{Login: LoginV4, Role: store.RoleV4, Name: "Verifikator BKN Pusat", Hash: hash},
		{Login: LoginAdmin, Role: store.RoleAdmin, Name: "Admin", Hash: hash},
		{Login: LoginOpDidik, Role: store.RoleOperator, Name: "Operator Disdik", ScopeID: "U01", Hash: hash},
		{Login: LoginOpDinkes, Role: store.RoleOperator, Name: "Operator Dinkes", ScopeID: "U02", Hash: hash},
		{Login: LoginVerReg, Role: store.RoleVerReg, Name: "Verifikator Registrasi BKD", ScopeID: "P33", Hash: hash},
		{Login: LoginVerRegDIY, Role: store.RoleVerReg, Name: "Verifikator Registrasi DIY", ScopeID: "P34", Hash: hash},
		{Login: LoginSpare, Role: store.RoleV1, Name: "Akun Cadangan", ScopeID: "U02", Hash: hash},
		{Login: LoginV1Pusat, Role: store.RoleV1, Name: "Verifikator Setjen", ScopeID: "K01.U01", Hash: hash},
		{Login: LoginV2Pusat, Role: store.RoleV2, Name: "Verifikator Biro Kepegawaian", ScopeID: "K01", Hash: hash},
	})
}

// SeedApplicant adds Agus's master record: a PNS of U01 without an account, the one who registers.
func SeedApplicant(st *store.Store) error {
	return putMaster(st, Master(NIPAgus, "U01", "Agus Salim", "1988-03-10", "1", NIKAgus, "2010-01-01", "2011-02-01"))
}

// SeedPending adds Dewi, who registered and waits for activation in P33, with her master record.
func SeedPending(st *store.Store) error {
	if err := putMaster(st, Master(NIPDewi, "U02", "Dewi Lestari", "1991-05-05", "2", "3374014505910004", "2015-03-01", "2016-04-01")); err != nil {
		return err
	}
	return st.PutUsers([]store.User{{Login: NIPDewi, Role: store.RolePNS, Name: "Dewi Lestari", NIP: NIPDewi, RegNo: RegNoDewi,
		InstansiID: "P33", Status: store.StatusPending, Hash: store.HashPassword(Password)}})
}

// SeedMinistry adds Wati of the ministry K01, with her master record and account: her
// submissions go from K01's Level 2 to BKN Pusat.
func SeedMinistry(st *store.Store) error {
	wati := Master(NIPWati, "K01.U01", "Wati Lestari", "1988-11-22", "2", "3374016211880004", "2012-12-01", "2013-12-01")
	wati.Record.InstansiID = "K01"
	wati.Record.Fields["jenis_pegawai"] = "1"
	if err := putMaster(st, wati); err != nil {
		return err
	}
	return st.PutUsers([]store.User{{Login: NIPWati, Role: store.RolePNS, Name: "Wati Lestari", NIP: NIPWati, Hash: store.HashPassword(Password)}})
}

// Office is a seeded office on a temporary folder: the store, its clock and the folder (to
// reopen it, as a restart does).
type Office struct {
	tb    testing.TB
	Store *store.Store
	Clock *Clock // nil when the store reads the wall clock
	Dir   string
	extra []func(*store.Store) error
}

// Option changes how NewOffice opens the office.
type Option func(*Office)

// With adds people to the office after Seed: SeedApplicant, SeedPending, SeedMinistry.
func With(seeds ...func(*store.Store) error) Option {
	return func(o *Office) { o.extra = append(o.extra, seeds...) }
}

// WallClock makes the store read the real time instead of a Clock: for browser tests, whose
// cookies expire by the browser's own clock.
func WallClock() Option { return func(o *Office) { o.Clock = nil } }

// NewOffice opens a store on a fresh temporary folder, seeds it (Seed) and closes it when the
// test ends. Its clock starts at Start and does not advance by itself.
func NewOffice(tb testing.TB, opts ...Option) *Office {
	tb.Helper()
	o := &Office{tb: tb, Clock: NewClock(Start, 0), Dir: tb.TempDir()}
	for _, opt := range opts {
		opt(o)
	}
	o.Store = Open(tb, o.Dir, o.Clock)
	for _, seed := range append([]func(*store.Store) error{Seed}, o.extra...) {
		if err := seed(o.Store); err != nil {
			tb.Fatalf("seeding the test office: %v", err)
		}
	}
	return o
}

// Reopen closes the store and opens the same folder again with the same clock, as a server
// restart does.
func (o *Office) Reopen() *store.Store {
	o.tb.Helper()
	if err := o.Store.Close(); err != nil {
		o.tb.Fatal(err)
	}
	o.Store = Open(o.tb, o.Dir, o.Clock)
	return o.Store
}

// NIK builds a NIK for Semarang (33 74 01) that agrees with the NIP's birth date and sex (a
// woman's day of birth plus 40), ending in the sequence seq.
func NIK(nip string, seq int) string {
	day, _ := strconv.Atoi(nip[6:8])
	if nip[14] == '2' {
		day += 40
	}
	return fmt.Sprintf("337401%02d%s%s%04d", day, nip[4:6], nip[2:4], seq)
}

// Record builds a consistent master record of instansi P33 for a NIP: birth date, sex and TMT
// CPNS from the NIP, TMT PNS a year after TMT CPNS, no history rows. npwp and gelar_depan are
// left empty, as they often were in 2015.
func Record(nip, unit, nama, nik string) store.Record {
	y, _ := strconv.Atoi(nip[8:12])
	return store.Record{NIP: nip, InstansiID: "P33", UnitID: unit, Fields: map[string]string{
		"nama":            nama,
		"gelar_belakang":  "S.Kom.",
		"tempat_lahir":    "Semarang",
		"tanggal_lahir":   nip[0:4] + "-" + nip[4:6] + "-" + nip[6:8],
		"jenis_kelamin":   nip[14:15],
		"agama":           "1",
		"status_kawin":    "1",
		"nik":             nik,
		"alamat":          "Jl. Pemuda No. 1, Semarang",
		"kode_pos":        "50132",
		"no_hp":           "081234567890",
		"email":           "pns" + nip[15:] + "@contoh.go.id",
		"tmt_cpns":        nip[8:12] + "-" + nip[12:14] + "-01",
		"tmt_pns":         strconv.Itoa(y+1) + "-" + nip[12:14] + "-01",
		"kedudukan_hukum": "01",
		"jenis_pegawai":   "10",
		"no_karpeg":       "N 123456",
	}}
}
