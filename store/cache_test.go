package store_test

import (
	"testing"

	"pupns/store"
	"pupns/store/storetest"
)

// TestRecordReadsSeeEveryNewVersion: the decode cache is keyed by the stored bytes, so a record
// read after an import or an approval shows the new value at once, through every read path.
func TestRecordReadsSeeEveryNewVersion(t *testing.T) {
	f := newFx(t)
	// Warm the cache through both read paths.
	if _, err := f.s.Form(f.budi, nipBudi); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Record(nipBudi); err != nil {
		t.Fatal(err)
	}
	rec := storetest.Record(nipBudi, unitU01, "Budi Susanto", nikBudi)
	f.putMasters(rec)
	form, err := f.s.Form(f.budi, nipBudi)
	if err != nil {
		t.Fatal(err)
	}
	if got := form.Record.Fields["nama"]; got != "Budi Susanto" {
		t.Fatalf("Form after re-import shows %q: stale cached record", got)
	}
	if got, _ := f.s.Record(nipBudi); got.Fields["nama"] != "Budi Susanto" || got.Version != 2 {
		t.Fatalf("Record after re-import: %q v%d", got.Fields["nama"], got.Version)
	}
}

// TestChangingARecordCopyDoesNotChangeTheStore: Record hands out a copy; a caller that edits it
// (as import and tests do) must not change what the next reader sees through the shared cache.
func TestChangingARecordCopyDoesNotChangeTheStore(t *testing.T) {
	f := newFx(t)
	rec := storetest.Record(nipBudi, unitU01, "Budi Santoso", nikBudi)
	rec.Riwayat = map[string][]store.Row{"golongan": {{ID: "g1", Fields: map[string]string{"golongan": "31", "tmt_golongan": "2015-05-01"}}}}
	f.putMasters(rec)
	r1, _ := f.s.Record(nipBudi)
	r1.Fields["nama"] = "DIUBAH"
	r1.Riwayat["golongan"] = nil
	r2, _ := f.s.Record(nipBudi)
	form, _ := f.s.Form(f.budi, nipBudi)
	if r2.Fields["nama"] == "DIUBAH" || form.Record.Fields["nama"] == "DIUBAH" {
		t.Fatal("a caller's edit leaked into the store's cached record")
	}
	if len(r2.Riwayat["golongan"]) == 0 {
		t.Fatal("a caller's edit of riwayat leaked into the cache")
	}
}

// TestTwoStoresDoNotShareCachedRecords: two data files in one process (tests, or an import tool
// beside a server) hold different records under the same NIP; each must see only its own.
func TestTwoStoresDoNotShareCachedRecords(t *testing.T) {
	a := newFx(t)
	b := newFx(t)
	b.putMasters(storetest.Record(nipBudi, unitU01, "Budi Lain", nikBudi))
	if _, err := a.s.Record(nipBudi); err != nil {
		t.Fatal(err)
	}
	rb, _ := b.s.Record(nipBudi)
	ra, _ := a.s.Record(nipBudi)
	if ra.Fields["nama"] == rb.Fields["nama"] {
		t.Fatalf("both stores show %q", ra.Fields["nama"])
	}
}

// TestSmallCacheStillAnswersRight: with a cache far smaller than the office, eviction must never
// lose or mix records.
func TestSmallCacheStillAnswersRight(t *testing.T) {
	s, err := store.Open(t.TempDir(), store.Options{CacheEntries: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fxMust(t, s.PutInstansi(store.Instansi{ID: fxInstansi, Name: "Provinsi", Jenis: "daerah", KanregID: "I"}))
	fxMust(t, s.PutUnit(store.Unit{ID: unitU01, InstansiID: fxInstansi, Name: "Dinas"}))
	nips := []string{nipBudi, nipSiti, nipAgus}
	names := map[string]string{nipBudi: "Budi", nipSiti: "Siti", nipAgus: "Agus"}
	var in []store.MasterInput
	for i, n := range nips {
		in = append(in, store.MasterInput{Record: storetest.Record(n, unitU01, names[n], storetest.NIK(n, i+1)), Line: i + 1})
	}
	if _, _, bad, err := s.PutMaster(in, "t", "t"); err != nil || len(bad) > 0 {
		t.Fatal(err, bad)
	}
	for round := 0; round < 3; round++ {
		for _, n := range nips {
			r, err := s.Record(n)
			if err != nil || r.Fields["nama"] != names[n] {
				t.Fatalf("round %d %s: %q %v", round, n, r.Fields["nama"], err)
			}
		}
	}
}
