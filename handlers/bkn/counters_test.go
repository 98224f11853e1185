package bkn_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"pupns/handlers/bkn"
	"pupns/handlers/bkn/bkntest"
	"pupns/store"
	"pupns/store/storetest"
)

// country is BKN Pusat, Kanreg I linked to it (--pusat), offices P33 and P34 under Kanreg I and
// office K01 (an instansi pusat) under Pusat: every server as serve starts it (bkn.Start, TLS, NKeys).
type country struct {
	dir            string
	pusat, kanreg  *store.Store
	pusatSite      *bkn.Site
	kanregSite     *bkn.Site
	offices        map[string]*storetest.Office
	sites          map[string]*bkn.Site
	pusatPKI, kPKI bkntest.PKI
	kanregSeed     string
	pusatSettings  bkn.Settings // to start Pusat again on the same leafnode port
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// seedFor makes an NKey seed file labelled id and answers its public key.
func seedFor(t *testing.T, dir, id string) (string, string) {
	t.Helper()
	seed, pub, err := bkn.NewOfficeKey()
	must(t, err)
	path := filepath.Join(dir, id+".nk")
	must(t, bkn.WriteSeedFile(path, id, seed))
	return path, pub
}

func startCountry(t *testing.T) *country {
	t.Helper()
	c := &country{dir: t.TempDir(), offices: map[string]*storetest.Office{}, sites: map[string]*bkn.Site{}}
	c.pusatPKI, c.kPKI = bkntest.NewPKI(t, c.dir, "pusat"), bkntest.NewPKI(t, c.dir, "kanreg")
	pusatDir, kanregDir := filepath.Join(c.dir, "pusat"), filepath.Join(c.dir, "kanreg")
	c.pusat, c.kanreg = storetest.Open(t, pusatDir, nil), storetest.Open(t, kanregDir, nil)
	seeds := map[string]string{}
	for _, id := range []string{"P33", "P34"} {
		var pub string
		seeds[id], pub = seedFor(t, c.dir, id)
		_, err := c.kanreg.RegisterBKNOffice(store.SystemActor, id, pub, false)
		must(t, err)
	}
	var pub string
	seeds["K01"], pub = seedFor(t, c.dir, "K01")
	_, err := c.pusat.RegisterBKNOffice(store.SystemActor, "K01", pub, false)
	must(t, err)
	c.kanregSeed, pub = seedFor(t, c.dir, store.KanregUser("I"))
	_, err = c.pusat.RegisterBKNKanreg(store.SystemActor, "I", pub, []string{"P33", "P34"}, false)
	must(t, err)
	c.pusatSettings = bkn.Settings{Role: store.BKNRolePusat, LeafListen: freeAddr(t),
		Cert: c.pusatPKI.Cert, Key: c.pusatPKI.Key, CA: c.pusatPKI.CA, Poll: 50 * time.Millisecond}
	c.pusatSite, err = bkn.Start(c.pusat, pusatDir, c.pusatSettings, quiet)
	must(t, err)
	t.Cleanup(func() { c.pusatSite.Close() })
	c.kanregSite, err = bkn.Start(c.kanreg, kanregDir, bkn.Settings{Role: store.BKNRoleKanreg, Kanreg: "I",
		LeafListen: "127.0.0.1:0", NATSListen: "127.0.0.1:0", Cert: c.kPKI.Cert, Key: c.kPKI.Key, CA: c.kPKI.CA,
		Poll: 50 * time.Millisecond, PusatURL: c.pusatSite.Hub.LeafURL(), PusatSeed: c.kanregSeed, PusatCA: c.pusatPKI.CA}, quiet)
	must(t, err)
	t.Cleanup(c.kanregSite.Close)
	for id, hub := range map[string]*bkn.Site{"P33": c.kanregSite, "P34": c.kanregSite, "K01": c.pusatSite} {
		ca := c.kPKI.CA
		if hub == c.pusatSite {
			ca = c.pusatPKI.CA
		}
		o := storetest.NewOffice(t, storetest.WallClock(), storetest.With(seedDIY, storetest.SeedMinistry))
		site, err := bkn.Start(o.Store, o.Dir, bkn.Settings{HubURL: hub.Hub.LeafURL(), Seed: seeds[id], HubCA: ca,
			Poll: 50 * time.Millisecond, CountersEvery: 200 * time.Millisecond}, quiet)
		must(t, err)
		t.Cleanup(site.Close)
		c.offices[id], c.sites[id] = o, site
	}
	return c
}

var pusatAdmin = store.Actor{Login: "admin", Role: store.RoleAdmin}

// entry is what st holds of instansi id (ok false: nothing).
func entry(t *testing.T, st *store.Store, id string) (store.NationalEntry, bool) {
	t.Helper()
	n, err := st.National(pusatAdmin, "")
	must(t, err)
	for _, g := range n.Groups {
		for _, e := range g.Instansi {
			if e.Snapshot.Instansi == id {
				return e, true
			}
		}
	}
	return store.NationalEntry{}, false
}

// TestNationalFiguresReachPusat: offices P33 and P34 publish to Kanreg I, which keeps them and
// passes them on to BKN Pusat; K01 publishes to Pusat directly. Pusat's national view groups the
// three by Kanreg with each office's own numbers; a change at an office arrives as a newer snapshot;
// an older snapshot never replaces it; Pusat restarted keeps what it had.
func TestNationalFiguresReachPusat(t *testing.T) {
	c := startCountry(t)
	want := map[string]uint64{}
	for id, o := range c.offices {
		snap, err := o.Store.NationalSnapshot(id)
		must(t, err)
		want[id] = snap.Counts[store.CountMaster]
	}
	eventually(t, "Pusat holds the three instansi", func() bool {
		n, err := c.pusat.National(pusatAdmin, "")
		must(t, err)
		return len(n.Groups) == 2 && len(n.Groups[0].Instansi) == 2 && len(n.Groups[1].Instansi) == 1
	})
	n, err := c.pusat.National(pusatAdmin, "")
	must(t, err)
	if g := n.Groups[0]; g.Kanreg != "I" || g.Instansi[0].Snapshot.Instansi != "P34" || g.Instansi[1].Snapshot.Instansi != "P33" ||
		g.Total[store.CountMaster] != want["P33"]+want["P34"] {
		t.Fatalf("Kanreg I's group = %+v; want P34 (Pemerintah Daerah DIY), P33, master %d", g, want["P33"]+want["P34"])
	}
	if g := n.Groups[1]; g.Kanreg != "" || g.Instansi[0].Snapshot.Instansi != "K01" || g.Total[store.CountMaster] != want["K01"] {
		t.Fatalf("Pusat's own group = %+v", g)
	}
	if e, ok := entry(t, c.kanreg, "P33"); !ok || e.Snapshot.Kanreg != "I" || e.Snapshot.Counts[store.CountMaster] != want["P33"] {
		t.Fatalf("Kanreg I keeps P33: %+v %v", e, ok)
	}
	if _, ok := entry(t, c.kanreg, "K01"); ok {
		t.Fatal("Kanreg I holds K01, an office of Pusat")
	}

	// A newer snapshot replaces the older: a PNS more at P33.
	_, _, bad, err := c.offices["P33"].Store.PutMaster([]store.MasterInput{{Record: storetest.Record("198001012005011001", "U01",
		"Andi Wijaya", storetest.NIK("198001012005011001", 1))}}, "test", "fixture")
	if err != nil || len(bad) > 0 {
		t.Fatalf("new PNS at P33: %v %v", bad, err)
	}
	eventually(t, "Pusat sees P33's new PNS", func() bool {
		e, _ := entry(t, c.pusat, "P33")
		return e.Snapshot.Counts[store.CountMaster] == want["P33"]+1
	})

	// An older snapshot never replaces it, even when it is the stream's latest.
	nc, err := c.pusatSite.Hub.Connect()
	must(t, err)
	defer nc.Close()
	js, err := jetstream.New(nc)
	must(t, err)
	for _, sn := range []store.NationalSnapshot{{Instansi: "K01", Name: "lama", Taken: time.Now().Add(-time.Hour),
		Counts: store.Counts{store.CountMaster: 999}}} {
		data, _ := json.Marshal(sn)
		ack, err := js.Publish(tctx(t), bkn.CountersSubject(sn.Instansi), data)
		must(t, err)
		waitAcked(t, js, bkn.ConsumerCounters, ack.Sequence)
	}
	if e, _ := entry(t, c.pusat, "K01"); e.Snapshot.Counts[store.CountMaster] != want["K01"] || e.Snapshot.Name == "lama" {
		t.Fatalf("an older snapshot replaced K01's: %+v", e.Snapshot)
	}

	// Pusat restarted keeps what it had, before any office publishes again.
	for _, s := range c.sites {
		s.Close()
	}
	c.kanregSite.Close()
	c.pusatSite.Close()
	must(t, c.pusat.Close())
	again := storetest.Open(t, filepath.Join(c.dir, "pusat"), nil)
	n, err = again.National(pusatAdmin, "")
	must(t, err)
	if len(n.Groups) != 2 || len(n.Groups[0].Instansi)+len(n.Groups[1].Instansi) != 3 {
		t.Fatalf("Pusat after a restart holds %+v", n.Groups)
	}
}

// waitAcked waits until the durable consumer has taken and acknowledged everything up to the stream's
// message seq. (Not "nothing pending": the offices publish every 200 ms, so on a loaded machine a
// new snapshot is nearly always pending.)
func waitAcked(t *testing.T, js jetstream.JetStream, durable string, seq uint64) {
	t.Helper()
	eventually(t, fmt.Sprintf("%s acknowledged message %d", durable, seq), func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		cons, err := js.Consumer(ctx, bkn.StreamCounters, durable)
		if err != nil {
			return false
		}
		info, err := cons.Info(ctx)
		return err == nil && info.AckFloor.Stream >= seq
	})
}

// TestCountersOnlyForOwnInstansi: an office may publish only its own instansi's counters, and
// Kanreg I's link at Pusat only those of the instansi Pusat registered for it: NATS refuses the
// rest (no acknowledgement, nothing in the stream).
func TestCountersOnlyForOwnInstansi(t *testing.T) {
	c := startCountry(t)
	must(t, c.sites["P33"].Office.WaitLinked(tctx(t)))
	must(t, c.kanregSite.Pusat.WaitLinked(tctx(t)))
	// try publishes id's counters through conn. A refused publish is never acknowledged, so a
	// refusal shows as the deadline passing: 2 s where a refusal is expected, a minute where the
	// ack must come (the machine may be loaded).
	try := func(conn interface {
		Connect(...nats.Option) (*nats.Conn, error)
	}, id string, wait time.Duration) error {
		nc, err := conn.Connect()
		must(t, err)
		defer nc.Close()
		js, err := bkn.OfficeJetStream(nc)
		must(t, err)
		data, _ := json.Marshal(store.NationalSnapshot{Instansi: id, Name: "palsu", Taken: time.Now(), Counts: store.Counts{store.CountMaster: 7}})
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		_, err = js.Publish(ctx, bkn.CountersSubject(id), data)
		return err
	}
	if err := try(c.sites["P33"].Office, "P34", 2*time.Second); err == nil {
		t.Fatal("office P33 published P34's counters and got an ack")
	}
	if err := try(c.kanregSite.Pusat, "K01", 2*time.Second); err == nil {
		t.Fatal("Kanreg I's link published K01's counters at Pusat and got an ack")
	}
	if err := try(c.kanregSite.Pusat, "P33", time.Minute); err != nil {
		t.Fatalf("Kanreg I's link may publish P33's counters at Pusat: %v", err)
	}
	eventually(t, "Pusat holds K01 from its office", func() bool { _, ok := entry(t, c.pusat, "K01"); return ok })
	if e, _ := entry(t, c.pusat, "K01"); e.Snapshot.Name == "palsu" {
		t.Fatal("Pusat took K01's counters from Kanreg I")
	}
	if e, _ := entry(t, c.kanreg, "P34"); e.Snapshot.Name == "palsu" {
		t.Fatal("Kanreg I took P34's counters from office P33")
	}
}

// tctx is the deadline of one call that must succeed: a minute, because make test runs the packages
// side by side under -race and a loaded machine is slow; the test waits no longer than the call takes.
func tctx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}
