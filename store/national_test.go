package store_test

import (
	"errors"
	"testing"
	"time"

	"pupns/store"
	"pupns/store/storetest"
)

// TestNationalSnapshotFromCounters: the office's snapshot of P33 holds the instansi's counters, its
// SKPDs' sums, and non-compliance counts equal to what the list (PNS by PNS) counts per category.
func TestNationalSnapshotFromCounters(t *testing.T) {
	o := storetest.NewOffice(t)
	nip := "199203142012031004" // a PNS of the master data without an account
	if _, _, bad, err := o.Store.PutMaster([]store.MasterInput{{Record: storetest.Record(nip, "U01", "Rudi Hartono",
		storetest.NIK(nip, 9))}}, "test", "fixture"); err != nil || len(bad) > 0 {
		t.Fatalf("record: %v %v", bad, err)
	}
	snap, err := o.Store.NationalSnapshot("P33")
	if err != nil {
		t.Fatal(err)
	}
	all, err := o.Store.Counters()
	if err != nil {
		t.Fatal(err)
	}
	want := all[store.CounterInstansi("P33")]
	if snap.Instansi != "P33" || snap.Kanreg != "I" || snap.Name != "Pemerintah Provinsi Jawa Tengah" || snap.Taken.IsZero() {
		t.Fatalf("snapshot head = %+v", snap)
	}
	if len(want) == 0 || len(snap.Counts) != len(want) {
		t.Fatalf("snapshot counts %v, counters %v", snap.Counts, want)
	}
	for k, v := range want {
		if snap.Counts[k] != v {
			t.Fatalf("snapshot %s = %d, counters %d", k, snap.Counts[k], v)
		}
	}
	var skpdMaster uint64
	for _, r := range snap.SKPD {
		skpdMaster += r.Counts[store.CountMaster]
	}
	if len(snap.SKPD) < 2 || skpdMaster != want[store.CountMaster] {
		t.Fatalf("SKPD rows %+v: master sum %d, want %d", snap.SKPD, skpdMaster, want[store.CountMaster])
	}
	admin := store.Actor{Login: storetest.LoginAdmin, Role: store.RoleAdmin}
	page, err := o.Store.NonCompliance(admin, store.NonComplianceFilter{})
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]uint64{}
	for _, n := range page.Items {
		if n.InstansiID == "P33" {
			listed[n.Kategori]++
		}
	}
	t.Logf("non-compliance: snapshot %v, list %v", snap.NonCompliance, listed)
	for _, k := range store.NonComplianceKinds {
		if snap.NonCompliance[k.Code] != listed[k.Code] {
			t.Errorf("%s: snapshot %d, list %d", k.Code, snap.NonCompliance[k.Code], listed[k.Code])
		}
	}
}

// TestNationalKeepsTheNewest: a hub keeps the newest snapshot per instansi; an older or equal one
// never replaces it; a Kanreg hub files every snapshot under its own Kanreg; the pages' rule.
func TestNationalKeepsTheNewest(t *testing.T) {
	hub := storetest.Open(t, t.TempDir(), storetest.NewClock(storetest.Start, 0))
	if err := hub.SetBKNLink(store.BKNLink{Role: store.BKNRoleKanreg, Kanreg: "I"}); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	snap := func(id string, master uint64, taken time.Time) store.NationalSnapshot {
		return store.NationalSnapshot{Instansi: id, Name: "Instansi " + id, Kanreg: "V", Taken: taken, Every: time.Minute,
			Counts: store.Counts{store.CountMaster: master, store.CountDone: 1}}
	}
	kept, err := hub.ReceiveNationalSnapshots([]store.NationalSnapshot{snap("P33", 10, at), snap("P34", 20, at)})
	if err != nil || kept != 2 {
		t.Fatalf("first: kept %d, %v", kept, err)
	}
	kept, err = hub.ReceiveNationalSnapshots([]store.NationalSnapshot{snap("P33", 99, at.Add(-time.Minute)),
		snap("P34", 98, at), snap("P33", 11, at.Add(time.Minute))})
	if err != nil || kept != 1 {
		t.Fatalf("second: kept %d, %v; want only the newer P33", kept, err)
	}
	v3 := store.Actor{Login: "v3", Role: store.RoleV3, ScopeID: "I"}
	n, err := hub.National(v3, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(n.Groups) != 1 || n.Groups[0].Kanreg != "I" || n.Groups[0].Total[store.CountMaster] != 31 {
		t.Fatalf("groups = %+v", n.Groups)
	}
	for _, a := range []store.Actor{{Login: "v3b", Role: store.RoleV3, ScopeID: "II"}, {Login: "v2", Role: store.RoleV2, ScopeID: "P33"}} {
		if _, err := hub.National(a, ""); !errors.Is(err, store.ErrForbidden) {
			t.Fatalf("%s sees the national page: %v", a.Login, err)
		}
	}
	_, list, err := hub.NationalNonCompliance(v3, "I")
	if err != nil || len(list) != 2 || list[0].Snapshot.Instansi != "P34" {
		t.Fatalf("non-compliance list %+v, %v; want P34 (19/20 not done) first", list, err)
	}
	office := storetest.NewOffice(t)
	if _, err := office.Store.National(store.Actor{Login: "admin", Role: store.RoleAdmin}, ""); !errors.Is(err, store.ErrForbidden) {
		t.Fatalf("an office has national pages: %v", err)
	}
}

// TestRegisterKanregAtPusat: a Kanreg hub is registered with its key and its instansi, sorted and
// without duplicates; a second registration needs replace.
func TestRegisterKanregAtPusat(t *testing.T) {
	st := storetest.Open(t, t.TempDir(), nil)
	key := "UAB" + "CDEFGHIJKLMNOPQRSTUVWXYZ234567ABCDEFGHIJKLMNOPQRSTUVW"
	r, err := st.RegisterBKNKanreg(store.SystemActor, "I", key, []string{"P34", "P33", "P34"}, false)
	if err != nil || len(r.Instansi) != 2 || r.Instansi[0] != "P33" || r.User() != "kanreg_I" {
		t.Fatalf("register: %+v, %v", r, err)
	}
	if _, err := st.RegisterBKNKanreg(store.SystemActor, "I", key, []string{"P33"}, false); !errors.Is(err, store.ErrAlreadyExist) {
		t.Fatalf("again without replace: %v", err)
	}
	for _, bad := range [][]string{nil, {"a.b"}, {"*"}} {
		if _, err := st.RegisterBKNKanreg(store.SystemActor, "II", key, bad, false); !errors.Is(err, store.ErrInvalid) {
			t.Fatalf("instansi %q: %v", bad, err)
		}
	}
	if _, err := st.RegisterBKNKanreg(store.SystemActor, "XX", key, []string{"P33"}, false); !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("Kanreg XX: %v", err)
	}
	list, err := st.BKNKanregs()
	if err != nil || len(list) != 1 {
		t.Fatalf("register = %+v, %v", list, err)
	}
}

// TestPusatFilesByItsRegister: at BKN Pusat a snapshot is filed under the Kanreg registered for its
// instansi (and Pusat's own office under Pusat), whatever Kanreg the snapshot names.
func TestPusatFilesByItsRegister(t *testing.T) {
	st := storetest.Open(t, t.TempDir(), nil)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(st.SetBKNLink(store.BKNLink{Role: store.BKNRolePusat}))
	key := "UAB" + "CDEFGHIJKLMNOPQRSTUVWXYZ234567ABCDEFGHIJKLMNOPQRSTUVW"
	_, err := st.RegisterBKNKanreg(store.SystemActor, "II", key, []string{"P35"}, false)
	must(err)
	_, err = st.RegisterBKNOffice(store.SystemActor, "K01", key, false)
	must(err)
	now := time.Now()
	_, err = st.ReceiveNationalSnapshots([]store.NationalSnapshot{{Instansi: "P35", Kanreg: "IX", Taken: now},
		{Instansi: "K01", Kanreg: "I", Taken: now}, {Instansi: "P99", Kanreg: "V", Taken: now}})
	must(err)
	n, err := st.National(store.SystemActor, "")
	must(err)
	got := map[string]string{}
	for _, g := range n.Groups {
		for _, e := range g.Instansi {
			got[e.Snapshot.Instansi] = g.Kanreg
		}
	}
	if got["P35"] != "II" || got["K01"] != "" || got["P99"] != "V" {
		t.Fatalf("filed under %v; want P35 under II (registered), K01 under Pusat, P99 as it says", got)
	}
}
