package store

import (
	"encoding/json"

	"go.etcd.io/bbolt"
)

// WriteSchemaForTesting stores a schema version as this program would (sealed), so a test can
// make a file of an earlier version.
func WriteSchemaForTesting(tx *bbolt.Tx, v int) error {
	return bk(tx, bMeta).Put([]byte("schema"), []byte{byte('0' + v)})
}

// AccountsByScanForTesting counts every account by role by decoding the whole users bucket: what
// AccountsByRole and Staff must agree with without the scan.
func AccountsByScanForTesting(s *Store) (map[Role]int, error) {
	out := map[Role]int{}
	err := s.view(func(tx *bbolt.Tx) error {
		return bk(tx, bUsers).ForEach(func(_, v []byte) error {
			var u User
			if err := json.Unmarshal(v, &u); err != nil {
				return err
			}
			out[u.Role]++
			return nil
		})
	})
	return out, err
}
