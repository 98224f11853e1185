package store

import (
	"encoding/binary"
	"encoding/json"
	"time"

	"go.etcd.io/bbolt"
)

// LimitPolicy is how failures on one key (an account, or a client address) slow the next try:
// failures before the Free-th cost nothing; the Free-th locks the key for Base, and each further
// failure doubles the lock, up to Max. A success resets the key; so does Forget without a failure. Max
// keeps the real owner from being locked out for good: at worst they wait Max.
type LimitPolicy struct {
	Free   int
	Base   time.Duration
	Max    time.Duration
	Forget time.Duration
}

type limitState struct {
	Fails int       `json:"fails"`
	Until time.Time `json:"until"`
}

func (p LimitPolicy) lockFor(fails int) time.Duration {
	if fails < p.Free {
		return 0
	}
	d := p.Base
	for i := p.Free; i < fails && d < p.Max; i++ {
		d *= 2
	}
	return min(d, p.Max)
}

func readLimit(b bucket, key string, now time.Time) limitState {
	var st limitState
	v := b.Get([]byte("lim:" + key))
	if len(v) < 8 {
		return st
	}
	if exp := int64(binary.BigEndian.Uint64(v)); exp != 0 && exp <= now.UnixNano() {
		return st
	}
	if json.Unmarshal(v[8:], &st) != nil {
		return limitState{}
	}
	return st
}

// LimitWait tells how long key must still wait before its next try (0: go ahead).
func (s *Store) LimitWait(key string) (time.Duration, error) {
	now := s.now()
	var st limitState
	err := s.view(func(tx *bbolt.Tx) error { st = readLimit(bk(tx, bLimiter), key, now); return nil })
	if err != nil || !st.Until.After(now) {
		return 0, err
	}
	return st.Until.Sub(now), nil
}

// LimitFail records a failure on key and returns how long the key must now wait (0 while the
// failures are still free). The state lives in the limiter bucket, so it survives a restart,
// behind an expiry that the periodic sweep honours.
func (s *Store) LimitFail(key string, p LimitPolicy) (time.Duration, error) {
	now := s.now()
	var wait time.Duration
	err := s.update(func(tx *bbolt.Tx) error {
		b := bk(tx, bLimiter)
		st := readLimit(b, key, now)
		st.Fails++
		wait = p.lockFor(st.Fails)
		st.Until = now.Add(wait)
		raw, err := json.Marshal(st)
		if err != nil {
			return err
		}
		rec := make([]byte, 8+len(raw))
		binary.BigEndian.PutUint64(rec, uint64(st.Until.Add(p.Forget).UnixNano()))
		copy(rec[8:], raw)
		return b.Put([]byte("lim:"+key), rec)
	})
	return wait, err
}

// LimitReset forgets key's failures (after a success).
func (s *Store) LimitReset(key string) error {
	return s.update(func(tx *bbolt.Tx) error { return bk(tx, bLimiter).Delete([]byte("lim:" + key)) })
}
