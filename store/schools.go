package store

import (
	"encoding/json"
	"strings"

	"go.etcd.io/bbolt"
)

// The list of schools offered when a PNS types a school's name: every school named in the master
// data (riwayat pendidikan and Data Guru), kept in the schools bucket by PutMaster. A name not in
// the list is allowed and marked for the verifier.

// addSchools records the schools a master record names.
func addSchools(tx *bbolt.Tx, r Record) error {
	b := bk(tx, bSchools)
	names := []string{r.Fields["nama_sekolah"]}
	for _, row := range r.Riwayat["pendidikan"] {
		names = append(names, row.Fields["nama_sekolah"])
	}
	for _, n := range names {
		if n = strings.TrimSpace(n); n != "" && len(n) <= 200 {
			if err := b.Put([]byte(n), nil); err != nil {
				return err
			}
		}
	}
	return nil
}

func isSchool(tx *bbolt.Tx, name string) bool {
	return name != "" && bk(tx, bSchools).Get([]byte(name)) != nil
}

// Schools returns up to limit school names that contain q (case-insensitive), in name order.
func (s *Store) Schools(q string, limit int) ([]string, error) {
	q = strings.ToLower(strings.TrimSpace(q))
	var out []string
	err := s.view(func(tx *bbolt.Tx) error {
		c := bk(tx, bSchools).Cursor()
		for k, _ := c.First(); k != nil && len(out) < limit; k, _ = c.Next() {
			if q == "" || strings.Contains(strings.ToLower(string(k)), q) {
				out = append(out, string(k))
			}
		}
		return nil
	})
	return out, err
}

// inList tells whether a value of a long list (Field.Free) is one the list offers.
func inList(tx *bbolt.Tx, key, value, instansiID string) (bool, error) {
	if key == "nama_sekolah" {
		return isSchool(tx, value), nil
	}
	tree, err := unitTree(tx, instansiID)
	if err != nil {
		return false, err
	}
	for _, c := range tree {
		if c.Label == value {
			return true, nil
		}
	}
	return false, nil
}

// backfillSchools fills an empty school list from the records of a data file made before the
// list existed; once filled, PutMaster and approvals keep it.
func backfillSchools(tx *bbolt.Tx) error {
	if k, _ := bk(tx, bSchools).Cursor().First(); k != nil {
		return nil
	}
	return bk(tx, bRecords).ForEach(func(_, v []byte) error {
		var r Record
		if err := json.Unmarshal(v, &r); err != nil {
			return err
		}
		return addSchools(tx, r)
	})
}
