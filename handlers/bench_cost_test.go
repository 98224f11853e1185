package handlers

// What a load costs beside its throughput, for BenchmarkPeak: CPU per request and commits.

import (
	"syscall"
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

// processCPU is the CPU time this process has used so far (user and system): a load's cost that,
// unlike its throughput, does not depend much on what else the machine runs.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// txid is the id of db's last committed write transaction: one more per commit (and fsync).
func txid(b *testing.B, db *bbolt.DB) int {
	var id int
	if err := db.View(func(tx *bbolt.Tx) error { id = tx.ID(); return nil }); err != nil {
		b.Fatal(err)
	}
	return id
}
