package store

import (
	"fmt"
	"maps"
	"slices"

	"go.etcd.io/bbolt"
)

// InboxSearchMismatch compares the search index with the one the inbox rows call for (recounted
// from scratch) and describes the first few keys that only one of them holds; "" when they agree.
func InboxSearchMismatch(s *Store) (string, error) {
	want, have := map[string]bool{}, map[string]bool{}
	err := s.view(func(tx *bbolt.Tx) error {
		if err := bk(tx, bInbox).ForEach(func(k, v []byte) error {
			e, err := decodeInboxEntry(v)
			if err != nil {
				return err
			}
			for _, t := range e.searchTerms() {
				want[string(searchKey(k, t))] = true
			}
			return nil
		}); err != nil {
			return err
		}
		return bk(tx, bInboxSearch).ForEach(func(k, _ []byte) error {
			have[string(k)] = true
			return nil
		})
	})
	var diff []string
	for _, k := range slices.Sorted(maps.Keys(want)) {
		if !have[k] {
			diff = append(diff, fmt.Sprintf("missing %q", k))
		}
	}
	for _, k := range slices.Sorted(maps.Keys(have)) {
		if !want[k] {
			diff = append(diff, fmt.Sprintf("extra %q", k))
		}
	}
	if len(diff) == 0 {
		return "", err
	}
	return fmt.Sprintf("%d keys differ: %v", len(diff), diff[:min(len(diff), 5)]), err
}

// PNSSearchMismatch compares the lists' name index with one computed afresh from the master
// records; "" when they agree.
func PNSSearchMismatch(s *Store) (string, error) {
	want, have := map[string]bool{}, map[string]bool{}
	err := s.view(func(tx *bbolt.Tx) error {
		if err := bk(tx, bRecords).ForEach(func(k, v []byte) error {
			var h recordHead
			if err := getJSON(bk(tx, bRecords), k, &h); err != nil {
				return err
			}
			for _, t := range nameTerms(h.record().Name()) {
				want[string(cat([]byte{termName}, []byte(t), []byte{0}, []byte(h.UnitID), []byte{0}, k))] = true
			}
			return nil
		}); err != nil {
			return err
		}
		return bk(tx, bPNSSearch).ForEach(func(k, _ []byte) error {
			have[string(k)] = true
			return nil
		})
	})
	var diff []string
	for k := range want {
		if !have[k] {
			diff = append(diff, fmt.Sprintf("missing %q", k))
		}
	}
	for k := range have {
		if !want[k] {
			diff = append(diff, fmt.Sprintf("extra %q", k))
		}
	}
	if len(diff) == 0 {
		return "", err
	}
	slices.Sort(diff)
	return fmt.Sprintf("%d keys differ: %v", len(diff), diff[:min(len(diff), 5)]), err
}

// SearchIndexBytes is the bytes in use (leaf and branch pages' contents) of each search bucket:
// inbox_search, pns_search and pns_search_terms.
func SearchIndexBytes(s *Store) (inbox, pns, terms int, err error) {
	err = s.view(func(tx *bbolt.Tx) error {
		for _, x := range []struct {
			name []byte
			n    *int
		}{{bInboxSearch, &inbox}, {bPNSSearch, &pns}, {bPNSSearchTerms, &terms}} {
			st := bk(tx, x.name).Stats()
			*x.n = st.LeafInuse + st.BranchInuse
		}
		return nil
	})
	return inbox, pns, terms, err
}
