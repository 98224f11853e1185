package demo

import (
	"fmt"
	"runtime/debug"
	"slices"
	"time"

	"pupns/store"
)

// Options tune Generate. Zero values take the defaults.
type Options struct {
	PNS      int    // how many PNS; default 2000
	Seed     int64  // the generator's seed; default 1. The same seed (and day) gives the same data.
	Password string // the password of every demo account; default "demo12345"
	// Progress, when set, is called after each chunk written.
	Progress func(done, total int)
}

// Login is one staff account of the demo, as the console prints it.
type Login struct {
	Role      store.Role
	RoleLabel string
	Username  string
	Password  string
	Scope     string // human-readable: unit, instansi or Kanreg name
}

// Sample is a PNS worth logging in as: Wrong lists the Data Utama fields the demo deliberately
// made wrong or left empty in the master data, so there is something to correct.
type Sample struct {
	NIP      string
	RegNo    string
	Name     string `json:"Nama"` // the key saved results and `pupns demo --json` have always used
	Unit     string
	Password string
	Wrong    []string
}

// Result is what Generate made. Generate keeps it in the data file; Saved reads it back.
type Result struct {
	Instansi  store.Instansi
	Units     int
	PNS       int
	Logins    []Login
	SamplePNS []Sample
	// Unregistered are a few NIP in the master data that have no account yet: try registration with them.
	Unregistered []string
	Elapsed      time.Duration
}

// Defaults, and how the generator works.
const (
	DefaultPNS      = 2000
	DefaultPassword = "demo12345"
	chunkSize       = 5000 // PNS per transaction
	instansiID      = "P33"
	// unregisteredEvery: one PNS in this many is left without an account, to register.
	unregisteredEvery = 20
)

// Generate fills an empty data file with one province (Pemerintah Provinsi Jawa Tengah), its
// organisation tree, opt.PNS civil servants with realistic, internally consistent master data and
// history, a PNS account for each (except one in unregisteredEvery, left to register) and one
// staff account per role. A third of the PNS have deliberately wrong or missing master fields.
// Everything is drawn from a PCG generator seeded with opt.Seed, so a seed gives the same people
// (dates relative to s.Now() are clamped, never drawn from the clock). The result is kept in the
// data file, for Saved.
//
// It refuses a data file that holds data not made by the demo (store.ErrNotDemo) and returns
// store.ErrAlreadyExist for one that already holds a demo.
func Generate(s *store.Store, opt Options) (Result, error) {
	start := time.Now()
	if err := opt.fill(s); err != nil {
		return Result{}, err
	}
	g := newGen(opt.Seed, s.Now())
	inst, err := g.writeOrg(s)
	if err != nil {
		return Result{}, err
	}
	// One argon2id hash for every demo account: hashing is deliberately slow (~20 ms and 19 MiB
	// each), so 100,000 separate hashes would take over half an hour. Sharing a salt is harmless
	// here because every demo account has the same, published password anyway.
	hash := store.HashPassword(opt.Password)

	people := g.skeletons(opt.PNS)
	for i, p := range people {
		p.unregistered = i%unregisteredEvery == unregisteredEvery-1
	}
	// The people are written through the store's bulk path: a few thousand PNS per transaction
	// and one fsync at the end (store.BulkLoad); the collector runs less often while the build
	// makes its short-lived garbage.
	defer debug.SetGCPercent(debug.SetGCPercent(200))
	if err := s.BulkLoad(func() error { return g.writePeople(s, people, hash, opt.Progress) }); err != nil {
		return Result{}, err
	}
	res := Result{Instansi: inst, Units: len(g.units), PNS: len(people)}
	staff, logins := g.staff(inst, hash, opt.Password)
	res.Logins = logins
	if err := s.PutUsers(staff); err != nil {
		return Result{}, err
	}
	for _, p := range people {
		if p.unregistered && len(res.Unregistered) < 3 {
			res.Unregistered = append(res.Unregistered, p.nip)
		}
	}
	for _, p := range g.samples(people) {
		res.SamplePNS = append(res.SamplePNS, Sample{NIP: p.nip, RegNo: p.regNo, Name: p.fullName,
			Unit: g.unitLabel(p.unit), Password: opt.Password, Wrong: slices.Clone(p.wrong)})
	}
	if err := s.MarkDemo(); err != nil {
		return Result{}, err
	}
	res.Elapsed = time.Since(start)
	return res, save(s, res)
}

// fill applies the defaults and refuses what the demo cannot make: a size out of range, a clock
// before 2000, or a data file that already holds data.
func (opt *Options) fill(s *store.Store) error {
	if opt.PNS == 0 {
		opt.PNS = DefaultPNS
	}
	if opt.PNS < 0 || opt.PNS > 5_000_000 {
		return fmt.Errorf("%w: jumlah PNS demo %d", store.ErrInvalid, opt.PNS)
	}
	if opt.Seed == 0 {
		opt.Seed = 1
	}
	if opt.Password == "" {
		opt.Password = DefaultPassword
	}
	if s.Now().Year() < 2000 {
		return fmt.Errorf("%w: jam server menunjukkan tahun %d", store.ErrInvalid, s.Now().Year())
	}
	demo, empty, err := s.IsDemo()
	if err != nil {
		return err
	}
	if !empty && !demo {
		return fmt.Errorf("demo: %w", store.ErrNotDemo)
	}
	if !empty {
		return fmt.Errorf("demo: data demo %w", store.ErrAlreadyExist)
	}
	return nil
}

// writeOrg writes the province and its organisation tree.
func (g *gen) writeOrg(s *store.Store) (store.Instansi, error) {
	inst := store.Instansi{ID: instansiID, Name: "Pemerintah Provinsi Jawa Tengah", Jenis: "daerah", KanregID: "I"}
	if err := s.PutInstansi(inst); err != nil {
		return inst, err
	}
	for _, u := range g.units {
		if err := s.PutUnit(store.Unit{ID: u.id, InstansiID: inst.ID, ParentID: u.parent, Name: u.nama}); err != nil {
			return inst, err
		}
	}
	return inst, nil
}

// chunk is one write of writePeople: master records and the accounts of their PNS.
type chunk struct {
	in    []store.MasterInput
	users []store.User
}

// writePeople draws each person's record and writes records and PNS accounts chunk by chunk.
// Generation runs in its own goroutine one chunk ahead of the writer; it is sequential, so the
// data stays a function of the seed.
func (g *gen) writePeople(s *store.Store, people []*person, hash string, progress func(done, total int)) error {
	chunks := make(chan chunk, 1)
	stop := make(chan struct{})
	go func() {
		defer close(chunks)
		for lo := 0; lo < len(people); lo += chunkSize {
			select {
			case chunks <- g.chunk(people, lo, min(lo+chunkSize, len(people)), hash):
			case <-stop:
				return
			}
		}
	}()
	done := 0
	for c := range chunks {
		_, _, bad, err := s.PutMasterBulk(c.in, c.users, "demo", "demo")
		if err == nil && len(bad) > 0 {
			for line, errs := range bad {
				err = fmt.Errorf("demo: data PNS ke-%d tidak valid: %w", line, errs[0])
				break
			}
		}
		if err != nil {
			close(stop)
			for range chunks { // let the generator finish
			}
			return err
		}
		done += len(c.in)
		if progress != nil {
			progress(done, len(people))
		}
	}
	return nil
}

// chunk draws the records of people[lo:hi] and the accounts of those who registered.
func (g *gen) chunk(people []*person, lo, hi int, hash string) chunk {
	c := chunk{in: make([]store.MasterInput, 0, hi-lo), users: make([]store.User, 0, hi-lo)}
	for i := lo; i < hi; i++ {
		p := people[i]
		rec := g.detail(p)
		c.in = append(c.in, store.MasterInput{Record: rec, Line: i + 1})
		if p.unregistered {
			continue
		}
		c.users = append(c.users, store.User{Login: p.nip, Role: store.RolePNS, Name: p.fullName, Hash: hash,
			NIP: p.nip, RegNo: p.regNo, Status: store.StatusActive})
	}
	return c
}

// staff makes one staff account per role (a Level 1 verifier per SKPD), all with the password.
func (g *gen) staff(inst store.Instansi, hash, password string) ([]store.User, []Login) {
	var staff []store.User
	var logins []Login
	add := func(login string, role store.Role, name, scopeID, scope string) {
		staff = append(staff, store.User{Login: login, Role: role, Name: name, Hash: hash, ScopeID: scopeID, Status: store.StatusActive})
		logins = append(logins, Login{Role: role, RoleLabel: role.Label(), Username: login, Password: password, Scope: scope})
	}
	add("admin", store.RoleAdmin, "Administrator Demo", "", "Seluruh data (server ini)")
	add("verreg", store.RoleVerReg, "Verifikator Registrasi BKD", inst.ID, inst.Name)
	for _, u := range g.units {
		if u.parent == "" {
			add("v1-"+u.short, store.RoleV1, "Verifikator SKPD "+u.nama, u.id, u.nama)
		}
	}
	add("v2", store.RoleV2, "Verifikator BKD Provinsi Jawa Tengah", inst.ID, inst.Name)
	add("kanreg1", store.RoleV3, "Verifikator Kanreg I BKN Yogyakarta", "I", store.Kanregs.Label("I"))
	add("pusat", store.RoleV4, "Verifikator BKN Pusat", "", "BKN Pusat (instansi pusat)")
	first := g.units[0]
	add("operator", store.RoleOperator, "Operator "+first.nama, first.id, first.nama)
	return staff, logins
}
