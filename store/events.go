package store

import (
	"bytes"
	"time"

	"go.etcd.io/bbolt"
)

// Event is one line of the append-only log: who did what, when, and on whose behalf.
type Event struct {
	Seq          uint64    `json:"seq"`
	At           time.Time `json:"at"`
	Actor        string    `json:"actor"`
	OnBehalfOf   string    `json:"on_behalf_of,omitempty"`
	NIP          string    `json:"nip,omitempty"`
	SubmissionID uint64    `json:"submission_id,omitempty"`
	Kind         string    `json:"kind"`
	Detail       string    `json:"detail"`
}

// appendEvent writes an event and its per-PNS index entry in the caller's transaction.
func appendEvent(tx *bbolt.Tx, e Event) error {
	b := tx.Bucket(bEvents)
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	e.Seq = seq
	if err := putJSON(b, u64(seq), e); err != nil {
		return err
	}
	if e.NIP != "" {
		return tx.Bucket(bEventsNIP).Put(cat([]byte(e.NIP), u64(seq)), nil)
	}
	return nil
}

// Events returns a PNS's events, oldest first.
func (s *Store) Events(nip string) ([]Event, error) {
	var out []Event
	err := s.db.View(func(tx *bbolt.Tx) error {
		ev := tx.Bucket(bEvents)
		c := tx.Bucket(bEventsNIP).Cursor()
		p := []byte(nip)
		for k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, _ = c.Next() {
			var e Event
			if err := getJSON(ev, k[len(p):], &e); err != nil {
				return err
			}
			out = append(out, e)
		}
		return nil
	})
	return out, err
}
