package store_test

// The campaign storage benchmark (issue 13): an office runs a whole re-registration campaign
// through the store's API, and the data file is weighed bucket by bucket.

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"pupns/store"
	"pupns/store/demo"
	"pupns/store/storetest"
)

// campaignPNS is the office's size: PUPNS_BENCH_PNS, default 2,000.
func campaignPNS(tb testing.TB) int {
	n := 2000
	if v := os.Getenv("PUPNS_BENCH_PNS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 20 {
			tb.Fatalf("PUPNS_BENCH_PNS=%q: want a number ≥ 20", v)
		}
	}
	return n
}

// BenchmarkCampaignStorage runs a whole campaign for an office of PUPNS_BENCH_PNS PNS (demo master
// data: realistic records and history rows): every PNS with an account logs in, types ~40
// autosaves across fields and a history row in runs (several saves per field, as a person pausing
// would), attaches 100–500 KB scans, sends; verifiers decide at every level (BKN lines go on to
// the Kanreg), one PNS in five gets a line returned (BTS), corrects it and sends again; a few
// never send, and the close marks them. It reports the data file's bytes per PNS without the
// documents' bytes, and its parts (campaignParts), from bbolt's page statistics of the compacted
// file. Run it once: make bench (-benchtime 1x).
func BenchmarkCampaignStorage(b *testing.B) {
	for range b.N {
		b.StopTimer()
		dir := b.TempDir()
		n := campaignPNS(b)
		b.StartTimer()
		runCampaign(b, dir, n)
		b.StopTimer()
		w := weighCampaign(b, filepath.Join(dir, "pupns.db"), n)
		w.report(b)
	}
}

// campaign is one office's run: the store, the staff by level and scope, counters of what ran.
type campaign struct {
	tb      testing.TB
	s       *store.Store
	v1      map[string]store.Actor // Level 1 by SKPD id
	byLevel map[int]store.Actor    // Level 2, 3 and 4
	admin   store.Actor
	saves   atomic.Int64
	docs    atomic.Int64
	docB    atomic.Int64
	bts     atomic.Int64
	fixed   atomic.Int64 // PNS who corrected a birth date or NIK before Kirim
}

// campaignSeed is the demo generator's seed of the campaign's office (0: the demo's default, 1);
// the packing dictionary is made from another (TestWriteSealDictionary).
var campaignSeed int64

// runCampaign builds the demo office of n PNS in dir and runs the campaign on it with 8 workers.
func runCampaign(tb testing.TB, dir string, n int) {
	storetest.CheapPasswords()
	clock := storetest.NewClock(storetest.Start, time.Millisecond)
	s, err := store.Open(dir, store.Options{Now: clock.Now, NoSync: true})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	if _, err := demo.Generate(s, demo.Options{PNS: n, Seed: campaignSeed}); err != nil {
		tb.Fatal(err)
	}
	c := &campaign{tb: tb, s: s, v1: map[string]store.Actor{}, byLevel: map[int]store.Actor{}}
	staff, err := s.Staff()
	if err != nil {
		tb.Fatal(err)
	}
	for _, u := range staff {
		a := store.ActorOf(u)
		switch u.Role {
		case store.RoleV1:
			c.v1[u.ScopeID] = a
		case store.RoleAdmin:
			c.admin = a
		default:
			if lv := u.Role.Level(); lv > 1 {
				c.byLevel[lv] = a
			}
		}
	}
	nips := campaignNIPs(tb, s)
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < len(nips); i = int(next.Add(1)) - 1 {
				if err := c.pns(i, nips[i]); err != nil {
					errs <- fmt.Errorf("PNS %s: %w", nips[i], err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		tb.Fatal(err)
	}
	c.close()
	fmt.Printf("campaign: %d PNS (%d with an account), %d saves, %d documents (%.0f KB average), %d BTS rounds, %d corrected a birth date or NIK\n",
		n, len(nips), c.saves.Load(), c.docs.Load(), float64(c.docB.Load())/1024/max(1, float64(c.docs.Load())), c.bts.Load(), c.fixed.Load())
	if err := s.Close(); err != nil {
		tb.Fatal(err)
	}
}

// campaignNIPs lists the PNS who have an account (the demo leaves one in twenty to register).
func campaignNIPs(tb testing.TB, s *store.Store) []string {
	var all, out []string
	err := s.DB().View(func(tx *bbolt.Tx) error {
		return tx.Bucket([]byte("records")).ForEach(func(k, _ []byte) error { all = append(all, string(k)); return nil })
	})
	if err != nil {
		tb.Fatal(err)
	}
	for _, nip := range all {
		if _, err := s.User(nip); err == nil {
			out = append(out, nip)
		}
	}
	return out
}

// close is the admin closing the campaign: every PNS who did not finish is marked.
func (c *campaign) close() {
	page, err := c.s.NonCompliance(c.admin, store.NonComplianceFilter{})
	if err != nil {
		c.tb.Fatal(err)
	}
	if _, err := c.s.CloseCampaign(c.admin, len(page.Items)); err != nil {
		c.tb.Fatal(err)
	}
}

// pns is one PNS's campaign: log in, type, attach, send, and the verifiers' work on it. One in
// thirty never sends (the close marks them).
func (c *campaign) pns(i int, nip string) error {
	a := store.Actor{Login: nip, Role: store.RolePNS, NIP: nip}
	if err := c.login(i, nip); err != nil || i%30 == 29 {
		return err
	}
	rng := rand.New(rand.NewPCG(uint64(i), 13))
	keys, err := c.typeForm(a, i, rng)
	if err != nil {
		return err
	}
	if err := c.attach(a, keys, rng); err != nil {
		return err
	}
	if _, err := c.s.Confirm(a, nip, store.AllCheckKeys(), true); err != nil {
		return err
	}
	sub, err := c.s.Kirim(a, nip)
	var inc *store.IncompleteError
	if errors.As(err, &inc) { // the demo's wrong birth dates and NIKs: the PNS corrects them, with documents
		fixed, ferr := c.correctIdentity(a, inc)
		if ferr != nil {
			return ferr
		}
		if err = c.attach(a, fixed, rng); err != nil {
			return err
		}
		c.fixed.Add(1)
		sub, err = c.s.Kirim(a, nip)
	}
	if err != nil {
		return err
	}
	return c.review(a, i, sub, rng)
}

// correctIdentity proposes the birth date the NIP says, and a NIK whose birth-date digits agree
// with it, for what Kirim refused; it returns the fields proposed.
func (c *campaign) correctIdentity(a store.Actor, inc *store.IncompleteError) ([]string, error) {
	nip := a.NIP
	want := map[string]string{"tanggal_lahir": nip[0:4] + "-" + nip[4:6] + "-" + nip[6:8]}
	form, err := c.s.Form(a, nip)
	if err != nil {
		return nil, err
	}
	if nik := form.Record.Fields["nik"]; len(nik) == 16 {
		day, _ := strconv.Atoi(nip[6:8])
		if nip[14] == '2' {
			day += 40
		}
		want["nik"] = nik[:6] + fmt.Sprintf("%02d", day) + nip[4:6] + nip[2:4] + nik[12:]
	}
	var keys []string
	for _, m := range inc.Items {
		v, ok := want[m.Field]
		if !ok || m.Unchecked {
			return nil, fmt.Errorf("Kirim refused: %v", inc)
		}
		if v == form.Record.Fields[m.Field] || slices.Contains(keys, m.Field) {
			continue // right already: the other field disagreed with it
		}
		if _, _, err := c.s.Propose(a, nip, m.Field, v, "sesuai akta kelahiran dan KTP"); err != nil {
			return nil, fmt.Errorf("correct %s: %w", m.Field, err)
		}
		c.saves.Add(1)
		keys = append(keys, m.Field)
	}
	return keys, nil
}

// login stores a session as the login handler does (the encoded pairs csrf and login) and its index.
func (c *campaign) login(i int, nip string) error {
	sid := fmt.Sprintf("%043d", i)
	val := fmt.Appendf(nil, "\x04csrf\x2b%043d\x05login\x12%s", i, nip)
	if err := c.s.Sessions().Set(sid, val, 8*time.Hour); err != nil {
		return err
	}
	return c.s.TrackSession(nip, sid)
}

// typing is one field's run of saves: each value as it stood when the person paused.
type typing struct {
	key    string
	values []string
}

var selfRated = map[string]bool{"kemampuan_komputer": true, "bahasa_asing": true, "bidang_keahlian": true, "potensi": true}

// typeForm makes the PNS's autosaves: runs of saves on fields (Data Utama, Data Posisi, the self
// assessment) and on a new training row. It returns the entry keys that became proposals.
func (c *campaign) typeForm(a store.Actor, i int, rng *rand.Rand) ([]string, error) {
	street := []string{"Jl. Sisingamangaraja", "Jl. Sisingamangaraja No. 1", "Jl. Sisingamangaraja No. 12", "Jl. Sisingamangaraja No. 12, Sema",
		"Jl. Sisingamangaraja No. 12, Semarang", fmt.Sprintf("Jl. Sisingamangaraja No. %d, Semarang Selatan", 12+i%40)}
	runs := []typing{
		{"alamat", street},
		{"no_hp", []string{"0812233445", "08122334455", "081223344556", fmt.Sprintf("0812233%05d", i)}},
		{"email", []string{"pns@contoh", "pns" + strconv.Itoa(i) + "@contoh.go", "pns" + strconv.Itoa(i) + "@contoh.go.id"}},
		{"lokasi_kerja", []string{"Kantor", "Kantor Gubernur", "Kantor Gubernur Jawa", "Kantor Gubernur Jawa Tengah"}},
		{"kemampuan_komputer", []string{strconv.Itoa(1 + rng.IntN(4))}},
		{"bahasa_asing", []string{"Ingg", "Inggris", "Inggris (mene", "Inggris (menengah)"}},
		{"bidang_keahlian", []string{"Penge", "Pengelolaan", "Pengelolaan arsip", "Pengelolaan arsip dan", "Pengelolaan arsip dan kepegawaian"}},
		{"potensi", []string{"Kepe", "Kepemimpinan", "Kepemimpinan dan", "Kepemimpinan dan analisis", "Kepemimpinan dan analisis kebijakan",
			"Kepemimpinan dan analisis kebijakan publik"}},
	}
	if i%4 == 0 { // one in four corrects a title: a line for BKN (Level 3)
		runs = append(runs, typing{"gelar_belakang", []string{"S.Kom", "S.Kom., M.T."}})
	} else {
		runs = append(runs, typing{"kode_pos", []string{"5013", "50135"}})
	}
	if i%5 == 0 {
		// The PNS whose address will be returned leaves the self assessment as it is: a returned form
		// cannot be sent again once a changed self assessment was applied at the first Kirim (its
		// entries are gone and the returned form opens only the BTS lines; see the report of issue 13).
		runs = slices.DeleteFunc(runs, func(t typing) bool { return selfRated[t.key] })
	}
	var keys []string
	for _, r := range runs {
		saved := false
		for _, v := range r.values {
			_, _, err := c.s.Autosave(a, a.NIP, r.key, v, "data lama sudah tidak sesuai")
			var fe *store.FieldError
			switch {
			case err == nil:
				saved = true
				c.saves.Add(1)
			case errors.As(err, &fe), errors.Is(err, store.ErrUnchanged): // a value half typed is refused, as on the page
			default:
				return nil, fmt.Errorf("autosave %s=%q: %w", r.key, v, err)
			}
		}
		if saved {
			keys = append(keys, r.key)
		}
	}
	rowKey, err := c.typeRow(a, i)
	return append(keys, rowKey), err
}

// typeRow adds a training to Diklat Fungsional, saved five times as it is typed.
func (c *campaign) typeRow(a store.Actor, i int) (string, error) {
	names := []string{"Bimtek", "Bimtek Ars", "Bimtek Arsip", "Bimtek Arsip Dinamis", "Bimtek Arsip Dinamis Angkatan " + strconv.Itoa(1+i%9)}
	id := ""
	var key string
	for _, n := range names {
		e, _, err := c.s.ProposeRow(a, a.NIP, "diklat_fungsional", id, store.OpTambah,
			map[string]string{"nama_diklat": n, "penyelenggara": "ANRI", "tahun": "2015", "jumlah_jam": "40"}, "sertifikat baru")
		if err != nil {
			return "", fmt.Errorf("row %q: %w", n, err)
		}
		c.saves.Add(1)
		key = e.Field
		_, id, _ = store.ParseRowKey(key)
	}
	return key, nil
}

// attach uploads what each proposal needs (and the training's optional certificate): scans of
// 100–500 KB, a JPEG for identity cards, a PDF otherwise.
func (c *campaign) attach(a store.Actor, keys []string, rng *rand.Rand) error {
	form, err := c.s.Form(a, a.NIP)
	if err != nil {
		return err
	}
	for _, key := range keys {
		kinds := form.MissingDocs(key)
		if t, _, ok := store.ParseRowKey(key); ok && t == "diklat_fungsional" && len(form.Docs[key]) == 0 {
			kinds = append(kinds, "Sertifikat Diklat")
		}
		for _, kind := range kinds {
			if err := c.upload(a, key, kind, rng); err != nil {
				return err
			}
		}
	}
	return nil
}

// upload attaches one scan of 100–500 KB of random (incompressible) bytes.
func (c *campaign) upload(a store.Actor, key, kind string, rng *rand.Rand) error {
	body := make([]byte, 100<<10+rng.IntN(400<<10))
	for i := 0; i+8 <= len(body); i += 8 {
		v := rng.Uint64()
		for j := range 8 {
			body[i+j] = byte(v >> (8 * j))
		}
	}
	name := kind + ".pdf"
	if kind == "KTP" {
		copy(body, "\xff\xd8\xff\xe0")
		copy(body[len(body)-2:], "\xff\xd9")
		name = "ktp.jpg"
	} else {
		copy(body, "%PDF-1.4\n")
		copy(body[len(body)-7:], "\n%%EOF\n")
	}
	if _, _, err := c.s.AddDocument(a, a.NIP, key, kind, name, bytesReader(body)); err != nil {
		return fmt.Errorf("document %s for %s: %w", kind, key, err)
	}
	c.docs.Add(1)
	c.docB.Add(int64(len(body)))
	return nil
}

// review is the verifiers' work on a submission until it is done: every line approved at every
// level, except that one PNS in five has the address returned (BTS) once, at Level 1 or Level 2,
// then corrects it and sends again.
func (c *campaign) review(a store.Actor, i int, sub store.Submission, rng *rand.Rand) error {
	returned := i%5 != 0
	for guard := 0; sub.State != store.StateDone; guard++ {
		if guard > 20 {
			return fmt.Errorf("submission #%d stuck in %s", sub.ID, sub.State)
		}
		if sub.State == store.StateReturned {
			if err := c.correct(a, i, rng); err != nil {
				return err
			}
			if _, err := c.s.Confirm(a, a.NIP, store.AllCheckKeys(), true); err != nil {
				return fmt.Errorf("confirm again: %w", err)
			}
			var err error
			if sub, err = c.s.Kirim(a, a.NIP); err != nil {
				return fmt.Errorf("Kirim again: %w", err)
			}
			continue
		}
		lv := sub.State.Level()
		v, ok := c.byLevel[lv]
		if lv == 1 {
			v, ok = c.v1[sub.SKPDID]
		}
		if !ok {
			return fmt.Errorf("no verifier for level %d of #%d (SKPD %s)", lv, sub.ID, sub.SKPDID)
		}
		var err error
		if sub, _, err = c.s.OpenForReview(v, sub.ID); err != nil {
			return err
		}
		for _, li := range sub.ReviewLines() {
			l := sub.Lines[li]
			verdict, note := store.Setuju, ""
			if !returned && l.Field == "alamat" && lv == 1+i%10/5 {
				verdict, note, returned = store.BTS, "KTP tidak terbaca, unggah ulang", true
				c.bts.Add(1)
			}
			if sub, err = c.s.Decide(v, sub.ID, sub.Rev, l.Field, verdict, note); err != nil {
				return fmt.Errorf("decide %s at level %d: %w", l.Field, lv, err)
			}
		}
		if sub, err = c.s.Forward(v, sub.ID, sub.Rev); err != nil {
			return fmt.Errorf("forward at level %d: %w", lv, err)
		}
	}
	return nil
}

// correct is the PNS answering a return: the address typed again and a new scan of the KTP.
func (c *campaign) correct(a store.Actor, i int, rng *rand.Rand) error {
	for _, v := range []string{"Jl. Sisingamangaraja No. 12A", fmt.Sprintf("Jl. Sisingamangaraja No. %dA, Semarang Selatan", 12+i%40)} {
		if _, _, err := c.s.Autosave(a, a.NIP, "alamat", v, "alamat sesuai KTP baru"); err != nil {
			return fmt.Errorf("correct alamat: %w", err)
		}
		c.saves.Add(1)
	}
	return c.upload(a, "alamat", "KTP", rng)
}
