package store

import (
	_ "embed"
	"fmt"
	"sync"

	"github.com/klauspost/compress/zstd"
)

// The large JSON values of a few buckets are stored packed: compressed with zstd against a
// dictionary made from a demo office's own values (sealdict_1.zdict). A record, a submission or a
// version is mostly the same keys, codes and phrases as every other; against the dictionary a
// 3–4 KB record packs to about a fifth and a submission to about a tenth, where zstd or flate
// without one reach only a third. Small values (an event, an index entry, a counter) are left as
// they are: for them the dictionary's setup costs more time than it saves bytes.
//
// A packed value is sealed like any other (seal.go), with the seal's packed variant: its CRC
// covers the packed bytes under the same bucket and key, xor packedMark. A read that meets the plain
// seal returns the bytes as they are, so values written before packing existed, or in buckets that
// are never packed, read as before and need no migration; one that meets the packed seal unpacks.
// The check (check.go) verifies seals without unpacking: the seal proves the bytes are the ones
// written.
//
// Dictionaries are never changed once released: a value names its dictionary (the zstd frame's
// dictionary id), so a later dictionary gets a new id and file beside this one, and every file
// keeps reading. TestSealDictionaryPinned fails if the bytes of dictionary 1 change.

//go:embed sealdict_1.zdict
var sealDict1 []byte

// packedMark distinguishes the packed seal from the plain one.
const packedMark = 0x7a737464 // "zstd"

// packMin is the smallest value worth packing; packed values must also come out smaller by at
// least packSaving bytes.
const (
	packMin    = 128
	packSaving = 32
)

// packedBuckets are the buckets whose values are packed: large, alike, and written far less often
// than they are read (records and versions at an approval, submissions at Kirim and at each
// decision, document metadata at an upload).
var packedBuckets = map[string]bool{
	string(bRecords): true, string(bVersions): true, string(bSubs): true, string(bDocs): true,
}

var (
	packOnce sync.Once
	packEnc  *zstd.Encoder
	packDec  *zstd.Decoder
	packErr  error
)

// packers are the encoder (dictionary 1, the fastest level: a few tens of µs for a record) and
// the decoder (every dictionary), made once; both are safe for concurrent use.
func packers() (*zstd.Encoder, *zstd.Decoder, error) {
	packOnce.Do(func() {
		packEnc, packErr = zstd.NewWriter(nil, zstd.WithEncoderDict(sealDict1), zstd.WithEncoderLevel(zstd.SpeedFastest),
			zstd.WithEncoderCRC(false), zstd.WithZeroFrames(true), zstd.WithLowerEncoderMem(true))
		if packErr != nil {
			return
		}
		packDec, packErr = zstd.NewReader(nil, zstd.WithDecoderDicts(sealDict1), zstd.WithDecoderConcurrency(0),
			zstd.WithDecoderMaxMemory(64<<20))
	})
	return packEnc, packDec, packErr
}

// pack returns val packed, or nil when val is not packed (its bucket is not one of packedBuckets,
// it is small, or packing would not save enough).
func pack(bucket, val []byte) []byte {
	if len(val) < packMin || !packedBuckets[string(bucket)] {
		return nil
	}
	enc, _, err := packers()
	if err != nil {
		return nil // the embedded dictionary is broken: TestSealDictionaryPinned says so; store plainly
	}
	out := enc.EncodeAll(val, make([]byte, 0, len(val)/3+sealSize+64))
	if len(out)+packSaving > len(val) {
		return nil
	}
	return out
}

// unpack is the value packed holds; packed has passed its seal already.
func unpack(bucket, key, packed []byte) ([]byte, error) {
	_, dec, err := packers()
	if err != nil {
		return nil, fmt.Errorf("%w: wadah %s, kunci %s: %v", ErrDamaged, bucket, keyText(key), err)
	}
	val, err := dec.DecodeAll(packed, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: wadah %s, kunci %s: %v", ErrDamaged, bucket, keyText(key), err)
	}
	return val, nil
}
