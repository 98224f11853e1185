package store_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/klauspost/compress/zstd"
	"go.etcd.io/bbolt"

	"pupns/store"
)

// TestWriteSealDictionary makes a packing dictionary (store/pack.go) when PUPNS_WRITE_SEALDICT names
// the file to write: it runs the storage benchmark's campaign on a demo office of 300 PNS drawn with
// seed 7 (the benchmarks and tests use seed 1, so the dictionary is not made from the people it is
// measured on) and trains zstd's dictionary on the values of the packed buckets. A released
// dictionary is never rewritten (files name the dictionary they were packed with): a new one gets
// the next id (PUPNS_SEALDICT_ID) and a file of its own, and pack.go learns to read it.
func TestWriteSealDictionary(t *testing.T) {
	out := os.Getenv("PUPNS_WRITE_SEALDICT")
	if out == "" {
		t.Skip("set PUPNS_WRITE_SEALDICT=store/sealdict_<id>.zdict to make a dictionary")
	}
	id := uint32(1)
	if os.Getenv("PUPNS_SEALDICT_ID") != "" {
		t.Fatal("a dictionary other than 1: add its id here and its reader to pack.go")
	}
	dir := t.TempDir()
	campaignSeed = 7
	defer func() { campaignSeed = 0 }()
	runCampaign(t, dir, 300)
	samples := packedSamples(t, filepath.Join(dir, "pupns.db"), 200)
	var history []byte
	for i := len(samples) - 1; i >= 0 && len(history) < 32<<10; i -= 7 {
		history = append(samples[i], history...)
	}
	dict, err := zstd.BuildDict(zstd.BuildDictOptions{ID: id, Contents: samples, History: history,
		Offsets: [3]int{1, 4, 8}, Level: zstd.SpeedFastest})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, dict, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s: %d bytes from %d values", out, len(dict), len(samples))
}

// packedSamples reads up to per values, spread evenly, of each packed bucket of the file at path.
func packedSamples(t *testing.T, path string, per int) [][]byte {
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	names := store.PackedBucketsForTesting()
	slices.Sort(names)
	var out [][]byte
	err = db.View(func(tx *bbolt.Tx) error {
		for _, name := range names {
			b := tx.Bucket([]byte(name))
			step := max(1, b.Stats().KeyN/per)
			i := 0
			err := b.ForEach(func(k, raw []byte) error {
				if i++; i%step != 0 {
					return nil
				}
				v, _, err := store.OpenStoredForTesting([]byte(name), k, raw)
				if err == nil && len(v) >= 256 {
					out = append(out, bytes.Clone(v))
				}
				return err
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
