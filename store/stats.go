package store

import (
	"encoding/json"

	"go.etcd.io/bbolt"
)

// Summary is the office's progress at a glance: how many PNS, how many sent, where submissions wait.
type Summary struct {
	PNS       int
	Accounts  map[Role]int
	ByState   map[State]int
	Sent      int // PNS whose latest submission was sent and not withdrawn
	NotSent   int
	Proposals int // proposals not yet sent
}

// Summary counts the whole office in one read transaction.
func (s *Store) Summary() (Summary, error) {
	out := Summary{Accounts: map[Role]int{}, ByState: map[State]int{}}
	err := s.view(func(tx *bbolt.Tx) error {
		out.PNS = bk(tx, bRecords).Stats().KeyN
		if err := bk(tx, bUsers).ForEach(func(_, v []byte) error {
			var u User
			if err := json.Unmarshal(v, &u); err != nil {
				return err
			}
			out.Accounts[u.Role]++
			return nil
		}); err != nil {
			return err
		}
		latest := map[string]State{}
		if err := bk(tx, bSubs).ForEach(func(_, v []byte) error {
			var sub Submission
			if err := json.Unmarshal(v, &sub); err != nil {
				return err
			}
			latest[sub.NIP] = sub.State // ids rise, so the last seen is the newest
			return nil
		}); err != nil {
			return err
		}
		for _, st := range latest {
			out.ByState[st]++
			if st != StateWithdrawn { // taken back before anyone looked: not sent
				out.Sent++
			}
		}
		out.NotSent = out.PNS - out.Sent
		return bk(tx, bEntries).ForEach(func(_, v []byte) error {
			var e Entry
			if err := json.Unmarshal(v, &e); err != nil {
				return err
			}
			if e.Status == EntryUsul {
				out.Proposals++
			}
			return nil
		})
	})
	return out, err
}
