package store_test

import (
	"os"
	"testing"

	"pupns/store"
)

// TestDBStatsAndOutboxLen: DBStats names the file's real size and counts the writes and read
// transactions as they happen; OutboxLen follows the outbox: one more per message enqueued, one
// less per message sent.
func TestDBStatsAndOutboxLen(t *testing.T) {
	f := newFx(t)
	before, err := f.s.DBStats()
	fxMust(t, err)
	fi, err := os.Stat(f.s.DB().Path())
	fxMust(t, err)
	if before.FileBytes != fi.Size() || before.PageSize < 512 {
		t.Fatalf("stats %+v, file %d bytes", before, fi.Size())
	}
	if n, err := f.s.OutboxLen(); err != nil || n != 0 {
		t.Fatalf("empty outbox: %d %v", n, err)
	}
	f.withEmail(nipBudi, "Budi Santoso", "budi@contoh.go.id")
	sub := f.send(f.budi, fxUsul{"alamat", "Jl. Diponegoro No. 5, Semarang", "pindah rumah"})
	f.decide(f.v1U01, sub.ID, "alamat", store.BTS, "KTP tidak terbaca")
	f.forward(f.v1U01, sub.ID) // returned: one message
	if n, err := f.s.OutboxLen(); err != nil || n != 1 {
		t.Fatalf("outbox after a return: %d %v", n, err)
	}
	m := f.outbox()[0]
	_, err = f.s.MarkMailSent(m.Seq)
	fxMust(t, err)
	if n, err := f.s.OutboxLen(); err != nil || n != 0 {
		t.Fatalf("outbox after the send: %d %v", n, err)
	}
	after, err := f.s.DBStats()
	fxMust(t, err)
	if after.Writes <= before.Writes || after.WriteTime <= 0 || after.ReadTxTotal <= before.ReadTxTotal || after.PageAllocBytes <= before.PageAllocBytes {
		t.Fatalf("the counters did not move: before %+v after %+v", before, after)
	}
	if after.ReadTxOpen != 0 {
		t.Fatalf("%d read transactions left open", after.ReadTxOpen)
	}
}
