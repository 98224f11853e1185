package store_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"pupns/store"
)

// lastTxID is the id of the store's last committed write transaction: one more per commit.
func lastTxID(t *testing.T, s *store.Store) int {
	t.Helper()
	var id int
	fxMust(t, s.DB().View(func(tx *bbolt.Tx) error { id = tx.ID(); return nil }))
	return id
}

// TestWritesThatWaitShareOneCommit: proposals that arrive one by one, 10 ms apart, while the writer
// lock is held (a long write, or the commit before) share one commit once it is free: the group
// is taken when the lock is held, however long the writes waited. (bbolt's Batch closes a batch
// 2 ms after its first write, so these 20 would take 20 commits.) A write that fails in the group
// fails alone; the others are stored.
func TestWritesThatWaitShareOneCommit(t *testing.T) {
	f := newFx(t)
	before := lastTxID(t, f.s)
	const n = 20
	errs := make([]error, n)
	var wg sync.WaitGroup
	started := make(chan struct{})
	release := make(chan struct{})
	go func() {
		_ = f.s.DB().Update(func(*bbolt.Tx) error { close(started); <-release; return nil })
	}()
	<-started
	for i := range n {
		wg.Go(func() {
			value := fmt.Sprintf("Jl. Kenanga No. %d, Semarang", i+1)
			if i == 7 {
				value = "Jl. Pemuda No. 1, Semarang" // the master value: refused inside the write
			}
			_, _, errs[i] = f.s.Propose(f.budi, nipBudi, "alamat", value, "pindah rumah")
		})
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond) // every write has queued
	close(release)
	wg.Wait()
	for i, err := range errs {
		if (err != nil) != (i == 7) {
			t.Errorf("write %d: %v", i, err)
		}
	}
	if commits := lastTxID(t, f.s) - before - 1; commits > 2 {
		t.Fatalf("%d writes that waited took %d commits, want at most 2", n, commits)
	}
	form, err := f.s.Form(f.budi, nipBudi)
	fxMust(t, err)
	if form.Entries["alamat"].Status != store.EntryUsul {
		t.Fatalf("no proposal stored: %+v", form.Entries["alamat"])
	}
}
