package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"pupns/store"
)

// TestRiwayatRowWithIjazahAndKirimListingWhatIsMissing: with JavaScript, Budi adds a riwayat
// pendidikan row (S-2), uploads its ijazah with htmx (the progress events reach the page's bar),
// marks the rest Sesuai, and presses Kirim: it is refused with exactly one item, naming the row
// and the transkrip it still lacks, as a link. He follows the link, uploads the transkrip there,
// and Kirim goes through; the print page lists the row with both documents.
func TestRiwayatRowWithIjazahAndKirimListingWhatIsMissing(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.newBrowser()
	dir := t.TempDir()
	// A scanned ijazah of some size, so the upload reports progress on its way.
	ijazah := filepath.Join(dir, "ijazah S2.pdf")
	body := append([]byte("%PDF-1.4\n"), []byte(strings.Repeat("0123456789abcdef", 64<<10))...)
	if err := os.WriteFile(ijazah, append(body, "\n%%EOF\n"...), 0o600); err != nil {
		t.Fatal(err)
	}
	transkrip := filepath.Join(dir, "transkrip.pdf")
	if err := os.WriteFile(transkrip, pdfDoc, 0o600); err != nil {
		t.Fatal(err)
	}

	pns := b.person("PNS Budi", true)
	pns.login(nipBudi, "/data")
	pns.follow("open Data Riwayat", 200, chromedp.Click(chromedp.ID("tab-riwayat")))
	pns.markPage()
	pns.run("open the add form of Riwayat Pendidikan",
		chromedp.Click(chromedp.ID("tambah-pendidikan")),
		chromedp.WaitVisible(chromedp.ID("form-pendidikan")),
	)
	pns.run("fill the S-2 row",
		chromedp.SetValue(chromedp.ID("in-pendidikan-tingkat"), "45"),
		chromedp.SendKeys(chromedp.ID("in-pendidikan-jurusan"), "Ilmu Komputer"),
		chromedp.SendKeys(chromedp.ID("in-pendidikan-nama_sekolah"), "Universitas Diponegoro"),
		chromedp.SendKeys(chromedp.ID("in-pendidikan-tahun_lulus"), "2014"),
		chromedp.SendKeys(chromedp.ID("alasan-pendidikan"), "lulus S-2 tahun 2014"),
		chromedp.Click(chromedp.ID("simpan-pendidikan")),
		chromedp.WaitVisible(chromedp.CSS("#f-riwayat-pendidikan .trow.st-tambah")),
	)
	pns.samePage("adding a row")
	var key string
	for k, e := range w.form(nipBudi).Entries {
		if _, id, ok := store.ParseRowKey(k); ok && id != "" && e.Op == store.OpTambah {
			key = k
		}
	}
	if key == "" {
		t.Fatal("the added row was not stored")
	}
	box := "#dok-" + strings.ReplaceAll(key, ".", "-")
	if got := pns.text(box + "-perlu"); !strings.Contains(got, "Ijazah, Transkrip Nilai") {
		pns.fatalf("the new row should ask for ijazah and transkrip; it says %q", got)
	}

	// Upload the ijazah with htmx; the page's progress bar gets the upload's progress.
	eval[chromedp.Void](pns, `window.__progress = []; document.addEventListener('htmx:xhr:progress', e => {
		const bar = e.target.closest('form').querySelector('progress.upload-progress');
		window.__progress.push(bar && !bar.hidden ? bar.value : -1);
	})`)
	pns.run("choose the ijazah and upload it",
		chromedp.SetValue(chromedp.CSS(box+" select[name=jenis]"), "Ijazah"),
		chromedp.SetUploadFiles(chromedp.CSS(box+" input[type=file]"), []string{ijazah}),
		chromedp.Click(chromedp.CSS(box+"-unggah")),
	)
	pns.waitText(box, "ijazah S2.pdf")
	pns.samePage("the upload")
	if got := pns.text(box + "-perlu"); !strings.Contains(got, "Transkrip Nilai") || strings.Contains(got, "Ijazah") {
		pns.fatalf("after the ijazah the row should still ask for the transkrip only; it says %q", got)
	}
	if p := eval[[]int](pns, `window.__progress`); len(p) == 0 || p[len(p)-1] != 100 {
		pns.fatalf("the progress bar did not follow the upload: %v", p)
	}

	// The rest Sesuai, tab by tab; then Kirim is refused for the missing transkrip alone.
	pns.confirmOtherTabs("")
	pns.open("/data?tab=utama", 200)
	pns.run("press Kirim",
		chromedp.Click(chromedp.ID("tombol-kirim")),
		chromedp.WaitVisible(chromedp.ID("kekurangan")),
	)
	items := eval[[]string](pns, `Array.from(document.querySelectorAll('#kekurangan li')).map(li => li.textContent.trim())`)
	want := "Riwayat Pendidikan (tambah baris): dokumen belum dilampirkan: Transkrip Nilai"
	if len(items) != 1 || items[0] != want || pns.text("#kekurangan h4") != "Data Riwayat" {
		pns.fatalf("the missing list is %q under %q, want exactly %q under Data Riwayat", items, pns.text("#kekurangan h4"), want)
	}
	if got := pns.follow("follow the link in the missing list", 200, chromedp.Click(chromedp.CSS("#kekurangan li a"))); got != "/data?tab=riwayat" {
		pns.fatalf("the link went to %s", got)
	}
	if h := eval[string](pns, `location.hash`); h != "#f-"+strings.TrimPrefix(box, "#dok-") {
		pns.fatalf("the link points at %q, not the row", h)
	}
	pns.run("upload the transkrip",
		chromedp.SetValue(chromedp.CSS(box+" select[name=jenis]"), "Transkrip Nilai"),
		chromedp.SetUploadFiles(chromedp.CSS(box+" input[type=file]"), []string{transkrip}),
		chromedp.Click(chromedp.CSS(box+"-unggah")),
	)
	pns.waitText(box, "transkrip.pdf")
	if got := pns.follow("press Kirim", 200, chromedp.Click(chromedp.ID("tombol-kirim"))); got != "/status" {
		pns.fatalf("Kirim landed on %s, want /status", got)
	}
	subs := w.submissions(nipBudi)
	if len(subs) != 1 || len(subs[0].Lines) != 1 || len(subs[0].Lines[0].Docs) != 2 {
		t.Fatalf("sent %+v, want one row line with two documents", subs)
	}
	if got := pns.follow("open the print page", 200, chromedp.Click(chromedp.ID("cetak-ringkasan"))); got != "/status/cetak" {
		pns.fatalf("the print link went to %s", got)
	}
	printed := pns.text("#cetak-usulan")
	for _, s := range []string{"Riwayat Pendidikan: tambah baris", "Universitas Diponegoro", "Ijazah: ijazah S2.pdf", "Transkrip Nilai: transkrip.pdf"} {
		if !strings.Contains(printed, s) {
			pns.fatalf("the print page lacks %q:\n%s", s, printed)
		}
	}
}
