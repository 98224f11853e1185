package store_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"go.etcd.io/bbolt"

	"pupns/store"
	"pupns/store/storetest"
)

// migState is what the office answers, to compare before and after a migration.
func migState(t *testing.T, s *store.Store) string {
	t.Helper()
	v1 := store.Actor{Login: storetest.LoginV1, Role: store.RoleV1, ScopeID: "U01"}
	rec, err := s.Record(storetest.NIPBudi)
	fxMust(t, err)
	vers, err := s.Versions(storetest.NIPBudi)
	fxMust(t, err)
	form, err := s.Form(fxPNS(storetest.NIPSri), storetest.NIPSri)
	fxMust(t, err)
	inbox, err := s.Inbox(v1, "", 10)
	fxMust(t, err)
	if len(inbox.Items) != 1 {
		t.Fatalf("inbox has %d items, want Budi's submission", len(inbox.Items))
	}
	sub, err := s.Submission(v1, inbox.Items[0].ID)
	fxMust(t, err)
	staff, err := s.Staff()
	fxMust(t, err)
	var docs [][]byte
	for _, ms := range form.Docs {
		for _, m := range ms {
			_, data, err := s.Document(fxPNS(storetest.NIPSri), m.ID)
			fxMust(t, err)
			docs = append(docs, data)
		}
	}
	if len(docs) == 0 {
		t.Fatal("Sri's proposal has no document")
	}
	out, err := json.Marshal([]any{rec, vers, form, inbox, sub, staff, docs})
	fxMust(t, err)
	return string(out)
}

// closedOffice is the test office with one submission sent and one proposal open, closed: what it
// answered (migState) and its data file, for a test that rewrites the file.
func closedOffice(t *testing.T) (o *storetest.Office, want, path string) {
	t.Helper()
	o = storetest.NewOffice(t)
	f := &fx{t: t, s: o.Store, clock: o.Clock}
	f.send(fxPNS(storetest.NIPBudi), usulHP)
	f.propose(fxPNS(storetest.NIPSri), usulAlamat)
	want = migState(t, o.Store)
	fxMust(t, o.Store.Close())
	return o, want, filepath.Join(o.Dir, "pupns.db")
}

// rewriteValues rewrites every value of every bucket of the bbolt file at path (no store holds it)
// as as returns it for the bucket, key and stored value, and says how many values changed.
func rewriteValues(t *testing.T, path string, as func(bucket string, k, v []byte) ([]byte, error)) int {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, nil)
	fxMust(t, err)
	defer db.Close()
	n := 0
	fxMust(t, db.Update(func(tx *bbolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bbolt.Bucket) error {
			type kv struct{ k, v []byte }
			var all []kv
			err := b.ForEach(func(k, v []byte) error {
				w, err := as(string(name), k, v)
				if err == nil && !bytes.Equal(w, v) {
					all = append(all, kv{bytes.Clone(k), bytes.Clone(w)})
				}
				return err
			})
			for _, e := range all {
				if err == nil {
					err = b.Put(e.k, e.v)
				}
			}
			n += len(all)
			return err
		})
	}))
	return n
}

// TestVersion1FileIsSealedOnOpen: a file in the layout of schema version 1 (every value bare, as
// the code before seals wrote it) opens, is sealed in Open's transaction, and answers exactly
// what it answered before; the check accepts it before and after.
func TestVersion1FileIsSealedOnOpen(t *testing.T) {
	o, want, path := closedOffice(t)

	// Write the version-1 layout: strip every value's 4-byte seal, schema "1".
	n := rewriteValues(t, path, func(bucket string, k, v []byte) ([]byte, error) {
		return store.Unseal(bucket, k, v) // unsealed and, if packed, unpacked
	})
	db, err := bbolt.Open(path, 0o600, nil)
	fxMust(t, err)
	fxMust(t, db.Update(func(tx *bbolt.Tx) error {
		rec := tx.Bucket([]byte("records")).Get([]byte(storetest.NIPBudi))
		if !json.Valid(rec) {
			return fmt.Errorf("a version-1 record is bare JSON, got %q", rec)
		}
		return tx.Bucket([]byte("meta")).Put([]byte("schema"), []byte("1"))
	}))
	fxMust(t, db.Close())
	if rep, err := store.Check(o.Dir); err != nil || rep.Values != 0 {
		t.Fatalf("Check of a version-1 file = %+v, %v; want accepted, no seals to verify yet", rep, err)
	}

	s := storetest.Open(t, o.Dir, o.Clock)
	if got := migState(t, s); got != want {
		t.Fatalf("after migration the office answers\n%s\nwant\n%s", got, want)
	}
	if v, err := s.Meta("schema"); err != nil || string(v) != fmt.Sprint(store.SchemaVersion) {
		t.Fatalf("schema after migration = %q, %v", v, err)
	}
	fxMust(t, s.Close())
	rep, err := store.Check(o.Dir)
	if err != nil || rep.Values < n {
		t.Fatalf("Check after migration = %+v, %v; want all %d values sealed", rep, err, n)
	}
	// A later version is refused, not misread.
	db, err = bbolt.Open(path, 0o600, nil)
	fxMust(t, err)
	fxMust(t, db.Update(func(tx *bbolt.Tx) error {
		return tx.Bucket([]byte("meta")).Put([]byte("schema"), fmt.Append(nil, store.SchemaVersion+1))
	}))
	fxMust(t, db.Close())
	if _, err := store.Open(o.Dir, store.Options{}); !errors.Is(err, store.ErrSchema) {
		t.Fatalf("Open of a file of a later version = %v, want ErrSchema", err)
	}
}
