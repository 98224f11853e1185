package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"pupns/store"
)

// prepare makes a PNS's proposals and marks every other field Sesuai straight through the store
// (the form itself is covered by flow_test.go), so that only Kirim is left for the browser.
func (w *world) prepare(nip string, usul ...[3]string) {
	w.t.Helper()
	a := pnsActor(nip)
	for _, u := range usul {
		if _, _, err := w.st.Propose(a, nip, u[0], u[1], u[2]); err != nil {
			w.t.Fatalf("propose %s for %s: %v", u[0], nip, err)
		}
		w.attachDocs(nip, u[0]) // the proof each proposal needs
	}
	if _, err := w.st.Confirm(a, nip, store.AllCheckKeys(), true); err != nil {
		w.t.Fatalf("confirm the rest for %s: %v", nip, err)
	}
}

// decision is what a verifier does with one line: a verdict and, for BTS or TMS, a note.
type decision struct{ field, verdict, note string }

// stage is one verification level on a submission's path: who decides there, what, and whether
// they do it with the keyboard shortcuts instead of the mouse.
type stage struct {
	login    string
	level    string // the level's name as the tracking view prints it, e.g. "Level 1 (SKPD)"
	lines    []decision
	keyboard bool
	next     string // the tracking view's state after this level forwards
}

var verdictLabel = map[string]string{"setuju": "Setuju", "bts": "BTS (berkas tidak sesuai)", "tms": "TMS (tidak memenuhi syarat)"}

// decideLine records one decision on the review page, by mouse or by keyboard, and waits for the
// saved badge (an htmx swap, no page load).
func decideLine(v *person, d decision, keyboard bool) {
	v.t.Helper()
	if keyboard {
		key := map[string]string{"setuju": "s", "bts": "b", "tms": "t"}[d.verdict]
		v.run("press "+key+" on "+d.field, chromedp.KeyEvent(key))
		if d.verdict != "setuju" {
			v.run("write the note and press Ctrl+Enter",
				chromedp.WaitVisible(chromedp.ID("catatan-"+d.field)),
				chromedp.KeyEvent(d.note),
				chromedp.KeyEvent("\r", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
			)
		}
	} else {
		v.run("decide "+d.field,
			chromedp.SendKeys(chromedp.ID("catatan-"+d.field), d.note),
			chromedp.Click(chromedp.ID(d.verdict+"-"+d.field)), // one press saves
		)
	}
	v.waitText("#diputuskan-"+d.field, verdictLabel[d.verdict])
}

// liveThrough sends a prepared submission from the PNS's window and walks it through the stages.
// Every verifier's inbox is open before the submission reaches it and must show it without a
// reload; the PNS's tracking view, never reloaded, must show each decision and each move as it
// happens.
func liveThrough(t *testing.T, w *world, b *browser, nip, name string, stages []stage) uint64 {
	t.Helper()
	pns := b.person("PNS "+name, true)
	pns.login(nip, "/data")
	var verifiers []*person
	for _, st := range stages {
		if st.keyboard { // the single-key shortcuts are off until the verifier turns them on
			if err := w.st.SetShortcuts(st.login, true); err != nil {
				t.Fatal(err)
			}
		}
		v := b.person(st.login, true)
		v.login(st.login, "/verifikasi")
		v.run("the inbox is empty", chromedp.WaitVisible(chromedp.ID("masuk-kosong")))
		v.markPage()
		verifiers = append(verifiers, v)
	}
	if got := pns.follow("press Kirim", 200, chromedp.Click(chromedp.ID("tombol-kirim"))); got != "/status" {
		pns.fatalf("Kirim landed on %s", got)
	}
	id := w.submissions(nip)[0].ID
	row := fmt.Sprintf("#usulan-%d", id)
	pns.waitText("#status-sekarang", "Verifikasi Level 1")
	pns.run("Tarik is offered before anyone opened it", chromedp.WaitVisible(chromedp.ID("tombol-tarik")))
	pns.markPage()

	for i, st := range stages {
		v := verifiers[i]
		v.run("the submission arrives in the open inbox", chromedp.WaitVisible(chromedp.CSS(row)))
		v.waitText("#nav-jumlah", "1")
		v.waitText("#jumlah-masuk", "1")
		v.samePage("the arrival")
		if got := v.follow("open the submission", 200, chromedp.Click(chromedp.CSS(row+" a"))); got != fmt.Sprintf("/verifikasi/%d", id) {
			v.fatalf("opening landed on %s", got)
		}
		if i == 0 {
			pns.eventually("Tarik disappears once a verifier opened it", func() bool { return !pns.exists("#tombol-tarik") })
		}
		var fields []string
		for _, d := range st.lines {
			fields = append(fields, d.field)
		}
		if got := eval[[]string](v, `[...document.querySelectorAll('#baris-tinjau .line')].map(e => e.dataset.field)`); strings.Join(got, ",") != strings.Join(fields, ",") {
			v.fatalf("%s reviews %v, want %v", st.level, got, fields)
		}
		v.markPage()
		for _, d := range st.lines {
			decideLine(v, d, st.keyboard)
			want := st.level + ": " + verdictLabel[d.verdict]
			pns.waitText("#line-"+d.field+" .decisions", want)
			if d.note != "" {
				pns.waitText("#line-"+d.field+" .decisions", d.note)
			}
		}
		v.samePage("deciding")
		press := chromedp.Click(chromedp.ID("tombol-teruskan"))
		if st.keyboard {
			v.run("Teruskan is offered", chromedp.WaitVisible(chromedp.ID("tombol-teruskan")))
			press = chromedp.KeyEvent("f")
		}
		if got := v.follow("forward", 200, press); got != "/verifikasi" {
			v.fatalf("forward landed on %s", got)
		}
		pns.waitText("#status-sekarang", st.next)
	}
	pns.samePage("the whole verification")
	return id
}

// TestLiveThroughKanreg runs a submission of an instansi daerah through Level 1, Level 2 and its
// Kanreg (Level 3) with the PNS's tracking view and every verifier's inbox open in windows of their
// own. Level 2 works with the keyboard (s, f), the Kanreg rejects with t, a note and Ctrl+Enter.
// The line without BKN authority stops at Level 2; the Kanreg sees only the BKN line.
// TestLiveThroughBKNPusat covers Level 4; together they run all four levels.
func TestLiveThroughKanreg(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.newBrowser()

	w.prepare(nipBudi, [3]string{"nama", "Budi Susanto", "sesuai SK CPNS"}, [3]string{"no_hp", "081299990000", "nomor baru"})
	liveThrough(t, w, b, nipBudi, "Budi", []stage{
		{login: loginV1, level: "Level 1 (SKPD)", next: "Verifikasi Level 2 (BKD)",
			lines: []decision{{"nama", "setuju", ""}, {"no_hp", "setuju", ""}}},
		{login: loginV2, level: "Level 2 (BKD)", next: "Verifikasi Level 3 (Kanreg BKN)", keyboard: true,
			lines: []decision{{"nama", "setuju", ""}, {"no_hp", "setuju", ""}}},
		{login: loginV3, level: "Level 3 (Kanreg BKN)", next: "Selesai", keyboard: true,
			lines: []decision{{"nama", "tms", "SK CPNS tidak dilampirkan"}}},
	})
	rec, err := w.st.Record(nipBudi)
	if err != nil || rec.Fields["no_hp"] != "081299990000" || rec.Fields["nama"] != "Budi Santoso" {
		t.Fatalf("Budi's master: no_hp %q nama %q (%v), want the phone applied and the name kept", rec.Fields["no_hp"], rec.Fields["nama"], err)
	}
}

// TestLiveThroughBKNPusat runs a submission of an instansi pusat through Level 1, Level 2 and BKN
// Pusat (Level 4), live in every window, as TestLiveThroughKanreg does for Level 3.
func TestLiveThroughBKNPusat(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.newBrowser()
	w.prepare(nipWati, [3]string{"nama", "Wati Lestari Ningsih", "sesuai akta"})
	liveThrough(t, w, b, nipWati, "Wati", []stage{
		{login: loginV1Pusat, level: "Level 1 (SKPD)", next: "Verifikasi Level 2 (BKD)", lines: []decision{{"nama", "setuju", ""}}},
		{login: loginV2Pusat, level: "Level 2 (BKD)", next: "Verifikasi Level 4 (BKN Pusat)", lines: []decision{{"nama", "setuju", ""}}},
		{login: loginV4, level: "Level 4 (BKN Pusat)", next: "Selesai", lines: []decision{{"nama", "setuju", "sesuai akta kelahiran"}}},
	})
	if rec, err := w.st.Record(nipWati); err != nil || rec.Fields["nama"] != "Wati Lestari Ningsih" {
		t.Fatalf("Wati's master nama %q (%v)", rec.Fields["nama"], err)
	}
}

// TestReturnFixResendReReviewsOnlyTheChangedLine: Level 2 returns one line (BTS) and approves the
// other; the PNS, whose open tracking view shows the return and the note, can change only the
// returned line, fixes it and sends again; Level 1 and Level 2 then see the unchanged line's
// decision kept and decide only the changed one. A colleague at Level 2 with the same submission
// open is told live that it changed; deciding on that older page anyway gets the message and the
// fresh view in place, not a bare error.
func TestReturnFixResendReReviewsOnlyTheChangedLine(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.newBrowser()
	w.prepare(nipSri, [3]string{"alamat", "Jl. Diponegoro No. 5, Semarang", "pindah rumah"}, [3]string{"no_hp", "081299990000", "nomor baru"})
	id := liveThrough(t, w, b, nipSri, "Sri", []stage{
		{login: loginV1, level: "Level 1 (SKPD)", next: "Verifikasi Level 2 (BKD)",
			lines: []decision{{"alamat", "setuju", ""}, {"no_hp", "setuju", ""}}},
		{login: loginV2, level: "Level 2 (BKD)", next: "Dikembalikan",
			lines: []decision{{"alamat", "bts", "lampirkan KTP dengan alamat baru"}, {"no_hp", "setuju", ""}}},
	})

	pns := b.person("PNS Sri again", true)
	pns.login(nipSri, "/data")
	if pns.exists("#batal-no_hp") || pns.exists("#silang-agama") {
		pns.fatalf("the returned form lets the PNS change lines that were not returned")
	}
	pns.run("open the returned line",
		chromedp.Click(chromedp.CSS("#f-alamat .actions a.btn")),
		chromedp.WaitVisible(chromedp.ID("in-alamat")),
		typeOver("#in-alamat", "Jl. Diponegoro No. 5A, Semarang"),
	)
	pns.waitIdle()
	pns.run("save it", chromedp.Click(chromedp.ID("simpan-alamat")), chromedp.WaitVisible(chromedp.CSS("#f-alamat ins.new")))
	if got := pns.follow("send again", 200, chromedp.Click(chromedp.ID("tombol-kirim"))); got != "/status" {
		pns.fatalf("resend landed on %s", got)
	}

	for _, login := range []string{loginV1, loginV2} {
		v := b.person(login+" re-review", true)
		v.login(login, "/verifikasi")
		v.follow("open the resent submission", 200, chromedp.Click(chromedp.CSS(fmt.Sprintf("#usulan-%d a", id))))
		v.run("the unchanged line's decision is kept", chromedp.WaitVisible(chromedp.ID("tetap-no_hp")))
		if login == loginV2 {
			fits320(v, "the review page with turun status")
		}
		v.waitText("#sisa-baris", "1 baris belum diputuskan")
		if v.exists("#diputuskan-alamat") {
			v.fatalf("the changed line shows a decision from before the change")
		}
		var colleague *person
		if login == loginV2 {
			colleague = b.person("colleague at Level 2", true)
			colleague.login(loginV2b, "/verifikasi")
			colleague.follow("open the same submission", 200, chromedp.Navigate(fmt.Sprintf("%s/verifikasi/%d", w.base, id)))
		}
		decideLine(v, decision{"alamat", "setuju", ""}, false)
		if colleague != nil {
			colleague.markPage()
			colleague.waitText("#kabar", "baru saja diubah oleh "+login) // told live, before acting
			colleague.run("decide on the stale page",
				chromedp.SendKeys(chromedp.ID("catatan-alamat"), "terlambat"),
				chromedp.Click(chromedp.ID("tms-alamat")),
			)
			colleague.waitText("#galat-tinjau", "diubah oleh petugas lain")
			colleague.waitText("#diputuskan-alamat", "Setuju")
			colleague.samePage("the stale refusal")
		}
		if got := v.follow("forward", 200, chromedp.Click(chromedp.ID("tombol-teruskan"))); got != "/verifikasi" {
			v.fatalf("forward landed on %s", got)
		}
	}
	pns.waitText("#status-sekarang", "Selesai")
	pns.open("/riwayat", 200)
	pns.waitText("#versi-2-alamat", "Jl. Diponegoro No. 5A, Semarang")
	fits320(pns, "the record history")
	inbox := b.person("inbox at 320 px", true)
	inbox.login(loginV1, "/verifikasi")
	fits320(inbox, "the inbox with its filters")
	rec, err := w.st.Record(nipSri)
	if err != nil || rec.Fields["alamat"] != "Jl. Diponegoro No. 5A, Semarang" || rec.Fields["no_hp"] != "081299990000" {
		t.Fatalf("Sri's master: %v (%v)", rec.Fields, err)
	}
}

// fits320 checks the page needs no sideways scrolling on a phone held upright (320 px), then goes
// back to the desktop width.
func fits320(p *person, what string) {
	p.t.Helper()
	p.run("narrow the window to 320 px", chromedp.EmulateViewport(320, 700))
	if wide := eval[bool](p, `document.documentElement.scrollWidth > window.innerWidth`); wide {
		p.fatalf("%s is %d px wide at 320 px", what, eval[int](p, `document.documentElement.scrollWidth`))
	}
	p.run("back to 1280 px", chromedp.ResetViewport())
}
