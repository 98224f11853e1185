package store

import (
	"encoding/binary"
	"encoding/json"
)

// OpenStoredForTesting verifies raw, a value as bbolt holds it under key in bucket, and returns it
// as it was put, and whether it was stored packed.
func OpenStoredForTesting(bucket, key, raw []byte) ([]byte, bool, error) {
	v, packed, err := unsealRaw(bucket, key, raw)
	if err != nil || !packed {
		return v, packed, err
	}
	v, err = unpack(bucket, key, v)
	return v, packed, err
}

// PackedBucketsForTesting are the names of the buckets whose values are packed.
func PackedBucketsForTesting() []string {
	var out []string
	for name := range packedBuckets {
		out = append(out, name)
	}
	return out
}

// OldFormatForTesting is raw (a value as stored under key in bucket) as the code before packing and
// the events' compact encoding stored it: unpacked, an event as JSON, with the plain seal.
func OldFormatForTesting(bucket string, key, raw []byte) ([]byte, error) {
	v, err := unseal([]byte(bucket), key, raw)
	if err != nil {
		return nil, err
	}
	if bucket == string(bEvents) {
		e, err := decodeEvent(be64(key), v)
		if err != nil {
			return nil, err
		}
		if v, err = json.Marshal(e); err != nil {
			return nil, err
		}
	}
	out := make([]byte, len(v)+sealSize)
	copy(out, v)
	binary.BigEndian.PutUint32(out[len(v):], sealSum([]byte(bucket), key, v))
	return out, nil
}
