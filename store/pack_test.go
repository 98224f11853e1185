package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

// TestSealDictionaryPinned: packed values name dictionary 1 and need exactly its bytes to be read
// back, so the file must never change once released (a new dictionary gets a new id and file).
func TestSealDictionaryPinned(t *testing.T) {
	sum := sha256.Sum256(sealDict1)
	if got, want := hex.EncodeToString(sum[:]), "e562c8ddc62b9749bce4189c9e9208da0272ddfe2868bde349e5bcc0d11dd6fc"; got != want {
		t.Fatalf("sealdict_1.zdict changed (sha256 %s, released %s): files packed with it could no longer be read", got, want)
	}
	if _, _, err := packers(); err != nil {
		t.Fatalf("the embedded dictionary does not load: %v", err)
	}
}

// recordLike is a value like a record: JSON with the keys and codes every record shares.
func recordLike(i int) []byte {
	v := map[string]any{"nip": fmt.Sprintf("1986092620150510%02d", i%100), "nama": fmt.Sprintf("Budi Santoso %d", i),
		"tempat_lahir": "Semarang", "tanggal_lahir": "1986-09-26", "jenis_kelamin": "1", "agama": "1",
		"alamat": "Jl. Pandanaran No. 10, Semarang", "riwayat": map[string]any{"pendidikan": []map[string]string{
			{"tingkat": "S1", "nama_sekolah": "Universitas Diponegoro", "tahun_lulus": "2008"},
			{"tingkat": "SMA", "nama_sekolah": "SMA Negeri 1 Semarang", "tahun_lulus": "2004"}}}}
	b, _ := json.Marshal(v)
	return b
}

// TestPackedValuesRoundTripAndShrink: a large value of a packed bucket is stored packed (much
// smaller) and read back byte for byte; a small one, or any value of another bucket, is stored as
// it is, so indexes and events keep their cheap path.
func TestPackedValuesRoundTripAndShrink(t *testing.T) {
	key := []byte("198609262015051001")
	val := recordLike(1)
	stored := seal(bRecords, key, val)
	if len(stored) >= len(val)*3/4 {
		t.Fatalf("a %d-byte record was stored in %d bytes: not packed", len(val), len(stored))
	}
	got, packed, err := unsealRaw(bRecords, key, stored)
	if err != nil || !packed {
		t.Fatalf("unsealRaw: packed %v, %v", packed, err)
	}
	if bytes.Equal(got, val) {
		t.Fatal("the stored bytes are the value itself")
	}
	back, err := unseal(bRecords, key, stored)
	if err != nil || !bytes.Equal(back, val) {
		t.Fatalf("read back %q, %v; want %q", back, err, val)
	}
	for _, c := range []struct {
		bucket []byte
		val    []byte
	}{{bRecords, []byte(`{"nip":"1"}`)}, {bEvents, val}, {bInbox, val}} {
		s := seal(c.bucket, key, c.val)
		if len(s) != len(c.val)+sealSize || !bytes.Equal(s[:len(c.val)], c.val) {
			t.Errorf("%s: a %d-byte value was packed", c.bucket, len(c.val))
		}
		if got, err := unseal(c.bucket, key, s); err != nil || !bytes.Equal(got, c.val) {
			t.Errorf("%s: read back %q, %v", c.bucket, got, err)
		}
	}
}

// TestPackedValueDamageIsFound: a flipped byte anywhere in a packed value, or the packed value moved
// under another key or bucket, fails its seal (ErrDamaged), never decodes to something else.
func TestPackedValueDamageIsFound(t *testing.T) {
	key := []byte("198609262015051001")
	stored := seal(bRecords, key, recordLike(2))
	for i := range stored {
		bad := bytes.Clone(stored)
		bad[i] ^= 0x20
		if _, err := unseal(bRecords, key, bad); !errors.Is(err, ErrDamaged) {
			t.Fatalf("byte %d flipped: %v, want ErrDamaged", i, err)
		}
	}
	if _, err := unseal(bRecords, []byte("198609262015051002"), stored); !errors.Is(err, ErrDamaged) {
		t.Fatalf("under another key: %v", err)
	}
	if _, err := unseal(bVersions, key, stored); !errors.Is(err, ErrDamaged) {
		t.Fatalf("in another bucket: %v", err)
	}
}

// TestPlainValuesOfPackedBucketsStillRead: a file written before packing holds its records plain;
// they read as before, next to packed ones, and the check counts both without unpacking.
func TestPlainValuesOfPackedBucketsStillRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pupns.db")
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	old, now := recordLike(3), recordLike(4)
	err = db.Update(func(tx *bbolt.Tx) error {
		b, err := tx.CreateBucket(bRecords)
		if err != nil {
			return err
		}
		plain := make([]byte, len(old)+sealSize) // as the code before packing sealed it
		copy(plain, old)
		sum := sealSum(bRecords, []byte("a"), old)
		plain[len(old)], plain[len(old)+1], plain[len(old)+2], plain[len(old)+3] = byte(sum>>24), byte(sum>>16), byte(sum>>8), byte(sum)
		if err := b.Put([]byte("a"), plain); err != nil {
			return err
		}
		return bk(tx, bRecords).Put([]byte("b"), now)
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.View(func(tx *bbolt.Tx) error {
		b := bk(tx, bRecords)
		if got := b.Get([]byte("a")); !bytes.Equal(got, old) {
			t.Errorf("the plain record reads %q", got)
		}
		if got := b.Get([]byte("b")); !bytes.Equal(got, now) {
			t.Errorf("the packed record reads %q", got)
		}
		if raw := tx.Bucket(bRecords).Get([]byte("b")); len(raw) >= len(now) {
			t.Errorf("the new record was stored in %d bytes for %d", len(raw), len(now))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
}

// TestEventCodecMatchesJSON: an event read back from the compact encoding equals the same event read
// back from JSON (the encoding used before), times and their zones included, for random events.
func TestEventCodecMatchesJSON(t *testing.T) {
	jakarta := time.FixedZone("WIB", 7*3600)
	zones := []*time.Location{time.UTC, jakarta, time.Local, time.FixedZone("", -3*3600-1800)}
	r := rand.New(rand.NewPCG(1, 2))
	str := func() string {
		words := []string{"", "Budi", "alamat", "Jl. Pandanaran No. 10", "\"kutip\"", "ÿ ü ñ ✗", strings.Repeat("x", 300)}
		return words[r.IntN(len(words))]
	}
	for i := range 500 {
		at := time.Date(2015, 11, 1+r.IntN(30), r.IntN(24), r.IntN(60), r.IntN(60), r.IntN(1e9), zones[r.IntN(len(zones))])
		e := Event{Seq: uint64(i + 1), At: at, Actor: str(), OnBehalfOf: str(), NIP: str(), SubmissionID: r.Uint64N(1 << 40),
			Kind: str(), Detail: str(), Key: str(), Reason: str(), Saves: r.IntN(50)}
		if r.IntN(2) == 0 {
			e.First = at.Add(-time.Duration(r.IntN(3600)) * time.Second)
		}
		raw, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		var want Event
		if err := json.Unmarshal(raw, &want); err != nil {
			t.Fatal(err)
		}
		got, err := decodeEvent(e.Seq, encodeEvent(e))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("event %d: compact %+v\nJSON %+v", i, got, want)
		}
		if old, err := decodeEvent(e.Seq, raw); err != nil || !reflect.DeepEqual(old, want) {
			t.Fatalf("event %d as JSON read %+v, %v", i, old, err)
		}
		if c := encodeEvent(e); len(c) >= len(raw) {
			t.Fatalf("event %d: %d bytes compact for %d as JSON", i, len(c), len(raw))
		}
	}
	if _, err := decodeEvent(1, []byte{eventCodecV1, 0x80}); !errors.Is(err, ErrDamaged) {
		t.Fatalf("a cut event: %v", err)
	}
}
