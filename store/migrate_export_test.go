package store

import "go.etcd.io/bbolt"

// WriteSchemaForTesting stores a schema version as this program would (sealed), so a test can
// make a file of an earlier version.
func WriteSchemaForTesting(tx *bbolt.Tx, v int) error {
	return bk(tx, bMeta).Put([]byte("schema"), []byte{byte('0' + v)})
}
