package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"pupns/store"
)

// sent prepares a PNS's proposals (with their documents), sends them through the store and returns
// the submission's id: the verifier's side is what these tests are about.
func (w *world) sent(nip string, usul ...[3]string) uint64 {
	w.t.Helper()
	w.prepare(nip, usul...)
	s, err := w.st.Kirim(pnsActor(nip), nip)
	if err != nil {
		w.t.Fatalf("Kirim for %s: %v", nip, err)
	}
	return s.ID
}

// decisionsOn reads how many decisions the submission's line field holds, straight from the store.
func (w *world) decisionsOn(id uint64, field string) int {
	w.t.Helper()
	s, err := w.st.Submission(store.Actor{Login: loginV1, Role: store.RoleV1, ScopeID: "U01"}, id)
	if err != nil {
		w.t.Fatalf("reading submission %d: %v", id, err)
	}
	for _, l := range s.Lines {
		if l.Field == field {
			return len(l.Decisions)
		}
	}
	w.t.Fatalf("submission %d has no line %s", id, field)
	return 0
}

// twoLines is Budi's submission of the verifier tests: a one-letter change of the name (with its
// three documents) and a new phone number.
var twoLines = [][3]string{{"nama", "Budi Santosa", "sesuai SK CPNS"}, {"no_hp", "081299990000", "nomor baru"}}

// TestVerifierShortcutsOffUntilTurnedOn (WCAG 2.1.4): a verifier's single keys do nothing until
// they turn the shortcuts on in Pengaturan (a plain form); after that "s" approves the line.
func TestVerifierShortcutsOffUntilTurnedOn(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	id := w.sent(nipBudi, twoLines...)
	b := w.newBrowser()
	v := b.person("Verifikator L1", true)
	v.login(loginV1, "/verifikasi")
	review := fmt.Sprintf("/verifikasi/%d", id)
	v.open(review, 200)
	if got := eval[string](v, `document.getElementById('halaman-tinjau').dataset.pintasan`); got != "mati" {
		v.fatalf("a new verifier's page says shortcuts %q, want mati", got)
	}
	if got := v.text("#pintasan"); !strings.Contains(got, "mati") {
		v.fatalf("the shortcut help says %q; it should say they are off", got)
	}
	// Every shortcut key, with the focus on the page, then on a line's first button.
	v.markPage()
	for _, focus := range []string{`document.activeElement.blur()`, `document.getElementById('setuju-nama').focus()`} {
		eval[chromedp.Void](v, focus)
		for _, k := range []string{"j", "s", "b", "t", "f", "k", "s"} {
			v.run("press "+k, chromedp.KeyEvent(k))
		}
	}
	time.Sleep(300 * time.Millisecond) // a request a key started would have landed by now
	v.samePage("pressing keys")
	for _, f := range []string{"nama", "no_hp"} {
		if n := w.decisionsOn(id, f); n != 0 {
			v.fatalf("with shortcuts off, pressing keys stored %d decisions on %s", n, f)
		}
	}
	if v.exists("#diputuskan-nama") || v.exists(".line.review.aktif") {
		v.fatalf("with shortcuts off the page shows a decision or a key-selected line")
	}

	// The help line leads to Pengaturan, where the setting is a plain form answered 303 back to it.
	if got := v.follow("press Nyalakan di Pengaturan", 200, chromedp.Click(chromedp.ID("tautan-pintasan"))); got != "/akun" {
		v.fatalf("the shortcut help's link went to %s", got)
	}
	if !eval[bool](v, `document.getElementById('pintasan-mati').checked`) {
		v.fatalf("the settings do not show the shortcuts off")
	}
	v.run("choose Nyala", chromedp.Click(chromedp.ID("pintasan-nyala")))
	if got := v.follow("press Simpan pengaturan", 200, chromedp.Click(chromedp.ID("simpan-pintasan"))); got != "/akun" {
		v.fatalf("saving the setting landed on %s", got)
	}
	if u, err := w.st.User(loginV1); err != nil || !u.Shortcuts {
		t.Fatalf("the account's shortcuts after Nyala: %v (%v)", u.Shortcuts, err)
	}
	if !eval[bool](v, `document.getElementById('pintasan-nyala').checked`) {
		v.fatalf("the settings page does not show the shortcuts on after saving")
	}

	v.open(review, 200)
	if got := eval[string](v, `document.getElementById('halaman-tinjau').dataset.pintasan`); got != "nyala" {
		v.fatalf("after Nyala the page says shortcuts %q", got)
	}
	v.markPage()
	v.run("press s", chromedp.KeyEvent("s"))
	v.waitText("#diputuskan-nama", "Setuju")
	v.samePage("s")
	if n := w.decisionsOn(id, "nama"); n != 1 {
		v.fatalf("after s the store holds %d decisions on nama, want 1", n)
	}
}

// TestVerifierButtonsDiffAndPreview: on a 320 px touch screen Setuju, BTS and TMS are at least
// 44 × 44 px and one press saves; the changed characters are marked (with words for a screen
// reader); a document opens in a preview beside the line, swapped in by htmx.
func TestVerifierButtonsDiffAndPreview(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	id := w.sent(nipBudi, twoLines...)
	b := w.newBrowser()
	v := b.person("Verifikator L1", true)
	v.login(loginV1, "/verifikasi")
	v.open(fmt.Sprintf("/verifikasi/%d", id), 200)

	// The name changed in one letter: that letter is marked, in the old and in the new value.
	if got := eval[[]string](v, `[...document.querySelectorAll('#line-nama .value mark')].map(m => m.textContent)`); strings.Join(got, "|") != "o|a" {
		v.fatalf("marked in nama: %q, want the o that became a", got)
	}
	if got := v.text("#line-nama ins.new"); got != "Budi Santosa" {
		v.fatalf("the new value reads %q with its mark", got)
	}
	if got := v.text("#line-nama .changed-words"); !strings.Contains(got, "Yang berubah: o menjadi a") || !strings.Contains(got, "nilai baru Budi Santosa") {
		v.fatalf("the words for a screen reader say %q", got)
	}

	v.run("a phone: 320 px, touch", chromedp.EmulateViewport(320, 640, chromedp.EmulateMobile, chromedp.EmulateTouch))
	sizes := eval[[]string](v, `[...document.querySelectorAll('fieldset.putusan button')].map(b => { const r = b.getBoundingClientRect(); return b.id + ":" + Math.floor(r.width) + "x" + Math.floor(r.height); })`)
	if len(sizes) != 6 {
		v.fatalf("decision buttons: %v, want three on each of two lines", sizes)
	}
	for _, s := range sizes {
		var name string
		var wd, ht int
		if _, err := fmt.Sscanf(strings.Replace(s, ":", " ", 1), "%s %dx%d", &name, &wd, &ht); err != nil || wd < 44 || ht < 44 {
			v.fatalf("decision button %s is under 44 × 44 px at 320 px", s)
		}
	}
	if eval[bool](v, `document.documentElement.scrollWidth > window.innerWidth`) {
		v.fatalf("at 320 px the review page is %d px wide", eval[int](v, `document.documentElement.scrollWidth`))
	}
	if eval[bool](v, `getComputedStyle(document.getElementById('pintasan')).display !== 'none'`) {
		v.fatalf("the keyboard shortcut help shows on a touch screen")
	}

	// One press saves: BTS with its note, no radio and no second button.
	v.markPage()
	v.run("write a note and press BTS on no_hp",
		chromedp.SendKeys(chromedp.ID("catatan-no_hp"), "nomor tidak aktif"),
		chromedp.Click(chromedp.ID("bts-no_hp")),
	)
	v.waitText("#diputuskan-no_hp", "BTS")
	v.samePage("BTS")
	v.focusOn("bts-no_hp", "the swap of the decided line")
	// A refused press (TMS without a note on nama): the focus goes to the note that needs it.
	v.run("press TMS on nama without a note", chromedp.Click(chromedp.ID("tms-nama")))
	v.waitText("#galat-nama", "Catatan wajib")
	v.eventually("the focus moves to the note that needs it (once htmx has settled the swap)", func() bool {
		return eval[string](v, `document.activeElement.id`) == "catatan-nama"
	})
	v.run("back to 1280 px", chromedp.ResetViewport(), chromedp.EmulateViewport(1280, 900))

	// The preview: htmx swaps the line in with the document beside it.
	doc := w.form(nipBudi).Docs["nama"][0].ID
	v.run("press Pratinjau of the first document",
		chromedp.Click(chromedp.ID(fmt.Sprintf("pratinjau-dok-%d", doc))),
		chromedp.WaitVisible(chromedp.ID("pratinjau-nama")),
	)
	v.samePage("Pratinjau")
	if got := eval[string](v, `document.querySelector('#pratinjau-nama object').getAttribute('data')`); got != fmt.Sprintf("/dokumen/%d", doc) {
		v.fatalf("the preview shows %q", got)
	}
	if !eval[bool](v, `(() => { const m = document.querySelector('#line-nama .line-main').getBoundingClientRect(), p = document.getElementById('pratinjau-nama').getBoundingClientRect(); return p.left >= m.right - 1 && p.top < m.bottom; })()`) {
		v.fatalf("at 1280 px the preview is not beside the line")
	}
	if !v.exists(fmt.Sprintf(`#pratinjau-nama object a[href="/dokumen/%d"]`, doc)) {
		v.fatalf("the preview has no link to open the document where it cannot be shown")
	}
}

// TestVerifierDecidesWithoutJavaScript: with page scripts off a verifier decides every line with
// the plain forms (one press each, 303 back to the page), meets a missing note as the whole page
// (422) with the message at the note, opens a document's preview as a link, and forwards.
func TestVerifierDecidesWithoutJavaScript(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	id := w.sent(nipBudi, twoLines...)
	doc := w.form(nipBudi).Docs["nama"][0].ID
	b := w.newBrowser()
	v := b.person("Verifikator L1 (no JS)", false)
	v.login(loginV1, "/verifikasi")
	if got := eval[string](v, `typeof htmx`); got != "undefined" {
		v.fatalf("htmx loaded (typeof htmx = %s): JavaScript is not off", got)
	}
	review := fmt.Sprintf("/verifikasi/%d", id)
	if got := v.follow("open the submission", 200, chromedp.Click(chromedp.CSS(fmt.Sprintf("#usulan-%d a", id)))); got != review {
		v.fatalf("the inbox link went to %s", got)
	}

	v.follow("press BTS on no_hp without a note", 422, chromedp.Click(chromedp.ID("bts-no_hp")))
	if got := v.text("#galat-no_hp"); !strings.Contains(got, "Catatan wajib diisi") {
		v.fatalf("the message at the note says %q", got)
	}
	if got := eval[string](v, `document.getElementById('catatan-no_hp').getAttribute('aria-invalid') + " " + document.getElementById('catatan-no_hp').getAttribute('aria-describedby')`); got != "true galat-no_hp" {
		v.fatalf("the note in error carries %q, want aria-invalid and the message", got)
	}
	if n := w.decisionsOn(id, "no_hp"); n != 0 {
		t.Fatalf("a BTS without a note was stored (%d decisions)", n)
	}
	v.run("write the note", chromedp.SendKeys(chromedp.ID("catatan-no_hp"), "nomor tidak aktif"))
	if got := v.follow("press BTS", 200, chromedp.Click(chromedp.ID("bts-no_hp"))); got != review {
		v.fatalf("BTS landed on %s", got)
	}
	if got := v.text("#diputuskan-no_hp"); !strings.Contains(got, "BTS") {
		v.fatalf("no_hp shows %q after BTS", got)
	}

	if got := v.follow("press Pratinjau", 200, chromedp.Click(chromedp.ID(fmt.Sprintf("pratinjau-dok-%d", doc)))); got != fmt.Sprintf("%s?pratinjau=%d", review, doc) {
		v.fatalf("Pratinjau went to %s", got)
	}
	if !v.exists(fmt.Sprintf(`#pratinjau-nama object[data="/dokumen/%d"]`, doc)) {
		v.fatalf("the page with ?pratinjau shows no preview")
	}
	if got := v.follow("press Tutup pratinjau", 200, chromedp.Click(chromedp.ID("tutup-pratinjau-nama"))); got != review || v.exists("#pratinjau-nama") {
		v.fatalf("Tutup pratinjau went to %s (preview still there: %v)", got, v.exists("#pratinjau-nama"))
	}

	if got := v.follow("press Setuju on nama", 200, chromedp.Click(chromedp.ID("setuju-nama"))); got != review {
		v.fatalf("Setuju landed on %s", got)
	}
	if got := v.text("#diputuskan-nama"); !strings.Contains(got, "Setuju") {
		v.fatalf("nama shows %q after Setuju", got)
	}
	if got := v.follow("press Teruskan", 200, chromedp.Click(chromedp.ID("tombol-teruskan"))); got != "/verifikasi" {
		v.fatalf("Teruskan landed on %s", got)
	}
	if got := v.text("#flash"); !strings.Contains(got, fmt.Sprintf("Usulan #%d", id)) {
		v.fatalf("the flash after Teruskan says %q", got)
	}
	if s := w.submissions(nipBudi)[0]; s.State != store.StateReturned { // a BTS at Level 1 goes back to the PNS
		t.Fatalf("after Teruskan the submission is %s, want returned to the PNS", s.State)
	}
}

// smallTargets lists the page's visible controls under 24 × 24 px (WCAG 2.5.8), leaving out a link
// inside running text (the rule's inline exception): a link whose block says more than the link.
const smallTargets = `[...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')]
	.filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && (r.width < 24 || r.height < 24); })
	.filter(e => !(e.tagName === 'A' && getComputedStyle(e).display === 'inline' && e.parentElement.textContent.trim() !== e.textContent.trim()))
	.map(e => { const r = e.getBoundingClientRect(); return (e.id || e.tagName.toLowerCase() + ' "' + e.textContent.trim().slice(0, 30) + '"') + ' ' + Math.round(r.width) + 'x' + Math.round(r.height); })`

// TestVerifierTapTargets: on a 320 px touch screen every control of the verifier's inbox, review
// page and settings is at least 24 × 24 px, and Teruskan, the main action, at least 44 px tall.
func TestVerifierTapTargets(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	id := w.sent(nipBudi, twoLines...)
	for _, f := range []string{"no_hp", "nama"} { // both decided: Teruskan shows
		if _, err := w.st.Decide(store.Actor{Login: loginV1, Role: store.RoleV1, ScopeID: "U01"}, id, w.submissions(nipBudi)[0].Rev, f, "setuju", ""); err != nil {
			t.Fatal(err)
		}
	}
	b := w.newBrowser()
	v := b.person("Verifikator L1", true)
	v.login(loginV1, "/verifikasi")
	v.run("a phone: 320 px, touch", chromedp.EmulateViewport(320, 640, chromedp.EmulateMobile, chromedp.EmulateTouch))
	// The inbox's filters are folded: the first submission shows on the first screen.
	v.open("/verifikasi", 200)
	if top := eval[float64](v, fmt.Sprintf(`document.getElementById('usulan-%d').getBoundingClientRect().top`, id)); top > 600 {
		v.fatalf("at 320 × 640 the first submission starts %.0f px down: under the fold", top)
	}
	for _, path := range []string{"/verifikasi", "/verifikasi?status=baru", fmt.Sprintf("/verifikasi/%d", id), "/akun"} {
		v.open(path, 200)
		if small := eval[[]string](v, smallTargets); len(small) > 0 {
			v.fatalf("on %s these controls are under 24 × 24 px: %v", path, small)
		}
	}
	v.open(fmt.Sprintf("/verifikasi/%d", id), 200)
	if h := eval[float64](v, `document.getElementById('tombol-teruskan').getBoundingClientRect().height`); h < 44 {
		v.fatalf("Teruskan is %.0f px tall at 320 px, want at least 44", h)
	}
}
