package store_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"go.etcd.io/bbolt"

	"pupns/store"
	"pupns/store/storetest"
)

// allVersionsJSON is every version of the office's PNS, whole, as JSON.
func allVersionsJSON(t *testing.T, s *store.Store) string {
	t.Helper()
	var all []any
	for _, nip := range []string{nipBudi, nipSiti, nipAgus, nipDedi} {
		vers, err := s.Versions(nip)
		fxMust(t, err)
		all = append(all, vers)
	}
	raw, err := json.Marshal(all)
	fxMust(t, err)
	return string(raw)
}

// versionsBytes is the size of the versions bucket's keys and values.
func versionsBytes(t *testing.T, db *bbolt.DB) (n int) {
	t.Helper()
	fxMust(t, db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket([]byte("versions")).ForEach(func(k, v []byte) error { n += len(k) + len(v); return nil })
	}))
	return n
}

// TestVersion3FileMigratesToDeltas: a file of schema version 3 (every version a full copy of its
// record) opens, its versions are rewritten as what changed in Open's transaction, it answers
// every version exactly as before, its versions take less room, and the check accepts it.
func TestVersion3FileMigratesToDeltas(t *testing.T) {
	for _, chunk := range []int{1000, 2} {
		t.Run(fmt.Sprint("chunk", chunk), func(t *testing.T) {
			defer store.SetVersionChunkForTesting(chunk)()
			testVersion3Migrates(t)
		})
	}
}

func testVersion3Migrates(t *testing.T) {
	f, snaps := versionsOffice(t)
	want := allVersionsJSON(t, f.s)
	path := f.s.DB().Path()
	dir := path[:len(path)-len("/pupns.db")]
	fxMust(t, f.s.Close())

	db, err := bbolt.Open(path, 0o600, nil)
	fxMust(t, err)
	copies := 0
	fxMust(t, db.Update(func(tx *bbolt.Tx) error {
		if err := store.WriteFullVersionsForTesting(tx); err != nil {
			return err
		}
		copies, err = store.VersionCopiesForTesting(tx)
		if err != nil {
			return err
		}
		return store.WriteSchemaForTesting(tx, 3)
	}))
	full := versionsBytes(t, db)
	var keys int
	fxMust(t, db.View(func(tx *bbolt.Tx) error { keys = tx.Bucket([]byte("versions")).Stats().KeyN; return nil }))
	fxMust(t, db.Close())
	if copies != keys || keys < 10 {
		t.Fatalf("the version-3 file holds %d full copies of %d versions, want every version's", copies, keys)
	}
	if _, err := store.Check(dir); err != nil {
		t.Fatalf("Check of the version-3 file: %v", err)
	}

	s := storetest.Open(t, dir, f.clock)
	if got := allVersionsJSON(t, s); got != want {
		t.Fatalf("after migration the versions read\n%s\nwant\n%s", got, want)
	}
	snaps.check(t, s)
	if v, err := s.Meta("schema"); err != nil || string(v) != fmt.Sprint(store.SchemaVersion) {
		t.Fatalf("schema after migration = %q, %v", v, err)
	}
	var left int
	fxMust(t, s.DB().View(func(tx *bbolt.Tx) (err error) { left, err = store.VersionCopiesForTesting(tx); return }))
	if left != 0 {
		t.Fatalf("%d versions still hold a full copy after migration", left)
	}
	if delta := versionsBytes(t, s.DB()); delta*2 > full {
		t.Fatalf("versions take %d bytes as deltas, %d as full copies: want less than half", delta, full)
	}
	fxMust(t, s.Close())
	if _, err := store.Check(dir); err != nil {
		t.Fatalf("Check after migration: %v", err)
	}
	// Opening again changes nothing.
	s = storetest.Open(t, dir, f.clock)
	if got := allVersionsJSON(t, s); got != want {
		t.Fatal("a second open changed the versions")
	}
}
