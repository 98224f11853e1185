package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBackupPageInABrowserWithoutJavaScript: the admin reaches the backup page from the header,
// backs up into the server's folder with the plain form, sees the flash and the backup listed as
// checked clean, and every part of the page fits 320 px.
func TestBackupPageInABrowserWithoutJavaScript(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.newBrowser()
	admin := b.person("admin", false)
	admin.login("admin", "/ringkasan")
	if got := admin.follow("open the backup page", 200, chromedp.Click(chromedp.ID("nav-cadangan"))); got != "/admin/cadangan" {
		admin.fatalf("the header's link landed on %s", got)
	}
	if !admin.exists("#cadangan-kosong") || !admin.exists("#unduh-cadangan") {
		admin.fatalf("the empty page lacks its note or the download link")
	}
	admin.fits320("the empty backup page")
	if got := admin.follow("press Buat cadangan", 200, chromedp.Click(chromedp.ID("buat-cadangan"))); got != "/admin/cadangan" {
		admin.fatalf("the backup landed on %s", got)
	}
	if got := admin.text("#flash"); !strings.Contains(got, "dibuat dan diperiksa: utuh") {
		admin.fatalf("flash %q after the backup", got)
	}
	if got := admin.text("#daftar-cadangan"); !strings.Contains(got, "Utuh") || !strings.Contains(got, "pupns-") {
		admin.fatalf("the list shows %q", got)
	}
	admin.fits320("the backup page with a backup")
}
