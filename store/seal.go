package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"unicode/utf8"

	"go.etcd.io/bbolt"
)

// Every value the store keeps, empty index values included, is sealed: followed by a CRC-32C
// (Castagnoli) of the bucket name, the key and the value (the large values of a few buckets are
// packed first, and sealed with the seal's packed variant: pack.go). A flipped byte in a value, or in the key
// it sits under, or a value that ends up under another key, no longer matches its seal, and the
// read that meets it fails with ErrDamaged naming the bucket and key instead of answering with
// what the damaged bytes happen to say. bbolt keeps no checksum of its own for data pages.
//
// The store touches bbolt only through bucket and cursor below, which seal on write and verify on
// read. A read has no error to return (bbolt's Get and cursor moves have none), so a damaged value
// panics with a damage, and the transaction helpers view, update and batch turn it back into an
// error at the store's boundary, together with any panic bbolt itself raises on a damaged page.

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// sealSize is the length of the seal after every stored value.
const sealSize = 4

// sealSum is the checksum of val stored under key in bucket; the key's length is included so that
// the boundary between key and value cannot move.
func sealSum(bucket, key, val []byte) uint32 {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(key)))
	c := crc32.Update(0, castagnoli, bucket)
	c = crc32.Update(c, castagnoli, n[:])
	c = crc32.Update(c, castagnoli, key)
	return crc32.Update(c, castagnoli, val)
}

// seal returns a new slice: val followed by its seal, or, in a bucket whose values are packed
// (pack.go), val packed followed by the packed variant of the seal.
func seal(bucket, key, val []byte) []byte {
	if p := pack(bucket, val); p != nil {
		out := append(p, 0, 0, 0, 0)
		binary.BigEndian.PutUint32(out[len(p):], sealSum(bucket, key, p)^packedMark)
		return out
	}
	out := make([]byte, len(val)+sealSize)
	copy(out, val)
	binary.BigEndian.PutUint32(out[len(val):], sealSum(bucket, key, val))
	return out
}

// unsealRaw verifies raw, a value as stored under key in bucket, and returns the stored bytes
// without their seal (still bbolt's memory, capped so that an append cannot write into it) and
// whether they are packed. It does not unpack: the check verifies every value this way.
func unsealRaw(bucket, key, raw []byte) (stored []byte, packed bool, err error) {
	if len(raw) < sealSize {
		return nil, false, damagedAt(bucket, key)
	}
	n := len(raw) - sealSize
	switch sum := sealSum(bucket, key, raw[:n]); binary.BigEndian.Uint32(raw[n:]) {
	case sum:
		return raw[:n:n], false, nil
	case sum ^ packedMark:
		return raw[:n:n], true, nil
	}
	return nil, false, damagedAt(bucket, key)
}

// unseal verifies raw and returns the value as it was put: bbolt's memory for a plain value, a
// new slice for a packed one.
func unseal(bucket, key, raw []byte) ([]byte, error) {
	v, packed, err := unsealRaw(bucket, key, raw)
	if err != nil || !packed {
		return v, err
	}
	return unpack(bucket, key, v)
}

// damagedAt is the error for the value under key in bucket.
func damagedAt(bucket, key []byte) error {
	return fmt.Errorf("%w: wadah %s, kunci %s", ErrDamaged, bucket, keyText(key))
}

// keyText shows a key as text when it is printable, else as hex.
func keyText(key []byte) string {
	if utf8.Valid(key) {
		printable := true
		for _, r := range string(key) {
			if r < 0x20 || r == 0x7f {
				printable = false
				break
			}
		}
		if printable {
			return fmt.Sprintf("%q", key)
		}
	}
	return fmt.Sprintf("%x", key)
}

// damage is the panic value of a damaged read inside a transaction.
type damage struct{ err error }

// must returns v, or panics with the damage err describes.
func must(v []byte, err error) []byte {
	if err != nil {
		panic(damage{err})
	}
	return v
}

// bucket is a bbolt bucket whose values are sealed. bbolt's methods that read or write values are
// all replaced below; the rest (FillPercent, Sequence) pass through.
type bucket struct {
	*bbolt.Bucket
	name []byte
}

// bk is tx's bucket name; like tx.Bucket, but sealing and verifying.
func bk(tx *bbolt.Tx, name []byte) bucket {
	b := tx.Bucket(name)
	if b == nil {
		panic(damage{fmt.Errorf("%w: wadah %s tidak ada", ErrDamaged, name)})
	}
	return bucket{Bucket: b, name: name}
}

// Get returns the verified value under key, or nil.
func (b bucket) Get(key []byte) []byte {
	raw := b.Bucket.Get(key)
	if raw == nil {
		return nil
	}
	return must(unseal(b.name, key, raw))
}

// getStored returns the verified bytes stored under key, not yet unpacked, and whether they are
// packed; nil when there is none. The decode cache tags its entries with these bytes' hash.
func (b bucket) getStored(key []byte) ([]byte, bool) {
	raw := b.Bucket.Get(key)
	if raw == nil {
		return nil, false
	}
	v, packed, err := unsealRaw(b.name, key, raw)
	if err != nil {
		panic(damage{err})
	}
	return v, packed
}

// Put stores val, sealed, under key.
func (b bucket) Put(key, val []byte) error { return b.Bucket.Put(key, seal(b.name, key, val)) }

// Delete removes key.
func (b bucket) Delete(key []byte) error { return b.Bucket.Delete(key) }

// NextSequence is bbolt's per-bucket sequence.
func (b bucket) NextSequence() (uint64, error) { return b.Bucket.NextSequence() }

// Stats are bbolt's statistics of the bucket.
func (b bucket) Stats() bbolt.BucketStats { return b.Bucket.Stats() }

// ForEach calls fn for every key with its verified value.
func (b bucket) ForEach(fn func(k, v []byte) error) error {
	return b.Bucket.ForEach(func(k, raw []byte) error { return fn(k, must(unseal(b.name, k, raw))) })
}

// Cursor is a cursor over the bucket that verifies every value it passes.
func (b bucket) Cursor() cursor { return cursor{c: b.Bucket.Cursor(), name: b.name} }

// cursor is a bbolt cursor whose values are verified.
type cursor struct {
	c    *bbolt.Cursor
	name []byte
}

func (c cursor) open(k, raw []byte) ([]byte, []byte) {
	if k == nil {
		return nil, nil
	}
	return k, must(unseal(c.name, k, raw))
}

// First moves to the first key.
func (c cursor) First() ([]byte, []byte) { return c.open(c.c.First()) }

// Last moves to the last key.
func (c cursor) Last() ([]byte, []byte) { return c.open(c.c.Last()) }

// Next moves to the next key.
func (c cursor) Next() ([]byte, []byte) { return c.open(c.c.Next()) }

// Prev moves to the previous key.
func (c cursor) Prev() ([]byte, []byte) { return c.open(c.c.Prev()) }

// Seek moves to key or the first key after it.
func (c cursor) Seek(key []byte) ([]byte, []byte) { return c.open(c.c.Seek(key)) }

// Delete removes the key under the cursor.
func (c cursor) Delete() error { return c.c.Delete() }

// recoverDamage turns a panic inside a transaction into an error wrapping ErrDamaged: a damaged
// value (a damage), or anything bbolt raises on a damaged page (its assertions, an index out of
// range on a garbled page, a fault on an address past the file's end, made a panic by
// debug.SetPanicOnFault). Deferred by every transaction helper.
func recoverDamage(err *error) {
	r := recover()
	if r == nil {
		return
	}
	if d, ok := r.(damage); ok {
		*err = d.err
		return
	}
	if e, ok := r.(error); ok && errors.Is(e, ErrDamaged) {
		*err = e
		return
	}
	*err = fmt.Errorf("%w: %v", ErrDamaged, r)
}

// Unseal is the value bbolt holds as raw under key in bucket, verified and unpacked, as the store
// reads it: for tests and tools that read a data file with bbolt directly. A damaged value is
// ErrDamaged.
func Unseal(bucket string, key, raw []byte) ([]byte, error) {
	return unseal([]byte(bucket), key, raw)
}
