package e2e

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// kodeGalatRe is how a refusal's banner names the request's id.
var kodeGalatRe = regexp.MustCompile(`\(kode galat: [0-9A-Z]{12}\)$`)

// fillDate types a date into the three fields of key (day, month by name, year) of the page.
func fillDate(p *person, key string, d time.Time) {
	p.t.Helper()
	p.run("type the date "+key,
		typeOver("#in-"+key+"_hari", fmt.Sprint(d.Day())),
		chromedp.SetValue(chromedp.ID("in-"+key+"_bulan"), fmt.Sprint(int(d.Month()))),
		typeOver("#in-"+key+"_tahun", fmt.Sprint(d.Year())),
	)
}

// TestScheduleClosesKirimAndAnExtensionOpensIt: the admin (a browser without scripts) sets a
// filling window that ended yesterday; Budi (with scripts) sees that the filling is over and his
// Kirim is refused with the sentence naming the window and its dates; the admin extends the
// window for Budi's instansi; Budi's page shows the days left and the Kirim goes through; the
// admin's monitoring page then counts him as sent, its progress line rises, and the number opens
// the list that holds him.
func TestScheduleClosesKirimAndAnExtensionOpensIt(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.newBrowser()
	wib := time.FixedZone("WIB", 7*3600)
	today := time.Now().In(wib)
	start, end, extended := today.AddDate(0, 0, -30), today.AddDate(0, 0, -1), today.AddDate(0, 0, 10)

	admin := b.person("Admin", false)
	admin.login("admin", "/ringkasan")
	sentBefore := admin.text("#jumlah-kirim")
	lineBefore := eval[string](admin, `document.getElementById('garis-kirim').getAttribute('points')`)
	admin.open("/admin/jadwal", 200)
	narrow(admin, "the schedule page")
	admin.run("choose WIB", chromedp.SetValue(chromedp.ID("in-zona"), "WIB"))
	fillDate(admin, "pengisian_mulai", start)
	fillDate(admin, "pengisian_selesai", end)
	if got := admin.follow("press Simpan jadwal", 200, chromedp.Click(chromedp.ID("simpan-jadwal"))); got != "/admin/jadwal" {
		admin.fatalf("saving the schedule landed on %s", got)
	}

	pns := b.person("PNS Budi", true)
	pns.login(nipBudi, "/data")
	if got := pns.text("#masa"); !strings.Contains(got, "Masa pengisian data telah berakhir") {
		pns.fatalf("the phase line says %q", got)
	}
	narrow(pns, "the form with its phase line")
	pns.confirmOtherTabs("")
	pns.open("/data", 200)
	sentence := fmt.Sprintf("Pengisian data ditutup: masa pengisian %s – %s (WIB).", longDate(start), longDate(end))
	pns.run("press Kirim", chromedp.Click(chromedp.ID("tombol-kirim")))
	pns.waitText("#galat", sentence)
	// The banner names the request's id, the "req" of the server's log line, for the help desk.
	if got := pns.text("#galat"); !kodeGalatRe.MatchString(got) {
		pns.fatalf("the error banner shows no kode galat: %q", got)
	}
	if n := len(w.submissions(nipBudi)); n != 0 {
		pns.fatalf("a refused Kirim stored %d submissions", n)
	}

	admin.open("/admin/jadwal", 200)
	admin.run("choose the instansi and the window",
		chromedp.SetValue(chromedp.ID("in-instansi"), "P33"),
		chromedp.SetValue(chromedp.ID("in-jendela"), "pengisian"))
	fillDate(admin, "sampai", extended)
	if got := admin.follow("press Perpanjang", 200, chromedp.Click(chromedp.ID("simpan-perpanjangan"))); got != "/admin/jadwal" {
		admin.fatalf("the extension landed on %s", got)
	}
	if got := admin.text("#daftar-perpanjangan"); !strings.Contains(got, longDate(extended)) {
		admin.fatalf("the extensions list says %q", got)
	}

	pns.open("/data", 200)
	if got := pns.text("#masa"); !strings.Contains(got, "Masa pengisian data: 10 hari lagi (sampai "+longDate(extended)+")") {
		pns.fatalf("the phase line after the extension says %q", got)
	}
	if got := pns.follow("press Kirim", 200, chromedp.Click(chromedp.ID("tombol-kirim"))); got != "/status" {
		pns.fatalf("Kirim after the extension landed on %s", got)
	}
	if n := len(w.submissions(nipBudi)); n != 1 {
		pns.fatalf("after the extension %d submissions, want 1", n)
	}

	admin.open("/ringkasan", 200)
	narrow(admin, "the monitoring page")
	if got := admin.text("#jumlah-kirim"); got == sentBefore || got != fmt.Sprint(atoi(admin, sentBefore)+1) {
		admin.fatalf("sent on the monitoring page: %q before the Kirim, %q after", sentBefore, got)
	}
	if line := eval[string](admin, `document.getElementById('garis-kirim').getAttribute('points')`); line == lineBefore {
		admin.fatalf("the progress line did not move after the Kirim: %q", line)
	}
	if got := admin.follow("open the list behind the number", 200, chromedp.Click(chromedp.ID("jumlah-kirim"))); got != "/ringkasan/pns?status=terkirim" {
		admin.fatalf("the number opened %s", got)
	}
	if got := admin.text("#tabel-pns"); !strings.Contains(got, "Budi") {
		admin.fatalf("the list of those who sent says %q", got)
	}
}

// atoi reads a number the page shows (written with Indonesian thousands dots).
func atoi(p *person, s string) int {
	p.t.Helper()
	n, err := strconv.Atoi(strings.ReplaceAll(s, ".", ""))
	if err != nil {
		p.fatalf("%q is not a number", s)
	}
	return n
}

// narrow checks that the page fits 320 px without sideways scrolling.
func narrow(p *person, what string) {
	p.t.Helper()
	p.run("narrow the window to 320 px", chromedp.EmulateViewport(320, 700))
	if wide := eval[bool](p, `document.documentElement.scrollWidth > window.innerWidth`); wide {
		p.fatalf("at 320 px %s is %d px wide", what, eval[int](p, `document.documentElement.scrollWidth`))
	}
	p.run("back to 1280 px", chromedp.ResetViewport())
}

// longDate writes a day as the pages do: "30 November 2026".
func longDate(d time.Time) string {
	months := []string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"}
	return fmt.Sprintf("%d %s %d", d.Day(), months[d.Month()-1], d.Year())
}
