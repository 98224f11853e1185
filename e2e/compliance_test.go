package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"pupns/store"
)

// TestCloseAndRestoreInABrowserWithoutJavaScript: the admin reads the non-compliance list and the
// print of an SKPD at 320 px, confirms the close by typing the count shown, sees the flash and
// Agus at kedudukan hukum 90, restores him with a reason, and finds the restore in the event log.
func TestCloseAndRestoreInABrowserWithoutJavaScript(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.newBrowser()
	admin := b.person("admin", false)
	admin.login("admin", "/ringkasan")
	admin.open("/ketidakpatuhan", 200)
	if !admin.exists("#pns-" + nipAgus) {
		admin.fatalf("Agus (no account) is not on the list")
	}
	admin.fits320("the non-compliance list")
	admin.open("/ketidakpatuhan/cetak?skpd=U01", 200)
	admin.printMedia(true)
	if got := admin.text("#tanda-tangan"); !strings.Contains(got, "Kepala Dinas Pendidikan") {
		admin.fatalf("signature block %q", got)
	}
	admin.printMedia(false)
	admin.fits320("the print of an SKPD")

	admin.open("/ketidakpatuhan/tutup", 200)
	admin.fits320("the close's confirmation")
	count := admin.text("#jumlah-ditutup")
	admin.run("type the count", chromedp.SendKeys(chromedp.ID("in-konfirmasi"), count))
	if got := admin.follow("press Tandai", 200, chromedp.Click(chromedp.ID("tombol-tutup"))); got != "/ketidakpatuhan" {
		admin.fatalf("the close landed on %s", got)
	}
	if got := admin.text("#flash"); !strings.HasPrefix(got, count+" PNS ditandai kedudukan hukum 90") {
		admin.fatalf("flash %q after closing %s", got, count)
	}
	if rec, _ := w.st.Record(nipAgus); rec.Fields["kedudukan_hukum"] != "90" {
		admin.fatalf("Agus is at %q after the close", rec.Fields["kedudukan_hukum"])
	}
	admin.run("type the reason", chromedp.SendKeys(chromedp.ID("alasan-"+nipAgus), "registrasi susulan"))
	admin.follow("press Pulihkan", 200, chromedp.Click(chromedp.ID("pulihkan-"+nipAgus)))
	if got := admin.text("#flash"); !strings.Contains(got, "dipulihkan menjadi 01 Aktif") {
		admin.fatalf("flash %q after the restore", got)
	}
	admin.open("/admin/peristiwa?nip="+nipAgus+"&jenis="+store.EventRestore, 200)
	if got := admin.text("#daftar-peristiwa"); !strings.Contains(got, "registrasi susulan") {
		admin.fatalf("the event log shows %q", got)
	}
	admin.fits320("the event log")
}
