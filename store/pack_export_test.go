package store

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
