package store

import (
	"bytes"
	"time"

	"go.etcd.io/bbolt"
)

// AuditFilter narrows the event log the admin reads: a PNS (NIP), an actor, on whose behalf, a
// kind, a time range [From, To) (zero: open), and where the previous page ended (Before, an event
// sequence: newest first). Limit caps the page (default 50).
type AuditFilter struct {
	NIP, Actor, OnBehalfOf, Kind string
	From, To                     time.Time
	Before                       uint64
	Limit                        int
}

// AuditPage is one page of the log, newest first. Next is the Before of the next page (0 at the
// end). Partial says the page stopped after auditScanLimit (20,000) events without filling: Next goes on
// from there.
type AuditPage struct {
	Items   []Event
	Next    uint64
	Partial bool
}

// auditScanLimit bounds the events one page reads when the filter has no index (actor, on whose
// behalf, kind, dates without a NIP), so a rare actor costs a bounded read per page, not the log.
// A variable only so that a test can lower it.
var auditScanLimit = 20000

// match says whether an event passes the filter.
func (f AuditFilter) match(e Event) bool {
	return (f.NIP == "" || e.NIP == f.NIP) && (f.Actor == "" || e.Actor == f.Actor) &&
		(f.OnBehalfOf == "" || e.OnBehalfOf == f.OnBehalfOf) && (f.Kind == "" || e.Kind == f.Kind) &&
		(f.From.IsZero() || !e.At.Before(f.From)) && (f.To.IsZero() || e.At.Before(f.To))
}

// Audit reads the event log for the admin, newest first: by NIP through events_by_nip, otherwise a
// bounded walk of events back from the cursor.
func (s *Store) Audit(a Actor, f AuditFilter) (AuditPage, error) {
	var out AuditPage
	if !mayAdminister(a) {
		return out, ErrForbidden
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	err := s.view(func(tx *bbolt.Tx) error {
		ev := bk(tx, bEvents)
		var c cursor
		var prefix []byte
		if f.NIP != "" {
			prefix = []byte(f.NIP)
			c = bk(tx, bEventsNIP).Cursor()
		} else {
			c = ev.Cursor()
		}
		k := seekAuditStart(c, prefix, f.Before)
		for scanned := 0; k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Prev() {
			seq := k[len(prefix):]
			if scanned == auditScanLimit {
				out.Next, out.Partial = be64(seq)+1, true
				return nil
			}
			scanned++
			e, err := getEvent(ev, seq)
			if err != nil {
				return err
			}
			if !f.match(e) {
				continue
			}
			if len(out.Items) == f.Limit {
				out.Next = out.Items[len(out.Items)-1].Seq
				return nil
			}
			out.Items = append(out.Items, e)
		}
		return nil
	})
	return out, err
}

// seekAuditStart puts the cursor on the last key under prefix whose sequence is below before (any,
// when before is 0) and returns it.
func seekAuditStart(c cursor, prefix []byte, before uint64) []byte {
	var k []byte
	if before == 0 {
		k, _ = c.Seek(cat(prefix, bytes.Repeat([]byte{0xff}, 9)))
	} else {
		k, _ = c.Seek(cat(prefix, u64(before)))
	}
	if k == nil {
		k, _ = c.Last()
	} else {
		k, _ = c.Prev()
	}
	return k
}

// be64 decodes an 8-byte big-endian key.
func be64(b []byte) uint64 {
	var n uint64
	for _, x := range b {
		n = n<<8 | uint64(x)
	}
	return n
}
