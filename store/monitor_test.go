package store_test

import (
	"maps"
	"testing"

	"pupns/store"
	"pupns/store/storetest"
)

// TestMonitorScopesSumsAndSorts: Level 1 sees their SKPD (summed over its units) and its units,
// Level 2 their instansi; sorting by progress puts the least advanced SKPD first; other staff see
// only the office totals.
func TestMonitorScopesSumsAndSorts(t *testing.T) {
	f := newFx(t)
	f.send(f.agus, fxUsul{"alamat", "Jl. Kartini No. 7, Semarang", "pindah rumah"}) // U02: 1 of 1 sent

	m, err := f.s.Monitor(f.v1U01, false)
	fxMust(t, err)
	if len(m.Rows) != 2 || m.Rows[0].Unit.ID != unitU01 || !m.Rows[0].SKPD || m.Rows[1].Unit.ID != unitU0101 {
		t.Fatalf("Level 1 rows: %+v", m.Rows)
	}
	if m.Rows[0].Counts[store.CountMaster] != 3 || m.Rows[1].Counts[store.CountMaster] != 1 || m.Total[store.CountMaster] != 3 {
		t.Fatalf("Level 1 counts: %+v total %v", m.Rows, m.Total)
	}

	byName, err := f.s.Monitor(f.v2, false)
	fxMust(t, err)
	byProgress, err := f.s.Monitor(f.v2, true)
	fxMust(t, err)
	if len(byName.Rows) != 3 || byName.Rows[0].Unit.ID != unitU02 || byProgress.Rows[0].Unit.ID != unitU01 || byProgress.Rows[2].Unit.ID != unitU02 {
		t.Fatalf("Level 2 order by name %v, by progress %v", monitorIDs(byName.Rows), monitorIDs(byProgress.Rows))
	}
	if byName.Total[store.CountMaster] != 4 || byName.Total[store.CountSent] != 1 || byName.Rows[0].Counts.Progress() != 1000 {
		t.Fatalf("Level 2 totals %v, U02 %v", byName.Total, byName.Rows[0].Counts)
	}

	v3 := store.Actor{Login: "v3", Role: store.RoleV3, ScopeID: "I"}
	if m, err := f.s.Monitor(v3, false); err != nil || len(m.Rows) != 0 || m.Total[store.CountLevel(1)] != 1 {
		t.Fatalf("Level 3: %+v %v", m, err)
	}
}

func monitorIDs(rows []store.MonitorRow) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.Unit.ID)
	}
	return out
}

// TestAccountsByRoleMatchesAScan: the summary's accounts per role (PNS from the counters, staff from
// their key range) and the staff list equal a count of every account, a pending registration included.
func TestAccountsByRoleMatchesAScan(t *testing.T) {
	s := storetest.NewOffice(t, storetest.With(storetest.SeedPending)).Store
	got, err := s.AccountsByRole()
	fxMust(t, err)
	scan, err := s.CountUsers() // a scan of every account
	fxMust(t, err)
	if !maps.Equal(got, scan) || got[store.RolePNS] != 4 {
		t.Fatalf("AccountsByRole %v, scan %v", got, scan)
	}
	staff, err := s.Staff()
	fxMust(t, err)
	wantStaff := 0
	for r, c := range scan {
		if r != store.RolePNS {
			wantStaff += c
		}
	}
	if len(staff) != wantStaff {
		t.Fatalf("Staff lists %d accounts, the scan counts %v", len(staff), scan)
	}
}
