package store

import (
	"encoding/json"
	"hash/maphash"
	"sync"

	"go.etcd.io/bbolt"
)

// decodeCache keeps decoded values of small, hot, rarely changing rows (master records, units,
// instansi, accounts) so a page view does not pay a JSON decode for each. An entry is tagged with
// a 64-bit hash of the exact stored bytes; a reader hashes what it just read in its own transaction
// and uses the entry only when the hashes match. The cache therefore never serves anything but
// what the transaction sees: it saves the decode, never the read.
//
// Cached values are shared between readers and must be treated as read-only; the store's public
// methods hand out clones where a caller might change what it gets.
type decodeCache struct {
	mu   sync.RWMutex
	m    map[string]cacheEntry
	max  int
	seed maphash.Seed
}

type cacheEntry struct {
	sum uint64
	val any
}

func newDecodeCache(limit int) *decodeCache {
	if limit <= 0 {
		limit = 20000
	}
	return &decodeCache{m: make(map[string]cacheEntry, 1024), max: limit, seed: maphash.MakeSeed()}
}

// caches maps each open bbolt file to its cache, so code that only has a transaction finds it.
var caches sync.Map // *bbolt.DB → *decodeCache

func cacheOf(tx *bbolt.Tx) *decodeCache {
	if c, ok := caches.Load(tx.DB()); ok {
		return c.(*decodeCache)
	}
	return nil
}

// getCached reads key from bucket and decodes it into a *T, reusing the decoded value when the
// stored bytes are unchanged since it was decoded. The hash is of the bytes as stored, so a value
// stored packed (pack.go) is unpacked only when it must be decoded.
func getCached[T any](tx *bbolt.Tx, bucket, key []byte) (*T, error) {
	stored, packed := bk(tx, bucket).getStored(key)
	if stored == nil {
		return nil, ErrNotFound
	}
	return decodeStored[T](tx, bucket, key, stored, packed)
}

// decodeCached decodes raw, the value just read under key in bucket (e.g. by a cursor), through the cache.
func decodeCached[T any](tx *bbolt.Tx, bucket, key, raw []byte) (*T, error) {
	return decodeStored[T](tx, bucket, key, raw, false)
}

// decodeStored decodes the bytes stored under key in bucket (packed: still to unpack) through the cache.
func decodeStored[T any](tx *bbolt.Tx, bucket, key, stored []byte, packed bool) (*T, error) {
	decode := func() (*T, error) {
		raw := stored
		if packed {
			var err error
			if raw, err = unpack(bucket, key, stored); err != nil {
				return nil, err
			}
		}
		v := new(T)
		return v, json.Unmarshal(raw, v)
	}
	c := cacheOf(tx)
	if c == nil {
		return decode()
	}
	sum := maphash.Bytes(c.seed, stored)
	if packed {
		sum = ^sum // the same bytes stored plain would be another value
	}
	ck := string(bucket) + "\x00" + string(key)
	c.mu.RLock()
	e, ok := c.m[ck]
	c.mu.RUnlock()
	if ok && e.sum == sum {
		if v, ok := e.val.(*T); ok {
			return v, nil
		}
	}
	v, err := decode()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if len(c.m) >= c.max {
		// Full: forget an arbitrary eighth (map order is random), cheaper than tracking recency.
		n := c.max / 8
		for k := range c.m {
			if n == 0 {
				break
			}
			delete(c.m, k)
			n--
		}
	}
	c.m[ck] = cacheEntry{sum: sum, val: v}
	c.mu.Unlock()
	return v, nil
}
