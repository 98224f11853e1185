package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"go.etcd.io/bbolt"
)

// Schema versions: 1 stored values bare; 2 seals every value (seal.go); 3 adds the lists behind the
// counters (pns_by_state) and the daily series (daily), built once from the file; 4 stores record
// versions as what changed instead of full copies (versions_delta.go, migrateVersionDeltas); 5
// adds the search indexes (inbox_search, pns_search: migrateSearchIndexes); 6 (SchemaVersion) packs
// the large values of a few buckets and stores events compactly (pack.go, events_codec.go). Nothing
// is rewritten for 6 (values written before read as they are; `pupns compact` repacks them): the
// number is raised so that an older program refuses the file with ErrSchema instead of meeting
// values it cannot read and calling them damaged.

// storedSchema reads the schema version of the file in tx: 0 for a new file, the bare number a
// version-1 file holds, or the sealed number of a later one. A bare number other than 1 is not
// this program's to read; Open refuses it as ErrSchema.
func storedSchema(tx *bbolt.Tx) (int, error) {
	meta := tx.Bucket(bMeta)
	if meta == nil {
		return 0, nil
	}
	raw := meta.Get([]byte("schema"))
	if raw == nil {
		return 0, nil
	}
	v, err := unseal(bMeta, []byte("schema"), raw)
	if err != nil {
		v = raw // a version-1 file: nothing was sealed yet
	}
	n, perr := strconv.Atoi(string(v))
	if perr != nil && err != nil {
		return 0, err // neither sealed nor a bare number: damage
	}
	if perr != nil || (err != nil && n != 1) { // only version 1 stored its number bare
		return 0, fmt.Errorf("%w: %q", ErrSchema, v)
	}
	return n, nil
}

// sealAll rewrites every value of every bucket with its seal: the migration from version 1. It
// runs in Open's one transaction, so a file is either wholly version 1 or wholly version 2. It
// works through each bucket a thousand keys at a time, so a large file's documents are never
// held in memory at once.
func sealAll(tx *bbolt.Tx) error {
	type pair struct{ k, v []byte }
	return tx.ForEach(func(name []byte, b *bbolt.Bucket) error {
		var after []byte
		for {
			c := b.Cursor()
			k, v := c.First()
			if after != nil {
				if k, v = c.Seek(after); bytes.Equal(k, after) {
					k, v = c.Next()
				}
			}
			var done []pair
			for ; k != nil && len(done) < 1000; k, v = c.Next() {
				if len(v) == 0 && b.Bucket(k) != nil {
					continue // a nested bucket (none in this layout)
				}
				done = append(done, pair{bytes.Clone(k), seal(name, k, v)})
			}
			if len(done) == 0 {
				return nil
			}
			for _, p := range done {
				if err := b.Put(p.k, p.v); err != nil {
					return err
				}
			}
			after = done[len(done)-1].k
		}
	})
}

// versionChunk is about how many versions migrateVersionDeltas rewrites per pass.
var versionChunk = 1000

// migrateVersionDeltas rewrites the full copies of record versions (schema 3 and before) as what
// changed (schema 4, versions_delta.go), in Open's one transaction, a PNS at a time and about a
// thousand versions per pass, so a large file's history is never held in memory at once. A PNS
// whose current record is not its last version's copy keeps that last copy whole (the versions
// before it are rebuilt from it), so no history is ever rebuilt from a record it did not lead to.
func migrateVersionDeltas(tx *bbolt.Tx) error {
	if tx.Bucket(bVersions) == nil {
		return nil
	}
	type put struct {
		k  []byte
		sv storedVersion
	}
	var after []byte // the last NIP done
	for {
		c := bk(tx, bVersions).Cursor()
		k, _ := c.First()
		if after != nil {
			k, _ = c.Seek(append(bytes.Clone(after), 0xff))
		}
		var puts []put
		for k != nil && len(puts) < versionChunk {
			if len(k) < 8 {
				return fmt.Errorf("%w: kunci versi %x", ErrDamaged, k)
			}
			nip := string(k[:len(k)-8])
			vers, err := readVersions(tx, nip) // whole, from the copies (or undos already written)
			if err != nil {
				return fmt.Errorf("versi data PNS %s: %w", nip, err)
			}
			rebuilt, err := deltasOf(tx, nip, vers)
			if err != nil {
				return err
			}
			for i, sv := range rebuilt {
				puts = append(puts, put{versionKey(nip, vers[i].Version), sv})
			}
			after = []byte(nip)
			k, _ = c.Seek(append([]byte(nip), 0xff))
		}
		if len(puts) == 0 {
			return nil
		}
		for _, p := range puts {
			if err := putJSON(bk(tx, bVersions), p.k, p.sv); err != nil {
				return err
			}
		}
	}
}

// deltasOf is a PNS's versions (whole, oldest first) as schema 4 stores them.
func deltasOf(tx *bbolt.Tx, nip string, vers []Version) ([]storedVersion, error) {
	var cur Record
	if err := getJSON(bk(tx, bRecords), []byte(nip), &cur); err != nil && !errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("data PNS %s: %w", nip, err)
	}
	out := make([]storedVersion, len(vers))
	var prev Record
	for i, v := range vers {
		sv := newStoredVersion(prev, v.Record, v)
		if i == 0 && v.Version != 1 {
			sv.Undo, sv.Derived, sv.Changes = nil, false, v.Changes // nothing before it to undo to
		}
		out[i] = sv
		prev = v.Record
	}
	if n := len(vers); n > 0 {
		last, _ := json.Marshal(vers[n-1].Record)
		now, _ := json.Marshal(cur)
		if !bytes.Equal(last, now) {
			r := vers[n-1].Record
			out[n-1].Record = &r
		}
	}
	return out, nil
}

// migrateSearchIndexes builds the search indexes (schema version 5: a file made before them): the
// inbox's from its rows, the lists' from the master records.
func migrateSearchIndexes(tx *bbolt.Tx) error {
	for _, name := range [][]byte{bInboxSearch, bPNSSearch, bPNSSearchTerms} {
		if err := tx.DeleteBucket(name); err != nil {
			return err
		}
		if _, err := tx.CreateBucket(name); err != nil {
			return err
		}
	}
	if err := rebuildPNSSearch(tx); err != nil {
		return err
	}
	return bk(tx, bInbox).ForEach(func(k, v []byte) error {
		e, err := decodeInboxEntry(v)
		if err != nil || len(k) <= 16 {
			return nil // a row without a summary: rebuildInboxIndex rewrites those, indexing them
		}
		return searchUpdate(tx, k, nil, e.searchTerms())
	})
}
