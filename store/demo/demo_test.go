package demo

import (
	"errors"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"pupns/store"
)

var demoNow = time.Date(2026, 11, 22, 9, 30, 0, 0, time.UTC)

func openDemoStore(t *testing.T) *store.Store {
	t.Helper()
	s, err := store.Open(t.TempDir(), store.Options{Now: func() time.Time { return demoNow }, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestDemoGenerate(t *testing.T) {
	s := openDemoStore(t)
	const n = 200
	var progress []int
	res, err := Generate(s, Options{PNS: n, Seed: 7, Progress: func(done, total int) {
		if total != n {
			t.Errorf("progress total %d", total)
		}
		progress = append(progress, done)
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(progress) == 0 || progress[len(progress)-1] != n {
		t.Errorf("progress %v", progress)
	}
	if res.PNS != n || res.Instansi.ID != "P33" || res.Instansi.KanregID != "I" {
		t.Errorf("result %+v", res)
	}
	units, err := s.Units("P33")
	if err != nil || len(units) < 20 || res.Units != len(units) {
		t.Fatalf("units %d (%v), result says %d", len(units), err, res.Units)
	}
	unitByID := map[string]store.Unit{}
	for _, u := range units {
		unitByID[u.ID] = u
	}
	if c, _ := s.CountRecords(); c != n {
		t.Fatalf("records %d", c)
	}
	if demo, empty, _ := s.IsDemo(); !demo || empty {
		t.Errorf("store.IsDemo %v %v", demo, empty)
	}

	people, recs := regenerate(Options{PNS: n, Seed: 7}, demoNow)
	wrongCount := 0
	for i, p := range people {
		want := recs[i]
		r, err := s.Record(p.nip)
		if err != nil {
			t.Fatalf("record %s: %v", p.nip, err)
		}
		if r.Fields["nama"] != want.Fields["nama"] || r.UnitID != want.UnitID || r.Version != 1 {
			t.Fatalf("stored record differs from regenerated: %+v vs %+v", r.Fields, want.Fields)
		}
		if len(p.wrong) > 0 {
			wrongCount++
		}
		checkPerson(t, s, p, unitByID)
	}
	checkRowsAccepted(t, s, people)
	if wrongCount < n/5 || wrongCount > n/2 {
		t.Errorf("%d of %d PNS have wrong fields, want about a third", wrongCount, n)
	}

	checkAccounts(t, s, res, people, unitByID)
	checkSamples(t, s, res, unitByID)
	if _, err := Generate(s, Options{PNS: 10}); !errors.Is(err, store.ErrAlreadyExist) {
		t.Errorf("second run: %v", err)
	}
}

// checkPerson checks that one PNS's stored record is consistent: NIP, NIK and dates agree, every
// value is canonical and in the catalogue, and only the fields listed in p.wrong are wrong.
func checkPerson(t *testing.T, s *store.Store, p *person, units map[string]store.Unit) {
	t.Helper()
	today := demoNow.Format("2006-01-02")
	r, err := s.Record(p.nip)
	if err != nil {
		t.Fatalf("record %s: %v", p.nip, err)
	}
	wrong := func(k string) bool { return slices.Contains(p.wrong, k) }
	nip, err := store.ParseNIP(r.NIP)
	if err != nil {
		t.Fatalf("NIP %s: %v", r.NIP, err)
	}
	f := r.Fields
	ctx := r.NIP + " " + strings.Join(p.wrong, ",")
	if !wrong("tanggal_lahir") && f["tanggal_lahir"] != nip.BirthDate {
		t.Errorf("%s: tanggal_lahir %s", ctx, f["tanggal_lahir"])
	}
	if f["jenis_kelamin"] != nip.Sex || f["tmt_cpns"][:7] != nip.TMTCPNS || f["tmt_cpns"][8:] != "01" {
		t.Errorf("%s: jenis_kelamin %s tmt_cpns %s", ctx, f["jenis_kelamin"], f["tmt_cpns"])
	}
	if y := nip.BirthDate[:4]; y < "1962" || y > "1998" {
		t.Errorf("%s: born %s", ctx, y)
	}
	cpns, _ := time.Parse("2006-01-02", f["tmt_cpns"])
	birth, _ := time.Parse("2006-01-02", nip.BirthDate)
	if age := cpns.Sub(birth).Hours() / 24 / 365.25; age < 18.9 || age > 36 {
		t.Errorf("%s: CPNS at age %.1f", ctx, age)
	}
	if msg := store.CrossCheck("tmt_pns", f["tmt_pns"], f); msg != "" || f["tmt_pns"][8:] != "01" {
		t.Errorf("%s: tmt_pns %s: %s", ctx, f["tmt_pns"], msg)
	}
	if !wrong("nik") && f["nik"][6:12] != store.NIKFor(nip.BirthDate, nip.Sex) {
		t.Errorf("%s: NIK %s against the NIP", ctx, f["nik"])
	}
	if !wrong("nik") && !wrong("tanggal_lahir") {
		if msg := store.CrossCheck("nik", f["nik"], f); msg != "" {
			t.Errorf("%s: %s", ctx, msg)
		}
	}
	if wrong("nik") && store.CrossCheck("nik", f["nik"], f) == "" {
		t.Errorf("%s: NIK listed wrong but agrees", ctx)
	}
	if !strings.HasPrefix(f["nik"], "33") || f["nik"][2:4] < "01" || f["nik"][2:4] > "29" {
		t.Errorf("%s: NIK region %s", ctx, f["nik"])
	}
	for _, k := range []string{"npwp", "email", "no_hp", "kode_pos"} {
		if (f[k] == "") != wrong(k) {
			t.Errorf("%s: %s = %q", ctx, k, f[k])
		}
	}
	checkCanonical(t, ctx, f)
	if u, ok := units[r.UnitID]; !ok || r.InstansiID != "P33" || u.InstansiID != "P33" {
		t.Errorf("%s: unit %s", ctx, r.UnitID)
	}
	checkRiwayat(t, ctx, r, today, units)
	if r.Fields["gelar_belakang"] == "" && !wrong("gelar_belakang") {
		if p, ok := r.LatestRow("pendidikan", "tahun_lulus"); ok && p.Fields["tingkat"] >= "30" && r.Fields["gelar_depan"] == "" {
			t.Errorf("%s: graduate (%s) without gelar", ctx, p.Fields["tingkat"])
		}
	}
}

// checkCanonical: every value is in its canonical form, every key is a catalogue field, and every
// Data Utama field but the optional ones is filled.
func checkCanonical(t *testing.T, ctx string, f map[string]string) {
	t.Helper()
	utama, _ := store.TabByKey("utama")
	for k, v := range f {
		fd, ok := store.FieldByKey(k)
		if !ok || fd.ReadOnly && k != "nip" {
			t.Errorf("%s: field %q outside the catalogue", ctx, k)
			continue
		}
		if k == "nip" {
			continue
		}
		got, err := fd.Normalize(v, demoNow)
		if err != nil || got != v {
			t.Errorf("%s: %s=%q normalizes to %q, %v", ctx, k, v, got, err)
		}
	}
	for _, fd := range utama.Fields {
		switch fd.Key {
		case "npwp", "email", "no_hp", "kode_pos", "gelar_depan", "gelar_belakang", "no_karpeg":
		default:
			if f[fd.Key] == "" {
				t.Errorf("%s: %s empty", ctx, fd.Key)
			}
		}
	}
}

// checkAccounts: one account per role, one per registered PNS, and none for the PNS left to
// register, who can.
func checkAccounts(t *testing.T, s *store.Store, res Result, people []*person, unitByID map[string]store.Unit) {
	t.Helper()
	counts, err := s.CountUsers()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range store.Roles {
		if counts[r.Role] == 0 {
			t.Errorf("no account with role %s", r.Role)
		}
	}
	if want := len(people) - len(people)/unregisteredEvery; counts[store.RolePNS] != want {
		t.Errorf("PNS accounts %d, want %d (one in %d left to register)", counts[store.RolePNS], want, unregisteredEvery)
	}
	if len(res.Unregistered) == 0 {
		t.Error("the demo names no unregistered PNS to try registration with")
	}
	for _, nip := range res.Unregistered {
		if _, err := s.LookupForRegistration(nip); err != nil {
			t.Errorf("unregistered demo PNS %s cannot register: %v", nip, err)
		}
	}
	roles := map[store.Role]bool{}
	for _, l := range res.Logins {
		roles[l.Role] = true
		u, err := s.User(l.Username)
		if err != nil || u.Role != l.Role || l.Password != DefaultPassword || l.Scope == "" || l.RoleLabel == "" {
			t.Errorf("login %+v: %+v %v", l, u, err)
		}
		if l.Role == store.RoleV1 {
			if sk, ok := unitByID[u.ScopeID]; !ok || sk.ParentID != "" || sk.Name != l.Scope {
				t.Errorf("v1 %s scope %q", l.Username, u.ScopeID)
			}
		}
	}
	if len(roles) != len(store.Roles)-1 {
		t.Errorf("logins cover %d roles", len(roles))
	}
	for _, p := range people {
		u, err := s.User(p.nip)
		if p.unregistered {
			if !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("PNS %s should be left to register: %+v %v", p.nip, u, err)
			}
			continue
		}
		if err != nil || u.Role != store.RolePNS || u.NIP != p.nip || !store.RegNoValid(u.RegNo) || u.Status != store.StatusActive {
			t.Fatalf("PNS account %s: %+v %v", p.nip, u, err)
		}
	}
}

// checkSamples: the samples have mistakes to correct, the first in the SKPD of the first Level 1
// verifier, and both a verifier and a sample PNS can log in.
func checkSamples(t *testing.T, s *store.Store, res Result, unitByID map[string]store.Unit) {
	t.Helper()
	if len(res.SamplePNS) < 3 || len(res.SamplePNS) > 6 {
		t.Fatalf("samples %d", len(res.SamplePNS))
	}
	var firstV1 Login
	for _, l := range res.Logins {
		if l.Role == store.RoleV1 {
			firstV1 = l
			break
		}
	}
	v1, _ := s.User(firstV1.Username)
	sp := res.SamplePNS[0]
	sr, _ := s.Record(sp.NIP)
	if unitByID[sr.UnitID].SKPDID != v1.ScopeID {
		t.Errorf("first sample %s in %s, first verifier %s scoped %s", sp.NIP, sr.UnitID, firstV1.Username, v1.ScopeID)
	}
	for _, sp := range res.SamplePNS {
		if len(sp.Wrong) == 0 || sp.Password == "" || sp.Name == "" || sp.Unit == "" || !store.RegNoValid(sp.RegNo) {
			t.Errorf("sample %+v", sp)
		}
	}

	// Authentication: argon2id is slow, so twice only.
	if u, err := s.Authenticate(firstV1.Username, DefaultPassword); err != nil || u.Role != store.RoleV1 {
		t.Errorf("staff login: %v", err)
	}
	if u, err := s.Authenticate(strings.ToLower(sp.RegNo), DefaultPassword); err != nil || u.NIP != sp.NIP {
		t.Errorf("PNS login by nomor registrasi: %+v %v", u, err)
	}
}

func TestDemoDeterministic(t *testing.T) {
	a, ra := regenerate(Options{PNS: 120, Seed: 3}, demoNow)
	b, rb := regenerate(Options{PNS: 120, Seed: 3}, demoNow)
	c, _ := regenerate(Options{PNS: 120, Seed: 4}, demoNow)
	same := 0
	seen := map[string]bool{}
	for i := range a {
		if a[i].nip != b[i].nip || ra[i].Name() != rb[i].Name() || a[i].regNo != b[i].regNo || !slices.Equal(a[i].wrong, b[i].wrong) {
			t.Fatalf("seed 3 twice: %s %q vs %s %q", a[i].nip, ra[i].Name(), b[i].nip, rb[i].Name())
		}
		if riwayatEqual(ra[i], rb[i]) == false {
			t.Fatalf("riwayat differs for %s", a[i].nip)
		}
		if a[i].nip == c[i].nip {
			same++
		}
		if seen[a[i].nip] {
			t.Fatalf("duplicate NIP %s", a[i].nip)
		}
		seen[a[i].nip] = true
	}
	if same > 5 {
		t.Errorf("seeds 3 and 4 share %d NIPs", same)
	}

	// Through the store: two data files from the same seed hold the same samples and records.
	s1, s2 := openDemoStore(t), openDemoStore(t)
	r1, err1 := Generate(s1, Options{PNS: 50, Seed: 9})
	r2, err2 := Generate(s2, Options{PNS: 50, Seed: 9})
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	for i := range r1.SamplePNS {
		x, y := r1.SamplePNS[i], r2.SamplePNS[i]
		if x.NIP != y.NIP || x.Name != y.Name || x.RegNo != y.RegNo || !slices.Equal(x.Wrong, y.Wrong) {
			t.Errorf("samples differ: %+v vs %+v", x, y)
		}
		a, _ := s1.Record(x.NIP)
		b, _ := s2.Record(y.NIP)
		if !maps.Equal(a.Fields, b.Fields) || a.UnitID != b.UnitID || !riwayatEqual(a, b) {
			t.Errorf("records of %s differ", x.NIP)
		}
	}
}

func TestDemoRefusesOtherData(t *testing.T) {
	s := openDemoStore(t)
	if err := s.PutUsers([]store.User{{Login: "admin", Role: store.RoleAdmin, Hash: "x"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := Generate(s, Options{PNS: 5}); !errors.Is(err, store.ErrNotDemo) {
		t.Fatalf("want store.ErrNotDemo, got %v", err)
	}
	if c, _ := s.CountRecords(); c != 0 {
		t.Errorf("wrote %d records", c)
	}
}

// TestDemoBig times the full-size demo: PUPNS_BIG=1 go test ./store/ -run DemoBig -v
func TestDemoBig(t *testing.T) {
	if os.Getenv("PUPNS_BIG") == "" {
		t.Skip("set PUPNS_BIG=1 to time a 100,000-PNS demo")
	}
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("PUPNS_BIG")); err == nil && v > 1 {
		n = v
	}
	s, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	last := time.Now()
	res, err := Generate(s, Options{PNS: n, Progress: func(done, total int) {
		if done%20000 == 0 || done == total {
			t.Logf("%d/%d after %v", done, total, time.Since(last).Round(time.Millisecond))
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(s.DB().Path())
	t.Logf("%d PNS, %d units in %v; file %d MiB", res.PNS, res.Units, res.Elapsed.Round(time.Millisecond), st.Size()>>20)
	for _, sp := range res.SamplePNS {
		t.Logf("sample %s %s %s (%s) wrong %v", sp.NIP, sp.RegNo, sp.Name, sp.Unit, sp.Wrong)
	}
}

// regenerate redraws the people Generate makes for opt on a store whose clock says now, with
// their records, without a store.
func regenerate(opt Options, now time.Time) ([]*person, []store.Record) {
	if opt.Seed == 0 {
		opt.Seed = 1
	}
	g := newGen(opt.Seed, now)
	people := g.skeletons(opt.PNS)
	for i, p := range people {
		p.unregistered = i%unregisteredEvery == unregisteredEvery-1
	}
	recs := make([]store.Record, len(people))
	for i, p := range people {
		recs[i] = g.detail(p)
	}
	return people, recs
}
