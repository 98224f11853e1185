package store

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"slices"
	"time"

	"go.etcd.io/bbolt"
)

// The bulk path builds a large office (the demo's 250,000 PNS, a campaign's first SAPK import)
// through the very functions every other write uses: each record is normalised and checked
// (normalizeMaster), written with its version, event, schools, counters and lists (writeVersion,
// appendEvent), and each account with its indexes (putUsersTx). What makes it fast is only how the
// writes are grouped: thousands of PNS per transaction, in NIP order, accounts before records so
// each PNS is counted once, bbolt pages packed full where the keys are appended, and (BulkLoad)
// one fsync at the end instead of one per transaction.

// bulkFill is bbolt's FillPercent for a bucket a bulk transaction only appends to: a page is split
// when full rather than half full, since nothing will be inserted between its keys.
const bulkFill = 1.0

// normalizeAll copies and normalises each input (normalizeMaster), reports the ones that do not
// validate in bad by line, and returns the rest ready to write.
func (s *Store) normalizeAll(tx *bbolt.Tx, in []MasterInput, bad map[int][]*FieldError) []Record {
	out := make([]Record, 0, len(in))
	for _, mi := range in {
		r := mi.Record.clone()
		if errs := s.normalizeMaster(tx, &r); len(errs) > 0 {
			bad[mi.Line] = errs
			continue
		}
		r.Fields[KeyNIP] = r.NIP
		out = append(out, r)
	}
	return out
}

// putMasterTx writes normalised master records in the caller's transaction: each one new
// (version 1) or, when it differs from the current one, its next version; an unchanged record is
// skipped.
func (s *Store) putMasterTx(tx *bbolt.Tx, recs []Record, by, cause string, now time.Time) (created, updated int, err error) {
	for _, r := range recs {
		var old Record
		cur, oerr := getRecord(tx, r.NIP)
		if oerr != nil && !errors.Is(oerr, ErrNotFound) {
			return created, updated, fmt.Errorf("data PNS %s: %w", r.NIP, oerr)
		}
		if oerr == nil {
			old = *cur
			if len(diffFields(old, r)) == 0 && riwayatEqual(old, r) {
				continue
			}
			r.Version = old.Version + 1
			updated++
		} else {
			r.Version = 1
			created++
		}
		r.UpdatedAt, r.UpdatedBy = now, by
		if err := writeVersion(tx, old, r, Version{At: now, By: by, Cause: cause}); err != nil {
			return created, updated, err
		}
		if err := appendEvent(tx, Event{At: now, Actor: by, NIP: r.NIP, Kind: EventMaster, Detail: fmt.Sprintf("%s: versi %d", cause, r.Version)}); err != nil {
			return created, updated, err
		}
	}
	return created, updated, nil
}

// PutMasterBulk is PutMaster for a large load, with the accounts of the PNS loaded (users may be
// nil): one transaction for the lot, records written in NIP order. Every rule of PutMaster and
// PutUsers holds: a record that does not validate is reported in bad and skipped, and so is the
// account of its NIP. Accounts are written before the records, so the counters move once per PNS
// (for the account and the record together) instead of twice. Call it with a few thousand PNS at
// a time; see BulkLoad for the fsync.
func (s *Store) PutMasterBulk(in []MasterInput, users []User, by, cause string) (created, updated int, bad map[int][]*FieldError, err error) {
	bad = map[int][]*FieldError{}
	in = slices.Clone(in)
	slices.SortStableFunc(in, func(a, b MasterInput) int { return cmp.Compare(a.Record.NIP, b.Record.NIP) })
	now := s.now()
	err = s.update(func(tx *bbolt.Tx) error {
		clear(bad)
		recs := s.normalizeAll(tx, in, bad)
		refused := map[string]bool{}
		for _, mi := range in {
			if _, ok := bad[mi.Line]; ok {
				refused[mi.Record.NIP] = true
			}
		}
		if len(recs) > 0 {
			packAppends(tx, []byte(recs[0].NIP))
		}
		var us []User
		for _, u := range users {
			if !refused[u.Login] && (u.NIP == "" || !refused[u.NIP]) {
				us = append(us, u)
			}
		}
		if err := putUsersTx(tx, us, now); err != nil {
			return err
		}
		var err error
		created, updated, err = s.putMasterTx(tx, recs, by, cause, now)
		return err
	})
	return created, updated, bad, err
}

// packAppends sets bulkFill on the buckets this transaction will only append to: the event log
// always, and the buckets keyed by NIP first when every key they hold sorts before first, the
// lowest NIP written (a new office, or the next chunk of one being built in order).
func packAppends(tx *bbolt.Tx, first []byte) {
	bk(tx, bEvents).FillPercent = bulkFill
	for _, name := range [][]byte{bRecords, bVersions, bEventsNIP, bUsers, bPNSState} {
		b := bk(tx, name)
		if last, _ := b.Cursor().Last(); last == nil || bytes.Compare(last, first) < 0 {
			b.FillPercent = bulkFill
		}
	}
}

// BulkLoad runs fn, a bulk load of a data file no server is serving (the demo being built), with
// bbolt's fsync after each commit turned off, and syncs the file once at the end. A crash of the
// process loses nothing the commits wrote (the page cache keeps it); a power cut during the load
// may leave a file Check refuses, which for a demo being built means building it again. Imports
// into a live office's file do not use it: they keep an fsync per transaction.
func (s *Store) BulkLoad(fn func() error) error {
	was := s.db.NoSync
	s.db.NoSync = true
	err := fn()
	s.db.NoSync = was
	if serr := s.db.Sync(); err == nil && serr != nil {
		err = s.wrote(fmt.Errorf("store: sinkronkan berkas: %w", serr))
	}
	return err
}
