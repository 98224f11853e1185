package store

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"fmt"
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

// formSecretKey names the meta value that holds the key the forms' CSRF tokens are signed with.
const formSecretKey = "form_secret"

// ensureFormSecret returns the signing key of the forms' CSRF tokens, creating 32 random bytes
// the first time a file is opened. It lives in the data file so that a form rendered before a
// restart still submits after it, and nothing is stored per visitor: a visitor without a session
// gets a token signed with it (handlers/middleware.go), not a stored session.
func ensureFormSecret(tx *bbolt.Tx) ([]byte, error) {
	meta := bk(tx, bMeta)
	if v := meta.Get([]byte(formSecretKey)); len(v) >= 32 {
		return bytes.Clone(v), nil
	}
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return nil, fmt.Errorf("store: kunci formulir: %w", err)
	}
	return secret, meta.Put([]byte(formSecretKey), secret)
}

// FormSecret is the key the forms' CSRF tokens are signed with (a copy).
func (s *Store) FormSecret() []byte { return bytes.Clone(s.formSecret) }

// Swept is what one SweepExpired removed.
type Swept struct {
	Sessions     int // expired login and registration sessions
	SessionIndex int // sessions_by_login entries whose session is gone
	Limiter      int // expired rate-limit records
}

// SweepExpired deletes everything that has expired: sessions, then the index entries of sessions
// that are gone, then rate-limit records. serve runs it every few minutes, so nothing a visitor
// leaves behind outlives its expiry; bbolt reuses the freed pages for later writes, so the file
// stops growing once it holds a day's worth.
func (s *Store) SweepExpired() (Swept, error) {
	var out Swept
	var err error
	if out.Sessions, err = s.Sessions().Sweep(); err != nil {
		return out, err
	}
	if out.SessionIndex, err = s.SweepSessionIndex(); err != nil {
		return out, err
	}
	out.Limiter, err = s.Limiter().Sweep()
	return out, err
}
