package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"pupns/store"
)

// TestNationalPagesAt320WithoutJavaScript: at BKN Pusat's hub, the Level 4 verifier reads the
// national progress and the national non-compliance list at 320 px without JavaScript, narrows the
// list to Kanreg I with the plain filter form, and finds the CSV link filtered the same way.
func TestNationalPagesAt320WithoutJavaScript(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	if err := w.st.SetBKNLink(store.BKNLink{Role: store.BKNRolePusat}); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if _, err := w.st.ReceiveNationalSnapshots([]store.NationalSnapshot{
		{Instansi: "P33", Name: "Pemerintah Provinsi Jawa Tengah", Kanreg: "I", Taken: now, Every: time.Minute,
			Counts:        store.Counts{store.CountMaster: 123456, store.CountSent: 100000, store.CountDone: 90000, store.CountLevel(1): 4321},
			NonCompliance: map[string]uint64{store.NonRegistered: 20000, store.NonSent: 3456}},
		{Instansi: "K01", Name: "Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi", Taken: now.Add(-time.Hour),
			Every: time.Minute, Counts: store.Counts{store.CountMaster: 5000, store.CountSent: 100}, NonCompliance: map[string]uint64{store.NonSent: 4900}},
	}); err != nil {
		t.Fatal(err)
	}
	b := w.newBrowser()
	v4 := b.person("pusat", false)
	v4.login(loginV4, "/verifikasi")
	v4.open("/nasional", 200)
	if got := v4.text("#instansi-P33"); !strings.Contains(got, "123.456 PNS") || !strings.Contains(got, "terkirim 81,0 %") {
		v4.fatalf("P33's row reads %q", got)
	}
	if got := v4.text("#instansi-K01"); !strings.Contains(got, "sudah lama") {
		v4.fatalf("K01's hour-old snapshot is not marked stale: %q", got)
	}
	v4.fits320("the national progress")
	v4.open("/nasional/ketidakpatuhan", 200)
	v4.fits320("the national non-compliance list")
	v4.run("choose Kanreg I", chromedp.SetValue(chromedp.ID("in-kanreg"), "I"))
	if got := v4.follow("press Saring", 200, chromedp.Click(chromedp.ID("tombol-kanreg"))); got != "/nasional/ketidakpatuhan?kanreg=I" {
		v4.fatalf("the filter landed on %s", got)
	}
	if v4.exists("#instansi-K01") || !v4.exists("#instansi-P33") {
		v4.fatalf("filtered to Kanreg I, K01 shown %v, P33 shown %v", v4.exists("#instansi-K01"), v4.exists("#instansi-P33"))
	}
	if href := eval[string](v4, `document.getElementById("unduh-csv").getAttribute("href")`); href != "/nasional/ketidakpatuhan.csv?kanreg=I" {
		v4.fatalf("CSV link %q", href)
	}
	v4.fits320("the list filtered to Kanreg I")
}
