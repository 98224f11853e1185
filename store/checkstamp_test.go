package store_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"pupns/store"
	"pupns/store/storetest"
)

// TestCheckStartSkipsOnlyAnUnchangedFile: after a clean close, the start-up check reads only the
// meta pages (Quick); an open store has no stamp (a crash leaves none), and a file touched, edited
// or damaged since the close is checked whole, damage refused.
func TestCheckStartSkipsOnlyAnUnchangedFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "pupns.db")
	s, err := store.Open(dir, store.Options{})
	fxMust(t, err)
	fxMust(t, storetest.SeedOrg(s))
	_, _, _, err = s.PutMaster([]store.MasterInput{{Record: storetest.Record(nipBudi, unitU01, "Budi Santoso", nikBudi)}}, "test", "fixture")
	fxMust(t, err)
	if _, err := os.Stat(filepath.Join(dir, "pupns.checked")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("an open store left a check stamp: %v", err)
	}
	fxMust(t, s.Close())
	rep, err := store.CheckStart(dir)
	if err != nil || !rep.Quick {
		t.Fatalf("after a clean close: %+v, %v; want a quick check", rep, err)
	}

	// Reopened and closed again: the stamp follows the file.
	s, err = store.Open(dir, store.Options{})
	fxMust(t, err)
	if rep, _ := store.CheckStart(dir); rep.Quick {
		t.Fatal("quick check of a file held open")
	}
	fxMust(t, s.Close())
	if rep, err := store.CheckStart(dir); err != nil || !rep.Quick {
		t.Fatalf("after the second close: %+v, %v", rep, err)
	}

	// Touched: checked whole (and sound).
	later := time.Now().Add(time.Minute)
	fxMust(t, os.Chtimes(path, later, later))
	if rep, err := store.CheckStart(dir); err != nil || rep.Quick || rep.Values == 0 {
		t.Fatalf("touched file: %+v, %v; want a full check", rep, err)
	}

	// Damaged in place after a clean close (the touch above was checked and the file is
	// unchanged, but the stamp no longer matches it): the full check refuses it.
	record := dmgStored(t, path, "records", storetest.NIPBudi) // packed: his name is not in the clear
	raw, err := os.ReadFile(path)
	fxMust(t, err)
	i := bytes.Index(raw, record)
	if i < 0 {
		t.Fatal("record not found in the file")
	}
	raw[i+len(record)/2] ^= 0x01
	fxMust(t, os.WriteFile(path, raw, 0o600))
	if _, err := store.CheckStart(dir); !errors.Is(err, store.ErrDamaged) {
		t.Fatalf("damaged file after the close: %v, want ErrDamaged", err)
	}
}
