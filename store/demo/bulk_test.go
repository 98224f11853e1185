package demo

import (
	"bytes"
	"fmt"
	"testing"

	"go.etcd.io/bbolt"

	"pupns/store"
)

// TestBulkBuildEqualsPlainWrites: the demo built through the bulk path (store.PutMasterBulk in
// BulkLoad) holds exactly what the plain writes make of the same people, PutMaster for each chunk
// of records then PutUsers for their accounts: every record, version, event, account, index,
// counter, list and daily series, byte for byte. Only the demo's own result (its build time) and
// the form secret (random) may differ.
func TestBulkBuildEqualsPlainWrites(t *testing.T) {
	const n, seed = 700, 5
	bulk := openDemoStore(t)
	if _, err := Generate(bulk, Options{PNS: n, Seed: seed}); err != nil {
		t.Fatal(err)
	}

	plain := openDemoStore(t)
	g := newGen(seed, plain.Now())
	inst, err := g.writeOrg(plain)
	if err != nil {
		t.Fatal(err)
	}
	hash := storedHash(t, bulk)
	people := g.skeletons(n)
	for i, p := range people {
		p.unregistered = i%unregisteredEvery == unregisteredEvery-1
	}
	for lo := 0; lo < n; lo += 300 { // other chunks than the bulk path's: the result must not depend on them
		c := g.chunk(people, lo, min(lo+300, n), hash)
		if _, _, bad, err := plain.PutMaster(c.in, "demo", "demo"); err != nil || len(bad) > 0 {
			t.Fatal(err, bad)
		}
		if err := plain.PutUsers(c.users); err != nil {
			t.Fatal(err)
		}
	}
	staff, _ := g.staff(inst, hash, DefaultPassword)
	if err := plain.PutUsers(staff); err != nil {
		t.Fatal(err)
	}
	if err := plain.MarkDemo(); err != nil {
		t.Fatal(err)
	}

	a, b := dumpAll(t, bulk), dumpAll(t, plain)
	for _, skip := range []string{"meta/demo_result", "meta/form_secret"} {
		delete(a, skip)
		delete(b, skip)
	}
	if len(a) != len(b) {
		t.Errorf("bulk file holds %d values, plain writes %d", len(a), len(b))
	}
	diff := 0
	for k, v := range b {
		if w, ok := a[k]; !ok || !bytes.Equal(v, w) {
			if diff++; diff <= 5 {
				t.Errorf("%s: bulk %q, plain %q", k, w, v)
			}
		}
	}
	if c, _ := bulk.CountRecords(); c != n {
		t.Errorf("bulk wrote %d records, want %d", c, n)
	}
}

// storedHash is the password hash the demo gave its accounts (argon2id is salted: a new hash
// would differ).
func storedHash(t *testing.T, s *store.Store) string {
	t.Helper()
	u, err := s.User("admin")
	if err != nil {
		t.Fatal(err)
	}
	return u.Hash
}

// dumpAll reads every value of the file, keyed by bucket/key.
func dumpAll(t *testing.T, s *store.Store) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := s.DB().View(func(tx *bbolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bbolt.Bucket) error {
			return b.ForEach(func(k, v []byte) error {
				out[fmt.Sprintf("%s/%s", name, k)] = bytes.Clone(v)
				return nil
			})
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
