package store_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"pupns/store"
	"pupns/store/storetest"
)

// TestSearchTokens: a name becomes the tokens a search matches: lower case, diacritics folded
// (precomposed or combining), apostrophes joined, titles' punctuation a separator.
func TestSearchTokens(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"Sitï Nurhayatì", []string{"siti", "nurhayati"}},
		{"Dr. H. Siti Nurhayati, S.Pd., M.Si.", []string{"dr", "h", "siti", "nurhayati", "s", "pd", "m", "si"}},
		{"Siti\u0308 NURHAYATI\u0300", []string{"siti", "nurhayati"}}, // combining diaeresis and grave
		{"Ma'ruf Amin", []string{"maruf", "amin"}},
		{"Ma’ruf", []string{"maruf"}},
		{"ÆSTHER Øyvind Straße Łukasz Şükrü", []string{"aesther", "oyvind", "strasse", "lukasz", "sukru"}},
		{"  siti  siti-siti ", []string{"siti"}},
		{"Nur-Hayati 2", []string{"nur", "hayati", "2"}},
		{"...", nil},
	} {
		if got := store.SearchTokens(c.in); !slices.Equal(got, c.want) {
			t.Errorf("SearchTokens(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// srNIP is the i-th NIP of the search tests: born 1987-01-01 (i < 500) or 1991-05-05, TMT 2010-01.
func srNIP(i int) string {
	born := "19870101"
	if i >= 500 {
		born = "19910505"
	}
	return fmt.Sprintf("%s201001%d%03d", born, 1+i%2, i%500)
}

// srSend adds a PNS of the unit with the name and sends a proposal: its submission id.
func srSend(f *fx, i int, unit, name string) uint64 {
	f.t.Helper()
	return f.send(f.addPNS(srNIP(i), unit, name, 200+i), usulHP).ID
}

// srFind reads every page of a search (limit rows per page) and returns the ids in order.
func srFind(t *testing.T, s *store.Store, v store.Actor, q store.InboxQuery, limit int) []uint64 {
	t.Helper()
	var ids []uint64
	q.Limit = limit
	for range 1000 {
		page, err := s.InboxSearch(v, q)
		fxMust(t, err)
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

// TestInboxSearchByNameAndNIP: a name search matches the start of each word, whatever the case and
// the diacritics, several words must all match, a NIP is found whole or by its start, and a verifier
// never finds a submission outside their level and scope.
func TestInboxSearchByNameAndNIP(t *testing.T) {
	f := newBKNFx(t)
	nurhayati := srSend(f.fx, 0, unitU01, "Sitï Nurhayatì, S.Pd.")
	aminah := srSend(f.fx, 1, unitU0101, "Dr. H. Siti Aminah, M.Si.")
	nurhadi := srSend(f.fx, 2, unitU01, "Nurhadi Wibowo")
	maruf := srSend(f.fx, 503, unitU01, "Ma'ruf Amin")
	rahayu := srSend(f.fx, 4, unitU02, "Siti Rahayu")
	find := func(v store.Actor, search string) []uint64 {
		t.Helper()
		return srFind(t, f.s, v, store.InboxQuery{Search: search}, 50)
	}
	for _, c := range []struct {
		search string
		want   []uint64
	}{
		{"siti", []uint64{aminah, nurhayati}},
		{"SITI", []uint64{aminah, nurhayati}},
		{"Sîtí", []uint64{aminah, nurhayati}},
		{"nurh", []uint64{nurhadi, nurhayati}},
		{"siti nurh", []uint64{nurhayati}},
		{"Nurhayati, Siti", []uint64{nurhayati}},
		{"siti a", []uint64{aminah}}, // a one-letter word is checked on what the others find
		{"S.Pd.", []uint64{nurhayati}},
		{"hayati", nil}, // the middle of a word is not its start
		{"siti wibowo", nil},
		{"maruf", []uint64{maruf}},
		{"Ma’ruf", []uint64{maruf}},
		{"amin", []uint64{maruf, aminah}},
		{"rahayu", nil}, // in U02: not this verifier's inbox
		{store.FormatNIP(srNIP(1)), []uint64{aminah}},
		{srNIP(1), []uint64{aminah}},
		{"19870101", []uint64{nurhadi, aminah, nurhayati}},
		{"1991 0505", []uint64{maruf}},
		{"19870101201001 1", []uint64{nurhadi, nurhayati}},
		{"2000", nil},
		{"tidak ada nama begini", nil},
	} {
		if got := find(f.v1U01, c.search); !slices.Equal(got, c.want) {
			t.Errorf("v1.u01 searches %q: %v, want %v", c.search, got, c.want)
		}
	}
	if got := find(f.v1U02, "siti"); !slices.Equal(got, []uint64{rahayu}) {
		t.Errorf("v1.u02 finds %v, want only %v", got, rahayu)
	}
	if got := find(f.v2, "siti"); len(got) != 0 {
		t.Errorf("Level 2 finds %v before anything reached it", got)
	}
	f.pass(f.v1U01, nurhayati)
	if got := find(f.v2, "nurh"); !slices.Equal(got, []uint64{nurhayati}) {
		t.Errorf("Level 2 finds %v after Level 1 forwarded, want %v", got, nurhayati)
	}
	if got := find(f.v1U01, "nurh"); !slices.Equal(got, []uint64{nurhadi}) {
		t.Errorf("Level 1 still finds %v after forwarding, want %v", got, nurhadi)
	}
	other := store.Actor{Login: "v2.lain", Role: store.RoleV2, ScopeID: fxPusat}
	if got := find(other, "siti"); len(got) != 0 {
		t.Errorf("the Level 2 of another instansi finds %v", got)
	}
	for _, search := range []string{"s", "a . b", "-"} {
		_, err := f.s.InboxSearch(f.v1U01, store.InboxQuery{Search: search})
		fxCheckFieldError(t, err, "cari")
	}
}

// TestInboxSearchPagesWithEveryFilter: a search pages correctly (every match once, newest first,
// whatever the page size) and combines with the unit, status and date filters; a term that more
// than 64 distinct words start with (walked, not sought) answers the same.
func TestInboxSearchPagesWithEveryFilter(t *testing.T) {
	f := newBKNFx(t)
	type sent struct {
		id         uint64
		unit, name string
		day        int
	}
	var all []sent
	for i := range 90 {
		if i == 45 {
			f.clock.Add(72 * time.Hour)
		}
		unit := []string{unitU01, unitU0101}[i%2]
		name := fmt.Sprintf("Pegawai Su%c%c", 'a'+i/26, 'a'+i%26) // 90 distinct words starting su
		if i%3 == 0 {
			name = "Siti " + name
		}
		all = append(all, sent{srSend(f.fx, i, unit, name), unit, name, i / 45})
	}
	slices.Reverse(all) // newest first
	_, _, err := f.s.OpenForReview(f.v1U01, all[2].id)
	fxMust(t, err)
	want := func(keep func(s sent) bool) []uint64 {
		var ids []uint64
		for _, s := range all {
			if keep(s) {
				ids = append(ids, s.id)
			}
		}
		return ids
	}
	siti := func(s sent) bool { return s.name[:4] == "Siti" }
	day2 := fxStart.AddDate(0, 0, 3)
	for _, c := range []struct {
		name string
		q    store.InboxQuery
		want []uint64
	}{
		{"siti", store.InboxQuery{Search: "siti"}, want(siti)},
		{"siti in U01.01", store.InboxQuery{Search: "siti", UnitID: unitU0101}, want(func(s sent) bool { return siti(s) && s.unit == unitU0101 })},
		{"U01.01 alone", store.InboxQuery{UnitID: unitU0101}, want(func(s sent) bool { return s.unit == unitU0101 })},
		{"siti, first day", store.InboxQuery{Search: "siti", To: fxStart}, want(func(s sent) bool { return siti(s) && s.day == 0 })},
		{"siti, from the later day", store.InboxQuery{Search: "siti", From: day2}, want(func(s sent) bool { return siti(s) && s.day == 1 })},
		{"siti, opened", store.InboxQuery{Search: "siti", Status: store.InboxTaken}, []uint64{all[2].id}},
		{"su (broad)", store.InboxQuery{Search: "su"}, want(func(sent) bool { return true })},
		{"su siti", store.InboxQuery{Search: "su siti"}, want(siti)},
		{"sub (narrow)", store.InboxQuery{Search: "sub"}, want(func(s sent) bool { return s.name[len(s.name)-2] == 'b' })},
		{"sub in U01", store.InboxQuery{Search: "sub", UnitID: unitU01}, want(func(s sent) bool { return s.name[len(s.name)-2] == 'b' && s.unit == unitU01 })},
		{"a word nobody has", store.InboxQuery{Search: "siti zz"}, nil},
	} {
		for _, limit := range []int{1, 2, 7, 50} {
			if got := srFind(t, f.s, f.v1U01, c.q, limit); !slices.Equal(got, c.want) {
				t.Fatalf("%s, %d per page: %v\nwant %v", c.name, limit, got, c.want)
			}
		}
	}
	if diff, err := store.InboxSearchMismatch(f.s); err != nil || diff != "" {
		t.Fatalf("index: %s %v", diff, err)
	}
}

// TestVersion3FileGetsSearchIndex: a file of schema version 3 (no search indexes) gets them built
// when opened, the inbox's from its rows and the lists' from the records, so searches answer at once.
func TestVersion3FileGetsSearchIndex(t *testing.T) {
	f := newFx(t)
	id := f.send(f.budi, usulHP).ID
	f.send(f.siti, usulHP)
	dir := f.s.Dir()
	fxMust(t, f.s.Close())

	db, err := bbolt.Open(filepath.Join(dir, "pupns.db"), 0o600, nil)
	fxMust(t, err)
	fxMust(t, db.Update(func(tx *bbolt.Tx) error {
		for _, b := range []string{"inbox_search", "pns_search", "pns_search_terms"} {
			if err := tx.DeleteBucket([]byte(b)); err != nil {
				return err
			}
		}
		return store.WriteSchemaForTesting(tx, 3)
	}))
	fxMust(t, db.Close())

	s := storetest.Open(t, dir, f.clock)
	if diff, err := store.InboxSearchMismatch(s); err != nil || diff != "" {
		t.Fatalf("after the migration: %s %v", diff, err)
	}
	if got := srFind(t, s, f.v1U01, store.InboxQuery{Search: "budi"}, 50); !slices.Equal(got, []uint64{id}) {
		t.Fatalf("budi after the migration: %v, want %v", got, id)
	}
	if diff, err := store.PNSSearchMismatch(s); err != nil || diff != "" {
		t.Fatalf("the lists' index after the migration: %s %v", diff, err)
	}
	admin := store.Actor{Login: "admin", Role: store.RoleAdmin}
	if got := srList(t, s, admin, store.PNSListQuery{State: store.CountSent, Search: "budi"}, 50); !slices.Equal(got, []string{nipBudi}) {
		t.Fatalf("the list of those who sent, searched for budi, after the migration: %v", got)
	}
}

// srList reads every page of a list (limit rows per page) and returns the NIPs in order.
func srList(t *testing.T, s *store.Store, v store.Actor, q store.PNSListQuery, limit int) []string {
	t.Helper()
	var nips []string
	q.Limit = limit
	for range 100 {
		page, err := s.PNSList(v, q)
		fxMust(t, err)
		for _, it := range page.Items {
			nips = append(nips, it.NIP)
		}
		if page.Next == "" {
			return nips
		}
		q.After = page.Next
	}
	t.Fatal("paging does not end")
	return nil
}

// TestPNSListSearch: the lists behind the monitoring numbers find a PNS by the start of each word of
// the name (folded as the inbox's search), by NIP or its start, within the list's state and the
// viewer's scope, page by page; a renamed or moved PNS is found by what it is now.
func TestPNSListSearch(t *testing.T) {
	f := newFx(t)
	admin := store.Actor{Login: "admin", Role: store.RoleAdmin}
	names := []struct{ unit, name string }{
		{unitU01, "Sitï Nurhayatì, S.Pd."}, {unitU0101, "Siti Aminah"}, {unitU02, "Siti Rahayu"},
		{unitU01, "Nurhadi Wibowo"}, {unitU0101, "Siti Nurbaya"}, {unitU02, "Budi Siti"},
	}
	for i, n := range names {
		f.addPNS(srNIP(i), n.unit, n.name, 300+i)
	}
	list := func(v store.Actor, q store.PNSListQuery, limit int) []string { return srList(t, f.s, v, q, limit) }
	nips := func(is ...int) []string {
		var out []string
		for _, i := range is {
			out = append(out, srNIP(i))
		}
		return out
	}
	siti := nipSiti // the test office's Siti (U01.01), whose last name starts with R
	// Units in id order (U01, U01.01, U02), NIPs ascending within each.
	for _, c := range []struct {
		q    store.PNSListQuery
		want []string
	}{
		{store.PNSListQuery{State: store.CountMaster, Search: "siti"}, append(nips(0, 4, 1), append([]string{siti}, nips(2, 5)...)...)},
		{store.PNSListQuery{State: store.CountMaster, Search: "SITI nur"}, nips(0, 4)},
		{store.PNSListQuery{State: store.CountMaster, Search: "nurh"}, nips(0, 3)},
		{store.PNSListQuery{State: store.CountMaster, Search: "siti", SKPD: unitU01}, append(nips(0, 4, 1), siti)},
		{store.PNSListQuery{State: store.CountMaster, Search: "siti", SKPD: unitU01, Unit: unitU0101}, append(nips(4, 1), siti)},
		{store.PNSListQuery{State: store.CountMaster, Search: "siti r"}, append([]string{siti}, nips(2)...)},
		{store.PNSListQuery{State: store.CountMaster, Search: store.FormatNIP(srNIP(4))}, nips(4)},
		{store.PNSListQuery{State: store.CountMaster, Search: "19870101201001 1"}, nips(0, 4, 2)},
		{store.PNSListQuery{State: store.CountMaster, Search: "hayati"}, nil},
		{store.PNSListQuery{State: store.CountSent, Search: "siti"}, nil},
	} {
		for _, limit := range []int{1, 2, 50} {
			if got := list(admin, c.q, limit); !slices.Equal(got, c.want) {
				t.Errorf("%+v, %d per page: %v, want %v", c.q, limit, got, c.want)
			}
		}
	}
	f.send(fxPNS(srNIP(1)), usulHP)
	if got := list(admin, store.PNSListQuery{State: store.CountSent, Search: "siti"}, 50); !slices.Equal(got, nips(1)) {
		t.Errorf("sent, siti: %v, want %v", got, nips(1))
	}
	v2 := store.Actor{Login: "v2.lain", Role: store.RoleV2, ScopeID: fxPusat}
	if got := list(v2, store.PNSListQuery{State: store.CountMaster, Search: "siti"}, 50); len(got) != 0 {
		t.Errorf("the Level 2 of another instansi finds %v", got)
	}
	// Renamed and moved by a new import: found by the new name in the new unit only.
	rec, err := f.s.Record(srNIP(2))
	fxMust(t, err)
	rec.Fields[store.KeyNama], rec.UnitID = "Rahayu Lestari", unitU01
	_, _, _, err = f.s.PutMaster([]store.MasterInput{{Record: rec, Line: 1}}, "admin", "impor ulang")
	fxMust(t, err)
	if got := list(admin, store.PNSListQuery{State: store.CountMaster, Search: "siti"}, 50); !slices.Equal(got, append(nips(0, 4, 1), siti, srNIP(5))) {
		t.Errorf("siti after the rename: %v", got)
	}
	if got := list(admin, store.PNSListQuery{State: store.CountMaster, Search: "lestari", SKPD: unitU01}, 50); !slices.Equal(got, nips(2)) {
		t.Errorf("lestari in U01 after the move: %v", got)
	}
	if diff, err := store.PNSSearchMismatch(f.s); err != nil || diff != "" {
		t.Fatalf("index: %s %v", diff, err)
	}
	_, err = f.s.PNSList(admin, store.PNSListQuery{State: store.CountMaster, Search: "x"})
	fxCheckFieldError(t, err, "cari")
}

// TestSearchIndexSize: what the search indexes add per waiting submission and per PNS stays small
// (logged for the README; bounded so that a change that bloats them fails).
func TestSearchIndexSize(t *testing.T) {
	f := newFx(t)
	const n = 200
	first := []string{"Siti", "Sri", "Nur", "Muhammad", "Dewi", "Budi", "Agus", "Rina"}
	last := []string{"Nurhayati, S.Pd.", "Rahayu", "Wibowo", "Santoso", "Hidayat", "Setiawan, M.Si.", "Kurniawan"}
	for i := range n {
		srSend(f, i, []string{unitU01, unitU0101}[i%2], first[i%len(first)]+" "+first[(i/3)%len(first)]+" "+last[i%len(last)])
	}
	inbox, pns, terms, err := store.SearchIndexBytes(f.s)
	fxMust(t, err)
	people := n + 4 // and the test office's own
	t.Logf("inbox_search %d B for %d waiting (%d B each); pns_search %d B + pns_search_terms %d B for %d PNS (%d B each)",
		inbox, n, inbox/n, pns, terms, people, (pns+terms)/people)
	if inbox/n > 400 || (pns+terms)/people > 400 {
		t.Fatalf("the search indexes grew: %d B per waiting submission, %d B per PNS", inbox/n, (pns+terms)/people)
	}
}
