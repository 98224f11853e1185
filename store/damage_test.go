package store_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.etcd.io/bbolt"

	"pupns/store"
	"pupns/store/storetest"
)

// These tests damage a real data file the way disks and careless copies do, and prove that the
// store then answers ErrDamaged (never a changed value, never a crash) and that Check refuses it.

// dmgFile builds a data file with the seeded office, 200 more accounts (so the users bucket is a
// tree of branch and leaf pages), Budi's sent submission and Sri's open proposal, and returns the
// path of a copy of it in a folder of its own.
func dmgFile(t *testing.T) string {
	t.Helper()
	o := storetest.NewOffice(t)
	var more []store.User
	for i := range 200 {
		more = append(more, store.User{Login: fmt.Sprintf("staf-%03d", i), Role: store.RoleV1, Name: "Staf Cadangan",
			ScopeID: "U02", Hash: "argon2id$tidak-dipakai"})
	}
	fxMust(t, o.Store.PutUsers(more))
	f := &fx{t: t, s: o.Store, clock: o.Clock}
	f.send(fxPNS(storetest.NIPBudi), usulHP)
	f.propose(fxPNS(storetest.NIPSri), usulAlamat)
	fxMust(t, o.Store.Close())
	raw, err := os.ReadFile(filepath.Join(o.Dir, "pupns.db"))
	fxMust(t, err)
	dir := t.TempDir()
	fxMust(t, os.WriteFile(filepath.Join(dir, "pupns.db"), raw, 0o600))
	return filepath.Join(dir, "pupns.db")
}

// dmgStored is the value as the file holds it (sealed, packed if its bucket packs) under key in
// bucket; the file must not be held by a store.
func dmgStored(t *testing.T, path, bucket, key string) []byte {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true})
	fxMust(t, err)
	defer db.Close()
	var v []byte
	fxMust(t, db.View(func(tx *bbolt.Tx) error {
		v = bytes.Clone(tx.Bucket([]byte(bucket)).Get([]byte(key)))
		return nil
	}))
	if v == nil {
		t.Fatalf("no %s %s in the file", bucket, key)
	}
	return v
}

// dmgEdit changes the file's bytes with fn, in place (as a disk would: a store that has the file
// open sees the change) unless fn shortens it.
func dmgEdit(t *testing.T, path string, fn func(b []byte) []byte) {
	t.Helper()
	b, err := os.ReadFile(path)
	fxMust(t, err)
	n := len(b)
	if b = fn(b); len(b) < n {
		fxMust(t, os.WriteFile(path, b, 0o600))
		return
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	fxMust(t, err)
	_, err = f.WriteAt(b, 0)
	fxMust(t, err)
	fxMust(t, f.Close())
}

// dmgUsersPages returns the users bucket's root page (a branch) and its first child (a leaf), and
// the page size.
func dmgUsersPages(t *testing.T, path string) (branch, leaf, pageSize int) {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true})
	fxMust(t, err)
	fxMust(t, db.View(func(tx *bbolt.Tx) error {
		branch = int(tx.Bucket([]byte("users")).Root())
		pageSize = db.Info().PageSize
		return nil
	}))
	fxMust(t, db.Close())
	b, err := os.ReadFile(path)
	fxMust(t, err)
	le := binary.LittleEndian
	leaf = int(le.Uint64(b[branch*pageSize+16+8:])) // the first branch element's child
	if le.Uint16(b[branch*pageSize+8:]) != 0x01 || le.Uint16(b[leaf*pageSize+8:]) != 0x02 {
		t.Fatalf("users root %d is not a branch over leaf %d", branch, leaf)
	}
	return branch, leaf, pageSize
}

// dmgRefused asserts that Check refuses the folder of path with ErrDamaged saying want.
func dmgRefused(t *testing.T, path, want string) {
	t.Helper()
	_, err := store.Check(filepath.Dir(path))
	if !errors.Is(err, store.ErrDamaged) || !strings.Contains(err.Error(), want) {
		t.Fatalf("Check = %v, want ErrDamaged saying %q", err, want)
	}
}

func TestCheckAcceptsAGoodFile(t *testing.T) {
	path := dmgFile(t)
	rep, err := store.Check(filepath.Dir(path))
	if err != nil || rep.Pages < 10 || rep.Values < 300 || len(rep.Warnings) > 0 {
		t.Fatalf("Check = %+v, %v; want a clean file of many pages and values", rep, err)
	}
	if rep, err := store.Check(t.TempDir()); err != nil || !rep.Missing {
		t.Fatalf("Check of an empty folder = %+v, %v; want Missing (a new office)", rep, err)
	}
}

func TestFlippedNameIsDamagedNotChanged(t *testing.T) {
	path := dmgFile(t)
	record := dmgStored(t, path, "records", storetest.NIPMade)
	s := storetest.Open(t, filepath.Dir(path), nil)
	// One letter of a name, wherever it is stored in the clear (the account): "Made" becomes
	// "Mada"; and one bit in the middle of his record, which is stored packed (pack.go).
	dmgEdit(t, path, func(b []byte) []byte {
		b = bytes.ReplaceAll(b, []byte("Made Wirawan"), []byte("Mada Wirawan"))
		i := bytes.Index(b, record)
		if i < 0 {
			t.Fatal("Made's record is not in the file")
		}
		b[i+len(record)/2] ^= 0x01
		return b
	})
	_, err := s.Record(storetest.NIPMade)
	if !errors.Is(err, store.ErrDamaged) || !strings.Contains(err.Error(), storetest.NIPMade) {
		t.Fatalf("Record(Made) = %v, want ErrDamaged naming his NIP", err)
	}
	_, err = s.Authenticate(storetest.NIPMade, storetest.Password)
	fxWantErr(t, err, store.ErrDamaged)
	if r, err := s.Record(storetest.NIPSri); err != nil || r.NIP != storetest.NIPSri {
		t.Fatalf("an undamaged record: %v, %v", r.NIP, err)
	}
	fxMust(t, s.Close())
	dmgRefused(t, path, "wadah records, kunci \""+storetest.NIPMade+"\"")
	_, err = store.Open(filepath.Dir(path), store.Options{})
	fxWantErr(t, err, store.ErrDamaged) // opening reads every record (the school list): refused too
}

func TestValueMovedToAnotherKeyIsDamaged(t *testing.T) {
	path := dmgFile(t)
	db, err := bbolt.Open(path, 0o600, nil)
	fxMust(t, err)
	fxMust(t, db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket([]byte("records"))
		return b.Put([]byte(storetest.NIPSri), bytes.Clone(b.Get([]byte(storetest.NIPMade))))
	}))
	fxMust(t, db.Close())
	dmgRefused(t, path, storetest.NIPSri)
}

func TestDamagedUsersPagesNeverCrash(t *testing.T) {
	for _, tc := range []struct{ name, page string }{{"branch", "branch"}, {"leaf", "leaf"}} {
		t.Run(tc.name, func(t *testing.T) {
			path := dmgFile(t)
			branch, leaf, ps := dmgUsersPages(t, path)
			id := branch
			if tc.page == "leaf" {
				id = leaf
			}
			// A server whose file is damaged while it runs: the element headers (positions, sizes,
			// child page ids) become garbage. Every login reads the accounts, and each is an
			// error, not a fault that ends the process.
			s := storetest.Open(t, filepath.Dir(path), nil)
			dmgEdit(t, path, func(b []byte) []byte {
				for i := id*ps + 16; i < id*ps+16+64; i++ {
					b[i] ^= 0xA5
				}
				return b
			})
			for _, login := range []string{storetest.LoginAdmin, "staf-000", "staf-199", storetest.NIPBudi} {
				if _, err := s.Authenticate(login, storetest.Password); err != nil &&
					!errors.Is(err, store.ErrDamaged) && !errors.Is(err, store.ErrBadPassword) {
					t.Errorf("Authenticate(%s) = %v", login, err)
				}
			}
			if _, err := s.Staff(); !errors.Is(err, store.ErrDamaged) {
				t.Errorf("Staff() over the damaged page = %v, want ErrDamaged", err)
			}
			err := s.PutUsers([]store.User{{Login: "baru", Role: store.RoleV1, Name: "Baru", ScopeID: "U01", Hash: "x"}})
			if err != nil && !errors.Is(err, store.ErrDamaged) {
				t.Errorf("PutUsers over the damaged page = %v", err)
			}
			fxMust(t, s.Close())
			dmgRefused(t, path, "halaman")
		})
	}
}

func TestOneDamagedMetaFallsBackBothAreRefused(t *testing.T) {
	path := dmgFile(t)
	_, _, ps := dmgUsersPages(t, path)
	flipMeta := func(b []byte, page int) { b[page*ps+16+20] ^= 0xFF } // inside the root bucket's page id
	dmgEdit(t, path, func(b []byte) []byte { flipMeta(b, 0); return b })
	// bbolt reads the other meta page: the file opens as of that meta's transaction.
	rep, err := store.Check(filepath.Dir(path))
	if err != nil || len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0], "meta 0") {
		t.Fatalf("Check with meta 0 damaged = %+v, %v; want accepted with a warning", rep, err)
	}
	s, err := store.Open(filepath.Dir(path), store.Options{})
	fxMust(t, err)
	if _, err := s.Record(storetest.NIPBudi); err != nil {
		t.Fatalf("reading after the fallback: %v", err)
	}
	fxMust(t, s.Close())

	path = dmgFile(t)
	dmgEdit(t, path, func(b []byte) []byte { flipMeta(b, 0); flipMeta(b, 1); return b })
	dmgRefused(t, path, "kedua halaman meta rusak")
	if _, err := store.Open(filepath.Dir(path), store.Options{}); err == nil {
		t.Fatal("Open accepted a file with both meta pages damaged")
	}
}

func TestTruncatedAndEmptyFilesAreRefused(t *testing.T) {
	path := dmgFile(t)
	dmgEdit(t, path, func(b []byte) []byte { return b[:len(b)/2] })
	dmgRefused(t, path, "terpotong")
	if _, err := store.Open(filepath.Dir(path), store.Options{}); err == nil {
		t.Fatal("Open accepted a truncated file")
	}

	path = dmgFile(t)
	dmgEdit(t, path, func([]byte) []byte { return nil })
	dmgRefused(t, path, "kosong")
	_, err := store.Open(filepath.Dir(path), store.Options{})
	fxWantErr(t, err, store.ErrDamaged)
	if fi, _ := os.Stat(path); fi.Size() != 0 {
		t.Fatalf("Open wrote %d bytes into the empty file", fi.Size())
	}
}
