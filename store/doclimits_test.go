package store_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"pupns/store"
	"pupns/store/storetest"
)

// newFxWith is newFx on a store opened with opt (its clock is set here).
func newFxWith(t *testing.T, opt store.Options) (*fx, string) {
	t.Helper()
	dir := t.TempDir()
	clock := storetest.NewClock(fxStart, time.Second)
	opt.Now = clock.Now
	s, err := store.Open(dir, opt)
	fxMust(t, err)
	t.Cleanup(func() { s.Close() })
	f := &fx{t: t, s: s, clock: clock, budi: fxPNS(nipBudi),
		v1U01: store.Actor{Login: "v1.u01", Role: store.RoleV1, ScopeID: unitU01, Name: "Verifikator Disdik"}}
	fxMust(t, storetest.SeedOrg(s))
	f.putMasters(storetest.Record(nipBudi, unitU01, "Budi Santoso", nikBudi))
	return f, filepath.Join(dir, "pupns.db")
}

// pdfOf is a PDF the store accepts, of about n bytes.
func pdfOf(n int) []byte {
	return append(append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte{'z'}, n)...), "\n%%EOF"...)
}

// wantBerkas fails unless err is a message at the file field containing want.
func wantBerkas(t *testing.T, what string, err error, want string) {
	t.Helper()
	var fe *store.FieldError
	if !errors.As(err, &fe) || fe.Field != "berkas" || !strings.Contains(fe.Message, want) {
		t.Fatalf("%s: %v, want a message at berkas containing %q", what, err, want)
	}
}

// blobCount counts the chunks in document_blobs and the metadata rows in documents.
func blobCount(t *testing.T, s *store.Store) (chunks, metas int) {
	t.Helper()
	fxMust(t, s.DB().View(func(tx *bbolt.Tx) error {
		chunks = tx.Bucket([]byte("document_blobs")).Stats().KeyN
		metas = tx.Bucket([]byte("documents")).Stats().KeyN
		return nil
	}))
	return
}

// TestDefaultDocumentLimits: the limits the README states, and a store opened without any takes them.
func TestDefaultDocumentLimits(t *testing.T) {
	want := store.DocLimits{PerProposal: 5, PerProposalBytes: 15 << 20, PerPNS: 40, PerPNSBytes: 100 << 20}
	if got := store.DefaultDocLimits(); got != want {
		t.Fatalf("DefaultDocLimits = %+v, want %+v", got, want)
	}
	f := newFx(t)
	if got := f.s.DocLimits(); got != want {
		t.Fatalf("a store opened without limits has %+v", got)
	}
}

// TestDocumentLimitsPerProposalAndPerPNS: uploads past the count or the bytes of one proposal, or
// of all the PNS's open proposals, are refused at the file field with a sentence that names the
// limit, and store nothing.
func TestDocumentLimitsPerProposalAndPerPNS(t *testing.T) {
	f, _ := newFxWith(t, store.Options{DocLimits: store.DocLimits{PerProposal: 2, PerProposalBytes: 1 << 20, PerPNS: 4, PerPNSBytes: 2 << 20}})
	f.propose(f.budi, fxUsul{"npwp", "123456789012345", "kartu baru"}) // 1 document
	add := func(key, kind string, body []byte) error {
		_, _, err := f.s.AddDocument(f.budi, nipBudi, key, kind, "d.pdf", bytes.NewReader(body))
		return err
	}
	fxMust(t, add("npwp", "Kartu NPWP", fxPDF))
	_, metas := blobCount(t, f.s)
	wantBerkas(t, "a third document on one proposal", add("npwp", "Kartu NPWP", fxPDF), "batasnya 2")

	f.propose(f.budi, fxUsul{"alamat", "Jl. Diponegoro No. 5, Semarang", "pindah rumah"}) // KTP, KK: 4 of the PNS
	_, _, err := f.s.Propose(f.budi, nipBudi, "no_bpjs", "1234567890123", "kartu baru")
	fxMust(t, err)
	wantBerkas(t, "a fifth document of the PNS", add("no_bpjs", "Kartu BPJS Kesehatan", fxPDF), "batasnya 4 per PNS")
	if _, m := blobCount(t, f.s); m != metas+2 {
		t.Fatalf("%d documents stored, want %d: a refused upload was kept", m, metas+2)
	}

	// Bytes: detach npwp's second document, then 1 MiB more on it passes the proposal's 1 MiB.
	form, err := f.s.Form(f.budi, nipBudi)
	fxMust(t, err)
	_, err = f.s.DetachDocument(f.budi, nipBudi, form.Docs["npwp"][1].ID)
	fxMust(t, err)
	wantBerkas(t, "1 MiB more on a proposal", add("npwp", "Kartu NPWP", pdfOf(1<<20)), "per usulan")

	// The PNS's bytes: 600 KiB fits in 1 MiB, twice does not.
	g, _ := newFxWith(t, store.Options{DocLimits: store.DocLimits{PerProposal: 5, PerProposalBytes: 15 << 20, PerPNS: 40, PerPNSBytes: 1 << 20}})
	g.propose(g.budi, fxUsul{"npwp", "123456789012345", "kartu baru"})
	_, _, err = g.s.AddDocument(g.budi, nipBudi, "npwp", "Kartu NPWP", "d.pdf", bytes.NewReader(pdfOf(600<<10)))
	fxMust(t, err)
	_, _, err = g.s.AddDocument(g.budi, nipBudi, "npwp", "Kartu NPWP", "d.pdf", bytes.NewReader(pdfOf(600<<10)))
	wantBerkas(t, "past the PNS's bytes", err, "per PNS")
}

// TestDetachedDocumentsFreeTheirBytes: detaching a document, withdrawing its proposal or
// confirming the field as sesuai deletes its metadata and every chunk in the same write, and
// 20 rounds of uploading and detaching 3 MiB leave the file the size of a few rounds (bbolt
// reuses the freed pages), where it grew by 60 MiB when the bytes stayed.
func TestDetachedDocumentsFreeTheirBytes(t *testing.T) {
	f, path := newFxWith(t, store.Options{})
	f.propose(f.budi, fxUsul{"npwp", "123456789012345", "kartu baru"})
	chunks0, metas0 := blobCount(t, f.s)
	var size0 int64
	for round := range 20 {
		m, _, err := f.s.AddDocument(f.budi, nipBudi, "npwp", "Kartu NPWP", "besar.pdf", bytes.NewReader(pdfOf(3<<20)))
		fxMust(t, err)
		_, err = f.s.DetachDocument(f.budi, nipBudi, m.ID)
		fxMust(t, err)
		if _, _, err := f.s.Document(f.budi, m.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("a detached document can still be read: %v", err)
		}
		fi, err := os.Stat(path)
		fxMust(t, err)
		if round == 2 {
			size0 = fi.Size()
		}
		if round > 2 && fi.Size() > size0+4<<20 {
			t.Fatalf("round %d: the file grew from %d to %d bytes: detached bytes are not reused", round, size0, fi.Size())
		}
	}
	if c, m := blobCount(t, f.s); c != chunks0 || m != metas0 {
		t.Fatalf("after detaching: %d chunks, %d documents; want %d, %d", c, m, chunks0, metas0)
	}

	_, err := f.s.Withdraw(f.budi, nipBudi, "npwp")
	fxMust(t, err)
	if c, m := blobCount(t, f.s); c != 0 || m != 0 {
		t.Fatalf("after withdrawing the proposal: %d chunks, %d documents left", c, m)
	}
	f.propose(f.budi, fxUsul{"npwp", "123456789012345", "kartu baru"})
	_, err = f.s.Confirm(f.budi, nipBudi, []string{"npwp"}, false)
	fxMust(t, err)
	if c, m := blobCount(t, f.s); c != 0 || m != 0 {
		t.Fatalf("after confirming the field as sesuai: %d chunks, %d documents left", c, m)
	}
}
