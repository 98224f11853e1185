package store

import (
	"os"
	"sync"
	"sync/atomic"
	"time"

	"go.etcd.io/bbolt"
	bberrors "go.etcd.io/bbolt/errors"
)

// DBStats is what the metrics page shows of the bbolt file: its size, the free pages it could
// reuse (a file that only grows while FreePages stays high wants a compaction), and bbolt's own
// transaction counters since the file was opened.
type DBStats struct {
	FileBytes     int64 // size of pupns.db on disk
	PageSize      int   // bytes per page
	FreePages     int   // pages on the freelist, free for reuse
	PendingPages  int   // pages freed by a write that an open read transaction may still see
	FreeBytes     int   // bytes in free pages
	FreelistBytes int   // bytes the freelist itself takes
	ReadTxTotal   int   // read transactions started
	ReadTxOpen    int   // read transactions open now (a long one stops the file from growing)
	// From the transactions that ended: page allocations, bytes allocated, nodes split, spilled
	// and rebalanced, pages written and the time spent writing them.
	PageAllocs, PageAllocBytes int64
	Splits, Spills, Rebalances int64
	Writes                     int64
	WriteTime                  time.Duration
}

// DBStats reads bbolt's statistics and the file's size. It opens no transaction and reads no
// bucket, so a scrape may call it as often as it likes.
func (s *Store) DBStats() (DBStats, error) {
	st := s.db.Stats()
	fi, err := os.Stat(s.db.Path())
	if err != nil {
		return DBStats{}, err
	}
	tx := &st.TxStats
	return DBStats{
		FileBytes: fi.Size(), PageSize: s.db.Info().PageSize,
		FreePages: st.FreePageN, PendingPages: st.PendingPageN, FreeBytes: st.FreeAlloc, FreelistBytes: st.FreelistInuse,
		ReadTxTotal: st.TxN, ReadTxOpen: st.OpenTxN,
		PageAllocs: tx.GetPageCount(), PageAllocBytes: tx.GetPageAlloc(),
		Splits: tx.GetSplit(), Spills: tx.GetSpill(), Rebalances: tx.GetRebalance(),
		Writes: tx.GetWrite(), WriteTime: tx.GetWriteTime(),
	}, nil
}

// outboxLens holds, per open file, how many messages its outbox holds: counted once when the file
// is opened (one walk of the bucket's pages, before the store is handed to anybody, so no write
// races it), then moved by every commit that adds or removes a message (outboxMoved), so that a
// scrape reads a number instead of walking a bucket that grows while sending is stopped. Whatever
// adds a key to the outbox or deletes one calls outboxMoved in that transaction.
var outboxLens sync.Map // *bbolt.DB → *atomic.Int64

// countOutbox counts the outbox of tx's file (Open).
func countOutbox(tx *bbolt.Tx) error {
	n := new(atomic.Int64)
	n.Store(int64(bk(tx, bOutbox).Stats().KeyN))
	outboxLens.Store(tx.DB(), n)
	return nil
}

// outboxMoved moves the outbox's count by delta once tx commits (not at all if it rolls back).
func outboxMoved(tx *bbolt.Tx, delta int64) {
	db := tx.DB()
	tx.OnCommit(func() {
		if n, ok := outboxLens.Load(db); ok {
			n.(*atomic.Int64).Add(delta)
		}
	})
}

// OutboxLen is how many messages the outbox holds (waiting, being retried or given up), from the
// count kept beside the file (outboxLens): no transaction, no bucket read.
func (s *Store) OutboxLen() (int, error) {
	n, ok := outboxLens.Load(s.db)
	if !ok {
		return 0, bberrors.ErrDatabaseNotOpen
	}
	return int(n.(*atomic.Int64).Load()), nil
}
