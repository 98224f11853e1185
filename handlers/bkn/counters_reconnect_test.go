package bkn_test

import (
	"net"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"pupns/handlers/bkn"
	"pupns/handlers/bkn/bkntest"
	"pupns/store"
	"pupns/store/storetest"
)

// TestCountersPublishedAtReconnection: with an interval of an hour, office P33 publishes once when
// it links, and again as soon as its link to the hub comes back after the hub was down: the PNS
// added meanwhile reaches the hub without waiting for the next tick.
func TestCountersPublishedAtReconnection(t *testing.T) {
	dir := t.TempDir()
	pki := bkntest.NewPKI(t, dir, "bkn")
	hubDir := filepath.Join(dir, "hub")
	hub := storetest.Open(t, hubDir, nil)
	seed, pub := seedFor(t, dir, "P33")
	_, err := hub.RegisterBKNOffice(store.SystemActor, "P33", pub, false)
	must(t, err)
	leaf := freeAddr(t)
	settings := bkn.Settings{Role: store.BKNRoleKanreg, Kanreg: "I", LeafListen: leaf, Cert: pki.Cert, Key: pki.Key, CA: pki.CA,
		Poll: 50 * time.Millisecond}
	hubSite, err := bkn.Start(hub, hubDir, settings, quiet)
	must(t, err)
	defer func() { hubSite.Close() }()

	o := storetest.NewOffice(t, storetest.WallClock())
	site, err := bkn.Start(o.Store, o.Dir, bkn.Settings{HubURL: "tls://" + leaf, Seed: seed, HubCA: pki.CA,
		Poll: 50 * time.Millisecond, CountersEvery: time.Hour}, quiet)
	must(t, err)
	t.Cleanup(site.Close)
	master := func() uint64 { e, _ := entry(t, hub, "P33"); return e.Snapshot.Counts[store.CountMaster] }
	eventually(t, "the first snapshot at the hub", func() bool { return master() > 0 })
	before := master()

	hubSite.Close()
	eventually(t, "the office sees its link down", func() bool { return !site.Office.Linked() })
	_, _, bad, err := o.Store.PutMaster([]store.MasterInput{{Record: storetest.Record("198001012005011001", "U01",
		"Andi Wijaya", storetest.NIK("198001012005011001", 1))}}, "test", "fixture")
	if err != nil || len(bad) > 0 {
		t.Fatalf("new PNS: %v %v", bad, err)
	}
	hubSite, err = bkn.Start(hub, hubDir, settings, quiet)
	must(t, err)
	eventually(t, "the snapshot taken at reconnection", func() bool { return master() == before+1 })
}

// freeAddr is 127.0.0.1:PORT with a port free a moment ago (a hub restarted on the same address).
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	defer ln.Close()
	return "127.0.0.1:" + strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
}

// TestKanregAcksOnlyWhatPusatAcked: while BKN Pusat is down, Kanreg I keeps P33's newer snapshot
// unacknowledged in its stream; the office then stops publishing; when Pusat is back, the snapshot
// reaches it from Kanreg I alone.
func TestKanregAcksOnlyWhatPusatAcked(t *testing.T) {
	c := startCountry(t)
	master := func(st *store.Store) uint64 { e, _ := entry(t, st, "P33"); return e.Snapshot.Counts[store.CountMaster] }
	eventually(t, "P33 at Pusat", func() bool { return master(c.pusat) > 0 })
	before := master(c.pusat)

	c.pusatSite.Close()
	_, _, bad, err := c.offices["P33"].Store.PutMaster([]store.MasterInput{{Record: storetest.Record("198001012005011001", "U01",
		"Andi Wijaya", storetest.NIK("198001012005011001", 1))}}, "test", "fixture")
	if err != nil || len(bad) > 0 {
		t.Fatalf("new PNS: %v %v", bad, err)
	}
	eventually(t, "the newer snapshot at Kanreg I", func() bool { return master(c.kanreg) == before+1 })
	c.sites["P33"].Close()
	time.Sleep(300 * time.Millisecond) // a forward attempt or two against the absent Pusat
	if master(c.pusat) != before {
		t.Fatal("Pusat changed while it was down")
	}
	c.pusatSite, err = bkn.Start(c.pusat, filepath.Join(c.dir, "pusat"), c.pusatSettings, quiet)
	must(t, err)
	eventually(t, "the snapshot passed on once Pusat is back", func() bool { return master(c.pusat) == before+1 })
}
