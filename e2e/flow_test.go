package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"pupns/store"
)

// TestCorrectionThroughBothLevelsWithJavaScript walks the whole 2015 path in a real browser with
// htmx: the PNS corrects the name with the red cross (swapped in place, autosaved while typing),
// meets a validation message, marks the rest Sesuai and sends; Level 1, Level 2 and the Kanreg
// approve line by line in their own windows; the new name becomes the master value and the PNS
// sees Selesai.
func TestCorrectionThroughBothLevelsWithJavaScript(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.newBrowser()
	const newName, reason = "Budi Susanto", "sesuai SK CPNS dan ijazah"

	pns := b.person("PNS Budi", true)
	pns.login(nipBudi, "/data")
	if got := pns.text("#f-nama .master"); got != "Budi Santoso" {
		pns.fatalf("the form shows nama %q, want the master value Budi Santoso", got)
	}

	// A phone held upright: the form must fit 320 px without sideways scrolling, red cross
	// still reachable.
	pns.run("narrow the window to 320 px", chromedp.EmulateViewport(320, 700))
	if wide := eval[bool](pns, `document.documentElement.scrollWidth > window.innerWidth`); wide {
		pns.fatalf("at 320 px the page is %d px wide", eval[int](pns, `document.documentElement.scrollWidth`))
	}
	pns.run("the red cross is visible at 320 px", chromedp.WaitVisible(chromedp.ID("silang-nama")))
	pns.run("back to 1280 px", chromedp.ResetViewport())

	// The red cross opens the row for editing in place: same document, input now present.
	pns.markPage()
	pns.run("press the red cross of Nama",
		chromedp.Click(chromedp.ID("silang-nama")),
		chromedp.WaitVisible(chromedp.ID("in-nama")),
	)
	pns.samePage("the red cross")
	if got := eval[string](pns, `document.getElementById('in-nama').value`); got != "Budi Santoso" {
		pns.fatalf("the edit input starts with %q, want the current value", got)
	}

	// Typing saves on its own after a pause: the answer replaces only the message under the input.
	pns.run("type the new name and a reason",
		typeOver("#in-nama", newName),
		chromedp.SendKeys(chromedp.ID("alasan-nama"), reason),
	)
	pns.waitText("#msg-nama", "Tersimpan")
	pns.eventually("autosave stored the proposal with its reason", func() bool {
		e, ok := w.form(nipBudi).Entries["nama"]
		return ok && e.Status == store.EntryUsul && e.New == newName && e.Reason == reason
	})
	pns.waitIdle() // no autosave in flight that could land after Simpan; a later one carries the same values
	pns.samePage("autosave")

	pns.run("press Simpan",
		chromedp.Click(chromedp.ID("simpan-nama")),
		chromedp.WaitVisible(chromedp.CSS("#f-nama ins.new")),
	)
	pns.samePage("Simpan")
	if got := pns.text("#f-nama ins.new"); got != newName {
		pns.fatalf("the row shows the new value %q, want %q", got, newName)
	}
	if got := pns.text("#f-nama del.old"); got != "Budi Santoso" {
		pns.fatalf("the row shows the old value %q struck through, want Budi Santoso", got)
	}
	if !strings.Contains(pns.text("#f-nama .reason"), reason) {
		pns.fatalf("the row does not show the reason")
	}

	// A bad value: the 422 answer is swapped in and says in Indonesian what is wrong, and
	// nothing is stored. Tutup closes the row again.
	pns.run("press the red cross of Kode Pos and type two digits",
		chromedp.Click(chromedp.ID("silang-kode_pos")),
		chromedp.WaitVisible(chromedp.ID("in-kode_pos")),
		typeOver("#in-kode_pos", "12"),
	)
	pns.waitText("#msg-kode_pos", "Kode pos harus 5 angka")
	pns.waitIdle()
	pns.run("press Simpan on the bad value",
		chromedp.Click(chromedp.ID("simpan-kode_pos")),
		chromedp.WaitVisible(chromedp.CSS("#f-kode_pos.has-error")),
	)
	pns.waitText("#msg-kode_pos", "Kode pos harus 5 angka")
	if got := eval[string](pns, `document.getElementById('in-kode_pos').value`); got != "12" {
		pns.fatalf("after the refusal the input holds %q; the typed value must stay to be fixed", got)
	}
	if _, ok := w.form(nipBudi).Entries["kode_pos"]; ok {
		pns.fatalf("an invalid kode pos was stored")
	}
	pns.run("press Tutup",
		chromedp.Click(chromedp.CSS("#f-kode_pos .edit-actions a.btn")),
		chromedp.WaitVisible(chromedp.ID("tombol-sesuai-kode_pos")),
	)
	if got := pns.text("#f-kode_pos .master"); got != "50241" {
		pns.fatalf("after Tutup the row shows %q, want the master 50241", got)
	}

	// Sesuai on one row is an htmx swap as well.
	pns.run("press Sesuai on Agama",
		chromedp.Click(chromedp.ID("tombol-sesuai-agama")),
		chromedp.WaitVisible(chromedp.ID("sesuai-agama")),
	)
	pns.samePage("Sesuai")

	// Kirim too early: the panel is swapped (422) with the list of what is still missing, each
	// field by name, instead of 2015's bare "not all tabs saved". (Pressed once the Sesuai swap
	// has settled: a click computed while it still moves the page can miss the button.)
	pns.waitIdle()
	pns.run("press Kirim on an unfinished form",
		chromedp.Click(chromedp.ID("tombol-kirim")),
		chromedp.WaitVisible(chromedp.ID("kekurangan")),
	)
	pns.samePage("Kirim refused")
	pns.focusOn("kekurangan", "the refused Kirim")
	if missing := pns.text("#kekurangan"); !strings.Contains(missing, "Data Utama") || !strings.Contains(missing, "belum diperiksa: ") ||
		!strings.Contains(missing, "NPWP") || !strings.Contains(missing, "Nama: dokumen belum dilampirkan") {
		pns.fatalf("the missing list should name NPWP, and Nama only for its documents:\n%s", missing)
	}
	if subs := w.submissions(nipBudi); len(subs) != 0 {
		t.Fatalf("an unfinished form was sent: %+v", subs)
	}
	// The documents of Nama. Uploading through the browser is what
	// TestRiwayatRowWithIjazahAndKirimListingWhatIsMissing proves; here they come from the store.
	w.attachDocs(nipBudi, "nama")

	// The rest Sesuai is a plain form: the page comes back with every field looked at.
	pns.confirmRest("utama")
	pns.confirmOtherTabs("utama")
	n := checkedFields()
	if got, want := pns.text("#kemajuan"), fmt.Sprintf("%d dari %d data sudah diperiksa · 1 usulan perbaikan", n, n); got != want {
		pns.fatalf("progress says %q, want %q", got, want)
	}

	if got := pns.follow("press Kirim", 200, chromedp.Click(chromedp.ID("tombol-kirim"))); got != "/status" {
		pns.fatalf("Kirim landed on %s, want /status", got)
	}
	if got := pns.text("#status-sekarang"); !strings.Contains(got, "Verifikasi Level 1") {
		pns.fatalf("status after Kirim: %q", got)
	}
	subs := w.submissions(nipBudi)
	if len(subs) != 1 {
		t.Fatalf("after Kirim the store has %d submissions, want 1", len(subs))
	}
	id := subs[0].ID
	pns.open("/data", 200)
	pns.run("the form is locked after Kirim", chromedp.WaitVisible(chromedp.ID("terkunci")))
	if pns.exists("#silang-nama") || pns.exists("#tombol-kirim") {
		pns.fatalf("the locked form still offers the red cross or Kirim")
	}

	// Level 1, Level 2 and, since nama needs BKN's authority, the Kanreg (Level 3), each in a
	// window of their own, approve every line.
	approveAll(b.person("Verifikator L1", true), loginV1, id, []string{"nama"})
	approveAll(b.person("Verifikator L2", true), loginV2, id, []string{"nama"})
	approveAll(b.person("Verifikator L3", true), loginV3, id, []string{"nama"})

	pns.open("/status", 200)
	if got := pns.text("#status-sekarang"); !strings.Contains(got, "Selesai") {
		pns.fatalf("status after Level 2: %q, want Selesai", got)
	}
	pns.open("/data", 200)
	if got := pns.text("#f-nama .master"); got != newName {
		pns.fatalf("the form shows nama %q after approval, want the new master value %q", got, newName)
	}
	if rec, err := w.st.Record(nipBudi); err != nil || rec.Fields["nama"] != newName {
		t.Fatalf("master record nama %q (%v), want %q", rec.Fields["nama"], err, newName)
	}
}

// approveAll logs a verifier in, finds the submission in the inbox, approves each line with
// htmx (no page load between lines) and forwards it.
func approveAll(v *person, login string, id uint64, fields []string) {
	v.t.Helper()
	v.login(login, "/verifikasi")
	row := fmt.Sprintf("#usulan-%d", id)
	v.run("the submission is in the inbox", chromedp.WaitVisible(chromedp.CSS(row)))
	if got := v.follow("open the submission", 200, chromedp.Click(chromedp.CSS(row+" a"))); got != fmt.Sprintf("/verifikasi/%d", id) {
		v.fatalf("opening the submission landed on %s", got)
	}
	got := eval[[]string](v, `[...document.querySelectorAll('#baris-tinjau .line')].map(e => e.dataset.field)`)
	if strings.Join(got, ",") != strings.Join(fields, ",") {
		v.fatalf("the review shows lines %v, want %v", got, fields)
	}
	v.markPage()
	for _, f := range fields {
		v.run("approve "+f,
			chromedp.Click(chromedp.ID("setuju-"+f)), // one press saves
			chromedp.WaitVisible(chromedp.ID("diputuskan-"+f)),
		)
		v.waitText("#diputuskan-"+f, "Setuju")
	}
	v.samePage("deciding the lines")
	// The Teruskan panel arrived out of band with the last decision.
	v.run("Teruskan appears", chromedp.WaitVisible(chromedp.ID("tombol-teruskan")))
	if got := v.follow("press Teruskan", 200, chromedp.Click(chromedp.ID("tombol-teruskan"))); got != "/verifikasi" {
		v.fatalf("Teruskan landed on %s, want the inbox", got)
	}
	if v.exists(row) {
		v.fatalf("the forwarded submission is still in this inbox")
	}
}

// TestFormWorksWithoutJavaScript: with page scripts off, the PNS goes from login to Kirim: the
// red cross is a link to the page with the row open, Simpan is a plain POST answered 303, a bad
// value comes back as the whole page (422) with the message at the field, Kirim on an unfinished
// form lists what is missing, grouped by tab, at the top of the page (422); the documents go up
// through the plain upload form; "mark the rest Sesuai" asks first, naming the fields; then Kirim
// sends.
func TestFormWorksWithoutJavaScript(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.newBrowser()
	const newName, reason = "Sri Wahyuningsih", "sesuai akta kelahiran"

	pns := b.person("PNS Sri (no JS)", false)
	pns.login(nipSri, "/data")
	// Proof that this window really runs no page script: htmx, loaded by every page, is absent.
	if got := eval[string](pns, `typeof htmx`); got != "undefined" {
		pns.fatalf("htmx loaded (typeof htmx = %s): JavaScript is not off", got)
	}

	if got := pns.follow("press the red cross of Nama", 200, chromedp.Click(chromedp.ID("silang-nama"))); got != "/data?tab=utama&ubah=nama" {
		pns.fatalf("the red cross went to %s", got)
	}
	pns.run("fill the new name and reason",
		chromedp.WaitVisible(chromedp.ID("in-nama")),
		typeOver("#in-nama", newName),
		chromedp.SendKeys(chromedp.ID("alasan-nama"), reason),
	)
	if got := pns.follow("press Simpan", 200, chromedp.Click(chromedp.ID("simpan-nama"))); got != "/data?tab=utama" {
		pns.fatalf("Simpan landed on %s", got)
	}
	if got := pns.text("#f-nama ins.new"); got != newName {
		pns.fatalf("the row shows the new value %q, want %q", got, newName)
	}
	if got := pns.text("#f-nama del.old"); got != "Sri Wahyuni" {
		pns.fatalf("the row shows the old value %q, want Sri Wahyuni", got)
	}
	if e := w.form(nipSri).Entries["nama"]; e.New != newName || e.Reason != reason {
		t.Fatalf("stored proposal %+v, want %q with reason %q", e, newName, reason)
	}

	if got := pns.follow("press Sesuai on Agama", 200, chromedp.Click(chromedp.ID("tombol-sesuai-agama"))); got != "/data?tab=utama" {
		pns.fatalf("Sesuai landed on %s", got)
	}
	pns.run("Agama is marked Sesuai", chromedp.WaitVisible(chromedp.ID("sesuai-agama")))

	pns.follow("press the red cross of Kode Pos", 200, chromedp.Click(chromedp.ID("silang-kode_pos")))
	pns.run("type a two-digit kode pos",
		typeOver("#in-kode_pos", "12"),
	)
	pns.follow("press Simpan on the bad value", 422, chromedp.Click(chromedp.ID("simpan-kode_pos")))
	if got := pns.text("#msg-kode_pos"); !strings.Contains(got, "Kode pos harus 5 angka") {
		pns.fatalf("the message at Kode Pos is %q", got)
	}
	if got := eval[string](pns, `document.getElementById('in-kode_pos').value`); got != "12" {
		pns.fatalf("the page came back with %q in the input, want the typed 12", got)
	}
	// The page starts with the error summary, which has focus and links to the field.
	pns.focusOn("ringkasan-galat", "the refused save")
	if got := eval[string](pns, `document.querySelector('#ringkasan-galat a').getAttribute('href')`); got != "#in-kode_pos" {
		pns.fatalf("the summary links to %q", got)
	}
	if got := eval[string](pns, `document.getElementById('in-kode_pos').getAttribute('aria-invalid')`); got != "true" {
		pns.fatalf("the field in error has aria-invalid %q", got)
	}
	if _, ok := w.form(nipSri).Entries["kode_pos"]; ok {
		t.Fatal("an invalid kode pos was stored")
	}

	pns.follow("press Kirim on an unfinished form", 422, chromedp.Click(chromedp.ID("tombol-kirim")))
	missing := pns.text("#kekurangan")
	pns.focusOn("kekurangan", "the refused Kirim")
	// The page the browser lands on starts with the list: it is in view without scrolling.
	if top := eval[float64](pns, `document.getElementById('kekurangan').getBoundingClientRect().top`); top < 0 || top > eval[float64](pns, `window.innerHeight`)/2 {
		pns.fatalf("the refusal's list starts %.0f px down the page, not at its top", top)
	}
	for _, want := range []string{"Data Utama", "NPWP", "Kode Pos", "data belum diperiksa: "} {
		if !strings.Contains(missing, want) {
			pns.fatalf("the missing list lacks %q:\n%s", want, missing)
		}
	}
	for _, done := range []string{"Nama: belum diperiksa", "Agama"} {
		if strings.Contains(missing, done) {
			pns.fatalf("the missing list names %q, which is done:\n%s", done, missing)
		}
	}
	// Nama is proposed, but its proposal still lacks its documents: the list says which.
	if want := "Nama: dokumen belum dilampirkan: SK CPNS, Ijazah, Akta Kelahiran"; !strings.Contains(missing, want) {
		pns.fatalf("the missing list lacks %q:\n%s", want, missing)
	}
	if subs := w.submissions(nipSri); len(subs) != 0 {
		t.Fatalf("an unfinished form was sent: %+v", subs)
	}

	// The documents of Nama, each through the plain multipart form.
	pdf := filepath.Join(t.TempDir(), "dokumen.pdf")
	if err := os.WriteFile(pdf, pdfDoc, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, kind := range []string{"SK CPNS", "Ijazah", "Akta Kelahiran"} {
		pns.open("/data?tab=utama", 200)
		pns.run("choose "+kind,
			chromedp.SetValue(chromedp.ID("dok-nama-jenis"), kind),
			chromedp.SetUploadFiles(chromedp.ID("dok-nama-berkas"), []string{pdf}),
		)
		pns.follow("upload "+kind, 200, chromedp.Click(chromedp.ID("dok-nama-unggah")))
	}
	if docs := w.form(nipSri).MissingDocs("nama"); len(docs) != 0 {
		t.Fatalf("after three uploads Nama still lacks %v", docs)
	}
	// Every tab: "mark the rest Sesuai" asks first, naming the fields, then marks them.
	pns.open("/data?tab=utama", 200)
	pns.follow("ask to mark the rest of Data Utama", 200, chromedp.Click(chromedp.CSS("#sisa-sesuai button")))
	if got := pns.text("#tandai-daftar"); !strings.Contains(got, "Kode Pos") || !strings.Contains(got, "NPWP") || strings.Contains(got, "Agama") {
		pns.fatalf("the question names %q", got)
	}
	pns.follow("answer Tidak", 200, chromedp.Click(chromedp.ID("tandai-batal")))
	if _, ok := w.form(nipSri).Entries["npwp"]; ok {
		t.Fatal("answering Tidak marked NPWP")
	}
	pns.confirmOtherTabs("")
	if got := pns.follow("press Kirim", 200, chromedp.Click(chromedp.ID("tombol-kirim"))); got != "/status" {
		pns.fatalf("Kirim landed on %s, want /status", got)
	}
	if got := pns.text("#status-sekarang"); !strings.Contains(got, "Verifikasi Level 1") {
		pns.fatalf("status after Kirim: %q", got)
	}
	if subs := w.submissions(nipSri); len(subs) != 1 {
		t.Fatalf("after Kirim the store has %d submissions, want 1", len(subs))
	}

	if got := pns.follow("press Keluar", 200, chromedp.Click(chromedp.ID("keluar"))); got != "/masuk" {
		pns.fatalf("Keluar landed on %s", got)
	}
	if got := pns.open("/data", 200); !strings.HasPrefix(got, "/masuk") {
		pns.fatalf("after Keluar /data showed %s, want the login page", got)
	}
}
