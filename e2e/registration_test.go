package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"pupns/store"
)

const agusPW = "Kopi-Tubruk-77"

// loginWith logs in with a given password and checks where the account lands.
func (p *person) loginWith(login, password, home string) {
	p.t.Helper()
	p.open("/masuk", 200)
	p.run("fill the login form",
		chromedp.SendKeys(chromedp.ID("login"), login),
		chromedp.SendKeys(chromedp.ID("password"), password),
	)
	if got := p.follow("press Masuk", 200, chromedp.Click(chromedp.ID("tombol-masuk"))); got != home {
		p.fatalf("login %s landed on %s, want %s", login, got, home)
	}
}

// printMedia switches the page's CSS to print (what Cetak lays out), or back to screen.
func (p *person) printMedia(on bool) {
	p.t.Helper()
	media := ""
	if on {
		media = "print"
	}
	p.run("emulate print media", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: media})
		return err
	}))
}

// fits320 checks the page fits a phone held upright: 320 px wide without sideways scrolling.
func (p *person) fits320(what string) {
	p.t.Helper()
	p.run("narrow the window to 320 px", chromedp.EmulateViewport(320, 700))
	if wide := eval[bool](p, `document.documentElement.scrollWidth > window.innerWidth`); wide {
		p.fatalf("%s at 320 px is %d px wide", what, eval[int](p, `document.documentElement.scrollWidth`))
	}
	p.run("back to 1280 px", chromedp.ResetViewport())
}

// TestRegisterPrintActivateAndLogIn: a PNS from the master data registers in a real browser
// (Cari swaps the master data in with htmx), gets the nomor registrasi and the bukti, whose print
// layout shows both parts and hides the screen-only part; cannot log in while pending; the
// registration verifier finds the registration by its nomor and activates it; the PNS logs in
// with the nomor and reaches the form.
func TestRegisterPrintActivateAndLogIn(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.newBrowser()
	pns := b.person("PNS Agus", true)
	pns.open("/registrasi", 200)
	pns.markPage()
	pns.run("type the NIP with spaces and press Cari",
		chromedp.SendKeys(chromedp.ID("in-nip"), store.FormatNIP(nipAgus)),
		chromedp.Click(chromedp.ID("tombol-cari")),
		chromedp.WaitVisible(chromedp.ID("form-registrasi")),
	)
	pns.samePage("Cari")
	if got := pns.text("#induk-nama"); got != "Agus Salim" {
		pns.fatalf("Cari shows %q, want Agus Salim", got)
	}
	if got := pns.text("#induk-lahir"); got != "Semarang, 10-03-1988" {
		pns.fatalf("Cari shows birth %q", got)
	}
	pns.fits320("the registration form")
	pns.run("fill the registration form",
		chromedp.SendKeys(chromedp.ID("in-nik"), nikAgus),
		chromedp.SendKeys(chromedp.ID("in-email"), "agus@contoh.go.id"),
		chromedp.SendKeys(chromedp.ID("in-password"), agusPW),
		chromedp.SendKeys(chromedp.ID("in-password2"), agusPW),
		chromedp.SendKeys(chromedp.ID("in-ibu"), "Siti Aminah"),
		chromedp.SetValue(chromedp.ID("in-pertanyaan"), "3"),
		chromedp.SendKeys(chromedp.ID("in-jawaban"), "Si Belang"),
	)
	if got := pns.follow("press Daftar", 200, chromedp.Click(chromedp.ID("tombol-daftar"))); got != "/registrasi/bukti" {
		pns.fatalf("registration landed on %s", got)
	}
	u, err := w.st.User(nipAgus)
	if err != nil || u.Status != store.StatusPending {
		pns.fatalf("account after registration: %+v %v", u, err)
	}
	if got := pns.text("#nomor-registrasi"); got != u.RegNo {
		pns.fatalf("the page shows nomor %q, the store holds %q", got, u.RegNo)
	}
	for _, part := range []string{"#bagian-verifikator", "#bagian-pns"} {
		txt := pns.text(part)
		for _, want := range []string{u.RegNo, store.FormatNIP(nipAgus), "Agus Salim", "Pemerintah Provinsi Jawa Tengah"} {
			if !strings.Contains(txt, want) {
				pns.fatalf("%s lacks %q: %s", part, want, txt)
			}
		}
	}
	if !strings.Contains(pns.text("#bagian-verifikator"), "Untuk verifikator registrasi") || !strings.Contains(pns.text("#bagian-pns"), "Untuk PNS") {
		pns.fatalf("the parts are not labelled for whom")
	}
	pns.fits320("the bukti registrasi")
	// The print layout: both parts and the cut line between them, no header, no buttons.
	pns.printMedia(true)
	visible := func(sel string) bool {
		return eval[bool](pns, `(() => { const e = document.querySelector(`+"`"+sel+"`"+`); return !!e && getComputedStyle(e).display !== 'none' && e.getBoundingClientRect().height > 0; })()`)
	}
	for _, sel := range []string{"#bagian-verifikator", "#garis-potong", "#bagian-pns"} {
		if !visible(sel) {
			pns.fatalf("%s is not printed", sel)
		}
	}
	for _, sel := range []string{"#bukti-layar", "header.top", "#tombol-cetak"} {
		if visible(sel) {
			pns.fatalf("%s is printed", sel)
		}
	}
	order := eval[bool](pns, `document.getElementById('bagian-verifikator').getBoundingClientRect().top < document.getElementById('garis-potong').getBoundingClientRect().top && document.getElementById('garis-potong').getBoundingClientRect().top < document.getElementById('bagian-pns').getBoundingClientRect().top`)
	if !order {
		pns.fatalf("the parts are not verifier part, cut line, PNS part from top to bottom")
	}
	pns.printMedia(false)

	// Pending: the login says why.
	pns.open("/masuk", 200)
	pns.run("log in while pending",
		chromedp.SendKeys(chromedp.ID("login"), u.RegNo),
		chromedp.SendKeys(chromedp.ID("password"), agusPW),
	)
	pns.follow("press Masuk", 422, chromedp.Click(chromedp.ID("tombol-masuk")))
	if got := pns.text("#login-error"); !strings.Contains(got, "belum diaktifkan") {
		pns.fatalf("pending login says %q", got)
	}

	vr := b.person("Verifikator registrasi", true)
	vr.login(loginVerReg, "/aktivasi")
	vr.run("search the nomor", chromedp.SendKeys(chromedp.ID("in-q"), strings.ToLower(u.RegNo)))
	vr.follow("press Cari", 200, chromedp.Click(chromedp.ID("tombol-cari-registrasi")))
	if got := vr.text("#jumlah-registrasi"); got != "1" {
		vr.fatalf("search found %s registrations", got)
	}
	vr.fits320("the activation queue")
	vr.follow("press Aktifkan", 200, chromedp.Click(chromedp.ID("aktifkan-"+nipAgus)))
	if got := vr.text("#flash"); !strings.Contains(got, "sudah aktif") {
		vr.fatalf("after Aktifkan the page says %q", got)
	}

	pns.loginWith(u.RegNo, agusPW, "/data")
	if got := pns.text("#f-nama .master"); got != "Agus Salim" {
		pns.fatalf("the form shows nama %q", got)
	}
}

// TestRecoverNomorAndResetPassword: a registered PNS who lost the nomor registrasi gets it back
// with NIP, the security question and answer and the mother's maiden name (typed in other case
// and spacing), reprints the bukti, sets a new password, and logs in with it; the old one no
// longer works. Without JavaScript: recovery is a plain form.
func TestRecoverNomorAndResetPassword(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	u, err := w.st.Register(store.Registration{NIP: nipAgus, NIK: nikAgus, Email: "agus@contoh.go.id", Password: agusPW, Password2: agusPW,
		Mother: "Siti Aminah", Question: "3", Answer: "Si Belang"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.st.DecideRegistration(store.Actor{Login: loginVerReg, Role: store.RoleVerReg, ScopeID: "P33"}, nipAgus, true, ""); err != nil {
		t.Fatal(err)
	}
	b := w.newBrowser()
	pns := b.person("PNS Agus", false)
	pns.open("/masuk", 200)
	pns.follow("open Lupa", 200, chromedp.Click(chromedp.CSS(`#tautan-publik a[href="/lupa"]`)))
	pns.run("answer wrongly",
		chromedp.SendKeys(chromedp.ID("in-nip"), nipAgus),
		chromedp.SetValue(chromedp.ID("in-pertanyaan"), "3"),
		chromedp.SendKeys(chromedp.ID("in-jawaban"), "si hitam"),
		chromedp.SendKeys(chromedp.ID("in-ibu"), "siti aminah"),
	)
	pns.follow("press Pulihkan", 422, chromedp.Click(chromedp.ID("tombol-pulihkan")))
	if !strings.Contains(pns.text("#msg-lupa"), "tidak cocok") || pns.exists("#nomor-registrasi") {
		pns.fatalf("a wrong answer was not refused plainly")
	}
	if got := eval[string](pns, `document.getElementById('in-nip').value`); got != nipAgus {
		pns.fatalf("after the refusal the NIP field holds %q; what was typed must stay", got)
	}
	pns.run("answer rightly, in other case and spacing",
		chromedp.SetValue(chromedp.ID("in-pertanyaan"), "3"),
		chromedp.SendKeys(chromedp.ID("in-jawaban"), "  SI   belang"),
		chromedp.SendKeys(chromedp.ID("in-ibu"), "siti  aminah"),
	)
	pns.follow("press Pulihkan", 200, chromedp.Click(chromedp.ID("tombol-pulihkan")))
	if got := pns.text("#nomor-registrasi"); got != u.RegNo {
		pns.fatalf("recovery shows %q, want %q", got, u.RegNo)
	}
	pns.run("type a new password", chromedp.SendKeys(chromedp.ID("in-password"), "Teh-Tarik-Dingin"), chromedp.SendKeys(chromedp.ID("in-password2"), "Teh-Tarik-Dingin"))
	if got := pns.follow("press Simpan kata sandi", 200, chromedp.Click(chromedp.ID("tombol-sandi-baru"))); got != "/masuk" {
		pns.fatalf("after the new password the browser is at %s", got)
	}
	if !strings.Contains(pns.text("#flash"), "Kata sandi baru tersimpan") {
		pns.fatalf("no confirmation of the new password")
	}
	// The reprint link still works in this session.
	pns.open("/registrasi/bukti", 200)
	if !strings.Contains(pns.text("#bagian-pns"), u.RegNo) {
		pns.fatalf("the reprinted bukti lacks the nomor")
	}
	if _, err := w.st.Authenticate(nipAgus, agusPW); err == nil {
		pns.fatalf("the old password still logs in")
	}
	pns.loginWith(u.RegNo, "Teh-Tarik-Dingin", "/data")
}
