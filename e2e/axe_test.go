package e2e

import (
	"context"
	_ "embed"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"pupns/store"
	"pupns/store/storetest"
)

// axeSource is axe-core 4.11.0, vendored (testdata/axe-core/README.md): the test never fetches it.
//
//go:embed testdata/axe-core/axe.min.js
var axeSource string

// axeTags are the rules run on every page: WCAG 2.0, 2.1 and 2.2 at levels A and AA, and
// Deque's best practices.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"}

// axeRun runs axe on the page as it is now and answers one line per violation: the rule, its
// impact and the elements it found, or "" when the page is clean.
var axeRun = fmt.Sprintf(`axe.run(document, {runOnly: {type: "tag", values: %s}, resultTypes: ["violations"]})
	.then(r => r.violations.map(v => v.id + " (" + v.impact + "): " + v.nodes.slice(0, 5).map(n => n.target.join(" ")).join(", ") +
		(v.nodes.length > 5 ? " … " + v.nodes.length + " in all" : "") + " · " + v.help))`, `["`+strings.Join(axeTags, `", "`)+`"]`)

// audit checks the page the person is on at 1280 and at 320 px: no axe violation, and nothing
// wider than the 320 px screen.
func (p *person) audit(what string) []string {
	p.t.Helper()
	if !eval[bool](p, `typeof axe !== "undefined"`) {
		eval[chromedp.Void](p, axeSource+"\n;undefined")
	}
	var found []string
	for _, width := range []int64{1280, 320} {
		p.run(fmt.Sprintf("%d px", width), chromedp.EmulateViewport(width, 800))
		ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
		v, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](axeRun, chromedp.EvalAwaitPromise))
		cancel()
		if err != nil {
			p.fatalf("axe on %s: %v", what, err)
		}
		for _, s := range v {
			found = append(found, fmt.Sprintf("%s at %d px: %s", what, width, s))
		}
		if width == 320 {
			if sw := eval[int](p, `document.documentElement.scrollWidth`); sw > 320 {
				found = append(found, fmt.Sprintf("%s at 320 px: the page is %d px wide (horizontal scrolling)", what, sw))
			}
		}
	}
	p.run("back to 1280 px", chromedp.EmulateViewport(1280, 800))
	return found
}

// visit is one page of the site as one person sees it.
type visit struct {
	who  *person
	path string
}

// TestAxeEveryPageEveryRole runs axe-core on every page of every role (public, PNS with every tab,
// operator, verifiers of registration and of proposals, admin) at 1280 and at 320 px, and fails on
// any WCAG 2.2 A/AA violation or best-practice finding, or any horizontal overflow at 320 px. One
// browser, each person logged in once.
func TestAxeEveryPageEveryRole(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	id := w.sent(nipBudi, twoLines...)
	doc := w.form(nipBudi).Docs["nama"][0].ID
	b := w.newBrowser()

	anon := b.person("anonim", true)
	sri := b.person("PNS Sri", true) // an open form
	sri.login(nipSri, "/data")
	budi := b.person("PNS Budi", true) // sent, waiting at Level 1
	budi.login(nipBudi, "/data")
	op := b.person("operator", true)
	op.login(storetest.LoginOpDidik, "/operator")
	verreg := b.person("verifikator registrasi", true)
	verreg.login(loginVerReg, "/aktivasi")
	v1 := b.person("verifikator L1", true)
	v1.login(loginV1, "/verifikasi")
	v2 := b.person("verifikator L2", true)
	v2.login(loginV2, "/verifikasi")
	admin := b.person("admin", true)
	admin.login(storetest.LoginAdmin, "/ringkasan")

	visits := []visit{
		{anon, "/masuk"}, {anon, "/registrasi"}, {anon, "/registrasi/cari?nip=" + nipAgus}, {anon, "/cek-status"},
		{anon, "/cek-status?nip=" + nipBudi}, {anon, "/lupa"},
	}
	for _, tab := range store.Tabs {
		if tab.Only == "" {
			visits = append(visits, visit{sri, "/data?tab=" + tab.Key})
		}
	}
	visits = append(visits, visit{sri, "/data?tab=utama&ubah=nama"}, visit{sri, "/akun"}, visit{sri, "/akun/sandi"},
		visit{budi, "/status"}, visit{budi, "/status/cetak"}, visit{budi, "/riwayat"}, visit{budi, "/data"},
		visit{op, "/operator"}, visit{op, "/operator/pns/" + nipSri + "/data"}, visit{op, "/operator/pns/" + nipSri + "/status"},
		visit{verreg, "/aktivasi"},
		visit{v1, "/verifikasi"}, visit{v1, fmt.Sprintf("/verifikasi/%d", id)}, visit{v1, fmt.Sprintf("/verifikasi/%d?pratinjau=%d", id, doc)},
		visit{v1, "/verifikasi/pns/" + nipBudi + "/riwayat"}, visit{v1, "/akun"}, visit{v1, "/ringkasan"}, visit{v1, "/ringkasan/pns"},
		visit{v1, "/ketidakpatuhan"}, visit{v2, "/verifikasi"}, visit{v2, "/ringkasan"},
		visit{admin, "/ringkasan"}, visit{admin, "/ringkasan/pns"}, visit{admin, "/ringkasan/pns/cetak"}, visit{admin, "/ketidakpatuhan"},
		visit{admin, "/ketidakpatuhan/cetak?skpd=U01"}, visit{admin, "/ketidakpatuhan/tutup"}, visit{admin, "/admin/akun"},
		visit{admin, "/admin/instansi"}, visit{admin, "/admin/surat"}, visit{admin, "/admin/surat/pengingat"},
		visit{admin, "/admin/peristiwa"}, visit{admin, "/admin/jadwal"}, visit{admin, "/admin/cadangan"}, visit{admin, "/akun"},
		visit{admin, "/admin/ekspor"}, visit{v2, "/admin/ekspor"}, visit{admin, "/ringkasan/pns?status=belum&skpd=U01"},
	)
	var found []string
	for _, v := range visits {
		v.who.open(v.path, 200)
		found = append(found, v.who.audit(v.who.name+" "+v.path)...)
	}
	// States reached by a press rather than a URL: forms answering with their messages.
	for _, pr := range []struct {
		who         *person
		path, state string
		press       chromedp.Action[chromedp.Void]
		wait        string // an element only the answer has
	}{
		{v1, fmt.Sprintf("/verifikasi/%d", id), "BTS without a note", chromedp.Click(chromedp.ID("bts-no_hp")), "#galat-no_hp"},
		{anon, "/masuk", "wrong password", chromedp.Steps(chromedp.SendKeys(chromedp.ID("login"), loginV2),
			chromedp.SendKeys(chromedp.ID("password"), "bukan-sandinya"), chromedp.Click(chromedp.ID("tombol-masuk"))), "#login-error"},
		{anon, "/registrasi/cari?nip=" + nipAgus, "Daftar with every field empty", chromedp.Click(chromedp.ID("tombol-daftar")), ".msg.err"},
		{anon, "/lupa", "Pulihkan with every field empty", chromedp.Click(chromedp.ID("tombol-pulihkan")), ".msg.err"},
		{admin, "/admin/akun", "Tambah akun with every field empty", chromedp.Click(chromedp.ID("tombol-tambah-akun")), ".msg.err"},
	} {
		pr.who.open(pr.path, 200)
		pr.who.run(pr.state, pr.press, chromedp.WaitVisible(chromedp.CSS(pr.wait)))
		found = append(found, pr.who.audit(pr.who.name+" "+pr.path+", "+pr.state)...)
	}
	if len(found) > 0 {
		t.Errorf("axe-core found %d problems on %d pages:\n%s", len(found), len(visits), strings.Join(found, "\n"))
	}
}
