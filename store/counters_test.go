package store_test

import (
	"bytes"
	"fmt"
	"maps"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"pupns/store"
	"pupns/store/storetest"
)

// ctPNS is one PNS of the counters test: actor, NIK and the submission Kirim last made.
type ctPNS struct {
	a   store.Actor
	nik string
	sub uint64
}

// TestCountersEqualRecountAfterRandomActions: after every action of random sequences (register,
// activate or reject, propose and Kirim, a unit move, decisions and Forward at every level, BTS
// returns, resends, withdrawals, TMS), the counters kept in each write equal a full recount, and so
// do the inbox's search index (every row by its name tokens, NIP and unit, nothing else) and the
// lists' name index (every PNS by the words of its name, in its unit).
func TestCountersEqualRecountAfterRandomActions(t *testing.T) {
	seen := map[string]bool{}
	defer func() {
		for _, st := range []string{store.CountRegistered, store.CountActive, store.CountLevel(1), store.CountLevel(2),
			store.CountReturned, store.CountDone, store.CountTMS, store.CountNotStarted} {
			if !seen[st] && !t.Failed() {
				t.Errorf("no sequence reached %q: the test does not cover it", st)
			}
		}
	}()
	for seed := range uint64(4) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			f := newFx(t)
			rng := rand.New(rand.NewPCG(seed, 10))
			people := []*ctPNS{{a: f.budi, nik: nikBudi}, {a: f.siti, nik: nikSiti}, {a: f.agus, nik: nikAgus}}
			for i, u := range []string{unitU01, unitU0101, unitU02} {
				nip := fmt.Sprintf("19900101201401100%d", i+4)
				people = append(people, &ctPNS{a: f.addPNS(nip, u, "Pegawai Uji "+[]string{"Satu", "Dua", "Tiga"}[i], i+4), nik: storetest.NIK(nip, i+4)})
			}
			ctSame(t, f.s, "start")
			for step := range 120 {
				p := people[rng.IntN(len(people))]
				f.clock.Add(time.Duration(rng.IntN(20)) * time.Hour) // the daily series span days
				name := ctAct(f, rng, p)
				for st := range ctSame(t, f.s, fmt.Sprintf("step %d (%s %s)", step, name, p.a.NIP))[store.CounterOffice] {
					seen[st] = true
				}
			}
			c, err := f.s.Counters()
			fxMust(t, err)
			if c[store.CounterOffice][store.CountMaster] != uint64(len(people)+1) {
				t.Fatalf("office master = %d, want %d", c[store.CounterOffice][store.CountMaster], len(people)+1)
			}
			t.Logf("office counters after 120 actions: %v", c[store.CounterOffice])
		})
	}
}

// ctAct does one random action on p and names it; refusals (a rule of the store) are part of the game.
func ctAct(f *fx, rng *rand.Rand, p *ctPNS) string {
	s := f.s
	verreg := store.Actor{Login: "verreg", Role: store.RoleVerReg, ScopeID: fxInstansi}
	units := []string{unitU01, unitU0101, unitU02}
	switch rng.IntN(8) {
	case 0:
		_, _ = s.Register(store.Registration{NIP: p.a.NIP, NIK: p.nik, Email: "pns@contoh.go.id",
			Password: "Kopi-Tubruk-77", Password2: "Kopi-Tubruk-77", Mother: "Siti Aminah", Question: "3", Answer: "Si Belang"})
		return "register"
	case 1:
		_, _ = s.DecideRegistration(verreg, p.a.NIP, rng.IntN(4) > 0, "data tidak cocok")
		return "activate"
	case 2:
		ctSend(f, p, "alamat", fmt.Sprintf("Jl. Pemuda No. %d, Semarang", rng.IntN(90)+1))
		return "kirim"
	case 3:
		ctSend(f, p, store.KeyUnit, units[rng.IntN(len(units))])
		return "unit"
	case 4:
		_, _ = s.WithdrawSubmission(p.a, p.a.NIP)
		return "withdraw"
	case 5: // a new import of the master data moves the PNS to another unit
		if rec, err := s.Record(p.a.NIP); err == nil {
			rec.UnitID = units[rng.IntN(len(units))]
			_, _, _, _ = s.PutMaster([]store.MasterInput{{Record: rec, Line: 1}}, "admin", "impor ulang")
		}
		return "import"
	default:
		ctReview(f, rng, p)
		return "review"
	}
}

// ctSend proposes key=value (with its documents), confirms the rest and sends, ignoring refusals.
func ctSend(f *fx, p *ctPNS, key, value string) {
	s := f.s
	if _, _, err := s.Propose(p.a, p.a.NIP, key, value, "perubahan"); err == nil {
		if form, err := s.Form(p.a, p.a.NIP); err == nil {
			for _, kind := range form.MissingDocs(key) {
				_, _, _ = s.AddDocument(p.a, p.a.NIP, key, kind, kind+".pdf", bytes.NewReader(fxPDF))
			}
		}
	}
	_, _ = s.Confirm(p.a, p.a.NIP, fxEditableKeys(), true)
	if sub, err := s.Kirim(p.a, p.a.NIP); err == nil {
		p.sub = sub.ID
	}
}

// ctReview has the verifier of the level where p's submission waits decide every line at random
// (Setuju, BTS or TMS) and forward it, or now and then send it down a level.
func ctReview(f *fx, rng *rand.Rand, p *ctPNS) {
	if p.sub == 0 {
		return
	}
	sub, err := f.s.Submission(p.a, p.sub)
	if err != nil {
		return
	}
	v := ctVerifier(f, sub)
	if v.Login == "" {
		return
	}
	if rng.IntN(6) == 0 {
		_, _ = f.s.SendDown(v, sub.ID, sub.Rev, "periksa ulang")
		return
	}
	verdicts := []string{store.Setuju, store.Setuju, store.BTS, store.TMS}
	for _, l := range sub.Lines {
		if cur, err := f.s.Submission(v, sub.ID); err == nil {
			_, _ = f.s.Decide(v, sub.ID, cur.Rev, l.Field, verdicts[rng.IntN(len(verdicts))], "catatan verifikator")
		}
	}
	if cur, err := f.s.Submission(v, sub.ID); err == nil {
		_, _ = f.s.Forward(v, sub.ID, cur.Rev)
	}
}

// ctVerifier is the verifier of the level where sub waits (none when it waits nowhere).
func ctVerifier(f *fx, sub store.Submission) store.Actor {
	switch sub.State.Level() {
	case 1:
		if sub.SKPDID == unitU02 {
			return f.v1U02
		}
		return f.v1U01
	case 2:
		return f.v2
	case 3:
		return store.Actor{Login: "v3", Role: store.RoleV3, ScopeID: "I"}
	case 4:
		return store.Actor{Login: "pusat", Role: store.RoleV4}
	}
	return store.Actor{}
}

// ctSame fails unless the counters equal a full recount, and returns them.
func ctSame(t *testing.T, s *store.Store, when string) map[string]store.Counts {
	t.Helper()
	got, err := s.Counters()
	fxMust(t, err)
	want, err := s.Recount()
	fxMust(t, err)
	if !maps.EqualFunc(got, want, func(a, b store.Counts) bool { return maps.Equal(a, b) }) {
		t.Fatalf("%s: counters %v\nrecount %v", when, got, want)
	}
	ctListsAndDays(t, s, got, when)
	if diff, err := store.InboxSearchMismatch(s); err != nil || diff != "" {
		t.Fatalf("%s: the inbox search index does not match the inbox: %s %v", when, diff, err)
	}
	if diff, err := store.PNSSearchMismatch(s); err != nil || diff != "" {
		t.Fatalf("%s: the lists' name index does not match the records: %s %v", when, diff, err)
	}
	return got
}

// ctListsAndDays fails unless the list behind every office counter holds as many PNS as it counts
// (each once), and the daily series of the office and instansi P33 sum to their counters.
func ctListsAndDays(t *testing.T, s *store.Store, c map[string]store.Counts, when string) {
	t.Helper()
	admin := store.Actor{Login: "admin", Role: store.RoleAdmin}
	for _, st := range store.CountedStates {
		seen := map[string]bool{}
		fxMust(t, s.WalkPNSList(admin, store.PNSListQuery{State: st.Code}, func(it store.PNSListItem) error {
			if seen[it.NIP] {
				t.Fatalf("%s: list %q holds %s twice", when, st.Code, it.NIP)
			}
			seen[it.NIP] = true
			return nil
		}))
		if uint64(len(seen)) != c[store.CounterOffice][st.Code] {
			t.Fatalf("%s: list %q holds %d PNS, its counter %d", when, st.Code, len(seen), c[store.CounterOffice][st.Code])
		}
	}
	for _, scope := range []string{store.CounterOffice, store.CounterInstansi(fxInstansi)} {
		days, err := s.Daily(scope)
		fxMust(t, err)
		sum := func(series string) (n int64) {
			for _, d := range days[series] {
				n += d.Delta
			}
			return n
		}
		if sent, fin := sum(store.SeriesSent), sum(store.SeriesFinished); sent != int64(c[scope][store.CountSent]) ||
			fin != int64(c[scope][store.CountDone]+c[scope][store.CountTMS]) {
			t.Fatalf("%s: %s daily series sum to sent %d, finished %d; counters %v", when, scope, sent, fin, c[scope])
		}
	}
}

// TestOpenBuildsMissingCounters: a file from before the counters (no counters bucket) gets them
// counted when opened, equal to a recount.
func TestOpenBuildsMissingCounters(t *testing.T) {
	dir := t.TempDir()
	s, err := store.Open(dir, store.Options{})
	fxMust(t, err)
	fxMust(t, storetest.Seed(s))
	before, err := s.Counters()
	fxMust(t, err)
	fxMust(t, s.Close())

	db, err := bbolt.Open(filepath.Join(dir, "pupns.db"), 0o600, nil)
	fxMust(t, err)
	fxMust(t, db.Update(func(tx *bbolt.Tx) error {
		if err := tx.DeleteBucket([]byte("counters")); err != nil {
			return err
		}
		return tx.DeleteBucket([]byte("pns_state"))
	}))
	fxMust(t, db.Close())

	s, err = store.Open(dir, store.Options{})
	fxMust(t, err)
	defer s.Close()
	ctSame(t, s, "after the migration")
	after, err := s.Counters()
	fxMust(t, err)
	if after["o"][store.CountMaster] != 3 || after["o"][store.CountRegistered] != 3 || !maps.EqualFunc(before, after, func(a, b store.Counts) bool { return maps.Equal(a, b) }) {
		t.Fatalf("rebuilt %v, before %v", after, before)
	}
}

// TestVersion2FileGetsListsAndDays: a file of schema version 2 (counters, but no lists behind them
// and no daily series) gets both built when opened: the lists equal the counters, the series sum
// to them, and the verifiers' decisions are counted on the days they were made.
func TestVersion2FileGetsListsAndDays(t *testing.T) {
	f := newFx(t)
	sub := f.send(f.budi, fxUsul{"no_hp", "081298765432", "nomor baru"})
	f.clock.Add(26 * time.Hour)
	f.decide(f.v1U01, sub.ID, "no_hp", store.Setuju, "")
	wantDays, err := f.s.Daily(store.CounterVerifier(f.v1U01.Login))
	fxMust(t, err)
	if len(wantDays[store.SeriesDecisions]) != 1 || wantDays[store.SeriesDecisions][0].Delta != 1 {
		t.Fatalf("decisions of %s per day = %v, want one decision", f.v1U01.Login, wantDays)
	}
	dir := f.s.Dir()
	fxMust(t, f.s.Close())

	db, err := bbolt.Open(filepath.Join(dir, "pupns.db"), 0o600, nil)
	fxMust(t, err)
	fxMust(t, db.Update(func(tx *bbolt.Tx) error {
		for _, b := range []string{"pns_by_state", "daily"} {
			if err := tx.DeleteBucket([]byte(b)); err != nil {
				return err
			}
		}
		return store.WriteSchemaForTesting(tx, 2)
	}))
	fxMust(t, db.Close())

	s := storetest.Open(t, dir, f.clock)
	c := ctSame(t, s, "after the migration from version 2")
	if c[store.CounterOffice][store.CountSent] != 1 {
		t.Fatalf("sent after the migration = %d, want 1", c[store.CounterOffice][store.CountSent])
	}
	got, err := s.Daily(store.CounterVerifier(f.v1U01.Login))
	fxMust(t, err)
	sameDays := func(a, b []store.Day) bool {
		return slices.EqualFunc(a, b, func(x, y store.Day) bool { return x.Date.Equal(y.Date) && x.Delta == y.Delta })
	}
	if !maps.EqualFunc(got, wantDays, sameDays) {
		t.Fatalf("decisions per day after the migration %v, before %v", got, wantDays)
	}
}
