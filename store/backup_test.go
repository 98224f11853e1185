package store_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"pupns/store"
	"pupns/store/storetest"
)

// bkOffice is a seeded office with 300 more accounts (a file of many pages) and Budi's sent
// submission, open.
func bkOffice(t *testing.T) *storetest.Office {
	t.Helper()
	o := storetest.NewOffice(t)
	var more []store.User
	for i := range 300 {
		more = append(more, store.User{Login: fmt.Sprintf("staf-%03d", i), Role: store.RoleV1, Name: "Staf Cadangan",
			ScopeID: "U02", Hash: "argon2id$tidak-dipakai"})
	}
	fxMust(t, o.Store.PutUsers(more))
	f := &fx{t: t, s: o.Store, clock: o.Clock}
	f.send(fxPNS(storetest.NIPBudi), usulHP)
	return o
}

// A backup taken while writers commit is one committed state: it checks clean, opens, and holds
// every account written before it began.
func TestBackupWhileWritingChecksClean(t *testing.T) {
	o := bkOffice(t)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			fxMust(t, o.Store.PutUsers([]store.User{{Login: fmt.Sprintf("baru-%05d", i), Role: store.RoleV1,
				Name: "Staf Baru", ScopeID: "U02", Hash: "argon2id$x"}}))
		}
	}()
	path := filepath.Join(t.TempDir(), "cadangan.db")
	n, err := o.Store.BackupFile(path)
	close(stop)
	wg.Wait()
	fxMust(t, err)
	if fi, err := os.Stat(path); err != nil || fi.Size() != n || n == 0 {
		t.Fatalf("backup file = %v, %v; want %d bytes", fi, err, n)
	}
	rep, err := store.CheckBackup(path)
	if err != nil || rep.Schema != store.SchemaVersion || rep.Values < 300 {
		t.Fatalf("CheckBackup = %+v, %v; want a clean file of schema %d", rep, err, store.SchemaVersion)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*tmp")); len(left) > 0 {
		t.Fatalf("temporary files left: %v", left)
	}
	dir := t.TempDir()
	if _, err := store.Restore(path, dir, time.Now()); err != nil {
		t.Fatal(err)
	}
	s := storetest.Open(t, dir, o.Clock)
	defer s.Close()
	if _, err := s.User("staf-299"); err != nil {
		t.Fatalf("the restored office lacks an account written before the backup: %v", err)
	}
	if subs, err := s.Submissions(fxPNS(storetest.NIPBudi), storetest.NIPBudi); err != nil || len(subs) != 1 {
		t.Fatalf("Budi's submissions in the restored office = %v, %v", subs, err)
	}
}

// A backup with bytes flipped in its middle is refused with a sentence that says it is damaged.
func TestCheckBackupRefusesFlippedBytes(t *testing.T) {
	o := bkOffice(t)
	path := filepath.Join(t.TempDir(), "cadangan.db")
	_, err := o.Store.BackupFile(path)
	fxMust(t, err)
	flipMiddle(t, path)
	_, err = store.CheckBackup(path)
	if !errors.Is(err, store.ErrDamaged) || !strings.Contains(err.Error(), "rusak, jadi tidak dipakai") {
		t.Fatalf("CheckBackup of a damaged backup = %v, want ErrDamaged saying so", err)
	}
	dir := t.TempDir()
	if _, err := store.Restore(path, dir, time.Now()); !errors.Is(err, store.ErrDamaged) {
		t.Fatalf("Restore of a damaged backup = %v, want ErrDamaged", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "pupns.db")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a refused restore wrote the data file: %v", err)
	}
}

// flipMiddle inverts 64 KiB in the middle of the file at path.
func flipMiddle(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	fxMust(t, err)
	mid := len(b) / 2
	for i := mid - 32<<10; i < mid+32<<10 && i < len(b); i++ {
		b[max(i, 0)] ^= 0xFF
	}
	fxMust(t, os.WriteFile(path, b, 0o600))
}

// Restore refuses while a store holds the data file, keeps the replaced file beside the new one,
// and refuses a bbolt file that holds no pupns data or a later schema.
func TestRestoreKeepsTheOldFileAndRefusesInUse(t *testing.T) {
	o := bkOffice(t)
	path := filepath.Join(t.TempDir(), "cadangan.db")
	_, err := o.Store.BackupFile(path)
	fxMust(t, err)
	if _, err := store.Restore(path, o.Dir, time.Now()); !errors.Is(err, store.ErrInUse) {
		t.Fatalf("Restore into a folder whose file is open = %v, want ErrInUse", err)
	}
	fxMust(t, o.Store.PutUsers([]store.User{{Login: "setelah-cadangan", Role: store.RoleV1, Name: "Staf", ScopeID: "U02", Hash: "x"}}))
	fxMust(t, o.Store.Close())
	at := time.Date(2026, 11, 30, 17, 4, 5, 0, time.UTC)
	rep, err := store.Restore(path, o.Dir, at)
	fxMust(t, err)
	if rep.Kept != filepath.Join(o.Dir, "pupns.db.sebelum-pulih-20261130-170405") || rep.Size == 0 {
		t.Fatalf("Restore = %+v", rep)
	}
	old := storetest.Open(t, filepath.Dir(bkCopy(t, rep.Kept)), o.Clock)
	if _, err := old.User("setelah-cadangan"); err != nil {
		t.Fatalf("the kept file is not the replaced one: %v", err)
	}
	fxMust(t, old.Close())
	s := storetest.Open(t, o.Dir, o.Clock)
	if _, err := s.User("setelah-cadangan"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the restored office has an account made after the backup: %v", err)
	}
	fxMust(t, s.Close())

	empty := filepath.Join(t.TempDir(), "kosong.db")
	db, err := bbolt.Open(empty, 0o600, nil)
	fxMust(t, err)
	fxMust(t, db.Close())
	if _, err := store.CheckBackup(empty); !errors.Is(err, store.ErrSchema) {
		t.Fatalf("CheckBackup of an empty bbolt file = %v, want ErrSchema", err)
	}
	if _, err := store.CheckBackup(filepath.Join(t.TempDir(), "tidak-ada.db")); err == nil || !strings.Contains(err.Error(), "tidak ada") {
		t.Fatalf("CheckBackup of a missing file = %v", err)
	}
}

// bkCopy copies the file at path into a folder of its own as pupns.db and returns the new path.
func bkCopy(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	fxMust(t, err)
	out := filepath.Join(t.TempDir(), "pupns.db")
	fxMust(t, os.WriteFile(out, b, 0o600))
	return out
}

// Two restores in the same second keep both replaced files.
func TestRestoreTwiceInOneSecondKeepsBoth(t *testing.T) {
	o := bkOffice(t)
	path := filepath.Join(t.TempDir(), "cadangan.db")
	_, err := o.Store.BackupFile(path)
	fxMust(t, err)
	fxMust(t, o.Store.Close())
	at := time.Date(2026, 11, 30, 17, 4, 5, 0, time.UTC)
	first, err := store.Restore(path, o.Dir, at)
	fxMust(t, err)
	second, err := store.Restore(path, o.Dir, at)
	fxMust(t, err)
	if first.Kept == second.Kept || !strings.HasSuffix(second.Kept, "-2") {
		t.Fatalf("kept %q then %q", first.Kept, second.Kept)
	}
}
