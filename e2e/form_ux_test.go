package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestRedCrossCannotTrapAnyone: in a real browser with htmx, opening a field's red cross and
// leaving it (Escape, Tutup) leaves no proposal even after autosave had time to run; saving the
// unchanged value is no proposal either; a proposal is taken back with one press where it is
// shown. The red cross says its word ("Perbaiki") and is a big enough target.
func TestRedCrossCannotTrapAnyone(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.newBrowser()
	pns := b.person("PNS Budi", true)
	pns.login(nipBudi, "/data")
	proposals := func() int {
		n := 0
		for _, e := range w.form(nipBudi).Entries {
			if e.Status == "usul" {
				n++
			}
		}
		return n
	}

	if got := pns.text("#silang-tempat_lahir"); got != "✗ Perbaiki" {
		pns.fatalf("the red cross reads %q, want the word Perbaiki beside the cross", got)
	}
	size := eval[[]float64](pns, `(() => { const r = document.getElementById('silang-tempat_lahir').getBoundingClientRect(); return [r.width, r.height]; })()`)
	if size[0] < 44 || size[1] < 44 {
		pns.fatalf("the red cross is %.0f×%.0f px, want at least 44×44", size[0], size[1])
	}

	// A stray key, then Escape: the autosave says it did not save, the row closes, nothing stored.
	pns.markPage()
	pns.run("open the red cross of Tempat Lahir",
		chromedp.Click(chromedp.ID("silang-tempat_lahir")),
		chromedp.WaitVisible(chromedp.ID("in-tempat_lahir")),
	)
	// The input is visible the moment htmx swaps it in, and the browser may already focus it
	// for its autofocus; htmx attaches the autosave only when the swap settles. A key pressed in
	// between went into the value unseen (the autosave's "changed" then took it as the starting
	// value), so the test types once the swap has settled and the caret is in the field.
	pns.waitIdle()
	pns.focusOn("in-tempat_lahir", "opening the red cross")
	pns.run("press one key", chromedp.KeyEvent("x"))
	pns.waitText("#msg-tempat_lahir", "Belum disimpan")
	pns.run("press Escape",
		chromedp.KeyEvent(kb.Escape),
		chromedp.WaitVisible(chromedp.ID("silang-tempat_lahir")),
	)
	pns.samePage("Escape")
	if !pns.exists("#f-tempat_lahir .master") || pns.exists("#f-tempat_lahir ins.new") {
		pns.fatalf("after Escape the row does not show the master value alone")
	}
	pns.focusOn("f-tempat_lahir", "Escape")
	time.Sleep(time.Second) // longer than autosave's pause: a late autosave would have landed by now
	if n := proposals(); n != 0 {
		pns.fatalf("open, type, Escape left %d proposals", n)
	}

	// The same with Tutup.
	pns.run("open the red cross of Tempat Lahir again",
		chromedp.Click(chromedp.ID("silang-tempat_lahir")),
		chromedp.WaitVisible(chromedp.ID("in-tempat_lahir")),
	)
	pns.waitIdle()
	pns.focusOn("in-tempat_lahir", "opening the red cross again")
	pns.run("type", chromedp.KeyEvent("Kota "))
	pns.waitText("#msg-tempat_lahir", "Belum disimpan")
	pns.run("press Tutup",
		chromedp.Click(chromedp.ID("tutup-tempat_lahir")),
		chromedp.WaitVisible(chromedp.ID("silang-tempat_lahir")),
	)
	time.Sleep(time.Second)
	if n := proposals(); n != 0 {
		pns.fatalf("open, type, Tutup left %d proposals", n)
	}

	// Simpan on the unchanged value: refused at the field, nothing stored.
	pns.run("open the red cross once more",
		chromedp.Click(chromedp.ID("silang-tempat_lahir")),
		chromedp.WaitVisible(chromedp.ID("in-tempat_lahir")),
	)
	pns.waitIdle()
	pns.focusOn("in-tempat_lahir", "opening the red cross once more")
	pns.run("press Simpan without changing anything", chromedp.Click(chromedp.ID("simpan-tempat_lahir")))
	pns.waitText("#msg-tempat_lahir", "sama dengan data saat ini")
	if n := proposals(); n != 0 {
		pns.fatalf("Simpan of the unchanged value left %d proposals", n)
	}

	// A real proposal (value and reason: autosaved), then taken back with one press on its row.
	pns.run("type a new value and a reason",
		typeOver("#in-tempat_lahir", "Kendal"),
		chromedp.SendKeys(chromedp.ID("alasan-tempat_lahir"), "sesuai akta kelahiran"),
	)
	pns.waitText("#msg-tempat_lahir", "Tersimpan otomatis")
	pns.waitIdle()
	pns.run("press Tutup", chromedp.Click(chromedp.ID("tutup-tempat_lahir")), chromedp.WaitVisible(chromedp.CSS("#f-tempat_lahir ins.new")))
	if n := proposals(); n != 1 {
		pns.fatalf("a changed value with a reason left %d proposals, want 1", n)
	}
	pns.waitIdle() // the row Tutup swapped in answers Batalkan usulan by htmx only once htmx has processed it
	pns.run("press Batalkan usulan once",
		chromedp.Click(chromedp.ID("batal-tempat_lahir")),
		chromedp.WaitVisible(chromedp.ID("silang-tempat_lahir")),
	)
	pns.samePage("Batalkan usulan")
	pns.eventually("the proposal is gone", func() bool { return proposals() == 0 })
}

// TestEveryTabFitsAPhone: at 320 px every tab of the form is on screen without sideways
// scrolling and without being cut off, each with its own count; the shown one is marked current.
func TestEveryTabFitsAPhone(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.newBrowser()
	pns := b.person("PNS Budi on a phone", true)
	pns.run("a phone held upright", chromedp.EmulateViewport(320, 640))
	pns.login(nipBudi, "/data")
	if wide := eval[bool](pns, `document.documentElement.scrollWidth > window.innerWidth`); wide {
		pns.fatalf("at 320 px the page is %d px wide", eval[int](pns, `document.documentElement.scrollWidth`))
	}
	cut := eval[[]string](pns, `Array.from(document.querySelectorAll('#tabs a.tab')).filter(a => {
		const r = a.getBoundingClientRect(), n = document.getElementById('tabs');
		return r.left < 0 || r.right > window.innerWidth || n.scrollWidth > n.clientWidth || r.width < 24 || r.height < 44;
	}).map(a => a.id)`)
	if len(cut) > 0 {
		pns.fatalf("tabs off screen, cut or too small at 320 px: %v", cut)
	}
	counts := eval[[]string](pns, `Array.from(document.querySelectorAll('#tabs .tab-prog')).map(s => s.textContent.trim())`)
	if len(counts) < 5 {
		pns.fatalf("tab counts %q", counts)
	}
	for _, c := range counts {
		if !strings.Contains(c, " dari ") || !strings.HasSuffix(c, "diperiksa") {
			pns.fatalf("a tab's count reads %q", c)
		}
	}
	if got := eval[string](pns, `document.querySelector('#tabs [aria-current=page]').id`); got != "tab-utama" {
		pns.fatalf("the current tab is %q", got)
	}
	// A Sesuai updates the tab's own count in place.
	before := pns.text("#kemajuan-tab-utama")
	pns.run("press Sesuai on Agama", chromedp.Click(chromedp.ID("tombol-sesuai-agama")), chromedp.WaitVisible(chromedp.ID("sesuai-agama")))
	pns.waitText("#kemajuan-tab-utama", "1 dari")
	if after := pns.text("#kemajuan-tab-utama"); after == before {
		pns.fatalf("the tab's count stayed %q", after)
	}
	pns.focusOn("f-agama", "Sesuai")
}
