package store

import (
	"errors"
	"sync"

	"go.etcd.io/bbolt"
)

// groupCommit shares one bbolt write transaction, and so one fsync, among the writes that wait for
// it (s.batch): a write that finds no commit under way leads at once, taking every write queued so
// far (up to db.MaxBatchSize) into one transaction; writes that arrive while it commits queue, and
// the next leader takes them all together as soon as the commit is done.
//
// bbolt's own Batch closes a batch MaxBatchDelay (2 ms) after its first write, whether or not the
// writer lock is free: the closed batches queue behind the lock, each with the writes of its 2 ms,
// and a lone write waits 2 ms for company. Here a batch is everything that waited, and a lone write
// waits for nobody. (Measured in BenchmarkPeak: under heavy CPU contention twice the writes per
// commit; at moderate load about the same as Batch.)
//
// The contract is bbolt's Batch's: when a write of the group fails (or panics), the transaction is
// rolled back, that write is run again on its own in its caller's goroutine (db.Update: its panic
// is raised there), and the rest of the group runs again without it. So fn must be safe to run twice.
// The zero value is ready to use.
type groupCommit struct {
	mu     sync.Mutex
	queue  []groupCall
	leader bool // a goroutine is running groups
}

type groupCall struct {
	fn   func(*bbolt.Tx) error
	done chan error
}

// errSolo tells a write that failed in a group to run again on its own.
var errSolo = errors.New("store: write failed in a group: run it alone")

// do runs fn in a shared write transaction of db and returns when that transaction is committed.
func (g *groupCommit) do(db *bbolt.DB, fn func(*bbolt.Tx) error) error {
	done := make(chan error, 1)
	g.mu.Lock()
	g.queue = append(g.queue, groupCall{fn: fn, done: done})
	lead := !g.leader
	g.leader = true
	g.mu.Unlock()
	if lead {
		g.lead(db)
	}
	err := <-done
	if err == errSolo {
		err = db.Update(fn)
	}
	return err
}

// lead commits one group of the queued writes and, when more wait, hands the lead to a new
// goroutine: the leader's own write is in the group it ran, so its caller's answer is never held
// up by the writes of others. The group is taken once the writer lock is held, so that whatever
// queued while the leader waited for it (another commit, a long s.update) goes along.
func (g *groupCommit) lead(db *bbolt.DB) {
	var group []groupCall
	take := func() {
		g.mu.Lock()
		n := min(len(g.queue), max(db.MaxBatchSize, 1))
		group = make([]groupCall, n)
		copy(group, g.queue)
		g.queue = append(g.queue[:0:0], g.queue[n:]...)
		g.mu.Unlock()
	}
	for first := true; first || len(group) > 0; first = false {
		failed := -1
		err := db.Update(func(tx *bbolt.Tx) error {
			if first {
				take()
			}
			for i, c := range group {
				if err := callSafely(c.fn, tx); err != nil {
					failed = i
					return err
				}
			}
			return nil
		})
		if first && group == nil { // Update failed before it ran: the queue is as it was
			take()
		}
		if failed < 0 {
			for _, c := range group {
				c.done <- err
			}
			break
		}
		// A write failed: it runs again alone, the rest of the group again without it.
		group[failed].done <- errSolo
		group = append(group[:failed], group[failed+1:]...)
	}
	g.mu.Lock()
	more := len(g.queue) > 0
	g.leader = more
	g.mu.Unlock()
	if more {
		go g.lead(db)
	}
}

// callSafely runs fn, turning a panic into a failure (the write then runs alone, where it panics
// in its caller's goroutine).
func callSafely(fn func(*bbolt.Tx) error, tx *bbolt.Tx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = errSolo
		}
	}()
	return fn(tx)
}
