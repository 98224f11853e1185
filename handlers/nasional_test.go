package handlers

import (
	"strings"
	"testing"
	"time"

	"pupns/store"
)

// hubWorld turns the test world's file into BKN Pusat's hub holding three snapshots: P33 and P34
// (Kanreg I, P34's old enough to be stale) and K01 (BKN Pusat's own), P33 with 12,345 PNS.
func hubWorld(t *testing.T, role store.BKNRole, kanreg string) *world {
	t.Helper()
	w := newWorld(t)
	if err := w.st.SetBKNLink(store.BKNLink{Role: role, Kanreg: kanreg}); err != nil {
		t.Fatal(err)
	}
	now := w.clock.Now()
	snaps := []store.NationalSnapshot{
		{Instansi: "P33", Name: "Pemerintah Provinsi Jawa Tengah", Kanreg: "I", Taken: now.Add(-time.Minute), Every: time.Minute,
			Counts:        store.Counts{store.CountMaster: 12345, store.CountSent: 6000, store.CountDone: 1234, store.CountLevel(3): 77},
			NonCompliance: map[string]uint64{store.NonRegistered: 1000, store.NonSent: 5345}},
		{Instansi: "P34", Name: "=Pemerintah Daerah DIY", Kanreg: "I", Taken: now.Add(-10 * time.Minute), Every: time.Minute,
			Counts:        store.Counts{store.CountMaster: 100, store.CountSent: 10},
			NonCompliance: map[string]uint64{store.NonActivated: 90}},
		{Instansi: "K01", Name: "Kementerian Contoh", Taken: now, Every: time.Minute,
			Counts: store.Counts{store.CountMaster: 50, store.CountSent: 50, store.CountDone: 50}},
	}
	if _, err := w.st.ReceiveNationalSnapshots(snaps); err != nil {
		t.Fatal(err)
	}
	return w
}

// TestNationalPageAtPusat: BKN Pusat's Level 4 sees progress per Kanreg then per instansi, counts
// the Indonesian way, each snapshot's age and the stale one marked; the Kanreg filter narrows it.
func TestNationalPageAtPusat(t *testing.T) {
	w := hubWorld(t, store.BKNRolePusat, "")
	r := w.as("pusat").get("/nasional")
	if r.status != 200 {
		t.Fatalf("/nasional: %d\n%s", r.status, r.body)
	}
	contains(t, "national page", r.body, `id="kanreg-I"`, "Kanreg I BKN Yogyakarta", `id="kanreg-pusat"`, "BKN Pusat (instansi pusat)",
		`id="instansi-P33"`, "12.345 PNS", "terkirim 48,6 %", "selesai 9,9 %", "0 / 0 / 77 / 0", "12.445 PNS",
		`id="instansi-K01"`, "selesai 100,0 %", "sudah lama, kantor ini belum mengirim angka baru", `id="nama-di-kantor"`)
	if strings.Index(r.body, `id="kanreg-I"`) > strings.Index(r.body, `id="kanreg-pusat"`) {
		t.Error("Kanreg I should come before BKN Pusat's own instansi")
	}
	if n := strings.Count(r.body, "sudah lama"); n != 1 {
		t.Errorf("%d stale snapshots shown, want P34's only", n)
	}
	r = w.as("admin").get("/nasional?kanreg=-")
	if r.status != 200 || strings.Contains(r.body, `id="instansi-P33"`) || !strings.Contains(r.body, `id="instansi-K01"`) {
		t.Fatalf("filter BKN Pusat's own: %d, P33 shown %v", r.status, strings.Contains(r.body, `id="instansi-P33"`))
	}
	if r := w.as("kanreg1").get("/nasional"); r.status != 403 {
		t.Fatalf("a Level 3 verifier at Pusat: %d, want 403", r.status)
	}
	if r := w.as("v2").get("/nasional"); r.status != 403 {
		t.Fatalf("a Level 2 verifier at a hub: %d, want 403", r.status)
	}
}

// TestNationalComplianceList: every instansi with its counts per category, the largest share not
// done first, filterable by Kanreg; the CSV holds the same rows with every cell made safe.
func TestNationalComplianceList(t *testing.T) {
	w := hubWorld(t, store.BKNRolePusat, "")
	r := w.as("pusat").get("/nasional/ketidakpatuhan")
	if r.status != 200 {
		t.Fatalf("list: %d\n%s", r.status, r.body)
	}
	p34, p33, k01 := strings.Index(r.body, `id="instansi-P34"`), strings.Index(r.body, `id="instansi-P33"`), strings.Index(r.body, `id="instansi-K01"`)
	if p34 < 0 || !(p34 < p33 && p33 < k01) {
		t.Fatalf("order P34 (100 %% not done), P33 (90 %%), K01 (0 %%): at %d, %d, %d", p34, p33, k01)
	}
	contains(t, "list", r.body, "Belum registrasi: 1.000", "Belum mengirim: 5.345", "belum memenuhi kewajiban <b>6.345</b>",
		"Registrasi belum diaktifkan: 90", "belum selesai 90,0 %")
	r = w.as("pusat").get("/nasional/ketidakpatuhan?kanreg=I")
	if strings.Contains(r.body, `id="instansi-K01"`) || !strings.Contains(r.body, `id="instansi-P34"`) {
		t.Fatal("filter Kanreg I shows K01 or hides P34")
	}
	csv := w.as("pusat").get("/nasional/ketidakpatuhan.csv?kanreg=I")
	if csv.status != 200 || !strings.Contains(csv.header.Get("Content-Disposition"), "ketidakpatuhan-nasional-kanreg-I.csv") {
		t.Fatalf("csv: %d %v", csv.status, csv.header)
	}
	lines := strings.Split(strings.TrimSpace(strings.TrimPrefix(csv.body, "\ufeff")), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "No,Instansi,Nama instansi,Kanreg,PNS,Belum selesai,Belum registrasi") ||
		!strings.HasPrefix(lines[1], "1,P34,'=Pemerintah Daerah DIY,Kanreg I BKN Yogyakarta,100,\"100,0 %\",0,90,0,0,90,") ||
		!strings.HasPrefix(lines[2], "2,P33,") {
		t.Fatalf("csv:\n%s", csv.body)
	}
}

// TestNationalAtKanreg: at a Kanreg hub its own Level 3 verifiers see the national page, of their
// region only (every snapshot there is filed under the hub's Kanreg); another Kanreg's are refused
// by the store's rule (store/national_test.go).
func TestNationalAtKanreg(t *testing.T) {
	w := hubWorld(t, store.BKNRoleKanreg, "I")
	r := w.as("kanreg1").get("/nasional")
	if r.status != 200 || strings.Contains(r.body, `id="kanreg-pusat"`) || !strings.Contains(r.body, `id="instansi-K01"`) {
		t.Fatalf("Kanreg I's verifier: %d; every instansi under Kanreg I:\n%s", r.status, r.body)
	}
	if r := w.as("v2").get("/nasional/ketidakpatuhan.csv"); r.status != 403 {
		t.Fatalf("a Level 2 verifier at Kanreg I: %d, want 403", r.status)
	}
}

// TestNationalLinkInTheMenu: at a hub the menu of whoever may see the national pages leads there
// (the store's rule decides); at an office nobody's menu has it.
func TestNationalLinkInTheMenu(t *testing.T) {
	w := hubWorld(t, store.BKNRolePusat, "")
	for login, want := range map[string]bool{"pusat": true, "admin": true, "kanreg1": false, "v2": false} {
		r := w.as(login).get("/ringkasan")
		if got := strings.Contains(r.body, `id="nav-nasional" href="/nasional"`) || strings.Contains(r.body, `href="/nasional" id="nav-nasional"`); got != want {
			t.Errorf("%s at BKN Pusat: link to /nasional %v, want %v", login, got, want)
		}
	}
	office := newWorld(t)
	if r := office.as("admin").get("/ringkasan"); strings.Contains(r.body, "nav-nasional") {
		t.Error("an office's admin has a link to the national pages")
	}
}
