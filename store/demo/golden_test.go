package demo

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"testing"

	"go.etcd.io/bbolt"

	"pupns/store"
)

// goldenDigest generates a demo office on a store whose clock says demoNow and digests what it
// holds: the result (without the time taken), every master record and every account (without the
// password hash, whose salt is random). With GOLDEN_DUMP set it also writes the lines digested to
// that file, to diff a change against.
func goldenDigest(t *testing.T, pns int, seed int64) string {
	t.Helper()
	s := openDemoStore(t)
	res, err := Generate(s, Options{PNS: pns, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	res.Elapsed = 0
	h := sha256.New()
	var dump *os.File
	if p := os.Getenv("GOLDEN_DUMP"); p != "" {
		if dump, err = os.Create(fmt.Sprintf("%s-s%d-%d.jsonl", p, seed, pns)); err != nil {
			t.Fatal(err)
		}
		defer dump.Close()
	}
	emit := func(v any) error {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		b = append(b, '\n')
		h.Write(b)
		if dump != nil {
			dump.Write(b)
		}
		return nil
	}
	if err := emit(res); err != nil {
		t.Fatal(err)
	}
	err = s.DB().View(func(tx *bbolt.Tx) error {
		err := tx.Bucket([]byte("records")).ForEach(func(k, raw []byte) error {
			v, err := store.Unseal("records", k, raw) // without the value's seal, unpacked
			if err != nil {
				return err
			}
			var r store.Record
			if err := json.Unmarshal(v, &r); err != nil {
				return err
			}
			return emit([]any{r.NIP, r.InstansiID, r.UnitID, r.Fields, r.Riwayat})
		})
		if err != nil {
			return err
		}
		return tx.Bucket([]byte("users")).ForEach(func(k, raw []byte) error {
			v, err := store.Unseal("users", k, raw)
			if err != nil {
				return err
			}
			var u store.User
			if err := json.Unmarshal(v, &u); err != nil {
				return err
			}
			u.Hash = ""
			return emit(u)
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

// TestGoldenOffice: a seed makes exactly the office it made before the generator left package
// store (the digests were computed from that code). A change that moves a single draw of the
// generator changes every later person; if you mean to change the data, update the digests and
// say so in the commit.
func TestGoldenOffice(t *testing.T) {
	for _, c := range []struct {
		pns  int
		seed int64
		want string
	}{
		{50, 1, "40f198dbdd96357be7c05b4aa487be71d2db89ad1aff8afc5f50e43194d12fdd"},
		{2000, 7, "45d8365cad9261d81332bf6927618c9331de533f22a4b8d932a567a158c15c01"},
	} {
		if got := goldenDigest(t, c.pns, c.seed); got != c.want {
			t.Errorf("seed %d, %d PNS: digest %s, want %s", c.seed, c.pns, got, c.want)
		}
	}
}
