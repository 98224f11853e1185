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
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	leaf := "127.0.0.1:" + strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
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
