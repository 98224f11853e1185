package store

import (
	"bytes"
	"encoding/json"

	"go.etcd.io/bbolt"
)

// WriteFullVersionsForTesting rewrites every record version as schema version 3 stored it (the
// whole Version, a full copy of the record included), so a test can make a file of that version.
func WriteFullVersionsForTesting(tx *bbolt.Tx) error {
	var nips []string
	err := bk(tx, bVersions).ForEach(func(k, _ []byte) error {
		if nip := string(k[:len(k)-8]); len(nips) == 0 || nips[len(nips)-1] != nip {
			nips = append(nips, nip)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, nip := range nips {
		vers, err := readVersions(tx, nip)
		if err != nil {
			return err
		}
		for _, v := range vers {
			if err := putJSON(bk(tx, bVersions), versionKey(nip, v.Version), v); err != nil {
				return err
			}
		}
	}
	return nil
}

// VersionCopiesForTesting counts the versions that hold a full copy of their record.
func VersionCopiesForTesting(tx *bbolt.Tx) (n int, err error) {
	err = bk(tx, bVersions).ForEach(func(k, v []byte) error {
		var probe struct {
			Record json.RawMessage `json:"record"`
		}
		if err := json.Unmarshal(bk(tx, bVersions).Get(k), &probe); err != nil {
			return err
		}
		if len(probe.Record) > 0 && !bytes.Equal(probe.Record, []byte("null")) {
			n++
		}
		return nil
	})
	return n, err
}

// SetVersionChunkForTesting makes the versions migration work in passes of n versions, until
// the returned function puts it back.
func SetVersionChunkForTesting(n int) func() {
	old := versionChunk
	versionChunk = n
	return func() { versionChunk = old }
}
