package backup

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pupns/store"
	"pupns/store/storetest"
)

// clockAt returns a clock that starts at t and moves a minute per reading.
func clockAt(t time.Time) func() time.Time {
	return func() time.Time { t = t.Add(time.Minute); return t }
}

// Take writes a backup that checks clean, records the result beside it and lists it; the folder
// keeps Keep backups, the oldest deleted with their results.
func TestTakeChecksAndKeeps(t *testing.T) {
	o := storetest.NewOffice(t)
	dir := filepath.Join(t.TempDir(), "cadangan")
	b := New(o.Store, Config{Dir: dir, Every: time.Hour, Keep: 3}, nil)
	b.now = clockAt(time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC))
	if _, ok := b.Newest(); ok || !b.Status().Stale {
		t.Fatal("an empty folder has a newest backup, or is not stale")
	}
	var first Entry
	for i := range 5 {
		e, err := b.Take()
		if err != nil || !e.OK || e.Size == 0 || len(e.SHA256) != 64 {
			t.Fatalf("Take %d = %+v, %v", i, e, err)
		}
		if i == 0 {
			first = e
		}
	}
	all, err := b.List()
	if err != nil || len(all) != 3 {
		t.Fatalf("List = %d entries, %v; want 3 kept", len(all), err)
	}
	for _, e := range all {
		if !e.Checked || !e.OK || !strings.HasPrefix(e.Message, "utuh") {
			t.Errorf("entry %+v: want checked clean", e)
		}
		if _, err := store.CheckBackup(e.Path); err != nil {
			t.Errorf("kept backup %s: %v", e.Name, err)
		}
	}
	if !all[0].Time.After(all[1].Time) {
		t.Errorf("List is not newest first: %v, %v", all[0].Time, all[1].Time)
	}
	for _, p := range []string{first.Path, sidecar(first.Path)} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("the oldest backup's %s was not deleted: %v", p, err)
		}
	}
	if n, ok := b.Newest(); !ok || !n.Equal(all[0].Time) || b.Status().Stale {
		t.Fatalf("Newest = %v, %v; Status = %+v", n, ok, b.Status())
	}
	b.now = func() time.Time { return all[0].Time.Add(2 * time.Hour) }
	if !b.Status().Stale {
		t.Fatal("a backup two hours old on an hourly schedule is not stale")
	}
}

// A backup whose bytes were damaged after its check is listed unchecked when its result is gone,
// and the retention never deletes the newest backup that checked clean.
func TestPruneKeepsTheNewestGood(t *testing.T) {
	o := storetest.NewOffice(t)
	dir := t.TempDir()
	b := New(o.Store, Config{Dir: dir, Keep: 1}, nil)
	b.now = clockAt(time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC))
	good, err := b.Take()
	if err != nil {
		t.Fatal(err)
	}
	// A failed backup on file: a later one whose check result says damaged.
	bad := filepath.Join(dir, "pupns-20261130-050000Z.db")
	raw, _ := os.ReadFile(good.Path)
	if err := os.WriteFile(bad, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(sidecar(bad), []byte(`{"waktu":"2026-11-30T05:00:00Z","utuh":false,"pesan":"rusak"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	b.prune()
	all, _ := b.List()
	if len(all) != 2 || all[0].OK || !all[1].OK {
		t.Fatalf("after prune: %+v; want the failed newest and the good one kept", all)
	}
	if err := os.Remove(sidecar(bad)); err != nil {
		t.Fatal(err)
	}
	all, _ = b.List()
	if all[0].Checked || all[0].Message != "belum diperiksa" || !all[0].Time.Equal(time.Date(2026, 11, 30, 5, 0, 0, 0, time.UTC)) {
		t.Fatalf("a backup without a result: %+v", all[0])
	}
}

// Run takes the first backup at once when none exists, then one per period, until ctx ends.
func TestRunTakesOnSchedule(t *testing.T) {
	o := storetest.NewOffice(t)
	b := New(o.Store, Config{Dir: t.TempDir(), Every: 150 * time.Millisecond, Keep: 10}, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	b.Run(ctx)
	all, _ := b.List()
	if len(all) < 2 || len(all) > 5 {
		t.Fatalf("Run for 500ms every 150ms took %d backups", len(all))
	}
	b = New(o.Store, Config{Dir: t.TempDir()}, nil)
	b.Run(context.Background()) // no schedule: returns at once
}

// Snapshot is a fresh backup, open at its start, whose file is already gone from the folder.
func TestSnapshot(t *testing.T) {
	o := storetest.NewOffice(t)
	dir := t.TempDir()
	b := New(o.Store, Config{Dir: dir}, nil)
	f, n, err := b.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Fatalf("the snapshot left %v in the folder", left)
	}
	copyPath := filepath.Join(t.TempDir(), "unduh.db")
	out, _ := os.Create(copyPath)
	m, _ := out.ReadFrom(f)
	out.Close()
	if m != n || n == 0 {
		t.Fatalf("read %d of %d bytes", m, n)
	}
	if _, err := store.CheckBackup(copyPath); err != nil {
		t.Fatal(err)
	}
}

// VerifySum finds a changed byte the structure check cannot see (the file's last byte, in a page
// nothing uses), and says a file without a record is unrecorded.
func TestVerifySum(t *testing.T) {
	o := storetest.NewOffice(t)
	b := New(o.Store, Config{Dir: t.TempDir()}, nil)
	e, err := b.Take()
	if err != nil {
		t.Fatal(err)
	}
	if rec, err := VerifySum(e.Path); !rec || err != nil {
		t.Fatalf("VerifySum of a fresh backup = %v, %v", rec, err)
	}
	raw, _ := os.ReadFile(e.Path)
	raw[len(raw)-1] ^= 0x01
	if err := os.WriteFile(e.Path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	if rec, err := VerifySum(e.Path); !rec || !errors.Is(err, store.ErrDamaged) || !strings.Contains(err.Error(), "berubah sejak dibuat") {
		t.Fatalf("VerifySum of a changed backup = %v, %v", rec, err)
	}
	if err := os.Remove(sidecar(e.Path)); err != nil {
		t.Fatal(err)
	}
	if rec, err := VerifySum(e.Path); rec || err != nil {
		t.Fatalf("VerifySum without a record = %v, %v", rec, err)
	}
}
