package store

import (
	"bytes"
	"encoding/binary"
	"time"

	"go.etcd.io/bbolt"
)

// KV is an expiring key-value store on one bucket of the app's bbolt file: every value is stored
// behind its 8-byte expiry time, Get refuses an expired value and returns a copy that outlives the
// transaction, and Sweep deletes what has expired. It holds the login sessions (the handlers'
// sessionStore) and is how the periodic sweep clears expired sessions and rate-limit state, so
// both live in the one data file and survive a restart. Its methods have the shape of
// fiber.Storage.
type KV struct {
	s      *Store
	bucket []byte
}

// Sessions is the storage for login sessions.
func (s *Store) Sessions() *KV { return &KV{s: s, bucket: bSessions} }

// Limiter is the storage for rate-limit state.
func (s *Store) Limiter() *KV { return &KV{s: s, bucket: bLimiter} }

// Get returns a copy of the value for key, or nil when it is missing or expired.
func (kv *KV) Get(key string) ([]byte, error) {
	if key == "" {
		return nil, nil
	}
	var out []byte
	now := kv.s.now().UnixNano()
	err := kv.s.view(func(tx *bbolt.Tx) error {
		v := bk(tx, kv.bucket).Get([]byte(key))
		if len(v) < 8 {
			return nil
		}
		if exp := int64(binary.BigEndian.Uint64(v)); exp != 0 && exp <= now {
			return nil
		}
		out = bytes.Clone(v[8:])
		return nil
	})
	return out, err
}

// Set stores val under key; exp 0 means no expiry.
func (kv *KV) Set(key string, val []byte, exp time.Duration) error {
	if key == "" || len(val) == 0 {
		return nil
	}
	if exp < 0 { // already expired: nothing to keep, and nothing stale may stay behind
		return kv.Delete(key)
	}
	var at int64
	if exp > 0 {
		at = kv.s.now().Add(exp).UnixNano()
	}
	rec := make([]byte, 8+len(val))
	binary.BigEndian.PutUint64(rec, uint64(at))
	copy(rec[8:], val)
	return kv.s.batch(func(tx *bbolt.Tx) error { return bk(tx, kv.bucket).Put([]byte(key), rec) })
}

// Delete removes key.
func (kv *KV) Delete(key string) error {
	if key == "" {
		return nil
	}
	return kv.s.batch(func(tx *bbolt.Tx) error { return bk(tx, kv.bucket).Delete([]byte(key)) })
}

// Reset removes every key.
func (kv *KV) Reset() error {
	return kv.s.update(func(tx *bbolt.Tx) error {
		if err := tx.DeleteBucket(kv.bucket); err != nil {
			return err
		}
		_, err := tx.CreateBucket(kv.bucket)
		return err
	})
}

// Close does nothing: the bbolt file belongs to the Store.
func (kv *KV) Close() error { return nil }

// Sweep deletes every expired value and reports how many.
func (kv *KV) Sweep() (n int, err error) {
	now := kv.s.now().UnixNano()
	err = kv.s.update(func(tx *bbolt.Tx) error {
		n = 0
		c := bk(tx, kv.bucket).Cursor()
		for k, v := c.First(); k != nil; {
			if len(v) >= 8 {
				if exp := int64(binary.BigEndian.Uint64(v)); exp != 0 && exp <= now {
					kk := bytes.Clone(k)
					if err := c.Delete(); err != nil {
						return err
					}
					n++
					k, v = c.Seek(kk)
					continue
				}
			}
			k, v = c.Next()
		}
		return nil
	})
	return n, err
}
