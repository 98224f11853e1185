package handlers

import (
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pupns/handlers/bkn"
	"pupns/handlers/bkn/bkntest"
	"pupns/store"
	"pupns/store/storetest"
)

// TestNationalPageFromRealServers: the test world's file runs as BKN Pusat's hub (bkn.Start as
// `serve --role pusat` does), Kanreg I's hub is linked to it with --pusat, offices P33 and P34 link
// to Kanreg I and office K01 to Pusat, every link over TLS with its NKey. Pusat's Level 4 verifier
// then reads /nasional: the three instansi, grouped by Kanreg, with the numbers of each office.
func TestNationalPageFromRealServers(t *testing.T) {
	w := newWorld(t)
	dir := t.TempDir()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	pkiP, pkiK := bkntest.NewPKI(t, dir, "pusat"), bkntest.NewPKI(t, dir, "kanreg")
	kanreg := storetest.Open(t, filepath.Join(dir, "kanreg"), nil)
	seed := func(id string) (string, string) {
		s, pub, err := bkn.NewOfficeKey()
		mustNat(t, err)
		path := filepath.Join(dir, id+".nk")
		mustNat(t, bkn.WriteSeedFile(path, id, s))
		return path, pub
	}
	seeds := map[string]string{}
	for _, id := range []string{"P33", "P34", "K01"} {
		var pub string
		seeds[id], pub = seed(id)
		reg := kanreg
		if id == "K01" {
			reg = w.st
		}
		_, err := reg.RegisterBKNOffice(store.SystemActor, id, pub, false)
		mustNat(t, err)
	}
	kseed, kpub := seed(store.KanregUser("I"))
	_, err := w.st.RegisterBKNKanreg(store.SystemActor, "I", kpub, []string{"P33", "P34"}, false)
	mustNat(t, err)

	pusat, err := bkn.Start(w.st, w.office.Dir, bkn.Settings{Role: store.BKNRolePusat, LeafListen: "127.0.0.1:0",
		NATSListen: "127.0.0.1:0", Cert: pkiP.Cert, Key: pkiP.Key, CA: pkiP.CA, Poll: 50 * time.Millisecond}, quiet)
	mustNat(t, err)
	t.Cleanup(pusat.Close)
	ksite, err := bkn.Start(kanreg, filepath.Join(dir, "kanreg"), bkn.Settings{Role: store.BKNRoleKanreg, Kanreg: "I",
		LeafListen: "127.0.0.1:0", NATSListen: "127.0.0.1:0", Cert: pkiK.Cert, Key: pkiK.Key, CA: pkiK.CA, Poll: 50 * time.Millisecond,
		PusatURL: pusat.Hub.LeafURL(), PusatSeed: kseed, PusatCA: pkiP.CA}, quiet)
	mustNat(t, err)
	t.Cleanup(ksite.Close)
	want := map[string]string{}
	for _, id := range []string{"P33", "P34", "K01"} {
		hub, ca := ksite, pkiK.CA
		if id == "K01" {
			hub, ca = pusat, pkiP.CA
		}
		o := storetest.NewOffice(t, storetest.WallClock(), storetest.With(storetest.SeedMinistry))
		site, err := bkn.Start(o.Store, o.Dir, bkn.Settings{HubURL: hub.Hub.LeafURL(), Seed: seeds[id], HubCA: ca,
			Poll: 50 * time.Millisecond, CountersEvery: 200 * time.Millisecond}, quiet)
		mustNat(t, err)
		t.Cleanup(site.Close)
		snap, err := o.Store.NationalSnapshot(id)
		mustNat(t, err)
		want[id] = fmtCount(int(snap.Counts[store.CountMaster])) + " PNS"
	}

	v4 := w.as("pusat")
	var body string
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		r := v4.get("/nasional")
		body = r.body
		if r.status == 200 && strings.Contains(body, `id="instansi-P33"`) && strings.Contains(body, `id="instansi-P34"`) &&
			strings.Contains(body, `id="instansi-K01"`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Pusat's /nasional after 20 s (%d):\n%s", r.status, body)
		}
	}
	kanregI, own := strings.Index(body, `id="kanreg-I"`), strings.Index(body, `id="kanreg-pusat"`)
	for id, want := range want {
		at := strings.Index(body, `id="instansi-`+id+`"`)
		row := body[at:]
		row = row[:strings.Index(row, "</div>")]
		if !strings.Contains(row, want) {
			t.Errorf("%s's row %q lacks %q", id, row, want)
		}
		if under := at > own; under != (id == "K01") || at < kanregI {
			t.Errorf("%s is not under its Kanreg (Kanreg I at %d, Pusat's own at %d, %s at %d)", id, kanregI, own, id, at)
		}
	}
}

func mustNat(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
