package store

import (
	"os"
	"time"

	"go.etcd.io/bbolt"
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

// OutboxLen is how many messages the outbox holds (waiting, being retried or given up). It reads
// the count bbolt keeps in the bucket's pages (Bucket.Stats: one walk of page headers, no value
// decoded) in one short read transaction; the outbox only holds what is not yet sent, so it
// stays small unless sending has stopped, which is what the number is for.
func (s *Store) OutboxLen() (n int, err error) {
	err = s.view(func(tx *bbolt.Tx) error {
		n = bk(tx, bOutbox).Stats().KeyN
		return nil
	})
	return n, err
}
