package store_test

import (
	"os"
	"path/filepath"
	"testing"

	"pupns/store"
	"pupns/store/storetest"
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
	// Reminders to many, some sent, then the file reopened: the kept count is the bucket's.
	f.withEmail(nipSiti, "Siti Rahayu", "siti@contoh.go.id")
	f.withEmail(nipAgus, "Agus Salim", "agus@contoh.go.id")
	n, err := f.s.SendReminder(fxAdmin)
	fxMust(t, err)
	waiting := f.outbox()
	if got, _ := f.s.OutboxLen(); n < 3 || got != len(waiting) {
		t.Fatalf("after %d reminders: OutboxLen %d, the outbox holds %d", n, got, len(waiting))
	}
	_, err = f.s.MarkMailSent(waiting[0].Seq)
	fxMust(t, err)
	_, err = f.s.MarkMailSent(waiting[0].Seq) // already sent: refused, the count stays
	if err == nil {
		t.Fatal("a message sent twice")
	}
	v, err := f.s.Outbox(fxAdmin, 1)
	fxMust(t, err)
	if got, _ := f.s.OutboxLen(); got != len(waiting)-1 || got != v.WaitingCount {
		t.Fatalf("after one more send: OutboxLen %d, want %d (the bucket's own count: %d)", got, len(waiting)-1, v.WaitingCount)
	}
	after, err := f.s.DBStats()
	fxMust(t, err)
	if after.Writes <= before.Writes || after.WriteTime <= 0 || after.ReadTxTotal <= before.ReadTxTotal || after.PageAllocBytes <= before.PageAllocBytes {
		t.Fatalf("the counters did not move: before %+v after %+v", before, after)
	}
	if after.ReadTxOpen != 0 {
		t.Fatalf("%d read transactions left open", after.ReadTxOpen)
	}
	dir := filepath.Dir(f.s.DB().Path())
	fxMust(t, f.s.Close())
	if _, err := f.s.OutboxLen(); err == nil {
		t.Fatal("OutboxLen of a closed store")
	}
	again := storetest.Open(t, dir, f.clock)
	if got, err := again.OutboxLen(); err != nil || got != len(waiting)-1 {
		t.Fatalf("reopened: OutboxLen %d %v, want %d", got, err, len(waiting)-1)
	}
}
