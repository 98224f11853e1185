package store_test

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"pupns/store"
	"pupns/store/storetest"
)

// fxCount reads the navigation count of a verifier's inbox.
func (f *fx) count(v store.Actor) int {
	f.t.Helper()
	n, err := f.s.InboxCount(v)
	fxMust(f.t, err)
	return n
}

// TestInboxCountFollowsEveryMove: the navigation's count is kept in the same transaction as the
// inbox rows, so after every kind of move it equals what the inbox lists, at every level.
func TestInboxCountFollowsEveryMove(t *testing.T) {
	f := newBKNFx(t)
	verifiers := []store.Actor{f.v1U01, f.v1U02, f.v2, f.v3, f.v3Other, f.v4}
	check := func(when string) {
		t.Helper()
		for _, v := range verifiers {
			if n, list := f.count(v), len(f.inbox(v)); n != list {
				t.Fatalf("%s: %s counts %d, lists %d", when, v.Login, n, list)
			}
		}
	}
	a := f.send(f.budi, usulNama, usulHP)
	b := f.send(f.siti, usulHP)
	f.send(f.agus, usulHP)
	check("after Kirim")
	if f.count(f.v1U01) != 2 || f.count(f.v1U02) != 1 {
		t.Fatalf("counts %d %d, want 2 1", f.count(f.v1U01), f.count(f.v1U02))
	}
	_, err := f.s.WithdrawSubmission(f.siti, nipSiti)
	fxMust(t, err)
	check("after withdraw")
	f.pass(f.v1U01, a.ID)
	check("after Level 1")
	l2, _ := f.s.Submission(f.v2, a.ID)
	_, err = f.s.SendDown(f.v2, a.ID, l2.Rev, "periksa ulang")
	fxMust(t, err)
	check("after turun status")
	f.pass(f.v1U01, a.ID)
	f.pass(f.v2, a.ID)
	check("after Level 2")
	if f.count(f.v3) != 1 {
		t.Fatalf("Kanreg count %d, want 1", f.count(f.v3))
	}
	f.pass(f.v3, a.ID)
	check("after done")
	if f.count(f.v3) != 0 || f.count(f.v1U01) != 0 {
		t.Fatal("counts left behind after done")
	}
	if b.State != store.StateLevel1 {
		t.Fatalf("Siti's submission %s", b.State)
	}
	_, err = f.s.InboxCount(f.budi)
	fxWantErr(t, err, store.ErrForbidden)
}

// TestInboxFilters: each filter narrows the inbox to what it names, paging works inside a filter
// without loss or repetition, and a filtered page says it does not know the total.
func TestInboxFilters(t *testing.T) {
	f := newBKNFx(t)
	day1 := f.fxBulk(unitU01, 0, 3)   // three in the SKPD itself
	f.clock.Add(48 * time.Hour)       // two days later
	day3 := f.fxBulk(unitU0101, 3, 4) // four in the nested unit
	all := append(slices.Clone(day1), day3...)
	slices.Reverse(all)

	search := func(q store.InboxQuery) []uint64 {
		t.Helper()
		var ids []uint64
		for range 50 {
			q.Limit = 2
			page, err := f.s.InboxSearch(f.v1U01, q)
			fxMust(t, err)
			if q.Status != "" || q.UnitID != "" || q.Search != "" || !q.From.IsZero() || !q.To.IsZero() {
				if page.Total != -1 {
					t.Fatalf("filtered page claims a total of %d", page.Total)
				}
			}
			for _, it := range page.Items {
				ids = append(ids, it.ID)
			}
			if page.Next == "" {
				return ids
			}
			q.Cursor = page.Next
		}
		t.Fatal("paging does not end")
		return nil
	}
	if got := search(store.InboxQuery{}); !slices.Equal(got, all) {
		t.Fatalf("no filter: %v, want %v", got, all)
	}
	if got := search(store.InboxQuery{UnitID: unitU0101}); !slices.Equal(got, fxReversed(day3)) {
		t.Fatalf("unit U01.01: %v, want %v", got, fxReversed(day3))
	}
	d1 := fxStart
	if got := search(store.InboxQuery{From: d1, To: d1}); !slices.Equal(got, fxReversed(day1)) {
		t.Fatalf("first day: %v, want %v", got, fxReversed(day1))
	}
	if got := search(store.InboxQuery{From: d1.AddDate(0, 0, 1)}); !slices.Equal(got, fxReversed(day3)) {
		t.Fatalf("from the second day: %v", got)
	}
	if got := search(store.InboxQuery{To: d1.AddDate(0, 0, 1)}); !slices.Equal(got, fxReversed(day1)) {
		t.Fatalf("up to the second day: %v", got)
	}
	// Name search is case-insensitive and matches the start of each word of the name.
	sub, _ := f.s.Submission(f.v1U01, day3[1])
	if sub.Name != "Pegawai E, S.Kom." {
		t.Fatalf("fixture name %q", sub.Name)
	}
	if got := search(store.InboxQuery{Search: "  pEGawai e "}); !slices.Equal(got, []uint64{day3[1]}) {
		t.Fatalf("name search: %v", got)
	}
	if got := search(store.InboxQuery{Search: "pegawai"}); !slices.Equal(got, all) {
		t.Fatalf("name search for the common part: %v", got)
	}
	if got := search(store.InboxQuery{Search: "tidak ada nama begini"}); len(got) != 0 {
		t.Fatalf("no match: %v", got)
	}
	// A NIP, written with the spaces of its printed form, finds exactly that PNS.
	if got := search(store.InboxQuery{Search: store.FormatNIP(sub.NIP)}); !slices.Equal(got, []uint64{day3[1]}) {
		t.Fatalf("NIP search: %v", got)
	}
	// A nomor registrasi finds its PNS.
	regno := store.NewRegNo(rand.NewPCG(1, 2))
	fxMust(t, f.s.PutUsers([]store.User{{Login: sub.NIP, Role: store.RolePNS, NIP: sub.NIP, RegNo: regno, Hash: "x"}}))
	if got := search(store.InboxQuery{Search: strings.ToLower(regno)}); !slices.Equal(got, []uint64{day3[1]}) {
		t.Fatalf("nomor registrasi search: %v", got)
	}

	// Status: opened at this level, resent, sent down.
	_, _, err := f.s.OpenForReview(f.v1U01, day1[0])
	fxMust(t, err)
	if got := search(store.InboxQuery{Status: store.InboxTaken}); !slices.Equal(got, []uint64{day1[0]}) {
		t.Fatalf("taken: %v", got)
	}
	if got := search(store.InboxQuery{Status: store.InboxNew}); len(got) != len(all)-1 || slices.Contains(got, day1[0]) {
		t.Fatalf("new: %v", got)
	}
	page, _ := f.s.InboxSearch(f.v1U01, store.InboxQuery{Search: store.FormatNIP(fxNIPOf(t, f, day1[0]))})
	if len(page.Items) != 1 || page.Items[0].TakenBy != f.v1U01.Login {
		t.Fatalf("taken row = %+v", page.Items)
	}
	f.pass(f.v1U01, day1[1])
	l2, _ := f.s.Submission(f.v2, day1[1])
	_, err = f.s.SendDown(f.v2, day1[1], l2.Rev, "cek lagi")
	fxMust(t, err)
	if got := search(store.InboxQuery{Status: store.InboxSentDown}); !slices.Equal(got, []uint64{day1[1]}) {
		t.Fatalf("sent down: %v", got)
	}
	if got := search(store.InboxQuery{Status: store.InboxResent}); len(got) != 0 {
		t.Fatalf("resent before any resend: %v", got)
	}

	_, err = f.s.InboxSearch(f.v1U01, store.InboxQuery{Status: "aneh"})
	fxCheckFieldError(t, err, "status")
	_, err = f.s.InboxSearch(f.v1U01, store.InboxQuery{From: d1.AddDate(0, 0, 2), To: d1})
	fxCheckFieldError(t, err, "sampai")
}

func fxNIPOf(t *testing.T, f *bknFx, id uint64) string {
	t.Helper()
	s, err := f.s.Submission(f.v1U01, id)
	fxMust(t, err)
	return s.NIP
}

// fxBulk is fxBulkSend with names that differ in more than the first letter.
func (f *bknFx) fxBulk(unit string, first, n int) []uint64 {
	return fxBulkSend(f.fx, unit, first, n)
}

// TestInboxIndexRebuiltForOldFiles: a data file written before inbox rows carried summaries and
// counts (empty values, no count bucket) is repaired on Open, so its inboxes list and count right.
func TestInboxIndexRebuiltForOldFiles(t *testing.T) {
	dir := t.TempDir()
	clock := storetest.NewClock(fxStart, time.Second)
	s, err := store.Open(dir, store.Options{Now: clock.Now})
	fxMust(t, err)
	f := &fx{t: t, s: s, clock: clock}
	fxMust(t, s.PutInstansi(store.Instansi{ID: fxInstansi, Name: "Prov", Jenis: "daerah", KanregID: "I"}))
	fxMust(t, s.PutUnit(store.Unit{ID: unitU01, InstansiID: fxInstansi, Name: "Dinas Pendidikan"}))
	ids := fxBulkSend(f, unitU01, 0, 3)
	v1 := store.Actor{Login: "v1", Role: store.RoleV1, ScopeID: unitU01}
	// Make it look old: blank every inbox value and drop the counts.
	fxMust(t, s.DB().Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket([]byte("inbox"))
		var keys [][]byte
		fxMust(t, b.ForEach(func(k, _ []byte) error { keys = append(keys, slices.Clone(k)); return nil }))
		for _, k := range keys {
			if err := b.Put(k, nil); err != nil {
				return err
			}
		}
		return tx.DeleteBucket([]byte("inbox_count"))
	}))
	fxMust(t, s.Close())
	s, err = store.Open(dir, store.Options{Now: clock.Now})
	fxMust(t, err)
	t.Cleanup(func() { s.Close() })
	page, err := s.Inbox(v1, "", 10)
	fxMust(t, err)
	var got []uint64
	for _, it := range page.Items {
		got = append(got, it.ID)
		if it.Name == "" || it.Lines != 1 {
			t.Errorf("rebuilt row %+v lacks its summary", it)
		}
	}
	if n, _ := s.InboxCount(v1); n != 3 || page.Total != 3 || !slices.Equal(got, fxReversed(ids)) {
		t.Fatalf("after reopening: count %d total %d ids %v", n, page.Total, got)
	}
}
