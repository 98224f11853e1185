package store_test

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"pupns/store"
	"pupns/store/storetest"
)

// fileDigest digests every bucket of the bbolt file at path: names, sequences, keys and values
// (sealed, as stored).
func fileDigest(t *testing.T, path string) (string, int) {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true})
	fxMust(t, err)
	defer db.Close()
	h := sha256.New()
	n := 0
	fxMust(t, db.View(func(tx *bbolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bbolt.Bucket) error {
			fmt.Fprintf(h, "%s %d\n", name, b.Sequence())
			return b.ForEach(func(k, v []byte) error {
				n++
				fmt.Fprintf(h, "%x=%x\n", k, v)
				return nil
			})
		})
	}))
	return fmt.Sprintf("%x", h.Sum(nil)), n
}

// bloatedOffice is the test office after a storm of sessions that have all ended: the file keeps
// the pages they took.
func bloatedOffice(t *testing.T) *storetest.Office {
	t.Helper()
	o := storetest.NewOffice(t)
	f := &fx{t: t, s: o.Store, clock: o.Clock}
	f.send(fxPNS(storetest.NIPBudi), usulHP)
	f.propose(fxPNS(storetest.NIPSri), usulAlamat)
	val := bytes.Repeat([]byte("s"), 20_000)
	kv := o.Store.Sessions()
	var wg sync.WaitGroup
	for w := range 16 { // concurrent, so that bbolt batches them as a login storm would be
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < 400; i += 16 {
				if err := kv.Set(fmt.Sprintf("sesi-%05d", i), val, time.Hour); err != nil {
					t.Error(err)
				}
			}
			for i := w; i < 400; i += 16 {
				if err := kv.Delete(fmt.Sprintf("sesi-%05d", i)); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	return o
}

// TestCompactShrinksAndKeepsEveryValue: after deletes, compaction gives the file back at its live
// size with every bucket, sequence, key and value as it was; the file before is kept beside it,
// and the office opens and answers as before.
func TestCompactShrinksAndKeepsEveryValue(t *testing.T) {
	o := bloatedOffice(t)
	want := migState(t, o.Store)
	fxMust(t, o.Store.Close())
	path := filepath.Join(o.Dir, "pupns.db")
	digest, n := fileDigest(t, path)

	rep, err := store.Compact(o.Dir, "", time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC))
	fxMust(t, err)
	if rep.After*3 > rep.Before {
		t.Fatalf("compacted %d → %d bytes: want it to shrink to less than a third", rep.Before, rep.After)
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() != rep.After {
		t.Fatalf("data file after compaction: %v, %v; want %d bytes", fi, err, rep.After)
	}
	if got, m := fileDigest(t, path); got != digest || m != n {
		t.Fatalf("compacted file holds %d values (digest %s), want the %d values as they were (%s)", m, got, n, digest)
	}
	if fi, err := os.Stat(rep.Kept); err != nil || fi.Size() != rep.Before || filepath.Dir(rep.Kept) != o.Dir {
		t.Fatalf("the file before compaction, kept as %q: %v, %v", rep.Kept, fi, err)
	}
	if rep.Check.Values == 0 {
		t.Fatal("the compacted file was not checked")
	}
	s := o.Reopen()
	if got := migState(t, s); got != want {
		t.Fatalf("after compaction the office answers\n%s\nwant\n%s", got, want)
	}
	if entries, _ := filepath.Glob(filepath.Join(o.Dir, ".pupns.db.*")); len(entries) != 0 {
		t.Fatalf("temporary files left: %v", entries)
	}
}

// TestCompactToOutLeavesTheDataFile: with an out file, the copy goes there and the data file is
// not touched.
func TestCompactToOutLeavesTheDataFile(t *testing.T) {
	o := bloatedOffice(t)
	fxMust(t, o.Store.Close())
	path := filepath.Join(o.Dir, "pupns.db")
	digest, _ := fileDigest(t, path)
	before, _ := os.Stat(path)
	out := filepath.Join(t.TempDir(), "padat.db")
	rep, err := store.Compact(o.Dir, out, time.Now())
	fxMust(t, err)
	if after, _ := os.Stat(path); after.Size() != before.Size() || !after.ModTime().Equal(before.ModTime()) || rep.Kept != "" {
		t.Fatalf("the data file changed: %d → %d bytes, kept %q", before.Size(), after.Size(), rep.Kept)
	}
	if got, _ := fileDigest(t, out); got != digest || rep.Out != out || rep.After >= rep.Before {
		t.Fatalf("out file %s: %+v, digest equal %v", out, rep, got == digest)
	}
	if _, err := store.Compact(o.Dir, out, time.Now()); err == nil {
		t.Fatal("compaction over an existing out file was not refused")
	}
}

// TestCompactRefusesAFolderInUse: while a pupns holds the data file, nothing is written.
func TestCompactRefusesAFolderInUse(t *testing.T) {
	o := bloatedOffice(t)
	path := filepath.Join(o.Dir, "pupns.db")
	before, _ := os.Stat(path)
	_, err := store.Compact(o.Dir, "", time.Now())
	if !errors.Is(err, store.ErrInUse) {
		t.Fatalf("Compact of a folder in use = %v, want ErrInUse", err)
	}
	if after, _ := os.Stat(path); after.Size() != before.Size() || !after.ModTime().Equal(before.ModTime()) {
		t.Fatal("the data file changed")
	}
	if entries, _ := filepath.Glob(filepath.Join(o.Dir, "*")); len(entries) != 1 {
		t.Fatalf("files beside the data file: %v", entries)
	}
}

// TestCompactRepacksValuesWrittenBeforePacking: a file written before values were packed and events
// encoded compactly (every value plain, events as JSON) reads as it did, and compaction stores those
// values packed and those events compact — smaller, every value and every answer the same.
func TestCompactRepacksValuesWrittenBeforePacking(t *testing.T) {
	o, want, path := closedOffice(t)

	old := rewriteValues(t, path, store.OldFormatForTesting)
	if old < 10 {
		t.Fatalf("only %d values differ in the old format: the office holds too little to test", old)
	}
	db, err := bbolt.Open(path, 0o600, nil) // and the schema number the code before wrote
	fxMust(t, err)
	fxMust(t, db.Update(func(tx *bbolt.Tx) error { return store.WriteSchemaForTesting(tx, 5) }))
	fxMust(t, db.Close())
	if rep, err := store.Check(o.Dir); err != nil || rep.Schema != 5 || rep.Values == 0 {
		t.Fatalf("Check of the schema-5 file = %+v, %v; want every seal verified", rep, err)
	}
	s := o.Reopen()
	if got := migState(t, s); got != want {
		t.Fatalf("the old-format file answers\n%s\nwant\n%s", got, want)
	}
	if v, err := s.Meta("schema"); err != nil || string(v) != fmt.Sprint(store.SchemaVersion) {
		t.Fatalf("after opening, schema %q (%v), want %d: an older program must refuse the file", v, err, store.SchemaVersion)
	}
	fxMust(t, s.Close())

	rep, err := store.Compact(o.Dir, "", time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC))
	fxMust(t, err)
	if rep.Repacked != old {
		t.Fatalf("compaction repacked %d values, want the %d the old format changed", rep.Repacked, old)
	}
	db, err = bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true})
	fxMust(t, err)
	fxMust(t, db.View(func(tx *bbolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bbolt.Bucket) error {
			return b.ForEach(func(k, v []byte) error {
				w, err := store.OldFormatForTesting(string(name), k, v)
				if err != nil {
					return err
				}
				// An event, or a large value of a bucket that packs, still as the old code stored it.
				if bytes.Equal(w, v) && (string(name) == "events" || len(v) > 300 && slices.Contains(store.PackedBucketsForTesting(), string(name))) {
					t.Errorf("%s %x: %d bytes as before packing", name, k, len(v))
				}
				return nil
			})
		})
	}))
	fxMust(t, db.Close())
	s = o.Reopen()
	if got := migState(t, s); got != want {
		t.Fatalf("after compaction the office answers\n%s\nwant\n%s", got, want)
	}
}
