package store_test

import (
	"errors"
	"testing"
	"time"

	"pupns/store"
)

// TestMonitorChartsScopesOldestAndVerifiers: the oldest submission waiting at each level is the
// scope's own (Level 1 of another SKPD does not see it, even at Level 2 where the inbox spans the
// instansi), and each viewer's chart lists only the verifiers of their scope with their decisions.
func TestMonitorChartsScopesOldestAndVerifiers(t *testing.T) {
	f := newFx(t)
	fxMust(t, f.s.PutUsers([]store.User{
		{Login: f.v1U01.Login, Role: store.RoleV1, Name: f.v1U01.Name, ScopeID: unitU01, Hash: "x"},
		{Login: f.v1U02.Login, Role: store.RoleV1, Name: f.v1U02.Name, ScopeID: unitU02, Hash: "x"},
		{Login: f.v2.Login, Role: store.RoleV2, Name: f.v2.Name, ScopeID: fxInstansi, Hash: "x"},
	}))
	budi := f.send(f.budi, fxUsul{"alamat", "Jl. Pemuda No. 9, Semarang", "pindah rumah"})
	f.clock.Add(48 * time.Hour)
	agus := f.send(f.agus, fxUsul{"alamat", "Jl. Kartini No. 7, Semarang", "pindah rumah"})
	f.decide(f.v1U01, budi.ID, "alamat", store.Setuju, "")
	moved := f.forward(f.v1U01, budi.ID) // it waits at Level 2 since now, two days after it was sent
	if moved.State.Level() != 2 {
		t.Fatalf("an approved line went to %s, want Level 2", moved.State)
	}
	charts := func(a store.Actor) store.MonitorCharts {
		t.Helper()
		c, err := f.s.MonitorCharts(a)
		fxMust(t, err)
		return c
	}
	admin := store.Actor{Login: "admin", Role: store.RoleAdmin}
	for _, tc := range []struct {
		who       store.Actor
		oldest    [5]time.Time
		verifiers []string
	}{
		{admin, [5]time.Time{2: moved.InboxAt, 1: agus.SentAt}, []string{f.v2.Name, f.v1U01.Name, f.v1U02.Name}},
		{f.v2, [5]time.Time{2: moved.InboxAt, 1: agus.SentAt}, []string{f.v2.Name, f.v1U01.Name, f.v1U02.Name}},
		{f.v1U01, [5]time.Time{2: moved.InboxAt}, []string{f.v1U01.Name}},
		{f.v1U02, [5]time.Time{1: agus.SentAt}, []string{f.v1U02.Name}},
	} {
		c := charts(tc.who)
		for lv := 1; lv <= 4; lv++ {
			if got, want := c.Oldest[lv], tc.oldest[lv]; got.IsZero() != want.IsZero() || !got.Equal(want) {
				t.Errorf("%s: oldest at Level %d = %v, want %v", tc.who.Login, lv, got, want)
			}
		}
		var names []string
		for _, v := range c.Verifiers {
			names = append(names, v.Name)
		}
		if len(names) != len(tc.verifiers) {
			t.Errorf("%s: verifiers %v, want %v", tc.who.Login, names, tc.verifiers)
		}
	}
	for _, v := range charts(f.v1U01).Verifiers {
		if len(v.Days) != 1 || v.Days[0].Delta != 1 {
			t.Errorf("%s decisions per day = %v, want one day with one decision", v.Login, v.Days)
		}
	}
	if _, err := f.s.MonitorCharts(f.budi); !errors.Is(err, store.ErrForbidden) {
		t.Fatalf("a PNS reading the charts: %v, want ErrForbidden", err)
	}
	roles, err := f.s.AccountsByRole()
	fxMust(t, err)
	if roles[store.RoleV1] != 2 || roles[store.RoleV2] != 1 {
		t.Fatalf("accounts by role %v, want 2 Level 1 and 1 Level 2", roles)
	}
}

// TestPNSListPagesEveryPNSOnceInScope: paging a list one row at a time yields every PNS behind the
// counter once, in unit order; a Level 1 verifier cannot list another SKPD.
func TestPNSListPagesEveryPNSOnceInScope(t *testing.T) {
	f := newFx(t)
	admin := store.Actor{Login: "admin", Role: store.RoleAdmin}
	var got []string
	q := store.PNSListQuery{State: store.CountMaster, Limit: 1}
	for range 10 {
		page, err := f.s.PNSList(admin, q)
		fxMust(t, err)
		if page.Total != 4 {
			t.Fatalf("total = %d, want 4", page.Total)
		}
		for _, it := range page.Items {
			got = append(got, it.NIP)
			if it.Name == "" || it.UnitName == "" || it.SKPDName == "" {
				t.Fatalf("row without its names: %+v", it)
			}
		}
		if q.After = page.Next; q.After == "" {
			break
		}
	}
	// U01: Dedi and Budi (NIP order); U01.01: Siti; U02: Agus.
	want := []string{nipDedi, nipBudi, nipSiti, nipAgus}
	if len(got) != len(want) {
		t.Fatalf("paged list %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("paged list %v, want %v", got, want)
		}
	}
	page, err := f.s.PNSList(f.v1U01, store.PNSListQuery{State: store.CountNotRegistered})
	fxMust(t, err)
	if page.Total != 3 || len(page.Items) != 3 {
		t.Fatalf("Level 1 of U01 sees %d of %d not registered, want 3 (U01 and U01.01)", len(page.Items), page.Total)
	}
	if _, err := f.s.PNSList(f.v1U01, store.PNSListQuery{State: store.CountMaster, SKPD: unitU02}); !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("Level 1 listing another SKPD: %v, want ErrInvalid", err)
	}
	if _, err := f.s.PNSList(admin, store.PNSListQuery{State: "apa saja"}); !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("an unknown state: %v, want ErrInvalid", err)
	}
}

// TestProgressRunsToTheCounters: the running totals end at the counters' totals whatever days the
// series hold: days before the chart fold into its first day, later days are taken off its end.
func TestProgressRunsToTheCounters(t *testing.T) {
	loc := time.FixedZone("WITA", 8*3600)
	day := func(d int) time.Time { return time.Date(2026, 11, d, 0, 0, 0, 0, loc) }
	c := store.MonitorCharts{Loc: loc,
		Sent:     []store.Day{{Date: day(1), Delta: 5}, {Date: day(10), Delta: 3}, {Date: day(12), Delta: -1}, {Date: day(20), Delta: 2}},
		Finished: []store.Day{{Date: day(12), Delta: 2}},
	}
	// 20 sent in all, 9 of them in the series: 11 were counted before it began (a migrated file).
	got := c.Progress(day(10).Add(5*time.Hour), day(15), 20, 4)
	if len(got) != 6 || !got[0].Date.Equal(day(10)) || !got[5].Date.Equal(day(15)) {
		t.Fatalf("days %v", got)
	}
	// At the end of day 15: all but day 20's 2 = 18; day 12 took one off, so 19 before it; day 10
	// holds day 1 folded in.
	want := []int64{19, 19, 18, 18, 18, 18}
	for i, w := range want {
		if got[i].SentTotal != w {
			t.Fatalf("sent totals %v, want %v", got, want)
		}
	}
	if got[2].Finished != 2 || got[2].FinishedTotal != 4 || got[1].FinishedTotal != 2 {
		t.Fatalf("finished %+v", got)
	}
}
